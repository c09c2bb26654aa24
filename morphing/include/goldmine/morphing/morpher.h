// EFT morphing: any θ-dependent event weight or cross section is a linear
// combination of its values at a few benchmark points θ_b,
//
//   dσ(x|θ) = Σ_b w_b(θ) dσ(x|θ_b),   w_b(θ) = Σ_c c_c(θ) M_cb,
//
// where c_c(θ) are the morphing components and M is the morphing matrix. With
// A_bc = c_c(θ_b), M = A⁻¹ for as many benchmarks as components. With more
// benchmarks, M = A⁺ (Moore–Penrose pseudo-inverse): among all weights that
// reproduce every component, w(θ) = (A⁺)ᵀ c(θ) has the smallest Σ_b w_b², so
// statistical fluctuations of the benchmark samples are least amplified.
// Reference: arXiv:1907.10621 §2.2, MadMiner's PhysicsMorpher.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "goldmine/morphing/components.h"

namespace goldmine::morphing {

// Weights w_b(θ) for a fixed basis. Immutable; every constructed object is
// usable (no set_components()/set_basis() steps as in MadMiner).
class Morpher {
 public:
  // A basis whose 2-norm condition number exceeds this is rejected: weights
  // would lose more than 12 of the 16 significant digits of a double.
  static constexpr double kMaxConditionNumber = 1e12;

  // `basis`: one row per benchmark θ_b, one column per parameter; at least
  // components.num_components() rows. Throws InvalidInput for too few rows,
  // the wrong number of columns, non-finite values, or a (numerically)
  // singular basis.
  Morpher(Components components, Eigen::MatrixXd basis);

  const Components& components() const { return components_; }
  // num_benchmarks() × num_parameters().
  const Eigen::MatrixXd& basis() const { return basis_; }
  // M, shape num_components() × num_benchmarks(): the array MadMiner stores
  // in HDF5 as morphing/morphing_matrix.
  const Eigen::MatrixXd& morphing_matrix() const { return morphing_matrix_; }
  // σ_max/σ_min of A. Large values mean the basis amplifies statistical
  // fluctuations of the benchmark samples.
  double condition_number() const { return condition_number_; }

  int num_parameters() const { return components_.num_parameters(); }
  int num_components() const { return components_.num_components(); }
  int num_benchmarks() const { return static_cast<int>(basis_.rows()); }

  // w_b(θ) for every benchmark b; theta.size() == num_parameters().
  Eigen::VectorXd Weights(const Eigen::VectorXd& theta) const;
  // ∂w_b/∂θ_i, shape num_parameters() × num_benchmarks().
  Eigen::MatrixXd WeightGradients(const Eigen::VectorXd& theta) const;
  // Σ_b w_b(θ)²: how much the statistical noise of the benchmark samples is
  // amplified at θ (1 at a benchmark point).
  double SumSquaredWeights(const Eigen::VectorXd& theta) const;

  // Vectorised: one θ per row of `thetas` (n × num_parameters()).
  // Weights: n × num_benchmarks().
  Eigen::MatrixXd WeightsBatch(const Eigen::MatrixXd& thetas) const;
  // Gradients: one n × num_benchmarks() matrix per parameter i, holding
  // ∂w_b/∂θ_i.
  std::vector<Eigen::MatrixXd> WeightGradientsBatch(
      const Eigen::MatrixXd& thetas) const;

  // σ(θ) = Σ_b w_b(θ) σ_b from the benchmark cross sections σ_b.
  double CrossSection(const Eigen::VectorXd& theta,
                      const Eigen::VectorXd& benchmark_cross_sections) const;
  // ∇_θ σ(θ), size num_parameters().
  Eigen::VectorXd CrossSectionGradient(
      const Eigen::VectorXd& theta,
      const Eigen::VectorXd& benchmark_cross_sections) const;
  // Event weights at θ, w(z|θ) = Σ_b w_b(θ) w(z|θ_b), from the per-benchmark
  // weights (events × num_benchmarks()); returns one weight per event.
  Eigen::VectorXd EventWeights(const Eigen::VectorXd& theta,
                               const Eigen::MatrixXd& benchmark_weights) const;

  // "morphing with 6 benchmarks for 6 components of 2 parameters (max powers
  // 2,2), condition number 360.5"
  std::string Description() const;

 private:
  void RequireBenchmarkCount(Eigen::Index count, const char* what) const;

  Components components_;
  Eigen::MatrixXd basis_;
  Eigen::MatrixXd morphing_matrix_;
  // Rows of M for components_depending_on(p), one matrix per parameter p:
  // the weight gradients skip components whose derivative is zero.
  std::vector<Eigen::MatrixXd> dependent_morphing_rows_;
  double condition_number_ = 0.0;
};

}  // namespace goldmine::morphing
