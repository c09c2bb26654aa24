// goldmine morphing --input CASE.json [--output OUT.json]   (DESIGN.md §5.1)
#include <optional>
#include <string>

#include "cli.h"
#include "goldmine/core/json_node.h"
#include "goldmine/core/output_guard.h"
#include "goldmine/morphing/morphing_case.h"

namespace goldmine::cli {
namespace po = boost::program_options;

Command MorphingCommand() {
  Command command;
  command.name = "morphing";
  command.summary =
      "EFT morphing: components, basis (given or optimised), weights, "
      "gradients";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    po::options_description options("Options");
    options.add_options()("input",
                          po::value<std::string>()->required(),
                          "morphing case (JSON), or {\"cases\": [...]}")(
        "output",
        po::value<std::string>(),
        "write the result here instead of stdout");
    po::variables_map values;
    const std::string description =
        "Input keys: parameter_max_power (one per parameter), "
        "max_overall_power (int or null),\n"
        "parameter_range ([lo, hi] per parameter), thetas (points); optional: "
        "name,\n"
        "parameter_names, basis (benchmark points; absent: optimise a basis in "
        "the ranges\n"
        "with seed and n_trials), components (explicit powers), "
        "fixed_benchmarks (kept in an\n"
        "optimised basis), benchmark_names.\n"
        "Output keys: components, basis, morphing_matrix (components x "
        "benchmarks),\n"
        "basis_matrix_condition_number, weights, weight_gradients (per theta: "
        "parameters x\n"
        "benchmarks), sum_squared_weights, expected_sum_squared_weights (over "
        "the ranges),\n"
        "optimization (when the basis was optimised).\n"
        "Coupling form (MadMiner's coupling morphing), instead of the powers "
        "and basis:\n"
        "n_production_couplings, n_decay_couplings, n_shared_couplings (Np, "
        "Nd, Ns) and basis_s\n"
        "(couplings x benchmarks: every coupling, decay then production then "
        "shared; or only\n"
        "the shared ones, with basis_d and basis_p for the others). theta "
        "follows the same\n"
        "order; the output adds couplings (gd0.., gp0.., gs0..).";
    if (!ParseCommandLine("morphing",
                          "--input CASE.json [--output OUT.json]",
                          description,
                          options,
                          arguments,
                          streams,
                          &values)) {
      return kSuccess;
    }
    const std::string input_path = values["input"].as<std::string>();
    std::optional<std::string> output_path;
    if (values.count("output") != 0) {
      output_path = values["output"].as<std::string>();
      RequireOutputIsNotAnInput(*output_path, {input_path});
    }
    const nlohmann::json document = core::ReadJsonFile(input_path);
    const nlohmann::ordered_json result = morphing::SolveMorphingDocument(
        core::JsonNode(document, input_path), &streams.err);
    WriteJsonResult(result, output_path, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
