#include "fuzz_input.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <stdexcept>
#include <system_error>

#include "goldmine/core/errors.h"
#include "goldmine/core/json_node.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/patchset.h"
#include "goldmine/inference/workspace.h"
#include "goldmine/inference/workspace_json.h"
#include "goldmine/mining/event_reader.h"
#include "goldmine/mining/expression.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/mining_config.h"
#include "goldmine/mining/sample_file.h"
#include "goldmine/morphing/morphing_case.h"

namespace goldmine::fuzz {
namespace {

namespace fs = std::filesystem;

// A folder of this process for the parsers that read files, removed at exit.
// One per process, so that parallel fuzzing jobs do not share files.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern =
        (fs::temp_directory_path() / "goldmine-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot create a scratch folder in /tmp");
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  // Writes `bytes` to `name` in the folder and returns its path.
  fs::path Write(const std::string& name, std::string_view bytes) const {
    const fs::path file = path_ / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
  }

 private:
  fs::path path_;
};

const ScratchFolder& Scratch() {
  static const ScratchFolder folder;
  return folder;
}

// pyhf's two-bin example, written for these targets: the document that
// json_patch and patchset patches are applied to.
constexpr const char* kBaseWorkspace = R"({
  "channels": [{"name": "singlechannel", "samples": [
    {"name": "signal", "data": [5.0, 10.0],
     "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
    {"name": "background", "data": [50.0, 60.0],
     "modifiers": [{"name": "uncorr_bkguncrt", "type": "shapesys",
                    "data": [5.0, 12.0]}]}]}],
  "observations": [{"name": "singlechannel", "data": [50.0, 60.0]}],
  "measurements": [{"name": "Measurement",
                    "config": {"poi": "mu", "parameters": []}}],
  "version": "1.0.0"
})";

// Reads every event (the inputs are small: libFuzzer's -max_len).
void ReadEventFile(const std::string& name, std::string_view bytes) {
  const fs::path path = Scratch().Write(name, bytes);
  const auto reader = mining::EventReader::Open(path.string());
  mining::NoOpReweightings(reader->info());
  mining::Event event;
  while (reader->Next(&event)) {
  }
}

void ReadWorkspace(std::string_view bytes) {
  const std::string text(bytes);
  const inference::Workspace workspace =
      inference::Workspace::FromJson(text, "workspace.json");
  // Building the likelihood checks what the schema cannot (observations,
  // parameter sets); one evaluation at the initial values checks the sizes.
  for (std::size_t m = 0;
       m < std::min<std::size_t>(workspace.measurements.size(), 3);
       ++m) {
    inference::ModelOptions options;
    options.measurement = workspace.measurements[m].name;
    const inference::Model model(workspace, options);
    model.TwiceNll(model.inits(), model.ExpectedData(model.inits()));
  }
  inference::SortWorkspace(text, "workspace.json");
}

// A patch acts either on the whole workspace (pyhf's JsonPatch) or on the
// model's {"channels", "parameters"} (Workspace.model(patches=...)): both
// are tried; the input is refused when neither applies.
void ApplyPatch(std::string_view bytes) {
  const std::string patch(bytes);
  std::exception_ptr document_error;
  try {
    inference::ApplyJsonPatch(kBaseWorkspace, patch, "patch.json");
  } catch (const InvalidInput&) {
    document_error = std::current_exception();
  } catch (const FileFormatError&) {
    document_error = std::current_exception();
  }
  try {
    inference::ApplyModelPatch(kBaseWorkspace, patch, "", "patch.json");
  } catch (const InvalidInput&) {
    if (document_error) std::rethrow_exception(document_error);
  } catch (const FileFormatError&) {
    if (document_error) std::rethrow_exception(document_error);
  }
}

// Seeds that name the base workspace by its digest reach ApplyPatchSet.
void ReadPatchSet(std::string_view bytes) {
  const std::string text(bytes);
  const inference::PatchSetSummary summary =
      inference::ReadPatchSet(text, "patchset.json");
  for (const inference::PatchSetPatch& patch : summary.patches) {
    inference::PatchNameForValues(text, patch.values, "patchset.json");
    inference::ExtractPatch(text, patch.name, true, "patchset.json");
  }
  inference::VerifyPatchSet(kBaseWorkspace, text, "patchset.json");
  for (const inference::PatchSetPatch& patch : summary.patches) {
    inference::ApplyPatchSet(kBaseWorkspace, text, patch.name, "patchset.json");
  }
}

void SolveMorphingCase(std::string_view bytes) {
  const nlohmann::json document =
      core::ParseJsonText(std::string(bytes), "case.json");
  morphing::SolveMorphingDocument(core::JsonNode(document, "case.json"),
                                  nullptr);
}

void ReadMiningConfig(std::string_view bytes) {
  const fs::path path = Scratch().Write("config.yaml", bytes);
  // Without samples: reading them would open whatever files the fuzzer
  // names. The analysis parses every observable, cut and efficiency.
  const mining::MiningConfig config =
      mining::ReadMiningConfig(path.string(), false);
  mining::BuildEventAnalysis(config);
}

void ReadEventsH5(std::string_view bytes) {
  const fs::path path = Scratch().Write("events.h5", bytes);
  mining::ReadSetup(path);
  const mining::MadminerEventsReader reader(path);
  // The first and the last rows, as streaming consumers read batches: the
  // whole file could claim any number of rows.
  const std::int64_t n = reader.num_events();
  const std::int64_t batch = std::min<std::int64_t>(n, 64);
  reader.Read(0, batch);
  reader.Read(n - batch, batch);
}

void ReadSamplesH5(std::string_view bytes) {
  const fs::path path = Scratch().Write("samples.h5", bytes);
  mining::ReadSamples(path).Validate();
}

// Two events to evaluate parsed expressions on: an empty one (every index is
// out of range) and one with jets, a lepton pair, MET and a Higgs.
std::vector<mining::EventObjects> ExpressionEvents() {
  using mining::FourMomentum;
  using mining::PhysicsObject;
  mining::EventObjects full;
  const PhysicsObject jet1{
      FourMomentum::FromPtEtaPhiM(120, 0.5, 0.1, 10), 5, -1.0 / 3, true};
  const PhysicsObject jet2{
      FourMomentum::FromPtEtaPhiM(45, -2.1, 2.9, 5), 1, -1.0 / 3};
  const PhysicsObject electron{
      FourMomentum::FromPtEtaPhiM(35, 1.2, -1.0, 0.000511), 11, -1.0};
  const PhysicsObject positron{
      FourMomentum::FromPtEtaPhiM(28, -0.3, 1.7, 0.000511), -11, 1.0};
  const PhysicsObject higgs{FourMomentum::FromPtEtaPhiM(60, 0.2, 0.4, 125), 25};
  full.j = {jet1, jet2};
  full.b = {jet1};
  full.e = {electron, positron};
  full.l = full.e;
  full.p = {jet1, jet2, electron, positron};
  full.p_truth = full.p;
  full.record = {higgs, jet1, jet2};
  full.met = {FourMomentum(30, -40, 0, 50)};
  full.visible =
      jet1.momentum + jet2.momentum + electron.momentum + positron.momentum;
  full.ht = 228;
  full.n_particles = 6;
  return {mining::EventObjects{}, full};
}

void ParseExpression(std::string_view bytes) {
  static const std::vector<mining::EventObjects> events = ExpressionEvents();
  const mining::Expression expression(
      std::string(bytes), {"x1", "x2"}, "observable f");
  expression.Canonical();
  const double observable_values[] = {1.5, -2.0};
  for (const mining::EventObjects& event : events)
    expression.Evaluate(event, observable_values);
}

const std::map<std::string, std::function<void(std::string_view)>>& Parsers() {
  static const std::map<std::string, std::function<void(std::string_view)>>
      parsers = {
          {"lhe", [](std::string_view b) { ReadEventFile("input.lhe", b); }},
          {"hepmc2",
           [](std::string_view b) { ReadEventFile("input.hepmc", b); }},
          {"hepmc3",
           [](std::string_view b) { ReadEventFile("input.hepmc3", b); }},
          {"workspace", ReadWorkspace},
          {"json_patch", ApplyPatch},
          {"patchset", ReadPatchSet},
          {"morphing_case", SolveMorphingCase},
          {"mining_config", ReadMiningConfig},
          {"events_h5", ReadEventsH5},
          {"samples_h5", ReadSamplesH5},
          {"expression", ParseExpression},
      };
  return parsers;
}

}  // namespace

const std::vector<std::string>& ParserNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> keys;
    for (const auto& entry : Parsers()) keys.push_back(entry.first);
    return keys;
  }();
  return names;
}

void ParseInput(const std::string& parser, std::string_view bytes) {
  const auto found = Parsers().find(parser);
  if (found == Parsers().end())
    throw std::invalid_argument("no fuzzed parser called " + parser);
  found->second(bytes);
}

}  // namespace goldmine::fuzz
