// goldmine run CONFIG.yaml [--workdir DIR] [--quick] [--force] [--from STAGE]
//   [--threads T] [--jobs J] [--dry-run] [--emit snakemake]  (DESIGN.md §5.8)
//   [--stage STAGE]                                        (issue 19)
// The whole study from one YAML file: each stage runs goldmine's own
// subcommands as child processes over files in DIR, is skipped when its
// outputs are up to date, and the report collects the results.
#include <algorithm>
#include <chrono>
#include <optional>
#include <ostream>
#include <thread>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "mining_config.h"
#include "run/child_process.h"
#include "run/pipeline_config.h"
#include "run/report_writer.h"
#include "run/snakemake_workflow.h"
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

std::string StageList() {
  std::string list;
  for (const std::string& name : run::StageNames())
    list += (list.empty() ? "" : ", ") + name;
  return list;
}

// --emit snakemake: the study as a Snakemake workflow in the work folder,
// nothing run (run/snakemake_workflow.h).
int EmitWorkflow(const run::PipelineConfig& config,
                 const run::StudyFiles& files,
                 int threads,
                 const std::string& engine,
                 Streams streams) {
  if (engine != "snakemake") {
    throw InvalidInput("--emit " + engine + ": expected snakemake");
  }
  BuildEventAnalysis(
      ReadMiningConfig(config.path.string(), !config.generate.has_value()));
  const std::vector<run::Stage> stages =
      run::StudyStages(config, files, threads, /*write_inputs=*/false);
  const std::vector<run::StageOutcome> no_outcomes;
  const run::Stage report =
      run::ReportStage(config, files, stages, &no_outcomes);
  run::WorkflowOptions options;
  options.goldmine = run::SelfExecutable();
  options.default_threads = threads;
  const std::vector<fs::path> written =
      run::WriteSnakemakeWorkflow(config, files, stages, report, options);
  nlohmann::ordered_json result;
  result["workflow"] = "snakemake";
  result["workdir"] = files.workdir.string();
  result["files"] = nlohmann::ordered_json::array();
  for (const fs::path& file : written) result["files"].push_back(file.string());
  result["run"] = "cd " + files.workdir.string() + " && snakemake --cores 2";
  streams.err << "goldmine run: wrote the workflow of " << config.name << " to "
              << files.workdir.string()
              << "; run it there with: snakemake --cores 2\n";
  WriteJsonResult(result, std::nullopt, streams);
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
  const int jobs = values["jobs"].as<int>();
  if (jobs < 1 || jobs > 256) {
    throw InvalidInput("--jobs " + std::to_string(jobs) +
                       ": expected a count from 1 to 256");
  }

  const std::vector<std::string>& names = run::StageNames();
  std::size_t from = names.size();
  if (values["force"].as<bool>()) from = 0;
  if (values.count("from") != 0) {
    const std::string stage = values["from"].as<std::string>();
    const auto found = std::find(names.begin(), names.end(), stage);
    if (found == names.end()) {
      throw InvalidInput("--from " + stage +
                         ": unknown stage; stages: " + StageList());
    }
    from = std::min(from, static_cast<std::size_t>(found - names.begin()));
  }

  // --stage NAME runs that stage alone (a workflow engine's rule).
  std::optional<std::string> only;
  if (values.count("stage") != 0) {
    only = values["stage"].as<std::string>();
    if (std::find(names.begin(), names.end(), *only) == names.end()) {
      throw InvalidInput("--stage " + *only +
                         ": unknown stage; stages: " + StageList());
    }
    if (values.count("from") != 0 || values["force"].as<bool>()) {
      throw InvalidInput(
          "--stage runs one stage; leave out --from and --force");
    }
  }

  run::StudyFiles files;
  if (values.count("workdir") != 0) {
    // Normalised ("DIR/." from a rule run in DIR is DIR): the work folder is
    // part of every stage's command lines and so of their hashes.
    files.workdir =
        fs::absolute(values["workdir"].as<std::string>()).lexically_normal();
    if (!files.workdir.has_filename())
      files.workdir = files.workdir.parent_path();
  } else {
    files.workdir =
        config.path.parent_path() /
        (config.path.stem().string() + (quick ? "-run-quick" : "-run"));
  }
  if (values["dry-run"].as<bool>())
    return DryRun(config, files, threads, streams);
  if (values.count("emit") != 0) {
    return EmitWorkflow(
        config, files, threads, values["emit"].as<std::string>(), streams);
  }
  fs::create_directories(files.workdir);
  streams.err << "goldmine run: " << config.name
              << (quick ? " (quick profile)" : "") << ", work folder "
              << files.workdir.string() << "\n";

  std::vector<run::Stage> stages = run::StudyStages(config, files, threads);
  run::StageRunner runner(files.workdir, streams.err, jobs);
  std::vector<run::StageOutcome> outcomes;
  try {
    for (std::size_t i = 0; i < stages.size(); ++i) {
      if (!only) {
        outcomes.push_back(runner.Run(stages[i], i >= from));
      } else if (stages[i].name == *only) {
        outcomes.push_back(runner.Run(stages[i], true));
      } else if (*only == "report") {
        outcomes.push_back(runner.Recorded(stages[i]));
      }
    }
    if (!only || *only == "report") {
      const run::Stage report =
          run::ReportStage(config, files, stages, &outcomes);
      outcomes.push_back(
          runner.Run(report, only.has_value() || from < names.size()));
    }
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
        "which is faster for these small networks)")(
        "emit",
        po::value<std::string>(),
        "snakemake: write the study as a Snakemake workflow (DIR/Snakefile, "
        "DIR/workflow.yaml, DIR/reana.yaml) and run nothing")(
        "stage",
        po::value<std::string>(),
        "run this stage alone (what a workflow rule runs); the stages it "
        "needs must have run")(
        "jobs",
        po::value<int>()->default_value(1),
        "goldmine commands of a stage run at once (independent trainings, "
        "samples, Fisher and limits runs); the results do not depend on it");
    po::positional_options_description positional;
    positional.add("config", 1);
    po::variables_map values;
    if (!ParseCommandLine("run",
                          "CONFIG.yaml [--workdir DIR] [--quick] [--force] "
                          "[--from STAGE] [--threads T] [--jobs J] "
                          "[--dry-run] [--emit snakemake] [--stage STAGE]",
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
