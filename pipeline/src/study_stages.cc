#include "goldmine/pipeline/study_stages.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <sstream>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/mining/augmenter.h"
#include "goldmine/pipeline/report_writer.h"
#include "held_out_events.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

std::string ReadTextIfPresent(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Rewrites a generated input file only when its content changes, so that an
// unchanged study keeps its time stamps (and its stages stay up to date).
void WriteIfChanged(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  if (fs::exists(path) && ReadTextIfPresent(path) == text) return;
  WriteTextFileAtomically(path, text);
}

std::string Emit(const YAML::Node& node) {
  YAML::Emitter emitter;
  emitter << node;
  return std::string(emitter.c_str()) + "\n";
}

// `step` (which writes the file after its --output) as `shards` commands
// `--shard I/N`, each writing a part beside the output, and a `goldmine merge`
// of the parts in the next wave, which writes the output and the step's JSON:
// the same file the single command writes (docs/scale_out.md). The parts are
// appended to `parts` (removed once the stage is complete).
std::vector<Step> Sharded(const Step& step,
                          int shards,
                          std::vector<fs::path>* parts) {
  if (shards <= 1) return {step};
  const auto output_flag =
      std::find(step.arguments.begin(), step.arguments.end(), "--output");
  if (output_flag == step.arguments.end() ||
      output_flag + 1 == step.arguments.end()) {
    throw InternalError(step.label + ": a sharded step needs --output");
  }
  const fs::path output = *(output_flag + 1);
  const std::string of = "-of-" + std::to_string(shards);
  std::vector<Step> steps;
  Step merge;
  merge.label = step.label;
  merge.arguments = {"merge"};
  for (int shard = 0; shard < shards; ++shard) {
    const std::string name =
        output.stem().string() + ".shard-" + std::to_string(shard) + of;
    const fs::path part = output.parent_path() / (name + ".h5");
    Step sharded = step;
    sharded.label = step.label + ", shard " + std::to_string(shard) + "/" +
                    std::to_string(shards);
    sharded.arguments[static_cast<std::size_t>(
        output_flag - step.arguments.begin() + 1)] = part.string();
    sharded.arguments.insert(
        sharded.arguments.end(),
        {"--shard", std::to_string(shard) + "/" + std::to_string(shards)});
    sharded.stdout_file = output.parent_path() / (name + ".json");
    steps.push_back(sharded);
    merge.arguments.push_back(part.string());
    parts->push_back(part);
    parts->push_back(*sharded.stdout_file);
  }
  merge.arguments.insert(merge.arguments.end(), {"--output", output.string()});
  merge.stdout_file = step.stdout_file;
  merge.wave = step.wave + 1;
  steps.push_back(merge);
  return steps;
}

// The points of a limits command's --grid NAME:LO:HI:N,... (0 when it cannot
// tell; the command itself then reports the grid).
std::int64_t GridPoints(const std::vector<std::string>& arguments) {
  const auto flag = std::find(arguments.begin(), arguments.end(), "--grid");
  if (flag == arguments.end() || flag + 1 == arguments.end()) return 0;
  std::int64_t points = 1;
  std::stringstream axes(*(flag + 1));
  for (std::string axis; std::getline(axes, axis, ',');) {
    const std::size_t colon = axis.rfind(':');
    if (colon == std::string::npos) return 0;
    try {
      points *= std::stoll(axis.substr(colon + 1));
    } catch (const std::exception&) {
      return 0;
    }
  }
  return points;
}

// A limits step as `chunks` commands `--chunk I/N` (each a part file beside
// the result) and `--join` of them in the next wave, which writes the result
// the single command writes (docs/limits.md). Profiled and systematics runs,
// whose fits need the whole grid, and grids with fewer points than chunks
// stay whole.
std::vector<Step> LimitsChunked(const Step& step,
                                int chunks,
                                std::vector<fs::path>* parts) {
  const auto has = [&](const char* flag) {
    return std::find(step.arguments.begin(), step.arguments.end(), flag) !=
           step.arguments.end();
  };
  if (chunks <= 1 || has("--profile") || has("--systematics") ||
      GridPoints(step.arguments) < chunks) {
    return {step};
  }
  const fs::path output = *step.stdout_file;
  const std::string of = "-of-" + std::to_string(chunks);
  std::vector<Step> steps;
  Step join = step;
  join.arguments.push_back("--join");
  for (int chunk = 0; chunk < chunks; ++chunk) {
    const fs::path part =
        output.parent_path() / (output.stem().string() + ".shard-" +
                                std::to_string(chunk) + of + ".json");
    Step chunked = step;
    chunked.label = step.label + ", chunk " + std::to_string(chunk) + "/" +
                    std::to_string(chunks);
    chunked.arguments.insert(
        chunked.arguments.end(),
        {"--chunk", std::to_string(chunk) + "/" + std::to_string(chunks)});
    chunked.stdout_file = part;
    steps.push_back(chunked);
    join.arguments.push_back(part.string());
    parts->push_back(part);
  }
  join.wave = step.wave + 1;
  steps.push_back(join);
  return steps;
}

// The shards of a stage's commands (workflow.shards), 1 when not set.
int ShardsOf(const PipelineConfig& config, const std::string& stage) {
  const auto found = config.workflow.shards.find(stage);
  return found == config.workflow.shards.end() ? 1 : found->second;
}

// Shards of an augment command drawing about `n_samples` rows: at most one
// per block of kSampleBlockSize draws (a shard is a range of whole blocks).
int AugmentShards(const PipelineConfig& config, std::int64_t n_samples) {
  const std::int64_t blocks =
      std::max<std::int64_t>(1, n_samples / mining::kSampleBlockSize);
  return static_cast<int>(
      std::min<std::int64_t>(ShardsOf(config, "augment"), blocks));
}

// After a sharded stage: its parts are no longer needed (the merged files
// are), and `then` (the stage's own work, if any) runs.
std::function<void(std::ostream&)> RemovingParts(
    std::vector<fs::path> parts, std::function<void(std::ostream&)> then) {
  if (parts.empty()) return then;
  return [parts = std::move(parts), then = std::move(then)](std::ostream& log) {
    for (const fs::path& part : parts) fs::remove(part);
    log << "removed " << parts.size() << " shard files\n";
    if (then) then(log);
  };
}

std::string Join(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words)
    joined += (joined.empty() ? "" : ",") + word;
  return joined;
}

// The shortest text that reads back as the same double (0.03, not
// 0.029999999999999999).
std::string Number(double value) {
  for (int precision = 6; precision <= 17; ++precision) {
    std::ostringstream text;
    text.precision(precision);
    text << value;
    if (std::stod(text.str()) == value) return text.str();
  }
  return std::to_string(value);
}

// `goldmine fisher histogram --bins`: edges, or a number of quantile bins.
// The command reads a lone integer as a count, so a one-edge list is
// written with a decimal point (200 -> 200.0).
std::string FisherBins(const std::vector<double>& edges, int count) {
  if (edges.empty()) return std::to_string(count);
  std::string text = JoinNumbers(edges);
  if (edges.size() == 1 && text.find('.') == std::string::npos) {
    const std::size_t exponent = text.find_first_of("eE");
    text.insert(exponent == std::string::npos ? text.size() : exponent, ".0");
  }
  return text;
}

// `goldmine limits --binning` for one axis: a lone number is a count there,
// so a one-edge list gets the infinite outer edges, which `goldmine limits`
// does not add twice: the bins (-inf, E] and (E, inf), as `goldmine fisher`
// makes of [E].
std::string LimitsAxis(const std::vector<double>& edges, int count) {
  if (edges.empty()) return std::to_string(count);
  if (edges.size() == 1) return "-inf," + Number(edges[0]) + ",inf";
  return JoinNumbers(edges);
}

bool SallyEnabled(const PipelineConfig& config) {
  for (const TrainSettings& train : config.train)
    if (train.method == "sally" && train.enabled) return true;
  return false;
}

Stage GenerateStage(const PipelineConfig& config,
                    const StudyFiles& files,
                    bool write_inputs) {
  Stage stage;
  stage.name = "generate";
  if (!config.generate) {
    stage.not_configured =
        "no generate section: the samples are the user's files";
    return stage;
  }
  const GenerateSettings& generate = *config.generate;
  const fs::path folder = files.workdir / "generate";
  YAML::Node benchmarks;
  benchmarks["benchmarks"] = config.mining["benchmarks"];
  const fs::path benchmarks_file = folder / "benchmarks.yaml";
  if (write_inputs) WriteIfChanged(benchmarks_file, Emit(benchmarks));
  const fs::path output = files.workdir / kGeneratedEvents;
  Step step;
  step.label = "generate " + generate.process;
  step.arguments = {"generate",
                    generate.process,
                    "--events",
                    std::to_string(generate.events),
                    "--seed",
                    std::to_string(generate.seed),
                    "--output",
                    output.string(),
                    "--benchmarks",
                    benchmarks_file.string(),
                    "--operators",
                    Join(config.parameters)};
  for (const auto& [flag, value] : generate.options) {
    step.arguments.push_back("--" + flag);
    step.arguments.push_back(value);
  }
  step.stdout_file = folder / "summary.json";
  stage.settings = config.section_text.at("generate") + Emit(benchmarks);
  stage.steps = {step};
  stage.outputs = {output, *step.stdout_file};
  return stage;
}

Stage MineStage(const PipelineConfig& config,
                const StudyFiles& files,
                int threads,
                bool write_inputs) {
  Stage stage;
  stage.name = "mine";
  const fs::path folder = files.workdir / "mine";
  YAML::Node mining = YAML::Clone(config.mining);
  // Labels are for the report: an edited label must not rerun the mining.
  for (auto parameter : mining["parameters"])
    if (parameter.second.IsMap()) parameter.second.remove("label");
  if (config.generate) {
    YAML::Node sample;
    sample["file"] = (files.workdir / kGeneratedEvents).string();
    sample["sampled_from"] = config.benchmarks.front();
    mining["samples"].push_back(sample);
    stage.inputs.push_back(files.workdir / kGeneratedEvents);
  } else {
    for (std::size_t i = 0; i < mining["samples"].size(); ++i) {
      const YAML::Node file = mining["samples"][i]["file"];
      if (file.IsDefined() && file.IsScalar())
        stage.inputs.push_back(file.as<std::string>());
    }
  }
  const fs::path mining_file = folder / "mine.yaml";
  const std::string text =
      "# Written by goldmine run from the mining section of " +
      config.path.string() + "\n" + Emit(mining);
  if (write_inputs) WriteIfChanged(mining_file, text);
  stage.settings = text;
  Step setup;
  setup.label = "setup";
  setup.arguments = {"setup",
                     mining_file.string(),
                     "--output",
                     (folder / "setup.h5").string()};
  setup.stdout_file = folder / "setup.json";
  Step mine;
  mine.label = "mine";
  mine.arguments = {
      "mine", mining_file.string(), "--output", files.events().string()};
  mine.unhashed_arguments = {"--threads", std::to_string(threads)};
  mine.stdout_file = folder / "mine.json";
  std::vector<fs::path> parts;
  stage.steps = Sharded(mine, ShardsOf(config, "mine"), &parts);
  stage.steps.insert(stage.steps.begin(), setup);
  stage.outputs = {folder / "setup.h5", files.events(), *mine.stdout_file};
  stage.work = RemovingParts(std::move(parts), nullptr);
  return stage;
}

Stage AugmentStage(const PipelineConfig& config,
                   const StudyFiles& files,
                   int threads) {
  Stage stage;
  stage.name = "augment";
  const AugmentSettings& augment = config.augment;
  const fs::path folder = files.workdir / "augment";
  const std::string events = files.events().string();
  stage.inputs = {files.events()};
  // What augment reads: its section; the ratio estimators' samples (their
  // n_samples, theta0, theta1 are in the command lines); whether the
  // held-out events file is written.
  stage.settings = config.section_text.at("augment") +
                   (ModelLimitsConfigured(config) ? "held-out events\n" : "");
  Step local;
  local.label = "augment local";
  local.arguments = {"augment",
                     "local",
                     "--events",
                     events,
                     "--output",
                     (folder / "local.h5").string(),
                     "--n-samples",
                     std::to_string(augment.n_samples),
                     "--seed",
                     std::to_string(augment.seed),
                     "--theta",
                     augment.theta};
  local.stdout_file = folder / "local.json";
  std::vector<fs::path> parts;
  auto add = [&](Step step, std::int64_t n_samples) {
    step.unhashed_arguments = {"--threads", std::to_string(threads)};
    for (const Step& sharded :
         Sharded(step, AugmentShards(config, n_samples), &parts))
      stage.steps.push_back(sharded);
  };
  add(local, augment.n_samples);
  stage.outputs.push_back(folder / "local.h5");
  std::uint64_t seed = augment.seed;
  for (const std::string& benchmark : ScoreBenchmarks(config)) {
    Step test;
    test.label = "augment test at " + benchmark;
    test.arguments = {"augment",
                      "test",
                      "--events",
                      events,
                      "--output",
                      files.test_samples(benchmark).string(),
                      "--n-samples",
                      std::to_string(augment.test_samples),
                      "--seed",
                      std::to_string(++seed),
                      "--theta",
                      "benchmark:" + benchmark};
    test.stdout_file = folder / ("test_" + benchmark + ".json");
    add(test, augment.test_samples);
    stage.outputs.push_back(files.test_samples(benchmark));
  }
  for (const TrainSettings& train : config.train) {
    if (train.method == "sally" || !train.enabled) continue;
    const fs::path output = folder / ("ratio_" + train.method + ".h5");
    Step ratio;
    ratio.label = "augment ratio for " + train.method;
    ratio.arguments = {"augment",
                       "ratio",
                       "--events",
                       events,
                       "--output",
                       output.string(),
                       "--n-samples",
                       std::to_string(train.n_samples),
                       "--seed",
                       std::to_string(++seed),
                       "--theta0",
                       train.theta0,
                       "--theta1",
                       train.theta1};
    ratio.stdout_file = folder / ("ratio_" + train.method + ".json");
    add(ratio, train.n_samples);
    stage.outputs.push_back(output);
  }
  if (ModelLimitsConfigured(config)) {
    // Every sample above comes from the train partition; the model-based
    // limits read the test partition (held_out_events.h).
    stage.outputs.push_back(files.test_first_events());
    stage.work = [events = files.events(),
                  output = files.test_first_events()](std::ostream& log) {
      const HeldOutLayout layout = WriteTestPartitionFirst(events, output);
      log << "wrote " << output.string() << ": " << layout.Describe()
          << ", then events 1–" << layout.first_test << "\n";
    };
  }
  stage.work = RemovingParts(std::move(parts), std::move(stage.work));
  return stage;
}

Stage TrainStage(const PipelineConfig& config,
                 const StudyFiles& files,
                 int threads) {
  Stage stage;
  stage.name = "train";
  const fs::path folder = files.workdir / "train";
  stage.settings = config.section_text.at("train");
  const std::vector<std::string> thread_flag = {"--threads",
                                                std::to_string(threads)};
  for (const TrainSettings& train : config.train) {
    if (!train.enabled) continue;
    const fs::path samples =
        train.method == "sally"
            ? files.workdir / "augment/local.h5"
            : files.workdir / "augment" / ("ratio_" + train.method + ".h5");
    stage.inputs.push_back(samples);
    Step step;
    step.label = "train " + train.method;
    step.arguments = {"train",
                      "--method",
                      train.method,
                      "--samples",
                      samples.string(),
                      "--output",
                      files.model(train.method).string()};
    for (const auto& [flag, value] : train.options) {
      step.arguments.push_back("--" + flag);
      step.arguments.push_back(value);
    }
    step.arguments.insert(
        step.arguments.end(), train.switches.begin(), train.switches.end());
    if (train.morphing_aware) {
      stage.inputs.push_back(files.events());
      step.arguments.push_back("--morphing-aware");
      step.arguments.push_back(files.events().string());
    }
    step.unhashed_arguments = thread_flag;
    stage.steps.push_back(step);
    stage.outputs.push_back(files.model(train.method).string() + ".json");
    stage.outputs.push_back(files.model(train.method).string() + ".pt");
  }
  if (SallyEnabled(config)) {
    for (const std::string& benchmark : ScoreBenchmarks(config)) {
      stage.inputs.push_back(files.test_samples(benchmark));
      Step evaluate;
      evaluate.label = "evaluate sally at " + benchmark;
      evaluate.arguments = {"evaluate",
                            "--model",
                            files.model("sally").string(),
                            "--samples",
                            files.test_samples(benchmark).string(),
                            "--output",
                            files.scores(benchmark).string()};
      evaluate.unhashed_arguments = thread_flag;
      evaluate.wave = 1;  // reads the trained SALLY
      evaluate.stdout_file = folder / ("score_" + benchmark + ".json");
      stage.steps.push_back(evaluate);
      stage.outputs.push_back(files.scores(benchmark));
    }
  }
  if (stage.steps.empty())
    stage.not_configured = "no estimator enabled in train";
#ifndef GOLDMINE_WITH_TORCH
  // Later stages then report the SALLY results as not available.
  stage.not_configured = "this build has no LibTorch (GOLDMINE_WITH_TORCH=OFF)";
#endif
  return stage;
}

// The `goldmine fisher` options every method shares.
std::vector<std::string> FisherCommon(const PipelineConfig& config,
                                      const fs::path& events) {
  // Asimov histograms free of MC noise and templates that hold every event
  // (not MadMiner's conventions, which bias the best fit with many bins; see
  // docs/limits.md).
  return {"--events",
          events.string(),
          "--theta",
          JoinNumbers(config.fisher.theta),
          "--luminosity",
          Number(config.fisher.luminosity),
          "--no-nuisance"};
}

// The fisher commands on `events` of truth, rate and each histogram, each
// JSON written to output(name).
std::vector<Step> FisherSteps(
    const PipelineConfig& config,
    const fs::path& events,
    const std::function<fs::path(const std::string&)>& output) {
  const std::vector<std::string> common = FisherCommon(config, events);
  std::vector<Step> steps;
  auto add = [&](const std::string& name,
                 const std::string& label,
                 std::vector<std::string> arguments) {
    Step step;
    step.label = label;
    step.arguments = {"fisher"};
    step.arguments.insert(
        step.arguments.end(), arguments.begin(), arguments.end());
    step.arguments.insert(step.arguments.end(), common.begin(), common.end());
    step.stdout_file = output(name);
    steps.push_back(step);
  };
  for (const char* mode : {"truth", "rate"})
    add(mode, std::string("fisher ") + mode, {mode});
  for (const HistogramSettings& histogram : config.fisher.histograms) {
    std::vector<std::string> arguments = {
        "histogram",
        "--observable",
        histogram.observable,
        "--bins",
        FisherBins(histogram.bins, histogram.num_bins)};
    if (!histogram.observable2.empty()) {
      arguments.insert(arguments.end(),
                       {"--observable2",
                        histogram.observable2,
                        "--bins2",
                        FisherBins(histogram.bins2, histogram.num_bins2)});
    }
    add("histogram_" + histogram.name,
        "fisher histogram " + histogram.name,
        arguments);
  }
  return steps;
}

// `goldmine fisher sally` on `events` (optional: this build may lack it),
// on events never used for training, said explicitly: the report names
// them. `extra` adds options (--mem).
Step SallyFisherStep(const PipelineConfig& config,
                     const StudyFiles& files,
                     const fs::path& events,
                     const std::string& partition,
                     const std::vector<std::string>& extra) {
  Step step;
  step.label = "fisher sally";
  step.arguments = {"fisher",
                    "sally",
                    "--model",
                    files.model("sally").string(),
                    "--partition",
                    partition};
  step.arguments.insert(step.arguments.end(), extra.begin(), extra.end());
  const std::vector<std::string> common = FisherCommon(config, events);
  step.arguments.insert(step.arguments.end(), common.begin(), common.end());
  step.optional = true;
  return step;
}

Stage FisherStage(const PipelineConfig& config, const StudyFiles& files) {
  Stage stage;
  stage.name = "fisher";
  // Everything the fisher commands read is on their command lines (hashed);
  // labels and limits_binning are for other stages.
  stage.settings = "";
  stage.inputs = {files.events()};
  if (SallyEnabled(config))
    stage.inputs.push_back(files.model("sally").string() + ".json");
  stage.steps = FisherSteps(config, files.events(), [&](const auto& name) {
    return files.fisher(name);
  });
  for (const Step& step : stage.steps)
    stage.outputs.push_back(*step.stdout_file);
  if (SallyEnabled(config)) {
    // SALLY on the test partition (held_out_events.h).
    Step sally = SallyFisherStep(config, files, files.events(), "test", {});
    sally.stdout_file = files.fisher("sally");
    stage.steps.push_back(sally);
    if (config.mem.enabled) {
      // And on the MEM events (all from the test partition), compared with
      // the MEM event by event (the mem stage ran before).
      stage.inputs.push_back(files.mem_events());
      // Written only where the process has a MEM (the mem step is optional);
      // a new MEM file reruns this step.
      stage.optional_inputs.push_back(files.mem_file());
      Step on_mem = SallyFisherStep(config,
                                    files,
                                    files.mem_events(),
                                    "all",
                                    {"--mem", files.mem_file().string()});
      on_mem.label = "fisher sally (MEM events)";
      on_mem.stdout_file = files.fisher("sally_mem_events");
      stage.steps.push_back(on_mem);
    }
  }
  return stage;
}

// The Matrix Element Method on the first mem.events events of the test
// partition, and every other method's information on the same events, so
// that the report's fractions of MEM are free of most of the MC noise (the
// same events enter numerator and denominator).
Stage MemStage(const PipelineConfig& config,
               const StudyFiles& files,
               int threads) {
  Stage stage;
  stage.name = "mem";
  if (!config.mem.enabled) {
    stage.not_configured = "no mem section (or enabled: false)";
    return stage;
  }
  stage.settings = config.section_text.at("mem");
  stage.inputs = {files.events()};
  stage.prepare = [events = files.events(),
                   output = files.mem_events(),
                   count = config.mem.events](std::ostream& log) {
    fs::create_directories(output.parent_path());
    const std::int64_t written = WriteTestSubset(events, output, count);
    log << "wrote " << output.string() << ": the first " << written
        << " events of the test partition\n";
  };
  Step mem;
  mem.label = "mem";
  mem.arguments = {"mem",
                   "--events",
                   files.mem_events().string(),
                   "--output",
                   files.mem_file().string(),
                   "--precision",
                   Number(config.mem.precision),
                   "--detector",
                   config.mem.detector,
                   "--seed",
                   std::to_string(config.mem.seed)};
  mem.unhashed_arguments = {"--threads", std::to_string(threads)};
  mem.stdout_file = files.workdir / "mem/mem.json";
  // A process without a MEM (or a custom smearing) leaves the report's MEM
  // line "not available" with the command's reason.
  mem.optional = true;
  stage.steps.push_back(mem);
  Step fisher;
  fisher.label = "fisher mem";
  fisher.arguments = {"fisher",
                      "mem",
                      "--mem",
                      files.mem_file().string(),
                      "--partition",
                      "all",
                      "--events",
                      files.mem_events().string(),
                      "--theta",
                      JoinNumbers(config.fisher.theta),
                      "--luminosity",
                      Number(config.fisher.luminosity),
                      "--no-nuisance"};
  fisher.stdout_file = files.mem_fisher("mem");
  fisher.optional = true;
  fisher.wave = 1;  // reads the MEM file
  stage.steps.push_back(fisher);
  // The other methods on the same events (SALLY: in the fisher stage).
  for (Step& step :
       FisherSteps(config, files.mem_events(), [&](const auto& name) {
         return files.mem_fisher(name);
       })) {
    step.label += " (MEM events)";
    stage.steps.push_back(step);
  }
  stage.outputs = {files.mem_events()};
  return stage;
}

Stage LimitsStage(const PipelineConfig& config, const StudyFiles& files) {
  Stage stage;
  stage.name = "limits";
  if (!config.limits.enabled) {
    stage.not_configured = "no limits section (or enabled: false)";
    return stage;
  }
  // Everything the limits commands read is on their command lines (hashed).
  stage.settings = "";
  stage.inputs = {files.events()};
  if (ModelLimitsConfigured(config))
    stage.inputs.push_back(files.test_first_events());
  for (const TrainSettings& train : config.train) {
    if (train.enabled)
      stage.inputs.push_back(files.model(train.method).string() + ".json");
  }
  std::vector<fs::path> parts;
  for (const LimitsRun& run : LimitsRuns(config, files)) {
    Step step;
    step.label = "limits " + run.name;
    step.arguments = run.arguments;
    step.stdout_file = files.limits(run.name);
    // `goldmine limits` may be missing from this build: the report says so.
    step.optional = true;
    for (const Step& chunk :
         LimitsChunked(step, ShardsOf(config, "limits"), &parts))
      stage.steps.push_back(chunk);
  }
  stage.work = RemovingParts(std::move(parts), nullptr);
  return stage;
}

}  // namespace

std::string JoinNumbers(const std::vector<double>& values) {
  std::string joined;
  for (double value : values)
    joined += (joined.empty() ? "" : ",") + Number(value);
  return joined;
}

std::vector<std::string> ScoreBenchmarks(const PipelineConfig& config) {
  if (!config.report.score_benchmarks.empty())
    return config.report.score_benchmarks;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < config.benchmarks.size() && names.size() < 2; ++i)
    names.push_back(config.benchmarks[i]);
  return names;
}

bool ModelLimitsConfigured(const PipelineConfig& config) {
  if (!config.limits.enabled) return false;
  for (const std::string& method : config.limits.methods) {
    for (const TrainSettings& train : config.train) {
      if (!train.enabled) continue;
      if ((method == "sally" && train.method == "sally") ||
          (method == "ml" && train.method != "sally"))
        return true;
    }
  }
  return false;
}

namespace {

const GridAxis& AxisOf(const PipelineConfig& config,
                       const std::string& parameter) {
  for (const GridAxis& axis : config.limits.grid)
    if (axis.parameter == parameter) return axis;
  throw InternalError("no limits.grid axis for " + parameter);
}

// The runs of every method for one scan: `scan_options` are its --grid,
// --fix and --profile options; `suffix` is appended to the run names.
void AddScanRuns(const PipelineConfig& config,
                 const StudyFiles& files,
                 const std::vector<std::string>& scan_options,
                 const std::string& suffix,
                 const std::vector<int>& scanned,
                 const std::vector<int>& profiled,
                 const std::string& description,
                 std::vector<LimitsRun>* output) {
  std::vector<LimitsRun> runs;
  // goldmine limits' own conventions (not --madminer): Asimov histograms
  // free of MC noise (said explicitly) and underflow/overflow bins, the bins
  // `goldmine fisher histogram` makes of the same edges (docs/limits.md).
  std::vector<std::string> common = {"--events",
                                     files.events().string(),
                                     "--luminosity",
                                     Number(config.limits.luminosity),
                                     "--theta-true",
                                     JoinNumbers(config.fisher.theta),
                                     "--include-xsec",
                                     "--asimov-from",
                                     "templates"};
  common.insert(common.end(), scan_options.begin(), scan_options.end());
  // The model-based scans: templates and Asimov data from the events no
  // model was trained on; σ(θ) from the others (held_out_events.h).
  std::vector<std::string> held_out = common;
  held_out[1] = files.test_first_events().string();
  held_out.insert(held_out.end(), {"--test-split", kLimitsTestSplit});
  const std::string unseen =
      "templates and Asimov data: the test partition (never used for "
      "training); σ(θ): the other events";
  const std::string all =
      "templates and Asimov data: the train and validation partitions; σ(θ): "
      "the test partition (no trained model involved)";
  const std::string rate = "σ(θ): the test partition (no trained model)";
  for (const std::string& method : config.limits.methods) {
    if (method == "histo") {
      for (const std::string& name : config.limits.histograms) {
        for (const HistogramSettings& histogram : config.fisher.histograms) {
          if (histogram.name != name) continue;
          LimitsRun run{"histo_" + name,
                        histogram.label,
                        {"limits", "--method", "histo"},
                        all,
                        scanned,
                        profiled,
                        description};
          run.arguments.insert(
              run.arguments.end(), common.begin(), common.end());
          std::string observables = histogram.observable;
          std::string binning = LimitsAxis(histogram.bins, histogram.num_bins);
          if (!histogram.observable2.empty()) {
            observables += "," + histogram.observable2;
            binning += ";" + LimitsAxis(histogram.bins2, histogram.num_bins2);
          }
          if (!histogram.preset.empty()) binning = histogram.preset;
          run.arguments.insert(
              run.arguments.end(),
              {"--observables", observables, "--binning", binning});
          runs.push_back(run);
        }
      }
      continue;
    }
    if (method == "ml") {
      // One scan per enabled likelihood-ratio estimator.
      for (const TrainSettings& train : config.train) {
        if (train.method == "sally" || !train.enabled) continue;
        std::string label = train.method;
        for (char& c : label) c = static_cast<char>(std::toupper(c));
        LimitsRun run{"ml_" + train.method,
                      label,
                      {"limits", "--method", "ml"},
                      unseen,
                      scanned,
                      profiled,
                      description};
        run.arguments.insert(
            run.arguments.end(), held_out.begin(), held_out.end());
        run.arguments.insert(run.arguments.end(),
                             {"--model", files.model(train.method).string()});
        runs.push_back(run);
      }
      continue;
    }
    if (method == "sally" && !SallyEnabled(config)) continue;
    const bool sally = method == "sally";
    LimitsRun run{method,
                  sally ? "SALLY" : "rate only",
                  {"limits", "--method", method},
                  sally ? unseen : rate,
                  scanned,
                  profiled,
                  description};
    const std::vector<std::string>& events = sally ? held_out : common;
    run.arguments.insert(run.arguments.end(), events.begin(), events.end());
    if (sally) {
      run.arguments.insert(
          run.arguments.end(),
          {"--model", files.model("sally").string(), "--information-binning"});
      // A slice: the histogram of the score components of the parameters
      // that vary in it (the others are fixed: their components carry no
      // information on the slice, and every component multiplies the
      // number of bins).
      std::vector<int> varying = scanned;
      varying.insert(varying.end(), profiled.begin(), profiled.end());
      if (varying.size() < config.parameters.size()) {
        std::sort(varying.begin(), varying.end());
        std::string components;
        for (int p : varying)
          components += (components.empty() ? "" : ",") + std::to_string(p);
        run.arguments.insert(run.arguments.end(),
                             {"--score-components", components});
      }
    }
    runs.push_back(run);
  }
  for (LimitsRun& run : runs) {
    run.name += suffix;
    output->push_back(run);
  }
}

}  // namespace

std::vector<LimitsRun> LimitsRuns(const PipelineConfig& config,
                                  const StudyFiles& files) {
  std::vector<LimitsRun> runs;
  std::vector<ScanSettings> scans = config.limits.scans;
  const bool named = !scans.empty();
  if (!named) scans.push_back({config.parameters, {}, {}});
  std::vector<std::string> suffixes;
  for (std::size_t k = 0; k < scans.size(); ++k) {
    const ScanSettings& scan = scans[k];
    std::vector<std::string> options;
    std::string grid;
    std::vector<int> scanned;
    for (const std::string& parameter : scan.parameters) {
      const GridAxis& axis = AxisOf(config, parameter);
      grid += (grid.empty() ? "" : ",") + parameter + ":" + Number(axis.lo) +
              ":" + Number(axis.hi) + ":" + std::to_string(axis.n);
      scanned.push_back(static_cast<int>(std::find(config.parameters.begin(),
                                                   config.parameters.end(),
                                                   parameter) -
                                         config.parameters.begin()));
    }
    options = {"--grid", grid};
    // Every parameter off the grid is fixed (explicitly, or at θ of the
    // Fisher information, which is also θ_true) or profiled.
    std::string fix;
    std::string profile;
    std::string fixed_text;
    std::vector<int> profiled;
    for (std::size_t p = 0; p < config.parameters.size(); ++p) {
      const std::string& name = config.parameters[p];
      if (std::find(scan.parameters.begin(), scan.parameters.end(), name) !=
          scan.parameters.end())
        continue;
      if (std::find(scan.profile.begin(), scan.profile.end(), name) !=
          scan.profile.end()) {
        const GridAxis& axis = AxisOf(config, name);
        profile += (profile.empty() ? "" : ",") + name + ":" + Number(axis.lo) +
                   ":" + Number(axis.hi);
        profiled.push_back(static_cast<int>(p));
        continue;
      }
      double value = config.fisher.theta[p];
      for (const auto& [fixed, at] : scan.fix)
        if (fixed == name) value = at;
      fix += (fix.empty() ? "" : ",") + name + "=" + Number(value);
      fixed_text += (fixed_text.empty() ? "" : ", ") +
                    ParameterText(config, p) + " = " + Number(value);
    }
    if (!fix.empty()) options.insert(options.end(), {"--fix", fix});
    if (!profile.empty()) options.insert(options.end(), {"--profile", profile});
    std::string description;
    if (named) {
      for (int p : scanned)
        description += (description.empty() ? "" : " × ") +
                       ParameterText(config, static_cast<std::size_t>(p));
      if (!fixed_text.empty()) description += "; fixed: " + fixed_text;
      if (!scan.profile.empty()) {
        std::string names;
        for (int p : profiled)
          names += (names.empty() ? "" : ", ") +
                   ParameterText(config, static_cast<std::size_t>(p));
        description += "; profiled: " + names;
      }
    }
    std::string suffix;
    if (named) {
      for (const std::string& parameter : scan.parameters)
        suffix += "_" + parameter;
      if (std::find(suffixes.begin(), suffixes.end(), suffix) != suffixes.end())
        suffix += "_" + std::to_string(k + 1);
      suffixes.push_back(suffix);
    }
    AddScanRuns(
        config, files, options, suffix, scanned, profiled, description, &runs);
  }
  return runs;
}

Stage ReportStage(const PipelineConfig& config,
                  const StudyFiles& files,
                  const std::vector<Stage>& stages,
                  const std::vector<StageOutcome>* outcomes) {
  Stage report;
  report.name = "report";
  // The report reads every section (names, labels, settings it quotes).
  for (const auto& [section, text] : config.section_text)
    report.settings += section + ":\n" + text + "\n";
  report.settings += config.quick ? "quick" : "";
  for (const Stage& stage : stages) {
    if (stage.not_configured.empty())
      report.inputs.push_back(files.workdir / stage.name / "stage.json");
  }
  report.outputs = {files.workdir / "report.md",
                    files.workdir / "report.html",
                    files.workdir / "results.json"};
  report.work = [&config, files, outcomes](std::ostream& log) {
    WriteReport(config, files, *outcomes, log);
  };
  return report;
}

std::vector<Stage> StudyStages(const PipelineConfig& config,
                               const StudyFiles& files,
                               int threads,
                               bool write_inputs) {
  return {GenerateStage(config, files, write_inputs),
          MineStage(config, files, threads, write_inputs),
          AugmentStage(config, files, threads),
          // Before training: the MEM needs no model, and a new model then
          // does not integrate the events again.
          MemStage(config, files, threads),
          // One LibTorch thread: for these small networks two intra-op
          // threads are 4-10x slower (PERFORMANCE.md; 5.6x measured on the
          // WH SALLY), so --threads only parallelises mining.
          TrainStage(config, files, 1),
          FisherStage(config, files),
          LimitsStage(config, files)};
}

}  // namespace goldmine::pipeline
