// Hot paths of morphing/: weights and gradients for 10^6 θ points, and the
// basis optimiser against MadMiner's random search (same number of trials).
//
//   build/release/bench/morphing_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one command line)
//
// items_per_second is θ points per second. The optimiser benchmarks report
// the exact E[Σw²] of the chosen basis as the counter "objective" (lower is
// better); MadMiner's own choice is scored with the same exact objective.
#include <benchmark/benchmark.h>

#include "goldmine/core/random.h"
#include "goldmine/morphing/basis_optimizer.h"
#include "goldmine/morphing/morpher.h"
#include "goldmine/morphing/sum_squared_weights.h"

namespace goldmine::morphing {
namespace {

constexpr int kNumThetas = 1000000;
// θ are processed in chunks: 10^6 points × 126 benchmarks would be 1 GB.
constexpr int kChunk = 4096;

Components ComponentsFor(int num_parameters, int max_power) {
  return Components::FromMaxPowers(std::vector<int>(num_parameters, max_power),
                                   max_power);
}

Eigen::MatrixXd UniformPoints(int n, int num_parameters, std::uint64_t seed) {
  RandomStream random(seed);
  Eigen::MatrixXd points(n, num_parameters);
  for (int i = 0; i < n; ++i) {
    for (int p = 0; p < num_parameters; ++p)
      points(i, p) = random.Uniform(-1.0, 1.0);
  }
  return points;
}

// Arguments: number of parameters, max power (2: one vertex; 4: production ×
// decay).
void BM_WeightsAndGradients(benchmark::State& state) {
  const int num_parameters = static_cast<int>(state.range(0));
  const Components components =
      ComponentsFor(num_parameters, static_cast<int>(state.range(1)));
  BasisOptimizerOptions options;
  options.n_trials = 20;
  options.n_refined = 1;
  const ParameterRanges ranges(num_parameters, ParameterRange{-1.0, 1.0});
  const Morpher morpher(
      components,
      OptimizeBasis(
          components, ranges, Eigen::MatrixXd(0, num_parameters), options)
          .basis);
  const Eigen::MatrixXd chunk = UniformPoints(kChunk, num_parameters, 1);
  for (auto _ : state) {
    for (int done = 0; done < kNumThetas; done += kChunk) {
      const Eigen::MatrixXd weights = morpher.WeightsBatch(chunk);
      const std::vector<Eigen::MatrixXd> gradients =
          morpher.WeightGradientsBatch(chunk);
      benchmark::DoNotOptimize(weights.data());
      benchmark::DoNotOptimize(gradients.front().data());
    }
  }
  const int rounded = (kNumThetas + kChunk - 1) / kChunk * kChunk;
  state.SetItemsProcessed(state.iterations() * rounded);
  state.counters["components"] = components.num_components();
  state.counters["condition_number"] = morpher.condition_number();
}
BENCHMARK(BM_WeightsAndGradients)
    ->Args({2, 2})
    ->Args({3, 2})
    ->Args({5, 2})
    ->Args({2, 4})
    ->Args({5, 4})
    ->Unit(benchmark::kMillisecond);

// Set-ups for the optimiser comparison: (parameters, max power), ranges
// [-1, 1], the SM as a fixed benchmark, 100 trials as MadMiner's default.
void SetUpComparison(const benchmark::State& state,
                     Components* components,
                     ParameterRanges* ranges) {
  const int num_parameters = static_cast<int>(state.range(0));
  *components = ComponentsFor(num_parameters, static_cast<int>(state.range(1)));
  *ranges = ParameterRanges(num_parameters, ParameterRange{-1.0, 1.0});
}

void BM_OptimizeBasis(benchmark::State& state) {
  Components components = ComponentsFor(1, 1);
  ParameterRanges ranges;
  SetUpComparison(state, &components, &ranges);
  const Eigen::MatrixXd sm =
      Eigen::MatrixXd::Zero(1, components.num_parameters());
  BasisOptimizerOptions options;
  options.seed = static_cast<std::uint64_t>(state.range(2));
  double objective = 0.0;
  for (auto _ : state)
    objective = OptimizeBasis(components, ranges, sm, options).objective;
  state.counters["objective"] = objective;
}

void BM_MadMinerRandomSearch(benchmark::State& state) {
  Components components = ComponentsFor(1, 1);
  ParameterRanges ranges;
  SetUpComparison(state, &components, &ranges);
  const Eigen::MatrixXd sm =
      Eigen::MatrixXd::Zero(1, components.num_parameters());
  const ExpectedSumSquaredWeights exact(components, ranges);
  double objective = 0.0;
  for (auto _ : state) {
    const auto result =
        MadMinerRandomSearch(components,
                             ranges,
                             sm,
                             100,
                             100,
                             static_cast<std::uint64_t>(state.range(2)));
    objective = exact.Value(result.basis);
  }
  state.counters["objective"] = objective;
}

// Arguments: parameters, max power, seed.
#define GOLDMINE_COMPARISON(benchmark_function) \
  BENCHMARK(benchmark_function)                 \
      ->ArgsProduct({{2}, {2}, {1, 2, 3}})      \
      ->ArgsProduct({{3}, {2}, {1, 2, 3}})      \
      ->ArgsProduct({{2}, {4}, {1, 2, 3}})      \
      ->ArgsProduct({{5}, {2}, {1, 2, 3}})      \
      ->Iterations(1)                           \
      ->Unit(benchmark::kMillisecond)
GOLDMINE_COMPARISON(BM_OptimizeBasis);
GOLDMINE_COMPARISON(BM_MadMinerRandomSearch);

}  // namespace
}  // namespace goldmine::morphing

BENCHMARK_MAIN();
