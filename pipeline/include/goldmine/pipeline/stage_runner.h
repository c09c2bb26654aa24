// The stages of `goldmine run`: each is a list of goldmine subcommands (or
// in-process work) with declared input and output files. A stage is skipped
// when DIR/<stage>/stage.json records the same content hash of its settings,
// command lines and input files, and every output exists and is newer than
// the inputs (DESIGN.md §5.8). The configuration file is not an input: each
// stage's settings are what it reads of it. stage.json is written
// only after every output is in place, so an interrupted run resumes at the
// stage it was in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace goldmine::pipeline {

class JobSlots;

struct Step {
  std::string label;                   // "fisher sally", shown in the report
  std::vector<std::string> arguments;  // goldmine COMMAND ARGUMENTS...
  // Appended when running but not part of the stage hash: options that do
  // not change the result's meaning (--threads).
  std::vector<std::string> unhashed_arguments;
  // Where the command's stdout (its JSON result) goes; written under a
  // temporary name and renamed when the command succeeds.
  std::optional<std::filesystem::path> stdout_file;
  // An optional step may fail (e.g. a method this build does not offer yet):
  // the stage goes on and the step is recorded as unavailable with the
  // child's message.
  bool optional = false;
  // Steps run in waves: a step starts once every step of a lower wave has
  // finished, and the steps of one wave may run at once (`run --jobs`). A
  // step that reads another step's output is in a later wave.
  int wave = 0;
};

struct Stage {
  std::string name;
  // Settings (the configuration subtree, as text) that change the outputs.
  std::string settings;
  std::vector<std::filesystem::path> inputs;
  // Files a step reads when an earlier stage's optional step wrote them (the
  // MEM file): hashed when present, and a stage does not wait for them to be.
  std::vector<std::filesystem::path> optional_inputs;
  std::vector<std::filesystem::path> outputs;  // required outputs
  std::vector<Step> steps;
  // In-process work before the steps (an input file they read), and after
  // them (the report); both throw on failure. The in-process work of stages
  // running at once takes turns (HDF5 is not thread-safe).
  std::function<void(std::ostream& log)> prepare;
  std::function<void(std::ostream& log)> work;
  // Empty: the stage runs. Otherwise it is not part of this study, and the
  // reason is reported ("no generate section: the samples are given").
  std::string not_configured;
};

enum class StageStatus { kRan, kSkipped, kNotConfigured };

struct StepRecord {
  std::string label;
  bool available = true;
  std::string reason;  // the child's error line when not available
};

struct StageOutcome {
  std::string name;
  StageStatus status = StageStatus::kRan;
  double seconds = 0.0;
  std::vector<StepRecord> steps;
};

// Thrown when a required step fails: the run stops with the child's exit code
// (2 for bad input, passed on) and message.
struct StageFailure {
  std::string stage;
  int exit_code = 1;
  std::string message;
};

// FNV-1a 64 of a byte string, and of a file's contents.
std::uint64_t HashText(const std::string& text, std::uint64_t seed = 0);
std::uint64_t HashFile(const std::filesystem::path& path, std::uint64_t seed);

class StageRunner {
 public:
  // `workdir` holds DIR/<stage>/{stage.json,log.txt}. Up to `jobs` steps of
  // a wave run at once; the log and the records keep the steps' order.
  // Steps run `program` with their arguments: this goldmine executable
  // unless given (the pipeline's tests run /bin/sh).
  StageRunner(std::filesystem::path workdir,
              std::ostream& progress,
              int jobs = 1,
              std::filesystem::path program = {});

  // Every command also holds slots while it runs, one per thread it is
  // given (--threads T), shared with the runners of other stages running at
  // once; null: only `jobs` limits.
  void ShareSlots(JobSlots* slots) { slots_ = slots; }

  // Runs or skips the stage; `force` reruns it regardless. Throws
  // StageFailure when a required step fails.
  StageOutcome Run(const Stage& stage, bool force);

  // The outcome of a stage that this run leaves alone (`run --stage` runs
  // one stage): skipped, with the step records of its last complete run, or
  // not configured. Throws StageFailure when the stage has no record: an
  // earlier stage did not run.
  StageOutcome Recorded(const Stage& stage) const;

  // The step records of a stage as stored by its last complete run.
  static std::vector<StepRecord> ReadRecords(
      const std::filesystem::path& stage_json);

 private:
  std::uint64_t StageHash(const Stage& stage) const;
  bool UpToDate(const Stage& stage, std::uint64_t hash) const;

  struct StepRun;
  // Runs the steps `indices` of `stage`, up to jobs_ at once; stops starting
  // new ones after a required step failed.
  void RunWave(const Stage& stage,
               const std::vector<std::size_t>& indices,
               std::vector<StepRun>* runs);

  std::filesystem::path workdir_;
  std::filesystem::path program_;
  std::ostream& progress_;
  int jobs_ = 1;
  JobSlots* slots_ = nullptr;
};

}  // namespace goldmine::pipeline
