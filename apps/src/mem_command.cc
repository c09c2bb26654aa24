// goldmine mem --events F.h5 --output M.h5 [--threads T] [--precision P]
//              [--process NAME] [--detector PRESET] [--seed S] (issue 16)
// The per-event Matrix Element Method coefficients D_c(x) (mem/).
#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/finite_result.h"
#include "goldmine/mem/mem_computation.h"
#include "goldmine/mem/processes.h"
#include "goldmine/mining/madminer_file.h"
#include "output_options.h"

namespace goldmine::cli {

namespace po = boost::program_options;

Command MemCommand() {
  Command command;
  command.name = "mem";
  command.summary =
      "Matrix Element Method: the exact observable-level likelihood per event "
      "(built-in processes)";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    po::options_description options("Options");
    options.add_options()(
        "events", po::value<std::string>()->required(), "events file (HDF5)")(
        "output", po::value<std::string>()->required(), "MEM file (HDF5)")(
        "threads", po::value<int>()->default_value(1), "worker threads")(
        "precision",
        po::value<double>()->default_value(1e-3),
        "relative integration error of each event's SM term")(
        "calls",
        po::value<std::int64_t>()->default_value(2000),
        "integrand calls per VEGAS iteration")(
        "max-iterations",
        po::value<int>()->default_value(20),
        "VEGAS iterations at most (after 3 warm-up iterations)")(
        "process",
        po::value<std::string>(),
        "toy (default: the process whose parameters and observables the "
        "events file has)")(
        "detector",
        po::value<std::string>()->default_value("none"),
        "the smearing preset the events were mined with: none or "
        "wh-1908.06980 (its transfer functions)")(
        "seed", po::value<std::uint64_t>()->default_value(1), "random seed");
    po::variables_map values;
    if (!ParseCommandLine(
            "mem",
            "--events F.h5 --output M.h5 [--threads T] [--precision P]",
            "Writes, per event, the coefficients D_c(x) of d sigma(x|theta)/dx "
            "= sum_c m_c(theta) D_c(x) with their VEGAS errors "
            "(mining/mem_file.h); fisher mem reads them.\n"
            "Output (stdout): {\"process\", \"events\", \"not_converged\", "
            "\"calls\", \"largest_relative_error\", \"output\"}.\n"
            "Event e is integrated with a stream seeded by (seed, e): the same "
            "seed gives the same file for any --threads.",
            options,
            arguments,
            streams,
            &values)) {
      return kSuccess;
    }
    const std::string events = values["events"].as<std::string>();
    const std::string output = values["output"].as<std::string>();
    RequireOutputOptionIsNotAnInput(
        values, "output", PathsOfOptions(values, {"events"}));
    mem::MemSettings settings;
    settings.threads = values["threads"].as<int>();
    settings.seed = values["seed"].as<std::uint64_t>();
    settings.vegas.relative_precision = values["precision"].as<double>();
    settings.vegas.calls_per_iteration = values["calls"].as<std::int64_t>();
    settings.vegas.max_iterations = values["max-iterations"].as<int>();
    if (!(settings.vegas.relative_precision > 0.0 &&
          settings.vegas.relative_precision < 1.0)) {
      throw InvalidInput("--precision must be in (0, 1), got " +
                         std::to_string(settings.vegas.relative_precision));
    }
    if (settings.vegas.calls_per_iteration < 100 ||
        settings.vegas.calls_per_iteration > 100000000) {
      throw InvalidInput("--calls must be in [100, 1e8]");
    }
    if (settings.vegas.max_iterations < 2 ||
        settings.vegas.max_iterations > 1000) {
      throw InvalidInput("--max-iterations must be in [2, 1000]");
    }
    settings.vegas.Validate();

    const mining::MadminerSetup setup = mining::ReadSetup(events);
    mem::ProcessOptions process_options;
    process_options.detector = values["detector"].as<std::string>();
    std::unique_ptr<mem::Process> process;
    if (values.count("process") != 0) {
      std::vector<std::string> parameters;
      for (const auto& parameter : setup.parameters)
        parameters.push_back(parameter.name);
      process = mem::MakeProcess(
          values["process"].as<std::string>(), parameters, process_options);
    } else {
      process = mem::DetectProcess(setup, events, process_options);
    }
    streams.err << "mem: " << process->Description() << "\n";
    const mem::MemSummary summary = mem::ComputeMemFile(
        *process,
        events,
        output,
        settings,
        [&](std::int64_t done, std::int64_t total) {
          streams.err << "mem: " << done << "/" << total << " events\n";
        });
    if (summary.not_converged > 0) {
      streams.err << "warning: mem: " << summary.not_converged << " of "
                  << summary.events
                  << " events did not reach --precision within "
                     "--max-iterations (their errors are in the file)\n";
    }
    nlohmann::ordered_json result;
    result["process"] = process->name();
    result["events"] = summary.events;
    result["not_converged"] = summary.not_converged;
    result["calls"] = summary.calls;
    result["largest_relative_error"] = summary.largest_relative_error;
    result["output"] = output;
    core::RequireFiniteResult(result, "--events " + events);
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
