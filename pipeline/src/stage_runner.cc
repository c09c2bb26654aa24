#include "goldmine/pipeline/stage_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <thread>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/pipeline/child_process.h"
#include "goldmine/pipeline/job_slots.h"
#include "locked_lines.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

std::uint64_t Mix(std::uint64_t hash, const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= kFnvPrime;
  }
  return hash;
}

std::string Hex(std::uint64_t value) {
  std::ostringstream text;
  text << std::hex << value;
  return text.str();
}

// The in-process work of stages running at once (`run --jobs`) takes turns:
// it reads and writes HDF5 files, and Debian's HDF5 library is not built
// thread-safe.
std::mutex& InProcessWork() {
  static std::mutex mutex;
  return mutex;
}

// The cores a step keeps busy: its --threads value, or 1.
int ThreadsOf(const Step& step) {
  const auto& arguments = step.unhashed_arguments;
  const auto flag = std::find(arguments.begin(), arguments.end(), "--threads");
  if (flag == arguments.end() || flag + 1 == arguments.end()) return 1;
  try {
    return std::max(1, std::stoi(*(flag + 1)));
  } catch (const std::exception&) {
    return 1;
  }
}

std::string StatusName(StageStatus status) {
  switch (status) {
    case StageStatus::kRan:
      return "ran";
    case StageStatus::kSkipped:
      return "up to date";
    case StageStatus::kNotConfigured:
      return "not configured";
  }
  return "";
}

}  // namespace

std::uint64_t HashText(const std::string& text, std::uint64_t seed) {
  return Mix(seed == 0 ? kFnvOffset : seed, text.data(), text.size());
}

std::uint64_t HashFile(const fs::path& path, std::uint64_t seed) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidInput(path.string() + ": cannot read");
  std::uint64_t hash = HashText(path.filename().string(), seed);
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash = Mix(hash, buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  return hash;
}

StageRunner::StageRunner(fs::path workdir,
                         std::ostream& progress,
                         int jobs,
                         fs::path program)
    : workdir_(std::move(workdir)),
      program_(program.empty() ? SelfExecutable() : std::move(program)),
      progress_(progress),
      jobs_(std::max(jobs, 1)) {}

// One step's run: its log text (kept until the wave is logged in step order)
// and the child's result.
struct StageRunner::StepRun {
  std::string command_line;
  std::optional<fs::path> temporary;
  std::string log;
  ChildResult result;
  bool started = false;
};

void StageRunner::RunWave(const Stage& stage,
                          const std::vector<std::size_t>& indices,
                          std::vector<StepRun>* runs) {
  const std::string prefix = "goldmine run: [" + stage.name + "] ";
  std::mutex progress_mutex;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto worker = [&] {
    LockedLines progress(progress_, progress_mutex);
    for (;;) {
      const std::size_t k = next++;
      if (k >= indices.size() || stop) return;
      // Held until the command ends; shared with the stages running at once.
      const JobSlots::Held slot(slots_, ThreadsOf(stage.steps[indices[k]]));
      if (stop) return;
      const Step& step = stage.steps[indices[k]];
      StepRun& run = (*runs)[indices[k]];
      std::vector<std::string> arguments = step.arguments;
      arguments.insert(arguments.end(),
                       step.unhashed_arguments.begin(),
                       step.unhashed_arguments.end());
      run.command_line = CommandLine("goldmine", arguments);
      run.started = true;
      progress << prefix << "$ " << run.command_line << "\n" << std::flush;
      try {
        if (step.stdout_file) {
          fs::create_directories(step.stdout_file->parent_path());
          run.temporary = step.stdout_file->string() + ".tmp-run";
        }
        std::ostringstream log;
        run.result =
            RunChild(program_, arguments, run.temporary, progress, log);
        run.log = log.str();
      } catch (...) {
        const std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        stop = true;
        return;
      }
      if (run.result.exit_code != 0 && !step.optional) stop = true;
    }
  };
  const std::size_t threads =
      std::min<std::size_t>(static_cast<std::size_t>(jobs_), indices.size());
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(worker);
  worker();
  for (std::thread& helper : helpers) helper.join();
  if (error) std::rethrow_exception(error);
}

std::uint64_t StageRunner::StageHash(const Stage& stage) const {
  std::uint64_t hash = HashText(stage.name);
  hash = HashText(stage.settings, hash);
  for (const Step& step : stage.steps) {
    hash = HashText(CommandLine("goldmine", step.arguments), hash);
  }
  for (const fs::path& input : stage.inputs) {
    if (fs::exists(input)) hash = HashFile(input, hash);
  }
  for (const fs::path& input : stage.optional_inputs) {
    hash = fs::exists(input) ? HashFile(input, hash)
                             : HashText("absent: " + input.string(), hash);
  }
  return hash;
}

bool StageRunner::UpToDate(const Stage& stage, std::uint64_t hash) const {
  const fs::path record = workdir_ / stage.name / "stage.json";
  if (!fs::exists(record)) return false;
  try {
    std::ifstream in(record);
    const nlohmann::json json = nlohmann::json::parse(in);
    if (json.at("hash").get<std::string>() != Hex(hash)) return false;
  } catch (const std::exception&) {
    return false;
  }
  // Outputs newer than every input. The configuration is not an input: a
  // stage's settings (what it reads of the configuration) are in its hash,
  // so that an edit reruns only the stages that read what changed.
  fs::file_time_type newest_input = fs::file_time_type::min();
  for (const fs::path& input : stage.inputs) {
    if (!fs::exists(input)) return false;
    newest_input = std::max(newest_input, fs::last_write_time(input));
  }
  for (const fs::path& input : stage.optional_inputs) {
    if (fs::exists(input))
      newest_input = std::max(newest_input, fs::last_write_time(input));
  }
  for (const fs::path& output : stage.outputs) {
    if (!fs::exists(output)) return false;
    if (fs::last_write_time(output) < newest_input) return false;
  }
  return fs::last_write_time(record) >= newest_input;
}

StageOutcome StageRunner::Run(const Stage& stage, bool force) {
  StageOutcome outcome;
  outcome.name = stage.name;
  const std::string prefix = "goldmine run: [" + stage.name + "] ";
  if (!stage.not_configured.empty()) {
    outcome.status = StageStatus::kNotConfigured;
    progress_ << prefix << "not configured (" << stage.not_configured << ")\n"
              << std::flush;
    return outcome;
  }
  const fs::path folder = workdir_ / stage.name;
  fs::create_directories(folder);
  const std::uint64_t hash = StageHash(stage);
  if (!force && UpToDate(stage, hash)) {
    outcome.status = StageStatus::kSkipped;
    outcome.steps = ReadRecords(folder / "stage.json");
    progress_ << prefix << "up to date, skipped\n" << std::flush;
    return outcome;
  }
  // A stage that starts again is incomplete until its record is rewritten.
  fs::remove(folder / "stage.json");
  progress_ << prefix << "running (" << stage.steps.size() << " commands"
            << (stage.work ? " + in-process work" : "") << ")\n"
            << std::flush;
  const auto start = std::chrono::steady_clock::now();
  std::ofstream log(folder / "log.txt", std::ios::trunc);
  nlohmann::ordered_json commands = nlohmann::ordered_json::array();
  if (stage.prepare) {
    const std::lock_guard<std::mutex> lock(InProcessWork());
    stage.prepare(log);
  }
  std::vector<int> waves;
  for (const Step& step : stage.steps) waves.push_back(step.wave);
  std::sort(waves.begin(), waves.end());
  waves.erase(std::unique(waves.begin(), waves.end()), waves.end());
  std::vector<StepRun> runs(stage.steps.size());
  for (const int wave : waves) {
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < stage.steps.size(); ++i) {
      if (stage.steps[i].wave == wave) indices.push_back(i);
    }
    RunWave(stage, indices, &runs);
    // In step order: the log, the outputs, the records, the first failure.
    for (const std::size_t i : indices) {
      const Step& step = stage.steps[i];
      StepRun& run = runs[i];
      if (!run.started) continue;  // after a failure
      log << "$ " << run.command_line << "\n" << run.log << std::flush;
      commands.push_back(run.command_line);
      StepRecord record;
      record.label = step.label;
      if (run.result.exit_code == 0) {
        if (run.temporary) fs::rename(*run.temporary, *step.stdout_file);
      } else {
        if (run.temporary) fs::remove(*run.temporary);
        const std::string reason =
            run.result.last_error_line.empty()
                ? "exit code " + std::to_string(run.result.exit_code)
                : run.result.last_error_line;
        if (!step.optional) {
          throw StageFailure{stage.name,
                             run.result.exit_code == 2 ? 2 : 1,
                             step.label + " failed: " + reason};
        }
        record.available = false;
        record.reason = reason;
        progress_ << prefix << step.label << ": not available (" << reason
                  << "); the report says so\n"
                  << std::flush;
      }
      outcome.steps.push_back(record);
    }
  }
  if (stage.work) {
    const std::lock_guard<std::mutex> lock(InProcessWork());
    stage.work(log);
  }
  for (const fs::path& output : stage.outputs) {
    if (!fs::exists(output)) {
      throw StageFailure{
          stage.name, 1, "expected output " + output.string() + " is missing"};
    }
  }
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  nlohmann::ordered_json json;
  json["stage"] = stage.name;
  json["hash"] = Hex(hash);
  json["seconds"] = outcome.seconds;
  json["commands"] = commands;
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const StepRecord& record : outcome.steps) {
    steps.push_back({{"label", record.label},
                     {"available", record.available},
                     {"reason", record.reason}});
  }
  json["steps"] = steps;
  json["inputs"] = nlohmann::ordered_json::array();
  for (const fs::path& input : stage.inputs)
    json["inputs"].push_back(input.string());
  json["outputs"] = nlohmann::ordered_json::array();
  for (const fs::path& output : stage.outputs)
    json["outputs"].push_back(output.string());
  json["settings"] = stage.settings;
  WriteTextFileAtomically(folder / "stage.json", json.dump(2) + "\n");
  progress_ << prefix << "done in " << outcome.seconds << " s ("
            << StatusName(outcome.status) << ")\n"
            << std::flush;
  return outcome;
}

StageOutcome StageRunner::Recorded(const Stage& stage) const {
  StageOutcome outcome;
  outcome.name = stage.name;
  if (!stage.not_configured.empty()) {
    outcome.status = StageStatus::kNotConfigured;
    return outcome;
  }
  const fs::path record = workdir_ / stage.name / "stage.json";
  if (!fs::exists(record)) {
    throw StageFailure{stage.name,
                       2,
                       "no " + record.string() +
                           ": run this stage before the ones that need it"};
  }
  outcome.status = StageStatus::kSkipped;
  outcome.steps = ReadRecords(record);
  return outcome;
}

std::vector<StepRecord> StageRunner::ReadRecords(const fs::path& stage_json) {
  std::vector<StepRecord> records;
  std::ifstream in(stage_json);
  if (!in) return records;
  try {
    const nlohmann::json json = nlohmann::json::parse(in);
    for (const auto& step : json.at("steps")) {
      records.push_back({step.at("label").get<std::string>(),
                         step.at("available").get<bool>(),
                         step.at("reason").get<std::string>()});
    }
  } catch (const std::exception&) {
    records.clear();
  }
  return records;
}

}  // namespace goldmine::pipeline
