// A whole study as `goldmine run` executes it on one machine: the stages in
// order (each skipped when up to date), then the report. The CLI parses the
// arguments into StudyRunOptions and prints the StudyRunResult.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/pipeline/pipeline_config.h"
#include "goldmine/pipeline/stage_runner.h"
#include "goldmine/pipeline/study_stages.h"

namespace goldmine::pipeline {

struct StudyRunOptions {
  // Stages from this one on rerun even when up to date (--from); none: only
  // the stages whose inputs or settings changed.
  std::optional<std::string> from;
  bool force = false;  // every stage reruns
  // Only this stage runs (--stage, a workflow rule); the stages before it
  // must have run, and "report" reads their records.
  std::optional<std::string> only;
  int threads = 1;  // mine and mem
  int jobs = 1;     // goldmine commands of one wave at once
};

struct StudyRunResult {
  std::vector<StageOutcome> outcomes;  // in stage order, the report last
  double seconds = 0.0;
  int ran() const;
  int skipped() const;
};

// The work folder: `workdir` made absolute and normalised ("DIR/." is DIR,
// since the folder is part of every command line and so of the stage
// hashes), or CONFIG-run (CONFIG-run-quick) beside the configuration.
StudyFiles StudyFilesFor(const PipelineConfig& config,
                         const std::optional<std::string>& workdir);

// Throws InvalidInput naming the option when `from` or `only` is not a stage
// (StageNames()), or when `only` is combined with `from` or `force`.
void CheckStudyRunOptions(const StudyRunOptions& options);

// Validates the mining section with the code of `goldmine setup|mine`
// (observables, cuts, efficiencies, objects and smearing parsed) without
// reading any event.
void CheckMiningSection(const PipelineConfig& config);

// For each stage, the earlier stages it needs: those that write one of its
// inputs. Every file a stage's commands read from the work folder is one of
// its declared inputs or its own output (tested), so a stage may start as
// soon as the stages it needs are complete.
std::vector<std::vector<std::size_t>> StageDependencies(
    const std::vector<Stage>& stages);

// Runs `stages`, each when the stages it needs (StageDependencies) have
// completed. With jobs > 1, independent stages run at the same time and at
// most `jobs` goldmine commands run at once over all of them; with jobs = 1
// the stages run one after the other in order. `force[i]` reruns stage i even
// when it is up to date. Steps run `program` (default: this goldmine).
// Outcomes in stage order. After a failed stage no other starts; the first
// failure is thrown once the running stages have finished.
std::vector<StageOutcome> RunStageGraph(
    const std::vector<Stage>& stages,
    const std::vector<bool>& force,
    const std::filesystem::path& workdir,
    int jobs,
    std::ostream& progress,
    const std::filesystem::path& program = {});

// Runs the study; progress on `progress`. Throws StageFailure when a required
// step fails (the run stops there; what completed is kept).
StudyRunResult RunStudy(const PipelineConfig& config,
                        const StudyFiles& files,
                        const StudyRunOptions& options,
                        std::ostream& progress);

// --dry-run: the command lines of every stage, as text, nothing run or
// written.
void DescribeStudy(const PipelineConfig& config,
                   const StudyFiles& files,
                   int threads,
                   std::ostream& out);

// --emit snakemake: the study as DIR/Snakefile, DIR/workflow.yaml and
// DIR/reana.yaml (snakemake_workflow.h) whose rules call `goldmine`;
// returns the files written.
std::vector<std::filesystem::path> EmitSnakemakeWorkflow(
    const PipelineConfig& config,
    const StudyFiles& files,
    int threads,
    const std::filesystem::path& goldmine);

}  // namespace goldmine::pipeline
