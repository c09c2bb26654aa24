#include "goldmine/inference/eft_profile_likelihood.h"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>

#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// True when some bin's expected count makes the Poisson term undefined.
bool Impossible(const Eigen::VectorXd& expected,
                const Eigen::VectorXd& observed) {
  for (Eigen::Index b = 0; b < expected.size(); ++b) {
    if (!(expected(b) >= 0.0) || (expected(b) == 0.0 && observed(b) > 0.0)) {
      return true;
    }
  }
  return false;
}

}  // namespace

double ChiSquaredPValue(double x, int dof) {
  if (!(x > 0.0)) return 1.0;
  if (std::isinf(x)) return 0.0;
  return boost::math::gamma_q(0.5 * dof, 0.5 * x);
}

double ProfiledTwiceNll(const BinnedEftModel& model,
                        const Eigen::VectorXd& theta,
                        const Eigen::VectorXd& observed,
                        const Eigen::VectorXd& start,
                        const FitOptions& options,
                        Eigen::VectorXd* fitted,
                        bool* converged) {
  const Model engine = model.ModelAt(theta, observed);
  Eigen::VectorXd data(observed.size() + engine.num_auxdata());
  data << observed, engine.auxdata();
  // Fixed parameters keep their inits; free ones start from `start`,
  // clamped into their bounds (a neighbour's fit may sit on a bound that
  // differs here only for fixed bins, so clamping is a no-op in practice).
  Eigen::VectorXd init = engine.inits();
  if (start.size() == init.size()) {
    for (Eigen::Index i = 0; i < init.size(); ++i) {
      if (engine.fixed()[static_cast<std::size_t>(i)]) continue;
      init(i) = std::clamp(
          start(i), engine.lower_bounds()(i), engine.upper_bounds()(i));
    }
  }
  if (Impossible(engine.ExpectedMainData(engine.inits()), observed)) {
    if (fitted != nullptr) *fitted = engine.inits();
    if (converged != nullptr) *converged = true;
    return kInfinity;
  }
  const FitResult fit = MinimizeTwiceNll(engine,
                                         data,
                                         init,
                                         engine.lower_bounds(),
                                         engine.upper_bounds(),
                                         engine.fixed(),
                                         options);
  if (fitted != nullptr) *fitted = fit.parameters;
  if (converged != nullptr) *converged = fit.converged;
  return std::isnan(fit.twice_nll) ? kInfinity : fit.twice_nll;
}

EftProfileResult ProfileOnGrid(const BinnedEftModel& model,
                               const Eigen::MatrixXd& grid,
                               const Eigen::VectorXd& observed,
                               const EftProfileOptions& options) {
  if (grid.rows() == 0 || grid.cols() != model.num_parameters()) {
    throw InvalidInput("profile grid is " + std::to_string(grid.rows()) +
                       " x " + std::to_string(grid.cols()) +
                       "; expected at least one point of " +
                       std::to_string(model.num_parameters()) + " parameters");
  }
  const std::string problems = options.fit.Validate();
  if (!problems.empty()) throw InvalidInput("fit options: " + problems);
  const Eigen::Index n = grid.rows();
  const Eigen::Index k =
      static_cast<Eigen::Index>(model.nuisance_parameter_names().size());
  EftProfileResult result;
  result.grid = grid;
  result.twice_nll.resize(n);
  result.nuisance_parameters.resize(n, k);
  result.nuisance_parameter_names = model.nuisance_parameter_names();
  result.converged.assign(static_cast<std::size_t>(n), false);
  // Grid spacing per parameter, so that "nearest" counts grid steps.
  Eigen::VectorXd scale = Eigen::VectorXd::Ones(grid.cols());
  for (Eigen::Index p = 0; p < grid.cols(); ++p) {
    const double range = grid.col(p).maxCoeff() - grid.col(p).minCoeff();
    if (range > 0.0) scale(p) = range;
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    // Warm start from the nearest profiled point with a finite result.
    Eigen::VectorXd start = model.nominal_nuisance_parameters();
    double best_distance = kInfinity;
    for (Eigen::Index j = 0; j < i; ++j) {
      if (!std::isfinite(result.twice_nll(j))) continue;
      const double distance =
          (grid.row(i) - grid.row(j)).cwiseQuotient(scale.transpose()).norm();
      if (distance < best_distance) {
        best_distance = distance;
        start = result.nuisance_parameters.row(j).transpose();
      }
    }
    Eigen::VectorXd fitted;
    bool converged = false;
    result.twice_nll(i) = ProfiledTwiceNll(model,
                                           grid.row(i).transpose(),
                                           observed,
                                           start,
                                           options.fit,
                                           &fitted,
                                           &converged);
    result.nuisance_parameters.row(i) = fitted.transpose();
    result.converged[static_cast<std::size_t>(i)] = converged;
    if (options.progress) {
      options.progress(static_cast<int>(i + 1), static_cast<int>(n));
    }
  }
  Eigen::Index best = 0;
  for (Eigen::Index i = 1; i < n; ++i) {
    if (result.twice_nll(i) < result.twice_nll(best)) best = i;
  }
  if (!std::isfinite(result.twice_nll(best))) {
    throw InvalidInput(
        "the likelihood is zero at every grid point (negative or zero "
        "expected counts in bins with observed events); check the grid");
  }
  result.best_index = static_cast<int>(best);
  result.best_fit = grid.row(best).transpose();
  result.minus_two_delta_log_l =
      result.twice_nll.array() - result.twice_nll(best);
  // Wilks counts the parameters the grid varies: a pinned parameter (one
  // value on the grid) is not fitted.
  result.dof = 0;
  for (Eigen::Index p = 0; p < grid.cols(); ++p)
    if (grid.col(p).maxCoeff() > grid.col(p).minCoeff()) ++result.dof;
  result.p_values.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    result.p_values(i) =
        result.dof == 0
            ? 1.0
            : ChiSquaredPValue(result.minus_two_delta_log_l(i), result.dof);
  }
  return result;
}

Eigen::MatrixXd MakeEftGrid(const std::vector<double>& lower,
                            const std::vector<double>& upper,
                            const std::vector<int>& points) {
  if (lower.empty() || lower.size() != upper.size() ||
      lower.size() != points.size()) {
    throw InvalidInput(
        "grid: give lower, upper and number of points for "
        "every parameter");
  }
  Eigen::Index total = 1;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const std::string where = "grid parameter " + std::to_string(p);
    if (points[p] < 1) {
      throw InvalidInput(where + ": needs at least 1 point, got " +
                         std::to_string(points[p]));
    }
    if (!std::isfinite(lower[p]) || !std::isfinite(upper[p]) ||
        lower[p] > upper[p] || (lower[p] == upper[p] && points[p] > 1)) {
      throw InvalidInput(where + ": range " + std::to_string(lower[p]) + ":" +
                         std::to_string(upper[p]) +
                         " must be finite and increasing");
    }
    total *= points[p];
  }
  const auto parameters = static_cast<Eigen::Index>(points.size());
  Eigen::MatrixXd grid(total, parameters);
  for (Eigen::Index i = 0; i < total; ++i) {
    Eigen::Index rest = i;
    for (Eigen::Index p = parameters - 1; p >= 0; --p) {
      const int count = points[static_cast<std::size_t>(p)];
      const Eigen::Index index = rest % count;
      rest /= count;
      const double lo = lower[static_cast<std::size_t>(p)];
      const double hi = upper[static_cast<std::size_t>(p)];
      grid(i, p) = count == 1 ? lo : lo + (hi - lo) * index / (count - 1);
    }
  }
  return grid;
}

}  // namespace goldmine::inference
