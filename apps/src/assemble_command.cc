// goldmine assemble DIR/NAME_0 DIR/NAME_1 ... --output DIR/NAME   (issue 19)
// Joins estimators trained as separate jobs (`train --member K`) into the
// ensemble one `train --ensemble K` run trains (estimators/estimator.h,
// AssembleEnsemble; docs/scale_out.md).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/output_guard.h"
#include "goldmine/estimators/estimator.h"
#include "output_options.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace est = goldmine::estimators;

Command AssembleCommand() {
  Command command;
  command.name = "assemble";
  command.summary =
      "join estimators trained as separate members into one ensemble";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    po::options_description options("Options");
    options.add_options()("models",
                          po::value<std::vector<std::string>>()->required(),
                          "model prefixes DIR/NAME (positional)")(
        "output", po::value<std::string>()->required(), "ensemble DIR/NAME");
    po::positional_options_description positional;
    positional.add("models", -1);
    po::variables_map values;
    if (!ParseCommandLine(
            "assemble",
            "DIR/NAME_0 DIR/NAME_1 ... --output DIR/NAME",
            "Joins models trained with `train --member K` (same samples and "
            "settings) into one\n"
            "ensemble, members ordered by seed: the ensemble `train "
            "--ensemble K` trains in one\n"
            "run. Prints {\"output\", \"ensemble_size\", \"seeds\"}.",
            options,
            arguments,
            streams,
            &values,
            &positional)) {
      return kSuccess;
    }
    const std::vector<std::string> models =
        values["models"].as<std::vector<std::string>>();
    const std::string output = values["output"].as<std::string>();
    std::vector<std::string> inputs;
    for (const std::string& model : models) {
      for (const std::string& file : ModelFiles(model)) inputs.push_back(file);
    }
    for (const std::string& file : ModelFiles(output)) {
      RequireOutputIsNotAnInput(file, inputs);
    }
    est::AssembleEnsemble({models.begin(), models.end()}, output);
    std::vector<std::uint64_t> seeds;
    const est::Method method = est::ReadModelMethod(output);
    if (est::IsScoreMethod(method)) {
      for (const auto& h : est::ScoreEstimator::Load(output).histories())
        seeds.push_back(h.seed);
    } else {
      for (const auto& h : est::RatioEstimator::Load(output).histories())
        seeds.push_back(h.seed);
    }
    nlohmann::ordered_json result;
    result["output"] = output;
    result["ensemble_size"] = seeds.size();
    result["seeds"] = seeds;
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
