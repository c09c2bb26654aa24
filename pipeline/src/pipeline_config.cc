#include "goldmine/pipeline/pipeline_config.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "goldmine/core/errors.h"
#include "goldmine/core/yaml_node.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;
using core::LoadYamlFile;
using core::YamlNode;

namespace {

const std::initializer_list<const char*> kTopKeys = {"name",
                                                     "generate",
                                                     "mining",
                                                     "augment",
                                                     "train",
                                                     "fisher",
                                                     "mem",
                                                     "limits",
                                                     "report",
                                                     "workflow",
                                                     "quick"};

// `quick` overrides: maps merge key by key, anything else replaces.
YAML::Node Merge(const YAML::Node& base, const YAML::Node& override) {
  if (!base.IsMap() || !override.IsMap()) return YAML::Clone(override);
  YAML::Node merged = YAML::Clone(base);
  for (const auto& entry : override) {
    const std::string key = entry.first.as<std::string>();
    merged[key] = merged[key].IsDefined() ? Merge(merged[key], entry.second)
                                          : YAML::Clone(entry.second);
  }
  return merged;
}

std::string Text(const YAML::Node& node) {
  YAML::Emitter emitter;
  emitter << node;
  return emitter.c_str();
}

// A scalar as a command-line value.
std::string Scalar(const YamlNode& node) {
  if (node.IsSequence()) {
    std::string joined;
    for (const YamlNode& element : node.Elements())
      joined += (joined.empty() ? "" : ",") + element.AsString();
    return joined;
  }
  return node.AsString();
}

std::int64_t Count(const YamlNode& node, std::int64_t minimum) {
  const double value = node.AsDouble();
  if (value != std::floor(value) || value < static_cast<double>(minimum) ||
      value > 1e12) {
    node.Fail("an integer >= " + std::to_string(minimum));
  }
  return static_cast<std::int64_t>(value);
}

GenerateSettings ReadGenerate(const YamlNode& node) {
  node.RequireOnlyKeys({"process",
                        "events",
                        "seed",
                        "energy",
                        "charge",
                        "leptons",
                        "hbb_eft",
                        "scale",
                        "pdf"});
  GenerateSettings settings;
  settings.process = node.Has("process") ? node.At("process").AsString() : "wh";
  if (settings.process != "wh" && settings.process != "toy")
    node.At("process").Fail("wh or toy");
  settings.events = Count(node.At("events"), 1);
  settings.seed = node.Has("seed")
                      ? static_cast<std::uint64_t>(Count(node.At("seed"), 0))
                      : 1;
  for (const char* key : {"energy", "charge", "leptons", "hbb_eft", "scale"}) {
    if (node.Has(key)) {
      std::string flag = key;
      if (flag == "hbb_eft") flag = "hbb-eft";
      settings.options.emplace_back(flag, Scalar(node.At(key)));
    }
  }
  if (node.Has("pdf")) {
    fs::path pdf = node.At("pdf").AsString();
    if (pdf.is_relative()) pdf = fs::path(node.file()).parent_path() / pdf;
    settings.options.emplace_back("pdf", fs::absolute(pdf).string());
  }
  return settings;
}

// File names in the mining section are relative to the configuration's
// folder; the run writes that section elsewhere, so they become absolute.
void MakeFilesAbsolute(YAML::Node mining, const fs::path& folder) {
  auto absolute = [&](YAML::Node file) {
    if (!file.IsDefined() || !file.IsScalar()) return;
    fs::path path = file.as<std::string>();
    if (path.is_relative()) file = fs::absolute(folder / path).string();
  };
  if (mining["samples"].IsSequence()) {
    for (std::size_t i = 0; i < mining["samples"].size(); ++i) {
      if (mining["samples"][i].IsMap()) absolute(mining["samples"][i]["file"]);
    }
  }
  if (mining["benchmarks_from_reweight_header"].IsMap())
    absolute(mining["benchmarks_from_reweight_header"]["file"]);
}

AugmentSettings ReadAugment(const YamlNode& node) {
  node.RequireOnlyKeys({"n_samples", "test_samples", "seed", "theta"});
  AugmentSettings settings;
  settings.n_samples = Count(node.At("n_samples"), 1);
  settings.test_samples =
      node.Has("test_samples") ? Count(node.At("test_samples"), 1) : 10000;
  settings.seed = node.Has("seed")
                      ? static_cast<std::uint64_t>(Count(node.At("seed"), 0))
                      : 1;
  if (node.Has("theta")) settings.theta = node.At("theta").AsString();
  return settings;
}

TrainSettings ReadTrain(const std::string& method, const YamlNode& node) {
  const bool ratio = method != "sally";
  if (ratio) {
    node.RequireOnlyKeys({"enabled",
                          "hidden",
                          "activation",
                          "epochs",
                          "batch_size",
                          "lr",
                          "lr_decay",
                          "validation_split",
                          "early_stopping",
                          "ensemble",
                          "seed",
                          "alpha",
                          "n_samples",
                          "theta0",
                          "theta1",
                          "morphing_aware"});
  } else {
    node.RequireOnlyKeys({"enabled",
                          "hidden",
                          "activation",
                          "epochs",
                          "batch_size",
                          "lr",
                          "lr_decay",
                          "validation_split",
                          "early_stopping",
                          "ensemble",
                          "seed"});
  }
  TrainSettings settings;
  settings.method = method;
  settings.enabled = !node.Has("enabled") || node.At("enabled").AsBool();
  for (const char* key : {"hidden",
                          "activation",
                          "epochs",
                          "batch_size",
                          "lr",
                          "lr_decay",
                          "validation_split",
                          "ensemble",
                          "seed",
                          "alpha"}) {
    if (!node.Has(key)) continue;
    std::string flag = key;
    for (char& c : flag) c = c == '_' ? '-' : c;
    settings.options.emplace_back(flag, Scalar(node.At(key)));
  }
  if (node.Has("early_stopping") && node.At("early_stopping").AsBool())
    settings.switches.push_back("--early-stopping");
  if (ratio && settings.enabled) {
    settings.n_samples = Count(node.At("n_samples"), 1);
    settings.theta0 = node.At("theta0").AsString();
    settings.theta1 = node.At("theta1").AsString();
    settings.morphing_aware =
        node.Has("morphing_aware") && node.At("morphing_aware").AsBool();
  }
  return settings;
}

std::vector<double> Edges(const YamlNode& node, const std::string& count) {
  if (!node.IsSequence()) {
    node.Fail("a list of increasing bin edges (for a number of bins use `" +
              count + "`)");
  }
  const std::vector<double> edges = node.AsDoubles();
  if (edges.empty()) node.Fail("a list of increasing bin edges");
  for (std::size_t i = 1; i < edges.size(); ++i)
    if (!(edges[i - 1] < edges[i])) node.Fail("a list of increasing bin edges");
  return edges;
}

// One axis: `edges_key` (a list of edges) or `count_key` (a number of
// quantile bins), exactly one of them.
void ReadAxis(const YamlNode& spec,
              const std::string& edges_key,
              const std::string& count_key,
              std::vector<double>* edges,
              int* count) {
  const bool has_edges = spec.Has(edges_key);
  const bool has_count = spec.Has(count_key);
  if (has_edges == has_count) {
    spec.Fail("exactly one of `" + edges_key + "` (a list of edges) and `" +
              count_key + "` (a number of quantile bins)");
  }
  if (has_edges) {
    *edges = Edges(spec.At(edges_key), count_key);
  } else {
    *count = static_cast<int>(Count(spec.At(count_key), 1));
  }
}

FisherSettings ReadFisher(const YamlNode& node, std::size_t num_parameters) {
  node.RequireOnlyKeys({"theta", "luminosity", "histograms"});
  FisherSettings settings;
  if (node.Has("theta"))
    settings.theta =
        node.At("theta").AsDoubles(static_cast<int>(num_parameters));
  if (node.Has("luminosity")) {
    settings.luminosity = node.At("luminosity").AsDouble();
    if (!(settings.luminosity > 0))
      node.At("luminosity").Fail("a luminosity > 0 in pb^-1");
  }
  if (node.Has("histograms")) {
    for (const auto& [name, spec] : node.At("histograms").Entries()) {
      spec.RequireOnlyKeys({"label",
                            "observable",
                            "bins",
                            "n_bins",
                            "observable2",
                            "bins2",
                            "n_bins2",
                            "limits_binning"});
      HistogramSettings histogram;
      histogram.name = name;
      histogram.label = spec.Has("label") ? spec.At("label").AsString() : name;
      histogram.observable = spec.At("observable").AsString();
      ReadAxis(spec, "bins", "n_bins", &histogram.bins, &histogram.num_bins);
      if (spec.Has("limits_binning"))
        histogram.preset = spec.At("limits_binning").AsString();
      if (spec.Has("observable2")) {
        histogram.observable2 = spec.At("observable2").AsString();
        ReadAxis(
            spec, "bins2", "n_bins2", &histogram.bins2, &histogram.num_bins2);
      } else if (spec.Has("bins2") || spec.Has("n_bins2")) {
        spec.At(spec.Has("bins2") ? "bins2" : "n_bins2")
            .Fail("an `observable2` for the second axis");
      }
      settings.histograms.push_back(histogram);
    }
  }
  return settings;
}

bool OnGrid(const LimitsSettings& settings, const std::string& parameter) {
  for (const GridAxis& axis : settings.grid)
    if (axis.parameter == parameter) return true;
  return false;
}

// limits.scans: [{parameters: [a, b], fix: {c: 0}, profile: [d]}, ...].
void ReadScans(const YamlNode& node,
               const std::vector<std::string>& parameters,
               LimitsSettings* settings) {
  auto known = [&](const YamlNode& entry) {
    const std::string name = entry.AsString();
    if (std::find(parameters.begin(), parameters.end(), name) ==
        parameters.end())
      entry.Fail("a parameter of mining.parameters");
    return name;
  };
  for (const YamlNode& spec : node.Elements()) {
    spec.RequireOnlyKeys({"parameters", "fix", "profile"});
    ScanSettings scan;
    std::vector<std::string> used;
    auto use = [&](const YamlNode& entry, const std::string& name) {
      if (std::find(used.begin(), used.end(), name) != used.end())
        entry.Fail(
            "each parameter at most once per scan (scanned, fixed or "
            "profiled)");
      used.push_back(name);
    };
    for (const YamlNode& entry : spec.At("parameters").Elements()) {
      const std::string name = known(entry);
      if (!OnGrid(*settings, name))
        entry.Fail("a parameter with a limits.grid entry");
      use(entry, name);
      scan.parameters.push_back(name);
    }
    if (scan.parameters.empty() || scan.parameters.size() > 2)
      spec.At("parameters").Fail("one or two parameters to scan");
    if (spec.Has("fix")) {
      for (const auto& [name, value] : spec.At("fix").Entries()) {
        if (std::find(parameters.begin(), parameters.end(), name) ==
            parameters.end())
          value.Fail("a value for a parameter of mining.parameters");
        use(value, name);
        scan.fix.emplace_back(name, value.AsDouble());
      }
    }
    if (spec.Has("profile")) {
      for (const YamlNode& entry : spec.At("profile").Elements()) {
        const std::string name = known(entry);
        if (!OnGrid(*settings, name))
          entry.Fail(
              "a parameter with a limits.grid entry (its LO, HI bound "
              "the profiling)");
        use(entry, name);
        scan.profile.push_back(name);
      }
    }
    settings->scans.push_back(scan);
  }
  if (settings->scans.empty()) node.Fail("a list of scans");
}

LimitsSettings ReadLimits(const YamlNode& node,
                          const std::vector<std::string>& parameters,
                          const FisherSettings& fisher) {
  node.RequireOnlyKeys(
      {"enabled", "grid", "luminosity", "methods", "histograms", "scans"});
  LimitsSettings settings;
  settings.enabled = !node.Has("enabled") || node.At("enabled").AsBool();
  settings.luminosity = fisher.luminosity;
  if (node.Has("luminosity"))
    settings.luminosity = node.At("luminosity").AsDouble();
  // `enabled: false` switches the stage off: the grid may then be absent
  // (the other keys, when present, are still checked).
  if (settings.enabled || node.Has("grid")) {
    const YamlNode grid = node.At("grid");
    // Without scans every parameter is scanned; with scans, the grid lists
    // the scanned and profiled ones (in the order of mining.parameters).
    for (const std::string& parameter : parameters) {
      if (node.Has("scans") && !grid.Has(parameter)) continue;
      const YamlNode axis = grid.At(parameter);
      const std::vector<double> values = axis.AsDoubles(3);
      if (!(values[0] < values[1]) || values[2] < 2 ||
          values[2] != std::floor(values[2]))
        axis.Fail("[LO, HI, N] with LO < HI and an integer N >= 2");
      settings.grid.push_back(
          {parameter, values[0], values[1], static_cast<int>(values[2])});
    }
    if (grid.node().size() != settings.grid.size()) {
      grid.Fail(node.Has("scans")
                    ? "[LO, HI, N] per parameter of mining.parameters"
                    : "one [LO, HI, N] per parameter (" +
                          std::to_string(parameters.size()) + ")");
    }
  }
  if (node.Has("scans")) ReadScans(node.At("scans"), parameters, &settings);
  settings.methods = {"sally", "histo", "rate"};
  if (node.Has("methods")) {
    settings.methods.clear();
    for (const YamlNode& method : node.At("methods").Elements()) {
      const std::string name = method.AsString();
      if (name != "sally" && name != "histo" && name != "rate" && name != "ml")
        method.Fail("sally, histo, rate or ml (the enabled ratio estimators)");
      settings.methods.push_back(name);
    }
  }
  if (node.Has("histograms")) {
    for (const YamlNode& entry : node.At("histograms").Elements()) {
      const std::string name = entry.AsString();
      bool found = false;
      for (const HistogramSettings& histogram : fisher.histograms)
        found = found || histogram.name == name;
      if (!found) entry.Fail("the name of a fisher.histograms entry");
      settings.histograms.push_back(name);
    }
  }
  return settings;
}

ReportSettings ReadReport(const YamlNode& node,
                          const std::vector<std::string>& benchmarks) {
  node.RequireOnlyKeys({"benchmarks",
                        "observables",
                        "score_benchmarks",
                        "weights_grid",
                        "reference"});
  ReportSettings settings;
  if (node.Has("reference")) {
    const YamlNode reference = node.At("reference");
    reference.RequireOnlyKeys({"source", "information"});
    settings.reference_source = reference.At("source").AsString();
    for (const auto& [name, matrix] : reference.At("information").Entries()) {
      std::vector<std::vector<double>> rows;
      for (const YamlNode& row : matrix.Elements())
        rows.push_back(
            row.AsDoubles(static_cast<int>(matrix.Elements().size())));
      settings.reference_information.emplace_back(name, rows);
    }
  }
  auto benchmark_list = [&](const YamlNode& list) {
    std::vector<std::string> names;
    for (const YamlNode& entry : list.Elements()) {
      const std::string name = entry.AsString();
      bool found = false;
      for (const std::string& benchmark : benchmarks)
        found = found || benchmark == name;
      if (!found && !benchmarks.empty())
        entry.Fail("a benchmark of mining.benchmarks");
      names.push_back(name);
    }
    return names;
  };
  if (node.Has("benchmarks"))
    settings.benchmarks = benchmark_list(node.At("benchmarks"));
  if (node.Has("score_benchmarks"))
    settings.score_benchmarks = benchmark_list(node.At("score_benchmarks"));
  if (node.Has("observables")) {
    for (const auto& [name, spec] : node.At("observables").Entries()) {
      spec.RequireOnlyKeys({"label", "range", "bins"});
      ObservablePlot plot;
      plot.name = name;
      plot.label = spec.Has("label") ? spec.At("label").AsString() : name;
      const std::vector<double> range = spec.At("range").AsDoubles(2);
      if (!(range[0] < range[1]))
        spec.At("range").Fail("[LO, HI] with LO < HI");
      plot.lo = range[0];
      plot.hi = range[1];
      if (spec.Has("bins"))
        plot.bins = static_cast<int>(Count(spec.At("bins"), 1));
      settings.observables.push_back(plot);
    }
  }
  if (node.Has("weights_grid"))
    settings.weights_grid = static_cast<int>(Count(node.At("weights_grid"), 3));
  return settings;
}

MemSettings ReadMem(const YamlNode& node, const YAML::Node& mining) {
  node.RequireOnlyKeys({"enabled", "events", "precision", "detector", "seed"});
  MemSettings settings;
  settings.enabled = !node.Has("enabled") || node.At("enabled").AsBool();
  if (node.Has("events")) settings.events = Count(node.At("events"), 1);
  if (node.Has("precision")) {
    settings.precision = node.At("precision").AsDouble();
    if (!(settings.precision > 0.0 && settings.precision < 1.0))
      node.At("precision").Fail("a relative precision in (0, 1)");
  }
  if (node.Has("seed"))
    settings.seed = static_cast<std::uint64_t>(Count(node.At("seed"), 0));
  if (node.Has("detector")) {
    settings.detector = node.At("detector").AsString();
  } else {
    // The MEM's transfer functions are those of the mining smearing; a
    // custom smearing (a map) has none, and `goldmine mem` says so.
    const YAML::Node smearing = mining["smearing"];
    if (!smearing.IsDefined() || smearing.IsNull()) {
      settings.detector = "none";
    } else {
      settings.detector =
          smearing.IsScalar() ? smearing.as<std::string>() : "custom";
    }
  }
  return settings;
}

// Checks the keys of a document (the configuration, or its `quick` section).
void CheckTopKeys(const YamlNode& root, bool allow_quick) {
  if (allow_quick) {
    root.RequireOnlyKeys(kTopKeys);
  } else {
    root.RequireOnlyKeys({"name",
                          "generate",
                          "mining",
                          "augment",
                          "train",
                          "fisher",
                          "mem",
                          "limits",
                          "report",
                          "workflow"});
  }
}

WorkflowSettings ReadWorkflow(const YamlNode& node) {
  node.RequireOnlyKeys({"threads", "mem_mb", "shards"});
  WorkflowSettings settings;
  for (const auto& [key, target] :
       {std::pair<const char*, std::map<std::string, int>*>{"threads",
                                                            &settings.threads},
        {"mem_mb", &settings.mem_mb},
        {"shards", &settings.shards}}) {
    if (!node.Has(key)) continue;
    const YamlNode map = node.At(key);
    if (!map.IsMap()) map.Fail("a map from stage names to counts");
    for (const auto& [stage, value] : map.Entries()) {
      const auto& names = StageNames();
      if (std::find(names.begin(), names.end(), stage) == names.end()) {
        throw InvalidInput(value.Where() + ": \"" + stage +
                           "\" is not a stage; stages: " + StageNameList());
      }
      if (target == &settings.shards && stage != "mine" && stage != "augment" &&
          stage != "limits") {
        throw InvalidInput(
            value.Where() +
            ": only the mine, augment and limits stages have shards");
      }
      const std::int64_t count = Count(value, 1);
      if (count > 1000000) value.Fail("an integer from 1 to 1000000");
      (*target)[stage] = static_cast<int>(count);
    }
  }
  return settings;
}

PipelineConfig ParseDocument(const YamlNode& root,
                             const fs::path& path,
                             bool quick);

}  // namespace

const std::vector<std::string>& StageNames() {
  static const std::vector<std::string> names = {"generate",
                                                 "mine",
                                                 "augment",
                                                 "mem",
                                                 "train",
                                                 "fisher",
                                                 "limits",
                                                 "report"};
  return names;
}

std::string StageNameList() {
  std::string list;
  for (const std::string& name : StageNames())
    list += (list.empty() ? "" : ", ") + name;
  return list;
}

std::string ParameterLabel(const PipelineConfig& config, std::size_t p) {
  const std::string& label = config.parameter_labels.at(p);
  if (!label.empty()) return label;
  std::string escaped;
  for (char c : config.parameters.at(p)) {
    if (c == '_' || c == '^' || c == '{' || c == '}' || c == '@' || c == '&' ||
        c == '~')
      escaped += '\\';
    escaped += c;
  }
  return escaped;
}

std::string ParameterText(const PipelineConfig& config, std::size_t p) {
  const std::string& label = config.parameter_labels.at(p);
  if (label.empty()) return config.parameters.at(p);
  std::string text;
  for (char c : label)
    if (c != '{' && c != '}') text += c;
  return text;
}

PipelineConfig ReadPipelineConfig(const fs::path& path, bool quick) {
  const YamlNode loaded = LoadYamlFile(path.string());
  if (!loaded.IsMap()) loaded.Fail("a map with the sections of the study");
  CheckTopKeys(loaded, true);
  if (loaded.Has("quick")) CheckTopKeys(loaded.At("quick"), false);
  // The configuration as written is always checked, so that errors name
  // their line; with --quick the merged document (whose copied nodes have
  // no line numbers) is read again.
  YAML::Node document(YAML::NodeType::Map);
  for (const auto& entry : loaded.node()) {
    if (entry.first.as<std::string>() != "quick")
      document[entry.first.as<std::string>()] = entry.second;  // keeps marks
  }
  PipelineConfig config =
      ParseDocument(YamlNode(document, path.string()), path, false);
  if (!quick) return config;
  if (!loaded.Has("quick"))
    throw InvalidInput(path.string() + ": --quick needs a `quick` section");
  document = Merge(document, loaded.At("quick").node());
  return ParseDocument(
      YamlNode(document, path.string() + " (with its quick section)"),
      path,
      true);
}

namespace {

PipelineConfig ParseDocument(const YamlNode& root,
                             const fs::path& path,
                             bool quick) {
  const YAML::Node document = root.node();
  PipelineConfig config;
  config.path = fs::absolute(path);
  config.quick = quick;
  config.name =
      root.Has("name") ? root.At("name").AsString() : path.stem().string();
  if (root.Has("generate")) config.generate = ReadGenerate(root.At("generate"));

  const YamlNode mining = root.At("mining");
  if (!mining.IsMap()) mining.Fail("the mining configuration (docs/config.md)");
  if (config.generate && mining.Has("samples")) {
    throw InvalidInput(mining.At("samples").Where() +
                       ": the generated events are the sample; leave out "
                       "mining.samples or the generate section");
  }
  if (!config.generate && !mining.Has("samples")) {
    throw InvalidInput(mining.Where() +
                       ": missing key \"samples\" (or add a generate section)");
  }
  for (const auto& [name, spec] : mining.At("parameters").Entries()) {
    config.parameters.push_back(name);
    config.parameter_labels.push_back(
        spec.Has("label") ? spec.At("label").AsString() : std::string());
    const std::vector<double> range = spec.At("range").AsDoubles(2);
    config.parameter_ranges.emplace_back(range[0], range[1]);
  }
  if (mining.Has("benchmarks")) {
    for (const auto& entry : mining.At("benchmarks").Entries())
      config.benchmarks.push_back(entry.first);
  } else if (config.generate) {
    mining.Fail(
        "a map with `benchmarks` (the generator writes one weight per "
        "benchmark)");
  }
  config.mining = YAML::Clone(mining.node());
  MakeFilesAbsolute(config.mining, config.path.parent_path());

  config.augment = ReadAugment(root.At("augment"));
  if (root.Has("train")) {
    const YamlNode train = root.At("train");
    train.RequireOnlyKeys({"sally", "rascal", "alices"});
    for (const auto& [method, spec] : train.Entries())
      config.train.push_back(ReadTrain(method, spec));
  }
  config.fisher = root.Has("fisher")
                      ? ReadFisher(root.At("fisher"), config.parameters.size())
                      : FisherSettings{};
  if (config.fisher.theta.empty())
    config.fisher.theta.assign(config.parameters.size(), 0.0);
  if (root.Has("limits")) {
    config.limits =
        ReadLimits(root.At("limits"), config.parameters, config.fisher);
  } else {
    config.limits.enabled = false;
  }
  if (root.Has("mem")) config.mem = ReadMem(root.At("mem"), config.mining);
  if (root.Has("report"))
    config.report = ReadReport(root.At("report"), config.benchmarks);
  if (root.Has("workflow")) config.workflow = ReadWorkflow(root.At("workflow"));

  for (const char* section : {"name",
                              "generate",
                              "mining",
                              "augment",
                              "train",
                              "fisher",
                              "mem",
                              "limits",
                              "report"}) {
    config.section_text[section] =
        document[section].IsDefined() ? Text(document[section]) : std::string();
  }
  config.section_text["mining"] = Text(config.mining);
  return config;
}

}  // namespace

}  // namespace goldmine::pipeline
