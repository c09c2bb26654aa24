// The WH study (or any study of the same shape) as stages of `goldmine run`:
// generate → mine (setup + mine) → augment → mem → train → fisher →
// limits → report. Each stage is a list of goldmine command lines over files in
// the work folder (layout in docs/run.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "goldmine/pipeline/pipeline_config.h"
#include "goldmine/pipeline/stage_runner.h"

namespace goldmine::pipeline {

// Files of the work folder that more than one stage needs.
struct StudyFiles {
  std::filesystem::path workdir;
  std::filesystem::path events() const { return workdir / "mine/events.h5"; }
  // The events file with its test partition (never used for training) first
  // (held_out_events.h): what the model-based limits read.
  std::filesystem::path test_first_events() const {
    return workdir / "augment/events_test_first.h5";
  }
  std::filesystem::path model(const std::string& method) const {
    return workdir / "train" / method;
  }
  std::filesystem::path test_samples(const std::string& benchmark) const {
    return workdir / "augment" / ("test_" + benchmark + ".h5");
  }
  std::filesystem::path scores(const std::string& benchmark) const {
    return workdir / "train" / ("score_" + benchmark + ".h5");
  }
  std::filesystem::path fisher(const std::string& name) const {
    return workdir / "fisher" / (name + ".json");
  }
  std::filesystem::path limits(const std::string& name) const {
    return workdir / "limits" / (name + ".json");
  }
  // The MEM stage: the first events of the test partition, their MEM file,
  // and every method's Fisher information on them (truth, rate,
  // histogram_NAME, sally, mem).
  std::filesystem::path mem_events() const { return workdir / "mem/events.h5"; }
  std::filesystem::path mem_file() const { return workdir / "mem/mem.h5"; }
  std::filesystem::path mem_fisher(const std::string& name) const {
    return workdir / "mem" / ("fisher_" + name + ".json");
  }
};

// The stages except the report (which the caller adds). Writes the files the
// commands read (generate/benchmarks.yaml, mine/mine.yaml) when their content
// changed, unless `write_inputs` is false (`goldmine run --dry-run`).
// `threads` goes to mine, augment and mem.
std::vector<Stage> StudyStages(const PipelineConfig& config,
                               const StudyFiles& files,
                               int threads,
                               bool write_inputs = true);

// The report stage after `stages`: it reads every stage's record and writes
// report.md, report.html and results.json with the stages' `outcomes`, which
// must be filled (in stage order) before the report stage runs.
Stage ReportStage(const PipelineConfig& config,
                  const StudyFiles& files,
                  const std::vector<Stage>& stages,
                  const std::vector<StageOutcome>* outcomes);

// The benchmarks whose SALLY score distributions the report shows (the
// configured ones, or the SM and the first other benchmark).
std::vector<std::string> ScoreBenchmarks(const PipelineConfig& config);

// The limits runs: name (file stem), label, goldmine limits arguments, and
// which events fill the templates and the Asimov data (for the report).
struct LimitsRun {
  std::string name;
  std::string label;
  std::vector<std::string> arguments;
  std::string events;
  // The scanned parameters (indices into config.parameters, in grid order)
  // and, for limits.scans, what the scan is ("cHW × cHq3; fixed: cHbox = 0").
  std::vector<int> scanned;
  std::vector<int> profiled;  // profiled at every grid point
  std::string scan;
};

// Whether a limits run uses a trained model (and so the held-out events).
bool ModelLimitsConfigured(const PipelineConfig& config);
std::vector<LimitsRun> LimitsRuns(const PipelineConfig& config,
                                  const StudyFiles& files);

// "0,0" from {0, 0}, full precision.
std::string JoinNumbers(const std::vector<double>& values);

}  // namespace goldmine::pipeline
