// What `goldmine limits` does around AsymptoticLimits::Compute: observed
// data from an events file, the CSV table of a result, the check that
// Asimov data put the best fit at θ_true, and the systematics-profiled
// result replacing the plain one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/inference/eft_systematics_limits.h"
#include "goldmine/inference/limits/asymptotic_limits.h"
#include "goldmine/inference/limits/theta_grid.h"
#include "goldmine/mining/madminer_file.h"
#include "limits_toy_files.h"
#include "support/scratch_folder.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(LimitResultCsv, WritesOneLinePerGridPointWithSeventeenDigits) {
  LimitResult result;
  result.parameters = {"a", "b"};
  result.grid.resize(2, 2);
  result.grid << 0.0, 1.5, 0.25, -2.0;
  result.minus_two_delta_log_l.resize(2);
  result.minus_two_delta_log_l << 0.0, 3.5;
  result.p_values.resize(2);
  result.p_values << 1.0, 0.1;
  result.log_likelihood_kin.resize(2);
  result.log_likelihood_kin << -1.25, 2.0;
  result.log_likelihood_rate.resize(2);
  result.log_likelihood_rate << 0.0, -0.5;
  // 0.1 has no exact double: 17 digits show the stored value.
  EXPECT_EQ(LimitResultCsv(result),
            "a,b,minus_two_delta_log_l,p_value,log_likelihood_kin,"
            "log_likelihood_rate\n"
            "0,1.5,0,1,-1.25,0\n"
            "0.25,-2,3.5,0.10000000000000001,2,-0.5\n");
}

TEST(LimitResultCsv, HasOnlyTheHeaderWithoutGridPoints) {
  LimitResult result;
  result.parameters = {"c"};
  result.grid.resize(0, 1);
  EXPECT_EQ(LimitResultCsv(result),
            "c,minus_two_delta_log_l,p_value,log_likelihood_kin,"
            "log_likelihood_rate\n");
}

// Three events of the one-parameter toy setup (observables pt, dphi, eta;
// benchmarks sm, b1, b2) with chosen weights.
class ObservedEventsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("limits_results");
    path_ = (folder_ / "observed.h5").string();
    const mining::MadminerSetup setup =
        toy::ToySetup(generators::ToyModel({"c2"}));
    mining::MadminerEventsWriter writer(path_, setup);
    mining::MadminerEventBatch batch;
    batch.observations.resize(3, 3);
    batch.observations << 10, 0.5, -1, 20, 1.0, 0, 30, -0.5, 1;
    batch.weights.resize(3, 3);
    // sm sums to 1.75, b1 to 0, b2 to -1.
    batch.weights << 0.5, 1.0, -1.0, 1.0, -2.0, 0.5, 0.25, 1.0, -0.5;
    batch.sampling_benchmarks = {0, 0, 0};
    writer.Append(batch);
    writer.Finish();
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  const std::vector<std::string> observables_ = {"pt", "dphi", "eta"};
  std::filesystem::path folder_;
  std::string path_;
};

TEST_F(ObservedEventsFile, CountsEveryEventOnceWithoutWeights) {
  const ObservedData data = ReadObservedData(path_, observables_, "", 300.0);
  ASSERT_EQ(data.x.rows(), 3);
  EXPECT_EQ(data.x(1, 0), 20.0);
  EXPECT_EQ(data.x(2, 2), 1.0);
  EXPECT_EQ(data.weights, Eigen::VectorXd::Ones(3));
  EXPECT_EQ(data.n_events, 3.0);
}

TEST_F(ObservedEventsFile, WeightsByABenchmarkGiveLuminosityTimesTheSum) {
  const ObservedData data = ReadObservedData(path_, observables_, "sm", 2.0);
  Eigen::VectorXd expected(3);
  expected << 0.5, 1.0, 0.25;
  EXPECT_EQ(data.weights, expected);
  EXPECT_DOUBLE_EQ(data.n_events, 2.0 * 1.75);
}

TEST_F(ObservedEventsFile, RejectsOtherObservables) {
  EXPECT_THAT(
      [&] {
        ReadObservedData(path_, {"pt", "eta"}, "", 1.0);
      },
      ThrowsMessage<InvalidInput>("--observed " + path_ +
                                  ": its observables differ from the "
                                  "events file's"));
}

TEST_F(ObservedEventsFile, RejectsAnUnknownBenchmark) {
  EXPECT_THAT(
      [&] { ReadObservedData(path_, observables_, "b7", 1.0); },
      ThrowsMessage<InvalidInput>("--observed-weights b7: no such benchmark "
                                  "in " +
                                  path_));
}

TEST_F(ObservedEventsFile, RejectsWeightsThatDoNotSumToAPositiveValue) {
  for (const char* benchmark : {"b1", "b2"}) {
    EXPECT_THAT([&] { ReadObservedData(path_, observables_, benchmark, 1.0); },
                ThrowsMessage<InvalidInput>(HasSubstr(
                    std::string(": the weights of ") + benchmark + " sum to ")))
        << benchmark;
  }
}

// Grid a ∈ {−1, 0, 1} (b off the grid), best fit at a = 0.
LimitResult BestFitAtZero(const ThetaGrid& grid) {
  LimitResult result;
  result.parameters = grid.names();
  result.all_parameters = {"b", "a"};
  result.grid = grid.Points();
  result.best_fit_index = 1;
  return result;
}

TEST(AsimovBestFitAtTruth, ComparesTheGridParametersWithTheirTrueValues) {
  const ThetaGrid grid = ThetaGrid::Parse("a:-1:1:3");
  const LimitResult result = BestFitAtZero(grid);
  Eigen::VectorXd theta_true(2);  // (b, a)
  theta_true << 0.7, 0.0;
  EXPECT_EQ(AsimovBestFitAtTruth(grid, result, theta_true, {}), true);
  // Between grid values 0 and 1: either neighbour is right.
  theta_true << 0.7, 0.4;
  EXPECT_EQ(AsimovBestFitAtTruth(grid, result, theta_true, {}), true);
  theta_true << 0.0, 1.0;
  EXPECT_EQ(AsimovBestFitAtTruth(grid, result, theta_true, {}), false);
}

TEST(AsimovBestFitAtTruth, ExpectsNothingWhenAFixedParameterIsNotAtItsTruth) {
  const ThetaGrid grid = ThetaGrid::Parse("a:-1:1:3");
  const LimitResult result = BestFitAtZero(grid);
  Eigen::VectorXd theta_true(2);
  theta_true << 0.5, 1.0;
  OtherParameters others;
  others.fixed["b"] = 0.2;
  EXPECT_FALSE(
      AsimovBestFitAtTruth(grid, result, theta_true, others).has_value());
  others.fixed["b"] = 0.5;
  EXPECT_EQ(AsimovBestFitAtTruth(grid, result, theta_true, others), false);
}

TEST(AsimovBestFitAtTruth, RejectsATruthOfTheWrongSize) {
  const ThetaGrid grid = ThetaGrid::Parse("a:-1:1:3");
  EXPECT_THAT(
      [&] {
        AsimovBestFitAtTruth(
            grid, BestFitAtZero(grid), Eigen::VectorXd::Zero(1), {});
      },
      ThrowsMessage<InvalidInput>(HasSubstr("expected 2 values")));
}

TEST(ApplyProfiledSystematics, ReplacesTheLikelihoodRatioAndKeepsTheGrid) {
  LimitResult result = BestFitAtZero(ThetaGrid::Parse("a:-1:1:3"));
  result.minus_two_delta_log_l = Eigen::Vector3d(1.0, 0.0, 1.0);
  result.p_values = Eigen::Vector3d(0.3, 1.0, 0.3);
  result.log_likelihood_kin = Eigen::Vector3d(-1.0, -0.5, -1.0);
  SystematicLimits profiled;
  profiled.minus_two_delta_log_l = Eigen::Vector3d(0.5, 0.25, 0.0);
  profiled.p_values = Eigen::Vector3d(0.5, 0.6, 1.0);
  profiled.best_fit_index = 2;
  ApplyProfiledSystematics(profiled, &result);
  EXPECT_EQ(result.minus_two_delta_log_l, profiled.minus_two_delta_log_l);
  EXPECT_EQ(result.p_values, profiled.p_values);
  EXPECT_EQ(result.best_fit_index, 2);
  EXPECT_EQ(result.log_likelihood_kin, Eigen::Vector3d(-1.0, -0.5, -1.0));
  EXPECT_EQ(result.grid(2, 0), 1.0);
}

TEST(ApplyProfiledSystematics, RejectsAnotherNumberOfGridPoints) {
  LimitResult result = BestFitAtZero(ThetaGrid::Parse("a:-1:1:3"));
  SystematicLimits profiled;
  profiled.minus_two_delta_log_l = Eigen::Vector2d(0.0, 1.0);
  profiled.p_values = Eigen::Vector2d(1.0, 0.3);
  EXPECT_THROW(ApplyProfiledSystematics(profiled, &result), InvalidInput);
}

}  // namespace
}  // namespace goldmine::inference
