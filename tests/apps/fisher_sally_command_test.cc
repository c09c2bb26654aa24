// `goldmine fisher sally` end to end on MadMiner's toy events file: augment,
// train a small SALLY, then the Fisher information from its score, checked
// against the formula evaluated here with the model loaded directly and the
// file's Standard-Model weights (no morphing involved).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "goldmine/estimators/estimator.h"
#include "goldmine/mining/madminer_file.h"
#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"
#include "support/small_sally.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using testing::RunGoldmine;

Eigen::MatrixXd JsonMatrix(const nlohmann::json& rows) {
  Eigen::MatrixXd matrix(rows.size(), rows[0].size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      matrix(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
          rows[r][c].get<double>();
    }
  }
  return matrix;
}

class FisherSally : public ::testing::Test {
 protected:
  void SetUp() override {
    events_ = testing::FindReference("madminer/toy_events.h5").string();
    if (events_.empty()) GTEST_SKIP() << "MadMiner reference data absent";
    folder_ = testing::MakeScratchFolder("fisher_sally");
  }
  void TearDown() override {
    if (!folder_.empty()) std::filesystem::remove_all(folder_);
  }
  std::string Path(const std::string& name) const {
    return (folder_ / name).string();
  }
  // Trains a small SALLY at the SM; returns the model prefix.
  std::string TrainModel() const {
    return testing::TrainSmallSally(events_, folder_, "sally");
  }
  std::string events_;
  std::filesystem::path folder_;
};

TEST_F(FisherSally, MatchesTheScoreFormulaOnTheTestPartition) {
  const std::string model_prefix = TrainModel();
  const auto kinematic = RunGoldmine({"fisher",
                                      "sally",
                                      "--events",
                                      events_,
                                      "--theta",
                                      "0,0",
                                      "--luminosity",
                                      "1000",
                                      "--model",
                                      model_prefix,
                                      "--no-xsec-info"});
  ASSERT_EQ(kinematic.exit_code, 0) << kinematic.err;
  const auto json = nlohmann::json::parse(kinematic.out);
  const Eigen::MatrixXd information = JsonMatrix(json["fisher_information"]);

  // I = L σ_SM Σ_test w t̂ t̂ᵀ / Σ_test w with the file's SM column.
  const mining::MadminerEvents file = mining::ReadEvents(events_);
  Eigen::Index sm = -1;
  for (Eigen::Index b = 0; b < file.setup.benchmarks.values.rows(); ++b) {
    if (file.setup.benchmarks.values.row(b).isZero()) sm = b;
  }
  ASSERT_GE(sm, 0);
  const Eigen::VectorXd weights = file.events.weights.col(sm);
  const auto n = static_cast<Eigen::Index>(file.events.size());
  const auto first = static_cast<Eigen::Index>(std::llround(0.8 * n));
  const auto model = estimators::ScoreEstimator::Load(model_prefix);
  ASSERT_EQ(model.observable_names().size(), file.setup.observables.size());
  const Eigen::MatrixXd scores =
      model.Score(file.events.observations.bottomRows(n - first));
  const Eigen::VectorXd w = weights.tail(n - first);
  const Eigen::MatrixXd expected =
      1000.0 * weights.sum() * (scores.transpose() * w.asDiagonal() * scores) /
      w.sum();
  EXPECT_LE((information - expected).cwiseAbs().maxCoeff(),
            1e-9 * expected.cwiseAbs().maxCoeff())
      << information << "\nvs\n"
      << expected;

  // Without --no-xsec-info the rate information is added.
  const auto full = RunGoldmine({"fisher",
                                 "sally",
                                 "--events",
                                 events_,
                                 "--theta",
                                 "0,0",
                                 "--luminosity",
                                 "1000",
                                 "--model",
                                 model_prefix});
  const auto rate = RunGoldmine({"fisher",
                                 "rate",
                                 "--events",
                                 events_,
                                 "--theta",
                                 "0,0",
                                 "--luminosity",
                                 "1000"});
  ASSERT_EQ(full.exit_code, 0) << full.err;
  ASSERT_EQ(rate.exit_code, 0) << rate.err;
  const Eigen::MatrixXd sum =
      information +
      JsonMatrix(nlohmann::json::parse(rate.out)["fisher_information"]);
  EXPECT_LE(
      (JsonMatrix(nlohmann::json::parse(full.out)["fisher_information"]) - sum)
          .cwiseAbs()
          .maxCoeff(),
      1e-12 * sum.cwiseAbs().maxCoeff());
}

TEST_F(FisherSally, NeedsAModel) {
  const auto missing =
      RunGoldmine({"fisher", "sally", "--events", events_, "--theta", "0,0"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--model"));
  const auto absent = RunGoldmine({"fisher",
                                   "sally",
                                   "--events",
                                   events_,
                                   "--theta",
                                   "0,0",
                                   "--model",
                                   Path("nothing/here")});
  EXPECT_EQ(absent.exit_code, 2);
  EXPECT_THAT(absent.err, HasSubstr("nothing/here"));
}

}  // namespace
}  // namespace goldmine
