#include "goldmine/inference/eft_workspace_export.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "goldmine/core/errors.h"
#include "goldmine/core/strict_json.h"
#include "goldmine/inference/pyhf_schema.h"
#include "goldmine/inference/workspace_json.h"
#include "json_reader.h"
#include "schema_patterns.h"

namespace goldmine::inference {
namespace {

using internal::JsonReader;
using nlohmann::json;

constexpr const char* kMorphingType = "morphing";
constexpr const char* kMorphingName = "eft_morphing";

json Numbers(const std::vector<double>& values) {
  json array = json::array();
  for (double value : values) array.push_back(value);
  return array;
}

json Numbers(const Eigen::VectorXd& values) {
  json array = json::array();
  for (Eigen::Index i = 0; i < values.size(); ++i) array.push_back(values(i));
  return array;
}

json Rows(const Eigen::MatrixXd& matrix) {
  json rows = json::array();
  for (Eigen::Index i = 0; i < matrix.rows(); ++i) {
    rows.push_back(Numbers(Eigen::VectorXd(matrix.row(i).transpose())));
  }
  return rows;
}

json ModifierToJson(const Modifier& modifier) {
  json result = {{"name", modifier.name},
                 {"type", ModifierTypeName(modifier.type)}};
  switch (modifier.type) {
    case ModifierType::kNormSys:
      result["data"] = {{"hi", modifier.hi}, {"lo", modifier.lo}};
      break;
    case ModifierType::kHistoSys:
      result["data"] = {{"hi_data", Numbers(modifier.hi_data)},
                        {"lo_data", Numbers(modifier.lo_data)}};
      break;
    case ModifierType::kShapeSys:
    case ModifierType::kStatError:
      result["data"] = Numbers(modifier.uncertainties);
      break;
    default:
      result["data"] = nullptr;
  }
  return result;
}

json SampleToJson(const Sample& sample) {
  json modifiers = json::array();
  for (const Modifier& modifier : sample.modifiers) {
    modifiers.push_back(ModifierToJson(modifier));
  }
  return {{"name", sample.name},
          {"data", Numbers(sample.data)},
          {"modifiers", modifiers}};
}

json WorkspaceDocument(const Workspace& workspace) {
  json channels = json::array();
  for (const Channel& channel : workspace.channels) {
    json samples = json::array();
    for (const Sample& sample : channel.samples) {
      samples.push_back(SampleToJson(sample));
    }
    channels.push_back({{"name", channel.name}, {"samples", samples}});
  }
  json observations = json::array();
  for (const auto& [name, data] : workspace.observations) {
    observations.push_back({{"name", name}, {"data", Numbers(data)}});
  }
  json measurements = json::array();
  for (const Measurement& measurement : workspace.measurements) {
    json parameters = json::array();
    for (const ParameterConfig& config : measurement.parameters) {
      json parameter = {{"name", config.name}};
      if (config.inits) parameter["inits"] = Numbers(*config.inits);
      if (config.auxdata) parameter["auxdata"] = Numbers(*config.auxdata);
      if (config.sigmas) parameter["sigmas"] = Numbers(*config.sigmas);
      if (config.factors) parameter["factors"] = Numbers(*config.factors);
      if (config.fixed) parameter["fixed"] = *config.fixed;
      if (config.bounds) {
        json bounds = json::array();
        for (const auto& [lower, upper] : *config.bounds) {
          bounds.push_back(json::array({lower, upper}));
        }
        parameter["bounds"] = bounds;
      }
      parameters.push_back(parameter);
    }
    measurements.push_back(
        {{"name", measurement.name},
         {"config", {{"poi", measurement.poi}, {"parameters", parameters}}}});
  }
  return {{"channels", channels},
          {"measurements", measurements},
          {"observations", observations},
          {"version", "1.0.0"}};
}

std::string Canonical(const json& document, const std::string& source) {
  return CanonicalJson(document.dump(), source);
}

std::string Label(const std::string& name) {
  std::string label = name;
  for (char& c : label) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_';
    if (!ok) c = '_';
  }
  return label;
}

// A matrix given as an array of `rows` arrays of `cols` numbers.
Eigen::MatrixXd ReadMatrix(const JsonReader& reader,
                           Eigen::Index rows,
                           Eigen::Index cols,
                           const std::string& what) {
  const std::vector<JsonReader> elements = reader.Elements(false);
  if (static_cast<Eigen::Index>(elements.size()) != rows) {
    reader.FailWith("expected " + std::to_string(rows) + " rows (" + what +
                    "), got " + std::to_string(elements.size()));
  }
  Eigen::MatrixXd matrix(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    const std::vector<double> row =
        elements[static_cast<std::size_t>(i)].AsDoubles(static_cast<int>(cols),
                                                        what);
    for (Eigen::Index j = 0; j < cols; ++j) {
      matrix(i, j) = row[static_cast<std::size_t>(j)];
    }
  }
  return matrix;
}

}  // namespace

std::string WorkspaceToJson(const Workspace& workspace) {
  const std::string text = Canonical(WorkspaceDocument(workspace), "workspace");
  Workspace::FromJson(text, "exported workspace");
  return text;
}

std::string ExportEftWorkspace(const BinnedEftModel& model,
                               const Eigen::VectorXd& theta,
                               const Eigen::VectorXd& observed) {
  return WorkspaceToJson(model.WorkspaceAt(theta, observed));
}

std::string EftPatchName(int index) { return "point_" + std::to_string(index); }

void RequireHepDataId(const std::string& id, const std::string& what) {
  if (!internal::IsHepDataId(id)) {
    throw InvalidInput(what +
                       ": expected a HEPData id insNNNNNNN (^ins[0-9]{7}$, "
                       "as pyhf's PatchSet schema requires), got \"" +
                       id + "\"");
  }
}

std::string ExportEftPatchSet(const BinnedEftModel& model,
                              const Eigen::MatrixXd& grid,
                              const std::string& workspace_json,
                              const std::string& hepdata_id) {
  RequireHepDataId(hepdata_id, "patchset metadata.references.hepdata");
  if (grid.cols() != model.num_parameters() || grid.rows() == 0) {
    throw InvalidInput("patchset grid: expected points of " +
                       std::to_string(model.num_parameters()) + " parameters");
  }
  json labels = json::array();
  for (const std::string& name : model.input().parameter_names) {
    labels.push_back(Label(name));
  }
  json patches = json::array();
  for (Eigen::Index i = 0; i < grid.rows(); ++i) {
    const Eigen::VectorXd theta = grid.row(i).transpose();
    json operation = {{"op", "replace"},
                      {"path", "/channels/0/samples/0"},
                      {"value", SampleToJson(model.SampleAt(theta))}};
    patches.push_back({{"metadata",
                        {{"name", EftPatchName(static_cast<int>(i))},
                         {"values", Numbers(theta)}}},
                       {"patch", json::array({operation})}});
  }
  const json patchset = {
      {"metadata",
       {{"description",
         "goldmine EFT grid: one patch per theta point replacing the signal "
         "sample (" +
             model.Description() + ")"},
        {"digests",
         {{"md5", WorkspaceDigest(workspace_json, "md5", "workspace.json")},
          {"sha256", Sha256Digest(workspace_json, "workspace.json")}}},
        {"labels", labels},
        {"references", {{"hepdata", hepdata_id}}}}},
      {"patches", patches},
      {"version", "1.0.0"}};
  const std::string text = Canonical(patchset, "patchset");
  ValidatePyhfPatchSet(text, "exported patchset");  // what pyhf will check
  return text;
}

std::string ExportExtendedEftWorkspace(const BinnedEftModel& model,
                                       const Eigen::VectorXd& theta,
                                       const Eigen::VectorXd& observed) {
  json document = WorkspaceDocument(model.WorkspaceAt(theta, observed));
  const BinnedEftInput& input = model.input();
  json components = json::array();
  for (Eigen::Index c = 0; c < input.component_powers.rows(); ++c) {
    json row = json::array();
    for (Eigen::Index p = 0; p < input.component_powers.cols(); ++p) {
      row.push_back(input.component_powers(c, p));
    }
    components.push_back(row);
  }
  json histosys = json::array();
  for (const EftHistoSys& entry : input.histosys) {
    histosys.push_back({{"name", entry.name},
                        {"lo", Rows(entry.down)},
                        {"hi", Rows(entry.up)}});
  }
  json data = {{"parameters", input.parameter_names},
               {"theta", Numbers(theta)},
               {"luminosity", model.options().luminosity},
               {"components", components},
               {"yields", Rows(input.component_yields)},
               {"histosys", histosys},
               {"interpolation",
                {{"normsys", Description(model.options().normsys_code)},
                 {"histosys", Description(model.options().histosys_code)}}}};
  if (model.options().staterror &&
      !input.component_sum_squared_weights.empty()) {
    json moments = json::array();
    for (const Eigen::MatrixXd& q : input.component_sum_squared_weights) {
      moments.push_back(Rows(q));
    }
    data["sum_squared_weights"] = moments;
    data["staterror_theta"] = Numbers(model.options().staterror_theta);
  }
  document["channels"][0]["samples"][0]["modifiers"].push_back(
      {{"name", kMorphingName}, {"type", kMorphingType}, {"data", data}});
  return Canonical(document, "extended workspace");
}

ExtendedEftWorkspace ReadExtendedEftWorkspace(const std::string& text,
                                              const std::string& source) {
  json document = ParseStrictJson(text, source);
  const JsonReader root(document, source, "");
  root.RequireObject();
  const std::vector<JsonReader> channels = root.At("channels").Elements(false);
  if (channels.size() != 1) {
    root.At("channels")
        .FailWith(
            "expected one channel (an EFT workspace written by goldmine)");
  }
  channels[0].RequireObject();
  const std::vector<JsonReader> samples =
      channels[0].At("samples").Elements(false);
  if (samples.size() != 1) {
    channels[0].At("samples").FailWith("expected one sample (the EFT signal)");
  }
  samples[0].RequireObject();
  // Find and remove the morphing modifier.
  json& modifiers = document["channels"][0]["samples"][0]["modifiers"];
  const JsonReader modifiers_reader = samples[0].At("modifiers");
  modifiers_reader.Elements(true);
  std::optional<json> morphing;
  std::string morphing_path;
  for (std::size_t i = 0; i < modifiers.size(); ++i) {
    if (modifiers[i].is_object() &&
        modifiers[i].value("type", "") == std::string(kMorphingType)) {
      if (morphing) {
        modifiers_reader.FailWith("more than one modifier of type morphing");
      }
      morphing = modifiers[i];
      morphing_path = modifiers_reader.path() + "[" + std::to_string(i) + "]";
    }
  }
  if (!morphing) {
    modifiers_reader.FailWith(
        "no modifier of type \"morphing\": this is a plain pyhf workspace, "
        "not goldmine's eft_workspace.json");
  }
  json stripped = modifiers;
  modifiers = json::array();
  for (const json& modifier : stripped) {
    if (!(modifier.is_object() &&
          modifier.value("type", "") == std::string(kMorphingType))) {
      modifiers.push_back(modifier);
    }
  }
  const Workspace workspace = Workspace::FromJson(document.dump(), source);

  const JsonReader morph(*morphing, source, morphing_path);
  morph.RequireObject();
  morph.RequireOnlyKeys({"name", "type", "data"});
  const JsonReader data = morph.At("data");
  data.RequireObject();
  data.RequireOnlyKeys({"parameters",
                        "theta",
                        "luminosity",
                        "components",
                        "yields",
                        "histosys",
                        "interpolation",
                        "sum_squared_weights",
                        "staterror_theta"});
  ExtendedEftWorkspace result;
  BinnedEftInput& input = result.input;
  for (const JsonReader& name : data.At("parameters").Elements(false)) {
    input.parameter_names.push_back(name.AsString());
  }
  const auto p = static_cast<Eigen::Index>(input.parameter_names.size());
  const std::vector<double> theta =
      data.At("theta").AsDoubles(static_cast<int>(p), "one per parameter");
  result.theta = Eigen::Map<const Eigen::VectorXd>(theta.data(), p);
  result.options.luminosity = data.At("luminosity").AsDouble();
  const std::vector<JsonReader> component_rows =
      data.At("components").Elements(false);
  const auto c = static_cast<Eigen::Index>(component_rows.size());
  const Eigen::MatrixXd powers =
      ReadMatrix(data.At("components"), c, p, "one power per parameter");
  input.component_powers = powers.cast<int>();
  if ((input.component_powers.cast<double>() - powers).cwiseAbs().maxCoeff() !=
      0.0) {
    data.At("components").Fail("integer powers");
  }
  const Sample& sample = workspace.channels[0].samples[0];
  const auto bins = static_cast<Eigen::Index>(sample.data.size());
  input.component_yields =
      ReadMatrix(data.At("yields"), bins, c, "one yield per component");
  for (const JsonReader& entry : data.At("histosys").Elements(true)) {
    entry.RequireOnlyKeys({"name", "lo", "hi"});
    input.histosys.push_back(
        {entry.At("name").AsString(),
         ReadMatrix(entry.At("lo"), bins, c, "one yield per component"),
         ReadMatrix(entry.At("hi"), bins, c, "one yield per component")});
  }
  if (data.Has("sum_squared_weights")) {
    const std::vector<JsonReader> moments =
        data.At("sum_squared_weights").Elements(false);
    if (static_cast<Eigen::Index>(moments.size()) != bins) {
      data.At("sum_squared_weights")
          .FailWith("expected " + std::to_string(bins) +
                    " matrices (one per bin)");
    }
    for (const JsonReader& moment : moments) {
      input.component_sum_squared_weights.push_back(
          ReadMatrix(moment, c, c, "components x components"));
    }
    const std::vector<double> reference =
        data.At("staterror_theta")
            .AsDoubles(static_cast<int>(p), "one per parameter");
    result.options.staterror_theta =
        Eigen::Map<const Eigen::VectorXd>(reference.data(), p);
  }
  const JsonReader interpolation = data.At("interpolation");
  interpolation.RequireOnlyKeys({"normsys", "histosys"});
  try {
    result.options.normsys_code =
        ParseInterpolationCode(interpolation.At("normsys").AsString());
    result.options.histosys_code =
        ParseInterpolationCode(interpolation.At("histosys").AsString());
  } catch (const InvalidInput& error) {
    interpolation.FailWith(error.what());
  }
  // The other modifiers of the signal sample.
  bool has_staterror = false;
  for (const Modifier& modifier : sample.modifiers) {
    switch (modifier.type) {
      case ModifierType::kNormSys:
        input.normsys.push_back({modifier.name, modifier.lo, modifier.hi});
        break;
      case ModifierType::kStatError:
        has_staterror = true;
        break;
      case ModifierType::kLumi: {
        const Measurement& measurement = workspace.FindMeasurement("");
        for (const ParameterConfig& config : measurement.parameters) {
          if (config.name == "lumi" && config.sigmas &&
              config.sigmas->size() == 1) {
            result.options.lumi_uncertainty = (*config.sigmas)[0];
          }
        }
        break;
      }
      default:
        break;
    }
  }
  if (has_staterror != data.Has("sum_squared_weights")) {
    data.FailWith(
        "a staterror modifier needs sum_squared_weights in the morphing "
        "data, and the other way round");
  }
  result.options.staterror = has_staterror;
  result.observed = Eigen::Map<const Eigen::VectorXd>(
      workspace.Observation(kEftChannelName).data(), bins);
  // The plain part must be the morphing at theta.
  const BinnedEftModel model(result.input, result.options);
  const Sample expected = model.SampleAt(result.theta);
  for (Eigen::Index b = 0; b < bins; ++b) {
    const double want = expected.data[static_cast<std::size_t>(b)];
    const double got = sample.data[static_cast<std::size_t>(b)];
    if (std::abs(want - got) > 1e-9 * std::max(std::abs(want), 1e-300)) {
      samples[0].At("data").FailWith(
          "bin " + std::to_string(b) + " holds " + std::to_string(got) +
          " but the morphing at theta gives " + std::to_string(want));
    }
  }
  return result;
}

void RequireGridAxesMatchParameters(
    const std::vector<GridAxis>& axes,
    const std::vector<std::string>& parameter_names,
    const std::string& grid_text,
    const std::string& events_file) {
  if (axes.size() != parameter_names.size()) {
    throw InvalidInput("--grid " + grid_text + ": expected " +
                       std::to_string(parameter_names.size()) +
                       " axes, one per parameter of " + events_file);
  }
  for (std::size_t p = 0; p < axes.size(); ++p) {
    if (axes[p].name != parameter_names[p]) {
      std::string known;
      for (const std::string& name : parameter_names) {
        known += (known.empty() ? "" : ", ") + name;
      }
      throw InvalidInput("--grid: axis " + std::to_string(p + 1) + " is \"" +
                         axes[p].name + "\"; " + events_file +
                         " has parameters [" + known + "] (in this order)");
    }
  }
}

namespace {

BinnedEftOptions WithStaterrorTheta(BinnedEftOptions options,
                                    const Eigen::VectorXd& theta) {
  options.staterror_theta = theta;
  return options;
}

}  // namespace

EftWorkspaceStudy::EftWorkspaceStudy(BinnedEftInput input,
                                     const Eigen::VectorXd& theta_true,
                                     BinnedEftOptions options,
                                     const std::vector<GridAxis>& axes)
    : model_(std::move(input),
             WithStaterrorTheta(std::move(options), theta_true)),
      theta_true_(theta_true) {
  asimov_counts_ = model_.AsimovCounts(theta_true_);
  if ((asimov_counts_.array() < 0.0).any()) {
    throw InvalidInput(
        "--theta-true: the expected counts are negative in "
        "some bin; choose a physical point");
  }
  std::vector<double> lower, upper;
  std::vector<int> points;
  for (const GridAxis& axis : axes) {
    lower.push_back(axis.lower);
    upper.push_back(axis.upper);
    points.push_back(axis.size);
  }
  grid_ = MakeEftGrid(lower, upper, points);
}

EftWorkspaceDocuments EftWorkspaceStudy::Run(
    const EftProfileOptions& profile_options,
    const std::string& hepdata_id) const {
  EftWorkspaceDocuments documents;
  documents.profile =
      ProfileOnGrid(model_, grid_, asimov_counts_, profile_options);
  documents.workspace = ExportEftWorkspace(model_, theta_true_, asimov_counts_);
  documents.patchset =
      ExportEftPatchSet(model_, grid_, documents.workspace, hepdata_id);
  documents.extended_workspace =
      ExportExtendedEftWorkspace(model_, theta_true_, asimov_counts_);
  return documents;
}

}  // namespace goldmine::inference
