#include "goldmine/inference/workspace_json.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "goldmine/core/errors.h"
#include "goldmine/inference/workspace.h"
#include "json_reader.h"

namespace goldmine::inference {
namespace {

using nlohmann::json;

json Parse(const std::string& text, const std::string& source) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    throw FileFormatError(source + ": not valid JSON (" + error.what() + ")");
  }
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

// SHA-256 (FIPS 180-4).
std::string Sha256Hex(const std::string& message) {
  static constexpr std::uint32_t kRound[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
      0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
      0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
      0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
      0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
      0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
      0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
      0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  std::array<std::uint32_t, 8> h = {0x6a09e667,
                                    0xbb67ae85,
                                    0x3c6ef372,
                                    0xa54ff53a,
                                    0x510e527f,
                                    0x9b05688c,
                                    0x1f83d9ab,
                                    0x5be0cd19};
  std::string data = message;
  const std::uint64_t bits = static_cast<std::uint64_t>(message.size()) * 8;
  data += static_cast<char>(0x80);
  while (data.size() % 64 != 56) data += '\0';
  for (int i = 7; i >= 0; --i)
    data += static_cast<char>((bits >> (8 * i)) & 0xff);
  const auto rotate = [](std::uint32_t x, int n) {
    return (x >> n) | (x << (32 - n));
  };
  for (std::size_t chunk = 0; chunk < data.size(); chunk += 64) {
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int j = 0; j < 4; ++j) {
        w[i] =
            (w[i] << 8) | static_cast<unsigned char>(data[chunk + 4 * i + j]);
      }
    }
    for (int i = 16; i < 64; ++i) {
      const std::uint32_t s0 =
          rotate(w[i - 15], 7) ^ rotate(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 =
          rotate(w[i - 2], 17) ^ rotate(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::array<std::uint32_t, 8> v = h;
    for (int i = 0; i < 64; ++i) {
      const std::uint32_t s1 =
          rotate(v[4], 6) ^ rotate(v[4], 11) ^ rotate(v[4], 25);
      const std::uint32_t choice = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const std::uint32_t t1 = v[7] + s1 + choice + kRound[i] + w[i];
      const std::uint32_t s0 =
          rotate(v[0], 2) ^ rotate(v[0], 13) ^ rotate(v[0], 22);
      const std::uint32_t majority =
          (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      const std::uint32_t t2 = s0 + majority;
      for (int j = 7; j > 0; --j) v[j] = v[j - 1];
      v[4] += t1;
      v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; ++i) h[i] += v[i];
  }
  std::string hex;
  char buffer[9];
  for (std::uint32_t word : h) {
    std::snprintf(buffer, sizeof buffer, "%08x", word);
    hex += buffer;
  }
  return hex;
}

// Validates a document as a workspace and returns it in canonical form.
std::string Finish(const json& document, const std::string& source) {
  Workspace::FromJson(document.dump(), source);
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
    if ((op == "move" || op == "copy") && !operation.contains("from")) {
      throw InvalidInput(where + " (" + op + " " + path +
                         "): missing \"from\"");
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
  Workspace::FromJson(text, source);
  return document;
}

}  // namespace

std::string CanonicalJson(const std::string& text, const std::string& source) {
  return Canonical(Parse(text, source));
}

std::string Sha256Digest(const std::string& text, const std::string& source) {
  std::string out;
  PythonDump(Parse(text, source), -1, 0, &out);
  return Sha256Hex(out);
}

std::string ApplyJsonPatch(const std::string& document_text,
                           const std::string& patch_text,
                           const std::string& patch_source) {
  const json patched = PatchDocument(Parse(document_text, "workspace"),
                                     Parse(patch_text, patch_source),
                                     patch_source);
  return Finish(patched, "workspace patched by " + patch_source);
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
  return Finish(workspace, "workspace patched by " + patch_source);
}

std::vector<std::string> PatchSetNames(const std::string& patchset_text,
                                       const std::string& patchset_source) {
  const json patchset = Parse(patchset_text, patchset_source);
  const internal::JsonReader root(patchset, patchset_source, "");
  root.RequireOnlyKeys({"metadata", "patches", "version"});
  if (root.At("version").AsString() != "1.0.0") {
    root.At("version").Fail("\"1.0.0\"");
  }
  const internal::JsonReader metadata = root.At("metadata");
  metadata.RequireObject();
  const std::vector<internal::JsonReader> labels =
      metadata.At("labels").Elements(false);
  metadata.At("digests").RequireObject();
  metadata.At("description").AsString();
  static const std::regex kName("^[a-zA-Z0-9_]+$");
  std::vector<std::string> names;
  std::set<std::string> values_seen;
  for (const internal::JsonReader& patch : root.At("patches").Elements(false)) {
    patch.RequireOnlyKeys({"metadata", "patch"});
    const internal::JsonReader patch_metadata = patch.At("metadata");
    const internal::JsonReader name = patch_metadata.At("name");
    const std::string text = name.AsString();
    if (!std::regex_match(text, kName))
      name.Fail("a name matching ^[a-zA-Z0-9_]+$");
    if (std::find(names.begin(), names.end(), text) != names.end()) {
      name.FailWith("duplicate patch name \"" + text + "\"");
    }
    const internal::JsonReader values = patch_metadata.At("values");
    if (!values.value().is_array() || values.value().size() != labels.size()) {
      values.Fail(std::to_string(labels.size()) +
                  " values (one per label in metadata.labels)");
    }
    if (!values_seen.insert(values.value().dump()).second) {
      values.FailWith("duplicate patch values " + values.value().dump());
    }
    if (!patch.At("patch").value().is_array())
      patch.At("patch").Fail("an array");
    names.push_back(text);
  }
  return names;
}

std::string ApplyPatchSet(const std::string& workspace_text,
                          const std::string& patchset_text,
                          const std::string& patch_name,
                          const std::string& patchset_source) {
  const std::vector<std::string> names =
      PatchSetNames(patchset_text, patchset_source);
  const json patchset = Parse(patchset_text, patchset_source);
  const json workspace = Validated(workspace_text, "workspace");
  for (const auto& [algorithm, digest] :
       patchset["metadata"]["digests"].items()) {
    if (algorithm != "sha256") {
      throw InvalidInput(patchset_source + ": metadata.digests." + algorithm +
                         ": only sha256 digests are supported");
    }
    std::string dumped;
    PythonDump(workspace, -1, 0, &dumped);
    const std::string actual = Sha256Hex(dumped);
    if (!digest.is_string() || digest.get<std::string>() != actual) {
      throw InvalidInput(patchset_source + ": metadata.digests.sha256: " +
                         internal::ShortDump(digest) +
                         " does not match the workspace (sha256 " + actual +
                         "); the PatchSet belongs to another workspace");
    }
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == patch_name) {
      const std::string source =
          patchset_source + ": patches[" + std::to_string(i) + "].patch";
      return Finish(
          PatchDocument(workspace, patchset["patches"][i]["patch"], source),
          "workspace patched by " + patchset_source + " " + patch_name);
    }
  }
  std::string list;
  for (const std::string& name : names)
    list += (list.empty() ? "" : ", ") + name;
  throw InvalidInput(patchset_source + ": no patch named \"" + patch_name +
                     "\"; the PatchSet has " + list);
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
    for (const char* key : {"channels", "measurements"}) {
      std::set<std::string> names;
      for (const json& item : left[key]) names.insert(item["name"]);
      for (const json& item : right[key]) {
        if (names.count(item["name"]) != 0) {
          throw InvalidInput(std::string("combine: both workspaces have ") +
                             (key[0] == 'c' ? "channel" : "measurement") + " " +
                             item["name"].dump() +
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
