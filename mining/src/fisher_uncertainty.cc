#include "goldmine/mining/fisher_uncertainty.h"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "goldmine/mining/fisher_information.h"

namespace goldmine::mining {

Eigen::MatrixXd ContributionStandardError(const Eigen::MatrixXd& sum,
                                          const Eigen::MatrixXd& squares,
                                          std::int64_t num_events) {
  if (num_events < 2) return Eigen::MatrixXd::Zero(sum.rows(), sum.cols());
  const auto n = static_cast<double>(num_events);
  const Eigen::MatrixXd variance =
      (n / (n - 1.0)) * (squares - sum.cwiseAbs2() / n).array();
  return variance.cwiseMax(0.0).cwiseSqrt();
}

Eigen::VectorXd PackUpper(const Eigen::MatrixXd& symmetric) {
  const Eigen::Index n = symmetric.rows();
  Eigen::VectorXd packed(n * (n + 1) / 2);
  Eigen::Index k = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = i; j < n; ++j) packed(k++) = symmetric(i, j);
  }
  return packed;
}

Eigen::MatrixXd ContributionCovariance(const Eigen::MatrixXd& sum,
                                       const Eigen::MatrixXd& packed_squares,
                                       std::int64_t num_events) {
  const Eigen::Index n = sum.rows();
  Eigen::MatrixXd full = Eigen::MatrixXd::Zero(n * n, n * n);
  if (num_events < 2) return full;
  const auto count = static_cast<double>(num_events);
  const Eigen::VectorXd f = PackUpper(sum);
  const Eigen::MatrixXd packed =
      (count / (count - 1.0)) * (packed_squares - f * f.transpose() / count);
  // Element (i, j) and its mirror (j, i) are one packed entry.
  std::vector<Eigen::Index> entry(static_cast<std::size_t>(n * n));
  Eigen::Index k = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = i; j < n; ++j, ++k) {
      entry[static_cast<std::size_t>(i * n + j)] = k;
      entry[static_cast<std::size_t>(j * n + i)] = k;
    }
  }
  for (Eigen::Index a = 0; a < n * n; ++a) {
    for (Eigen::Index b = 0; b < n * n; ++b) {
      full(a, b) = packed(entry[static_cast<std::size_t>(a)],
                          entry[static_cast<std::size_t>(b)]);
    }
  }
  return full;
}

WeightedMeanInformation::WeightedMeanInformation(int n)
    : sum_(Eigen::MatrixXd::Zero(n, n)),
      q_(Eigen::MatrixXd::Zero(n, n)),
      q2_(Eigen::MatrixXd::Zero(n, n)),
      largest_(Eigen::VectorXd::Zero(n)) {
  if (n <= kMaxMcCovarianceParameters) {
    q2_packed_ = Eigen::MatrixXd::Zero(n * (n + 1) / 2, n * (n + 1) / 2);
  }
}

void WeightedMeanInformation::AddAnyEvent(double w) {
  total_ += w;
  total_squares_ += w * w;
}

void WeightedMeanInformation::AddPartitionEvent(double w,
                                                const Eigen::MatrixXd& t) {
  partition_weight_ += w;
  partition_squares_ += w * w;
  sum_ += w * t;
  q_ += (w * w) * t;
  q2_ += (w * w) * t.cwiseAbs2();
  if (q2_packed_.size() != 0) {
    const Eigen::VectorXd packed = PackUpper(t);
    q2_packed_.noalias() += (w * w) * packed * packed.transpose();
  }
  largest_ = largest_.cwiseMax(w * t.diagonal());
}

Eigen::MatrixXd WeightedMeanInformation::Information(double luminosity) const {
  if (partition_weight_ == 0.0)
    return Eigen::MatrixXd::Zero(q_.rows(), q_.cols());
  return luminosity * total_ * sum_ / partition_weight_;
}

Eigen::MatrixXd WeightedMeanInformation::StandardError(
    double luminosity, std::int64_t num_events) const {
  if (partition_weight_ == 0.0) {
    return Eigen::MatrixXd::Zero(q_.rows(), q_.cols());
  }
  const Eigen::ArrayXXd r = (sum_ / partition_weight_).array();
  const double k = total_ / partition_weight_;
  const Eigen::ArrayXXd squares =
      luminosity * luminosity *
      (r.square() * total_squares_ +
       2.0 * k * r * (q_.array() - r * partition_squares_) +
       k * k *
           (q2_.array() - 2.0 * r * q_.array() +
            r.square() * partition_squares_));
  return ContributionStandardError(
      Information(luminosity), squares.matrix(), num_events);
}

Eigen::MatrixXd WeightedMeanInformation::Covariance(
    double luminosity, std::int64_t num_events) const {
  if (q2_packed_.size() == 0) return Eigen::MatrixXd();
  const Eigen::Index n = q_.rows();
  if (partition_weight_ == 0.0) {
    return Eigen::MatrixXd::Zero(n * n, n * n);
  }
  // y_e = L w_e R outside the partition, L w_e [(1 − k) R + k T_e] inside:
  // Σ y yᵀ = L² [R Rᵀ (Σ_all w² − P2) + (1 − k)² R Rᵀ P2
  //              + k (1 − k) (R Qᵀ + Q Rᵀ) + k² Q2].
  const Eigen::VectorXd r = PackUpper(sum_ / partition_weight_);
  const Eigen::VectorXd q = PackUpper(q_);
  const double k = total_ / partition_weight_;
  const Eigen::MatrixXd rr = r * r.transpose();
  const Eigen::MatrixXd rq = r * q.transpose();
  const Eigen::MatrixXd squares =
      luminosity * luminosity *
      (rr * (total_squares_ - partition_squares_) +
       (1.0 - k) * (1.0 - k) * partition_squares_ * rr +
       k * (1.0 - k) * (rq + rq.transpose()) + k * k * q2_packed_);
  return ContributionCovariance(Information(luminosity), squares, num_events);
}

Eigen::VectorXd WeightedMeanInformation::LargestEventFraction() const {
  Eigen::VectorXd fraction = Eigen::VectorXd::Zero(largest_.size());
  for (Eigen::Index i = 0; i < fraction.size(); ++i) {
    if (sum_(i, i) > 0.0) fraction(i) = largest_(i) / sum_(i, i);
  }
  return fraction;
}

std::optional<TruthExcess> LargestTruthExcess(
    const Eigen::MatrixXd& information,
    const Eigen::MatrixXd& truth,
    const Eigen::MatrixXd& difference_covariance) {
  const Eigen::Index n = truth.rows();
  if (difference_covariance.rows() != n * n) return std::nullopt;
  if (Eigen::LLT<Eigen::MatrixXd>(truth).info() != Eigen::Success)
    return std::nullopt;
  const Eigen::GeneralizedSelfAdjointEigenSolver<Eigen::MatrixXd> solver(
      information, truth);
  if (solver.info() != Eigen::Success) return std::nullopt;
  TruthExcess excess;
  // Eigenvalues ascending: the last is the largest ratio.
  excess.ratio = solver.eigenvalues()(n - 1);
  excess.direction = solver.eigenvectors().col(n - 1).normalized();
  const Eigen::VectorXd& v = excess.direction;
  excess.excess = v.dot((information - truth) * v);
  Eigen::VectorXd a(n * n);  // vec(v vᵀ), index i·n + j
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) a(i * n + j) = v(i) * v(j);
  }
  excess.uncertainty =
      std::sqrt(std::max(0.0, a.dot(difference_covariance * a)));
  return excess;
}

bool ExceedsTruthInSomeDirection(const FisherResult& result) {
  if (!result.truth_excess) return false;
  const TruthExcess& excess = *result.truth_excess;
  double ensemble = 0.0;
  if (result.ensemble_uncertainty.size() != 0) {
    const Eigen::VectorXd& v = excess.direction;
    ensemble = std::sqrt((v * v.transpose())
                             .cwiseProduct(result.ensemble_uncertainty)
                             .cwiseAbs2()
                             .sum());
  }
  return excess.excess >
         kExcessOverTruthSigmas * std::hypot(excess.uncertainty, ensemble);
}

double ExcessUncertainty(const FisherResult& result, Eigen::Index i) {
  const double mc = result.truth_difference_uncertainty(i, i);
  const double ensemble = result.ensemble_uncertainty.size() != 0
                              ? result.ensemble_uncertainty(i, i)
                              : 0.0;
  return std::hypot(mc, ensemble);
}

std::vector<bool> ExceedsTruth(const FisherResult& result) {
  std::vector<bool> exceeds;
  if (result.truth_information.size() == 0) return exceeds;
  for (Eigen::Index i = 0; i < result.truth_information.rows(); ++i) {
    const double excess =
        result.information(i, i) - result.truth_information(i, i);
    exceeds.push_back(excess >
                      kExcessOverTruthSigmas * ExcessUncertainty(result, i));
  }
  return exceeds;
}

std::vector<std::string> FisherWarnings(const FisherResult& result) {
  std::vector<std::string> warnings;
  const double expected = result.expected_number_of_events;
  const double effective = result.effective_number_of_events;
  if (effective < kEffectiveEventsRatio * expected) {
    std::ostringstream line;
    line << "the effective number of simulated events (Σw)²/Σw² = " << effective
         << " is below the expected number of events L·σ = " << expected
         << ": Monte Carlo fluctuations are as large as the statistical "
            "ones (see fisher_information_uncertainty)";
    warnings.push_back(line.str());
  }
  for (Eigen::Index i = 0; i < result.largest_event_fraction.size(); ++i) {
    const double fraction = result.largest_event_fraction(i);
    // An element consistent with zero (error ≥ value) has no meaningful
    // share (its linearised shares diverge, e.g. the rate information of a
    // parameter with ∂σ = 0): its uncertainty tells the story.
    const bool consistent_with_zero =
        result.information_uncertainty.size() != 0 &&
        result.information_uncertainty(i, i) >=
            std::abs(result.information(i, i));
    if (fraction > kLargestEventFractionLimit && !consistent_with_zero) {
      std::ostringstream line;
      line << "one event carries " << 100.0 * fraction << " % of I("
           << result.parameters[static_cast<std::size_t>(i)] << ", "
           << result.parameters[static_cast<std::size_t>(i)] << ")";
      warnings.push_back(line.str());
    }
  }
  const std::vector<bool> exceeds = ExceedsTruth(result);
  const bool any_axis =
      std::find(exceeds.begin(), exceeds.end(), true) != exceeds.end();
  if (!any_axis && ExceedsTruthInSomeDirection(result)) {
    const TruthExcess& excess = *result.truth_excess;
    std::ostringstream line;
    line << "the estimated information exceeds the truth on the same "
            "events along the direction (";
    for (Eigen::Index i = 0; i < excess.direction.size(); ++i) {
      line << (i > 0 ? ", " : "")
           << result.parameters[static_cast<std::size_t>(i)] << " "
           << excess.direction(i);
    }
    line << "): vᵀ I v − vᵀ I_truth v = " << excess.excess << " ± "
         << excess.uncertainty << " (ratio " << excess.ratio
         << "); the estimator is biased or overfitted";
    warnings.push_back(line.str());
  }
  for (std::size_t i = 0; i < exceeds.size(); ++i) {
    if (!exceeds[i]) continue;
    const auto d = static_cast<Eigen::Index>(i);
    std::ostringstream line;
    line << "the estimated I(" << result.parameters[i] << ", "
         << result.parameters[i] << ") = " << result.information(d, d)
         << " exceeds the truth information on the same events, "
         << result.truth_information(d, d) << ", by more than "
         << kExcessOverTruthSigmas << " standard errors ("
         << ExcessUncertainty(result, d)
         << "): the estimator is biased or overfitted";
    warnings.push_back(line.str());
  }
  return warnings;
}

Fraction FractionOfReference(const FisherResult& result, Eigen::Index i) {
  const double b = result.reference_information(i, i);
  const double d = result.information(i, i) - b;
  const double error_d = result.reference_difference_uncertainty(i, i);
  const double error_b = result.reference_uncertainty(i, i);
  Fraction fraction;
  fraction.value = result.information(i, i) / b;
  fraction.uncertainty = std::sqrt(error_d * error_d / (b * b) +
                                   d * d * error_b * error_b / (b * b * b * b));
  return fraction;
}

}  // namespace goldmine::mining
