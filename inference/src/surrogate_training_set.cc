#include "goldmine/inference/surrogate_training_set.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <sstream>
#include <thread>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"

namespace goldmine::inference {
namespace {

constexpr int kRandomBlock = 64;  // random points per unit of work
constexpr double kScaleMargin = 1.2;

// A seed per unit of work (splitmix64 of the user's seed, the kind of unit
// and its index): independent streams whatever the thread count.
std::uint64_t UnitSeed(std::uint64_t seed,
                       std::uint64_t kind,
                       std::uint64_t i) {
  return MixSeed(seed ^ (kind * 0x9e3779b97f4a7c15ULL) ^
                 ((i + 1) * 0xbf58476d1ce4e5b9ULL));
}

struct LabelledPoint {
  Eigen::VectorXd signal;
  YieldLikelihood::Value value;
};

// s = μ s_k ∘ exp(σ z − σ²/2).
Eigen::VectorXd Yields(const Eigen::VectorXd& point,
                       double mu,
                       const Eigen::VectorXd& z,
                       double spread) {
  return mu * point.cwiseProduct(
                  (spread * z.array() - 0.5 * spread * spread).exp().matrix());
}

struct Sampler {
  const YieldLikelihood& likelihood;
  const std::vector<Eigen::VectorXd>& points;
  const std::vector<double>& scales;
  const SurrogateSamplingOptions& options;

  LabelledPoint Label(Eigen::VectorXd signal) const {
    LabelledPoint labelled{std::move(signal), {}};
    labelled.value = likelihood.ProfiledTwiceNllDifference(labelled.signal);
    return labelled;
  }

  Eigen::VectorXd Normals(RandomStream& random) const {
    Eigen::VectorXd z(likelihood.num_inputs());
    for (int i = 0; i < z.size(); ++i) z(i) = random.Normal();
    return z;
  }

  std::vector<LabelledPoint> RandomBlock(std::uint64_t seed, int size) const {
    RandomStream random(seed);
    std::vector<LabelledPoint> block;
    for (int n = 0; n < size; ++n) {
      const auto k = static_cast<std::size_t>(random.Index(points.size()));
      const double mu = random.Uniform(0.0, kScaleMargin * scales[k]);
      block.push_back(
          Label(Yields(points[k], mu, Normals(random), options.shape_spread)));
    }
    return block;
  }

  std::vector<LabelledPoint> Chain(std::uint64_t seed, int length) const {
    RandomStream random(seed);
    const auto k = static_cast<std::size_t>(random.Index(points.size()));
    const double top = kScaleMargin * scales[k];
    Eigen::VectorXd z = Normals(random);
    double mu = random.Uniform(0.0, top);
    auto log_target = [&](const Eigen::VectorXd& z_value,
                          const LabelledPoint& labelled) {
      return -0.5 * z_value.squaredNorm() -
             labelled.value.observed / (2.0 * options.temperature);
    };
    std::vector<LabelledPoint> chain;
    chain.push_back(Label(Yields(points[k], mu, z, options.shape_spread)));
    double current = log_target(z, chain.back());
    while (static_cast<int>(chain.size()) < length) {
      const Eigen::VectorXd z_next = z + 0.5 * Normals(random);
      double mu_next = mu + 0.15 * top * random.Normal();
      mu_next = std::abs(mu_next);  // reflected at 0: symmetric proposal
      const double u = random.Uniform();
      if (mu_next > top) continue;  // outside the target's support
      chain.push_back(
          Label(Yields(points[k], mu_next, z_next, options.shape_spread)));
      const double next = log_target(z_next, chain.back());
      if (chain.back().value.converged && std::log(u) < next - current) {
        z = z_next;
        mu = mu_next;
        current = next;
      }
    }
    return chain;
  }
};

}  // namespace

std::string SurrogateSamplingOptions::Validate() const {
  std::ostringstream problems;
  if (num_points < 10) problems << "num_points must be >= 10; ";
  if (!(mcmc_fraction >= 0 && mcmc_fraction <= 1)) {
    problems << "mcmc_fraction must lie in [0, 1]; ";
  }
  if (!(shape_spread >= 0 && shape_spread <= 3)) {
    problems << "shape_spread must lie in [0, 3]; ";
  }
  if (!(max_test_statistic > 0 && max_test_statistic < 1e4)) {
    problems << "max_test_statistic must lie in (0, 1e4); ";
  }
  if (!(temperature > 0)) problems << "temperature must be > 0; ";
  if (chain_length < 2) problems << "chain_length must be >= 2; ";
  if (threads < 1) problems << "threads must be >= 1; ";
  std::string text = problems.str();
  if (!text.empty()) text.resize(text.size() - 2);
  return text;
}

double SignalScale(const YieldLikelihood& likelihood,
                   const Eigen::VectorXd& signal_point,
                   double max_test_statistic) {
  if (!(signal_point.maxCoeff() > 0)) {
    throw InvalidInput("a signal point has no positive yield");
  }
  // Δ_asimov(μ s) grows from 0 at μ = 0: bracket the target by doubling or
  // halving, then bisect in log μ (to a few per cent: the scale only sets
  // the sampling range).
  auto q = [&](double mu) {
    return likelihood.ProfiledTwiceNllDifference(mu * signal_point).asimov;
  };
  double low = 1.0;
  double high = 1.0;
  if (q(1.0) < max_test_statistic) {
    for (int i = 0; i < 80 && q(high) < max_test_statistic; ++i) high *= 2;
    low = high / 2;
  } else {
    for (int i = 0; i < 80 && q(low) >= max_test_statistic; ++i) low /= 2;
    high = low * 2;
  }
  if (!(q(high) >= max_test_statistic)) {
    throw InvalidInput(
        "a signal point's test statistic does not grow with its size: the "
        "workspace is not sensitive to it");
  }
  for (int i = 0; i < 6; ++i) {
    const double middle = std::sqrt(low * high);
    (q(middle) < max_test_statistic ? low : high) = middle;
  }
  return high;
}

Eigen::VectorXd SurrogateTrainingWeights(const SurrogateTrainingSet& set) {
  return (0.5 + set.targets.col(1).array().max(0.0)).inverse().matrix();
}

SurrogateTrainingSet SampleSurrogateTrainingSet(
    const YieldLikelihood& likelihood,
    const std::vector<Eigen::VectorXd>& signal_points,
    const SurrogateSamplingOptions& options) {
  const std::string problems = options.Validate();
  if (!problems.empty()) throw InvalidInput("surrogate sampling: " + problems);
  if (signal_points.empty()) {
    throw InvalidInput("surrogate sampling: no signal point");
  }
  SurrogateTrainingSet set;
  for (const Eigen::VectorXd& point : signal_points) {
    set.scales.push_back(
        SignalScale(likelihood, point, options.max_test_statistic));
  }
  const Sampler sampler{likelihood, signal_points, set.scales, options};

  // Units of work: chains first, then random blocks.
  const int num_mcmc =
      static_cast<int>(std::lround(options.mcmc_fraction * options.num_points));
  const int num_random = options.num_points - num_mcmc;
  struct Unit {
    bool chain;
    std::uint64_t index;
    int size;
  };
  std::vector<Unit> units;
  for (int done = 0, i = 0; done < num_mcmc; ++i) {
    const int size = std::min(options.chain_length, num_mcmc - done);
    units.push_back({true, static_cast<std::uint64_t>(i), size});
    done += size;
  }
  for (int done = 0, i = 0; done < num_random; ++i) {
    const int size = std::min(kRandomBlock, num_random - done);
    units.push_back({false, static_cast<std::uint64_t>(i), size});
    done += size;
  }

  std::vector<std::vector<LabelledPoint>> results(units.size());
  std::atomic<std::size_t> next{0};
  std::atomic<int> labelled{0};
  std::mutex progress_mutex;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&]() {
    for (std::size_t u = next++; u < units.size(); u = next++) {
      try {
        const Unit& unit = units[u];
        results[u] =
            unit.chain ? sampler.Chain(UnitSeed(options.seed, 1, unit.index),
                                       unit.size)
                       : sampler.RandomBlock(
                             UnitSeed(options.seed, 2, unit.index), unit.size);
        const int done = labelled += unit.size;
        if (options.progress) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          options.progress(done, options.num_points);
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = units.size();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < options.threads; ++t) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);

  std::vector<const LabelledPoint*> kept;
  for (const auto& unit : results) {
    for (const LabelledPoint& point : unit) {
      if (point.value.converged && std::isfinite(point.value.observed) &&
          std::isfinite(point.value.asimov)) {
        kept.push_back(&point);
      } else {
        ++set.num_dropped;
      }
    }
  }
  const int n = static_cast<int>(kept.size());
  const int d = likelihood.num_inputs();
  set.signal.resize(n, d);
  set.targets.resize(n, 2);
  for (int i = 0; i < n; ++i) {
    set.signal.row(i) = kept[i]->signal.transpose();
    set.targets(i, 0) = kept[i]->value.observed;
    set.targets(i, 1) = kept[i]->value.asimov;
  }
  if (n > 0) {
    set.lower = set.signal.colwise().minCoeff().transpose();
    set.upper = set.signal.colwise().maxCoeff().transpose();
  } else {
    set.lower = set.upper = Eigen::VectorXd::Zero(d);
  }
  return set;
}

}  // namespace goldmine::inference
