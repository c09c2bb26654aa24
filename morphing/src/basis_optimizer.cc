#include "goldmine/morphing/basis_optimizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/morphing/morpher.h"
#include "goldmine/morphing/sum_squared_weights.h"

namespace goldmine::morphing {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

void RequireFixedBenchmarks(const Components& components,
                            const Eigen::MatrixXd& fixed_benchmarks) {
  GOLDMINE_REQUIRE(fixed_benchmarks.rows() == 0 ||
                       fixed_benchmarks.cols() == components.num_parameters(),
                   "fixed_benchmarks: expected " +
                       std::to_string(components.num_parameters()) +
                       " values per benchmark (one per parameter), got " +
                       std::to_string(fixed_benchmarks.cols()));
  GOLDMINE_REQUIRE(
      fixed_benchmarks.rows() <= components.num_components(),
      "fixed_benchmarks: " + std::to_string(fixed_benchmarks.rows()) +
          " benchmarks given, but a basis for " +
          std::to_string(components.num_components()) +
          " components has only " +
          std::to_string(components.num_components()) + " points");
  GOLDMINE_REQUIRE(fixed_benchmarks.allFinite(),
                   "fixed_benchmarks: every value must be a finite number");
}

// The fixed benchmarks followed by uniform random points in the ranges.
Eigen::MatrixXd Propose(const Eigen::MatrixXd& fixed_benchmarks,
                        const ParameterRanges& ranges,
                        int num_points,
                        RandomStream* random) {
  const int num_parameters = static_cast<int>(ranges.size());
  Eigen::MatrixXd basis(num_points, num_parameters);
  // No fixed benchmarks may come as a 0 × 0 matrix, whose assignment to a
  // 0 × P block is a size mismatch (an Eigen assertion in debug builds,
  // found by fuzzing a mining config without benchmarks).
  if (fixed_benchmarks.rows() > 0)
    basis.topRows(fixed_benchmarks.rows()) = fixed_benchmarks;
  for (Eigen::Index b = fixed_benchmarks.rows(); b < num_points; ++b) {
    for (int p = 0; p < num_parameters; ++p) {
      const ParameterRange& range = ranges[static_cast<std::size_t>(p)];
      basis(b, p) = random->Uniform(range.lower, range.upper);
    }
  }
  return basis;
}

// Projected gradient descent on the free rows of `basis`, in coordinates
// scaled to the unit box so that parameters with wide and narrow ranges move
// alike. Steps follow the gradient direction normalised to unit max-norm; a
// step that does not lower the objective is halved, an accepted one grows.
// Returns the number of accepted steps; `basis` and `value` are updated.
int Refine(const ExpectedSumSquaredWeights& objective,
           Eigen::Index num_fixed,
           int max_iterations,
           Eigen::MatrixXd* basis,
           double* value) {
  const ParameterRanges& ranges = objective.ranges();
  const Eigen::Index num_free = basis->rows() - num_fixed;
  if (num_free == 0) return 0;
  Eigen::RowVectorXd lower(basis->cols());
  Eigen::RowVectorXd width(basis->cols());
  for (Eigen::Index p = 0; p < basis->cols(); ++p) {
    lower(p) = ranges[static_cast<std::size_t>(p)].lower;
    width(p) = ranges[static_cast<std::size_t>(p)].width();
  }
  constexpr double kMinStep = 1e-9;
  constexpr double kMaxStep = 0.25;
  double step = 0.05;
  int accepted = 0;
  Eigen::MatrixXd gradient;
  *value = objective.ValueAndGradient(*basis, &gradient);
  for (int iteration = 0; iteration < max_iterations && step > kMinStep;
       ++iteration) {
    // Gradient in unit-box coordinates of the free points only.
    Eigen::MatrixXd direction =
        gradient.bottomRows(num_free).array().rowwise() * width.array();
    const double norm = direction.cwiseAbs().maxCoeff();
    if (!(norm > 0.0) || !std::isfinite(norm)) break;
    direction /= norm;
    while (step > kMinStep) {
      Eigen::MatrixXd candidate = *basis;
      for (Eigen::Index b = 0; b < num_free; ++b) {
        Eigen::RowVectorXd unit =
            (basis->row(num_fixed + b) - lower).cwiseQuotient(width) -
            step * direction.row(b);
        unit = unit.cwiseMax(0.0).cwiseMin(1.0);
        candidate.row(num_fixed + b) = lower + unit.cwiseProduct(width);
      }
      Eigen::MatrixXd candidate_gradient;
      const double candidate_value =
          objective.ValueAndGradient(candidate, &candidate_gradient);
      if (candidate_value < *value) {
        const bool converged = (*value - candidate_value) < 1e-13 * *value;
        *basis = std::move(candidate);
        *value = candidate_value;
        gradient = std::move(candidate_gradient);
        step = std::min(2.0 * step, kMaxStep);
        ++accepted;
        if (converged) return accepted;
        break;
      }
      step *= 0.5;
    }
  }
  return accepted;
}

}  // namespace

void BasisOptimizerOptions::Validate() const {
  std::string problems;
  auto add = [&problems](const std::string& problem) {
    problems += (problems.empty() ? "" : "; ") + problem;
  };
  if (n_trials < 1)
    add("n_trials: expected at least 1, got " + std::to_string(n_trials));
  if (n_refined < 0)
    add("n_refined: expected 0 or more, got " + std::to_string(n_refined));
  if (max_iterations < 0) {
    add("max_iterations: expected 0 or more, got " +
        std::to_string(max_iterations));
  }
  if (!problems.empty()) throw InvalidInput(problems);
}

BasisOptimizationResult OptimizeBasis(const Components& components,
                                      const ParameterRanges& ranges,
                                      const Eigen::MatrixXd& fixed_benchmarks,
                                      const BasisOptimizerOptions& options) {
  options.Validate();
  RequireFixedBenchmarks(components, fixed_benchmarks);
  const ExpectedSumSquaredWeights objective(components, ranges);
  const int num_points = components.num_components();

  // Random proposals, as MadMiner, each scored exactly.
  RandomStream random(options.seed);
  std::vector<std::pair<double, Eigen::MatrixXd>> proposals;
  for (int trial = 0; trial < options.n_trials; ++trial) {
    Eigen::MatrixXd basis =
        Propose(fixed_benchmarks, ranges, num_points, &random);
    const double value = objective.Value(basis);
    if (std::isfinite(value)) proposals.emplace_back(value, std::move(basis));
    if (fixed_benchmarks.rows() == num_points) break;  // nothing to choose
  }
  GOLDMINE_REQUIRE(!proposals.empty(),
                   "basis optimisation: none of the " +
                       std::to_string(options.n_trials) +
                       " proposals gives a usable basis; check that the fixed "
                       "benchmarks are distinct and the ranges wide enough");
  std::stable_sort(
      proposals.begin(), proposals.end(), [](const auto& a, const auto& b) {
        return a.first < b.first;
      });

  BasisOptimizationResult result;
  result.n_trials = options.n_trials;
  result.best_proposal_objective = proposals.front().first;
  result.basis = proposals.front().second;
  result.objective = proposals.front().first;
  const std::size_t num_refined =
      std::min(proposals.size(), static_cast<std::size_t>(options.n_refined));
  for (std::size_t i = 0; i < num_refined; ++i) {
    Eigen::MatrixXd basis = proposals[i].second;
    double value = proposals[i].first;
    result.iterations += Refine(objective,
                                fixed_benchmarks.rows(),
                                options.max_iterations,
                                &basis,
                                &value);
    if (value < result.objective) {
      result.objective = value;
      result.basis = std::move(basis);
    }
  }
  return result;
}

RandomSearchResult MadMinerRandomSearch(const Components& components,
                                        const ParameterRanges& ranges,
                                        const Eigen::MatrixXd& fixed_benchmarks,
                                        int n_trials,
                                        int n_test_thetas,
                                        std::uint64_t seed) {
  RequireFixedBenchmarks(components, fixed_benchmarks);
  GOLDMINE_REQUIRE(
      n_trials >= 1 && n_test_thetas >= 1,
      "random search: n_trials and n_test_thetas must be at least 1");
  // Validates the ranges.
  const ExpectedSumSquaredWeights validated(components, ranges);
  RandomStream random(seed);
  RandomSearchResult best;
  best.monte_carlo_objective = kInfinity;
  const Eigen::MatrixXd no_fixed(0, components.num_parameters());
  for (int trial = 0; trial < n_trials; ++trial) {
    Eigen::MatrixXd basis =
        Propose(fixed_benchmarks, ranges, components.num_components(), &random);
    const Eigen::MatrixXd thetas =
        Propose(no_fixed, ranges, n_test_thetas, &random);
    try {
      const Morpher morpher(components, basis);
      const double value =
          morpher.WeightsBatch(thetas).rowwise().squaredNorm().mean();
      if (value < best.monte_carlo_objective) {
        best.monte_carlo_objective = value;
        best.basis = std::move(basis);
      }
    } catch (const InvalidInput&) {
      // A singular proposal; MadMiner would crash, we try the next one.
    }
  }
  GOLDMINE_REQUIRE(std::isfinite(best.monte_carlo_objective),
                   "random search: no proposal gives a usable basis");
  return best;
}

}  // namespace goldmine::morphing
