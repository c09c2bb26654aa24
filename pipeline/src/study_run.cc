#include "goldmine/pipeline/study_run.h"

#include <algorithm>
#include <chrono>
#include <ostream>

#include "goldmine/core/errors.h"
#include "goldmine/mining/mining_config.h"
#include "goldmine/pipeline/child_process.h"
#include "goldmine/pipeline/snakemake_workflow.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

std::string StageList() {
  std::string list;
  for (const std::string& name : StageNames())
    list += (list.empty() ? "" : ", ") + name;
  return list;
}

void CheckStageName(const std::string& option, const std::string& name) {
  const std::vector<std::string>& names = StageNames();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    throw InvalidInput(option + " " + name +
                       ": unknown stage; stages: " + StageList());
  }
}

}  // namespace

int StudyRunResult::ran() const {
  return static_cast<int>(std::count_if(
      outcomes.begin(), outcomes.end(), [](const StageOutcome& outcome) {
        return outcome.status == StageStatus::kRan;
      }));
}

int StudyRunResult::skipped() const {
  return static_cast<int>(std::count_if(
      outcomes.begin(), outcomes.end(), [](const StageOutcome& outcome) {
        return outcome.status == StageStatus::kSkipped;
      }));
}

StudyFiles StudyFilesFor(const PipelineConfig& config,
                         const std::optional<std::string>& workdir) {
  StudyFiles files;
  if (workdir) {
    files.workdir = fs::absolute(*workdir).lexically_normal();
    if (!files.workdir.has_filename())
      files.workdir = files.workdir.parent_path();
  } else {
    files.workdir =
        config.path.parent_path() /
        (config.path.stem().string() + (config.quick ? "-run-quick" : "-run"));
  }
  return files;
}

void CheckStudyRunOptions(const StudyRunOptions& options) {
  if (options.from) CheckStageName("--from", *options.from);
  if (options.only) {
    CheckStageName("--stage", *options.only);
    if (options.from || options.force) {
      throw InvalidInput(
          "--stage runs one stage; leave out --from and --force");
    }
  }
  if (options.threads < 1) throw InvalidInput("--threads must be >= 1");
  if (options.jobs < 1 || options.jobs > 256) {
    throw InvalidInput("--jobs " + std::to_string(options.jobs) +
                       ": expected a count from 1 to 256");
  }
}

void CheckMiningSection(const PipelineConfig& config) {
  const mining::MiningConfig mining = mining::ReadMiningConfig(
      config.path.string(), !config.generate.has_value());
  mining::BuildEventAnalysis(mining);
  mining::BuildObjectOptions(mining);
}

StudyRunResult RunStudy(const PipelineConfig& config,
                        const StudyFiles& files,
                        const StudyRunOptions& options,
                        std::ostream& progress) {
  CheckStudyRunOptions(options);
  const auto start = std::chrono::steady_clock::now();
  const std::vector<std::string>& names = StageNames();
  // Stages at or after `from` rerun; names.size(): none is forced.
  std::size_t from = options.force ? 0 : names.size();
  if (options.from) {
    from = std::min(from,
                    static_cast<std::size_t>(
                        std::find(names.begin(), names.end(), *options.from) -
                        names.begin()));
  }
  fs::create_directories(files.workdir);
  const std::vector<Stage> stages = StudyStages(config, files, options.threads);
  StageRunner runner(files.workdir, progress, options.jobs);
  StudyRunResult result;
  const std::optional<std::string>& only = options.only;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (!only) {
      result.outcomes.push_back(runner.Run(stages[i], i >= from));
    } else if (stages[i].name == *only) {
      result.outcomes.push_back(runner.Run(stages[i], true));
    } else if (*only == "report") {
      result.outcomes.push_back(runner.Recorded(stages[i]));
    }
  }
  if (!only || *only == "report") {
    const Stage report = ReportStage(config, files, stages, &result.outcomes);
    result.outcomes.push_back(
        runner.Run(report, only.has_value() || from < names.size()));
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return result;
}

void DescribeStudy(const PipelineConfig& config,
                   const StudyFiles& files,
                   int threads,
                   std::ostream& out) {
  const std::vector<Stage> stages =
      StudyStages(config, files, threads, /*write_inputs=*/false);
  for (const Stage& stage : stages) {
    out << "\n# " << stage.name;
    if (!stage.not_configured.empty()) {
      out << ": not configured (" << stage.not_configured << ")\n";
      continue;
    }
    out << "\n";
    if (stage.prepare) out << "# (in-process work first)\n";
    for (const Step& step : stage.steps) {
      std::vector<std::string> arguments = step.arguments;
      arguments.insert(arguments.end(),
                       step.unhashed_arguments.begin(),
                       step.unhashed_arguments.end());
      out << CommandLine("goldmine", arguments);
      if (step.stdout_file) out << " > " << step.stdout_file->string();
      out << (step.optional ? "   # optional" : "") << "\n";
    }
    if (stage.work) out << "# (and in-process work)\n";
  }
  out << "\n# report\n# (in-process: " << (files.workdir / "report.md").string()
      << ", report.html, results.json)\n";
}

std::vector<fs::path> EmitSnakemakeWorkflow(const PipelineConfig& config,
                                            const StudyFiles& files,
                                            int threads,
                                            const fs::path& goldmine) {
  const std::vector<Stage> stages =
      StudyStages(config, files, threads, /*write_inputs=*/false);
  const std::vector<StageOutcome> no_outcomes;
  const Stage report = ReportStage(config, files, stages, &no_outcomes);
  WorkflowOptions options;
  options.goldmine = goldmine;
  options.default_threads = threads;
  return WriteSnakemakeWorkflow(config, files, stages, report, options);
}

}  // namespace goldmine::pipeline
