#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "goldmine/mining/sample_file.h"
#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

TEST(AugmentCommand, RatioWritesSamplesAndNpyFiles) {
  const auto events = testing::FindReference("madminer/toy_events.h5");
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const auto folder = testing::MakeScratchFolder("augment_command");
  const auto result = testing::RunGoldmine({"augment",
                                            "ratio",
                                            "--events",
                                            events.string(),
                                            "--output",
                                            (folder / "s.h5").string(),
                                            "--n-samples",
                                            "1000",
                                            "--seed",
                                            "3",
                                            "--theta0",
                                            "random:10:uniform",
                                            "--theta1",
                                            "benchmark:sm",
                                            "--npy-folder",
                                            (folder / "npy").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const mining::SampleData data = mining::ReadSamples(folder / "s.h5");
  EXPECT_EQ(data.method, "ratio");
  EXPECT_EQ(data.num_samples(), 1000);
  EXPECT_EQ(data.seed, 3u);
  EXPECT_EQ(data.t_xz.cols(), 2);
  EXPECT_TRUE(std::filesystem::exists(folder / "npy" / "r_xz_train.npy"));
  // Same seed, same file content.
  const auto again = testing::RunGoldmine({"augment",
                                           "ratio",
                                           "--events",
                                           events.string(),
                                           "--output",
                                           (folder / "t.h5").string(),
                                           "--n-samples",
                                           "1000",
                                           "--seed",
                                           "3",
                                           "--theta0",
                                           "random:10:uniform",
                                           "--theta1",
                                           "benchmark:sm"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(mining::ReadSamples(folder / "t.h5").x, data.x);
  std::filesystem::remove_all(folder);
}

TEST(AugmentCommand, BadSpecificationExitsTwo) {
  const auto events = testing::FindReference("madminer/toy_events.h5");
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const auto folder = testing::MakeScratchFolder("augment_command_bad");
  for (const std::string spec : {"grid:0,3", "random:5:cauchy", "1,2,3"}) {
    const auto result = testing::RunGoldmine({"augment",
                                              "local",
                                              "--events",
                                              events.string(),
                                              "--output",
                                              (folder / "s.h5").string(),
                                              "--n-samples",
                                              "10",
                                              "--seed",
                                              "1",
                                              "--theta",
                                              spec});
    EXPECT_EQ(result.exit_code, 2) << spec;
    EXPECT_NE(result.err.find(spec), std::string::npos) << result.err;
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace goldmine
