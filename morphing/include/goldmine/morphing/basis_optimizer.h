// Choosing benchmark points: given the components and the parameter ranges,
// pick the basis points that are not fixed by the user so that the expected
// Σ_b w_b(θ)² over θ uniform in the ranges is as small as possible (see
// sum_squared_weights.h). A small value means the morphed weights amplify the
// statistical noise of the benchmark samples little anywhere in the ranges.
//
// OptimizeBasis() does what MadMiner's optimize_basis does (random proposals
// in the ranges, the best one kept), but scores each proposal with the exact
// objective instead of 100 random θ, and then refines the best proposals by
// projected gradient descent inside the ranges with the analytic gradient.
// MadMinerRandomSearch() is MadMiner's algorithm itself, kept as the baseline
// that bench/ compares against.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "goldmine/core/parameter.h"
#include "goldmine/morphing/components.h"

namespace goldmine::morphing {

// The most proposals a basis optimisation takes, 10^3 × MadMiner's default;
// 10^9 ran for hours (mutation campaign, issue 15).
inline constexpr int kMaxBasisTrials = 100000;

struct BasisOptimizerOptions {
  // Random proposals for the free basis points, as MadMiner's n_trials
  // (1 to kMaxBasisTrials).
  int n_trials = 100;
  std::uint64_t seed = 1;
  // How many of the best proposals are refined by gradient descent.
  int n_refined = 3;
  // Gradient steps per refined proposal at most.
  int max_iterations = 300;

  // Throws InvalidInput naming every option that is out of range.
  void Validate() const;
};

struct BasisOptimizationResult {
  // Fixed benchmarks first (in the given order), then the chosen points;
  // num_components() × num_parameters().
  Eigen::MatrixXd basis;
  // Exact E[Σ_b w_b(θ)²] of `basis` over the parameter ranges.
  double objective = 0.0;
  // The same for the best random proposal, before refinement.
  double best_proposal_objective = 0.0;
  int n_trials = 0;
  // Accepted gradient steps, summed over the refined proposals.
  int iterations = 0;
};

// `fixed_benchmarks`: benchmarks that stay in the basis (rows of parameter
// values, possibly zero rows; at most num_components()). Throws InvalidInput
// for mismatched shapes, bad ranges or options, and when no proposal gives a
// usable basis (for example because the fixed benchmarks are degenerate).
BasisOptimizationResult OptimizeBasis(const Components& components,
                                      const ParameterRanges& ranges,
                                      const Eigen::MatrixXd& fixed_benchmarks,
                                      const BasisOptimizerOptions& options);

struct RandomSearchResult {
  Eigen::MatrixXd basis;
  // MadMiner's selection criterion: mean Σ_b w_b² over the proposal's own
  // random test points (an estimate, not the exact objective).
  double monte_carlo_objective = 0.0;
};

// MadMiner's optimize_basis: n_trials proposals (fixed benchmarks plus
// uniform random points), each scored by the mean of Σ_b w_b(θ)² over
// n_test_thetas uniform random θ, the best kept. The baseline for
// OptimizeBasis; reproduces MadMiner's algorithm, not its random numbers.
RandomSearchResult MadMinerRandomSearch(const Components& components,
                                        const ParameterRanges& ranges,
                                        const Eigen::MatrixXd& fixed_benchmarks,
                                        int n_trials,
                                        int n_test_thetas,
                                        std::uint64_t seed);

}  // namespace goldmine::morphing
