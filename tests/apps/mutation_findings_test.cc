// What the second mutation campaign (issue 15; 10,000 mutated inputs through
// the CLI) found, each on the real binary: exit 2 with one line naming the
// file and the place, never a crash, an exit 1, a destroyed input or a null.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

class MutationFindingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("mutation_findings");
  }
  void TearDown() override { fs::remove_all(folder_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(folder_ / name, std::ios::binary) << text;
    return (folder_ / name).string();
  }
  std::string Path(const std::string& name) const {
    return (folder_ / name).string();
  }

  // Exit 2, one line on stderr containing every piece of `expected`.
  static void ExpectRefused(const testing::CommandResult& result,
                            const std::vector<std::string>& expected) {
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
    for (const std::string& text : expected)
      EXPECT_THAT(result.err, HasSubstr(text));
  }

  // goldmine generate toy, 5 events, with a benchmarks file.
  static testing::CommandResult GenerateToy(const std::string& benchmarks,
                                            const std::string& output) {
    return testing::RunGoldmine({"generate",
                                 "toy",
                                 "--events",
                                 "5",
                                 "--seed",
                                 "1",
                                 "--benchmarks",
                                 benchmarks,
                                 "--output",
                                 output});
  }

  fs::path folder_;
};

// A one-bin workspace whose background yield and shapesys data are given.
std::string Workspace(double background, double shapesys) {
  nlohmann::json ws = nlohmann::json::parse(R"({
    "channels": [{"name": "ch", "samples": [
      {"name": "signal", "data": [5.0],
       "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
      {"name": "background", "data": [50.0], "modifiers": [
        {"name": "unc", "type": "shapesys", "data": [6.0]}]}]}],
    "observations": [{"name": "ch", "data": [50.0]}],
    "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
    "version": "1.0.0"})");
  ws["channels"][0]["samples"][1]["data"][0] = background;
  ws["channels"][0]["samples"][1]["modifiers"][0]["data"][0] = shapesys;
  return ws.dump();
}

// A negative background makes the background-only rate negative: pyhf's
// CLs is NaN, goldmine's was exit 1 ("a CLs result is not finite").
TEST_F(MutationFindingsTest, NegativeBackgroundOnlyRateIsNamed) {
  const std::string ws = Write("ws.json", Workspace(-1.0, 6.0));
  for (const char* command : {"cls", "upper-limit"}) {
    ExpectRefused(testing::RunGoldmine({"histfactory", command, ws}),
                  {ws + ": channels[0].samples[1].data[0]: ",
                   "expects -1 events at mu = 0"});
  }
}

// 10^8 expected events against a shapesys of 6: whatever the engine makes
// of it, the answer is a number or exit 2 naming the file, never exit 1.
TEST_F(MutationFindingsTest, HugeYieldWithATinyConstraintIsNoInternalError) {
  const std::string ws = Write("ws.json", Workspace(1e8, 6.0));
  for (const char* command : {"fit", "cls", "upper-limit"}) {
    const auto result = testing::RunGoldmine({"histfactory", command, ws});
    EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 2)
        << command << ": " << result.err;
    EXPECT_THAT(result.out, Not(HasSubstr("null"))) << command;
    if (result.exit_code == 2) {
      EXPECT_THAT(result.err, HasSubstr(ws));
    }
  }
}

// `goldmine setup` wrote its HDF5 output over the configuration, or over
// the event file the configuration reads its benchmarks from.
TEST_F(MutationFindingsTest, SetupRefusesToOverwriteWhatItsConfigReads) {
  const fs::path lhe = testing::SharedDir() /
                       "data/events/mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz";
  if (!fs::exists(lhe)) GTEST_SKIP() << "shared event files absent";
  fs::copy_file(lhe, folder_ / "dy.lhe.gz");
  const std::string config = Write(
      "config.yaml",
      "parameters:\n"
      "  cHWB: {lha_block: smeft, lha_id: 9, max_power: 1, range: [-1, 1]}\n"
      "benchmarks_from_reweight_header:\n"
      "  file: dy.lhe.gz\n"
      "  include: [SM, cHWB_0p1]\n"
      "samples:\n"
      "  - {file: sample.lhe, sampled_from: SM}\n");
  const std::string sample = Write("sample.lhe", "not read by setup");
  for (const std::string& input : {config, Path("dy.lhe.gz"), sample}) {
    const std::string before = testing::ReadText(input);
    ExpectRefused(testing::RunGoldmine({"setup", config, "--output", input}),
                  {"is also an input", input});
    EXPECT_EQ(testing::ReadText(input), before) << input;
  }
}

TEST_F(MutationFindingsTest, GenerateRefusesToOverwriteItsBenchmarks) {
  const std::string benchmarks =
      Write("b.yaml", "benchmarks:\n  sm: {}\n  c1: {c1: 0.5}\n");
  ExpectRefused(GenerateToy(benchmarks, benchmarks),
                {"is also an input", benchmarks});
  EXPECT_EQ(testing::ReadText(benchmarks),
            "benchmarks:\n  sm: {}\n  c1: {c1: 0.5}\n");
}

// An invalid byte in a benchmark name reached nlohmann::json after the
// events were written: exit 1. Now the file is refused when it is read.
TEST_F(MutationFindingsTest, InvalidUtf8InABenchmarksFileIsNamedWithItsLine) {
  const std::string benchmarks =
      Write("b.yaml", "benchmarks:\n  \xe2(\xa1sm: {}\n");
  ExpectRefused(GenerateToy(benchmarks, Path("toy.hepmc3")),
                {benchmarks + ", line 2: invalid UTF-8 (byte 0xe2)"});
  EXPECT_FALSE(fs::exists(Path("toy.hepmc3")));
}

// An empty file name resolved to "" and the message named nothing.
TEST_F(MutationFindingsTest, AnEmptyFileNameIsNamedWithItsLine) {
  const std::string config =
      Write("config.yaml",
            "parameters:\n"
            "  c1: {lha_block: x, lha_id: 1, max_power: 1, range: [-1, 1]}\n"
            "benchmarks_from_reweight_header:\n"
            "  file: ''\n");
  ExpectRefused(
      testing::RunGoldmine({"setup", config, "--output", Path("s.h5")}),
      {config + ", line 4: ", "file", "expected a file name"});
}

// Requests no memory holds (std::bad_alloc, exit 1) are refused up front.
TEST_F(MutationFindingsTest, HugeGridsAndSampleCountsAreRefused) {
  const fs::path events = testing::FindReference("madminer/toy_events.h5");
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  ExpectRefused(testing::RunGoldmine({"limits",
                                      "--events",
                                      events.string(),
                                      "--method",
                                      "rate",
                                      "--grid",
                                      "c1:-1:1:100000,c2:-1:1:100000"}),
                {"--grid", "1e+10 points; at most 10^7"});
  ExpectRefused(testing::RunGoldmine({"augment",
                                      "local",
                                      "--events",
                                      events.string(),
                                      "--output",
                                      Path("s.h5"),
                                      "--n-samples",
                                      "1000000000",
                                      "--seed",
                                      "1",
                                      "--theta",
                                      "benchmark:sm"}),
                {"--n-samples 1000000000: expected a count from 1 to 10^8"});
  ExpectRefused(testing::RunGoldmine({"augment",
                                      "ratio",
                                      "--events",
                                      events.string(),
                                      "--output",
                                      Path("s.h5"),
                                      "--n-samples",
                                      "10",
                                      "--seed",
                                      "1",
                                      "--theta0",
                                      "random:1000000000:uniform",
                                      "--theta1",
                                      "benchmark:sm"}),
                {"random:1000000000:uniform", "more than 10^7 points"});
}

// Infinite histogram edges were written as null.
TEST_F(MutationFindingsTest, HistogramEdgesHaveNoNull) {
  const fs::path events = testing::FindReference("madminer/toy_events.h5");
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const auto result = testing::RunGoldmine({"fisher",
                                            "histogram",
                                            "--events",
                                            events.string(),
                                            "--theta",
                                            "0,0",
                                            "--observable",
                                            "pt",
                                            "--bins",
                                            "40,80"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, Not(HasSubstr("null")));
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["histogram_edges"],
            nlohmann::json::parse(R"([["-inf", 40.0, 80.0, "inf"]])"));
}

// "measurement "meas" has different POIs" named neither workspace.
TEST_F(MutationFindingsTest, CombineConflictsNameTheWorkspaces) {
  nlohmann::json left = nlohmann::json::parse(Workspace(50.0, 6.0));
  nlohmann::json right = left;
  right["channels"][0]["name"] = "other";
  right["observations"][0]["name"] = "other";
  right["measurements"][0]["config"]["poi"] = "nu";
  right["channels"][0]["samples"][0]["modifiers"][0]["name"] = "nu";
  const std::string a = Write("a.json", left.dump());
  const std::string b = Write("b.json", right.dump());
  ExpectRefused(
      testing::RunGoldmine({"histfactory", "combine", a, b, "--join", "outer"}),
      {a + " and " + b + ": ", "different POIs"});
}

}  // namespace
}  // namespace goldmine
