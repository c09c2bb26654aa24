// Matrix Element Method cost (issue 16): events integrated per second on one
// core, for the analytic toy and the built-in WH (parton level and with the
// wh-1908.06980 b-energy smearing), at the precisions the tests use.
// Observations are drawn from the generators themselves (200 per case,
// cycled), so no events file is read: this is the integration alone.
//
//   build/release/bench/mem_benchmark --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "goldmine/core/random.h"
#include "goldmine/generators/builtin_pdf.h"
#include "goldmine/generators/toy_model.h"
#include "goldmine/generators/wh_generator.h"
#include "goldmine/mem/mem_computation.h"
#include "goldmine/mem/toy_process.h"
#include "goldmine/mem/wh_process.h"

namespace goldmine::mem {
namespace {

constexpr int kObservations = 200;

std::vector<std::vector<double>> ToyObservations() {
  const generators::ToyModel model({"c1", "c2"});
  RandomStream random(1);
  std::vector<std::vector<double>> observations;
  for (int i = 0; i < kObservations; ++i) {
    const generators::ToyEvent event = model.Sample(random);
    observations.push_back(
        {event.observation.pt, event.observation.dphi, event.observation.eta});
  }
  return observations;
}

// l[0] (px, py, pz, charge), b[0], b[1] (px, py, pz), b energies smeared by
// `resolution` (directions kept), as mining's wh-1908.06980 preset.
std::vector<std::vector<double>> WhObservations(double resolution) {
  generators::WhGeneratorSettings settings;
  settings.operators = {generators::WhOperator::kHW,
                        generators::WhOperator::kHq3};
  const generators::WhGenerator generator(
      settings, std::make_shared<generators::BuiltinPdf>());
  RandomStream random(2);
  std::vector<std::vector<double>> observations;
  while (static_cast<int>(observations.size()) < kObservations) {
    const generators::WhEvent event = generator.Sample(random);
    if (!(event.polynomial.sm > 0.0)) continue;
    std::vector<double> x = {event.lepton[1],
                             event.lepton[2],
                             event.lepton[3],
                             event.w_charge > 0 ? 1.0 : -1.0};
    for (const generators::FourMomentum& b : {event.bottom, event.antibottom}) {
      const double scale = 1.0 + resolution * random.Normal();
      if (!(scale > 0.0)) continue;
      x.insert(x.end(), {b[1] * scale, b[2] * scale, b[3] * scale});
    }
    if (x.size() == 10) observations.push_back(x);
  }
  return observations;
}

void Integrate(benchmark::State& state,
               const Process& process,
               const std::vector<std::vector<double>>& observations,
               double precision) {
  VegasSettings settings;
  settings.relative_precision = precision;
  std::size_t next = 0;
  std::int64_t calls = 0;
  for (auto _ : state) {
    const VegasResult result = IntegrateObservation(
        process, observations[next % observations.size()], settings, next);
    calls += result.calls;
    benchmark::DoNotOptimize(result.value.data());
    ++next;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["calls_per_event"] =
      static_cast<double>(calls) / static_cast<double>(state.iterations());
}

void BM_ToyMem(benchmark::State& state) {
  static const ToyProcess process({"c1", "c2"});
  static const auto observations = ToyObservations();
  Integrate(state, process, observations, 1.0 / state.range(0));
}
BENCHMARK(BM_ToyMem)->Arg(100)->Arg(333)->Unit(benchmark::kMillisecond);

void BM_WhPartonMem(benchmark::State& state) {
  static const auto process = WhProcess::WithDefaults({"cHW", "cHq3"});
  static const auto observations = WhObservations(0.0);
  Integrate(state, *process, observations, 1.0 / state.range(0));
}
BENCHMARK(BM_WhPartonMem)->Arg(100)->Arg(333)->Unit(benchmark::kMillisecond);

void BM_WhSmearedMem(benchmark::State& state) {
  static const auto process = WhProcess::WithDefaults(
      {"cHW", "cHq3"}, WhTransfer::ForDetector("wh-1908.06980"));
  static const auto observations = WhObservations(0.10);
  Integrate(state, *process, observations, 1.0 / state.range(0));
}
BENCHMARK(BM_WhSmearedMem)->Arg(100)->Arg(333)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace goldmine::mem

BENCHMARK_MAIN();
