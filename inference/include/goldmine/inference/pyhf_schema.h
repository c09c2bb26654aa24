// Validation of documents against pyhf's JSON schemas 1.0.0 (workspace,
// PatchSet, JSON Patch), with the checks pyhf's Workspace and PatchSet
// classes add (docs/HISTFACTORY.md §15). A document passes exactly when
// pyhf would load it; the message of a failure names the source and the
// JSON path, e.g.
//   ps.json: metadata.references.hepdata: expected a HEPData id matching
//   ^ins[0-9]{7}$, got "wrongid12374"
// Throws FileFormatError when the text is not JSON, InvalidInput otherwise.
#pragma once

#include <string>

namespace goldmine::inference {

void ValidatePyhfWorkspace(const std::string& text,
                           const std::string& source = "workspace");
void ValidatePyhfPatchSet(const std::string& text,
                          const std::string& source = "patchset");
void ValidatePyhfJsonPatch(const std::string& text,
                           const std::string& source = "patch");

}  // namespace goldmine::inference
