// `goldmine fisher sally` with a trained ensemble reports the spread of the
// information over its members (issue 17 item 6); a single model has none.
// The formula is tested in tests/mining/fisher_uncertainty_test.cc
// (EnsembleSpreadOfConstantMembers); this checks that the trained model's
// members reach it.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"
#include "support/small_sally.h"

namespace goldmine {
namespace {

using testing::RunGoldmine;

class FisherEnsemble : public ::testing::Test {
 protected:
  void SetUp() override {
    events_ = testing::FindReference("madminer/toy_events.h5").string();
    if (events_.empty()) GTEST_SKIP() << "MadMiner reference data absent";
    folder_ = testing::MakeScratchFolder("fisher_ensemble");
  }
  void TearDown() override {
    if (!folder_.empty()) std::filesystem::remove_all(folder_);
  }
  nlohmann::json Sally(int members) const {
    const std::string prefix = testing::TrainSmallSally(
        events_, folder_, "sally" + std::to_string(members), members);
    const auto fisher = RunGoldmine({"fisher",
                                     "sally",
                                     "--events",
                                     events_,
                                     "--theta",
                                     "0,0",
                                     "--model",
                                     prefix});
    EXPECT_EQ(fisher.exit_code, 0) << fisher.err;
    return nlohmann::json::parse(fisher.out);
  }
  std::string events_;
  std::filesystem::path folder_;
};

TEST_F(FisherEnsemble, MembersGiveTheSpreadAndTheTruthComparison) {
  const nlohmann::json ensemble = Sally(3);
  const auto& spread = ensemble.at("fisher_information_ensemble_uncertainty");
  ASSERT_EQ(spread.size(), 2u);
  EXPECT_GT(spread[0][0].get<double>(), 0.0);
  EXPECT_GT(spread[1][1].get<double>(), 0.0);
  EXPECT_EQ(ensemble.at("truth_information_same_events").size(), 2u);
  EXPECT_EQ(ensemble.at("exceeds_truth").size(), 2u);
  EXPECT_EQ(ensemble.at("fisher_information_uncertainty").size(), 2u);
  const nlohmann::json single = Sally(1);
  EXPECT_FALSE(single.contains("fisher_information_ensemble_uncertainty"));
}

}  // namespace
}  // namespace goldmine
