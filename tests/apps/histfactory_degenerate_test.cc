// `goldmine histfactory fit|cls|upper-limit` on models without a meaningful
// likelihood (issue 14 item 3): exit 2 with one stderr line naming the file
// and the JSON path, never a null or a made-up number; a zero-expected bin
// with zero observed stays fine (agrees with pyhf); a fit that does not
// converge says so on stderr and in "converged"; several minima are reported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inference/several_minima_workspaces.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunGoldmine;

// A one-channel workspace: signal (scaled by mu) and one background.
std::string OneChannel(const std::string& signal,
                       const std::string& background,
                       const std::string& background_modifiers,
                       const std::string& observed) {
  return R"({"channels": [{"name": "sr", "samples": [
    {"name": "sig", "data": )" +
         signal + R"(, "modifiers": [
      {"name": "mu", "type": "normfactor", "data": null}]},
    {"name": "bkg", "data": )" +
         background + R"(, "modifiers": )" + background_modifiers + R"(}]}],
  "observations": [{"name": "sr", "data": )" +
         observed + R"(}],
  "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
  "version": "1.0.0"})";
}

class DegenerateModel : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (folder_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // Every statistical command exits 2 with one line naming path and key.
  void ExpectRefused(const std::string& path,
                     const std::vector<std::string>& commands,
                     const std::string& json_path) {
    for (const std::string& command : commands) {
      const testing::CommandResult result =
          RunGoldmine({"histfactory", command, path});
      EXPECT_EQ(result.exit_code, 2) << command << ": " << result.out;
      EXPECT_TRUE(result.out.empty()) << command << ": " << result.out;
      EXPECT_THAT(result.err, HasSubstr(path + ": " + json_path)) << command;
      EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
          << command << ": " << result.err;
    }
  }

  std::filesystem::path folder_ =
      testing::MakeScratchFolder("histfactory_degenerate");
};

TEST_F(DegenerateModel, RefusesEventsInABinThatNoSampleCanFill) {
  // Was: exit 0, twice_nll null, CLs_obs null, upper limit 1.0.
  const std::string path =
      Write("empty_bin.json",
            OneChannel("[5.0, 0.0]", "[50.0, 0.0]", "[]", "[52.0, 50.0]"));
  ExpectRefused(
      path, {"fit", "cls", "upper-limit"}, "observations[0].data[1]: 50 ");
}

TEST_F(DegenerateModel, RefusesAShapesysOnAZeroYieldAloneInItsBin) {
  // pyhf fixes the gamma of a zero-yield shapesys bin; nothing else fills
  // that bin, which has events.
  const std::string path =
      Write("shapesys_zero.json",
            OneChannel("[5.0, 0.0]",
                       "[50.0, 0.0]",
                       R"([{"name": "unc", "type": "shapesys",
                            "data": [5.0, 2.0]}])",
                       "[52.0, 50.0]"));
  ExpectRefused(path, {"fit", "cls", "upper-limit"}, "observations[0].data[1]");
}

TEST_F(DegenerateModel, RefusesClsWhereOnlyTheSignalFillsABinWithEvents) {
  // The fit is defined (mu > 0), the background-only fit CLs needs is not.
  const std::string path =
      Write("signal_only_bin.json",
            OneChannel("[5.0, 3.0]",
                       "[50.0, 0.0]",
                       R"([{"name": "unc", "type": "shapesys",
                            "data": [5.0, 2.0]}])",
                       "[52.0, 4.0]"));
  EXPECT_EQ(RunGoldmine({"histfactory", "fit", path}).exit_code, 0);
  ExpectRefused(path, {"cls", "upper-limit"}, "observations[0].data[1]");
}

TEST_F(DegenerateModel, RefusesAPoiWithoutEffect) {
  // Was: upper limit 7.7e18 with "converged": true.
  const std::string path =
      Write("zero_signal.json",
            OneChannel("[0.0, 0.0]",
                       "[50.0, 60.0]",
                       R"([{"name": "unc", "type": "normsys",
                      "data": {"hi": 1.1, "lo": 0.9}}])",
                       "[52.0, 58.0]"));
  ExpectRefused(
      path, {"fit", "cls", "upper-limit"}, "measurements[0].config.poi");
}

TEST_F(DegenerateModel, RefusesHypothesisTestsWithoutAPoiNamingFileAndKey) {
  // Issue 15: the message named neither the file nor the key
  // ("... (measurement config.poi is ""); only fits are defined").
  std::string text =
      OneChannel("[5.0, 3.0]", "[50.0, 40.0]", "[]", "[52.0, 44.0]");
  text.replace(text.find(R"("poi": "mu")"), 11, R"("poi": "")");
  const std::string path = Write("poiless.json", text);
  EXPECT_EQ(RunGoldmine({"histfactory", "fit", path}).exit_code, 0);
  ExpectRefused(path, {"cls", "upper-limit"}, "measurements[0].config.poi");
}

TEST_F(DegenerateModel, KeepsAZeroExpectedBinWithoutEvents) {
  // pyhf (b3dc4bb, numpy, SLSQP tolerance 1e-12): fit twice_nll 5.79232587,
  // mu_hat 0.4; hypotest(1.0, qtilde) CLs_obs 0.5608708530541495, CLs_exp
  // [0.159489862982234, 0.290008673720649, 0.49345586024971333,
  //  0.741297207488922, 0.9268610639479048].
  const std::string path =
      Write("zero_zero.json",
            OneChannel("[5.0, 0.0]", "[50.0, 0.0]", "[]", "[52.0, 0.0]"));
  const testing::CommandResult fit = RunGoldmine({"histfactory", "fit", path});
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  EXPECT_NEAR(
      json::parse(fit.out)["twice_nll"].get<double>(), 5.79232587, 1e-6);
  const testing::CommandResult cls = RunGoldmine({"histfactory", "cls", path});
  ASSERT_EQ(cls.exit_code, 0) << cls.err;
  EXPECT_TRUE(cls.err.empty()) << cls.err;
  const json result = json::parse(cls.out);
  EXPECT_NEAR(result["CLs_obs"].get<double>(), 0.5608708530541495, 1e-6);
  const double expected[5] = {0.159489862982234,
                              0.290008673720649,
                              0.49345586024971333,
                              0.741297207488922,
                              0.9268610639479048};
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(result["CLs_exp"][i].get<double>(), expected[i], 1e-6) << i;
  }
}

TEST_F(DegenerateModel, ReportsFitsThatDoNotConverge) {
  // The histosys drives the first bin's rate (no events observed) to zero
  // at hs = -0.5 and below zero beyond, where the likelihood is undefined:
  // the minimum lies on that edge and no fit meets the gradient criterion.
  const std::string path =
      Write("edge.json",
            OneChannel("[5.0, 5.0]",
                       "[10.0, 50.0]",
                       R"([{"name": "hs", "type": "histosys", "data":
                            {"lo_data": [-10.0, 40.0],
                             "hi_data": [30.0, 60.0]}}])",
                       "[0.0, 30.0]"));
  for (const std::string command : {"fit", "cls", "upper-limit"}) {
    const testing::CommandResult result =
        RunGoldmine({"histfactory", command, path});
    ASSERT_EQ(result.exit_code, 0) << command << ": " << result.err;
    EXPECT_FALSE(json::parse(result.out)["converged"].get<bool>()) << command;
    EXPECT_THAT(result.err, HasSubstr("warning: " + path + ": not converged"))
        << command;
    EXPECT_THAT(result.out, Not(HasSubstr("null"))) << command;
  }
}

TEST_F(DegenerateModel, ReportsSeveralMinima) {
  // pyhf's validation model 2bin_2channel_coupledhisto (issue 14 item 13):
  // minima at twice_nll 29.2874 (global) and 30.2853.
  const std::string path =
      Write("coupledhisto.json", inference::testing::kCoupledHisto);
  const testing::CommandResult result = RunGoldmine({"histfactory",
                                                     "fit",
                                                     path,
                                                     "--normsys-interpcode",
                                                     "code1",
                                                     "--histosys-interpcode",
                                                     "code0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json fit = json::parse(result.out);
  EXPECT_NEAR(fit["twice_nll"].get<double>(), 29.287409604, 1e-6);
  EXPECT_TRUE(fit["several_minima"].get<bool>());
  ASSERT_EQ(fit["other_minima"].size(), 1u);
  EXPECT_NEAR(fit["other_minima"][0]["twice_nll"].get<double>(), 30.2853, 1e-3);
  EXPECT_THAT(result.err, HasSubstr("several local minima"));
}

}  // namespace
}  // namespace goldmine
