#include "goldmine/pipeline/snakemake_workflow.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/version.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

// Memory of a rule (MB) unless config.workflow.mem_mb names its stage: small
// studies need far less, LibTorch training somewhat more.
int DefaultMemoryMb(const std::string& stage) {
  return stage == "train" ? 4000 : 2000;
}

// A path as the workflow names it: relative to the work folder inside it
// (the workflow runs there and may be moved), absolute outside.
std::string WorkflowPath(const StudyFiles& files, const fs::path& path) {
  const fs::path relative = path.lexically_relative(files.workdir);
  if (!relative.empty() && *relative.begin() != "..") return relative.string();
  return path.string();
}

// A Python string literal (JSON's escapes are Python's) in which Snakemake
// sees no wildcard: braces doubled.
std::string Quoted(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    escaped += c;
    if (c == '{' || c == '}') escaped += c;
  }
  return nlohmann::json(escaped).dump();
}

void FileList(std::ostringstream& out,
              const char* directive,
              const std::vector<std::string>& paths) {
  out << "    " << directive << ":\n";
  for (const std::string& path : paths)
    out << "        " << Quoted(path) << ",\n";
}

std::string StageRule(const Stage& stage,
                      const StudyFiles& files,
                      const std::set<std::string>& produced,
                      int threads,
                      int memory_mb) {
  std::vector<std::string> inputs;
  for (const fs::path& input : stage.inputs) {
    const std::string path = WorkflowPath(files, input);
    // A file of the work folder that no rule writes is optional (a model of
    // a stage this build does not have): the stage itself copes without it.
    // Files outside it (the study's event files) are always inputs.
    const bool outside = path == input.string();
    if (outside || produced.count(path) != 0) {
      if (std::find(inputs.begin(), inputs.end(), path) == inputs.end())
        inputs.push_back(path);
    }
  }
  std::vector<std::string> outputs;
  for (const fs::path& output : stage.outputs)
    outputs.push_back(WorkflowPath(files, output));
  outputs.push_back(stage.name + "/stage.json");
  std::ostringstream out;
  out << "rule " << stage.name << ":\n";
  if (!inputs.empty()) FileList(out, "input", inputs);
  FileList(out, "output", outputs);
  out << "    threads: " << threads << "\n"
      << "    resources:\n        mem_mb=" << memory_mb << ",\n"
      << "    log:\n        " << Quoted("logs/" + stage.name + ".log") << ",\n"
      << "    shell:\n"
      << "        \"{config[goldmine]:q} run {config[study]:q} "
         "{config[options]} --workdir . --stage "
      << stage.name
      << " --threads {threads} --jobs {threads} > {log:q} 2>&1\"\n\n";
  return out.str();
}

std::string WorkflowYaml(const PipelineConfig& config,
                         const WorkflowOptions& options) {
  std::ostringstream out;
  out << "# The configuration of the Snakefile beside it (goldmine run "
         "--emit snakemake).\n"
      << "# goldmine: the executable the rules call; study: the study's "
         "configuration;\n"
      << "# options: what `goldmine run` was given besides them.\n"
      << "goldmine: " << nlohmann::json(options.goldmine.string()).dump()
      << "\n"
      << "study: " << nlohmann::json(config.path.string()).dump() << "\n"
      << "options: " << nlohmann::json(config.quick ? "--quick" : "").dump()
      << "\n";
  return out.str();
}

std::string ReanaYaml(const PipelineConfig& config) {
  std::ostringstream out;
  out << "# REANA (reana.io) runs the workflow with its Snakemake engine:\n"
      << "#   reana-client run -w " << nlohmann::json(config.name).dump()
      << "\n"
      << "# The rules call goldmine: give them an image that has it (a\n"
      << "# `container:` line per rule, docs/workflow.md), and set "
         "workflow.yaml's\n"
      << "# goldmine and study to the paths inside that image and workspace.\n"
      << "version: 0.9.0\n"
      << "inputs:\n"
      << "  files:\n"
      << "    - " << nlohmann::json(config.path.filename().string()).dump()
      << "\n"
      << "    - workflow.yaml\n"
      << "  parameters:\n"
      << "    input: workflow.yaml\n"
      << "workflow:\n"
      << "  type: snakemake\n"
      << "  file: Snakefile\n"
      << "outputs:\n"
      << "  files:\n"
      << "    - results.json\n"
      << "    - report.md\n"
      << "    - report.html\n";
  return out.str();
}

}  // namespace

std::string SnakefileText(const PipelineConfig& config,
                          const StudyFiles& files,
                          const std::vector<Stage>& stages,
                          const Stage& report,
                          const WorkflowOptions& options) {
  std::vector<const Stage*> configured;
  for (const Stage& stage : stages) {
    if (stage.not_configured.empty()) configured.push_back(&stage);
  }
  configured.push_back(&report);
  std::set<std::string> produced;
  for (const Stage* stage : configured) {
    for (const fs::path& output : stage->outputs)
      produced.insert(WorkflowPath(files, output));
    produced.insert(stage->name + "/stage.json");
  }
  std::ostringstream out;
  out << "# The study \"" << config.name << "\" (" << config.path.string()
      << ")\n"
      << "# as a Snakemake workflow, written by `goldmine run --emit "
         "snakemake` ("
      << VersionLine() << ").\n"
      << "#\n"
      << "#   snakemake --cores 2                     here\n"
      << "#   snakemake --unlock && snakemake --cores 2 --rerun-incomplete\n"
      << "#                                           after an interruption\n"
      << "#   snakemake --profile PROFILE             Slurm, HTCondor "
         "(workflow/profiles/)\n"
      << "#\n"
      << "# Each rule is one stage of `goldmine run`: one command that runs "
         "the\n"
      << "# stage's goldmine commands (up to `threads` at once) and writes "
         "STAGE/stage.json.\n"
      << "# Stages not configured have no rule: " <<
      [&] {
        std::string names;
        for (const Stage& stage : stages) {
          if (stage.not_configured.empty()) continue;
          names += (names.empty() ? "" : "; ") + stage.name + " (" +
                   stage.not_configured + ")";
        }
        return names.empty() ? std::string("none") : names;
      }()
      << ".\n\n"
      << "configfile: \"workflow.yaml\"\n\n";
  std::vector<std::string> targets;
  for (const fs::path& output : report.outputs)
    targets.push_back(WorkflowPath(files, output));
  out << "rule all:\n";
  FileList(out, "input", targets);
  out << "\n";
  for (const Stage* stage : configured) {
    const auto threads = config.workflow.threads.find(stage->name);
    const auto memory = config.workflow.mem_mb.find(stage->name);
    out << StageRule(
        *stage,
        files,
        produced,
        threads != config.workflow.threads.end() ? threads->second
                                                 : options.default_threads,
        memory != config.workflow.mem_mb.end() ? memory->second
                                               : DefaultMemoryMb(stage->name));
  }
  return out.str();
}

std::vector<fs::path> WriteSnakemakeWorkflow(const PipelineConfig& config,
                                             const StudyFiles& files,
                                             const std::vector<Stage>& stages,
                                             const Stage& report,
                                             const WorkflowOptions& options) {
  fs::create_directories(files.workdir);
  const std::vector<std::pair<fs::path, std::string>> contents = {
      {files.workdir / "Snakefile",
       SnakefileText(config, files, stages, report, options)},
      {files.workdir / "workflow.yaml", WorkflowYaml(config, options)},
      {files.workdir / "reana.yaml", ReanaYaml(config)}};
  std::vector<fs::path> written;
  for (const auto& [path, text] : contents) {
    WriteTextFileAtomically(path, text);
    written.push_back(path);
  }
  return written;
}

}  // namespace goldmine::pipeline
