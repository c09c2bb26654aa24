// How good is a likelihood surrogate? (issue 18, docs/surrogates.md) Signal
// yields the surrogate was not trained on are drawn around the workspace's
// signal points (the random scheme of surrogate_training_set.h, with seeds of
// their own, overall sizes from 0.05 to 1.2 times each point's scale), and
// for each the surrogate's CLs at μ = 1 is compared with pyhf's asymptotic
// qtilde CLs of the full likelihood: the workspace with that signal
// (YieldLikelihood::SignalWorkspace), fitted by goldmine's HistFactory
// engine. Upper limits are compared on the first num_limits points.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "goldmine/core/regression_function.h"
#include "goldmine/inference/likelihood_surrogate.h"
#include "goldmine/inference/surrogate_training_set.h"
#include "goldmine/inference/yield_likelihood.h"

namespace goldmine::inference {

struct SurrogateValidationOptions {
  int num_points = 200;
  int num_limits = 20;
  double shape_spread = 0.3;
  std::uint64_t seed = 1001;
  int threads = 1;
  double level = 0.05;  // CLs level of the exclusion decisions and limits
  std::function<void(int, int)> progress;  // (points done, total)
};

struct SurrogateValidationPoint {
  Eigen::VectorXd signal;
  double cls_full = 0.0, cls_surrogate = 0.0;
  // Expected (median) CLs.
  double cls_expected_full = 0.0, cls_expected_surrogate = 0.0;
  bool has_limit = false;
  double limit_full = 0.0, limit_surrogate = 0.0;  // observed
  double expected_limit_full = 0.0, expected_limit_surrogate = 0.0;
  bool converged = true;  // the full fits and the surrogate's limit
};

struct SurrogateValidation {
  std::vector<SurrogateValidationPoint> points;
  // Over the points with full CLs in [0.01, 0.5] (observed and expected).
  int num_in_range = 0;
  double max_abs_delta_cls = 0.0;
  double fraction_within_0_02 = 0.0;
  // Same exclusion decision (CLs < level) from both, observed CLs.
  double decision_agreement = 0.0;
  // |limit_surrogate / limit_full − 1| over the points with limits,
  // observed and expected.
  double max_relative_limit_difference = 0.0;
  double median_relative_limit_difference = 0.0;
  double fraction_limits_within_5_percent = 0.0;
  // Median seconds per CLs evaluation (one thread).
  double seconds_per_full_cls = 0.0;
  double seconds_per_surrogate_cls = 0.0;
  // Median seconds per likelihood value: one profiled fit of the yields-only
  // likelihood against one network call of one row.
  double seconds_per_profiled_fit = 0.0;
  double seconds_per_surrogate_evaluation = 0.0;
  int num_unconverged = 0;  // points left out of the statistics
};

// Validates `surrogate`, described by `description` and read from
// `surrogate_source`, against `likelihood`, the yields-only likelihood of the
// workspace `workspace_source` (the sources name the files in messages).
// Each signal point's scale is its SignalScale (surrogate_training_set.h)
// at the Asimov test statistic the surrogate was trained to
// (description.TrainedMaxTestStatistic()). Throws InvalidInput when the
// surrogate's inputs are not the likelihood's signal channels, as
// SignalScale, for no signal point and for invalid options.
SurrogateValidation ValidateSurrogate(
    const core::RegressionFunction& surrogate,
    const SurrogateDescription& description,
    const YieldLikelihood& likelihood,
    const std::vector<Eigen::VectorXd>& signal_points,
    const SurrogateValidationOptions& options,
    const std::string& surrogate_source,
    const std::string& workspace_source);

}  // namespace goldmine::inference
