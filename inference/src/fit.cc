#include "goldmine/inference/fit.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <limits>
#include <nlopt.hpp>

#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

// Largest gradient component that could still lower twice_nll without
// leaving the box (components pushing against an active bound do not count).
double ProjectedGradient(const std::vector<double>& x,
                         const std::vector<double>& gradient,
                         const std::vector<double>& lower,
                         const std::vector<double>& upper) {
  double largest = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double tolerance = 1e-9 * std::max(1.0, std::abs(x[i]));
    if (x[i] <= lower[i] + tolerance && gradient[i] > 0) continue;
    if (x[i] >= upper[i] - tolerance && gradient[i] < 0) continue;
    largest = std::max(largest, std::abs(gradient[i]));
  }
  return largest;
}

// The fit works in x_i = (θ_i − θ0_i) / s_i over the free parameters only,
// with s_i the constraint width, so that all directions have curvature ~1.
class ScaledProblem {
 public:
  ScaledProblem(const Model& model,
                const Eigen::VectorXd& data,
                const Eigen::VectorXd& init,
                const std::vector<bool>& fixed)
      : model_(model), data_(data), full_(init) {
    Eigen::VectorXd widths = Eigen::VectorXd::Ones(model.num_parameters());
    for (const ParameterSet& set : model.parameter_sets()) {
      for (int i = 0; i < set.size; ++i) {
        if (set.constraint == ConstraintType::kGaussian) {
          widths(set.offset + i) = set.widths[i];
        } else if (set.constraint == ConstraintType::kPoisson) {
          widths(set.offset + i) = 1.0 / std::sqrt(set.widths[i]);
        }
      }
    }
    for (int p = 0; p < model.num_parameters(); ++p) {
      if (fixed[p]) continue;
      free_.push_back(p);
      double scale = widths(p);
      if (!(std::isfinite(scale) && scale > 0)) scale = 1.0;
      scales_.push_back(scale);
    }
  }

  int size() const { return static_cast<int>(free_.size()); }
  int free_parameter(int i) const { return free_[i]; }
  double scale(int i) const { return scales_[i]; }

  Eigen::VectorXd ToFull(const std::vector<double>& x) const {
    Eigen::VectorXd pars = full_;
    for (int i = 0; i < size(); ++i) pars(free_[i]) += x[i] * scales_[i];
    return pars;
  }
  double ToScaled(int i, double value) const {
    return (value - full_(free_[i])) / scales_[i];
  }

  // twice_nll and its gradient in scaled coordinates.
  double Evaluate(const std::vector<double>& x, std::vector<double>* grad) {
    ++evaluations_;
    const Eigen::VectorXd pars = ToFull(x);
    Eigen::VectorXd full_gradient;
    const double value = model_.TwiceNll(
        pars,
        data_,
        grad != nullptr && !grad->empty() ? &full_gradient : nullptr);
    if (grad != nullptr && !grad->empty()) {
      for (int i = 0; i < size(); ++i) {
        (*grad)[i] = full_gradient(free_[i]) * scales_[i];
      }
    }
    if (std::isfinite(value) && value < best_value_) {
      best_value_ = value;
      best_x_ = x;
      // Stop the running optimiser once the gradient criterion is met:
      // polishing further to NLopt's ftol costs evaluations and changes
      // twice_nll by less than the fit's precision.
      if (optimizer_ != nullptr && grad != nullptr && !grad->empty() &&
          ProjectedGradient(x, *grad, *lower_, *upper_) < stop_gradient_) {
        optimizer_->force_stop();
      }
    }
    return value;
  }

  // twice_nll along free parameter i through x, at scaled values `grid`.
  std::vector<double> Slice(const std::vector<double>& x,
                            int i,
                            const std::vector<double>& grid) {
    std::vector<double> values(grid.size());
    for (std::size_t k = 0; k < grid.size(); ++k) {
      values[k] = full_(free_[i]) + grid[k] * scales_[i];
    }
    ++evaluations_;
    return model_.TwiceNllSlice(ToFull(x), data_, free_[i], values);
  }

  // While `optimizer` runs, force it to stop at a new best point whose
  // projected gradient is below `threshold`; nullptr disables this.
  void StopWhenConverged(nlopt::opt* optimizer,
                         double threshold,
                         const std::vector<double>* lower,
                         const std::vector<double>* upper) {
    optimizer_ = optimizer;
    stop_gradient_ = threshold;
    lower_ = lower;
    upper_ = upper;
  }

  // Forget the best point so far (a new minimisation starts).
  void ResetBest() {
    best_value_ = std::numeric_limits<double>::infinity();
    best_x_.clear();
  }

  double best_value() const { return best_value_; }
  const std::vector<double>& best_x() const { return best_x_; }
  int evaluations() const { return evaluations_; }

 private:
  const Model& model_;
  const Eigen::VectorXd& data_;
  Eigen::VectorXd full_;
  std::vector<int> free_;
  std::vector<double> scales_;
  double best_value_ = std::numeric_limits<double>::infinity();
  std::vector<double> best_x_;
  int evaluations_ = 0;
  nlopt::opt* optimizer_ = nullptr;
  double stop_gradient_ = 0.0;
  const std::vector<double>* lower_ = nullptr;
  const std::vector<double>* upper_ = nullptr;
};

double Objective(const std::vector<double>& x,
                 std::vector<double>& grad,
                 void* problem) {
  return static_cast<ScaledProblem*>(problem)->Evaluate(x, &grad);
}

// Central differences of the analytic gradient, in scaled coordinates.
Eigen::MatrixXd ScaledHessian(ScaledProblem& problem,
                              const std::vector<double>& x) {
  constexpr double kStep = 1e-4;
  const int n = problem.size();
  Eigen::MatrixXd hessian(n, n);
  std::vector<double> up_gradient(n);
  std::vector<double> down_gradient(n);
  for (int i = 0; i < n; ++i) {
    std::vector<double> up = x;
    std::vector<double> down = x;
    up[i] += kStep;
    down[i] -= kStep;
    problem.Evaluate(up, &up_gradient);
    problem.Evaluate(down, &down_gradient);
    for (int j = 0; j < n; ++j) {
      hessian(j, i) = (up_gradient[j] - down_gradient[j]) / (2 * kStep);
    }
  }
  return 0.5 * (hessian + hessian.transpose());
}

// One local minimisation from `start`: rounds of the optimiser, repeated
// from the best point until twice_nll stops improving.
struct LocalFit {
  std::vector<double> x;
  double value = std::numeric_limits<double>::infinity();
  std::string stop_reason;
};

LocalFit MinimizeFrom(ScaledProblem& problem,
                      const std::vector<double>& start,
                      const std::vector<double>& lower,
                      const std::vector<double>& upper,
                      const FitOptions& options) {
  const int m = problem.size();
  LocalFit fit;
  problem.ResetBest();
  std::vector<double> gradient(m);
  fit.value = problem.Evaluate(start, &gradient);
  fit.x = start;
  if (!std::isfinite(fit.value)) {
    fit.stop_reason = "twice_nll is not finite at the initial parameters";
    return fit;
  }
  double previous = fit.value;
  for (int round = 0; round < options.max_rounds; ++round) {
    // Alternate algorithms after the first round: each can stall where the
    // other still makes progress.
    const bool use_lbfgs =
        (options.algorithm == FitAlgorithm::kLbfgs) == (round % 2 == 0);
    nlopt::opt optimizer(use_lbfgs ? nlopt::LD_LBFGS : nlopt::LD_SLSQP,
                         static_cast<unsigned>(m));
    optimizer.set_lower_bounds(lower);
    optimizer.set_upper_bounds(upper);
    optimizer.set_min_objective(Objective, &problem);
    optimizer.set_ftol_abs(1e-12);
    optimizer.set_xtol_rel(1e-12);
    optimizer.set_maxeval(options.max_evaluations);
    if (use_lbfgs) optimizer.set_vector_storage(std::min(m, 20));
    std::vector<double> x = problem.best_x();
    double value = 0.0;
    problem.StopWhenConverged(
        &optimizer, 1e-2 * options.gradient_tolerance, &lower, &upper);
    try {
      const nlopt::result status = optimizer.optimize(x, value);
      fit.stop_reason =
          "NLopt status " + std::to_string(static_cast<int>(status));
    } catch (const nlopt::forced_stop&) {
      fit.stop_reason = "projected gradient below " +
                        std::to_string(1e-2 * options.gradient_tolerance);
    } catch (const nlopt::roundoff_limited&) {
      fit.stop_reason = "NLopt stopped: roundoff limited";
    } catch (const std::exception& error) {
      fit.stop_reason = std::string("NLopt stopped: ") + error.what();
    }
    problem.StopWhenConverged(nullptr, 0.0, nullptr, nullptr);
    x = problem.best_x();
    problem.Evaluate(x, &gradient);
    const double projected = ProjectedGradient(x, gradient, lower, upper);
    const double best = problem.best_value();
    if (projected < 1e-2 * options.gradient_tolerance ||
        (round > 0 && previous - best < 1e-10)) {
      break;
    }
    previous = best;
  }
  fit.x = problem.best_x();
  fit.value = problem.best_value();
  return fit;
}

// A free parameter (scaled index) to slice and the scaled range of the slice.
struct SliceAxis {
  int index;
  double from;
  double to;
};

// Starting points in the other basins of the non-monotonic free parameters:
// the minima of a coarse slice of twice_nll along each of them through
// `best`, where the slice rises above both that minimum and twice_nll at
// `best` somewhere in between. Sorted by slice value.
std::vector<std::pair<double, std::vector<double>>> BasinStarts(
    ScaledProblem& problem,
    const std::vector<SliceAxis>& axes,
    const LocalFit& best) {
  constexpr double kStep = 0.2;  // grid spacing in constraint widths
  std::vector<std::pair<double, std::vector<double>>> starts;
  for (const SliceAxis& axis : axes) {
    const int i = axis.index;
    const double from = axis.from;
    const double to = axis.to;
    if (!(to > from)) continue;
    const int intervals =
        std::max(2, static_cast<int>(std::ceil((to - from) / kStep)));
    std::vector<double> grid(intervals + 1);
    for (int k = 0; k <= intervals; ++k) {
      grid[k] = from + (to - from) * k / intervals;
    }
    std::vector<double> values = problem.Slice(best.x, i, grid);
    for (double& value : values) {
      if (!std::isfinite(value))
        value = std::numeric_limits<double>::infinity();
    }
    std::vector<double> x = best.x;
    const double current = best.x[i];
    for (int k = 0; k <= intervals; ++k) {
      if (!std::isfinite(values[k])) continue;
      if (k > 0 && values[k - 1] < values[k]) continue;
      if (k < intervals && values[k + 1] < values[k]) continue;
      // A barrier between grid[k] and the current minimum?
      const double level = std::max(values[k], best.value) + 1e-9;
      bool barrier = false;
      for (int j = 0; j <= intervals && !barrier; ++j) {
        const bool between = (grid[j] - grid[k]) * (grid[j] - current) < 0;
        barrier = between && values[j] > level;
      }
      if (!barrier) continue;
      x[i] = grid[k];
      starts.emplace_back(values[k], x);
    }
  }
  std::sort(starts.begin(), starts.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  return starts;
}

// Different minima: their twice_nll differ visibly. (Points along a flat
// valley, with equal twice_nll, are one minimum.)
bool DistinctMinima(const LocalFit& a, const LocalFit& b) {
  return std::abs(a.value - b.value) > 1e-6 * std::max(1.0, std::abs(a.value));
}

}  // namespace

std::string FitOptions::Validate() const {
  std::string problems;
  auto add = [&](const std::string& problem) {
    problems += (problems.empty() ? "" : "; ") + problem;
  };
  if (!(gradient_tolerance > 0)) add("gradient_tolerance must be > 0");
  if (max_evaluations < 1) add("max_evaluations must be >= 1");
  if (max_rounds < 1) add("max_rounds must be >= 1");
  if (max_basin_starts < 0) add("max_basin_starts must be >= 0");
  return problems;
}

std::string FitOptions::Description() const {
  return std::string("NLopt ") +
         (algorithm == FitAlgorithm::kLbfgs ? "LD_LBFGS" : "LD_SLSQP") +
         ", scaled parameters, gradient tolerance " +
         std::to_string(gradient_tolerance) + ", up to " +
         std::to_string(max_rounds) + " rounds of " +
         std::to_string(max_evaluations) + " evaluations" +
         (search_basins ? ", basin search over non-monotonic parameters (up "
                          "to " +
                              std::to_string(max_basin_starts) + " restarts)"
                        : "");
}

FitResult MinimizeTwiceNll(const Model& model,
                           const Eigen::VectorXd& data,
                           const Eigen::VectorXd& init,
                           const Eigen::VectorXd& lower,
                           const Eigen::VectorXd& upper,
                           const std::vector<bool>& fixed,
                           const FitOptions& options) {
  const std::string problems = options.Validate();
  GOLDMINE_REQUIRE(problems.empty(), "fit options: " + problems);
  const int n = model.num_parameters();
  GOLDMINE_REQUIRE(init.size() == n && lower.size() == n && upper.size() == n &&
                       static_cast<int>(fixed.size()) == n,
                   "fit: init, bounds and fixed need " + std::to_string(n) +
                       " entries (one per model parameter)");
  for (int p = 0; p < n; ++p) {
    GOLDMINE_REQUIRE(lower(p) <= init(p) && init(p) <= upper(p),
                     "fit: init " + std::to_string(init(p)) +
                         " of parameter \"" + model.parameter_names()[p] +
                         "\" lies outside [" + std::to_string(lower(p)) + ", " +
                         std::to_string(upper(p)) + "]");
  }

  ScaledProblem problem(model, data, init, fixed);
  const int m = problem.size();
  FitResult result;
  if (m == 0) {
    result.parameters = init;
    result.twice_nll = model.TwiceNll(init, data);
    result.converged = std::isfinite(result.twice_nll);
    result.message = "no free parameters";
    result.num_evaluations = 1;
    if (options.compute_uncertainties) {
      result.uncertainties = Eigen::VectorXd::Zero(n);
      result.covariance = Eigen::MatrixXd::Zero(n, n);
    }
    return result;
  }

  std::vector<double> x(m, 0.0);
  std::vector<double> scaled_lower(m);
  std::vector<double> scaled_upper(m);
  for (int i = 0; i < m; ++i) {
    const int p = problem.free_parameter(i);
    scaled_lower[i] = problem.ToScaled(i, lower(p));
    scaled_upper[i] = problem.ToScaled(i, upper(p));
  }
  LocalFit best = MinimizeFrom(problem, x, scaled_lower, scaled_upper, options);
  if (!std::isfinite(best.value)) {
    result.parameters = init;
    result.twice_nll = best.value;
    result.message = best.stop_reason;
    result.num_evaluations = problem.evaluations();
    return result;
  }

  // The basin search over the non-monotonic free parameters.
  // The slice covers the bounds, at most ±6 widths around the suggested
  // init (histosys and normsys: ±5 around 0).
  constexpr double kReach = 6.0;
  std::vector<SliceAxis> flagged;
  if (options.search_basins) {
    for (int parameter : model.non_monotonic_parameters()) {
      for (int i = 0; i < m; ++i) {
        if (problem.free_parameter(i) != parameter) continue;
        const double center = model.inits()(parameter);
        const double reach = kReach * problem.scale(i);
        flagged.push_back(
            {i,
             std::max(scaled_lower[i], problem.ToScaled(i, center - reach)),
             std::min(scaled_upper[i], problem.ToScaled(i, center + reach))});
      }
    }
  }
  std::vector<LocalFit> minima{best};
  while (!flagged.empty() &&
         result.num_basin_starts < options.max_basin_starts) {
    bool improved = false;
    for (const auto& start : BasinStarts(problem, flagged, best)) {
      if (result.num_basin_starts >= options.max_basin_starts) break;
      ++result.num_basin_starts;
      LocalFit local = MinimizeFrom(
          problem, start.second, scaled_lower, scaled_upper, options);
      if (!std::isfinite(local.value)) continue;
      const bool known =
          std::any_of(minima.begin(), minima.end(), [&](const LocalFit& found) {
            return !DistinctMinima(found, local);
          });
      if (!known) minima.push_back(local);
      if (local.value < best.value - 1e-9) {
        best = std::move(local);
        improved = true;
        break;  // slice again through the new minimum
      }
    }
    if (!improved) break;
  }
  std::sort(minima.begin(), minima.end(), [](const auto& a, const auto& b) {
    return a.value < b.value;
  });
  for (const LocalFit& minimum : minima) {
    if (DistinctMinima(minimum, best)) {
      result.other_minima.push_back({minimum.value, problem.ToFull(minimum.x)});
    }
  }
  const std::string stop_reason = best.stop_reason;
  std::vector<double> gradient(m);
  x = best.x;
  result.twice_nll = problem.Evaluate(x, &gradient);
  result.parameters = problem.ToFull(x);
  const double projected =
      ProjectedGradient(x, gradient, scaled_lower, scaled_upper);
  result.converged = std::isfinite(result.twice_nll) &&
                     projected <= options.gradient_tolerance;
  result.message = stop_reason + "; largest projected gradient " +
                   std::to_string(projected) + " (tolerance " +
                   std::to_string(options.gradient_tolerance) + ")";
  if (!result.converged) result.message = "did not converge: " + result.message;

  if (options.compute_uncertainties) {
    const Eigen::MatrixXd hessian = ScaledHessian(problem, x);
    result.covariance = Eigen::MatrixXd::Zero(n, n);
    result.uncertainties = Eigen::VectorXd::Zero(n);
    // Covariance of (½ twice_nll)'s Hessian inverse = 2 H⁻¹ for twice_nll.
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(hessian);
    const bool positive = ldlt.info() == Eigen::Success && ldlt.isPositive() &&
                          (ldlt.vectorD().array() > 0).all();
    if (positive) {
      const Eigen::MatrixXd scaled_covariance =
          2.0 * ldlt.solve(Eigen::MatrixXd::Identity(m, m));
      for (int i = 0; i < m; ++i) {
        for (int j = 0; j < m; ++j) {
          result.covariance(problem.free_parameter(i),
                            problem.free_parameter(j)) =
              scaled_covariance(i, j) * problem.scale(i) * problem.scale(j);
        }
      }
      for (int i = 0; i < m; ++i) {
        const int p = problem.free_parameter(i);
        result.uncertainties(p) = std::sqrt(result.covariance(p, p));
      }
    } else {
      for (int i = 0; i < m; ++i) {
        result.uncertainties(problem.free_parameter(i)) =
            std::numeric_limits<double>::quiet_NaN();
      }
      result.message += "; Hessian not positive definite, no uncertainties";
    }
  }
  result.num_evaluations = problem.evaluations();
  return result;
}

FitResult Fit(const Model& model,
              const Eigen::VectorXd& data,
              const FitOptions& options) {
  return MinimizeTwiceNll(model,
                          data,
                          model.inits(),
                          model.lower_bounds(),
                          model.upper_bounds(),
                          model.fixed(),
                          options);
}

FitResult FixedPoiFit(const Model& model,
                      const Eigen::VectorXd& data,
                      double poi_value,
                      const FitOptions& options) {
  GOLDMINE_REQUIRE(model.has_poi(),
                   "fixed-POI fit: the model has no parameter of interest "
                   "(measurement poi is \"\")");
  Eigen::VectorXd init = model.inits();
  init(model.poi_index()) = poi_value;
  std::vector<bool> fixed = model.fixed();
  fixed[model.poi_index()] = true;
  return MinimizeTwiceNll(model,
                          data,
                          init,
                          model.lower_bounds(),
                          model.upper_bounds(),
                          fixed,
                          options);
}

}  // namespace goldmine::inference
