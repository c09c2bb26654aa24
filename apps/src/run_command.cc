// goldmine run CONFIG.yaml [--workdir DIR] [--quick] [--force] [--from STAGE]
//   [--threads T] [--jobs J] [--dry-run] [--emit snakemake]  (DESIGN.md §5.8)
//   [--stage STAGE]                                        (issue 19)
// The whole study from one YAML file: each stage runs goldmine's own
// subcommands as child processes over files in DIR, is skipped when its
// outputs are up to date, and the report collects the results.
#include <algorithm>
#include <optional>
#include <ostream>
#include <thread>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/pipeline/child_process.h"
#include "goldmine/pipeline/pipeline_config.h"
#include "goldmine/pipeline/study_run.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

int DryRun(const pipeline::PipelineConfig& config,
           const pipeline::StudyFiles& files,
           int threads,
           Streams streams) {
  pipeline::CheckMiningSection(config);
  streams.out
      << "# goldmine run " << config.path.string()
      << (config.quick ? " --quick" : "") << " --dry-run: " << config.name
      << ", work folder " << files.workdir.string()
      << "\n# the configuration is valid; the commands of each stage:\n";
  pipeline::DescribeStudy(config, files, threads, streams.out);
  return kSuccess;
}

int EmitWorkflow(const pipeline::PipelineConfig& config,
                 const pipeline::StudyFiles& files,
                 int threads,
                 const std::string& engine,
                 Streams streams) {
  if (engine != "snakemake") {
    throw InvalidInput("--emit " + engine + ": expected snakemake");
  }
  pipeline::CheckMiningSection(config);
  const std::vector<fs::path> written = pipeline::EmitSnakemakeWorkflow(
      config, files, threads, pipeline::SelfExecutable());
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

const char* StatusName(pipeline::StageStatus status) {
  switch (status) {
    case pipeline::StageStatus::kRan:
      return "ran";
    case pipeline::StageStatus::kSkipped:
      return "skipped";
    case pipeline::StageStatus::kNotConfigured:
      break;
  }
  return "not configured";
}

int RunStudy(const po::variables_map& values, Streams streams) {
  const bool quick = values["quick"].as<bool>();
  const pipeline::PipelineConfig config =
      pipeline::ReadPipelineConfig(values["config"].as<std::string>(), quick);
  pipeline::StudyRunOptions options;
  options.force = values["force"].as<bool>();
  if (values.count("from") != 0)
    options.from = values["from"].as<std::string>();
  if (values.count("stage") != 0)
    options.only = values["stage"].as<std::string>();
  options.threads = values["threads"].as<int>();
  options.jobs = values["jobs"].as<int>();
  pipeline::CheckStudyRunOptions(options);
  std::optional<std::string> workdir;
  if (values.count("workdir") != 0)
    workdir = values["workdir"].as<std::string>();
  const pipeline::StudyFiles files = pipeline::StudyFilesFor(config, workdir);

  if (values["dry-run"].as<bool>())
    return DryRun(config, files, options.threads, streams);
  if (values.count("emit") != 0) {
    return EmitWorkflow(config,
                        files,
                        options.threads,
                        values["emit"].as<std::string>(),
                        streams);
  }
  streams.err << "goldmine run: " << config.name
              << (quick ? " (quick profile)" : "") << ", work folder "
              << files.workdir.string() << "\n";
  pipeline::StudyRunResult result;
  try {
    result = pipeline::RunStudy(config, files, options, streams.err);
  } catch (const pipeline::StageFailure& failure) {
    streams.err << "goldmine run: [" << failure.stage << "] " << failure.message
                << " (log: "
                << (files.workdir / failure.stage / "log.txt").string()
                << ")\n";
    if (failure.exit_code == kBadInput)
      throw InvalidInput("stage " + failure.stage + ": " + failure.message);
    throw InternalError("stage " + failure.stage + ": " + failure.message);
  }
  streams.err << "goldmine run: done in " << result.seconds << " s ("
              << result.ran() << " stages ran, " << result.skipped()
              << " up to date); report: "
              << (files.workdir / "report.md").string() << " and report.html\n";
  nlohmann::ordered_json summary;
  summary["config"] = config.path.string();
  summary["workdir"] = files.workdir.string();
  summary["quick"] = quick;
  summary["report"] = (files.workdir / "report.md").string();
  summary["report_html"] = (files.workdir / "report.html").string();
  summary["seconds"] = result.seconds;
  nlohmann::ordered_json stage_json = nlohmann::ordered_json::array();
  for (const pipeline::StageOutcome& outcome : result.outcomes) {
    nlohmann::ordered_json entry;
    entry["stage"] = outcome.name;
    entry["status"] = StatusName(outcome.status);
    entry["seconds"] = outcome.seconds;
    nlohmann::ordered_json unavailable = nlohmann::ordered_json::array();
    for (const pipeline::StepRecord& step : outcome.steps)
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
        "rerun from this stage on: generate, mine, augment, mem, train, "
        "fisher, limits, report")(
        "threads",
        po::value<int>()->default_value(static_cast<int>(std::min(cores, 2u))),
        "threads for mine, augment and mem (training and evaluation use one "
        "LibTorch thread, "
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
