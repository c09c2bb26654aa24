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
#include "goldmine/mining/analysis_processor.h"
#include "goldmine/mining/event_analysis.h"
#include "goldmine/mining/event_reader.h"
#include "goldmine/mining/miner.h"
#include "goldmine/mining/mining_config.h"
#include "goldmine/mining/physics_objects.h"
#include "goldmine/mining/systematics.h"
#include "mining_report_json.h"
#include "shard_option.h"

namespace goldmine::cli {
namespace po = boost::program_options;

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
    const mining::MiningConfig config =
        mining::ReadMiningConfig(config_path, true);
    const std::string output = values["output"].as<std::string>();
    RequireOutputIsNotAnInput(output, config.input_files);
    for (const std::string& note : config.notes)
      streams.err << "goldmine mine: note: " << note << "\n";
    mining::MiningOptions mining_options = mining::BuildMiningOptions(config);
    const mining::AnalysisProcessor processor(
        mining::BuildObjectOptions(config), mining::BuildEventAnalysis(config));
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
        MiningReportJson(report, mining_options.setup, output);
    if (partial) result["partial"] = true;
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
