// pyhf PatchSets (schema patchset.json 1.0.0; docs/HISTFACTORY.md §14):
// a set of named RFC 6902 patches for one background-only workspace, which
// metadata.digests names by its sha256 and/or md5 digest
// (pyhf.utils.digest). Every function checks the PatchSet against pyhf's
// schema and PatchSet class first (pyhf_schema.h) and throws InvalidInput
// naming `patchset_source` and the JSON path.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace goldmine::inference {

struct PatchSetPatch {
  std::string name;
  // metadata.values, each as JSON text (numbers or strings).
  std::vector<std::string> values;
};

struct PatchSetSummary {
  std::string description;
  std::vector<std::string> labels;
  // metadata.references and metadata.digests as (key, value) pairs.
  std::vector<std::pair<std::string, std::string>> references;
  std::vector<std::pair<std::string, std::string>> digests;
  std::vector<PatchSetPatch> patches;  // file order
};

PatchSetSummary ReadPatchSet(const std::string& patchset_text,
                             const std::string& patchset_source = "patchset");

// Patch names of a PatchSet, in file order.
std::vector<std::string> PatchSetNames(
    const std::string& patchset_text,
    const std::string& patchset_source = "patchset");

// The name of the patch whose metadata.values equal `values` (pyhf's
// patchset[(v1, v2, ...)]): a number matches a word that parses as the same
// number, a string matches the same word. Throws InvalidInput listing the
// available values otherwise.
std::string PatchNameForValues(const std::string& patchset_text,
                               const std::vector<std::string>& values,
                               const std::string& patchset_source = "patchset");

// pyhf's PatchSet.verify: every digest of metadata.digests must match the
// workspace; throws InvalidInput naming the algorithm, the expected and the
// computed digest otherwise.
void VerifyPatchSet(const std::string& workspace_text,
                    const std::string& patchset_text,
                    const std::string& patchset_source = "patchset");

// pyhf patchset extract: the patch called `patch_name` as canonical JSON;
// with_metadata: {"metadata": patch metadata updated by the PatchSet's
// metadata, "patch": [...]}.
std::string ExtractPatch(const std::string& patchset_text,
                         const std::string& patch_name,
                         bool with_metadata,
                         const std::string& patchset_source = "patchset");

// pyhf's PatchSet.apply(workspace, name): VerifyPatchSet, then the patch
// called `patch_name` applied to the whole workspace.
std::string ApplyPatchSet(const std::string& workspace_text,
                          const std::string& patchset_text,
                          const std::string& patch_name,
                          const std::string& patchset_source = "patchset");

}  // namespace goldmine::inference
