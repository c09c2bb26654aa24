#include "goldmine/estimators/fisher.h"

#include <cmath>
#include <string>

#include "goldmine/core/errors.h"

namespace goldmine::estimators {
namespace {

// n_events Σ_n w_n t_n t_nᵀ with normalised w, flattened row-major (P²).
Eigen::VectorXd FlatInformation(const Eigen::MatrixXd& t,
                                const Eigen::VectorXd& w,
                                double n_events) {
  const Eigen::MatrixXd information =
      n_events * (t.transpose() * w.asDiagonal() * t);
  const Eigen::Index p = information.rows();
  Eigen::VectorXd flat(p * p);
  for (Eigen::Index i = 0; i < p; ++i)
    for (Eigen::Index j = 0; j < p; ++j) flat(i * p + j) = information(i, j);
  return flat;
}

Eigen::MatrixXd Unflatten(const Eigen::VectorXd& flat, Eigen::Index p) {
  Eigen::MatrixXd information(p, p);
  for (Eigen::Index i = 0; i < p; ++i)
    for (Eigen::Index j = 0; j < p; ++j) information(i, j) = flat(i * p + j);
  return information;
}

// Sample covariance (denominator K − 1) of the columns of `samples`
// (P² × K); zero for K = 1.
Eigen::MatrixXd SampleCovariance(const Eigen::MatrixXd& samples) {
  const Eigen::Index k = samples.cols();
  if (k < 2) return Eigen::MatrixXd::Zero(samples.rows(), samples.rows());
  const Eigen::MatrixXd centred = samples.colwise() - samples.rowwise().mean();
  return centred * centred.transpose() / static_cast<double>(k - 1);
}

}  // namespace

FisherInformationWithCovariance EnsembleFisherInformation(
    const std::vector<Eigen::MatrixXd>& member_scores,
    const Eigen::VectorXd& weights,
    double n_events,
    FisherMode mode) {
  GOLDMINE_REQUIRE(!member_scores.empty(), "no ensemble members");
  const Eigen::Index n = member_scores.front().rows();
  const Eigen::Index p = member_scores.front().cols();
  GOLDMINE_REQUIRE(n > 0 && p > 0, "the member scores are empty");
  for (const Eigen::MatrixXd& t : member_scores) {
    GOLDMINE_REQUIRE(t.rows() == n && t.cols() == p,
                     "member scores of different shapes");
  }
  GOLDMINE_REQUIRE(weights.size() == 0 || weights.size() == n,
                   "weights has " + std::to_string(weights.size()) +
                       " entries for " + std::to_string(n) + " events");
  Eigen::VectorXd w =
      weights.size() == 0 ? Eigen::VectorXd::Ones(n) : Eigen::VectorXd(weights);
  const double total = w.sum();
  GOLDMINE_REQUIRE(std::isfinite(total) && total > 0.0,
                   "the event weights sum to " + std::to_string(total));
  w /= total;

  const auto k = static_cast<Eigen::Index>(member_scores.size());
  Eigen::MatrixXd samples(p * p, k);
  FisherInformationWithCovariance result;
  if (mode == FisherMode::kInformation) {
    for (Eigen::Index m = 0; m < k; ++m) {
      samples.col(m) = FlatInformation(
          member_scores[static_cast<std::size_t>(m)], w, n_events);
    }
    result.information = Unflatten(samples.rowwise().mean(), p);
  } else {
    Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(n, p);
    for (const Eigen::MatrixXd& t : member_scores) mean += t;
    mean /= static_cast<double>(k);
    result.information = Unflatten(FlatInformation(mean, w, n_events), p);
    const double shrink = 1.0 / std::sqrt(static_cast<double>(k));
    for (Eigen::Index m = 0; m < k; ++m) {
      const Eigen::MatrixXd shifted =
          mean + shrink * (member_scores[static_cast<std::size_t>(m)] - mean);
      samples.col(m) = FlatInformation(shifted, w, n_events);
    }
  }
  result.covariance = SampleCovariance(samples);
  return result;
}

}  // namespace goldmine::estimators
