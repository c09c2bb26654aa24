#include "goldmine/inference/patchset.h"

#include <cstdlib>

#include "goldmine/core/errors.h"
#include "json_reader.h"
#include "pyhf_schema_rules.h"
#include "workspace_json_internal.h"

namespace goldmine::inference {
namespace {

using nlohmann::json;

json ParsePatchSet(const std::string& text, const std::string& source) {
  json patchset = internal::Parse(text, source);
  internal::CheckPyhfPatchSet(patchset, source);
  return patchset;
}

std::string List(const std::vector<std::string>& items) {
  std::string list;
  for (const std::string& item : items) {
    list += (list.empty() ? "" : ", ") + item;
  }
  return list;
}

std::size_t PatchIndex(const json& patchset,
                       const std::string& name,
                       const std::string& source) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < patchset["patches"].size(); ++i) {
    names.push_back(patchset["patches"][i]["metadata"]["name"]);
    if (names.back() == name) return i;
  }
  throw InvalidInput(source + ": no patch named \"" + name +
                     "\"; the PatchSet has " + List(names));
}

bool ValueMatches(const json& value, const std::string& word) {
  if (value.is_string()) return value.get<std::string>() == word;
  char* end = nullptr;
  const double number = std::strtod(word.c_str(), &end);
  return !word.empty() && end == word.c_str() + word.size() &&
         number == value.get<double>();
}

void Verify(const json& workspace,
            const json& patchset,
            const std::string& source) {
  for (const auto& [algorithm, digest] :
       patchset["metadata"]["digests"].items()) {
    const std::string actual = internal::DigestOf(workspace, algorithm);
    if (digest.get<std::string>() != actual) {
      throw InvalidInput(source + ": metadata.digests." + algorithm + ": " +
                         digest.dump() + " does not match the workspace (" +
                         algorithm + " " + actual +
                         "); the PatchSet belongs to another workspace");
    }
  }
}

json ValidatedWorkspace(const std::string& text) {
  json workspace = internal::Parse(text, "workspace");
  internal::CheckPyhfWorkspace(workspace, "workspace");
  return workspace;
}

}  // namespace

PatchSetSummary ReadPatchSet(const std::string& patchset_text,
                             const std::string& patchset_source) {
  const json patchset = ParsePatchSet(patchset_text, patchset_source);
  const json& metadata = patchset["metadata"];
  PatchSetSummary summary;
  summary.description = metadata["description"];
  for (const json& label : metadata["labels"]) summary.labels.push_back(label);
  for (const auto& [key, value] : metadata["references"].items()) {
    summary.references.emplace_back(key, value.get<std::string>());
  }
  for (const auto& [key, value] : metadata["digests"].items()) {
    summary.digests.emplace_back(key, value.get<std::string>());
  }
  for (const json& patch : patchset["patches"]) {
    PatchSetPatch entry;
    entry.name = patch["metadata"]["name"];
    for (const json& value : patch["metadata"]["values"]) {
      entry.values.push_back(value.dump());
    }
    summary.patches.push_back(std::move(entry));
  }
  return summary;
}

std::vector<std::string> PatchSetNames(const std::string& patchset_text,
                                       const std::string& patchset_source) {
  std::vector<std::string> names;
  for (const PatchSetPatch& patch :
       ReadPatchSet(patchset_text, patchset_source).patches) {
    names.push_back(patch.name);
  }
  return names;
}

std::string PatchNameForValues(const std::string& patchset_text,
                               const std::vector<std::string>& values,
                               const std::string& patchset_source) {
  const json patchset = ParsePatchSet(patchset_text, patchset_source);
  std::vector<std::string> available;
  for (const json& patch : patchset["patches"]) {
    const json& candidate = patch["metadata"]["values"];
    bool match = candidate.size() == values.size();
    for (std::size_t i = 0; match && i < values.size(); ++i) {
      match = ValueMatches(candidate[i], values[i]);
    }
    if (match) return patch["metadata"]["name"];
    available.push_back(candidate.dump());
  }
  throw InvalidInput(patchset_source + ": no patch with values [" +
                     List(values) + "]; the PatchSet has " + List(available));
}

void VerifyPatchSet(const std::string& workspace_text,
                    const std::string& patchset_text,
                    const std::string& patchset_source) {
  Verify(ValidatedWorkspace(workspace_text),
         ParsePatchSet(patchset_text, patchset_source),
         patchset_source);
}

std::string ExtractPatch(const std::string& patchset_text,
                         const std::string& patch_name,
                         bool with_metadata,
                         const std::string& patchset_source) {
  const json patchset = ParsePatchSet(patchset_text, patchset_source);
  const json& patch =
      patchset["patches"][PatchIndex(patchset, patch_name, patchset_source)];
  if (!with_metadata) return internal::Canonical(patch["patch"]);
  json metadata = patch["metadata"];
  metadata.update(patchset["metadata"]);  // as pyhf: the PatchSet's keys win
  return internal::Canonical(
      {{"metadata", metadata}, {"patch", patch["patch"]}});
}

std::string ApplyPatchSet(const std::string& workspace_text,
                          const std::string& patchset_text,
                          const std::string& patch_name,
                          const std::string& patchset_source) {
  const json patchset = ParsePatchSet(patchset_text, patchset_source);
  const json workspace = ValidatedWorkspace(workspace_text);
  Verify(workspace, patchset, patchset_source);
  const std::size_t index = PatchIndex(patchset, patch_name, patchset_source);
  const std::string source =
      patchset_source + ": patches[" + std::to_string(index) + "].patch";
  return internal::Finish(
      internal::PatchDocument(
          workspace, patchset["patches"][index]["patch"], source),
      "workspace patched by " + patchset_source + " " + patch_name);
}

}  // namespace goldmine::inference
