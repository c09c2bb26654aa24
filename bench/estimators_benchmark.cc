// Training speed of the estimators in PERFORMANCE.md's configuration, to
// compare with MadMiner (SALLY: 8.7 s at its best, OpenBLAS, 1 thread):
// hidden (100,100) tanh, 10^5 samples, 5 epochs, batch 128, AMSGrad,
// validation split 0.25, float32. Arguments: threads. Counters: seconds per
// epoch and the final validation loss.
//   ./bench/estimators_benchmark --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <cmath>

#include "goldmine/core/random.h"
#include "goldmine/estimators/estimator.h"

namespace est = goldmine::estimators;

namespace {

constexpr int kSamples = 100000;
constexpr int kEpochs = 5;

// 4 observables, 2 parameters: x_i = z_i + ε_i, z ~ N(θ·a_i, 1); joint
// score t_j(x,z|θ) = Σ_i a_ij (z_i − θ·a_i); ratio samples at θ0 ~ U(−1, 1)²
// against θ1 = 0.
est::TrainingData Toy(bool ratio) {
  goldmine::RandomStream random(42);
  const double a[4][2] = {{1.0, 0.0}, {0.0, 1.0}, {0.5, 0.5}, {0.3, -0.7}};
  est::TrainingData data;
  data.x.resize(kSamples, 4);
  data.t_xz.resize(kSamples, 2);
  if (ratio) {
    data.theta0.resize(kSamples, 2);
    data.y.resize(kSamples, 1);
    data.r_xz.resize(kSamples, 1);
  }
  for (int n = 0; n < kSamples; ++n) {
    double theta[2] = {0.0, 0.0};
    const bool numerator = !ratio || n % 2 == 0;
    if (ratio) {
      theta[0] = random.Uniform(-1.0, 1.0);
      theta[1] = random.Uniform(-1.0, 1.0);
    }
    double log_r = 0.0;
    double t[2] = {0.0, 0.0};
    for (int i = 0; i < 4; ++i) {
      const double mean0 = a[i][0] * theta[0] + a[i][1] * theta[1];
      const double z = random.Normal() + (numerator ? mean0 : 0.0);
      data.x(n, i) = z + random.Normal();
      log_r += -0.5 * (z - mean0) * (z - mean0) + 0.5 * z * z;
      for (int j = 0; j < 2; ++j) t[j] += a[i][j] * (z - mean0);
    }
    data.t_xz(n, 0) = t[0];
    data.t_xz(n, 1) = t[1];
    if (ratio) {
      data.theta0(n, 0) = theta[0];
      data.theta0(n, 1) = theta[1];
      data.y(n, 0) = numerator ? 0.0 : 1.0;
      data.r_xz(n, 0) = std::exp(log_r);
    }
  }
  return data;
}

void Train(benchmark::State& state, est::Method method) {
  const bool ratio = !est::IsScoreMethod(method);
  const est::TrainingData data = Toy(ratio);
  est::NetworkConfig network;
  network.hidden = {100, 100};
  network.activation = est::Activation::kTanh;
  est::TrainingConfig training;
  training.optimizer = est::Optimizer::kAmsgrad;
  training.epochs = kEpochs;
  training.batch_size = 128;
  training.validation_split = 0.25;
  training.early_stopping = true;
  training.threads = static_cast<int>(state.range(0));
  double validation_loss = 0.0;
  for (auto _ : state) {
    if (ratio) {
      const auto estimator =
          est::RatioEstimator::Train(method, data, network, training);
      validation_loss = estimator.histories()[0].validation_loss.back();
    } else {
      const auto estimator =
          est::ScoreEstimator::Train(method, data, network, training);
      validation_loss = estimator.histories()[0].validation_loss.back();
    }
  }
  state.counters["s_per_epoch"] =
      benchmark::Counter(kEpochs,
                         benchmark::Counter::kIsIterationInvariantRate |
                             benchmark::Counter::kInvert);
  state.counters["validation_loss"] = validation_loss;
}

void BM_TrainSally(benchmark::State& state) {
  Train(state, est::Method::kSally);
}
void BM_TrainAlices(benchmark::State& state) {
  Train(state, est::Method::kAlices);
}

BENCHMARK(BM_TrainSally)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK(BM_TrainAlices)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
