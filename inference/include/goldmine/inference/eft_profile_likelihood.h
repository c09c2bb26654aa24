// Profile likelihood of a binned EFT model on a grid of θ points: at every
// point the nuisance parameters (all free parameters of the engine model at
// θ; "mu" stays fixed at 1) are fitted by the HistFactory engine's minimiser
// (fit.h, NLopt L-BFGS with analytic gradients), started from the fitted
// values of the nearest point already profiled. Then
//
//   −2Δ ln L(θ_i) = twice_nll(θ_i, ν̂̂(θ_i)) − min_j twice_nll(θ_j, ν̂̂(θ_j)),
//   p_i = P(χ²_dof ≥ −2Δ ln L(θ_i)),  dof = number of θ parameters that
//   take more than one value on the grid (Wilks; pinned ones are not fitted),
//
// as `goldmine limits` reports them (DESIGN.md §5.6). A grid point where the
// expected count of some bin is negative (or zero with observed events) has
// −2Δ ln L = +∞ and p = 0.
#pragma once

#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

#include "goldmine/inference/eft_binned_model.h"
#include "goldmine/inference/fit.h"

namespace goldmine::inference {

struct EftProfileOptions {
  FitOptions fit = [] {
    FitOptions options;
    options.gradient_tolerance = 1e-4;
    options.compute_uncertainties = false;
    return options;
  }();
  // Called after each grid point with (points done, total); for progress.
  std::function<void(int, int)> progress;
};

struct EftProfileResult {
  Eigen::MatrixXd grid;                   // n × P
  Eigen::VectorXd twice_nll;              // n: profiled −2 ln L
  Eigen::VectorXd minus_two_delta_log_l;  // n
  Eigen::VectorXd p_values;               // n
  Eigen::VectorXd best_fit;               // P: grid point with the minimum
  int best_index = -1;
  Eigen::MatrixXd nuisance_parameters;  // n × engine parameters (ν̂̂)
  std::vector<std::string> nuisance_parameter_names;
  std::vector<bool> converged;  // n
  int dof = 0;                  // of the p-values (see the top)
};

// Profiles `model` at every row of `grid` (n × P) against the counts
// `observed` (one per bin) with nominal auxiliary data. Throws InvalidInput
// for wrong sizes or an empty grid; fits that do not converge are reported
// in `converged`.
EftProfileResult ProfileOnGrid(const BinnedEftModel& model,
                               const Eigen::MatrixXd& grid,
                               const Eigen::VectorXd& observed,
                               const EftProfileOptions& options = {});

// The profiled −2 ln L at one θ starting from `start` (engine parameters;
// empty: the nominal values). Fills *fitted with ν̂̂ when not null.
double ProfiledTwiceNll(const BinnedEftModel& model,
                        const Eigen::VectorXd& theta,
                        const Eigen::VectorXd& observed,
                        const Eigen::VectorXd& start,
                        const FitOptions& options,
                        Eigen::VectorXd* fitted = nullptr,
                        bool* converged = nullptr);

// Wilks: P(χ²_dof ≥ x) = Q(dof/2, x/2); 1 at x ≤ 0, 0 at x = +∞.
double ChiSquaredPValue(double x, int dof);

// The grid of `goldmine limits`: per parameter `points[p]` values from
// lower[p] to upper[p] (linspace), flattened with the first parameter
// varying slowest (MadMiner's meshgrid "ij" order). Throws InvalidInput for
// fewer than 1 point or lower > upper (lower == upper needs 1 point).
Eigen::MatrixXd MakeEftGrid(const std::vector<double>& lower,
                            const std::vector<double>& upper,
                            const std::vector<int>& points);

}  // namespace goldmine::inference
