// What the Matrix Element Method needs of a process: which observables make
// up an observation x, and the integrand of the observable-level density
// over everything x does not fix (arXiv 1805.00020 §2; DESIGN.md §6).
//
// The density of x is a sum over morphing monomials m_c(θ) = Π_p θ_p^k_cp:
//   dσ(x|θ)/dx = Σ_c m_c(θ) D_c(x),
//   D_c(x) = ∫ d^n u  Integrand_c(x, u),   u ∈ (0, 1)^n,
// so one integration per event gives p(x|θ) = dσ(x|θ)/dx / σ(θ) at every θ,
// with σ(θ) the cross section of the events file (after its cuts). D_c is in
// pb per unit of x (the product of the observables' units). Factors of
// dσ/dx that do not depend on θ cancel in scores and likelihood ratios, but
// not in log p(x|θ) itself: a process states its normalisation.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

namespace goldmine::mem {

class Process {
 public:
  virtual ~Process() = default;

  // Short name ("toy", "wh"), as given to `goldmine mem --process`.
  virtual std::string name() const = 0;
  // The parameters θ, in the order of monomials()' columns.
  virtual std::vector<std::string> parameters() const = 0;
  // C × P exponents k_cp of the monomials, one row per output of
  // Integrand().
  virtual Eigen::MatrixXi monomials() const = 0;
  // The observables read from the events file, as goldmine expressions
  // (matched against the file's observable definitions), in the order
  // Integrand() receives them.
  virtual std::vector<std::string> observables() const = 0;
  // Number n of integration variables.
  virtual int dimension() const = 0;
  // Writes Integrand_c(x, u) for every monomial c (0 where x and u are
  // inconsistent). x has observables().size() values; u has dimension()
  // values in [0, 1).
  virtual void Integrand(const double* x,
                         const double* u,
                         double* out) const = 0;
  // One line: the process, its transfer functions and normalisation.
  virtual std::string Description() const = 0;
};

}  // namespace goldmine::mem
