#include "goldmine/inference/surrogate_validation.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/inference/hypotest.h"

namespace goldmine::inference {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// The full-likelihood results of one point.
void FitPoint(const YieldLikelihood& likelihood,
              bool with_limit,
              double level,
              SurrogateValidationPoint* point,
              double* seconds_per_cls) {
  const Model model(likelihood.SignalWorkspace(point->signal),
                    likelihood.model().options());
  const auto start = Clock::now();
  const HypotestResult test = Hypotest(model, model.observed_data(), 1.0);
  *seconds_per_cls = Seconds(start);
  point->cls_full = test.cls_obs;
  point->cls_expected_full = test.cls_expected[2];
  point->converged = test.converged;
  if (with_limit) {
    UpperLimitOptions options;
    options.level = level;
    const UpperLimitResult limit =
        UpperLimit(model, model.observed_data(), options);
    point->has_limit = true;
    point->limit_full = limit.observed;
    point->expected_limit_full = limit.expected[2];
    point->converged = point->converged && limit.converged;
  }
}

}  // namespace

SurrogateValidation ValidateSurrogate(
    const core::RegressionFunction& surrogate,
    const SurrogateDescription& description,
    const YieldLikelihood& likelihood,
    const std::vector<Eigen::VectorXd>& signal_points,
    const SurrogateValidationOptions& options,
    const std::string& surrogate_source,
    const std::string& workspace_source) {
  if (likelihood.signal_channels() != description.channels) {
    throw InvalidInput(
        surrogate_source + ": its inputs are not the signal channels of " +
        workspace_source + "; is this the workspace it was trained on?");
  }
  std::vector<double> scales;
  for (const Eigen::VectorXd& point : signal_points) {
    scales.push_back(
        SignalScale(likelihood, point, description.TrainedMaxTestStatistic()));
  }
  if (signal_points.empty()) {
    throw InvalidInput("surrogate validation: no signal point");
  }
  if (options.num_points < 1 || options.num_limits < 0 || options.threads < 1) {
    throw InvalidInput(
        "surrogate validation: needs points >= 1, limits >= 0, threads >= 1");
  }
  if (description.num_inputs() != likelihood.num_inputs()) {
    throw InvalidInput("surrogate validation: the surrogate has " +
                       std::to_string(description.num_inputs()) +
                       " inputs, the workspace's signal channels have " +
                       std::to_string(likelihood.num_inputs()) +
                       "; is this the workspace it was trained on?");
  }
  SurrogateValidation validation;
  RandomStream random(options.seed);
  const double spread = options.shape_spread;
  for (int n = 0; n < options.num_points; ++n) {
    const auto k = static_cast<std::size_t>(random.Index(signal_points.size()));
    const double mu = scales[k] * random.Uniform(0.05, 1.2);
    Eigen::VectorXd z(likelihood.num_inputs());
    for (int i = 0; i < z.size(); ++i) z(i) = random.Normal();
    SurrogateValidationPoint point;
    point.signal =
        mu * signal_points[k].cwiseProduct(
                 (spread * z.array() - 0.5 * spread * spread).exp().matrix());
    validation.points.push_back(point);
  }

  // Full fits, in parallel (one model per point and thread).
  std::vector<double> full_seconds(validation.points.size());
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0};
  std::mutex mutex;
  std::exception_ptr failure;
  auto work = [&]() {
    for (std::size_t i = next++; i < validation.points.size(); i = next++) {
      try {
        FitPoint(likelihood,
                 static_cast<int>(i) < options.num_limits,
                 options.level,
                 &validation.points[i],
                 &full_seconds[i]);
        const int count = ++done;
        std::lock_guard<std::mutex> lock(mutex);
        if (options.progress) options.progress(count, options.num_points);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure) failure = std::current_exception();
        next = validation.points.size();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < options.threads; ++t) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);

  std::vector<double> surrogate_seconds;
  std::vector<double> limit_differences;
  int within = 0;
  int agree = 0;
  int decided = 0;
  for (SurrogateValidationPoint& point : validation.points) {
    const auto start = Clock::now();
    const HypotestResult test =
        SurrogateHypotest(surrogate, description, point.signal, 1.0);
    surrogate_seconds.push_back(Seconds(start));
    point.cls_surrogate = test.cls_obs;
    point.cls_expected_surrogate = test.cls_expected[2];
    if (point.has_limit) {
      const UpperLimitResult limit = SurrogateUpperLimit(
          surrogate, description, point.signal, options.level);
      point.limit_surrogate = limit.observed;
      point.expected_limit_surrogate = limit.expected[2];
      point.converged = point.converged && limit.converged;
    }
    if (!point.converged) {
      ++validation.num_unconverged;
      continue;
    }
    ++decided;
    if ((point.cls_full < options.level) ==
        (point.cls_surrogate < options.level)) {
      ++agree;
    }
    const std::pair<double, double> pairs[] = {
        {point.cls_full, point.cls_surrogate},
        {point.cls_expected_full, point.cls_expected_surrogate}};
    for (const auto& [full, approximate] : pairs) {
      if (full < 0.01 || full > 0.5) continue;
      ++validation.num_in_range;
      const double difference = std::abs(approximate - full);
      validation.max_abs_delta_cls =
          std::max(validation.max_abs_delta_cls, difference);
      if (difference <= 0.02) ++within;
    }
    if (point.has_limit) {
      limit_differences.push_back(
          std::abs(point.limit_surrogate / point.limit_full - 1.0));
      limit_differences.push_back(std::abs(
          point.expected_limit_surrogate / point.expected_limit_full - 1.0));
    }
  }
  if (validation.num_in_range > 0) {
    validation.fraction_within_0_02 =
        static_cast<double>(within) / validation.num_in_range;
  }
  if (decided > 0) {
    validation.decision_agreement = static_cast<double>(agree) / decided;
  }
  if (!limit_differences.empty()) {
    validation.max_relative_limit_difference =
        *std::max_element(limit_differences.begin(), limit_differences.end());
    validation.median_relative_limit_difference = Median(limit_differences);
    validation.fraction_limits_within_5_percent =
        static_cast<double>(std::count_if(limit_differences.begin(),
                                          limit_differences.end(),
                                          [](double d) { return d <= 0.05; })) /
        static_cast<double>(limit_differences.size());
  }
  // Per likelihood value, on (at most) the first 50 signals.
  std::vector<double> fit_seconds, evaluation_seconds;
  for (std::size_t i = 0; i < validation.points.size() && i < 50; ++i) {
    const Eigen::VectorXd& signal = validation.points[i].signal;
    auto start = Clock::now();
    likelihood.ProfiledTwiceNllDifference(signal);  // two fits
    fit_seconds.push_back(0.5 * Seconds(start));
    start = Clock::now();
    surrogate.Evaluate(signal.transpose());
    evaluation_seconds.push_back(Seconds(start));
  }
  validation.seconds_per_profiled_fit = Median(fit_seconds);
  validation.seconds_per_surrogate_evaluation = Median(evaluation_seconds);
  validation.seconds_per_full_cls = Median(full_seconds);
  validation.seconds_per_surrogate_cls = Median(surrogate_seconds);
  return validation;
}

}  // namespace goldmine::inference
