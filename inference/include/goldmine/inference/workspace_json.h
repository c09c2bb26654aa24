// Operations on pyhf workspace *documents* (JSON text in, JSON text out), as
// pyhf's Workspace, JsonPatch and PatchSet perform them
// (docs/HISTFACTORY.md §13, §14): RFC 6902 JSON Patches, PatchSets with
// their digest check (patchset.h), combination with pyhf's join semantics,
// prune and rename. Results are written in pyhf's canonical form
// (json.dumps(..., indent=4, sort_keys=True)), so that reading and writing
// a document again gives the same bytes.
//
// Every function validates its inputs and result against pyhf's workspace
// schema (pyhf_schema.h), so that it works on every workspace pyhf loads,
// and throws InvalidInput / FileFormatError with the offending file and
// JSON path, e.g. "p.json: patch[2] (replace /channels/7/samples): ...".
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// PatchSets (ApplyPatchSet, PatchSetNames, ...) used to be declared here.
#include "goldmine/inference/patchset.h"

namespace goldmine::inference {

// JSON text as pyhf writes it: keys sorted, 4-space indent, Python's float
// repr (shortest round trip). Throws FileFormatError for invalid JSON.
std::string CanonicalJson(const std::string& text,
                          const std::string& source = "document");

// pyhf.utils.digest(obj, "sha256"): the hex sha256 of
// json.dumps(obj, sort_keys=True, ensure_ascii=False).
std::string Sha256Digest(const std::string& text,
                         const std::string& source = "document");

// pyhf digest WORKSPACE -a ALGORITHM: pyhf.utils.digest of the workspace
// (checked against pyhf's schema first); algorithm "sha256" or "md5".
std::string WorkspaceDigest(const std::string& workspace_text,
                            const std::string& algorithm,
                            const std::string& source = "workspace");

// pyhf sort / Workspace.sorted: channels, samples, modifiers (by name, then
// type), measurements, their parameter configs and observations sorted by
// name (stable).
std::string SortWorkspace(const std::string& workspace_text,
                          const std::string& source = "workspace");

// Applies the RFC 6902 patch `patch_text` to the whole document.
std::string ApplyJsonPatch(const std::string& document_text,
                           const std::string& patch_text,
                           const std::string& patch_source = "patch");

// pyhf's Workspace.model(patches=[patch]) applied back to the workspace:
// the patch acts on {"channels": ..., "parameters": <parameters of the
// measurement>} (measurement empty: the first one).
std::string ApplyModelPatch(const std::string& workspace_text,
                            const std::string& patch_text,
                            const std::string& measurement,
                            const std::string& patch_source = "patch");

// The pyhf workspace a document given as a workspace stands for: the
// document itself, or, for a goldmine simplified likelihood (`histfactory
// simplify`), its equivalent workspace (simplified_likelihood.h), so that
// every command evaluates both. Throws FileFormatError naming `source` for
// a malformed simplified likelihood.
std::string WorkspaceFromDocument(const std::string& document_text,
                                  const std::string& source);

// Reads a document named on a command line: (path, what it is, e.g.
// "PatchSet" or "patch") → its text.
using DocumentReader =
    std::function<std::string(const std::string&, const std::string&)>;

// The patches of pyhf's command lines, in the order they are applied.
struct WorkspacePatches {
  // A PatchSet (path) and, from its text, the name of its patch to apply:
  // a fixed name, or PatchNameForValues(text, values, path).
  std::optional<std::string> patchset;
  std::function<std::string(const std::string&)> patch_name;
  // RFC 6902 JSON Patches (paths) on {channels, parameters of
  // `measurement`} (ApplyModelPatch), in order.
  std::vector<std::string> patches;
  std::string measurement;  // empty: the first
};

// `workspace_text` with `patches` applied: with a PatchSet, the workspace is
// checked against pyhf's schema (messages name `workspace_source`), the
// PatchSet read, its digests verified and its patch applied
// (ApplyPatchSet); with JSON Patches, the result is checked again and each
// patch read and applied. Documents are read through `read` when needed, in
// that order, so that the first problem is the one reported. Throws
// InvalidInput / FileFormatError naming the document and JSON path.
std::string PatchWorkspace(const std::string& workspace_text,
                           const std::string& workspace_source,
                           const WorkspacePatches& patches,
                           const DocumentReader& read);

// pyhf's Workspace.combine(left, right, join, merge_channels); join is one
// of "none", "outer", "left outer", "right outer".
std::string CombineWorkspaces(const std::string& left_text,
                              const std::string& right_text,
                              const std::string& join = "none",
                              bool merge_channels = false);

struct PruneSpec {
  std::vector<std::string> modifiers;
  std::vector<std::string> modifier_types;
  std::vector<std::string> samples;
  std::vector<std::string> channels;
  std::vector<std::string> measurements;
};

struct RenameSpec {
  // (old name, new name) pairs.
  std::vector<std::pair<std::string, std::string>> modifiers;
  std::vector<std::pair<std::string, std::string>> samples;
  std::vector<std::pair<std::string, std::string>> channels;
  std::vector<std::pair<std::string, std::string>> measurements;
};

// pyhf's Workspace.prune / rename. Naming something the workspace does not
// contain is an error.
std::string PruneWorkspace(const std::string& workspace_text,
                           const PruneSpec& prune);
std::string RenameWorkspace(const std::string& workspace_text,
                            const RenameSpec& rename);

}  // namespace goldmine::inference
