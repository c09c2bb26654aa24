// The built-in generators, per event:
//  - WhSample: phase-space sampling + PDFs + the exact 2→3 matrix element
//    and its EFT polynomial (all four operators, both charges, e and μ, the
//    built-in PDF, μF = HT/2 with two scale variations);
//  - WhSampleAndWrite: the same plus writing a HepMC3 ASCII file with 17
//    named weights (the 15-benchmark optimised basis + MUF0.5, MUF2) and the
//    per-event polynomial, as `goldmine generate wh` does;
//  - ToySample / ToySampleAndWrite: the analytic toy of toy_model.h (two
//    parameters, 6 benchmarks).
//
//   build/release/bench/generator_benchmark
//
// items_per_second is events per second on one core.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>

#include "goldmine/core/random.h"
#include "goldmine/generators/benchmarks.h"
#include "goldmine/generators/builtin_pdf.h"
#include "goldmine/generators/toy_event_file.h"
#include "goldmine/generators/toy_model.h"
#include "goldmine/generators/wh_event_file.h"
#include "goldmine/generators/wh_generator.h"

namespace goldmine::generators {
namespace {

const WhGenerator& Generator() {
  static const WhGenerator generator(WhGeneratorSettings{},
                                     std::make_shared<BuiltinPdf>());
  return generator;
}

std::string ScratchFile(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("goldmine_generator_benchmark_" + name))
      .string();
}

void WhSample(benchmark::State& state) {
  const WhGenerator& generator = Generator();
  RandomStream random(1);
  for (auto _ : state) {
    WhEvent event = generator.Sample(random);
    benchmark::DoNotOptimize(event);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(WhSample)->Unit(benchmark::kMicrosecond);

void WhSampleAndWrite(benchmark::State& state) {
  const WhGenerator& generator = Generator();
  const std::vector<std::string> names = {"cHbox", "cHDD", "cHW", "cHq3"};
  const std::vector<NamedBenchmark> benchmarks = OptimisedMorphingBenchmarks(
      names, ParameterRanges(names.size(), ParameterRange{-1.0, 1.0}), 1);
  const std::int64_t num_events = state.range(0);
  const std::string path = ScratchFile("wh.hepmc3");
  std::uint64_t seed = 1;
  for (auto _ : state) {
    const EventFileResult result =
        WriteWhEventFile(path, generator, benchmarks, num_events, seed++);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * num_events);
  state.counters["bytes_per_event"] =
      static_cast<double>(std::filesystem::file_size(path) /
                          static_cast<std::uintmax_t>(num_events));
  std::filesystem::remove(path);
}
BENCHMARK(WhSampleAndWrite)->Arg(5000)->Unit(benchmark::kMillisecond);

void ToySample(benchmark::State& state) {
  const ToyModel model(ToyModel::AllParameters());
  RandomStream random(1);
  for (auto _ : state) {
    ToyEvent event = model.Sample(random);
    benchmark::DoNotOptimize(event);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(ToySample);

void ToySampleAndWrite(benchmark::State& state) {
  const ToyModel model(ToyModel::AllParameters());
  const std::vector<NamedBenchmark> benchmarks = OptimisedMorphingBenchmarks(
      {"c1", "c2"}, ParameterRanges(2, ParameterRange{-1.0, 1.0}), 1);
  const std::int64_t num_events = state.range(0);
  const std::string path = ScratchFile("toy.hepmc3");
  std::uint64_t seed = 1;
  for (auto _ : state) {
    const EventFileResult result =
        WriteToyEventFile(path, model, benchmarks, num_events, seed++);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * num_events);
  std::filesystem::remove(path);
}
BENCHMARK(ToySampleAndWrite)->Arg(20000)->Unit(benchmark::kMillisecond);

void ToyExactLikelihoodRatio(benchmark::State& state) {
  const ToyModel model(ToyModel::AllParameters());
  RandomStream random(2);
  const Eigen::Vector2d theta0(0.5, -0.3);
  const Eigen::Vector2d theta1(0.0, 0.0);
  for (auto _ : state) {
    const ToyEvent event = model.Sample(random);
    benchmark::DoNotOptimize(
        model.LikelihoodRatio(event.observation, theta0, theta1));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(ToyExactLikelihoodRatio);

}  // namespace
}  // namespace goldmine::generators

BENCHMARK_MAIN();
