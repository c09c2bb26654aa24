#include "goldmine/inference/workspace.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// One channel with 3 bins; `modifiers` is spliced into the second sample.
std::string ThreeBinWorkspace(const std::string& modifiers) {
  return R"({"channels": [{"name": "sr", "samples": [
      {"name": "signal", "data": [1, 2, 3],
       "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
      {"name": "background", "data": [10, 20, 30], "modifiers": [)" +
         modifiers + R"(]}]}],
    "observations": [{"name": "sr", "data": [11, 22, 33]}],
    "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
    "version": "1.0.0"})";
}

TEST(Workspace, ParsesChannelsSamplesAndModifiers) {
  const Workspace workspace = Workspace::FromJson(ThreeBinWorkspace(
      R"({"name": "jes", "type": "histosys",
          "data": {"lo_data": [9, 19, 29], "hi_data": [11, 21, 31]}},
         {"name": "xs", "type": "normsys", "data": {"lo": 0.9, "hi": 1.1}})"));
  ASSERT_EQ(workspace.channels.size(), 1u);
  EXPECT_EQ(workspace.channels[0].num_bins(), 3);
  const Modifier& histosys = workspace.channels[0].samples[1].modifiers[0];
  EXPECT_EQ(histosys.type, ModifierType::kHistoSys);
  EXPECT_EQ(histosys.hi_data[2], 31.0);
  EXPECT_EQ(workspace.channels[0].samples[1].modifiers[1].hi, 1.1);
  EXPECT_EQ(workspace.Observation("sr")[1], 22.0);
  EXPECT_EQ(workspace.FindMeasurement("").name, "m");
}

TEST(Workspace, RejectsHistoSysWithWrongNumberOfBinsNamingThePath) {
  EXPECT_THAT(
      [] {
        Workspace::FromJson(ThreeBinWorkspace(
            R"({"name": "jes", "type": "histosys",
                "data": {"lo_data": [9, 19, 29], "hi_data": [11, 21]}})"));
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("channels[0].samples[1].modifiers[0].data.hi_data: "
                    "expected 3 numbers (one per bin), got 2")));
}

TEST(Workspace, RejectsUnknownModifierType) {
  EXPECT_THAT(
      [] {
        Workspace::FromJson(ThreeBinWorkspace(
            R"({"name": "x", "type": "normfactorr", "data": null})"));
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("channels[0].samples[1].modifiers[0].type: expected one "
                    "of histosys")));
}

TEST(Workspace, RejectsLumiModifierWithAnotherName) {
  EXPECT_THAT(
      [] {
        Workspace::FromJson(ThreeBinWorkspace(
            R"({"name": "luminosity", "type": "lumi", "data": null})"));
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("channels[0].samples[1].modifiers[0].name: expected "
                    "\"lumi\"")));
}

TEST(Workspace, RejectsDuplicateModifierInOneSample) {
  EXPECT_THAT(
      [] {
        Workspace::FromJson(ThreeBinWorkspace(
            R"({"name": "b", "type": "normfactor", "data": null},
               {"name": "b", "type": "normfactor", "data": null})"));
      },
      ThrowsMessage<InvalidInput>(HasSubstr(
          "channels[0].samples[1].modifiers[1]: duplicate normfactor")));
}

TEST(Workspace, RejectsSampleWithWrongNumberOfBins) {
  const std::string text = R"({"channels": [{"name": "sr", "samples": [
      {"name": "a", "data": [1, 2], "modifiers": []},
      {"name": "b", "data": [1], "modifiers": []}]}],
    "observations": [{"name": "sr", "data": [1, 2]}],
    "measurements": [{"name": "m", "config": {"poi": "", "parameters": []}}],
    "version": "1.0.0"})";
  EXPECT_THAT([&] { Workspace::FromJson(text); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("channels[0].samples[1].data: expected 2 numbers "
                            "(one per bin, as in the first sample")));
}

// pyhf's schema allows it; only a likelihood needs the observation.
TEST(Workspace, LoadsChannelWithoutObservationButRefusesItsLikelihood) {
  const std::string text = R"({"channels": [{"name": "sr", "samples": [
      {"name": "a", "data": [1], "modifiers": []}]}],
    "observations": [{"name": "cr", "data": [1]}],
    "measurements": [{"name": "m", "config": {"poi": "", "parameters": []}}],
    "version": "1.0.0"})";
  const Workspace workspace = Workspace::FromJson(text, "ws.json");
  EXPECT_THAT([&] { workspace.Observation("sr"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("ws.json: observations: no observation for "
                            "channel \"sr\" (channels[0])")));
}

TEST(Workspace, RejectsUnknownKeysAndWrongVersion) {
  std::string text = ThreeBinWorkspace("");
  text.replace(
      text.find("\"version\": \"1.0.0\""), 18, "\"version\": \"2.0.0\"");
  EXPECT_THAT(
      [&] { Workspace::FromJson(text); },
      ThrowsMessage<InvalidInput>(HasSubstr("version: expected \"1.0.0\"")));
  std::string extra = ThreeBinWorkspace("");
  extra.insert(1, "\"extra\": 1, ");
  EXPECT_THAT([&] { Workspace::FromJson(extra); },
              ThrowsMessage<InvalidInput>(HasSubstr("unknown key \"extra\"")));
}

TEST(Workspace, RejectsBadParameterBounds) {
  std::string text = ThreeBinWorkspace("");
  text.replace(text.find("\"parameters\": []"),
               16,
               R"("parameters": [{"name": "mu", "bounds": [[0]]}])");
  EXPECT_THAT([&] { Workspace::FromJson(text); },
              ThrowsMessage<InvalidInput>(HasSubstr(
                  "measurements[0].config.parameters[0].bounds[0]: expected "
                  "2 numbers (lower and upper bound), got 1")));
}

TEST(Workspace, ReportsInvalidJsonAsFileFormatError) {
  EXPECT_THROW(Workspace::FromJson("{\"channels\": ["), FileFormatError);
}

TEST(Workspace, UnknownMeasurementListsTheAvailableOnes) {
  const Workspace workspace = Workspace::FromJson(ThreeBinWorkspace(""));
  EXPECT_THAT([&] { workspace.FindMeasurement("other"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("no measurement \"other\"; the workspace has m")));
}

}  // namespace
}  // namespace goldmine::inference
