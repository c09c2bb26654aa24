// pyhf inspect's summary (workspace_inspection.h), the zero observations of
// a workspace inspected without a likelihood, and the patch chain of the
// workspace commands (workspace_json.h: WorkspaceFromDocument,
// PatchWorkspace).
#include "goldmine/inference/workspace_inspection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"
#include "goldmine/inference/workspace_json.h"

namespace goldmine::inference {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// Unsorted on purpose (the workspace of apps/histfactory_pyhf_parity_test.cc):
// channels, samples, modifiers and measurements are out of name order.
const char* const kUnsorted = R"({"version": "1.0.0",
 "channels": [
  {"name": "sr", "samples": [
    {"name": "sig", "data": [6.0, 3.0], "modifiers": [
      {"name": "mu", "type": "normfactor", "data": null},
      {"name": "lumi", "type": "lumi", "data": null}]},
    {"name": "bkg", "data": [20.0, 12.0], "modifiers": [
      {"name": "jes", "type": "normsys", "data": {"lo": 0.95, "hi": 1.06}},
      {"name": "jes", "type": "histosys", "data": {"lo_data": [19.0, 12.5], "hi_data": [21.5, 11.8]}},
      {"name": "stat_sr", "type": "staterror", "data": [1.5, 1.0]}]}]},
  {"name": "cr", "samples": [
    {"name": "bkg", "data": [50.0], "modifiers": [
      {"name": "shape_cr", "type": "shapesys", "data": [4.0]},
      {"name": "jes", "type": "normsys", "data": {"lo": 0.97, "hi": 1.03}}]}]}],
 "observations": [{"name": "sr", "data": [27.0, 14.0]}, {"name": "cr", "data": [52.0]}],
 "measurements": [
   {"name": "meas_b", "config": {"poi": "mu", "parameters": [
      {"name": "lumi", "auxdata": [1.0], "sigmas": [0.02], "bounds": [[0.9, 1.1]], "inits": [1.0]},
      {"name": "jes", "inits": [0.0]}]}},
   {"name": "meas_a", "config": {"poi": "mu", "parameters": [
      {"name": "lumi", "auxdata": [1.0], "sigmas": [0.02], "bounds": [[0.9, 1.1]], "inits": [1.0]}]}}]})";

// Schema-valid without a likelihood: channel "cr" has no observation and
// one observed count is negative.
const char* const kNoLikelihood =
    R"({"channels": [{"name": "sr", "samples": [{"name": "sig", "data": [5.0, 2.0], "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]}]}, {"name": "cr", "samples": [{"name": "bkg", "data": [30.0], "modifiers": []}]}], "observations": [{"name": "sr", "data": [12.0, -1.0]}], "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}], "version": "1.0.0"})";

TEST(InspectWorkspace, SummarisesChannelsSamplesModifiersAndMeasurements) {
  const Workspace workspace = Workspace::FromJson(kUnsorted, "unsorted.json");
  const WorkspaceInspection inspection =
      InspectWorkspace(workspace, Model(workspace));
  // Channels in the model's (sorted) order, samples in file order.
  ASSERT_EQ(inspection.channels.size(), 2u);
  EXPECT_EQ(inspection.channels[0].name, "cr");
  EXPECT_EQ(inspection.channels[0].bins, 1);
  EXPECT_THAT(inspection.channels[0].samples, ElementsAre("bkg"));
  EXPECT_EQ(inspection.channels[1].name, "sr");
  EXPECT_EQ(inspection.channels[1].bins, 2);
  EXPECT_THAT(inspection.channels[1].samples, ElementsAre("sig", "bkg"));
  EXPECT_THAT(inspection.samples, ElementsAre("bkg", "sig"));
  EXPECT_THAT(inspection.modifiers,
              ElementsAre(Pair("jes", "histosys"),
                          Pair("jes", "normsys"),
                          Pair("lumi", "lumi"),
                          Pair("mu", "normfactor"),
                          Pair("shape_cr", "shapesys"),
                          Pair("stat_sr", "staterror")));
  ASSERT_EQ(inspection.measurements.size(), 2u);
  EXPECT_EQ(inspection.measurements[0].name, "meas_b");
  EXPECT_EQ(inspection.measurements[0].poi, "mu");
  EXPECT_THAT(inspection.measurements[0].parameters,
              ElementsAre("lumi", "jes"));
  EXPECT_THAT(inspection.measurements[1].parameters, ElementsAre("lumi"));
  EXPECT_EQ(inspection.poi, "mu");
  EXPECT_EQ(inspection.normsys_interpcode, "code4");
  EXPECT_EQ(inspection.histosys_interpcode, "code4p");
}

TEST(InspectWorkspace, SystematicsArePyhfInspects) {
  // pyhf inspect unsorted.json (pyhf b3dc4bb): "systematics".
  const Workspace workspace = Workspace::FromJson(kUnsorted, "unsorted.json");
  const WorkspaceInspection inspection =
      InspectWorkspace(workspace, Model(workspace));
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"jes", "constrained_by_normal"},
      {"lumi", "constrained_by_normal"},
      {"mu", "unconstrained"},
      {"shape_cr", "constrained_by_poisson"},
      {"stat_sr", "constrained_by_normal"}};
  const std::vector<std::vector<std::string>> types = {{"histosys", "normsys"},
                                                       {"lumi"},
                                                       {"normfactor"},
                                                       {"shapesys"},
                                                       {"staterror"}};
  ASSERT_EQ(inspection.systematics.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(inspection.systematics[i].parameter, expected[i].first);
    EXPECT_EQ(inspection.systematics[i].constraint, expected[i].second);
    EXPECT_EQ(inspection.systematics[i].modifier_types, types[i]);
  }
}

TEST(InspectWorkspace, ListsTheParameterSetsWithTheMeasurementsSettings) {
  const Workspace workspace = Workspace::FromJson(kUnsorted, "unsorted.json");
  const WorkspaceInspection inspection =
      InspectWorkspace(workspace, Model(workspace));
  // jes, lumi, mu, shape_cr (1 bin), stat_sr (2 bins); auxiliary data for
  // every constrained component; main bins 1 + 2.
  EXPECT_EQ(inspection.num_parameters, 6);
  EXPECT_EQ(inspection.num_auxdata, 5);
  EXPECT_EQ(inspection.num_main_bins, 3);
  EXPECT_EQ(inspection.parameter_names.size(), 6u);
  std::map<std::string, WorkspaceInspection::ParameterSetSummary> sets;
  for (const auto& set : inspection.parameter_sets) sets[set.name] = set;
  ASSERT_EQ(sets.size(), 5u);
  // meas_b (the first measurement) configures lumi.
  EXPECT_EQ(sets["lumi"].constraint, "normal");
  EXPECT_EQ(sets["lumi"].inits, std::vector<double>{1.0});
  EXPECT_THAT(sets["lumi"].bounds, ElementsAre(Pair(0.9, 1.1)));
  EXPECT_EQ(sets["mu"].constraint, "none");
  EXPECT_EQ(sets["mu"].modifier_type, "normfactor");
  EXPECT_EQ(sets["shape_cr"].constraint, "poisson");
  EXPECT_EQ(sets["stat_sr"].size, 2);
  EXPECT_EQ(sets["stat_sr"].inits, (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(sets["stat_sr"].fixed, (std::vector<bool>{false, false}));
}

TEST(WithZeroObservations, GivesEveryChannelZeroCountsSoThatAModelBuilds) {
  const Workspace workspace =
      Workspace::FromJson(kNoLikelihood, "no_likelihood.json");
  EXPECT_THROW(Model{workspace}, InvalidInput);
  const Workspace zeroed = workspace.WithZeroObservations();
  EXPECT_THAT(zeroed.observations,
              ElementsAre(Pair("sr", std::vector<double>{0.0, 0.0}),
                          Pair("cr", std::vector<double>{0.0})));
  EXPECT_EQ(zeroed.channels.size(), 2u);
  const WorkspaceInspection inspection =
      InspectWorkspace(workspace, Model(zeroed));
  ASSERT_EQ(inspection.channels.size(), 2u);
  EXPECT_EQ(inspection.channels[0].name, "cr");
  EXPECT_EQ(inspection.channels[1].bins, 2);
}

TEST(WorkspaceFromDocument, LeavesAWorkspaceAsItIs) {
  EXPECT_EQ(WorkspaceFromDocument(kUnsorted, "unsorted.json"), kUnsorted);
}

// The documents of PatchWorkspace from memory, with the order of reading.
struct MemoryDocuments {
  std::map<std::string, std::string> texts;
  std::vector<std::pair<std::string, std::string>> reads;

  DocumentReader Reader() {
    return [this](const std::string& path, const std::string& what) {
      reads.emplace_back(path, what);
      return texts.at(path);
    };
  }
};

TEST(PatchWorkspace, AppliesThePatchSetsPatchThenTheJsonPatches) {
  MemoryDocuments documents;
  const std::string md5 = WorkspaceDigest(kUnsorted, "md5");
  documents.texts["ps.json"] =
      R"({"metadata": {"description": "grid", "digests": {"md5": ")" + md5 +
      R"("}, "labels": ["m"], "references": {"hepdata": "ins1234567"}},
   "patches": [
    {"metadata": {"name": "p_1", "values": [1]},
     "patch": [{"op": "replace", "path": "/channels/0/samples/0/data", "value": [8.0, 4.0]}]},
    {"metadata": {"name": "p_2", "values": [2]},
     "patch": [{"op": "replace", "path": "/channels/0/samples/0/data", "value": [1.0, 0.5]}]}],
   "version": "1.0.0"})";
  // On {channels, parameters}: the second bin of the signal again.
  documents.texts["p.json"] =
      R"([{"op": "replace", "path": "/channels/0/samples/0/data/1", "value": 9.0}])";
  WorkspacePatches patches;
  patches.patchset = "ps.json";
  patches.patch_name = [](const std::string& patchset) {
    return PatchNameForValues(patchset, {"2"}, "ps.json");
  };
  patches.patches = {"p.json"};
  const Workspace patched = Workspace::FromJson(
      PatchWorkspace(kUnsorted, "unsorted.json", patches, documents.Reader()),
      "patched");
  EXPECT_EQ(patched.channels[0].samples[0].data,
            (std::vector<double>{1.0, 9.0}));
  EXPECT_THAT(
      documents.reads,
      ElementsAre(Pair("ps.json", "PatchSet"), Pair("p.json", "patch")));
}

TEST(PatchWorkspace, ChecksTheWorkspaceBeforeReadingThePatchSet) {
  MemoryDocuments documents;
  WorkspacePatches patches;
  patches.patchset = "ps.json";
  patches.patch_name = [](const std::string&) { return std::string("p"); };
  EXPECT_THROW(
      PatchWorkspace(
          R"({"channels": []})", "bad.json", patches, documents.Reader()),
      InvalidInput);
  EXPECT_TRUE(documents.reads.empty());
}

TEST(PatchWorkspace, WithoutPatchesReadsNothing) {
  MemoryDocuments documents;
  EXPECT_EQ(PatchWorkspace(kUnsorted, "unsorted.json", {}, documents.Reader()),
            kUnsorted);
  EXPECT_TRUE(documents.reads.empty());
}

}  // namespace
}  // namespace goldmine::inference
