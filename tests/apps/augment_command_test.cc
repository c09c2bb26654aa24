#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "goldmine/mining/madminer_file.h"
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

// A copy of toy_events.h5 changed by `edit` (malformed-input tests).
template <typename Edit>
std::filesystem::path EditedToyEvents(const std::filesystem::path& folder,
                                      const std::string& name,
                                      Edit edit) {
  mining::MadminerEvents events =
      mining::ReadEvents(testing::FindReference("madminer/toy_events.h5"));
  edit(events);
  events.sample_summary = mining::MadminerSampleSummary::Count(
      events.events.sampling_benchmarks, events.setup.benchmarks.num_physics());
  const auto path = folder / name;
  mining::WriteEvents(path, events);
  return path;
}

testing::CommandResult Augment(const std::filesystem::path& events,
                               const std::filesystem::path& folder,
                               const std::string& theta,
                               std::vector<std::string> extra = {}) {
  std::vector<std::string> arguments = {"augment",
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
                                        theta};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  return testing::RunGoldmine(arguments);
}

void ExpectExitTwo(const testing::CommandResult& result,
                   const std::string& message) {
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("internal error"), std::string::npos) << result.err;
}

TEST(AugmentCommand, UnknownBenchmarkExitsTwo) {
  const auto events = testing::FindReference("madminer/toy_events.h5");
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const auto folder = testing::MakeScratchFolder("augment_unknown_benchmark");
  ExpectExitTwo(Augment(events, folder, "benchmark:zz"),
                "unknown benchmark \"zz\"; the events file has sm, b1");
  std::filesystem::remove_all(folder);
}

TEST(AugmentCommand, ZeroCrossSectionExitsTwo) {
  if (testing::FindReference("madminer/toy_events.h5").empty()) {
    GTEST_SKIP() << "MadMiner reference data absent";
  }
  const auto folder = testing::MakeScratchFolder("augment_zero_xsec");
  const auto events =
      EditedToyEvents(folder, "zero.h5", [](mining::MadminerEvents& e) {
        e.events.weights.setZero();
      });
  ExpectExitTwo(Augment(events, folder, "benchmark:sm"),
                "cross section at theta (0, 0) is 0");
  // The plain cross section is 0 pb, a valid answer, not an error.
  const auto xsec = testing::RunGoldmine(
      {"xsec", "--events", events.string(), "--theta", "0,0"});
  EXPECT_EQ(xsec.exit_code, 0) << xsec.err;
  // The Fisher information divides by σ and the weights: an error.
  const auto fisher = testing::RunGoldmine({"fisher",
                                            "truth",
                                            "--events",
                                            events.string(),
                                            "--theta",
                                            "0,0",
                                            "--luminosity",
                                            "300000"});
  ExpectExitTwo(fisher, "cross section");
  std::filesystem::remove_all(folder);
}

TEST(AugmentCommand, PartitionWithoutEventsExitsTwo) {
  if (testing::FindReference("madminer/toy_events.h5").empty()) {
    GTEST_SKIP() << "MadMiner reference data absent";
  }
  const auto folder = testing::MakeScratchFolder("augment_empty_partition");
  // 3 events: train [0, 2), validation [2, 2) (empty), test [2, 3).
  const auto events =
      EditedToyEvents(folder, "three.h5", [](mining::MadminerEvents& e) {
        e.events.observations.conservativeResize(3, Eigen::NoChange);
        e.events.weights.conservativeResize(3, Eigen::NoChange);
        e.events.sampling_benchmarks.resize(3);
      });
  ExpectExitTwo(
      Augment(events, folder, "benchmark:sm", {"--partition", "validation"}),
      "partition validation has no events (3 events in the file");
  // MadMiner's convention skips the boundary event: test [3, 3) is empty.
  ExpectExitTwo(Augment(events,
                        folder,
                        "benchmark:sm",
                        {"--partition", "test", "--madminer-partitions"}),
                "partition test has no events");
  ExpectExitTwo(testing::RunGoldmine({"xsec",
                                      "--events",
                                      events.string(),
                                      "--theta",
                                      "0,0",
                                      "--partition",
                                      "validation"}),
                "partition validation has no events");
  ExpectExitTwo(Augment(events, folder, "benchmark:sm", {"--partition", "x"}),
                "partition \"x\" unknown");
  std::filesystem::remove_all(folder);
}

// θ outside the parameter ranges (docs in augmenter.h): explicit points and
// Gaussian priors may leave the ranges (the morphing is exact everywhere, as
// in MadMiner); specifications that are defined by the ranges (uniform
// priors, grids) are errors when a range is empty or not finite.
TEST(AugmentCommand, ThetaOutsideRanges) {
  if (testing::FindReference("madminer/toy_events.h5").empty()) {
    GTEST_SKIP() << "MadMiner reference data absent";
  }
  const auto folder = testing::MakeScratchFolder("augment_ranges");
  const auto toy = testing::FindReference("madminer/toy_events.h5");
  EXPECT_EQ(Augment(toy, folder, "point:2.5,-3").exit_code, 0);
  const auto events =
      EditedToyEvents(folder, "empty_range.h5", [](mining::MadminerEvents& e) {
        e.setup.parameters[0].range = {0.5, 0.5};
      });
  ExpectExitTwo(Augment(events, folder, "random:5:uniform"),
                "parameter c1 has an empty range");
  ExpectExitTwo(Augment(events, folder, "grid:3,3"),
                "parameter c1 has an empty range");
  ExpectExitTwo(
      testing::RunGoldmine(
          {"xsec", "--events", events.string(), "--theta", "grid:5,5"}),
      "\"grid:5,5\": parameter c1 has an empty range");
  // One grid point per parameter needs no width; explicit points are fine.
  EXPECT_EQ(Augment(events, folder, "grid:1,3").exit_code, 0);
  EXPECT_EQ(Augment(events, folder, "0.9,0.2").exit_code, 0);
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace goldmine
