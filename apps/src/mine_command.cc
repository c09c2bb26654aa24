// goldmine mine CONFIG.yaml --output events.h5   (DESIGN.md §5.3)
#include <filesystem>
#include <iomanip>
#include <memory>
#include <sstream>
#include <tuple>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/file_digest.h"
#include "goldmine/core/output_guard.h"
#include "goldmine/mining/event_analysis.h"
#include "goldmine/mining/event_reader.h"
#include "goldmine/mining/miner.h"
#include "goldmine/mining/physics_objects.h"
#include "goldmine/mining/systematics.h"
#include "mining_config.h"
#include "mining_report_json.h"
#include "shard_option.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace {

// Objects → observables, cuts, efficiencies for one event.
class AnalysisProcessor final : public mining::EventProcessor {
 public:
  AnalysisProcessor(mining::ObjectOptions objects,
                    mining::EventAnalysis analysis)
      : objects_(std::move(objects)), analysis_(std::move(analysis)) {}

  int num_observables() const override { return analysis_.num_observables(); }

  bool Process(
      const mining::Event& event,
      RandomStream* random,
      Eigen::Ref<Eigen::RowVectorXd, 0, Eigen::InnerStride<>> observations,
      double* efficiency) const override {
    const mining::EventObjects objects =
        mining::BuildObjects(event, objects_, random);
    Eigen::VectorXd values(analysis_.num_observables());
    double factor = 1.0;
    const bool keep = analysis_.Analyse(objects, values, &factor);
    observations = values.transpose();
    *efficiency *= factor * objects.efficiency;
    return keep && *efficiency > 0.0;
  }

 private:
  mining::ObjectOptions objects_;
  mining::EventAnalysis analysis_;
};

void ReadIsolation(const YamlNode& node, mining::IsolationOptions* options) {
  node.RequireOnlyKeys({"pt_min", "eta_max", "cone", "max_fraction"});
  if (node.Has("pt_min")) options->pt_min = node.At("pt_min").AsDouble();
  if (node.Has("eta_max")) options->eta_max = node.At("eta_max").AsDouble();
  if (node.Has("cone")) options->cone = node.At("cone").AsDouble();
  if (node.Has("max_fraction"))
    options->max_fraction = node.At("max_fraction").AsDouble();
}

mining::ObjectOptions ReadObjectOptions(const MiningConfig& config) {
  mining::ObjectOptions options;
  if (config.objects) {
    const YamlNode& node = *config.objects;
    node.RequireOnlyKeys(
        {"level", "jets", "leptons", "photons", "invisible_pdg_ids"});
    if (node.Has("level")) {
      const YamlNode level = node.At("level");
      const std::string name = level.AsString();
      if (name == "parton") {
        options.level = mining::ObjectLevel::kParton;
      } else if (name == "particle") {
        options.level = mining::ObjectLevel::kParticle;
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
        options.detector = mining::DetectorPreset(name);
      } catch (const InvalidInput&) {
        std::string list;
        for (const std::string& preset : mining::DetectorPresetNames())
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

}  // namespace

Command MineCommand() {
  Command command;
  command.name = "mine";
  command.summary =
      "read event files into a MadMiner events file (objects, observables, "
      "cuts, systematics)";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    po::options_description options("Options");
    options.add_options()("config",
                          po::value<std::string>()->required(),
                          "YAML configuration (docs/config.md)")(
        "output",
        po::value<std::string>()->required(),
        "events file to write (HDF5, MadMiner layout)")(
        "threads",
        po::value<int>()->default_value(2),
        "threads: samples in parallel, and event ranges of each sample when "
        "there are more threads than samples (the same file either way)")(
        "shard",
        po::value<std::string>(),
        "I/N: mine only events [I n/N, (I+1) n/N) of every sample into a "
        "partial events file (join the parts with `goldmine merge`)")(
        "sample",
        po::value<std::vector<int>>(),
        "mine only sample K (0-based, repeatable) into a partial events "
        "file");
    po::positional_options_description positional;
    positional.add("config", 1);
    po::variables_map values;
    const std::string description =
        "Reads every sample of CONFIG.yaml, builds objects, evaluates "
        "observables, cuts and\n"
        "efficiencies, maps weights to benchmarks (plus nuisance benchmarks "
        "for systematics)\n"
        "and writes MadMiner's events file. Prints a JSON report: events read "
        "and kept and\n"
        "cross sections per benchmark for each sample.";
    if (!ParseCommandLine("mine",
                          "CONFIG.yaml --output events.h5 [--threads T] "
                          "[--shard I/N] [--sample K ...]",
                          description,
                          options,
                          arguments,
                          streams,
                          &values,
                          &positional)) {
      return kSuccess;
    }
    const std::string config_path = values["config"].as<std::string>();
    std::error_code folder_error;
    if (std::filesystem::is_directory(config_path, folder_error)) {
      throw InvalidInput(config_path +
                         ": is a folder; expected a YAML configuration file");
    }
    MiningConfig config = ReadMiningConfig(config_path, true);
    const std::string output = values["output"].as<std::string>();
    RequireOutputIsNotAnInput(output, config.input_files);
    for (const std::string& note : config.notes)
      streams.err << "goldmine mine: note: " << note << "\n";
    mining::MiningOptions mining_options;
    if (!config.systematics.empty()) {
      const auto signal = std::find_if(config.samples.begin(),
                                       config.samples.end(),
                                       [](const mining::SampleSpec& sample) {
                                         return !sample.is_background;
                                       });
      if (signal == config.samples.end()) {
        throw InvalidInput(config.path +
                           ": systematics need at least one signal sample to "
                           "read the variations from");
      }
      const mining::NuisanceLayout layout = mining::BuildNuisanceLayout(
          config.systematics, mining::EventReader::Open(signal->path)->info());
      config.setup.systematics.clear();
      mining::AddNuisanceLayout(layout, &config.setup);
      mining_options.nuisance_sources = layout.sources;
    }
    const AnalysisProcessor processor(ReadObjectOptions(config),
                                      BuildEventAnalysis(config));
    mining_options.setup = config.setup;
    mining_options.samples = config.samples;
    mining_options.seed = config.seed;
    mining_options.shuffle = config.shuffle;
    mining_options.threads = values["threads"].as<int>();
    if (mining_options.threads < 1)
      throw InvalidInput("--threads: expected at least 1");
    const auto log = [&](const std::string& line) {
      streams.err << "goldmine mine: " << line << "\n" << std::flush;
    };
    const bool partial =
        values.count("shard") != 0 || values.count("sample") != 0;
    mining::MiningShard shard;
    if (values.count("shard") != 0) {
      std::tie(shard.index, shard.count) =
          ParseShard(values["shard"].as<std::string>());
    }
    if (values.count("sample") != 0) {
      shard.samples = values["sample"].as<std::vector<int>>();
    }
    // Parts of one run share the configuration, byte for byte.
    shard.run = Sha256OfFile(config_path);
    const mining::MiningReport report =
        partial
            ? mining::MinePartial(mining_options, processor, shard, output, log)
            : mining::Mine(mining_options, processor, output, log);

    nlohmann::ordered_json result =
        MiningReportJson(report, config.setup, output);
    if (partial) result["partial"] = true;
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
