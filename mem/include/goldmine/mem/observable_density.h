// The observable-level density from MEM coefficients (mining/mem_file.h):
//   dσ(x|θ)/dx = Σ_c m_c(θ) D_c(x),   p(x|θ) = dσ(x|θ)/dx / σ(θ),
//   t(x|θ) = ∇_θ ln p(x|θ) = ∇_θ ln dσ(x|θ)/dx − ∇_θ σ(θ)/σ(θ),
//   ln r(x|θ0,θ1) = ln p(x|θ0) − ln p(x|θ1),
// with σ(θ) the events file's cross section after its cuts, so that cuts
// change the normalisation and not dσ/dx.
#pragma once

#include <Eigen/Core>
#include <string>

namespace goldmine::mem {

class ObservableDensity {
 public:
  // `monomials`: C × P exponents of the coefficients' columns.
  explicit ObservableDensity(Eigen::MatrixXi monomials);

  int num_parameters() const { return static_cast<int>(monomials_.cols()); }

  // dσ(x|θ)/dx of every row of `coefficients` (events × C).
  Eigen::VectorXd DifferentialCrossSection(const Eigen::MatrixXd& coefficients,
                                           const Eigen::VectorXd& theta) const;
  // ∇_θ ln dσ(x|θ)/dx, events × P. Throws InvalidInput naming the row
  // (plus `first_row`) where dσ/dx is not positive.
  Eigen::MatrixXd LogGradient(const Eigen::MatrixXd& coefficients,
                              const Eigen::VectorXd& theta,
                              std::int64_t first_row = 0) const;

 private:
  Eigen::MatrixXi monomials_;
};

}  // namespace goldmine::mem
