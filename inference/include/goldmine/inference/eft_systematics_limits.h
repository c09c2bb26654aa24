// `goldmine limits --systematics` for the histogram methods (histo, sally):
// the histogram of the kinematic term becomes a HistFactory model whose
// per-bin yields are morphing polynomials of θ, with the events file's
// systematics as nuisance modifiers (inference/eft_binned_model.h), and the
// limits profile every nuisance parameter at every grid point
// (inference/eft_profile_likelihood.h).
//
// The binning is the one the plain limits used (LimitResult::histogram_edges:
// fixed, STXS or adaptive edges); every event of the file fills the yields,
// and the Asimov counts are the model's expected counts at θ_true.
#pragma once

#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

#include "goldmine/inference/limits/asymptotic_limits.h"

namespace goldmine::inference {

struct SystematicsSettings {
  double luminosity = 300000.0;   // pb⁻¹
  double lumi_uncertainty = 0.0;  // relative; 0: no lumi modifier
  bool staterror = true;          // finite MC statistics per bin
};

struct SystematicLimits {
  Eigen::VectorXd minus_two_delta_log_l;  // per grid point (+∞ possible)
  Eigen::VectorXd p_values;
  Eigen::Index best_fit_index = 0;
  std::vector<std::string> nuisance_parameters;
  int fits_not_converged = 0;
  int num_bins = 0;
};

// `plain` is the result of AsymptoticLimits::Compute for the same
// kinematics and grid (its edges and full θ points are reused); `observed`
// null means Asimov data at `theta_true` (every parameter of the file).
// Throws InvalidInput for other methods or profiled parameters.
SystematicLimits ProfileSystematics(
    const std::string& events_file,
    const inference::KinematicSetup& kinematics,
    const inference::LimitResult& plain,
    const inference::ObservedData* observed,
    const Eigen::VectorXd& theta_true,
    const SystematicsSettings& settings,
    const std::function<void(int, int)>& progress);

// Makes `result` (the plain limits ProfileSystematics started from) the
// systematics-profiled limits: its −2Δ log L, p-values and best-fit index
// become those of `profiled`; the grid, θ points and likelihood terms stay.
// Throws InvalidInput when `profiled` has another number of grid points.
void ApplyProfiledSystematics(const SystematicLimits& profiled,
                              LimitResult* result);

}  // namespace goldmine::inference
