// The public HistFactory reference cases (../shared/reference/histfactory,
// pyhf main @ b3dc4bb2) and how a case's workspace is built from its files.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "support/reference_data.h"

namespace goldmine::inference::reference {

using goldmine::testing::FindReference;
using goldmine::testing::ReadJson;

inline const char* const kCases[] = {
    "val_1bin_shapesys",
    "val_1bin_lumi",
    "val_1bin_normsys",
    "val_2bin_histosys",
    "val_2bin_2channel",
    "val_2bin_2channel_couplednorm",
    "val_2bin_2channel_coupledshapefactor",
    "val_2bin_staterror",
    "docs_2bin_1channel",
    "test_export_integer_data",
    "test_poiless",
    "test_patchset_example",
    "simplemodel_correlated_bkg",
    "combine_outer",
    "sbottom_A_1300_205_60",
    "sbottom_B_1400_550_60",
    "erjr_3L_200p0_100p0",
    "atlastut_sbottom_1200_1150_60",
};

struct Case {
  nlohmann::json expected;
  std::string measurement;
  std::string workspace_text;
};

// Builds the workspace of a case as the reference README defines it: JSON
// Patches apply to {"channels", "parameters" of the measurement}, PatchSet
// patches to the whole workspace. (Digests are not verified here.)
inline bool LoadCase(const std::string& id, Case* loaded) {
  const auto expected_path =
      FindReference("histfactory/expected/" + id + ".json");
  if (expected_path.empty()) return false;
  loaded->expected = ReadJson(expected_path);
  const nlohmann::json& meta = loaded->expected;
  nlohmann::json workspace = ReadJson(
      FindReference("histfactory/" + meta["workspace"].get<std::string>()));
  if (!meta["measurement"].is_null()) {
    loaded->measurement = meta["measurement"].get<std::string>();
  }
  const nlohmann::json& patch = meta["patch"];
  if (!patch.is_null()) {
    const nlohmann::json file = ReadJson(
        FindReference("histfactory/" + patch["file"].get<std::string>()));
    if (patch["type"] == "jsonpatch") {
      nlohmann::json* measurement = &workspace["measurements"][0];
      for (nlohmann::json& candidate : workspace["measurements"]) {
        if (candidate["name"] == loaded->measurement) measurement = &candidate;
      }
      const nlohmann::json spec = {
          {"channels", workspace["channels"]},
          {"parameters", (*measurement)["config"]["parameters"]}};
      const nlohmann::json patched = spec.patch(file);
      workspace["channels"] = patched["channels"];
      (*measurement)["config"]["parameters"] = patched["parameters"];
    } else {
      for (const nlohmann::json& entry : file["patches"]) {
        if (entry["metadata"]["name"] == patch["name"]) {
          workspace = workspace.patch(entry["patch"]);
        }
      }
    }
  }
  loaded->workspace_text = workspace.dump();
  return true;
}

}  // namespace goldmine::inference::reference
