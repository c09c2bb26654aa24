// Ensemble members as separate jobs (issue 19): `train --member K` trains
// member K alone (seed + K) and `goldmine assemble` joins the members into
// the ensemble one `train --ensemble K` run trains, weight for weight, for a
// score and a ratio method. Models of other settings, repeated members and
// an output that is an input exit 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "goldmine/estimators/estimator.h"
#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using testing::RunGoldmine;
namespace est = goldmine::estimators;

class AssembleCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    events_ = testing::FindReference("madminer/toy_events.h5").string();
    if (events_.empty()) GTEST_SKIP() << "MadMiner reference data absent";
    folder_ = testing::MakeScratchFolder("assemble");
  }
  void TearDown() override {
    if (!folder_.empty()) std::filesystem::remove_all(folder_);
  }
  std::string Path(const std::string& name) const {
    return (folder_ / name).string();
  }
  void Augment(const std::vector<std::string>& arguments) {
    std::vector<std::string> all = {"augment"};
    all.insert(all.end(), arguments.begin(), arguments.end());
    const auto result = RunGoldmine(all);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  // `train` with the common settings plus `extra`.
  testing::CommandResult Train(const std::string& method,
                               const std::string& samples,
                               const std::string& output,
                               const std::vector<std::string>& extra) {
    std::vector<std::string> arguments = {"train",
                                          "--method",
                                          method,
                                          "--samples",
                                          samples,
                                          "--output",
                                          output,
                                          "--hidden",
                                          "16,16",
                                          "--epochs",
                                          "3",
                                          "--seed",
                                          "11",
                                          "--quiet"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return RunGoldmine(arguments);
  }
  // Trains 3 members in one run and as 3 jobs, assembles the jobs in a
  // shuffled order and compares every member's weights.
  template <typename Estimator>
  void ExpectJobsEqualOneRun(const std::string& method,
                             const std::string& samples) {
    auto result = Train(method, samples, Path("one_run"), {"--ensemble", "3"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    for (int k = 0; k < 3; ++k) {
      result = Train(method,
                     samples,
                     Path("member" + std::to_string(k)),
                     {"--member", std::to_string(k)});
      ASSERT_EQ(result.exit_code, 0) << result.err;
    }
    result = RunGoldmine({"assemble",
                          Path("member2"),
                          Path("member0"),
                          Path("member1"),
                          "--output",
                          Path("assembled")});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const nlohmann::json summary = nlohmann::json::parse(result.out);
    EXPECT_EQ(summary.at("seeds"), nlohmann::json({11, 12, 13}));
    const Estimator one = Estimator::Load(Path("one_run"));
    const Estimator assembled = Estimator::Load(Path("assembled"));
    ASSERT_EQ(assembled.ensemble_size(), 3);
    for (int k = 0; k < 3; ++k) {
      EXPECT_EQ(assembled.FlatWeights(k), one.FlatWeights(k)) << k;
      EXPECT_EQ(assembled.histories()[static_cast<std::size_t>(k)].seed,
                one.histories()[static_cast<std::size_t>(k)].seed);
    }
  }
  std::string events_;
  std::filesystem::path folder_;
};

TEST_F(AssembleCommand, ScoreMembersTrainedAsJobsEqualOneEnsemble) {
  Augment({"local",
           "--events",
           events_,
           "--output",
           Path("local.h5"),
           "--n-samples",
           "1500",
           "--seed",
           "5",
           "--theta",
           "benchmark:sm"});
  ExpectJobsEqualOneRun<est::ScoreEstimator>("sally", Path("local.h5"));
}

TEST_F(AssembleCommand, RatioMembersTrainedAsJobsEqualOneEnsemble) {
  Augment({"ratio",
           "--events",
           events_,
           "--output",
           Path("ratio.h5"),
           "--n-samples",
           "1500",
           "--seed",
           "5",
           "--theta0",
           "random:5:uniform",
           "--theta1",
           "benchmark:sm"});
  ExpectJobsEqualOneRun<est::RatioEstimator>("rascal", Path("ratio.h5"));
}

TEST_F(AssembleCommand, ModelsOfOtherSettingsOrRepeatedMembersExitTwo) {
  Augment({"local",
           "--events",
           events_,
           "--output",
           Path("local.h5"),
           "--n-samples",
           "1000",
           "--seed",
           "5",
           "--theta",
           "benchmark:sm"});
  ASSERT_EQ(
      Train("sally", Path("local.h5"), Path("a"), {"--member", "0"}).exit_code,
      0);
  ASSERT_EQ(Train("sally",
                  Path("local.h5"),
                  Path("b"),
                  {"--member", "1", "--lr", "0.01"})
                .exit_code,
            0);
  auto result =
      RunGoldmine({"assemble", Path("a"), Path("b"), "--output", Path("c")});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("differs from"));
  EXPECT_THAT(result.err, HasSubstr("\"training\""));
  result =
      RunGoldmine({"assemble", Path("a"), Path("a"), "--output", Path("c")});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("seed"));
  result =
      RunGoldmine({"assemble", Path("a"), Path("b"), "--output", Path("a")});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_FALSE(std::filesystem::exists(Path("c.json")));
}

}  // namespace
}  // namespace goldmine
