#include "pyhf_schema_rules.h"

#include <cstdio>
#include <set>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/core/strict_json.h"
#include "goldmine/inference/pyhf_schema.h"
#include "json_reader.h"
#include "schema_patterns.h"

namespace goldmine::inference::internal {
namespace {

using nlohmann::json;

void RequireConst(const JsonReader& node, const char* value) {
  if (!(node.value().is_string() && node.value().get<std::string>() == value))
    node.Fail(std::string("\"") + value + "\"");
}

// defs.json's "pattern"s, as predicates (schema_patterns.h says why).
template <typename Matches>
void RequireMatch(const JsonReader& node,
                  Matches matches,
                  const std::string& expected) {
  if (!node.value().is_string() || !matches(node.value().get<std::string>())) {
    node.Fail(expected);
  }
}

bool IsMd5(const std::string& text) { return IsHexDigits(text, 32, false); }
bool IsSha256(const std::string& text) { return IsHexDigits(text, 64, true); }

// {"type": "array", "items": {"type": "number"}, "minItems": 1}
void RequireNumbers(const JsonReader& node) {
  if (!node.value().is_array()) node.Fail("an array of numbers");
  if (node.value().empty()) node.Fail("a non-empty array of numbers");
  for (const JsonReader& element : node.Elements(false)) element.AsDouble();
}

void RequireNull(const JsonReader& node) {
  if (!node.value().is_null()) node.Fail("null");
}

// The modifier branch of sample.modifiers' anyOf. The branches differ in
// their "type" const, so the branch is chosen by "type".
void CheckModifier(const JsonReader& node) {
  node.RequireObject();
  const JsonReader type_node = node.At("type");
  static const std::set<std::string> kTypes = {"histosys",
                                               "lumi",
                                               "normfactor",
                                               "normsys",
                                               "shapefactor",
                                               "shapesys",
                                               "staterror"};
  if (!type_node.value().is_string() ||
      kTypes.count(type_node.value().get<std::string>()) == 0) {
    type_node.Fail(
        "one of histosys, lumi, normfactor, normsys, shapefactor, shapesys, "
        "staterror");
  }
  const std::string type = type_node.AsString();
  node.RequireOnlyKeys({"name", "type", "data"});
  const JsonReader name = node.At("name");
  if (type == "lumi") {
    if (!(name.value().is_string() && name.value() == "lumi"))
      name.Fail("\"lumi\" (the only name a lumi modifier may have)");
  } else {
    name.AsString();
  }
  const JsonReader data = node.At("data");
  if (type == "histosys") {
    data.RequireOnlyKeys({"lo_data", "hi_data"});
    RequireNumbers(data.At("lo_data"));
    RequireNumbers(data.At("hi_data"));
  } else if (type == "normsys") {
    data.RequireOnlyKeys({"lo", "hi"});
    data.At("lo").AsDouble();
    data.At("hi").AsDouble();
  } else if (type == "shapesys" || type == "staterror") {
    RequireNumbers(data);
  } else {
    RequireNull(data);
  }
}

void CheckChannel(const JsonReader& node) {
  node.RequireOnlyKeys({"name", "samples"});
  const std::string channel = node.At("name").AsString();
  std::set<std::string> samples;
  for (const JsonReader& sample : node.At("samples").Elements(false)) {
    sample.RequireOnlyKeys({"name", "data", "modifiers"});
    const std::string name = sample.At("name").AsString();
    RequireNumbers(sample.At("data"));
    std::set<std::pair<std::string, std::string>> modifiers;
    for (const JsonReader& modifier : sample.At("modifiers").Elements(true)) {
      CheckModifier(modifier);
      const std::string modifier_name = modifier.At("name").AsString();
      const std::string type = modifier.At("type").AsString();
      // pyhf's Workspace (_ChannelSummaryMixin) refuses these three kinds
      // of duplicates, although the schema allows them.
      if (!modifiers.insert({modifier_name, type}).second) {
        modifier.FailWith("duplicate " + type + " modifier \"" + modifier_name +
                          "\" in sample \"" + name + "\"");
      }
    }
    if (!samples.insert(name).second) {
      sample.At("name").FailWith("duplicate sample name \"" + name +
                                 "\" in channel \"" + channel + "\"");
    }
  }
}

void CheckParameter(const JsonReader& node) {
  node.RequireOnlyKeys(
      {"name", "inits", "bounds", "auxdata", "factors", "sigmas", "fixed"});
  node.At("name").AsString();
  for (const char* key : {"inits", "auxdata", "factors", "sigmas"}) {
    if (node.Has(key)) RequireNumbers(node.At(key));
  }
  if (node.Has("bounds")) {
    // defs.json puts minItems/maxItems 2 on the *number*, where they do
    // nothing: any array of numbers is a valid bound for the schema.
    for (const JsonReader& pair : node.At("bounds").Elements(false)) {
      if (!pair.value().is_array()) pair.Fail("an array of numbers");
      for (const JsonReader& bound : pair.Elements(true)) bound.AsDouble();
    }
  }
  if (node.Has("fixed")) node.At("fixed").AsBool();
}

void CheckMeasurement(const JsonReader& node) {
  node.RequireOnlyKeys({"name", "config"});
  node.At("name").AsString();
  const JsonReader config = node.At("config");
  config.RequireOnlyKeys({"poi", "parameters"});
  config.At("poi").AsString();
  for (const JsonReader& parameter : config.At("parameters").Elements(true)) {
    CheckParameter(parameter);
  }
}

// Python compares patch values as tuples: 2100 == 2100.0, "a" != 2100.
std::string ValuesKey(const json& values) {
  std::string key;
  char buffer[40];
  for (const json& value : values) {
    if (value.is_number()) {
      std::snprintf(buffer, sizeof buffer, "n%.17g|", value.get<double>());
      key += buffer;
    } else {
      key += "s" + value.get<std::string>() + "|";
    }
  }
  return key;
}

}  // namespace

void CheckPyhfWorkspace(const json& document, const std::string& source) {
  const JsonReader root(document, source, "");
  root.RequireOnlyKeys({"channels", "measurements", "observations", "version"});
  RequireConst(root.At("version"), "1.0.0");
  std::set<std::string> channels;
  for (const JsonReader& channel : root.At("channels").Elements(false)) {
    CheckChannel(channel);
    const std::string name = channel.At("name").AsString();
    if (!channels.insert(name).second) {
      channel.At("name").FailWith("duplicate channel name \"" + name + "\"");
    }
  }
  for (const JsonReader& observation :
       root.At("observations").Elements(false)) {
    observation.RequireOnlyKeys({"name", "data"});
    observation.At("name").AsString();
    RequireNumbers(observation.At("data"));
  }
  for (const JsonReader& measurement :
       root.At("measurements").Elements(false)) {
    CheckMeasurement(measurement);
  }
}

void CheckPyhfJsonPatch(const json& document,
                        const std::string& source,
                        const std::string& path) {
  const JsonReader patch(document, source, path);
  if (!document.is_array()) patch.Fail("a JSON Patch (an array of operations)");
  for (const JsonReader& operation : patch.Elements(true)) {
    operation.RequireObject();
    const JsonReader op = operation.At("op");
    operation.At("path").AsString();
    static const std::set<std::string> kOps = {
        "add", "remove", "replace", "move", "copy", "test"};
    if (!op.value().is_string() ||
        kOps.count(op.value().get<std::string>()) == 0) {
      op.Fail("one of add, remove, replace, move, copy, test");
    }
    const std::string name = op.AsString();
    if (name == "add" || name == "replace" || name == "test") {
      operation.At("value");
    } else if (name == "move" || name == "copy") {
      operation.At("from").AsString();
    }
  }
}

void CheckPyhfPatchSet(const json& document, const std::string& source) {
  const JsonReader root(document, source, "");
  root.RequireOnlyKeys({"metadata", "patches", "version"});
  const JsonReader metadata = root.At("metadata");
  metadata.RequireObject();  // other keys are allowed here
  const JsonReader references = metadata.At("references");
  references.RequireOnlyKeys({"hepdata"});
  if (references.value().empty()) {
    references.Fail(
        "at least one reference: {\"hepdata\": \"insNNNNNNN\"} (the INSPIRE "
        "id of the HEPData record)");
  }
  RequireMatch(references.At("hepdata"),
               IsHepDataId,
               "a HEPData id matching ^ins[0-9]{7}$");
  const JsonReader digests = metadata.At("digests");
  digests.RequireOnlyKeys({"md5", "sha256"});
  if (digests.value().empty()) digests.Fail("at least one of md5, sha256");
  if (digests.Has("md5")) {
    RequireMatch(digests.At("md5"), IsMd5, "32 lowercase hex digits");
  }
  if (digests.Has("sha256")) {
    RequireMatch(digests.At("sha256"), IsSha256, "64 hex digits");
  }
  const std::vector<JsonReader> labels = metadata.At("labels").Elements(false);
  for (const JsonReader& label : labels) {
    RequireMatch(label, IsPyhfName, "a label matching ^[a-zA-Z0-9_]+$");
  }
  metadata.At("description").AsString();
  RequireConst(root.At("version"), "1.0.0");

  std::set<std::string> names;
  std::set<std::string> values_seen;
  for (const JsonReader& patch : root.At("patches").Elements(false)) {
    patch.RequireOnlyKeys({"metadata", "patch"});
    const JsonReader patch_metadata = patch.At("metadata");
    patch_metadata.RequireObject();
    const JsonReader name = patch_metadata.At("name");
    RequireMatch(name, IsPyhfName, "a name matching ^[a-zA-Z0-9_]+$");
    const JsonReader values = patch_metadata.At("values");
    for (const JsonReader& value : values.Elements(true)) {
      if (!value.value().is_number() && !value.value().is_string()) {
        value.Fail("a number or a string (patch values are scalars)");
      }
    }
    CheckPyhfJsonPatch(
        patch.At("patch").value(), source, patch.At("patch").path());
    // pyhf's PatchSet class.
    if (values.value().size() != labels.size()) {
      values.Fail(std::to_string(labels.size()) +
                  " values (one per label in metadata.labels)");
    }
    const std::string text = name.AsString();
    if (!names.insert(text).second) {
      name.FailWith("duplicate patch name \"" + text + "\"");
    }
    if (!values_seen.insert(ValuesKey(values.value())).second) {
      values.FailWith("duplicate patch values " + values.value().dump());
    }
  }
}

namespace {

json ParseDocument(const std::string& text, const std::string& source) {
  return ParseStrictJson(text, source);
}

}  // namespace
}  // namespace goldmine::inference::internal

namespace goldmine::inference {

void ValidatePyhfWorkspace(const std::string& text, const std::string& source) {
  internal::CheckPyhfWorkspace(internal::ParseDocument(text, source), source);
}

void ValidatePyhfPatchSet(const std::string& text, const std::string& source) {
  internal::CheckPyhfPatchSet(internal::ParseDocument(text, source), source);
}

void ValidatePyhfJsonPatch(const std::string& text, const std::string& source) {
  internal::CheckPyhfJsonPatch(internal::ParseDocument(text, source), source);
}

}  // namespace goldmine::inference
