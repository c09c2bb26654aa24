// `goldmine histfactory ...` on the real binary: every public pyhf reference
// case through the command line (fit, cls, upper-limit with the case's
// patches and measurement), workspace operations, and bad input exiting with
// code 2 and a one-line message naming the file and JSON path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "inference/reference_case.h"
#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::RunGoldmine;

// The case list is shared with the library tests.
using inference::reference::kCases;

std::string Reference(const std::string& relative) {
  return (testing::SharedDir() / "reference" / "histfactory" / relative)
      .string();
}

void ExpectRelative(double actual,
                    double expected,
                    double tolerance,
                    const std::string& what) {
  EXPECT_LE(std::abs(actual - expected),
            std::max(1e-12, tolerance * std::abs(expected)))
      << what << ": " << actual << " vs pyhf " << expected;
}

class HistFactoryCase : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    const auto path = testing::FindReference(
        std::string("histfactory/expected/") + GetParam() + ".json");
    if (path.empty()) GTEST_SKIP() << "reference data not found";
    expected_ = testing::ReadJson(path);
    arguments_ = {Reference(expected_["workspace"])};
    const json& patch = expected_["patch"];
    if (!patch.is_null()) {
      if (patch["type"] == "jsonpatch") {
        arguments_.insert(arguments_.end(),
                          {"--patch", Reference(patch["file"])});
      } else {
        arguments_.insert(arguments_.end(),
                          {"--patchset",
                           Reference(patch["file"]),
                           "--patch-name",
                           patch["name"].get<std::string>()});
      }
    }
    if (!expected_["measurement"].is_null()) {
      arguments_.insert(
          arguments_.end(),
          {"--measurement", expected_["measurement"].get<std::string>()});
    }
  }

  json Run(const std::string& subcommand,
           const std::vector<std::string>& extra = {}) {
    std::vector<std::string> arguments = {"histfactory", subcommand};
    arguments.insert(arguments.end(), arguments_.begin(), arguments_.end());
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    const testing::CommandResult result = RunGoldmine(arguments);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0 ? json::parse(result.out) : json();
  }

  json expected_;
  std::vector<std::string> arguments_;
};

TEST_P(HistFactoryCase, FitMatchesPyhf) {
  const json fit = Run("fit");
  const json& reference = expected_["reference"]["bestfit"];
  EXPECT_TRUE(fit["converged"].get<bool>());
  EXPECT_NEAR(fit["twice_nll"].get<double>(),
              reference["twice_nll"].get<double>(),
              1e-4);
  const json& poi = expected_["poi"];
  if (!poi.is_null()) {
    EXPECT_NEAR(fit["mle_parameters"][poi.get<std::string>()][0].get<double>(),
                reference["poi_hat"].get<double>(),
                1e-4);
    EXPECT_GT(fit["uncertainties"][poi.get<std::string>()][0].get<double>(),
              0.0);
  }
}

TEST_P(HistFactoryCase, ClsMatchesPyhf) {
  if (expected_["poi"].is_null()) GTEST_SKIP() << "POI-less model";
  for (const char* statistic : {"qtilde", "q"}) {
    const json cls = Run("cls", {"--test-stat", statistic});
    const json& reference =
        expected_["reference"][std::string("hypotest_") + statistic];
    ExpectRelative(cls["CLs_obs"], reference["CLs_obs"], 1e-3, "CLs_obs");
    for (int i = 0; i < 5; ++i) {
      ExpectRelative(
          cls["CLs_exp"][i],
          reference["CLs_exp_band"][i],
          1e-3,
          std::string(statistic) + " CLs_exp[" + std::to_string(i) + "]");
    }
  }
}

TEST_P(HistFactoryCase, UpperLimitMatchesPyhf) {
  if (expected_["poi"].is_null()) GTEST_SKIP() << "POI-less model";
  const json limit = Run("upper-limit");
  const json& reference = expected_["reference"]["upper_limit"];
  ExpectRelative(limit["obs"], reference["obs"], 1e-3, "obs");
  for (int i = 0; i < 5; ++i) {
    ExpectRelative(limit["exp"][i],
                   reference["exp_band"][i],
                   1e-3,
                   "exp[" + std::to_string(i) + "]");
  }
  EXPECT_EQ(limit["poi_bounds_widened"], reference["poi_bounds_widened"]);
}

std::string CaseName(const ::testing::TestParamInfo<const char*>& info) {
  return info.param;
}

INSTANTIATE_TEST_SUITE_P(Pyhf,
                         HistFactoryCase,
                         ::testing::ValuesIn(kCases),
                         CaseName);

class HistFactoryCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::FindReference("histfactory/manifest.json").empty()) {
      GTEST_SKIP() << "reference data not found";
    }
    folder_ = testing::MakeScratchFolder("histfactory_command");
  }
  void TearDown() override {
    if (!folder_.empty()) std::filesystem::remove_all(folder_);
  }

  std::string Write(const std::string& name, const std::string& text) {
    const auto path = folder_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  // Exit code 2, one stderr line containing every `parts`, nothing on stdout.
  void ExpectBadInput(const std::vector<std::string>& arguments,
                      const std::vector<std::string>& parts) {
    const testing::CommandResult result = RunGoldmine(arguments);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    for (const std::string& part : parts) {
      EXPECT_THAT(result.err, HasSubstr(part));
    }
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
    EXPECT_EQ(result.out, "");
  }

  std::string SmallWorkspace(const std::string& modifier_type = "normfactor",
                             const std::string& second_data = "[10, 20]",
                             const std::string& poi = "mu") {
    return Write("ws.json",
                 R"({"channels": [{"name": "c", "samples": [
      {"name": "s", "data": [5, 6], "modifiers": [
         {"name": "mu", "type": ")" +
                     modifier_type + R"(", "data": null}]},
      {"name": "b", "data": )" +
                     second_data + R"(, "modifiers": []}]}],
    "observations": [{"name": "c", "data": [12, 22]}],
    "measurements": [{"name": "m", "config": {"poi": ")" +
                     poi + R"(", "parameters": []}}],
    "version": "1.0.0"})");
  }

  std::filesystem::path folder_;
};

TEST_F(HistFactoryCommandTest, EverySubcommandHasHelp) {
  for (const char* subcommand : {"inspect",
                                 "fit",
                                 "cls",
                                 "upper-limit",
                                 "patch",
                                 "combine",
                                 "prune",
                                 "rename"}) {
    const testing::CommandResult result =
        RunGoldmine({"histfactory", subcommand, "--help"});
    EXPECT_EQ(result.exit_code, 0) << subcommand;
    EXPECT_THAT(result.out, HasSubstr("Usage: goldmine histfactory"));
  }
  const testing::CommandResult result = RunGoldmine({"histfactory", "--help"});
  EXPECT_THAT(result.out, HasSubstr("upper-limit"));
}

TEST_F(HistFactoryCommandTest, InspectListsPyhfParameterOrder) {
  const testing::CommandResult result =
      RunGoldmine({"histfactory",
                   "inspect",
                   Reference("workspaces/val_2bin_2channel.json")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json summary = json::parse(result.out);
  const json expected = testing::ReadJson(
      Reference("expected/val_2bin_2channel.json"))["reference"]["model"];
  EXPECT_EQ(summary["parameter_names"], expected["par_names"]);
  EXPECT_EQ(summary["poi"], "mu");
  EXPECT_EQ(summary["channels"].size(), expected["channels"].size());
}

TEST_F(HistFactoryCommandTest, ToyClsIsReproducibleWithASeed) {
  const std::vector<std::string> arguments = {
      "histfactory",
      "cls",
      Reference("workspaces/val_1bin_shapesys.json"),
      "--calctype",
      "toybased",
      "--ntoys",
      "300",
      "--seed",
      "5"};
  const testing::CommandResult first = RunGoldmine(arguments);
  const testing::CommandResult second = RunGoldmine(arguments);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
  const json cls = json::parse(first.out);
  EXPECT_NEAR(cls["CLs_obs"].get<double>(), 0.454, 0.15);
}

TEST_F(HistFactoryCommandTest, LinearScanGivesAnInterpolatedLimit) {
  const testing::CommandResult result =
      RunGoldmine({"histfactory",
                   "upper-limit",
                   Reference("workspaces/val_2bin_2channel.json"),
                   "--scan",
                   "0:3:61"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json limit = json::parse(result.out);
  EXPECT_NEAR(limit["obs"].get<double>(), 1.02449, 5e-3);
  EXPECT_EQ(limit["n_hypotests"], 61);
}

TEST_F(HistFactoryCommandTest, WidensThePoiBound) {
  const testing::CommandResult result =
      RunGoldmine({"histfactory",
                   "upper-limit",
                   Reference("workspaces/sbottom_RegionB_BkgOnly.json"),
                   "--patch",
                   Reference("patches/sbottom_RegionB.patch.sbottom_1400_550_"
                             "60.json"),
                   "--output",
                   (folder_ / "limit.json").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  const json limit = testing::ReadJson(folder_ / "limit.json");
  EXPECT_EQ(limit["poi_bounds_widened"], true);
  EXPECT_NEAR(limit["obs"].get<double>(), 107.353, 0.11);
}

TEST_F(HistFactoryCommandTest, PatchAndCombineWriteStableWorkspaces) {
  const testing::CommandResult patched =
      RunGoldmine({"histfactory",
                   "patch",
                   Reference("workspaces/test_patchset_example.json"),
                   "--patchset",
                   Reference("patches/test_patchset_example.patchset.json"),
                   "--patch-name",
                   "patch_channel1_signal_syst1"});
  ASSERT_EQ(patched.exit_code, 0) << patched.err;
  EXPECT_EQ(json::parse(patched.out)["channels"][0]["samples"][0]["modifiers"]
                                    [0]["data"]["lo"],
            0.8);
  // Writing the output back through `patch` without patches is the identity.
  const std::string once = Write("patched.json", patched.out);
  const testing::CommandResult again =
      RunGoldmine({"histfactory", "patch", once});
  EXPECT_EQ(again.out, patched.out);

  const testing::CommandResult combined =
      RunGoldmine({"histfactory",
                   "combine",
                   Reference("workspaces/combine_left.json"),
                   Reference("workspaces/combine_right.json"),
                   "--join",
                   "outer"});
  ASSERT_EQ(combined.exit_code, 0) << combined.err;
  EXPECT_EQ(json::parse(combined.out),
            testing::ReadJson(Reference("workspaces/combine_outer.json")));
}

TEST_F(HistFactoryCommandTest, PruneAndRename) {
  const std::string workspace = SmallWorkspace();
  const testing::CommandResult renamed = RunGoldmine(
      {"histfactory", "rename", workspace, "--modifier", "mu=mu_sig"});
  ASSERT_EQ(renamed.exit_code, 0) << renamed.err;
  EXPECT_EQ(json::parse(renamed.out)["measurements"][0]["config"]["poi"],
            "mu_sig");
  const testing::CommandResult pruned =
      RunGoldmine({"histfactory", "prune", workspace, "--sample", "s"});
  ASSERT_EQ(pruned.exit_code, 0) << pruned.err;
  EXPECT_EQ(json::parse(pruned.out)["channels"][0]["samples"].size(), 1u);
}

TEST_F(HistFactoryCommandTest, RejectsUnknownModifierTypeWithItsPath) {
  ExpectBadInput({"histfactory", "fit", SmallWorkspace("normfactr")},
                 {"ws.json", "channels[0].samples[0].modifiers[0].type"});
}

TEST_F(HistFactoryCommandTest, RejectsBinCountMismatchWithItsPath) {
  ExpectBadInput({"histfactory", "cls", SmallWorkspace("normfactor", "[1]")},
                 {"ws.json", "channels[0].samples[1].data"});
}

TEST_F(HistFactoryCommandTest, RejectsSchemaViolationsWithTheirPath) {
  const std::string path = Write(
      "bad.json",
      R"({"channels": [], "observations": [], "measurements": [], "version": "1.0.0"})");
  ExpectBadInput({"histfactory", "inspect", path}, {"bad.json", "channels"});
  const std::string extra_key = Write(
      "extra.json",
      R"({"channels": [{"name": "c", "samples": [{"name": "s", "data": [1],
          "modifiers": [], "colour": 1}]}], "observations": [{"name": "c",
          "data": [1]}], "measurements": [{"name": "m", "config": {"poi": "",
          "parameters": []}}], "version": "1.0.0"})");
  ExpectBadInput({"histfactory", "fit", extra_key},
                 {"extra.json", "channels[0].samples[0]", "colour"});
}

TEST_F(HistFactoryCommandTest, RejectsWrongTypesAndMissingKeysWithTheirPath) {
  ExpectBadInput(
      {"histfactory", "fit", SmallWorkspace("normfactor", "\"many\"")},
      {"ws.json", "channels[0].samples[1].data", "\"many\""});
  const std::string missing = Write(
      "missing.json",
      R"({"channels": [{"name": "c", "samples": [{"name": "s", "data": [1],
          "modifiers": []}]}], "observations": [{"name": "c",
          "data": [1]}], "measurements": [{"name": "m", "config": {
          "parameters": []}}], "version": "1.0.0"})");
  ExpectBadInput({"histfactory", "cls", missing},
                 {"missing.json", "measurements[0].config", "poi"});
}

TEST_F(HistFactoryCommandTest, RejectsNonPositiveSigmasWithTheirPath) {
  const std::string path = Write(
      "sigma.json",
      R"({"channels": [{"name": "c", "samples": [{"name": "s", "data": [5],
          "modifiers": [{"name": "mu", "type": "normfactor", "data": null},
                        {"name": "lumi", "type": "lumi", "data": null}]}]}],
          "observations": [{"name": "c", "data": [6]}],
          "measurements": [{"name": "m", "config": {"poi": "mu",
          "parameters": [{"name": "lumi", "inits": [1], "bounds": [[0, 2]],
          "auxdata": [1], "sigmas": [0]}]}}], "version": "1.0.0"})");
  ExpectBadInput({"histfactory", "fit", path},
                 {"sigma.json",
                  "measurements[0].config.parameters[0].sigmas[0]",
                  "positive"});
}

TEST_F(HistFactoryCommandTest,
       ChoosesInterpolationCodesAsPyhfModifierSettings) {
  // pyhf's test_validation.py: modifier_settings {"normsys": {"interpcode":
  // "code1"}} (histosys then falls back to code0) with the q statistic.
  const json expected = testing::ReadJson(Reference(
      "expected/val_2bin_histosys.json"))["reference"]
                                         ["crosscheck_vs_pyhf_testsuite"];
  const testing::CommandResult result =
      RunGoldmine({"histfactory",
                   "cls",
                   Reference("workspaces/val_2bin_histosys.json"),
                   "--test-stat",
                   "q",
                   "--normsys-interpcode",
                   "code1",
                   "--histosys-interpcode",
                   "code0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json cls = json::parse(result.out);
  const json& tight = expected["tight_reference"];
  ExpectRelative(cls["CLs_obs"], tight["obs"], 1e-3, "CLs_obs");
  for (int i = 0; i < 5; ++i) {
    ExpectRelative(cls["CLs_exp"][i], tight["exp"][i], 1e-3, "CLs_exp");
  }
  // The default (code4p) differs: the flag is not ignored.
  const testing::CommandResult defaults =
      RunGoldmine({"histfactory",
                   "cls",
                   Reference("workspaces/val_2bin_histosys.json"),
                   "--test-stat",
                   "q"});
  ASSERT_EQ(defaults.exit_code, 0) << defaults.err;
  EXPECT_GT(std::abs(json::parse(defaults.out)["CLs_exp"][0].get<double>() -
                     tight["exp"][0].get<double>()),
            1e-3 * tight["exp"][0].get<double>());

  const testing::CommandResult inspect = RunGoldmine({"histfactory",
                                                      "inspect",
                                                      SmallWorkspace(),
                                                      "--normsys-interpcode",
                                                      "code2",
                                                      "--histosys-interpcode",
                                                      "code4"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_EQ(json::parse(inspect.out)["modifier_settings"],
            json::parse(R"({"normsys": {"interpcode": "code2"},
                            "histosys": {"interpcode": "code4"}})"));
}

TEST_F(HistFactoryCommandTest, RejectsUnknownInterpolationCodes) {
  ExpectBadInput({"histfactory",
                  "fit",
                  SmallWorkspace(),
                  "--histosys-interpcode",
                  "code3"},
                 {"--histosys-interpcode", "\"code3\"", "code4p"});
}

TEST_F(HistFactoryCommandTest, ClipSampleDataMakesNegativeYieldsFittable) {
  const std::string workspace = SmallWorkspace("normfactor", "[-30, 20]");
  const testing::CommandResult clipped =
      RunGoldmine({"histfactory", "fit", workspace, "--clip-sample-data", "0"});
  ASSERT_EQ(clipped.exit_code, 0) << clipped.err;
  EXPECT_EQ(json::parse(clipped.out)["converged"], true);
  const testing::CommandResult bin_clipped =
      RunGoldmine({"histfactory", "fit", workspace, "--clip-bin-data", "1e-6"});
  ASSERT_EQ(bin_clipped.exit_code, 0) << bin_clipped.err;
  EXPECT_TRUE(
      std::isfinite(json::parse(bin_clipped.out)["twice_nll"].get<double>()));
}

TEST_F(HistFactoryCommandTest, RefusesNegativeRatesAtTheStartWithTheirPath) {
  // A negative nominal yield gives a NaN likelihood (pyhf: no clipping) at
  // the suggested inits, where no fit can start: refused with the bin's path
  // (issue 14 item 3; it used to print "twice_nll": null with exit 0).
  ExpectBadInput(
      {"histfactory", "fit", SmallWorkspace("normfactor", "[-30, 20]")},
      {"ws.json", "observations[0].data[0]", "initial parameters"});
}

TEST_F(HistFactoryCommandTest, RejectsNegativeObservedCountsWithTheirPath) {
  const std::string path = Write(
      "negative.json",
      R"({"channels": [{"name": "c", "samples": [{"name": "s", "data": [1, 2],
          "modifiers": []}]}], "observations": [{"name": "c",
          "data": [1, -3]}], "measurements": [{"name": "m", "config": {"poi": "",
          "parameters": []}}], "version": "1.0.0"})");
  ExpectBadInput({"histfactory", "fit", path},
                 {"negative.json", "observations[0].data", "non-negative"});
}

TEST_F(HistFactoryCommandTest, RejectsAMissingPoiWithItsPath) {
  ExpectBadInput(
      {"histfactory", "cls", SmallWorkspace("normfactor", "[10, 20]", "xsec")},
      {"ws.json", "measurements[0].config.poi", "xsec"});
}

TEST_F(HistFactoryCommandTest, RejectsBadPatchPathsWithTheirPath) {
  const std::string patch =
      Write("p.json",
            R"([{"op": "replace", "path": "/channels/4/name", "value": "x"}])");
  ExpectBadInput({"histfactory", "fit", SmallWorkspace(), "--patch", patch},
                 {"p.json: patch[0] (replace /channels/4/name)"});
}

TEST_F(HistFactoryCommandTest, RejectsAPatchSetForAnotherWorkspace) {
  ExpectBadInput(
      {"histfactory",
       "fit",
       SmallWorkspace(),
       "--patchset",
       Reference("patches/test_patchset_example.patchset.json"),
       "--patch-name",
       "patch_channel1_signal_syst1"},
      {"test_patchset_example.patchset.json: metadata.digests.sha256"});
}

TEST_F(HistFactoryCommandTest, RejectsBadFlags) {
  // q0 is accepted since issue 14 (histfactory_pyhf_parity_test.cc).
  ExpectBadInput({"histfactory", "cls", SmallWorkspace(), "--test-stat", "qmu"},
                 {"--test-stat"});
  ExpectBadInput(
      {"histfactory", "upper-limit", SmallWorkspace(), "--scan", "3:1:5"},
      {"--scan"});
  ExpectBadInput({"histfactory", "frobnicate"}, {"unknown subcommand"});
}

}  // namespace
}  // namespace goldmine
