// goldmine setup CONFIG.yaml --output setup.h5   (DESIGN.md §5.3)
#include "cli.h"
#include "goldmine/core/output_guard.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/mining_config.h"

namespace goldmine::cli {
namespace po = boost::program_options;

Command SetupCommand() {
  Command command;
  command.name = "setup";
  command.summary =
      "write a MadMiner setup file (parameters, benchmarks, morphing) from a "
      "YAML config";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    po::options_description options("Options");
    options.add_options()(
        "config", po::value<std::string>()->required(), "YAML configuration")(
        "output",
        po::value<std::string>()->required(),
        "setup file to write (HDF5, MadMiner layout)");
    po::positional_options_description positional;
    positional.add("config", 1);
    po::variables_map values;
    const std::string description =
        "Reads the parameters, benchmarks (or benchmarks_from_reweight_header) "
        "and morphing\n"
        "sections of CONFIG.yaml (docs/config.md) and writes them in "
        "MadMiner's HDF5 layout.\n"
        "A morphing section with fewer benchmarks than components adds "
        "optimised basis points\n"
        "named morphing_basis_vector_N. CONFIG.yaml may also be a `goldmine "
        "run` configuration\n"
        "(docs/run.md): its mining section is read. Prints a JSON summary.";
    if (!ParseCommandLine("setup",
                          "CONFIG.yaml --output setup.h5",
                          description,
                          options,
                          arguments,
                          streams,
                          &values,
                          &positional)) {
      return kSuccess;
    }
    const mining::MiningConfig config =
        mining::ReadMiningConfig(values["config"].as<std::string>(), false);
    RequireOutputIsNotAnInput(values["output"].as<std::string>(),
                              config.input_files);
    for (const std::string& note : config.notes)
      streams.err << "goldmine setup: note: " << note << "\n";
    mining::WriteSetup(values["output"].as<std::string>(), config.setup);
    nlohmann::ordered_json summary;
    summary["output"] = values["output"].as<std::string>();
    std::vector<std::string> parameters;
    for (const auto& parameter : config.setup.parameters)
      parameters.push_back(parameter.name);
    summary["parameters"] = parameters;
    summary["benchmarks"] = config.setup.benchmarks.names;
    summary["morphing_components"] =
        config.setup.morphing ? config.setup.morphing->components.rows() : 0;
    WriteJsonResult(summary, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
