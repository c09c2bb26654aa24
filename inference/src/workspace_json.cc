#include "goldmine/inference/workspace_json.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "goldmine/core/errors.h"
#include "goldmine/core/strict_json.h"
#include "goldmine/inference/digests.h"
#include "goldmine/inference/pyhf_schema.h"
#include "goldmine/inference/simplified_likelihood.h"
#include "goldmine/inference/workspace.h"
#include "json_reader.h"
#include "pyhf_schema_rules.h"
#include "workspace_json_internal.h"

namespace goldmine::inference {
namespace internal {

using nlohmann::json;

json Parse(const std::string& text, const std::string& source) {
  return ParseStrictJson(text, source);
}

// Python's repr(float): shortest digits that round-trip; fixed notation for
// decimal exponents in [-4, 16), scientific otherwise.
std::string PythonFloat(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buffer[64];
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*e", precision - 1, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  const std::string text(buffer);
  const std::size_t e = text.find('e');
  const bool negative = text[0] == '-';
  std::string digits;
  for (std::size_t i = negative ? 1 : 0; i < e; ++i) {
    if (text[i] != '.') digits += text[i];
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int exponent = std::atoi(text.c_str() + e + 1);
  std::string result = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      result += "0." + std::string(-exponent - 1, '0') + digits;
    } else if (static_cast<int>(digits.size()) <= exponent + 1) {
      result += digits + std::string(exponent + 1 - digits.size(), '0') + ".0";
    } else {
      result +=
          digits.substr(0, exponent + 1) + "." + digits.substr(exponent + 1);
    }
  } else {
    result += digits.substr(0, 1);
    if (digits.size() > 1) result += "." + digits.substr(1);
    std::snprintf(buffer,
                  sizeof buffer,
                  "e%c%02d",
                  exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    result += buffer;
  }
  return result;
}

// json.dumps with ensure_ascii=False.
std::string PythonString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// json.dumps(value, sort_keys=True, ensure_ascii=False, indent=indent);
// indent < 0: one line with ", " and ": " separators.
void PythonDump(const json& value, int indent, int depth, std::string* out) {
  const std::string newline =
      indent < 0 ? "" : "\n" + std::string((depth + 1) * indent, ' ');
  const std::string closing =
      indent < 0 ? "" : "\n" + std::string(depth * indent, ' ');
  const std::string separator = indent < 0 ? ", " : ",";
  switch (value.type()) {
    case json::value_t::object: {
      if (value.empty()) {
        *out += "{}";
        return;
      }
      *out += "{";
      bool first = true;
      for (const auto& [key, item] : value.items()) {  // std::map: sorted
        if (!first) *out += separator;
        first = false;
        *out += newline + PythonString(key) + ": ";
        PythonDump(item, indent, depth + 1, out);
      }
      *out += closing + "}";
      return;
    }
    case json::value_t::array: {
      if (value.empty()) {
        *out += "[]";
        return;
      }
      *out += "[";
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i > 0) *out += separator;
        *out += newline;
        PythonDump(value[i], indent, depth + 1, out);
      }
      *out += closing + "]";
      return;
    }
    case json::value_t::string:
      *out += PythonString(value.get<std::string>());
      return;
    case json::value_t::number_float:
      *out += PythonFloat(value.get<double>());
      return;
    default:
      *out += value.dump();  // integers, booleans, null
  }
}

std::string Canonical(const json& value) {
  std::string out;
  PythonDump(value, 4, 0, &out);
  return out + "\n";
}

std::string DigestOf(const json& value, const std::string& algorithm) {
  std::string dumped;
  PythonDump(value, -1, 0, &dumped);
  if (algorithm == "sha256") return Sha256Hex(dumped);
  if (algorithm == "md5") return Md5Hex(dumped);
  throw InvalidInput("digest algorithm \"" + algorithm +
                     "\": expected md5 or sha256");
}

// Validates a document as a pyhf workspace (schema level: structural
// operations work on everything pyhf loads) and returns it in canonical
// form.
std::string Finish(const json& document, const std::string& source) {
  internal::CheckPyhfWorkspace(document, source);
  return Canonical(document);
}

// RFC 6902, one operation at a time, so that a failure names the operation.
json PatchDocument(const json& document,
                   const json& patch,
                   const std::string& source) {
  if (!patch.is_array()) {
    throw InvalidInput(
        source + ": expected a JSON Patch (an array of operations), got " +
        internal::ShortDump(patch));
  }
  json result = document;
  for (std::size_t i = 0; i < patch.size(); ++i) {
    const json& operation = patch[i];
    const std::string where = source + ": patch[" + std::to_string(i) + "]";
    if (!operation.is_object() || !operation.contains("op") ||
        !operation.contains("path") || !operation["op"].is_string() ||
        !operation["path"].is_string()) {
      throw InvalidInput(where +
                         ": expected an object with string \"op\" and "
                         "\"path\", got " +
                         internal::ShortDump(operation));
    }
    const std::string op = operation["op"];
    const std::string path = operation["path"];
    static const std::set<std::string> kOps = {
        "add", "remove", "replace", "move", "copy", "test"};
    if (kOps.count(op) == 0) {
      throw InvalidInput(where +
                         ".op: expected one of add, remove, replace, "
                         "move, copy, test, got \"" +
                         op + "\"");
    }
    if ((op == "add" || op == "replace" || op == "test") &&
        !operation.contains("value")) {
      throw InvalidInput(where + " (" + op + " " + path +
                         "): missing \"value\"");
    }
    if ((op == "move" || op == "copy") &&
        !(operation.contains("from") && operation["from"].is_string())) {
      throw InvalidInput(where + " (" + op + " " + path +
                         "): expected a string \"from\"");
    }
    try {
      result = result.patch(json::array({operation}));
    } catch (const json::exception& error) {
      std::string reason = error.what();
      const std::size_t bracket = reason.find("] ");
      if (bracket != std::string::npos) reason = reason.substr(bracket + 2);
      throw InvalidInput(where + " (" + op + " " + path +
                         "): cannot apply: " + reason);
    }
  }
  return result;
}

}  // namespace internal

namespace {

using internal::Canonical;
using internal::Finish;
using internal::Parse;
using internal::PatchDocument;
using nlohmann::json;

json* FindMeasurement(json& workspace,
                      const std::string& name,
                      const std::string& source) {
  if (!workspace.contains("measurements") ||
      !workspace["measurements"].is_array() ||
      workspace["measurements"].empty()) {
    throw InvalidInput(source + ": measurements: expected a non-empty array");
  }
  if (name.empty()) return &workspace["measurements"][0];
  std::string available;
  for (json& measurement : workspace["measurements"]) {
    if (measurement.value("name", "") == name) return &measurement;
    available += (available.empty() ? "" : ", ") +
                 measurement.value("name", std::string("?"));
  }
  throw InvalidInput(source + ": no measurement \"" + name +
                     "\"; the workspace has " + available);
}

// pyhf's _join_items.
json JoinItems(const std::string& join,
               const json& left,
               const json& right,
               const char* deep_merge_key = nullptr) {
  const json& primary = join == "right outer" ? right : left;
  const json& secondary = join == "right outer" ? left : right;
  json joined = primary;
  std::vector<std::string> keys;
  for (const json& item : joined) keys.push_back(item.value("name", ""));
  for (const json& item : secondary) {
    const std::string name = item.value("name", "");
    const auto found = std::find(keys.begin(), keys.end(), name);
    bool in_primary = false;
    for (const json& candidate : primary) in_primary |= candidate == item;
    if (found != keys.end() && deep_merge_key != nullptr) {
      json& target = joined[found - keys.begin()][deep_merge_key];
      target = JoinItems("left outer", target, item[deep_merge_key]);
    } else if (join == "none" || (join == "outer" && !in_primary) ||
               ((join == "left outer" || join == "right outer") &&
                found == keys.end())) {
      joined.push_back(item);
    }
  }
  return joined;
}

void RequireUniqueNames(const json& items, const std::string& what) {
  std::set<std::string> seen;
  for (const json& item : items) {
    const std::string name = item.value("name", "");
    if (!seen.insert(name).second) {
      throw InvalidInput("combine: " + what + " \"" + name +
                         "\" differs between the workspaces (outer join "
                         "needs identical items with the same name)");
    }
  }
}

std::map<std::string, std::string> RenameMap(
    const std::vector<std::pair<std::string, std::string>>& pairs) {
  return {pairs.begin(), pairs.end()};
}

std::string Renamed(const std::map<std::string, std::string>& map,
                    const std::string& name) {
  const auto found = map.find(name);
  return found == map.end() ? name : found->second;
}

// Names present in the workspace, for existence checks of prune/rename.
struct Contents {
  std::set<std::string> channels, samples, modifiers, modifier_types,
      measurements;
  explicit Contents(const json& workspace) {
    for (const json& channel : workspace["channels"]) {
      channels.insert(channel["name"].get<std::string>());
      for (const json& sample : channel["samples"]) {
        samples.insert(sample["name"].get<std::string>());
        for (const json& modifier : sample["modifiers"]) {
          modifiers.insert(modifier["name"].get<std::string>());
          modifier_types.insert(modifier["type"].get<std::string>());
        }
      }
    }
    for (const json& measurement : workspace["measurements"]) {
      measurements.insert(measurement["name"].get<std::string>());
    }
  }
};

void RequireContained(const std::set<std::string>& available,
                      const std::vector<std::string>& names,
                      const std::string& what,
                      const std::string& operation) {
  for (const std::string& name : names) {
    if (available.count(name) == 0) {
      std::string list;
      for (const std::string& candidate : available) {
        list += (list.empty() ? "" : ", ") + candidate;
      }
      throw InvalidInput(operation + ": the workspace has no " + what + " \"" +
                         name + "\"; it has " + list);
    }
  }
}

json Validated(const std::string& text, const std::string& source) {
  const json document = Parse(text, source);
  internal::CheckPyhfWorkspace(document, source);
  return document;
}

}  // namespace

std::string CanonicalJson(const std::string& text, const std::string& source) {
  return Canonical(Parse(text, source));
}

std::string Sha256Digest(const std::string& text, const std::string& source) {
  return internal::DigestOf(Parse(text, source), "sha256");
}

std::string WorkspaceDigest(const std::string& text,
                            const std::string& algorithm,
                            const std::string& source) {
  return internal::DigestOf(Validated(text, source), algorithm);
}

std::string SortWorkspace(const std::string& workspace_text,
                          const std::string& source) {
  json workspace = Validated(workspace_text, source);
  const auto by_name = [](const json& a, const json& b) {
    return a["name"].get<std::string>() < b["name"].get<std::string>();
  };
  // Python's list.sort is stable; so is std::stable_sort.
  std::stable_sort(
      workspace["channels"].begin(), workspace["channels"].end(), by_name);
  for (json& channel : workspace["channels"]) {
    std::stable_sort(
        channel["samples"].begin(), channel["samples"].end(), by_name);
    for (json& sample : channel["samples"]) {
      std::stable_sort(sample["modifiers"].begin(),
                       sample["modifiers"].end(),
                       [](const json& a, const json& b) {
                         return std::make_pair(a["name"].get<std::string>(),
                                               a["type"].get<std::string>()) <
                                std::make_pair(b["name"].get<std::string>(),
                                               b["type"].get<std::string>());
                       });
    }
  }
  std::stable_sort(workspace["measurements"].begin(),
                   workspace["measurements"].end(),
                   by_name);
  for (json& measurement : workspace["measurements"]) {
    json& parameters = measurement["config"]["parameters"];
    std::stable_sort(parameters.begin(), parameters.end(), by_name);
  }
  std::stable_sort(workspace["observations"].begin(),
                   workspace["observations"].end(),
                   by_name);
  return Finish(workspace, "sorted workspace");
}

std::string ApplyJsonPatch(const std::string& document_text,
                           const std::string& patch_text,
                           const std::string& patch_source) {
  const json patched = PatchDocument(Parse(document_text, "workspace"),
                                     Parse(patch_text, patch_source),
                                     patch_source);
  return Finish(patched, "workspace patched by " + patch_source);
}

std::string WorkspaceFromDocument(const std::string& document_text,
                                  const std::string& source) {
  // A simplified likelihood (histfactory simplify) is evaluated as its
  // equivalent workspace (inference/simplified_likelihood.h).
  if (IsSimplifiedLikelihoodJson(document_text)) {
    return SimplifiedLikelihoodWorkspace(
        ParseSimplifiedLikelihood(document_text, source));
  }
  return document_text;
}

std::string PatchWorkspace(const std::string& workspace_text,
                           const std::string& workspace_source,
                           const WorkspacePatches& patches,
                           const DocumentReader& read) {
  std::string text = workspace_text;
  if (patches.patchset) {
    ValidatePyhfWorkspace(text, workspace_source);  // messages name the file
    const std::string& patchset_path = *patches.patchset;
    const std::string patchset = read(patchset_path, "PatchSet");
    text = ApplyPatchSet(
        text, patchset, patches.patch_name(patchset), patchset_path);
  }
  if (!patches.patches.empty()) {
    ValidatePyhfWorkspace(text, workspace_source);
    for (const std::string& patch_path : patches.patches) {
      text = ApplyModelPatch(
          text, read(patch_path, "patch"), patches.measurement, patch_path);
    }
  }
  return text;
}

std::string ApplyModelPatch(const std::string& workspace_text,
                            const std::string& patch_text,
                            const std::string& measurement,
                            const std::string& patch_source) {
  json workspace = Validated(workspace_text, "workspace");
  json* chosen = FindMeasurement(workspace, measurement, "workspace");
  const json spec = {{"channels", workspace["channels"]},
                     {"parameters", (*chosen)["config"]["parameters"]}};
  const json patched =
      PatchDocument(spec, Parse(patch_text, patch_source), patch_source);
  if (!patched.contains("channels") || !patched.contains("parameters")) {
    throw InvalidInput(patch_source +
                       ": the patch removes \"channels\" or \"parameters\" "
                       "from the model specification");
  }
  workspace["channels"] = patched["channels"];
  (*chosen)["config"]["parameters"] = patched["parameters"];
  // pyhf applies these patches to the *model* specification and builds the
  // model, so the result must also be a model (bins, bounds).
  const std::string source = "workspace patched by " + patch_source;
  Workspace::FromJson(workspace.dump(), source);
  return Finish(workspace, source);
}

std::string CombineWorkspaces(const std::string& left_text,
                              const std::string& right_text,
                              const std::string& join,
                              bool merge_channels) {
  static const std::set<std::string> kJoins = {
      "none", "outer", "left outer", "right outer"};
  if (kJoins.count(join) == 0) {
    throw InvalidInput(
        "combine: join must be one of none, outer, left outer, "
        "right outer; got \"" +
        join + "\"");
  }
  if (merge_channels && join == "none") {
    throw InvalidInput("combine: merging channels needs an outer join");
  }
  const json left = Validated(left_text, "left workspace");
  const json right = Validated(right_text, "right workspace");
  if (left["version"] != right["version"]) {
    throw InvalidInput("combine: workspace versions differ (" +
                       left["version"].dump() + " vs " +
                       right["version"].dump() + ")");
  }
  if (join == "none") {
    for (const char* key : {"channels", "observations", "measurements"}) {
      std::set<std::string> names;
      for (const json& item : left[key]) names.insert(item["name"]);
      for (const json& item : right[key]) {
        if (names.count(item["name"]) != 0) {
          throw InvalidInput(std::string("combine: both workspaces have ") +
                             (key[0] == 'c'   ? "channel"
                              : key[0] == 'o' ? "observation"
                                              : "measurement") +
                             " " + item["name"].dump() +
                             "; use an outer join or rename/prune it first");
        }
      }
    }
  }
  json combined;
  combined["version"] = left["version"];
  combined["channels"] = JoinItems(join,
                                   left["channels"],
                                   right["channels"],
                                   merge_channels ? "samples" : nullptr);
  combined["observations"] =
      JoinItems(join, left["observations"], right["observations"]);
  json measurements =
      JoinItems(join, left["measurements"], right["measurements"]);
  if (join == "outer") {
    RequireUniqueNames(combined["channels"], "channel");
    RequireUniqueNames(combined["observations"], "observation");
    std::vector<std::string> order;
    std::map<std::string, std::vector<json>> by_name;
    for (const json& measurement : measurements) {
      const std::string name = measurement["name"];
      if (by_name.count(name) == 0) order.push_back(name);
      by_name[name].push_back(measurement);
    }
    json merged = json::array();
    for (const std::string& name : order) {
      const std::vector<json>& group = by_name[name];
      if (group.size() == 1) {
        merged.push_back(group[0]);
        continue;
      }
      json parameters = group[0]["config"]["parameters"];
      for (std::size_t i = 1; i < group.size(); ++i) {
        if (group[i]["config"]["poi"] != group[0]["config"]["poi"]) {
          throw InvalidInput("combine: measurement \"" + name +
                             "\" has different POIs " +
                             group[0]["config"]["poi"].dump() + " and " +
                             group[i]["config"]["poi"].dump());
        }
        parameters =
            JoinItems("outer", parameters, group[i]["config"]["parameters"]);
      }
      std::set<std::string> seen;
      for (const json& parameter : parameters) {
        if (!seen.insert(parameter["name"].get<std::string>()).second) {
          throw InvalidInput(
              "combine: measurement \"" + name + "\" configures parameter " +
              parameter["name"].dump() + " differently in the two workspaces");
        }
      }
      merged.push_back(
          {{"name", name},
           {"config",
            {{"poi", group[0]["config"]["poi"]}, {"parameters", parameters}}}});
    }
    measurements = merged;
  }
  combined["measurements"] = measurements;
  return Finish(combined, "combined workspace");
}

std::string PruneWorkspace(const std::string& workspace_text,
                           const PruneSpec& prune) {
  const json workspace = Validated(workspace_text, "workspace");
  const Contents contents(workspace);
  RequireContained(contents.modifiers, prune.modifiers, "modifier", "prune");
  RequireContained(
      contents.modifier_types, prune.modifier_types, "modifier type", "prune");
  RequireContained(contents.samples, prune.samples, "sample", "prune");
  RequireContained(contents.channels, prune.channels, "channel", "prune");
  RequireContained(
      contents.measurements, prune.measurements, "measurement", "prune");
  const auto contains = [](const std::vector<std::string>& list,
                           const json& name) {
    return std::find(list.begin(), list.end(), name.get<std::string>()) !=
           list.end();
  };
  json result = {{"version", workspace["version"]},
                 {"channels", json::array()},
                 {"observations", json::array()},
                 {"measurements", json::array()}};
  for (const json& channel : workspace["channels"]) {
    if (contains(prune.channels, channel["name"])) continue;
    json samples = json::array();
    for (const json& sample : channel["samples"]) {
      if (contains(prune.samples, sample["name"])) continue;
      json modifiers = json::array();
      for (const json& modifier : sample["modifiers"]) {
        if (contains(prune.modifiers, modifier["name"]) ||
            contains(prune.modifier_types, modifier["type"])) {
          continue;
        }
        modifiers.push_back(modifier);
      }
      json kept = sample;
      kept["modifiers"] = modifiers;
      samples.push_back(kept);
    }
    result["channels"].push_back(
        {{"name", channel["name"]}, {"samples", samples}});
  }
  for (const json& observation : workspace["observations"]) {
    if (!contains(prune.channels, observation["name"])) {
      result["observations"].push_back(observation);
    }
  }
  for (const json& measurement : workspace["measurements"]) {
    if (contains(prune.measurements, measurement["name"])) continue;
    json parameters = json::array();
    for (const json& parameter : measurement["config"]["parameters"]) {
      if (!contains(prune.modifiers, parameter["name"])) {
        parameters.push_back(parameter);
      }
    }
    json kept = measurement;
    kept["config"]["parameters"] = parameters;
    result["measurements"].push_back(kept);
  }
  return Finish(result, "pruned workspace");
}

std::string RenameWorkspace(const std::string& workspace_text,
                            const RenameSpec& rename) {
  json workspace = Validated(workspace_text, "workspace");
  const Contents contents(workspace);
  const auto firsts =
      [](const std::vector<std::pair<std::string, std::string>>& pairs) {
        std::vector<std::string> names;
        for (const auto& pair : pairs) names.push_back(pair.first);
        return names;
      };
  RequireContained(
      contents.modifiers, firsts(rename.modifiers), "modifier", "rename");
  RequireContained(
      contents.samples, firsts(rename.samples), "sample", "rename");
  RequireContained(
      contents.channels, firsts(rename.channels), "channel", "rename");
  RequireContained(contents.measurements,
                   firsts(rename.measurements),
                   "measurement",
                   "rename");
  const auto modifiers = RenameMap(rename.modifiers);
  const auto samples = RenameMap(rename.samples);
  const auto channels = RenameMap(rename.channels);
  const auto measurements = RenameMap(rename.measurements);
  for (json& channel : workspace["channels"]) {
    channel["name"] = Renamed(channels, channel["name"]);
    for (json& sample : channel["samples"]) {
      sample["name"] = Renamed(samples, sample["name"]);
      for (json& modifier : sample["modifiers"]) {
        modifier["name"] = Renamed(modifiers, modifier["name"]);
      }
    }
  }
  for (json& observation : workspace["observations"]) {
    observation["name"] = Renamed(channels, observation["name"]);
  }
  for (json& measurement : workspace["measurements"]) {
    measurement["name"] = Renamed(measurements, measurement["name"]);
    json& config = measurement["config"];
    config["poi"] = Renamed(modifiers, config["poi"]);
    for (json& parameter : config["parameters"]) {
      parameter["name"] = Renamed(modifiers, parameter["name"]);
    }
  }
  return Finish(workspace, "renamed workspace");
}

}  // namespace goldmine::inference
