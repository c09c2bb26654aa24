// The JSON document of a limit scan, as `goldmine limits` prints it and
// goldmine.AsymptoticLimits.compute returns it (one implementation, so that
// the CLI and the Python module cannot drift apart; docs/limits.md). Keys,
// in this order, those in brackets only in some runs:
//   grid (points × scanned parameters), minus_two_delta_log_l, p_values,
//   best_fit, best_fit_index, parameters, method, luminosity, include_xsec,
//   observed, [theta_true], n_observed, dof, log_likelihood_kin,
//   log_likelihood_rate, all_parameters, thetas, [histogram_edges],
//   dropped_units, conventions, [asimov_from], [best_fit_at_theta_true],
//   [profile_converged, profile_fits_not_converged], [systematics],
//   intervals ({parameter: {"68%": [ranges], "95%": [ranges]}}),
//   contour_levels ({"68%": q, "95%": q}, the χ² quantiles at `dof`).
// theta_true and asimov_from are written for Asimov data only.
#pragma once

#include <Eigen/Core>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "goldmine/inference/limits/asymptotic_limits.h"
#include "goldmine/inference/limits/theta_grid.h"

namespace goldmine::inference {

// What a scan was asked for, beyond what its LimitResult holds.
struct LimitJsonContext {
  LimitMethod method = LimitMethod::kRate;
  double luminosity = 0.0;  // pb⁻¹
  // The rate term was asked for (--include-xsec); method rate always has it.
  bool include_xsec = false;
  // Observed data; otherwise Asimov data at theta_true (all the events
  // file's parameters), made from `asimov_from` ("templates" or "test").
  bool observed = false;
  Eigen::VectorXd theta_true;
  std::string asimov_from = "templates";
  std::string conventions = "goldmine";  // or "madminer" (--madminer)
  // AsimovBestFitAtTruth for Asimov data, when it has an answer.
  std::optional<bool> best_fit_at_theta_true;
  // The `systematics` object of --systematics, written as given.
  std::optional<nlohmann::ordered_json> systematics;
};

// `grid` is the grid `result` was computed on (for the intervals). NaN or
// infinite numbers are written as they are: nlohmann prints them as null,
// so a caller that prints the document checks it first
// (core::RequireFiniteResult).
nlohmann::ordered_json LimitResultJson(const LimitResult& result,
                                       const ThetaGrid& grid,
                                       const LimitJsonContext& context);

}  // namespace goldmine::inference
