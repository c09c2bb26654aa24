// goldmine merge PART.h5... --output F.h5                          (issue 19)
// Joins the partial events files of one mining run (`mine --shard I/N`,
// `mine --sample K`) into the events file a single `goldmine mine` would
// have written (mining/miner.h, docs/scale_out.md), and prints the same
// report as `mine`; or the shards of one `augment --shard I/N` run into its
// samples file (mining/sample_shards.h).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/output_guard.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/miner.h"
#include "goldmine/mining/sample_shards.h"
#include "mining_report_json.h"

namespace goldmine::cli {
namespace po = boost::program_options;

Command MergeCommand() {
  Command command;
  command.name = "merge";
  command.summary =
      "join partial events files (mine --shard, --sample) into one events "
      "file, or samples shards (augment --shard) into one samples file";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    po::options_description options("Options");
    options.add_options()("parts",
                          po::value<std::vector<std::string>>()->required(),
                          "partial events files (positional)")(
        "output", po::value<std::string>()->required(), "events file to write");
    po::positional_options_description positional;
    positional.add("parts", -1);
    po::variables_map values;
    if (!ParseCommandLine(
            "merge",
            "PART.h5... --output events.h5",
            "Joins the partial events files of one mining run into the file "
            "a single\n`goldmine mine` writes: the same rows in the same "
            "order, the same datasets\n(docs/scale_out.md). Every shard of "
            "every sample must be given once. Prints\nthe report of `mine`. "
            "Shards of `augment --shard I/N` (every I once) are\njoined into "
            "the samples file one augment run writes.",
            options,
            arguments,
            streams,
            &values,
            &positional)) {
      return kSuccess;
    }
    const std::vector<std::string> parts =
        values["parts"].as<std::vector<std::string>>();
    const std::string output = values["output"].as<std::string>();
    RequireOutputIsNotAnInput(output, parts);
    std::vector<std::filesystem::path> paths(parts.begin(), parts.end());
    if (mining::IsSamplesFile(paths.front())) {
      const std::int64_t samples = mining::MergeSampleShards(paths, output);
      nlohmann::ordered_json result;
      result["output"] = output;
      result["n_samples"] = samples;
      result["shards"] = parts.size();
      WriteJsonResult(result, std::nullopt, streams);
      return kSuccess;
    }
    const mining::MiningReport report =
        mining::MergePartialEvents(paths, output);
    const nlohmann::ordered_json result = MiningReportJson(
        report, mining::MadminerEventsReader(output).setup(), output);
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
