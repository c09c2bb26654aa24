// Learning curves of the likelihood-ratio estimators on the analytic toy
// (generators/toy_model.h, parameter c2, θ0 ~ U(−1, 1) against θ1 = SM):
// mean squared error of log r̂ against the exact log r on 4000 test samples
// as a function of the number of training samples, for CARL (labels only)
// and RASCAL, ALICES (with the joint ratio and score, arXiv 1805.12244).
// Network (32,32) tanh, AMSGrad 3e-3 → 3e-4, batch 64, 30 epochs,
// validation split 0.2 with early stopping, 1 thread. Every point is
// trained on three independent samples (seeds 1, 2, 3 for data and
// weights); counters: mean, min and max of the error over them, and the
// variance of the exact log r for scale. Arguments: method, samples.
//   ./bench/estimators_toy_benchmark
#include <benchmark/benchmark.h>

#include <algorithm>
#include <limits>

#include "estimators/toy_samples.h"
#include "goldmine/estimators/estimator.h"

namespace est = goldmine::estimators;

namespace {

constexpr int kSeeds = 3;

struct TestSet {
  goldmine::generators::ToyModel model = est::toy::RatioToyModel();
  est::TrainingData samples = est::toy::ToyRatioSamples(model, 4000, 1000);
  Eigen::VectorXd exact_log_r = est::toy::ToyExactLogRatio(model, samples);
};

const TestSet& Test() {
  static const TestSet test;
  return test;
}

void BM_LearningCurve(benchmark::State& state) {
  const auto method = static_cast<est::Method>(state.range(0));
  const int n = static_cast<int>(state.range(1));
  const TestSet& test = Test();
  est::NetworkConfig network;
  network.hidden = {32, 32};
  network.activation = est::Activation::kTanh;
  double sum = 0.0;
  double low = std::numeric_limits<double>::infinity();
  double high = 0.0;
  for (auto _ : state) {
    sum = 0.0;
    for (int seed = 1; seed <= kSeeds; ++seed) {
      state.PauseTiming();
      const est::TrainingData data = est::toy::ToyRatioSamples(
          test.model, n, static_cast<std::uint64_t>(seed));
      state.ResumeTiming();
      est::TrainingConfig training;
      training.epochs = 30;
      training.batch_size = 64;
      training.initial_lr = 3e-3;
      training.final_lr = 3e-4;
      training.validation_split = 0.2;
      training.seed = static_cast<std::uint64_t>(seed);
      training.threads = 1;
      const auto estimator =
          est::RatioEstimator::Train(method, data, network, training);
      const double mse =
          est::toy::LogRatioMse(estimator, test.samples, test.exact_log_r);
      sum += mse;
      low = std::min(low, mse);
      high = std::max(high, mse);
    }
  }
  state.SetLabel(est::MethodName(method));
  state.counters["mse_mean"] = sum / kSeeds;
  state.counters["mse_min"] = low;
  state.counters["mse_max"] = high;
  state.counters["var_log_r"] = est::toy::Variance(test.exact_log_r);
}

void Arguments(benchmark::internal::Benchmark* benchmark) {
  for (const est::Method method :
       {est::Method::kCarl, est::Method::kRascal, est::Method::kAlices}) {
    for (const int n : {1000, 3000, 10000, 30000})
      benchmark->Args({static_cast<int>(method), n});
  }
}

BENCHMARK(BM_LearningCurve)
    ->Apply(Arguments)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
