#include "goldmine/mining/mining_config.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>

#include "goldmine/core/errors.h"
#include "goldmine/mining/event_reader.h"
#include "goldmine/mining/physics_objects.h"
#include "goldmine/morphing/basis_optimizer.h"
#include "goldmine/morphing/morpher.h"

namespace goldmine::mining {
namespace {

using core::LoadYamlFile;
using core::YamlNode;

using mining::MadminerParameter;
using mining::MadminerSetup;

// A "file" key: its value relative to the configuration's folder. An empty
// name is refused here, with its line (it would resolve to the folder, or to
// "", and the reader's message would name neither file nor key).
std::string ResolveFile(const YamlNode& node, const std::string& config_path) {
  const std::string file = node.AsString();
  if (file.empty()) node.Fail("a file name");
  const std::filesystem::path path(file);
  if (path.is_absolute()) return file;
  return (std::filesystem::path(config_path).parent_path() / path)
      .lexically_normal()
      .string();
}

void ReadParameters(const YamlNode& node, MadminerSetup* setup) {
  for (const auto& [name, spec] : node.Entries()) {
    spec.RequireOnlyKeys(
        {"lha_block", "lha_id", "max_power", "range", "transform", "label"});
    MadminerParameter parameter;
    parameter.name = name;
    parameter.lha_block =
        spec.Has("lha_block") ? spec.At("lha_block").AsString() : "dim6";
    parameter.lha_id = spec.Has("lha_id")
                           ? spec.At("lha_id").AsInt()
                           : static_cast<int>(setup->parameters.size()) + 1;
    parameter.max_power =
        spec.Has("max_power") ? spec.At("max_power").AsInt() : 2;
    if (parameter.max_power < 0)
      spec.At("max_power").Fail("a non-negative integer");
    const YamlNode range = spec.At("range");
    const std::vector<double> bounds = range.AsDoubles(2);
    if (!(bounds[0] < bounds[1]))
      range.Fail("[lower, upper] with lower < upper");
    parameter.range = {bounds[0], bounds[1]};
    if (spec.Has("transform"))
      parameter.transform = spec.At("transform").AsString();
    setup->parameters.push_back(parameter);
  }
  if (setup->parameters.empty()) node.Fail("at least one parameter");
}

int ParameterIndex(const MadminerSetup& setup,
                   const std::string& name,
                   const YamlNode& where) {
  for (int p = 0; p < setup.num_parameters(); ++p) {
    if (setup.parameters[static_cast<std::size_t>(p)].name == name) return p;
  }
  std::string list;
  for (const auto& parameter : setup.parameters)
    list += (list.empty() ? "" : ", ") + parameter.name;
  throw InvalidInput(where.Where() + ": unknown parameter \"" + name +
                     "\"; parameters are [" + list + "]");
}

void AddBenchmark(MadminerSetup* setup,
                  const std::string& name,
                  const Eigen::RowVectorXd& values,
                  const YamlNode& where) {
  auto& benchmarks = setup->benchmarks;
  if (std::find(benchmarks.names.begin(), benchmarks.names.end(), name) !=
      benchmarks.names.end()) {
    throw InvalidInput(where.Where() + ": benchmark \"" + name +
                       "\" is defined twice");
  }
  benchmarks.names.push_back(name);
  benchmarks.values.conservativeResize(benchmarks.values.rows() + 1,
                                       setup->num_parameters());
  benchmarks.values.row(benchmarks.values.rows() - 1) = values;
  benchmarks.is_nuisance.push_back(false);
  benchmarks.is_reference.push_back(benchmarks.names.size() == 1);
}

void ReadBenchmarks(const YamlNode& node, MadminerSetup* setup) {
  for (const auto& [name, values_node] : node.Entries()) {
    Eigen::RowVectorXd values =
        Eigen::RowVectorXd::Zero(setup->num_parameters());
    for (const auto& [parameter, value] : values_node.Entries()) {
      values(ParameterIndex(*setup, parameter, value)) = value.AsDouble();
    }
    AddBenchmark(setup, name, values, values_node);
  }
}

// MadGraph reweighting ids as benchmarks, θ from "set param_card BLOCK ID V"
// matched to the parameters' (lha_block, lha_id); unset parameters are 0.
void ReadBenchmarksFromReweightHeader(const YamlNode& node,
                                      const std::string& config_path,
                                      MiningConfig* config) {
  node.RequireOnlyKeys({"file", "include"});
  const std::string file = ResolveFile(node.At("file"), config_path);
  config->input_files.push_back(file);
  // A missing or unreadable file is named with the key that gave it.
  std::unique_ptr<mining::EventReader> reader;
  try {
    reader = mining::EventReader::Open(file);
  } catch (const InvalidInput& error) {
    throw InvalidInput(node.At("file").Where() + ": " + error.what());
  }
  const mining::EventFileInfo& info = reader->info();
  std::vector<std::string> include;
  if (node.Has("include")) {
    for (const YamlNode& id : node.At("include").Elements())
      include.push_back(id.AsString());
  }
  MadminerSetup* setup = &config->setup;
  for (const mining::WeightDefinition& weight : info.weight_definitions) {
    const auto settings = info.reweight.find(weight.id);
    if (settings == info.reweight.end()) continue;
    if (!include.empty() &&
        std::find(include.begin(), include.end(), weight.id) == include.end())
      continue;
    Eigen::RowVectorXd values =
        Eigen::RowVectorXd::Zero(setup->num_parameters());
    for (const auto& [key, value] : settings->second) {
      bool matched = false;
      for (int p = 0; p < setup->num_parameters(); ++p) {
        const MadminerParameter& parameter =
            setup->parameters[static_cast<std::size_t>(p)];
        if (key ==
            parameter.lha_block + " " + std::to_string(parameter.lha_id)) {
          values(p) = value;
          matched = true;
        }
      }
      if (!matched) {
        throw InvalidInput(
            node.Where() + ": " + file + ": weight '" + weight.id +
            "' sets param_card " + key +
            ", which is none of the parameters' (lha_block, lha_id)");
      }
    }
    if (std::find(setup->benchmarks.names.begin(),
                  setup->benchmarks.names.end(),
                  weight.id) == setup->benchmarks.names.end()) {
      AddBenchmark(setup, weight.id, values, node);
    }
  }
  const std::vector<std::string> no_ops = mining::NoOpReweightings(info);
  if (!no_ops.empty()) {
    std::string list;
    for (const std::string& id : no_ops)
      list += (list.empty() ? "" : ", ") + id;
    config->notes.push_back(file + ": " + std::to_string(no_ops.size()) +
                            " reweightings changed nothing in the param_card "
                            "(a misspelt parameter in the "
                            "reweight card?): " +
                            list);
  }
}

// Runs a morphing library call; its messages name the key ("max_overall_power:
// ...") but not the file, and carry a source location: put the file and line
// of the `morphing:` block in front, drop the location.
template <typename Step>
auto InMorphing(const YamlNode& node, Step&& step) -> decltype(step()) {
  try {
    return step();
  } catch (const InvalidInput& error) {
    throw InvalidInput(node.Where() + ": " +
                       WithoutSourceLocation(error.what()));
  }
}

void ReadMorphing(const YamlNode& node, MadminerSetup* setup) {
  node.RequireOnlyKeys({"max_overall_power", "n_trials", "seed"});
  std::vector<int> max_powers;
  ParameterRanges ranges;
  for (const MadminerParameter& parameter : setup->parameters) {
    max_powers.push_back(parameter.max_power);
    ranges.push_back(parameter.range);
  }
  std::optional<int> overall;
  if (node.Has("max_overall_power")) {
    const YamlNode value = node.At("max_overall_power");
    overall = value.AsInt();
    if (*overall < 0) value.Fail("a non-negative integer");
  }
  const morphing::Components components = InMorphing(node, [&] {
    return morphing::Components::FromMaxPowers(max_powers, overall);
  });
  const int existing = setup->benchmarks.size();
  Eigen::MatrixXd basis = setup->benchmarks.values;
  if (existing < components.num_components()) {
    // MadMiner's set_morphing(include_existing_benchmarks=True): keep the
    // defined benchmarks, choose the rest.
    morphing::BasisOptimizerOptions options;
    if (node.Has("n_trials")) {
      options.n_trials = node.At("n_trials").AsInt();
      if (options.n_trials < 1 || options.n_trials > morphing::kMaxBasisTrials)
        node.At("n_trials")
            .Fail("an integer from 1 to " +
                  std::to_string(morphing::kMaxBasisTrials));
    }
    if (node.Has("seed"))
      options.seed = static_cast<std::uint64_t>(node.At("seed").AsInt());
    basis = InMorphing(node, [&] {
              return morphing::OptimizeBasis(
                  components, ranges, setup->benchmarks.values, options);
            }).basis;
    for (Eigen::Index b = existing; b < basis.rows(); ++b) {
      AddBenchmark(setup,
                   "morphing_basis_vector_" + std::to_string(b),
                   basis.row(b),
                   node);
    }
  }
  try {
    const morphing::Morpher morpher(components, basis);
    setup->morphing = mining::MadminerMorphing{components.powers(),
                                               morpher.morphing_matrix()};
  } catch (const InvalidInput& error) {
    throw InvalidInput(node.Where() +
                       ": the benchmarks do not make a morphing basis: " +
                       WithoutSourceLocation(error.what()));
  }
}

void ReadSystematics(const YamlNode& node, MiningConfig* config) {
  for (const auto& [name, spec] : node.Entries()) {
    spec.RequireOnlyKeys({"type", "factor", "scale", "factors", "set"});
    mining::SystematicSpec systematic;
    systematic.name = name;
    const YamlNode type = spec.At("type");
    const std::string type_name = type.AsString();
    if (type_name == "norm") {
      systematic.type = mining::SystematicSpec::Type::kNorm;
      if (spec.Has("factor"))
        systematic.norm_factor = spec.At("factor").AsDouble();
      if (!(systematic.norm_factor > 0))
        spec.At("factor").Fail("a positive factor such as 1.1");
    } else if (type_name == "scale") {
      systematic.type = mining::SystematicSpec::Type::kScale;
      if (spec.Has("scale")) {
        systematic.scale = spec.At("scale").AsString();
        if (systematic.scale != "mu" && systematic.scale != "mur" &&
            systematic.scale != "muf") {
          spec.At("scale").Fail("mu, mur or muf");
        }
      }
      if (spec.Has("factors"))
        systematic.scale_factors = spec.At("factors").AsDoubles();
      if (systematic.scale_factors.size() < 2)
        spec.At("factors").Fail("at least two scale factors, e.g. [0.5, 1, 2]");
    } else if (type_name == "pdf") {
      systematic.type = mining::SystematicSpec::Type::kPdf;
      if (spec.Has("set")) systematic.pdf_set = spec.At("set").AsString();
    } else {
      type.Fail("norm, scale or pdf");
    }
    config->systematics.push_back(systematic);
    mining::MadminerSystematic stored;
    stored.name = name;
    stored.type = type_name;
    stored.value = systematic.pdf_set;  // pdf; scale and norm below
    if (systematic.type == mining::SystematicSpec::Type::kScale) {
      std::string factors;
      for (double factor : systematic.scale_factors) {
        std::ostringstream text;
        text << factor;
        factors += (factors.empty() ? "" : ",") + text.str();
      }
      stored.value = factors;
      stored.scale = systematic.scale;
    } else if (systematic.type == mining::SystematicSpec::Type::kNorm) {
      std::ostringstream text;
      text << systematic.norm_factor;
      stored.value = text.str();
    }
    config->setup.systematics.push_back(stored);
  }
}

mining::SampleSpec ReadSample(const YamlNode& node,
                              const std::string& config_path) {
  node.RequireOnlyKeys({"file",
                        "sampled_from",
                        "background",
                        "k_factor",
                        "weights",
                        "normalization",
                        "nominal_weight",
                        "systematics"});
  mining::SampleSpec sample;
  sample.path = ResolveFile(node.At("file"), config_path);
  sample.is_background =
      node.Has("background") && node.At("background").AsBool();
  if (node.Has("sampled_from")) {
    sample.sampled_from = node.At("sampled_from").AsString();
  } else if (!sample.is_background) {
    throw InvalidInput(node.Where() +
                       ": missing key \"sampled_from\" (the benchmark the "
                       "events were generated at)");
  }
  if (node.Has("k_factor")) {
    sample.k_factor = node.At("k_factor").AsDouble();
    if (!(sample.k_factor > 0)) node.At("k_factor").Fail("a positive number");
  }
  if (node.Has("weights")) {
    for (const auto& [benchmark, weight] : node.At("weights").Entries())
      sample.weight_names[benchmark] = weight.AsString();
  }
  if (node.Has("normalization")) {
    const YamlNode normalization = node.At("normalization");
    const std::string value = normalization.AsString();
    if (value == "auto") {
      sample.normalization = mining::WeightNormalization::kAuto;
    } else if (value == "average") {
      sample.normalization = mining::WeightNormalization::kAverage;
    } else if (value == "sum") {
      sample.normalization = mining::WeightNormalization::kSum;
    } else {
      normalization.Fail("auto, average or sum");
    }
  }
  if (node.Has("nominal_weight"))
    sample.nominal_weight = node.At("nominal_weight").AsString();
  if (node.Has("systematics")) {
    for (const YamlNode& name : node.At("systematics").Elements())
      sample.systematics.push_back(name.AsString());
  }
  return sample;
}

void ReadAnalysis(const YamlNode& root, MiningConfig* config) {
  if (root.Has("observables")) {
    for (const auto& [name, spec] : root.At("observables").Entries()) {
      ObservableConfig observable;
      observable.name = name;
      if (spec.IsScalar()) {
        observable.expression = spec.AsString();
      } else {
        spec.RequireOnlyKeys({"expression", "required", "default"});
        observable.expression = spec.At("expression").AsString();
        observable.required =
            spec.Has("required") && spec.At("required").AsBool();
        if (spec.Has("default"))
          observable.default_value = spec.At("default").AsDouble();
      }
      config->setup.observables.push_back(
          {observable.name, observable.expression});
      config->observables.push_back(observable);
    }
  }
  if (root.Has("cuts")) {
    for (const YamlNode& spec : root.At("cuts").Elements()) {
      CutConfig cut;
      if (spec.IsScalar()) {
        cut.expression = spec.AsString();
      } else {
        spec.RequireOnlyKeys({"expression", "required"});
        cut.expression = spec.At("expression").AsString();
        cut.required = spec.Has("required") && spec.At("required").AsBool();
      }
      config->cuts.push_back(cut);
    }
  }
  if (root.Has("efficiencies")) {
    for (const YamlNode& spec : root.At("efficiencies").Elements()) {
      EfficiencyConfig efficiency;
      if (spec.IsScalar()) {
        efficiency.expression = spec.AsString();
      } else {
        spec.RequireOnlyKeys({"expression", "default"});
        efficiency.expression = spec.At("expression").AsString();
        if (spec.Has("default"))
          efficiency.default_value = spec.At("default").AsDouble();
      }
      config->efficiencies.push_back(efficiency);
    }
  }
}

// The mining configuration of a file: the whole document, or the `mining`
// section of a `goldmine run` configuration (docs/run.md; a mining
// configuration has no such key). File names in it are relative to the same
// folder either way.
YamlNode MiningRoot(const std::string& path, bool with_samples) {
  const YamlNode loaded = LoadYamlFile(path);
  if (!loaded.IsMap() || !loaded.Has("mining")) return loaded;
  const YamlNode mining = loaded.At("mining");
  if (with_samples && loaded.Has("generate") && !mining.Has("samples")) {
    throw InvalidInput(loaded.At("generate").Where() +
                       ": this `goldmine run` configuration generates its "
                       "events (no mining.samples); run `goldmine run " +
                       path + "`, or list mining.samples");
  }
  return mining;
}

}  // namespace

MiningConfig ReadMiningConfig(const std::string& path, bool with_samples) {
  const YamlNode root = MiningRoot(path, with_samples);
  root.RequireOnlyKeys({"parameters",
                        "benchmarks",
                        "benchmarks_from_reweight_header",
                        "morphing",
                        "samples",
                        "objects",
                        "smearing",
                        "observables",
                        "cuts",
                        "efficiencies",
                        "seed",
                        "shuffle",
                        "systematics"});
  MiningConfig config;
  config.path = path;
  config.input_files.push_back(path);
  ReadParameters(root.At("parameters"), &config.setup);
  if (root.Has("benchmarks"))
    ReadBenchmarks(root.At("benchmarks"), &config.setup);
  if (root.Has("benchmarks_from_reweight_header")) {
    ReadBenchmarksFromReweightHeader(
        root.At("benchmarks_from_reweight_header"), path, &config);
  }
  if (root.Has("systematics")) ReadSystematics(root.At("systematics"), &config);
  if (root.Has("morphing")) ReadMorphing(root.At("morphing"), &config.setup);
  if (config.setup.benchmarks.size() == 0) {
    throw InvalidInput(path +
                       ": no benchmarks; define \"benchmarks\", "
                       "\"benchmarks_from_reweight_header\" or "
                       "\"morphing\"");
  }
  if (root.Has("seed"))
    config.seed = static_cast<std::uint64_t>(root.At("seed").AsInt());
  if (root.Has("shuffle")) config.shuffle = root.At("shuffle").AsBool();
  ReadAnalysis(root, &config);
  if (root.Has("objects")) config.objects = root.At("objects");
  if (root.Has("smearing")) config.smearing = root.At("smearing");
  if (with_samples) {
    for (const YamlNode& sample : root.At("samples").Elements()) {
      config.samples.push_back(ReadSample(sample, path));
      config.input_files.push_back(config.samples.back().path);
    }
    if (config.samples.empty()) root.At("samples").Fail("at least one sample");
  } else if (root.Has("samples") && root.At("samples").IsSequence()) {
    // Not read by `goldmine setup`, but still the user's files: an output
    // must not replace them.
    for (const YamlNode& sample : root.At("samples").Elements()) {
      if (sample.IsMap() && sample.Has("file") &&
          sample.At("file").IsScalar()) {
        config.input_files.push_back(ResolveFile(sample.At("file"), path));
      }
    }
  }
  try {
    config.setup.Validate();
  } catch (const InvalidInput& error) {
    throw InvalidInput(path + ": " + error.what());
  }
  return config;
}

mining::EventAnalysis BuildEventAnalysis(const MiningConfig& config) {
  std::vector<mining::ObservableDefinition> observables;
  for (const ObservableConfig& observable : config.observables) {
    observables.push_back({observable.name,
                           observable.expression,
                           observable.required,
                           observable.default_value});
  }
  std::vector<mining::CutDefinition> cuts;
  for (const CutConfig& cut : config.cuts)
    cuts.push_back({cut.expression, cut.required});
  std::vector<mining::EfficiencyDefinition> efficiencies;
  for (const EfficiencyConfig& efficiency : config.efficiencies) {
    efficiencies.push_back({efficiency.expression, efficiency.default_value});
  }
  try {
    return mining::EventAnalysis(observables, cuts, efficiencies);
  } catch (const InvalidInput& error) {
    throw InvalidInput(config.path + ": " + error.what());
  }
}

namespace {

void ReadIsolation(const YamlNode& node, IsolationOptions* options) {
  node.RequireOnlyKeys({"pt_min", "eta_max", "cone", "max_fraction"});
  if (node.Has("pt_min")) options->pt_min = node.At("pt_min").AsDouble();
  if (node.Has("eta_max")) options->eta_max = node.At("eta_max").AsDouble();
  if (node.Has("cone")) options->cone = node.At("cone").AsDouble();
  if (node.Has("max_fraction"))
    options->max_fraction = node.At("max_fraction").AsDouble();
}

}  // namespace

ObjectOptions BuildObjectOptions(const MiningConfig& config) {
  ObjectOptions options;
  if (config.objects) {
    const YamlNode& node = *config.objects;
    node.RequireOnlyKeys(
        {"level", "jets", "leptons", "photons", "invisible_pdg_ids"});
    if (node.Has("level")) {
      const YamlNode level = node.At("level");
      const std::string name = level.AsString();
      if (name == "parton") {
        options.level = ObjectLevel::kParton;
      } else if (name == "particle") {
        options.level = ObjectLevel::kParticle;
      } else {
        level.Fail("parton or particle");
      }
    }
    if (node.Has("jets")) {
      const YamlNode jets = node.At("jets");
      jets.RequireOnlyKeys({"radius", "pt_min", "eta_max"});
      if (jets.Has("radius"))
        options.jets.radius = jets.At("radius").AsDouble();
      if (jets.Has("pt_min"))
        options.jets.pt_min = jets.At("pt_min").AsDouble();
      if (jets.Has("eta_max"))
        options.jets.eta_max = jets.At("eta_max").AsDouble();
    }
    if (node.Has("leptons"))
      ReadIsolation(node.At("leptons"), &options.leptons);
    if (node.Has("photons"))
      ReadIsolation(node.At("photons"), &options.photons);
    if (node.Has("invisible_pdg_ids")) {
      for (const YamlNode& id : node.At("invisible_pdg_ids").Elements())
        options.invisible_pdg_ids.push_back(id.AsInt());
    }
  }
  if (config.smearing) {
    const YamlNode& node = *config.smearing;
    const std::string name = node.AsString();
    if (name != "none") {
      try {
        options.detector = DetectorPreset(name);
      } catch (const InvalidInput&) {
        std::string list;
        for (const std::string& preset : DetectorPresetNames())
          list += (list.empty() ? "" : ", ") + preset;
        node.Fail("none or a detector preset (" + list + ")");
      }
    }
  }
  try {
    options.Validate();
  } catch (const InvalidInput& error) {
    throw InvalidInput(config.path + ": objects: " + error.what());
  }
  return options;
}

MiningOptions BuildMiningOptions(const MiningConfig& config) {
  MiningOptions options;
  options.setup = config.setup;
  if (!config.systematics.empty()) {
    const auto signal = std::find_if(
        config.samples.begin(),
        config.samples.end(),
        [](const SampleSpec& sample) { return !sample.is_background; });
    if (signal == config.samples.end()) {
      throw InvalidInput(config.path +
                         ": systematics need at least one signal sample to "
                         "read the variations from");
    }
    const NuisanceLayout layout = BuildNuisanceLayout(
        config.systematics, EventReader::Open(signal->path)->info());
    options.setup.systematics.clear();
    AddNuisanceLayout(layout, &options.setup);
    options.nuisance_sources = layout.sources;
  }
  options.samples = config.samples;
  options.seed = config.seed;
  options.shuffle = config.shuffle;
  return options;
}

}  // namespace goldmine::mining
