// The JSON document of a Fisher information result, as `goldmine fisher`
// prints it and goldmine.FisherInformation returns it (one implementation,
// so that the CLI and the Python module cannot drift apart). Keys, in this
// order, those in brackets only when the result has them:
//   fisher_information (n × n rows), [covariance] (n² × n², row (i, j),
//   column (k, l): Cov(I_ij, I_kl)), parameters,
//   [fisher_information_uncertainty], [fisher_information_mc_covariance],
//   effective_number_of_events, expected_number_of_events,
//   [largest_event_fraction], [truth_information_same_events,
//   truth_difference_uncertainty, exceeds_truth, [truth_excess]],
//   [mem_information_same_events, mem_information_uncertainty,
//   mem_difference_uncertainty, fraction_of_mem, fraction_of_mem_uncertainty],
//   [fisher_information_ensemble_uncertainty], warnings, theta, luminosity,
//   [bin_boundaries], [histogram_edges] (core/histogram_edges_json.h).
// Uncertainties and warnings: docs/fisher_uncertainty.md.
#pragma once

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "goldmine/mining/fisher_information.h"

namespace goldmine::mining {

// `theta` is the point the result was computed at, `luminosity` in pb⁻¹.
// NaN or infinite numbers are written as they are: nlohmann prints them as
// null, so a caller that prints the document checks it first
// (core::RequireFiniteResult).
nlohmann::ordered_json FisherResultJson(const FisherResult& result,
                                        const Eigen::VectorXd& theta,
                                        double luminosity);

}  // namespace goldmine::mining
