// `goldmine surrogate train|cls|upper-limit|validate` end to end (issue 18)
// on a small two-region workspace: the surrogate's CLs and limits come out
// with the keys of `histfactory cls|upper-limit` and close to the full
// likelihood's; bad input exits 2 with one line naming the file and what is
// wrong, and leaves no output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;
using testing::RunGoldmine;

// The signal lives in the signal region only and has its own normsys (which
// the yields-only surrogate leaves out); the workspace's signal is the
// signal point.
constexpr const char* kWorkspace = R"({
  "channels": [
    {"name": "sr", "samples": [
      {"name": "signal", "data": [4.0, 6.0],
       "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
      {"name": "background", "data": [30.0, 12.0],
       "modifiers": [{"name": "k_bkg", "type": "normfactor", "data": null},
                     {"name": "jes", "type": "histosys",
                      "data": {"hi_data": [33.0, 12.5],
                               "lo_data": [27.5, 11.0]}}]}]},
    {"name": "cr", "samples": [
      {"name": "background", "data": [200.0],
       "modifiers": [{"name": "k_bkg", "type": "normfactor", "data": null},
                     {"name": "jes", "type": "histosys",
                      "data": {"hi_data": [204.0], "lo_data": [197.0]}}]}]}],
  "observations": [{"name": "sr", "data": [36.0, 14.0]},
                   {"name": "cr", "data": [205.0]}],
  "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
  "version": "1.0.0"})";

class SurrogateCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = testing::MakeScratchFolder("surrogate_command");
    std::ofstream(Path("ws.json")) << kWorkspace;
    const auto trained = RunGoldmine({"surrogate",
                                      "train",
                                      Path("ws.json"),
                                      "--output",
                                      Path("s.onnx"),
                                      "--points",
                                      "3000",
                                      "--hidden",
                                      "64,64",
                                      "--epochs",
                                      "500",
                                      "--seed",
                                      "5",
                                      "--quiet"});
    train_exit_ = trained.exit_code;
    train_out_ = trained.out;
    train_err_ = trained.err;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(folder_); }
  void SetUp() override { ASSERT_EQ(train_exit_, 0) << train_err_; }
  static std::string Path(const std::string& name) {
    return (folder_ / name).string();
  }
  static std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(Path(name)) << text;
    return Path(name);
  }

  static std::filesystem::path folder_;
  static int train_exit_;
  static std::string train_out_, train_err_;
};
std::filesystem::path SurrogateCommand::folder_;
int SurrogateCommand::train_exit_ = -1;
std::string SurrogateCommand::train_out_;
std::string SurrogateCommand::train_err_;

TEST_F(SurrogateCommand, TrainsAndAnswersLikeTheFullLikelihood) {
  const Json summary = Json::parse(train_out_);
  EXPECT_EQ(summary.at("inputs"), Json::array({"sr[0]", "sr[1]"}));
  EXPECT_EQ(summary.at("training_points"), 3000);
  // Unweighted, over Δ up to ~30: the CLs checks below are the real test.
  EXPECT_LT(summary.at("validation_rmse").at("delta_twice_nll_obs"), 0.3);

  const std::string yields = Write("y.json", R"({"sr": [4.0, 6.0]})");
  const auto cls =
      RunGoldmine({"surrogate", "cls", Path("s.onnx"), "--signal", yields});
  ASSERT_EQ(cls.exit_code, 0) << cls.err;
  const Json got = Json::parse(cls.out);
  const auto full = RunGoldmine({"histfactory", "cls", Path("ws.json")});
  ASSERT_EQ(full.exit_code, 0) << full.err;
  const Json expected = Json::parse(full.out);
  for (const char* key : {"CLs_obs",
                          "CLs_exp",
                          "CLsb_obs",
                          "CLb_obs",
                          "test_stat",
                          "poi_value",
                          "teststat_obs",
                          "teststat_asimov",
                          "poi_hat",
                          "converged"}) {
    EXPECT_TRUE(got.contains(key)) << key;
  }
  EXPECT_NEAR(got.at("CLs_obs").get<double>(),
              expected.at("CLs_obs").get<double>(),
              0.02);
  EXPECT_NEAR(got.at("CLs_exp").at(2).get<double>(),
              expected.at("CLs_exp").at(2).get<double>(),
              0.02);

  const auto limit = RunGoldmine(
      {"surrogate", "upper-limit", Path("s.onnx"), "--signal", yields});
  ASSERT_EQ(limit.exit_code, 0) << limit.err;
  const auto full_limit =
      RunGoldmine({"histfactory", "upper-limit", Path("ws.json")});
  ASSERT_EQ(full_limit.exit_code, 0) << full_limit.err;
  const double obs = Json::parse(limit.out).at("obs");
  const double full_obs = Json::parse(full_limit.out).at("obs");
  EXPECT_NEAR(obs / full_obs, 1.0, 0.05) << obs << " vs " << full_obs;
  EXPECT_TRUE(Json::parse(limit.out).at("converged").get<bool>());

  const auto validation = RunGoldmine({"surrogate",
                                       "validate",
                                       Path("s.onnx"),
                                       Path("ws.json"),
                                       "--points",
                                       "40",
                                       "--limits",
                                       "5",
                                       "--quiet"});
  ASSERT_EQ(validation.exit_code, 0) << validation.err;
  const Json report = Json::parse(validation.out);
  EXPECT_EQ(report.at("n_points"), 40);
  EXPECT_GT(report.at("n_in_range").get<int>(), 5);
  EXPECT_LE(report.at("max_abs_delta_cls").get<double>(), 0.02);
  EXPECT_GE(report.at("decision_agreement").get<double>(), 0.95);
  EXPECT_LE(report.at("max_relative_limit_difference").get<double>(), 0.05);
  // No speed claim here: on a 3-bin workspace a profiled fit is as cheap as
  // a network call (bench/surrogate_quality.sh measures the ratio).
  EXPECT_GT(report.at("seconds_per_surrogate_cls").get<double>(), 0.0);
}

TEST_F(SurrogateCommand, BadYieldsExitTwoNamingTheChannel) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"sr": [1.0]})", "sr: expected 2 yields, got 1"},
      {R"({"sr": [1.0, 2.0], "vr": [3.0]})", "unknown channel \"vr\""},
      {R"({"sr": [1.0, "a"]})", "sr[1]: expected a finite number"},
      {R"({"sr": [1e6, 1e6]})", "outside the surrogate's validity range"},
  };
  for (const auto& [text, message] : cases) {
    const std::string yields = Write("bad.json", text);
    const auto result =
        RunGoldmine({"surrogate", "cls", Path("s.onnx"), "--signal", yields});
    EXPECT_EQ(result.exit_code, 2) << text << "\n" << result.err;
    EXPECT_THAT(result.err, HasSubstr(message)) << text;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
  }
}

TEST_F(SurrogateCommand, FilesThatAreNotGoldmineSurrogatesExitTwo) {
  const std::string yields = Write("y.json", R"({"sr": [4.0, 6.0]})");
  const std::string junk = Write("junk.onnx", "not a protobuf at all");
  auto result = RunGoldmine({"surrogate", "cls", junk, "--signal", yields});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("junk.onnx"));

  if (std::system("/usr/bin/python3 -c 'import onnx' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3-onnx absent (scripts/setup.sh installs it)";
  }
  const auto edit = [&](const std::string& output, const std::string& change) {
    const std::string command =
        "/usr/bin/python3 " +
        testing::ShellQuoted(
            (testing::SourceDir() / "tests/onnx/edit_metadata.py").string()) +
        " " + testing::ShellQuoted(Path("s.onnx")) + " " +
        testing::ShellQuoted(Path(output)) + " " + testing::ShellQuoted(change);
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  };
  edit("v2.onnx", "goldmine.format_version=2");
  edit("estimator.onnx", "goldmine.format=goldmine-onnx");
  edit("no_validity.onnx", "-goldmine.surrogate.validity");
  edit("foreign.onnx", "-goldmine.format");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"v2.onnx", "format version \"2\""},
      {"estimator.onnx", "not a goldmine likelihood surrogate"},
      {"no_validity.onnx", "goldmine.surrogate.validity"},
      {"foreign.onnx", "not a goldmine likelihood surrogate"},
  };
  for (const auto& [file, message] : cases) {
    for (const char* sub : {"cls", "upper-limit"}) {
      result = RunGoldmine({"surrogate",
                            sub,
                            Path(file),
                            "--signal",
                            yields,
                            "--output",
                            Path("never.json")});
      EXPECT_EQ(result.exit_code, 2) << file << "\n" << result.err;
      EXPECT_THAT(result.err, HasSubstr(file));
      EXPECT_THAT(result.err, HasSubstr(message));
      EXPECT_FALSE(std::filesystem::exists(Path("never.json")));
    }
  }
}

// A pyhf PatchSet (digest verified) gives the signal points; a wrong one is
// refused naming the file.
TEST_F(SurrogateCommand, PatchSetGivesTheSignalPoints) {
  const auto workspace = testing::FindReference(
      "histfactory/workspaces/test_patchset_example.json");
  const auto patchset = testing::FindReference(
      "histfactory/patches/test_patchset_example.patchset.json");
  if (workspace.empty() || patchset.empty()) {
    GTEST_SKIP() << "HistFactory reference data absent";
  }
  auto result = RunGoldmine({"surrogate",
                             "train",
                             workspace.string(),
                             "--patchset",
                             patchset.string(),
                             "--output",
                             Path("ps.onnx"),
                             "--points",
                             "600",
                             "--epochs",
                             "30",
                             "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json summary = Json::parse(result.out);
  EXPECT_EQ(summary.at("signal_points"), 1);
  EXPECT_EQ(summary.at("inputs"), Json::array({"channel1[0]", "channel1[1]"}));
  // The PatchSet's digest names another workspace.
  result = RunGoldmine({"surrogate",
                        "train",
                        Path("ws.json"),
                        "--patchset",
                        patchset.string(),
                        "--output",
                        Path("bad.onnx"),
                        "--quiet"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_FALSE(std::filesystem::exists(Path("bad.onnx")));
}

TEST_F(SurrogateCommand, TrainRefusesBadOptionsAndItsOwnInputAsOutput) {
  auto result = RunGoldmine(
      {"surrogate", "train", Path("ws.json"), "--output", Path("ws.json")});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  result = RunGoldmine({"surrogate",
                        "train",
                        Path("ws.json"),
                        "--output",
                        Path("x.onnx"),
                        "--points",
                        "3"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("num_points"));
  result = RunGoldmine({"surrogate",
                        "train",
                        Path("ws.json"),
                        "--output",
                        Path("x.onnx"),
                        "--hidden",
                        "64,,2"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("--hidden"));
  result = RunGoldmine({"surrogate", "frobnicate"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_FALSE(std::filesystem::exists(Path("x.onnx")));
}

}  // namespace
}  // namespace goldmine
