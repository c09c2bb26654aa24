// Sharded mining (issue 19): `mine --shard I/N` and `mine --sample K` write
// partial events files that `goldmine merge` joins into the very file a
// single `goldmine mine` writes, byte for byte (so every dataset, every
// attribute and the row order are the same), with smearing on so that every
// event draws random numbers. Parts of another run, missing or repeated
// shards, and files that are not parts exit 2 naming the file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

std::string Bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class MineShards : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = testing::MakeScratchFolder("mine_shards");
    const std::string benchmarks =
        (testing::SourceDir() / "examples/toy/benchmarks.yaml").string();
    for (const auto& [name, seed, events] :
         {std::tuple<const char*, const char*, const char*>{"a", "1", "1500"},
          {"b", "2", "1001"}}) {
      const auto generated =
          testing::RunGoldmine({"generate",
                                "toy",
                                "--events",
                                events,
                                "--seed",
                                seed,
                                "--output",
                                Path(std::string(name) + ".hepmc3"),
                                "--benchmarks",
                                benchmarks});
      ASSERT_EQ(generated.exit_code, 0) << generated.err;
    }
    std::ofstream(Path("config.yaml"))
        << "parameters:\n"
           "  c1: {lha_block: dim6, lha_id: 2, max_power: 2, range: [-1, 1]}\n"
           "  c2: {lha_block: dim6, lha_id: 5, max_power: 2, range: [-1, 1]}\n"
           "benchmarks:\n  sm: {}\n  b1: {c1: 0.9}\n  b2: {c1: -0.9}\n"
           "  b3: {c2: 0.9}\n  b4: {c2: -0.9}\n  b5: {c1: 0.7, c2: 0.7}\n"
           "samples:\n"
           "  - {file: " +
               Path("a.hepmc3") +
               ", sampled_from: sm}\n"
               "  - {file: " +
               Path("b.hepmc3") +
               ", sampled_from: b1}\n"
               "objects: {level: parton}\n"
               "smearing: atlas-like\n"
               "observables:\n  pt: j[0].pt\n  eta: j[0].eta\n"
               "  dphi: j[0].deltaphi(j[1])\n"
               "cuts: [pt > 20]\n"
               "seed: 7\n";
    const auto mined = testing::RunGoldmine(
        {"mine", Path("config.yaml"), "--output", Path("single.h5")});
    ASSERT_EQ(mined.exit_code, 0) << mined.err;
  }
  static void TearDownTestSuite() { fs::remove_all(folder_); }
  static std::string Path(const std::string& name) {
    return (folder_ / name).string();
  }
  static void MinePart(const std::string& output,
                       const std::vector<std::string>& extra) {
    std::vector<std::string> arguments = {
        "mine", Path("config.yaml"), "--output", Path(output)};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    const auto result = testing::RunGoldmine(arguments);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  static testing::CommandResult Merge(const std::vector<std::string>& parts,
                                      const std::string& output) {
    std::vector<std::string> arguments = {"merge"};
    for (const std::string& part : parts) arguments.push_back(Path(part));
    arguments.push_back("--output");
    arguments.push_back(Path(output));
    return testing::RunGoldmine(arguments);
  }
  static fs::path folder_;
};
fs::path MineShards::folder_;

TEST_F(MineShards, FourShardsMergeIntoTheSingleRunFile) {
  for (int i = 0; i < 4; ++i) {
    MinePart("shard" + std::to_string(i) + ".h5",
             {"--shard", std::to_string(i) + "/4"});
  }
  // The order of the parts on the command line does not matter.
  const auto merged =
      Merge({"shard2.h5", "shard0.h5", "shard3.h5", "shard1.h5"}, "m4.h5");
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_THAT(merged.out, HasSubstr("\"events_written\""));
  const std::string single = Bytes(Path("single.h5"));
  ASSERT_GT(single.size(), 1000u);
  EXPECT_TRUE(Bytes(Path("m4.h5")) == single)
      << "the merged file differs from the single run's";
}

TEST_F(MineShards, PerFileAndMixedPartsMergeIntoTheSingleRunFile) {
  MinePart("sample0.h5", {"--sample", "0"});
  MinePart("sample1.h5", {"--sample", "1"});
  auto merged = Merge({"sample1.h5", "sample0.h5"}, "per_file.h5");
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  const std::string single = Bytes(Path("single.h5"));
  EXPECT_TRUE(Bytes(Path("per_file.h5")) == single);
  // Sample 0 in three shards, sample 1 whole.
  for (int i = 0; i < 3; ++i) {
    MinePart("s0_" + std::to_string(i) + ".h5",
             {"--sample", "0", "--shard", std::to_string(i) + "/3"});
  }
  merged = Merge({"s0_0.h5", "sample1.h5", "s0_2.h5", "s0_1.h5"}, "mixed.h5");
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_TRUE(Bytes(Path("mixed.h5")) == single);
}

// LHE with event_norm = average (weights divided by the file's event count,
// which every shard counts with the fast EventReader::Skip), 2 reweighting
// weights, leptons of varied momenta; 7 shards of 20 events leave shards of
// 2 and 3 events.
TEST_F(MineShards, LheShardsWithAverageNormalisationMergeExactly) {
  std::string lhe =
      "<LesHouchesEvents version=\"3.0\">\n<header>\n average = event_norm\n"
      "<initrwgt>\n<weightgroup name='mg_reweighting'>\n"
      "<weight id='w1'>set param_card smeft 7 0.5\n</weight>\n"
      "</weightgroup>\n</initrwgt>\n</header>\n<init>\n2212 2212 6500 "
      "6500 0 0 0 0 3 1\n1 0 1 1\n</init>\n";
  for (int i = 0; i < 20; ++i) {
    const std::string px = std::to_string(10.0 + 7.0 * i);
    const std::string py = std::to_string(3.0 * (i % 5));
    lhe += "<event>\n 2 1 2.0 100 0.0078 0.118\n 11 1 0 0 0 0 " + px + " " +
           py + " 5 100 0 0 9\n -11 1 0 0 0 0 -" + px + " -" + py +
           " -5 100 0 0 9\n<rwgt>\n<wgt id='w1'> " +
           std::to_string(1.0 + 0.1 * i) + " </wgt>\n</rwgt>\n</event>\n";
  }
  lhe += "</LesHouchesEvents>\n";
  std::ofstream(Path("dy.lhe")) << lhe;
  std::ofstream(Path("lhe.yaml"))
      << "parameters:\n  cHW: {lha_block: smeft, lha_id: 7, range: [-1, 1]}\n"
         "benchmarks:\n  sm: {}\n  w1: {cHW: 0.5}\n"
         "samples:\n  - {file: " +
             Path("dy.lhe") +
             ", sampled_from: sm}\n"
             "smearing: atlas-like\n"
             "observables:\n  pt_l: l[0].pt\n  m_ll: (l[0] + l[1]).m\n"
             "seed: 3\n";
  auto result = testing::RunGoldmine(
      {"mine", Path("lhe.yaml"), "--output", Path("lhe_single.h5")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> parts;
  for (int i = 0; i < 7; ++i) {
    parts.push_back("lhe" + std::to_string(i) + ".h5");
    result = testing::RunGoldmine({"mine",
                                   Path("lhe.yaml"),
                                   "--output",
                                   Path(parts.back()),
                                   "--shard",
                                   std::to_string(i) + "/7"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  result = Merge(parts, "lhe_merged.h5");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string single = Bytes(Path("lhe_single.h5"));
  ASSERT_GT(single.size(), 1000u);
  EXPECT_TRUE(Bytes(Path("lhe_merged.h5")) == single);
}

// More threads than samples: every sample is mined in event ranges at once,
// and the file is the one-thread file.
TEST_F(MineShards, ThreadsWithinASampleGiveTheSameFile) {
  std::string config = Bytes(Path("config.yaml"));
  const std::size_t second = config.find("  - {file: " + Path("b.hepmc3"));
  ASSERT_NE(second, std::string::npos);
  config.erase(second, config.find('\n', second) + 1 - second);
  std::ofstream(Path("one_sample.yaml")) << config;
  std::string reference;
  for (const char* threads : {"1", "2", "3"}) {
    const std::string output = Path(std::string("threads") + threads + ".h5");
    const auto result = testing::RunGoldmine({"mine",
                                              Path("one_sample.yaml"),
                                              "--output",
                                              output,
                                              "--threads",
                                              threads});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    if (reference.empty()) {
      reference = Bytes(output);
      ASSERT_GT(reference.size(), 1000u);
    } else {
      EXPECT_TRUE(Bytes(output) == reference) << threads << " threads";
    }
  }
  // Two samples on 4 threads: two ranges each.
  const auto result = testing::RunGoldmine({"mine",
                                            Path("config.yaml"),
                                            "--output",
                                            Path("four.h5"),
                                            "--threads",
                                            "4"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(Bytes(Path("four.h5")) == Bytes(Path("single.h5")));
}

TEST_F(MineShards, IncompleteForeignOrNonPartialInputsExitTwo) {
  MinePart("p0.h5", {"--shard", "0/2"});
  MinePart("p1.h5", {"--shard", "1/2"});
  auto result = Merge({"p0.h5"}, "out.h5");
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("do not cover sample 0"));
  result = Merge({"p0.h5", "p1.h5", "p1.h5"}, "out.h5");
  EXPECT_EQ(result.exit_code, 2) << result.err;
  result = Merge({"p0.h5", "single.h5"}, "out.h5");
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("single.h5: not a partial events file"));
  // Another configuration (another seed) is another run.
  std::string config = Bytes(Path("config.yaml"));
  config.replace(config.find("seed: 7"), 7, "seed: 8");
  std::ofstream(Path("other.yaml")) << config;
  const auto other = testing::RunGoldmine({"mine",
                                           Path("other.yaml"),
                                           "--output",
                                           Path("other1.h5"),
                                           "--shard",
                                           "1/2"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  result = Merge({"p0.h5", "other1.h5"}, "out.h5");
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr("other1.h5: belongs to another mining run"));
  result = Merge({"p0.h5", "p1.h5"}, "p0.h5");
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_FALSE(fs::exists(Path("out.h5")));
  for (const char* shard : {"2/2", "-1/2", "1/0", "a/b", "1"}) {
    const auto bad = testing::RunGoldmine({"mine",
                                           Path("config.yaml"),
                                           "--output",
                                           Path("bad.h5"),
                                           "--shard",
                                           shard});
    EXPECT_EQ(bad.exit_code, 2) << shard << bad.err;
    EXPECT_THAT(bad.err, HasSubstr("--shard")) << shard;
  }
  const auto bad = testing::RunGoldmine({"mine",
                                         Path("config.yaml"),
                                         "--output",
                                         Path("bad.h5"),
                                         "--sample",
                                         "2"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("sample 2 does not exist"));
}

}  // namespace
}  // namespace goldmine
