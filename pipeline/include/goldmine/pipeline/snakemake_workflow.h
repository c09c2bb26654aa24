// The study as a Snakemake workflow (issue 19; docs/workflow.md): `goldmine
// run CONFIG --workdir DIR --emit snakemake` writes DIR/Snakefile, its
// configuration DIR/workflow.yaml and DIR/reana.yaml, and runs nothing.
//
// One rule per configured stage, each a single command, `goldmine run CONFIG
// --workdir DIR --stage NAME`, which runs the same stage `goldmine run` runs
// (its goldmine commands, up to `threads` at once) and writes its record
// DIR/NAME/stage.json. A rule's inputs are the stage's input files, its
// outputs the stage's outputs and record; the report rule needs every
// record. So the workflow is the stage graph of `goldmine run`, not a second
// one, and `snakemake --cores 2` in DIR leaves the files, results.json and
// report `goldmine run` leaves.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "goldmine/pipeline/pipeline_config.h"
#include "goldmine/pipeline/stage_runner.h"
#include "goldmine/pipeline/study_stages.h"

namespace goldmine::pipeline {

struct WorkflowOptions {
  // The goldmine executable the rules call (workflow.yaml `goldmine`; edit
  // it for another machine).
  std::filesystem::path goldmine;
  // Cores of a stage's rule unless config.workflow.threads names it.
  int default_threads = 2;
};

// The Snakefile text (paths inside the work folder relative to it).
std::string SnakefileText(const PipelineConfig& config,
                          const StudyFiles& files,
                          const std::vector<Stage>& stages,
                          const Stage& report,
                          const WorkflowOptions& options);

// Writes DIR/Snakefile, DIR/workflow.yaml and DIR/reana.yaml (each through a
// temporary file); returns their paths.
std::vector<std::filesystem::path> WriteSnakemakeWorkflow(
    const PipelineConfig& config,
    const StudyFiles& files,
    const std::vector<Stage>& stages,
    const Stage& report,
    const WorkflowOptions& options);

}  // namespace goldmine::pipeline
