#include "goldmine/morphing/basis_optimizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goldmine/core/errors.h"
#include "goldmine/morphing/morpher.h"
#include "goldmine/morphing/sum_squared_weights.h"

namespace goldmine::morphing {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

const ParameterRanges kWideRanges = {{-20.0, 20.0}, {-20.0, 20.0}};

Eigen::MatrixXd StandardModel(int num_parameters) {
  return Eigen::MatrixXd::Zero(1, num_parameters);
}

TEST(OptimizeBasis, SameSeedGivesTheSameBasis) {
  const Components components = Components::FromMaxPowers({2, 2}, 2);
  BasisOptimizerOptions options;
  options.n_trials = 20;
  options.seed = 5;
  const auto a =
      OptimizeBasis(components, kWideRanges, StandardModel(2), options);
  const auto b =
      OptimizeBasis(components, kWideRanges, StandardModel(2), options);
  EXPECT_EQ(a.basis, b.basis);
  EXPECT_EQ(a.objective, b.objective);
}

// No fixed benchmarks as a 0 × 0 matrix (a mining config without
// benchmarks) is the same as 0 × P; it tripped an Eigen size assertion in
// debug builds (fuzz finding, tests/regression_inputs/mining_config/).
TEST(OptimizeBasis, NoFixedBenchmarksInAnyShape) {
  const Components components = Components::FromMaxPowers({2, 2}, 2);
  BasisOptimizerOptions options;
  options.n_trials = 5;
  const auto a =
      OptimizeBasis(components, kWideRanges, Eigen::MatrixXd(), options);
  const auto b =
      OptimizeBasis(components, kWideRanges, Eigen::MatrixXd(0, 2), options);
  EXPECT_EQ(a.basis, b.basis);
}

TEST(OptimizeBasis, KeepsFixedBenchmarksAndStaysInTheRanges) {
  const Components components = Components::FromMaxPowers({2, 2}, 2);
  Eigen::MatrixXd fixed(2, 2);
  fixed << 0.0, 0.0, 5.0, -3.0;
  const auto result = OptimizeBasis(components, kWideRanges, fixed, {});
  ASSERT_EQ(result.basis.rows(), 6);
  EXPECT_EQ(result.basis.topRows(2), fixed);
  EXPECT_LE(result.basis.cwiseAbs().maxCoeff(), 20.0);
}

TEST(OptimizeBasis, ReportsTheExactObjectiveOfItsBasis) {
  const Components components = Components::FromMaxPowers({2, 2}, 2);
  const auto result =
      OptimizeBasis(components, kWideRanges, StandardModel(2), {});
  const ExpectedSumSquaredWeights objective(components, kWideRanges);
  EXPECT_DOUBLE_EQ(result.objective, objective.Value(result.basis));
  EXPECT_LE(result.objective, result.best_proposal_objective);
  EXPECT_GT(result.iterations, 0);
}

TEST(OptimizeBasis, BeatsMadMinersRandomSearchWithTheSameTrials) {
  // For several seeds and set-ups, goldmine's basis has a lower exact
  // E[Σw²] than the one MadMiner's algorithm picks with as many trials.
  struct Setup {
    std::vector<int> max_powers;
    int overall;
    ParameterRanges ranges;
  };
  for (const Setup& setup :
       {Setup{{2, 2}, 2, kWideRanges},
        Setup{{2, 4}, 4, {{-1.0, 1.0}, {-2.0, 2.0}}},
        Setup{{2, 2, 2}, 2, {{-1, 1}, {-1, 1}, {-1, 1}}}}) {
    const Components components =
        Components::FromMaxPowers(setup.max_powers, setup.overall);
    const ExpectedSumSquaredWeights objective(components, setup.ranges);
    const Eigen::MatrixXd sm = StandardModel(components.num_parameters());
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      BasisOptimizerOptions options;
      options.n_trials = 100;
      options.seed = seed;
      const auto ours = OptimizeBasis(components, setup.ranges, sm, options);
      const auto baseline =
          MadMinerRandomSearch(components, setup.ranges, sm, 100, 100, seed);
      EXPECT_LE(ours.objective, objective.Value(baseline.basis))
          << components.Description() << ", seed " << seed;
    }
  }
}

TEST(OptimizeBasis, HandlesFiveParametersAtPowerFour) {
  // Production × decay with 5 operators: 126 components.
  const Components components = Components::FromMaxPowers({4, 4, 4, 4, 4}, 4);
  const ParameterRanges ranges(5, ParameterRange{-1.0, 1.0});
  BasisOptimizerOptions options;
  options.n_trials = 5;
  options.n_refined = 1;
  options.max_iterations = 20;
  const auto result =
      OptimizeBasis(components, ranges, StandardModel(5), options);
  EXPECT_EQ(result.basis.rows(), 126);
  EXPECT_LT(result.objective, result.best_proposal_objective);
  const Morpher morpher(components, result.basis);
  EXPECT_LT(morpher.condition_number(), Morpher::kMaxConditionNumber);
}

TEST(OptimizeBasis, RejectsTooManyFixedBenchmarks) {
  EXPECT_THAT(
      [] {
        OptimizeBasis(Components::FromMaxPowers({2}, 2),
                      {{-1.0, 1.0}},
                      Eigen::MatrixXd::Zero(4, 1),
                      {});
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("4 benchmarks given, but a basis for 3")));
}

TEST(OptimizeBasis, RejectsDegenerateFixedBenchmarks) {
  Eigen::MatrixXd fixed(2, 1);
  fixed << 0.5, 0.5;
  EXPECT_THAT(
      [&] {
        OptimizeBasis(
            Components::FromMaxPowers({2}, 2), {{-1.0, 1.0}}, fixed, {});
      },
      ThrowsMessage<InvalidInput>(HasSubstr("none of the 100 proposals")));
}

TEST(OptimizeBasis, RejectsBadOptionsAllAtOnce) {
  BasisOptimizerOptions options;
  options.n_trials = 0;
  options.max_iterations = -1;
  EXPECT_THAT([&] { options.Validate(); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("n_trials: expected at least 1, got 0; "
                            "max_iterations")));
}

}  // namespace
}  // namespace goldmine::morphing
