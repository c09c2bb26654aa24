// pyhf's JSON schemas (version 1.0.0: workspace.json, patchset.json,
// jsonpatch.json and their definitions in defs.json) written out as checks,
// plus the few rules pyhf's Workspace and PatchSet classes add on top
// (duplicate names, one value per label). Private to inference; the public
// entry points are in goldmine/inference/pyhf_schema.h.
//
// Why hand-written: the schema files are pyhf's (Apache-2.0) and are not
// shipped with goldmine, and a validator library would report the schema's
// internal paths instead of the document's. tests/inference/
// pyhf_schema_test.cc runs a real JSON-Schema validator (valijson) with
// pyhf's schema files on good and bad documents and checks that these rules
// accept exactly what the schemas accept.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace goldmine::inference::internal {

// workspace.json, then pyhf's Workspace duplicate checks (channel names,
// sample names in a channel, (name, type) of modifiers in a sample).
// Throws InvalidInput "<source>: <json path>: <what was expected>".
void CheckPyhfWorkspace(const nlohmann::json& document,
                        const std::string& source);

// patchset.json, then pyhf's PatchSet checks: unique patch names and
// values, one value per label.
void CheckPyhfPatchSet(const nlohmann::json& document,
                       const std::string& source);

// jsonpatch.json (RFC 6902 operations); `path` prefixes the JSON paths.
void CheckPyhfJsonPatch(const nlohmann::json& document,
                        const std::string& source,
                        const std::string& path = "");

}  // namespace goldmine::inference::internal
