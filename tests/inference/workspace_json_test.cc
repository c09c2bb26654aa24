// Workspace documents: JSON Patch, PatchSet with digest check, combine,
// prune, rename and the canonical (pyhf-identical) JSON write-back.
#include "goldmine/inference/workspace_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "goldmine/core/errors.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"
#include "support/reference_data.h"

namespace goldmine::inference {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

std::string ReadReference(const std::string& relative) {
  std::ifstream in(goldmine::testing::SharedDir() / "reference" /
                   "histfactory" / relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool HaveReference() {
  return !goldmine::testing::FindReference("histfactory/manifest.json").empty();
}

const char* const kSmall = R"({"channels": [{"name": "c", "samples": [
    {"name": "s", "data": [5.0, 1e-05], "modifiers": [
       {"name": "mu", "type": "normfactor", "data": null}]},
    {"name": "b", "data": [10, 2.5], "modifiers": [
       {"name": "unc", "type": "normsys", "data": {"lo": 0.9, "hi": 1.1}}]}]}],
  "observations": [{"name": "c", "data": [12, 3]}],
  "measurements": [{"name": "m", "config": {"poi": "mu",
     "parameters": [{"name": "unc", "inits": [0.5]}]}}],
  "version": "1.0.0"})";

TEST(CanonicalJson, WritesLikePythonJsonDumpsSortedWithIndent4) {
  const std::string text = CanonicalJson(R"({"b": [1, 2.0, 1e-05, 1e16,
      0.1, 123456.789, -3.5e-300, "é\n"], "a": {}, "c": []})");
  EXPECT_EQ(text,
            "{\n    \"a\": {},\n    \"b\": [\n        1,\n        2.0,\n"
            "        1e-05,\n        1e+16,\n        0.1,\n"
            "        123456.789,\n        -3.5e-300,\n        \"é\\n\"\n"
            "    ],\n    \"c\": []\n}\n");
}

TEST(CanonicalJson, IsStableUnderRereading) {
  const std::string once = CanonicalJson(kSmall);
  EXPECT_EQ(CanonicalJson(once), once);
}

TEST(Sha256Digest, MatchesKnownVectors) {
  // hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False)).
  EXPECT_EQ(Sha256Digest("{}"),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  EXPECT_EQ(Sha256Digest(R"({"b":"é","a":[1,2.5]})"),
            "6c1faa6c363e66ea93512a5fa76b1493f6e3ae204e4b6cb9bc8dff56bfa6fbc7");
}

TEST(ApplyModelPatch, PatchesChannelsAndMeasurementParameters) {
  const std::string patched = ApplyModelPatch(
      kSmall,
      R"([{"op": "replace", "path": "/channels/0/samples/0/data/0", "value": 7.5},
          {"op": "replace", "path": "/parameters/0/inits", "value": [0.25]}])",
      "");
  const json document = json::parse(patched);
  EXPECT_EQ(document["channels"][0]["samples"][0]["data"][0], 7.5);
  EXPECT_EQ(document["measurements"][0]["config"]["parameters"][0]["inits"][0],
            0.25);
}

TEST(ApplyModelPatch, NamesTheFailingOperationAndPath) {
  EXPECT_THAT(
      [] {
        ApplyModelPatch(kSmall,
                        R"([{"op": "remove", "path": "/channels/3/samples"}])",
                        "",
                        "p.json");
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("p.json: patch[0] (remove /channels/3/samples)")));
  EXPECT_THAT(
      [] {
        ApplyModelPatch(
            kSmall, R"([{"op": "jump", "path": "/channels"}])", "", "p.json");
      },
      ThrowsMessage<InvalidInput>(HasSubstr("p.json: patch[0].op")));
}

TEST(ApplyModelPatch, RejectsAPatchThatBreaksTheSchema) {
  EXPECT_THAT(
      [] {
        ApplyModelPatch(
            kSmall,
            R"([{"op": "add", "path": "/channels/0/samples/0/data/-", "value": 1}])",
            "",
            "p.json");
      },
      ThrowsMessage<InvalidInput>(HasSubstr("channels[0].samples[1].data")));
}

TEST(ApplyPatchSet, VerifiesTheDigestOfThePyhfExample) {
  if (!HaveReference()) GTEST_SKIP() << "no reference data";
  const std::string workspace =
      ReadReference("workspaces/test_patchset_example.json");
  const std::string patchset =
      ReadReference("patches/test_patchset_example.patchset.json");
  EXPECT_EQ(Sha256Digest(workspace),
            "7c32ca3b8db75cbafcf5cd7ed4672fa2b1fa69e391c9b89068dd947a521866ec");
  const json patched = json::parse(ApplyPatchSet(
      workspace, patchset, "patch_channel1_signal_syst1", "ps.json"));
  EXPECT_EQ(patched["channels"][0]["samples"][0]["modifiers"][0]["data"]["hi"],
            1.2);
  EXPECT_THAT([&] { ApplyPatchSet(workspace, patchset, "nope", "ps.json"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("no patch named \"nope\"; the PatchSet has "
                            "patch_channel1_signal_syst1")));
  EXPECT_THAT(
      [&] {
        ApplyPatchSet(
            kSmall, patchset, "patch_channel1_signal_syst1", "ps.json");
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("ps.json: metadata.digests.sha256")));
}

TEST(CombineWorkspaces, OuterJoinReproducesPyhf) {
  if (!HaveReference()) GTEST_SKIP() << "no reference data";
  const json combined = json::parse(
      CombineWorkspaces(ReadReference("workspaces/combine_left.json"),
                        ReadReference("workspaces/combine_right.json"),
                        "outer"));
  EXPECT_EQ(combined,
            json::parse(ReadReference("workspaces/combine_outer.json")));
}

TEST(CombineWorkspaces, JoinNoneRejectsCommonChannels) {
  EXPECT_THAT([] { CombineWorkspaces(kSmall, kSmall, "none"); },
              ThrowsMessage<InvalidInput>(HasSubstr("both workspaces have "
                                                    "channel \"c\"")));
  // Identical items are merged by an outer join.
  EXPECT_EQ(CombineWorkspaces(kSmall, kSmall, "outer"), CanonicalJson(kSmall));
}

TEST(PruneWorkspace, RemovesModifiersAndTheirParameterConfigs) {
  PruneSpec prune;
  prune.modifiers = {"unc"};
  const json pruned = json::parse(PruneWorkspace(kSmall, prune));
  EXPECT_TRUE(pruned["channels"][0]["samples"][1]["modifiers"].empty());
  EXPECT_TRUE(pruned["measurements"][0]["config"]["parameters"].empty());
  prune.modifiers = {"missing"};
  EXPECT_THAT([&] { PruneWorkspace(kSmall, prune); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("no modifier \"missing\"; it has mu, unc")));
}

TEST(RenameWorkspace, RenamesThePoiAndChannelObservations) {
  RenameSpec rename;
  rename.modifiers = {{"mu", "mu_sig"}};
  rename.channels = {{"c", "signal_region"}};
  const std::string renamed = RenameWorkspace(kSmall, rename);
  const Model model(Workspace::FromJson(renamed));
  EXPECT_EQ(model.poi_name(), "mu_sig");
  EXPECT_EQ(model.channels()[0].first, "signal_region");
}

}  // namespace
}  // namespace goldmine::inference
