#include "goldmine/inference/workspace.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "goldmine/core/errors.h"
#include "goldmine/core/strict_json.h"
#include "json_reader.h"
#include "pyhf_schema_rules.h"

namespace goldmine::inference {
namespace {

using internal::JsonReader;

ModifierType ParseModifierType(const JsonReader& node) {
  const std::string type = node.AsString();
  for (ModifierType candidate : {ModifierType::kHistoSys,
                                 ModifierType::kLumi,
                                 ModifierType::kNormFactor,
                                 ModifierType::kNormSys,
                                 ModifierType::kShapeFactor,
                                 ModifierType::kShapeSys,
                                 ModifierType::kStatError}) {
    if (type == ModifierTypeName(candidate)) return candidate;
  }
  node.Fail(
      "one of histosys, lumi, normfactor, normsys, shapefactor, shapesys, "
      "staterror");
}

Modifier ParseModifier(const JsonReader& node, int num_bins) {
  node.RequireOnlyKeys({"name", "type", "data"});
  Modifier modifier;
  modifier.name = node.At("name").AsString();
  modifier.type = ParseModifierType(node.At("type"));
  const JsonReader data = node.At("data");
  switch (modifier.type) {
    case ModifierType::kNormFactor:
    case ModifierType::kShapeFactor:
    case ModifierType::kLumi:
      if (!data.value().is_null()) data.Fail("null");
      if (modifier.type == ModifierType::kLumi && modifier.name != "lumi") {
        node.At("name").Fail(
            "\"lumi\" (the only name a lumi modifier may have)");
      }
      break;
    case ModifierType::kNormSys:
      data.RequireOnlyKeys({"lo", "hi"});
      modifier.lo = data.At("lo").AsDouble();
      modifier.hi = data.At("hi").AsDouble();
      break;
    case ModifierType::kHistoSys:
      data.RequireOnlyKeys({"lo_data", "hi_data"});
      modifier.lo_data = data.At("lo_data").AsDoubles(num_bins, "one per bin");
      modifier.hi_data = data.At("hi_data").AsDoubles(num_bins, "one per bin");
      break;
    case ModifierType::kShapeSys:
    case ModifierType::kStatError:
      modifier.uncertainties = data.AsDoubles(num_bins, "one per bin");
      break;
  }
  return modifier;
}

Channel ParseChannel(const JsonReader& node) {
  node.RequireOnlyKeys({"name", "samples"});
  Channel channel;
  channel.name = node.At("name").AsString();
  int num_bins = -1;
  std::set<std::string> sample_names;
  for (const JsonReader& sample_node : node.At("samples").Elements(false)) {
    sample_node.RequireOnlyKeys({"name", "data", "modifiers"});
    Sample sample;
    sample.name = sample_node.At("name").AsString();
    if (!sample_names.insert(sample.name).second) {
      sample_node.At("name").FailWith("duplicate sample name \"" + sample.name +
                                      "\" in channel \"" + channel.name + "\"");
    }
    const JsonReader data = sample_node.At("data");
    if (num_bins < 0) {
      sample.data = data.AsDoubles();
      if (sample.data.empty()) data.Fail("at least one bin");
      num_bins = static_cast<int>(sample.data.size());
    } else {
      sample.data = data.AsDoubles(
          num_bins, "one per bin, as in the first sample of the channel");
    }
    std::set<std::pair<std::string, ModifierType>> seen;
    for (const JsonReader& modifier_node :
         sample_node.At("modifiers").Elements(true)) {
      Modifier modifier = ParseModifier(modifier_node, num_bins);
      if (!seen.insert({modifier.name, modifier.type}).second) {
        modifier_node.FailWith("duplicate " + ModifierTypeName(modifier.type) +
                               " modifier \"" + modifier.name +
                               "\" in sample \"" + sample.name + "\"");
      }
      sample.modifiers.push_back(std::move(modifier));
    }
    channel.samples.push_back(std::move(sample));
  }
  return channel;
}

std::optional<std::vector<double>> OptionalDoubles(const JsonReader& node,
                                                   const std::string& key) {
  if (!node.Has(key)) return std::nullopt;
  std::vector<double> values = node.At(key).AsDoubles();
  if (values.empty()) node.At(key).Fail("a non-empty array of numbers");
  return values;
}

ParameterConfig ParseParameterConfig(const JsonReader& node) {
  node.RequireOnlyKeys(
      {"name", "inits", "bounds", "auxdata", "factors", "sigmas", "fixed"});
  ParameterConfig config;
  config.json_path = node.path();
  config.name = node.At("name").AsString();
  config.inits = OptionalDoubles(node, "inits");
  config.auxdata = OptionalDoubles(node, "auxdata");
  config.factors = OptionalDoubles(node, "factors");
  config.sigmas = OptionalDoubles(node, "sigmas");
  if (node.Has("fixed")) config.fixed = node.At("fixed").AsBool();
  if (node.Has("bounds")) {
    std::vector<std::pair<double, double>> bounds;
    for (const JsonReader& pair : node.At("bounds").Elements(false)) {
      const std::vector<double> limits =
          pair.AsDoubles(2, "lower and upper bound");
      if (!(limits[0] <= limits[1])) {
        pair.Fail("a lower bound not above the upper bound");
      }
      bounds.emplace_back(limits[0], limits[1]);
    }
    config.bounds = std::move(bounds);
  }
  return config;
}

Measurement ParseMeasurement(const JsonReader& node) {
  node.RequireOnlyKeys({"name", "config"});
  Measurement measurement;
  measurement.json_path = node.path();
  measurement.name = node.At("name").AsString();
  const JsonReader config = node.At("config");
  config.RequireOnlyKeys({"poi", "parameters"});
  measurement.poi = config.At("poi").AsString();
  std::set<std::string> names;
  for (const JsonReader& parameter : config.At("parameters").Elements(true)) {
    ParameterConfig parsed = ParseParameterConfig(parameter);
    if (!names.insert(parsed.name).second) {
      parameter.At("name").FailWith("second configuration for parameter \"" +
                                    parsed.name + "\"");
    }
    measurement.parameters.push_back(std::move(parsed));
  }
  return measurement;
}

Workspace ParseWorkspace(const nlohmann::json& json,
                         const std::string& source) {
  // First everything pyhf's schema and Workspace class refuse, then what
  // goldmine's likelihood needs on top (bins, bounds, unique names).
  internal::CheckPyhfWorkspace(json, source);
  const JsonReader root(json, source, "");
  root.RequireOnlyKeys({"channels", "measurements", "observations", "version"});
  const JsonReader version = root.At("version");
  if (version.AsString() != "1.0.0") version.Fail("\"1.0.0\"");

  Workspace workspace;
  workspace.source = source;
  std::set<std::string> channel_names;
  for (const JsonReader& node : root.At("channels").Elements(false)) {
    Channel channel = ParseChannel(node);
    if (!channel_names.insert(channel.name).second) {
      node.At("name").FailWith("duplicate channel name \"" + channel.name +
                               "\"");
    }
    workspace.channels.push_back(std::move(channel));
  }

  // Observations are checked against the channels only when a likelihood
  // is built (Workspace::Observation): pyhf's schema allows a channel
  // without observation, observations of other channels (e.g. pruned
  // validation regions) and negative counts, and inspect, prune, rename,
  // combine and patch work on such workspaces as in pyhf.
  std::set<std::string> observed;
  for (const JsonReader& node : root.At("observations").Elements(false)) {
    node.RequireOnlyKeys({"name", "data"});
    const std::string name = node.At("name").AsString();
    if (!observed.insert(name).second) {
      node.At("name").FailWith("second observation for channel \"" + name +
                               "\"");
    }
    workspace.observations.emplace_back(name, node.At("data").AsDoubles());
  }

  std::set<std::string> measurement_names;
  for (const JsonReader& node : root.At("measurements").Elements(false)) {
    Measurement measurement = ParseMeasurement(node);
    if (!measurement_names.insert(measurement.name).second) {
      node.At("name").FailWith("duplicate measurement name \"" +
                               measurement.name + "\"");
    }
    workspace.measurements.push_back(std::move(measurement));
  }
  return workspace;
}

}  // namespace

std::string ModifierTypeName(ModifierType type) {
  switch (type) {
    case ModifierType::kHistoSys:
      return "histosys";
    case ModifierType::kLumi:
      return "lumi";
    case ModifierType::kNormFactor:
      return "normfactor";
    case ModifierType::kNormSys:
      return "normsys";
    case ModifierType::kShapeFactor:
      return "shapefactor";
    case ModifierType::kShapeSys:
      return "shapesys";
    case ModifierType::kStatError:
      return "staterror";
  }
  return "unknown";
}

Workspace Workspace::FromJson(const std::string& text,
                              const std::string& source) {
  return ParseWorkspace(ParseStrictJson(text, source), source);
}

Workspace Workspace::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InvalidInput(path + ": cannot open the workspace file");
  std::ostringstream text;
  text << in.rdbuf();
  return FromJson(text.str(), path);
}

const Measurement& Workspace::FindMeasurement(const std::string& name) const {
  if (name.empty()) return measurements.front();
  std::string available;
  for (const Measurement& measurement : measurements) {
    if (measurement.name == name) return measurement;
    available += (available.empty() ? "" : ", ") + measurement.name;
  }
  throw InvalidInput(source + ": no measurement \"" + name +
                     "\"; the workspace has " + available);
}

Workspace Workspace::WithZeroObservations() const {
  Workspace zeroed = *this;
  zeroed.observations.clear();
  for (const Channel& channel : channels) {
    zeroed.observations.emplace_back(
        channel.name, std::vector<double>(channel.num_bins(), 0.0));
  }
  return zeroed;
}

const std::vector<double>& Workspace::Observation(
    const std::string& name) const {
  int channel_index = -1;
  for (std::size_t c = 0; c < channels.size(); ++c) {
    if (channels[c].name == name) channel_index = static_cast<int>(c);
  }
  for (std::size_t k = 0; k < observations.size(); ++k) {
    const auto& [channel, data] = observations[k];
    if (channel != name) continue;
    const std::string path =
        source + ": observations[" + std::to_string(k) + "].data";
    if (channel_index >= 0 &&
        static_cast<int>(data.size()) != channels[channel_index].num_bins()) {
      throw InvalidInput(path + ": expected " +
                         std::to_string(channels[channel_index].num_bins()) +
                         " numbers (one per bin of channel \"" + name +
                         "\"), got " + std::to_string(data.size()));
    }
    for (std::size_t b = 0; b < data.size(); ++b) {
      // A Poisson count cannot be negative: no likelihood.
      if (!(data[b] >= 0)) {
        throw InvalidInput(path + "[" + std::to_string(b) +
                           "]: expected a non-negative observed count (the "
                           "likelihood is Poisson), got " +
                           nlohmann::json(data[b]).dump());
      }
    }
    return data;
  }
  throw InvalidInput(
      source + ": observations: no observation for channel \"" + name + "\"" +
      (channel_index >= 0 ? " (channels[" + std::to_string(channel_index) + "])"
                          : std::string()) +
      "; a likelihood needs the observed counts of every channel");
}

}  // namespace goldmine::inference
