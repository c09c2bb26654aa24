#include "goldmine/morphing/sum_squared_weights.h"

#include <Eigen/LU>
#include <cmath>
#include <limits>
#include <utility>

#include "goldmine/core/errors.h"
#include "goldmine/morphing/morpher.h"

namespace goldmine::morphing {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// E[θ^n] for θ uniform in [lower, upper].
double UniformMoment(const ParameterRange& range, int n) {
  return (std::pow(range.upper, n + 1) - std::pow(range.lower, n + 1)) /
         ((n + 1) * range.width());
}

// A⁻¹ for a square basis matrix A, or false when A is too close to singular
// for its inverse to mean anything (the threshold Morpher enforces).
bool InvertBasisMatrix(const Eigen::MatrixXd& basis_matrix,
                       Eigen::MatrixXd* inverse) {
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(basis_matrix);
  if (!(lu.rcond() * Morpher::kMaxConditionNumber > 1.0)) return false;
  *inverse = lu.inverse();
  return inverse->allFinite();
}

}  // namespace

ExpectedSumSquaredWeights::ExpectedSumSquaredWeights(Components components,
                                                     ParameterRanges ranges)
    : components_(std::move(components)), ranges_(std::move(ranges)) {
  GOLDMINE_REQUIRE(
      static_cast<int>(ranges_.size()) == components_.num_parameters(),
      "parameter_range: expected " +
          std::to_string(components_.num_parameters()) +
          " ranges (one per parameter), got " + std::to_string(ranges_.size()));
  for (std::size_t p = 0; p < ranges_.size(); ++p) {
    GOLDMINE_REQUIRE(
        std::isfinite(ranges_[p].lower) && std::isfinite(ranges_[p].upper) &&
            ranges_[p].lower < ranges_[p].upper,
        "parameter_range[" + std::to_string(p) +
            "]: expected [lower, upper] with lower < upper, got [" +
            std::to_string(ranges_[p].lower) + ", " +
            std::to_string(ranges_[p].upper) + "]");
  }
  const Eigen::MatrixXi& powers = components_.powers();
  const int n = components_.num_components();
  second_moments_.resize(n, n);
  for (int c = 0; c < n; ++c) {
    for (int d = 0; d <= c; ++d) {
      double moment = 1.0;
      for (int p = 0; p < components_.num_parameters(); ++p) {
        moment *= UniformMoment(ranges_[static_cast<std::size_t>(p)],
                                powers(c, p) + powers(d, p));
      }
      second_moments_(c, d) = moment;
      second_moments_(d, c) = moment;
    }
  }
}

double ExpectedSumSquaredWeights::Value(const Eigen::MatrixXd& basis) const {
  if (basis.rows() == components_.num_components()) {
    Eigen::MatrixXd morphing_matrix;
    if (!InvertBasisMatrix(components_.EvaluateBatch(basis),
                           &morphing_matrix)) {
      return kInfinity;
    }
    return (morphing_matrix.transpose() * second_moments_ * morphing_matrix)
        .trace();
  }
  try {
    const Morpher morpher(components_, basis);
    const Eigen::MatrixXd& m = morpher.morphing_matrix();
    return (m.transpose() * second_moments_ * m).trace();
  } catch (const InvalidInput&) {
    return kInfinity;
  }
}

double ExpectedSumSquaredWeights::ValueAndGradient(
    const Eigen::MatrixXd& basis, Eigen::MatrixXd* gradient) const {
  GOLDMINE_REQUIRE(basis.rows() == components_.num_components() &&
                       basis.cols() == components_.num_parameters(),
                   "basis: the gradient of the expected sum of squared weights "
                   "needs a square basis of " +
                       std::to_string(components_.num_components()) +
                       " benchmarks");
  Eigen::MatrixXd m;
  if (!InvertBasisMatrix(components_.EvaluateBatch(basis), &m))
    return kInfinity;
  const Eigen::MatrixXd g_m = second_moments_ * m;
  const double value = (m.transpose() * g_m).trace();
  // With M = A⁻¹: d tr(Mᵀ G M) = -2 tr(M Mᵀ G M dA), so ∂f/∂A_bc = B_cb with
  // B = -2 M Mᵀ G M; then the chain rule through A_bc = c_c(θ_b).
  const Eigen::MatrixXd b = -2.0 * m * (m.transpose() * g_m);
  const std::vector<Eigen::MatrixXd> component_gradients =
      components_.GradientBatch(basis);
  gradient->resize(basis.rows(), basis.cols());
  for (int i = 0; i < components_.num_parameters(); ++i) {
    gradient->col(i) = component_gradients[static_cast<std::size_t>(i)]
                           .cwiseProduct(b.transpose())
                           .rowwise()
                           .sum();
  }
  return value;
}

}  // namespace goldmine::morphing
