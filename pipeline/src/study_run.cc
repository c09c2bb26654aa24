#include "goldmine/pipeline/study_run.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <ostream>
#include <thread>

#include "goldmine/core/errors.h"
#include "goldmine/mining/mining_config.h"
#include "goldmine/pipeline/child_process.h"
#include "goldmine/pipeline/job_slots.h"
#include "goldmine/pipeline/snakemake_workflow.h"
#include "locked_lines.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

void CheckStageName(const std::string& option, const std::string& name) {
  const std::vector<std::string>& names = StageNames();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    throw InvalidInput(option + " " + name +
                       ": unknown stage; stages: " + StageNameList());
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
  if (!only) {
    std::vector<bool> force(stages.size());
    for (std::size_t i = 0; i < stages.size(); ++i) force[i] = i >= from;
    result.outcomes =
        RunStageGraph(stages, force, files.workdir, options.jobs, progress);
  }
  for (std::size_t i = 0; only && i < stages.size(); ++i) {
    if (stages[i].name == *only) {
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

std::vector<std::vector<std::size_t>> StageDependencies(
    const std::vector<Stage>& stages) {
  std::vector<std::vector<std::size_t>> needs(stages.size());
  for (std::size_t i = 0; i < stages.size(); ++i) {
    std::vector<fs::path> reads = stages[i].inputs;
    reads.insert(reads.end(),
                 stages[i].optional_inputs.begin(),
                 stages[i].optional_inputs.end());
    for (std::size_t j = 0; j < i; ++j) {
      const bool writes_an_input =
          std::any_of(reads.begin(), reads.end(), [&](const fs::path& input) {
            return std::any_of(stages[j].outputs.begin(),
                               stages[j].outputs.end(),
                               [&](const fs::path& output) {
                                 return output.lexically_normal() ==
                                        input.lexically_normal();
                               });
          });
      if (writes_an_input) needs[i].push_back(j);
    }
  }
  return needs;
}

std::vector<StageOutcome> RunStageGraph(const std::vector<Stage>& stages,
                                        const std::vector<bool>& force,
                                        const fs::path& workdir,
                                        int jobs,
                                        std::ostream& progress,
                                        const fs::path& program) {
  std::vector<StageOutcome> outcomes(stages.size());
  if (jobs <= 1) {
    StageRunner runner(workdir, progress, 1, program);
    for (std::size_t i = 0; i < stages.size(); ++i)
      outcomes[i] = runner.Run(stages[i], force[i]);
    return outcomes;
  }
  // One thread per running stage; the slots bound the commands over all.
  const std::vector<std::vector<std::size_t>> needs = StageDependencies(stages);
  enum class State { kWaiting, kRunning, kDone };
  std::vector<State> states(stages.size(), State::kWaiting);
  JobSlots slots(jobs);
  std::mutex mutex;        // guards states and failure
  std::mutex lines_mutex;  // whole progress lines of the stages
  std::condition_variable changed;
  std::exception_ptr failure;
  std::vector<std::thread> threads;
  std::unique_lock<std::mutex> lock(mutex);
  for (;;) {
    if (!failure) {
      for (std::size_t i = 0; i < stages.size(); ++i) {
        if (states[i] != State::kWaiting) continue;
        const bool ready =
            std::all_of(needs[i].begin(), needs[i].end(), [&](std::size_t j) {
              return states[j] == State::kDone;
            });
        if (!ready) continue;
        states[i] = State::kRunning;
        threads.emplace_back([&, i] {
          std::exception_ptr error;
          try {
            LockedLines lines(progress, lines_mutex);
            StageRunner runner(workdir, lines, jobs, program);
            runner.ShareSlots(&slots);
            outcomes[i] = runner.Run(stages[i], force[i]);
          } catch (...) {
            error = std::current_exception();
          }
          const std::lock_guard<std::mutex> done(mutex);
          states[i] = State::kDone;
          if (error && !failure) failure = error;
          changed.notify_all();
        });
      }
    }
    const bool running = std::any_of(states.begin(), states.end(), [](State s) {
      return s == State::kRunning;
    });
    const bool waiting = std::any_of(states.begin(), states.end(), [](State s) {
      return s == State::kWaiting;
    });
    if (!running && (!waiting || failure)) break;
    changed.wait(lock);
  }
  lock.unlock();
  for (std::thread& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
  return outcomes;
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
