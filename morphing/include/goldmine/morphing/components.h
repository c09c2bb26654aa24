// Morphing components: the monomials c_c(θ) = Π_p θ_p^k_cp that span the
// θ-dependence of a squared matrix element, and hence of every event weight
// and cross section. A squared amplitude linear in couplings g has terms
// g_i g_j; with production and decay vertices the powers reach 4.
// Reference: MadMiner's PhysicsMorpher.find_components (arXiv:1907.10621,
// §2.2).
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

namespace goldmine::morphing {

// An immutable list of components, one row of integer powers per component.
class Components {
 public:
  // Rows are components, columns parameters. Throws InvalidInput when the
  // matrix is empty, has a negative power, or repeats a row.
  explicit Components(Eigen::MatrixXi powers);

  // Limits of FromMaxPowers: beyond them a morphing is out of reach (one
  // benchmark sample per component, an A matrix of kMaxComponents² entries),
  // and the powers are a mistake rather than a physics model.
  static constexpr int kMaxComponents = 5000;
  static constexpr int kMaxParameters = 1000;

  // How many components FromMaxPowers() gives, counted without building
  // them (in time proportional to the count); stops counting at
  // kMaxComponents + 1. Throws InvalidInput for the arguments FromMaxPowers
  // refuses, except a count above kMaxComponents.
  static int CountFromMaxPowers(const std::vector<int>& max_powers,
                                std::optional<int> max_overall_power);

  // MadMiner's default: every power tuple with k_p ≤ max_powers[p] and, when
  // given, Σ_p k_p ≤ max_overall_power, in lexicographic order with the last
  // parameter varying fastest (itertools.product order). The SM component
  // (all powers zero) comes first. Throws InvalidInput for negative powers,
  // no or more than kMaxParameters parameters, or more than kMaxComponents
  // components.
  static Components FromMaxPowers(const std::vector<int>& max_powers,
                                  std::optional<int> max_overall_power);

  // MadMiner's coupling path (find_components with Np, Nd, Ns): the monomials
  // of (Σ g_production + Σ g_shared)² (Σ g_decay + Σ g_shared)². Parameters
  // are ordered decay, production, shared couplings; components are in
  // descending lexicographic order of their powers (sympy's Poly.terms()).
  // A vertex with no coupling of its own and no shared one contributes a
  // factor 1, as in MadMiner: (Σ g_production)² for a single vertex. Throws
  // InvalidInput for negative numbers or no coupling at all.
  static Components FromCouplings(int num_production,
                                  int num_decay,
                                  int num_shared);

  int num_components() const { return static_cast<int>(powers_.rows()); }
  int num_parameters() const { return static_cast<int>(powers_.cols()); }
  // powers()(c, p) = k_cp.
  const Eigen::MatrixXi& powers() const { return powers_; }
  // Highest power of parameter p in any component.
  int max_power(int parameter) const;

  // c(θ) for one θ (size num_parameters()); size num_components().
  Eigen::VectorXd Evaluate(const Eigen::VectorXd& theta) const;
  // ∂c_c/∂θ_p, shape num_parameters() × num_components().
  Eigen::MatrixXd Gradient(const Eigen::VectorXd& theta) const;

  // c(θ) for many θ, one per row of `thetas` (n × num_parameters());
  // returns n × num_components().
  Eigen::MatrixXd EvaluateBatch(const Eigen::MatrixXd& thetas) const;
  // ∂c/∂θ_p for many θ: one n × num_components() matrix per parameter p.
  std::vector<Eigen::MatrixXd> GradientBatch(
      const Eigen::MatrixXd& thetas) const;

  // The components that contain θ_p (k_cp > 0), in component order: the only
  // ones with a non-zero ∂c/∂θ_p.
  const std::vector<int>& components_depending_on(int parameter) const {
    return dependent_components_[static_cast<std::size_t>(parameter)];
  }
  // GradientBatch() without the columns that are zero everywhere: for each
  // parameter p, an n × components_depending_on(p).size() matrix. About half
  // the size, which halves the cost of the weight gradients.
  std::vector<Eigen::MatrixXd> ReducedGradientBatch(
      const Eigen::MatrixXd& thetas) const;

  // "6 components of 2 parameters (max powers 2,2)"
  std::string Description() const;

 private:
  // Entry p, column j holds θ_p^j for every row of `thetas`.
  std::vector<Eigen::ArrayXXd> PowerTables(const Eigen::MatrixXd& thetas) const;
  void RequireParameterCount(Eigen::Index count, const char* what) const;

  Eigen::MatrixXi powers_;
  std::vector<std::vector<int>> dependent_components_;  // [parameter]
};

}  // namespace goldmine::morphing
