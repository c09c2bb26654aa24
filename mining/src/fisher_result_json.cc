#include "goldmine/mining/fisher_result_json.h"

#include <string>
#include <vector>

#include "goldmine/core/eigen_json.h"
#include "goldmine/core/histogram_edges_json.h"
#include "goldmine/mining/fisher_uncertainty.h"

namespace goldmine::mining {

namespace {

// Row (i, j), column (k, l): Cov(I_ij, I_kl).
Eigen::MatrixXd Covariance(const FisherResult& result) {
  const Eigen::Index n = result.information.rows();
  Eigen::MatrixXd covariance(n * n, n * n);
  for (Eigen::Index ij = 0; ij < n * n; ++ij) {
    const Eigen::MatrixXd& block =
        result.covariance[static_cast<std::size_t>(ij)];
    covariance.row(ij) = Eigen::Map<const Eigen::RowVectorXd>(
        Eigen::MatrixXd(block.transpose()).data(), n * n);
  }
  return covariance;
}

}  // namespace

nlohmann::ordered_json FisherResultJson(const FisherResult& result,
                                        const Eigen::VectorXd& theta,
                                        double luminosity) {
  using core::Rows;
  nlohmann::ordered_json json;
  json["fisher_information"] = Rows(result.information);
  if (!result.covariance.empty()) {
    json["covariance"] = Rows(Covariance(result));
  }
  json["parameters"] = result.parameters;
  // Monte Carlo uncertainties and diagnostics (docs/fisher_uncertainty.md).
  if (result.information_uncertainty.size() != 0) {
    json["fisher_information_uncertainty"] =
        Rows(result.information_uncertainty);
  }
  if (result.information_mc_covariance.size() != 0) {
    json["fisher_information_mc_covariance"] =
        Rows(result.information_mc_covariance);
  }
  json["effective_number_of_events"] = result.effective_number_of_events;
  json["expected_number_of_events"] = result.expected_number_of_events;
  if (result.largest_event_fraction.size() != 0) {
    json["largest_event_fraction"] =
        core::Values(result.largest_event_fraction);
  }
  if (result.truth_information.size() != 0) {
    json["truth_information_same_events"] = Rows(result.truth_information);
    json["truth_difference_uncertainty"] =
        Rows(result.truth_difference_uncertainty);
    json["exceeds_truth"] = ExceedsTruth(result);
    if (result.truth_excess) {
      const TruthExcess& excess = *result.truth_excess;
      json["truth_excess"] = {
          {"direction", core::Values(excess.direction)},
          {"ratio", excess.ratio},
          {"excess", excess.excess},
          {"uncertainty", excess.uncertainty},
          {"exceeds_truth", ExceedsTruthInSomeDirection(result)}};
    }
  }
  if (result.reference_information.size() != 0) {
    json["mem_information_same_events"] = Rows(result.reference_information);
    json["mem_information_uncertainty"] = Rows(result.reference_uncertainty);
    json["mem_difference_uncertainty"] =
        Rows(result.reference_difference_uncertainty);
    std::vector<double> fractions, errors;
    for (Eigen::Index i = 0; i < result.information.rows(); ++i) {
      const Fraction fraction = FractionOfReference(result, i);
      fractions.push_back(fraction.value);
      errors.push_back(fraction.uncertainty);
    }
    json["fraction_of_mem"] = fractions;
    json["fraction_of_mem_uncertainty"] = errors;
  }
  if (result.ensemble_uncertainty.size() != 0) {
    json["fisher_information_ensemble_uncertainty"] =
        Rows(result.ensemble_uncertainty);
  }
  json["warnings"] = FisherWarnings(result);
  json["theta"] = core::Values(theta);
  json["luminosity"] = luminosity;
  if (!result.boundaries.empty()) json["bin_boundaries"] = result.boundaries;
  if (!result.histogram_edges.empty()) {
    json["histogram_edges"] = core::HistogramEdgesJson(result.histogram_edges);
  }
  return json;
}

}  // namespace goldmine::mining
