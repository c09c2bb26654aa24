// The per-event path of `goldmine mine`: read (decompress, parse, weights),
// build parton-level objects, evaluate observables, for the two input kinds
// users bring:
//  - LHE: the public MadGraph SMEFTsim file (gzip, 38 weights, 10000 events);
//  - HepMC3: a parton-level WH file from the built-in generator (written once
//    into /tmp, 6 benchmark weights + 2 scale weights, 20000 events);
//  - HepMC2: the public Sherpa file (146 weights, ~775 particles and ~270
//    vertices per event) repeated 100 times (600 events, in /tmp); reading
//    only, since its events are hadron level.
//  - HepMC3.gz: the same WH file gzip-compressed.
// Each iteration reads the whole file; items_per_second is events per second
// on one core. The "_ReadOnly" variants isolate the reading, and the
// "_Floor" variants measure what no reader can beat: the file's bytes through
// zlib (inflated, or copied for a plain file) into a buffer, nothing parsed.
//
//   build/release/bench/event_reading_benchmark
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "goldmine/core/random.h"
#include "goldmine/generators/builtin_pdf.h"
#include "goldmine/generators/wh_event_file.h"
#include "goldmine/mining/event_analysis.h"
#include "goldmine/mining/event_reader.h"
#include "goldmine/mining/physics_objects.h"

namespace goldmine::mining {
namespace {

std::string LheFile() {
  const std::filesystem::path path =
      std::filesystem::path(GOLDMINE_SHARED_DIR) / "data" / "events" /
      "mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz";
  return std::filesystem::exists(path) ? path.string() : "";
}

const std::string& HepMC3File() {
  static const std::string path = [] {
    const std::string file =
        (std::filesystem::temp_directory_path() / "goldmine_bench_wh.hepmc3")
            .string();
    generators::WhGeneratorSettings settings;
    settings.operators = {generators::WhOperator::kHW,
                          generators::WhOperator::kHq3};
    const generators::WhGenerator generator(
        settings, std::make_shared<generators::BuiltinPdf>());
    const std::vector<generators::NamedBenchmark> benchmarks = {
        {"sm", {0, 0}},
        {"w1", {0.5, 0}},
        {"w2", {0, 0.1}},
        {"w3", {-0.5, 0}},
        {"w4", {0, -0.1}},
        {"w5", {0.5, 0.1}}};
    generators::WriteWhEventFile(file, generator, benchmarks, 20000, 1);
    return file;
  }();
  return path;
}

const std::string& HepMC3GzipFile() {
  static const std::string path = [] {
    const std::string file =
        (std::filesystem::temp_directory_path() / "goldmine_bench_wh.hepmc3.gz")
            .string();
    std::ifstream in(HepMC3File(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string all = text.str();
    gzFile out = gzopen(file.c_str(), "wb6");  // gzip's default level
    gzwrite(out, all.data(), static_cast<unsigned>(all.size()));
    gzclose(out);
    return file;
  }();
  return path;
}

const std::string& HepMC2File() {
  static const std::string path = []() -> std::string {
    const std::filesystem::path source =
        std::filesystem::path(GOLDMINE_SHARED_DIR) / "data" / "events" /
        "sherpa_hepmc2_weights146.hepmc";
    if (!std::filesystem::exists(source)) return "";
    std::stringstream text;
    text << std::ifstream(source).rdbuf();
    const std::string all = text.str();
    const std::size_t first = all.find("\nE ") + 1;
    const std::size_t end = all.find("HepMC::IO_GenEvent-END_EVENT_LISTING");
    const std::string file =
        (std::filesystem::temp_directory_path() / "goldmine_bench_x100.hepmc")
            .string();
    std::ofstream out(file);
    out << all.substr(0, first);
    for (int copy = 0; copy < 100; ++copy)
      out << all.substr(first, end - first);
    out << all.substr(end);
    return file;
  }();
  return path;
}

// Ten typical observables: what a user's config looks like.
EventAnalysis TypicalAnalysis(bool lhe) {
  std::vector<ObservableDefinition> observables;
  auto add = [&](const std::string& name, const std::string& expression) {
    observables.push_back({name, expression, false, std::nullopt});
  };
  add("pt_l1", "l[0].pt");
  add("eta_l1", "l[0].eta");
  add("met_pt", "met.pt");
  add("jet_count", "len(j)");
  if (lhe) {
    add("pt_l2", "l[1].pt");
    add("m_ll", "(l[0] + l[1]).m");
    add("pt_ll", "(l[0] + l[1]).pt");
    add("pt_j1", "j[0].pt");
    add("dphi_ll", "deltaphi(l[0], l[1])");
    add("y_ll", "(l[0] + l[1]).rapidity");
  } else {
    add("m_bb", "(b[0] + b[1]).m");
    add("pt_w", "(l[0] + met).pt");
    add("mt_tot", "(b[0] + b[1] + l[0] + met).mt");
    add("dr_bb", "deltaR(b[0], b[1])");
    add("pt_h", "(b[0] + b[1]).pt");
    add("dphi_lmet", "deltaphi(l[0], met)");
  }
  return EventAnalysis(observables, {});
}

void RunPipeline(benchmark::State& state,
                 const std::string& path,
                 bool lhe,
                 bool analyse) {
  if (path.empty()) {
    state.SkipWithError("event file absent");
    return;
  }
  const EventAnalysis analysis = TypicalAnalysis(lhe);
  ObjectOptions options;
  Eigen::VectorXd values(analysis.num_observables());
  std::int64_t events = 0;
  for (auto _ : state) {
    const std::unique_ptr<EventReader> reader = EventReader::Open(path);
    RandomStream random(1);
    Event event;
    while (reader->Next(&event)) {
      ++events;
      if (!analyse) continue;
      double efficiency = 1.0;
      const EventObjects objects = BuildObjects(event, options, &random);
      benchmark::DoNotOptimize(analysis.Analyse(objects, values, &efficiency));
    }
  }
  state.SetItemsProcessed(events);
}

// The events of a file, counted once by the reader.
std::int64_t CountEvents(const std::string& path) {
  const std::unique_ptr<EventReader> reader = EventReader::Open(path);
  Event event;
  std::int64_t events = 0;
  while (reader->Next(&event)) ++events;
  return events;
}

void RunFloor(benchmark::State& state, const std::string& path) {
  if (path.empty()) {
    state.SkipWithError("event file absent");
    return;
  }
  const std::int64_t events_in_file = CountEvents(path);
  std::vector<char> buffer(1 << 16);
  std::int64_t bytes = 0;
  for (auto _ : state) {
    gzFile file = gzopen(path.c_str(), "rb");
    gzbuffer(file, 1 << 17);  // as the readers (gzip_input.cc)
    int read = 0;
    while ((read = gzread(
                file, buffer.data(), static_cast<unsigned>(buffer.size()))) >
           0) {
      bytes += read;
      benchmark::DoNotOptimize(buffer.data());
    }
    gzclose(file);
  }
  state.SetItemsProcessed(state.iterations() * events_in_file);
  state.SetBytesProcessed(bytes);
}

void BM_Lhe_ReadObjectsObservables(benchmark::State& state) {
  RunPipeline(state, LheFile(), true, true);
}
void BM_Lhe_ReadOnly(benchmark::State& state) {
  RunPipeline(state, LheFile(), true, false);
}
void BM_HepMC3_ReadObjectsObservables(benchmark::State& state) {
  RunPipeline(state, HepMC3File(), false, true);
}
void BM_HepMC3_ReadOnly(benchmark::State& state) {
  RunPipeline(state, HepMC3File(), false, false);
}
void BM_HepMC3Gzip_ReadObjectsObservables(benchmark::State& state) {
  RunPipeline(state, HepMC3GzipFile(), false, true);
}
void BM_HepMC2_ReadOnly(benchmark::State& state) {
  RunPipeline(state, HepMC2File(), false, false);
}
void BM_Lhe_Floor(benchmark::State& state) { RunFloor(state, LheFile()); }
void BM_HepMC3_Floor(benchmark::State& state) { RunFloor(state, HepMC3File()); }
void BM_HepMC3Gzip_Floor(benchmark::State& state) {
  RunFloor(state, HepMC3GzipFile());
}
BENCHMARK(BM_Lhe_ReadObjectsObservables)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Lhe_ReadOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HepMC3_ReadObjectsObservables)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HepMC3_ReadOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HepMC3Gzip_ReadObjectsObservables)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HepMC2_ReadOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Lhe_Floor)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HepMC3_Floor)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HepMC3Gzip_Floor)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace goldmine::mining

BENCHMARK_MAIN();
