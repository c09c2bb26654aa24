// goldmine run CONFIG.yaml [--workdir DIR] [--quick] [--force] [--from STAGE]
//   [--threads T] [--dry-run]                              (DESIGN.md §5.8)
// The whole study from one YAML file: each stage runs goldmine's own
// subcommands as child processes over files in DIR, is skipped when its
// outputs are up to date, and the report collects the results.
#include <algorithm>
#include <chrono>
#include <ostream>
#include <thread>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "mining_config.h"
#include "run/child_process.h"
#include "run/pipeline_config.h"
#include "run/report_writer.h"
#include "run/stage_runner.h"
#include "run/study_stages.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// --dry-run: every section validated (the mining section by the code of
// `goldmine setup|mine`), the command lines of every stage printed, nothing
// written or run.
int DryRun(const run::PipelineConfig& config,
           const run::StudyFiles& files,
           int threads,
           Streams streams) {
  BuildEventAnalysis(
      ReadMiningConfig(config.path.string(), !config.generate.has_value()));
  const std::vector<run::Stage> stages =
      run::StudyStages(config, files, threads, /*write_inputs=*/false);
  streams.out
      << "# goldmine run " << config.path.string()
      << (config.quick ? " --quick" : "") << " --dry-run: " << config.name
      << ", work folder " << files.workdir.string()
      << "\n# the configuration is valid; the commands of each stage:\n";
  for (const run::Stage& stage : stages) {
    streams.out << "\n# " << stage.name;
    if (!stage.not_configured.empty()) {
      streams.out << ": not configured (" << stage.not_configured << ")\n";
      continue;
    }
    streams.out << "\n";
    if (stage.prepare) streams.out << "# (in-process work first)\n";
    for (const run::Step& step : stage.steps) {
      std::vector<std::string> arguments = step.arguments;
      arguments.insert(arguments.end(),
                       step.unhashed_arguments.begin(),
                       step.unhashed_arguments.end());
      streams.out << run::CommandLine("goldmine", arguments);
      if (step.stdout_file) streams.out << " > " << step.stdout_file->string();
      streams.out << (step.optional ? "   # optional" : "") << "\n";
    }
    if (stage.work) streams.out << "# (and in-process work)\n";
  }
  streams.out << "\n# report\n# (in-process: "
              << (files.workdir / "report.md").string() << ", report.html, "
              << "results.json)\n";
  return kSuccess;
}

int RunStudy(const po::variables_map& values, Streams streams) {
  const auto start = std::chrono::steady_clock::now();
  const fs::path config_path = values["config"].as<std::string>();
  const bool quick = values["quick"].as<bool>();
  const run::PipelineConfig config =
      run::ReadPipelineConfig(config_path, quick);
  int threads = values["threads"].as<int>();
  if (threads < 1) throw InvalidInput("--threads must be >= 1");

  const std::vector<std::string>& names = run::StageNames();
  std::size_t from = names.size();
  if (values["force"].as<bool>()) from = 0;
  if (values.count("from") != 0) {
    const std::string stage = values["from"].as<std::string>();
    const auto found = std::find(names.begin(), names.end(), stage);
    if (found == names.end()) {
      std::string list;
      for (const std::string& name : names)
        list += (list.empty() ? "" : ", ") + name;
      throw InvalidInput("--from " + stage +
                         ": unknown stage; stages: " + list);
    }
    from = std::min(from, static_cast<std::size_t>(found - names.begin()));
  }

  run::StudyFiles files;
  if (values.count("workdir") != 0) {
    files.workdir = fs::absolute(values["workdir"].as<std::string>());
  } else {
    files.workdir =
        config.path.parent_path() /
        (config.path.stem().string() + (quick ? "-run-quick" : "-run"));
  }
  if (values["dry-run"].as<bool>())
    return DryRun(config, files, threads, streams);
  fs::create_directories(files.workdir);
  streams.err << "goldmine run: " << config.name
              << (quick ? " (quick profile)" : "") << ", work folder "
              << files.workdir.string() << "\n";

  std::vector<run::Stage> stages = run::StudyStages(config, files, threads);
  run::StageRunner runner(files.workdir, streams.err);
  std::vector<run::StageOutcome> outcomes;
  try {
    for (std::size_t i = 0; i < stages.size(); ++i)
      outcomes.push_back(runner.Run(stages[i], i >= from));
    run::Stage report;
    report.name = "report";
    // The report reads every section (names, labels, settings it quotes).
    for (const auto& [section, text] : config.section_text)
      report.settings += section + ":\n" + text + "\n";
    report.settings += quick ? "quick" : "";
    for (const run::Stage& stage : stages) {
      if (stage.not_configured.empty())
        report.inputs.push_back(files.workdir / stage.name / "stage.json");
    }
    report.outputs = {files.workdir / "report.md",
                      files.workdir / "report.html",
                      files.workdir / "results.json"};
    report.work = [&](std::ostream& log) {
      run::WriteReport(config, files, outcomes, log);
    };
    outcomes.push_back(runner.Run(report, from < names.size()));
  } catch (const run::StageFailure& failure) {
    streams.err << "goldmine run: [" << failure.stage << "] " << failure.message
                << " (log: "
                << (files.workdir / failure.stage / "log.txt").string()
                << ")\n";
    if (failure.exit_code == kBadInput)
      throw InvalidInput("stage " + failure.stage + ": " + failure.message);
    throw InternalError("stage " + failure.stage + ": " + failure.message);
  }
  int ran = 0;
  int skipped = 0;
  for (const run::StageOutcome& outcome : outcomes) {
    ran += outcome.status == run::StageStatus::kRan ? 1 : 0;
    skipped += outcome.status == run::StageStatus::kSkipped ? 1 : 0;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  streams.err << "goldmine run: done in " << seconds << " s (" << ran
              << " stages ran, " << skipped << " up to date); report: "
              << (files.workdir / "report.md").string() << " and report.html\n";
  nlohmann::ordered_json summary;
  summary["config"] = config.path.string();
  summary["workdir"] = files.workdir.string();
  summary["quick"] = quick;
  summary["report"] = (files.workdir / "report.md").string();
  summary["report_html"] = (files.workdir / "report.html").string();
  summary["seconds"] = seconds;
  nlohmann::ordered_json stage_json = nlohmann::ordered_json::array();
  for (const run::StageOutcome& outcome : outcomes) {
    nlohmann::ordered_json entry;
    entry["stage"] = outcome.name;
    entry["status"] = outcome.status == run::StageStatus::kRan ? "ran"
                      : outcome.status == run::StageStatus::kSkipped
                          ? "skipped"
                          : "not configured";
    entry["seconds"] = outcome.seconds;
    nlohmann::ordered_json unavailable = nlohmann::ordered_json::array();
    for (const run::StepRecord& step : outcome.steps)
      if (!step.available)
        unavailable.push_back({{"step", step.label}, {"reason", step.reason}});
    entry["unavailable"] = unavailable;
    stage_json.push_back(entry);
  }
  summary["stages"] = stage_json;
  WriteJsonResult(summary, std::nullopt, streams);
  return kSuccess;
}

}  // namespace

Command RunCommand() {
  Command command;
  command.name = "run";
  command.summary =
      "the whole study from one YAML file (resumable stages, report with "
      "plots)";
  command.run = [](const std::vector<std::string>& arguments,
                   Streams streams) -> int {
    po::options_description options("Options");
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    options.add_options()("config",
                          po::value<std::string>()->required(),
                          "the study's YAML configuration (docs/run.md)")(
        "workdir",
        po::value<std::string>(),
        "folder for every output (default: CONFIG-run, or CONFIG-run-quick "
        "with "
        "--quick, beside the configuration)")(
        "quick",
        po::bool_switch(),
        "the small, fast profile (the config's quick section)")(
        "force", po::bool_switch(), "rerun every stage")(
        "dry-run",
        po::bool_switch(),
        "validate every section and print the commands of every stage "
        "without running or writing anything")(
        "from",
        po::value<std::string>(),
        "rerun from this stage on: generate, mine, augment, train, fisher, "
        "limits, report")(
        "threads",
        po::value<int>()->default_value(static_cast<int>(std::min(cores, 2u))),
        "threads for mine (training and evaluation use one LibTorch thread, "
        "which is faster for these small networks)");
    po::positional_options_description positional;
    positional.add("config", 1);
    po::variables_map values;
    if (!ParseCommandLine("run",
                          "CONFIG.yaml [--workdir DIR] [--quick] [--force] "
                          "[--from STAGE] [--threads T] [--dry-run]",
                          "Runs the study of CONFIG.yaml: generate -> mine "
                          "(setup + mine) -> augment -> train\n"
                          "-> fisher -> limits -> report, each stage as "
                          "goldmine subcommands whose command\n"
                          "lines, settings and logs are kept in DIR/<stage>/. "
                          "A stage is skipped when its\n"
                          "outputs are newer than its inputs and the "
                          "configuration and its settings hash is\n"
                          "unchanged. The report is DIR/report.md and "
                          "DIR/report.html (self-contained) with\n"
                          "plots in DIR/report/plots (PNG and SVG, drawn by "
                          "gnuplot). Progress on stderr; a\n"
                          "JSON summary on stdout.",
                          options,
                          arguments,
                          streams,
                          &values,
                          &positional)) {
      return kSuccess;
    }
    return RunStudy(values, streams);
  };
  return command;
}

}  // namespace goldmine::cli
