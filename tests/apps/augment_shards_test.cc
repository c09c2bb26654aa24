// `goldmine augment --shard I/N` and `goldmine merge` of samples shards
// (issue 19): the merged shards are the sample one augment run draws, for
// 1, 2 and 4 shards and every kind of draw (single θ, ratio with random θ0
// points, more-ratios with additional points), and bad shard sets exit 2
// naming the file and what is wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "goldmine/mining/sample_file.h"
#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/sanitized.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

// 4.5 blocks of draws (mining::kSampleBlockSize = 10000): the last block is
// partial and 4 shards get uneven block counts.
constexpr const char* kSamples = "45000";

class AugmentShards : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = testing::MakeScratchFolder("augment_shards");
    const auto generated = testing::RunGoldmine(
        {"generate",
         "toy",
         "--events",
         "3000",
         "--seed",
         "3",
         "--output",
         Path("toy.hepmc3"),
         "--benchmarks",
         (testing::SourceDir() / "examples/toy/benchmarks.yaml").string()});
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    std::ofstream(Path("config.yaml"))
        << "parameters:\n"
           "  c1: {lha_block: dim6, lha_id: 2, max_power: 2, range: [-1, 1]}\n"
           "  c2: {lha_block: dim6, lha_id: 5, max_power: 2, range: [-1, 1]}\n"
           "benchmarks:\n  sm: {}\n  b1: {c1: 0.9}\n  b2: {c1: -0.9}\n"
           "  b3: {c2: 0.9}\n  b4: {c2: -0.9}\n  b5: {c1: 0.7, c2: 0.7}\n"
           "morphing: {max_overall_power: 2}\n"
           "samples:\n  - {file: " +
               Path("toy.hepmc3") +
               ", sampled_from: sm}\n"
               "objects: {level: parton}\n"
               "observables:\n  pt: j[0].pt\n  eta: j[0].eta\n"
               "cuts: [pt > 20]\n";
    const auto mined = testing::RunGoldmine(
        {"mine", Path("config.yaml"), "--output", Path("events.h5")});
    ASSERT_EQ(mined.exit_code, 0) << mined.err;
  }
  static void TearDownTestSuite() { fs::remove_all(folder_); }
  static std::string Path(const std::string& name) {
    return (folder_ / name).string();
  }

  // `goldmine augment` with the method's θ options into `output`.
  static testing::CommandResult Augment(const std::string& method,
                                        const std::string& output,
                                        const std::vector<std::string>& extra,
                                        const std::string& seed = "11",
                                        const std::string& samples = kSamples) {
    std::vector<std::string> arguments = {"augment",
                                          method,
                                          "--events",
                                          Path("events.h5"),
                                          "--output",
                                          Path(output),
                                          "--n-samples",
                                          samples,
                                          "--seed",
                                          seed};
    if (method == "local") {
      arguments.insert(arguments.end(), {"--theta", "benchmark:sm"});
    } else {
      arguments.insert(
          arguments.end(),
          {"--theta0", "random:7:uniform", "--theta1", "benchmark:sm"});
    }
    if (method == "more-ratios") {
      arguments.insert(arguments.end(),
                       {"--additional-theta", "point:0.5,-0.5"});
    }
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return testing::RunGoldmine(arguments);
  }

  // Shards I/N of `method` merged (in reverse order on the command line)
  // into `output`.
  static void ShardAndMerge(const std::string& method,
                            int shards,
                            const std::string& output) {
    std::vector<std::string> merge = {"merge"};
    for (int i = shards - 1; i >= 0; --i) {
      const std::string part = method + "_" + std::to_string(i) + "of" +
                               std::to_string(shards) + ".h5";
      const auto result = Augment(
          method,
          part,
          {"--shard", std::to_string(i) + "/" + std::to_string(shards)});
      ASSERT_EQ(result.exit_code, 0) << result.err;
      merge.push_back(Path(part));
    }
    merge.insert(merge.end(), {"--output", Path(output)});
    const auto merged = testing::RunGoldmine(merge);
    ASSERT_EQ(merged.exit_code, 0) << merged.err;
    EXPECT_THAT(merged.out, HasSubstr("\"n_samples\""));
  }

  static void ExpectSameSample(const std::string& expected,
                               const std::string& actual) {
    const mining::SampleData a = mining::ReadSamples(Path(expected));
    const mining::SampleData b = mining::ReadSamples(Path(actual));
    EXPECT_EQ(b.method, a.method);
    EXPECT_EQ(b.seed, a.seed);
    EXPECT_EQ(b.theta_specs, a.theta_specs);
    EXPECT_EQ(b.partition, a.partition);
    EXPECT_EQ(b.n_eff, a.n_eff);
    EXPECT_EQ(b.num_shards, 1);
    for (const auto member : {&mining::SampleData::x,
                              &mining::SampleData::theta0,
                              &mining::SampleData::theta1,
                              &mining::SampleData::y,
                              &mining::SampleData::r_xz,
                              &mining::SampleData::t_xz,
                              &mining::SampleData::t_xz1}) {
      ASSERT_EQ((b.*member).rows(), (a.*member).rows()) << actual;
      ASSERT_EQ((b.*member).cols(), (a.*member).cols()) << actual;
      EXPECT_TRUE((b.*member) == (a.*member))
          << actual << " differs from " << expected;
    }
  }

  static fs::path folder_;
};
fs::path AugmentShards::folder_;

TEST_F(AugmentShards, MergedShardsAreTheSingleRunSample) {
  GOLDMINE_SKIP_LONG_CHECK_WHEN_SANITIZED();
  for (const std::string method : {"local", "ratio", "more-ratios"}) {
    SCOPED_TRACE(method);
    const auto single = Augment(method, method + ".h5", {});
    ASSERT_EQ(single.exit_code, 0) << single.err;
    // One shard is the whole sample, written directly.
    const auto one = Augment(method, method + "_1.h5", {"--shard", "0/1"});
    ASSERT_EQ(one.exit_code, 0) << one.err;
    ExpectSameSample(method + ".h5", method + "_1.h5");
    for (const int shards : {2, 4}) {
      const std::string merged =
          method + "_merged" + std::to_string(shards) + ".h5";
      ShardAndMerge(method, shards, merged);
      ExpectSameSample(method + ".h5", merged);
    }
  }
  // The sample is not one block repeated: rows of different blocks differ.
  const mining::SampleData sample = mining::ReadSamples(Path("ratio.h5"));
  // 7 θ0 points: round(22500 / 7) draws each from θ0 and θ1, as MadMiner.
  ASSERT_EQ(sample.num_samples(), 2 * 7 * 3214);
  EXPECT_FALSE(sample.x.topRows(10000) == sample.x.middleRows(10000, 10000));
}

// Issue 20: without --npy-folder, `augment` writes the sample piece by piece
// as it draws it (here 100000 draws a pass: 520000 draws are six pieces,
// the last partial). The file is the one the in-memory path writes.
TEST_F(AugmentShards, StreamedWritingGivesTheInMemorySample) {
  GOLDMINE_SKIP_LONG_CHECK_WHEN_SANITIZED();
  for (const std::string method : {"local", "ratio", "more-ratios"}) {
    SCOPED_TRACE(method);
    const auto streamed =
        Augment(method, method + "_streamed.h5", {}, "11", "520000");
    ASSERT_EQ(streamed.exit_code, 0) << streamed.err;
    const auto whole = Augment(method,
                               method + "_whole.h5",
                               {"--npy-folder", Path(method + "_npy")},
                               "11",
                               "520000");
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    if (method == "local") {  // ratio: round(260000 / 7) draws per point
      EXPECT_THAT(streamed.out, HasSubstr("\"n_samples\": 520000"));
    }
    ExpectSameSample(method + "_whole.h5", method + "_streamed.h5");
  }
}

TEST_F(AugmentShards, BadShardSetsExitTwoNamingTheProblem) {
  for (int i = 0; i < 2; ++i) {
    const auto part = Augment("local",
                              "bad_" + std::to_string(i) + ".h5",
                              {"--shard", std::to_string(i) + "/2"});
    ASSERT_EQ(part.exit_code, 0) << part.err;
  }
  const auto other_seed =
      Augment("local", "bad_seed.h5", {"--shard", "1/2"}, "12");
  ASSERT_EQ(other_seed.exit_code, 0) << other_seed.err;

  auto merge = [](const std::vector<std::string>& parts) {
    std::vector<std::string> arguments = {"merge"};
    for (const auto& part : parts) arguments.push_back(Path(part));
    arguments.insert(arguments.end(), {"--output", Path("bad_out.h5")});
    return testing::RunGoldmine(arguments);
  };
  const auto missing = merge({"bad_0.h5"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("shard 1/2 is missing"));
  const auto twice = merge({"bad_0.h5", "bad_1.h5", "bad_1.h5"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_THAT(twice.err, HasSubstr("given twice"));
  const auto foreign = merge({"bad_0.h5", "bad_seed.h5"});
  EXPECT_EQ(foreign.exit_code, 2);
  EXPECT_THAT(foreign.err, HasSubstr(Path("bad_seed.h5") + ": seed differs"));
  const auto unsharded = Augment("local", "bad_whole.h5", {});
  ASSERT_EQ(unsharded.exit_code, 0) << unsharded.err;
  const auto whole = merge({"bad_whole.h5"});
  EXPECT_EQ(whole.exit_code, 2);
  EXPECT_THAT(whole.err, HasSubstr("not a shard"));
  EXPECT_FALSE(fs::exists(Path("bad_out.h5")));

  // 45000 draws are 5 blocks: 6 shards cannot all get one.
  const auto too_many = Augment("local", "bad_6.h5", {"--shard", "0/6"});
  EXPECT_EQ(too_many.exit_code, 2);
  EXPECT_THAT(too_many.err, HasSubstr("expected at most 5 shard(s)"));
  const auto malformed = Augment("local", "bad_m.h5", {"--shard", "2/2"});
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_THAT(malformed.err, HasSubstr("expected I/N with 0 <= I < N"));
}

}  // namespace
}  // namespace goldmine
