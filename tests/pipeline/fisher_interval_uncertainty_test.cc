// Issue 17, item 6: the Monte Carlo uncertainty of the Fisher intervals in
// the `goldmine run` report (pipeline/fisher_interval_uncertainty.h), against a
// hand-computed 2 × 2 case and against finite differences of the interval
// itself.
#include "goldmine/pipeline/fisher_interval_uncertainty.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <vector>

namespace goldmine {
namespace {

using pipeline::FixedOthersWidth;
using pipeline::IntervalWidth;
using pipeline::ProfiledWidth;
using pipeline::ValueWithUncertainty;

// The profiled width without the elements' covariance (the approximation).
IntervalWidth Independent(const Eigen::MatrixXd& information,
                          const Eigen::MatrixXd& uncertainty,
                          int parameter) {
  return ProfiledWidth(information, uncertainty, Eigen::MatrixXd(), parameter);
}

Eigen::MatrixXd Information() {
  Eigen::MatrixXd information(2, 2);
  information << 4.0, 1.0, 1.0, 2.0;
  return information;
}

Eigen::MatrixXd Uncertainty() {
  Eigen::MatrixXd uncertainty(2, 2);
  uncertainty << 0.4, 0.1, 0.1, 0.2;
  return uncertainty;
}

// Others fixed: σ = 1/√4 = 0.5, δσ = σ · ½ · 0.4/4 = 0.025.
TEST(RunReportUncertainty, FixedOthersByHand) {
  const IntervalWidth width = FixedOthersWidth(Information(), Uncertainty(), 0);
  ASSERT_TRUE(width.valid);
  EXPECT_DOUBLE_EQ(width.sigma, 0.5);
  EXPECT_DOUBLE_EQ(width.uncertainty, 0.025);
}

// Others profiled: C = I⁻¹ = [[2, −1], [−1, 4]]/7, σ = √(2/7).
// ∂C_00/∂I_00 = −C_00² = −4/49, ∂C_00/∂I_01 = −2 C_00 C_01 = 4/49,
// ∂C_00/∂I_11 = −C_01² = −1/49, so δC_00 = √(1.6² + 0.4² + 0.2²)/49 =
// √2.76/49 and δσ/σ = δC_00/(2 C_00) = √2.76/28.
TEST(RunReportUncertainty, ProfiledByHand) {
  const IntervalWidth width = Independent(Information(), Uncertainty(), 0);
  ASSERT_TRUE(width.valid);
  EXPECT_NEAR(width.sigma, std::sqrt(2.0 / 7.0), 1e-15);
  EXPECT_NEAR(width.uncertainty / width.sigma, std::sqrt(2.76) / 28.0, 1e-14);
}

// The linear propagation against finite differences of σ = √(I⁻¹)_ii: each
// element (with its mirror) shifted by a small multiple ε of its error, the
// shifts' effects added in quadrature.
TEST(RunReportUncertainty, ProfiledAgainstFiniteDifferences) {
  Eigen::MatrixXd information(3, 3);
  information << 5.0, 1.5, -0.7, 1.5, 3.0, 0.4, -0.7, 0.4, 2.0;
  Eigen::MatrixXd uncertainty(3, 3);
  uncertainty << 0.3, 0.2, 0.05, 0.2, 0.25, 0.1, 0.05, 0.1, 0.15;
  const double epsilon = 1e-4;
  for (int p = 0; p < 3; ++p) {
    const auto sigma = [&](const Eigen::MatrixXd& matrix) {
      return std::sqrt(matrix.inverse()(p, p));
    };
    double squared = 0.0;
    for (int j = 0; j < 3; ++j) {
      for (int k = j; k < 3; ++k) {
        Eigen::MatrixXd up = information;
        Eigen::MatrixXd down = information;
        const double step = epsilon * uncertainty(j, k);
        up(j, k) += step;
        down(j, k) -= step;
        if (j != k) {
          up(k, j) += step;
          down(k, j) -= step;
        }
        squared += std::pow((sigma(up) - sigma(down)) / (2.0 * epsilon), 2);
      }
    }
    const IntervalWidth width = Independent(information, uncertainty, p);
    ASSERT_TRUE(width.valid);
    EXPECT_NEAR(width.sigma, sigma(information), 1e-14);
    EXPECT_NEAR(width.uncertainty, std::sqrt(squared), 1e-8 * width.uncertainty)
        << p;
  }
}

// With one parameter (or a diagonal matrix) both intervals are the same.
TEST(RunReportUncertainty, ProfiledEqualsFixedWhenUncorrelated) {
  Eigen::MatrixXd information(2, 2);
  information << 9.0, 0.0, 0.0, 16.0;
  Eigen::MatrixXd uncertainty(2, 2);
  uncertainty << 0.9, 0.5, 0.5, 3.2;
  for (int p = 0; p < 2; ++p) {
    const IntervalWidth fixed = FixedOthersWidth(information, uncertainty, p);
    const IntervalWidth profiled = Independent(information, uncertainty, p);
    EXPECT_DOUBLE_EQ(profiled.sigma, fixed.sigma);
    EXPECT_NEAR(profiled.uncertainty, fixed.uncertainty, 1e-15);
  }
  EXPECT_DOUBLE_EQ(FixedOthersWidth(information, uncertainty, 1).uncertainty,
                   0.25 * 0.5 * 3.2 / 16.0);
}

// A rank-deficient matrix (the rate alone) bounds no profiled interval; a
// zero diagonal element bounds no fixed-others interval.
TEST(RunReportUncertainty, Unconstrained) {
  Eigen::MatrixXd singular(2, 2);
  singular << 1.0, 2.0, 2.0, 4.0;
  EXPECT_FALSE(Independent(singular, Uncertainty(), 0).valid);
  EXPECT_TRUE(FixedOthersWidth(singular, Uncertainty(), 0).valid);
  Eigen::MatrixXd zero = Eigen::MatrixXd::Zero(2, 2);
  EXPECT_FALSE(FixedOthersWidth(zero, Uncertainty(), 0).valid);
}

// The covariance of independent elements (I_jk and I_kj one variable)
// gives the approximation's number, now not marked approximate.
TEST(RunReportUncertainty, CovarianceOfIndependentElementsGivesTheSameError) {
  Eigen::MatrixXd information(3, 3);
  information << 5.0, 1.5, -0.7, 1.5, 3.0, 0.4, -0.7, 0.4, 2.0;
  Eigen::MatrixXd uncertainty(3, 3);
  uncertainty << 0.3, 0.2, 0.05, 0.2, 0.25, 0.1, 0.05, 0.1, 0.15;
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(9, 9);
  for (int j = 0; j < 3; ++j) {
    for (int k = 0; k < 3; ++k) {
      const double variance = uncertainty(j, k) * uncertainty(j, k);
      covariance(j * 3 + k, j * 3 + k) = variance;
      covariance(j * 3 + k, k * 3 + j) = variance;
    }
  }
  for (int p = 0; p < 3; ++p) {
    const IntervalWidth approximate = Independent(information, uncertainty, p);
    const IntervalWidth exact =
        ProfiledWidth(information, uncertainty, covariance, p);
    EXPECT_TRUE(approximate.approximate);
    EXPECT_FALSE(exact.approximate);
    EXPECT_DOUBLE_EQ(exact.sigma, approximate.sigma);
    EXPECT_NEAR(exact.uncertainty,
                approximate.uncertainty,
                1e-12 * approximate.uncertainty);
  }
}

// Correlated elements, as from common events: δI = Σ_r z_r B_r with
// independent standard normal z_r, so Cov(I_jk, I_lm) = Σ_r B_r,jk B_r,lm
// and, to first order, δσ² = Σ_r (∂σ/∂z_r)², here by finite differences of
// σ = √(I⁻¹)_pp along each B_r. A nearly degenerate matrix whose
// fluctuations keep its degeneracy: the exact error is small, the
// independent approximation orders of magnitude larger.
TEST(RunReportUncertainty,
     ProfiledWithCorrelatedElementsAgainstFiniteDifferences) {
  Eigen::Vector3d u(1.0, 2.0, -1.0);
  Eigen::Vector3d v(0.5, -0.3, 0.8);
  Eigen::MatrixXd information = 100.0 * u * u.transpose() +
                                1.0 * v * v.transpose() +
                                0.01 * Eigen::MatrixXd::Identity(3, 3);
  // Fluctuations along the same directions (the events' common structure).
  std::vector<Eigen::MatrixXd> directions = {
      10.0 * u * u.transpose(),
      0.1 * v * v.transpose(),
      0.001 * Eigen::MatrixXd::Identity(3, 3),
      0.05 * (u * v.transpose() + v * u.transpose())};
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(9, 9);
  Eigen::MatrixXd uncertainty = Eigen::MatrixXd::Zero(3, 3);
  for (const Eigen::MatrixXd& b : directions) {
    const Eigen::Map<const Eigen::VectorXd> flat(b.data(), 9);
    covariance += flat * flat.transpose();  // b symmetric: any order
    uncertainty += b.cwiseAbs2();
  }
  uncertainty = uncertainty.cwiseSqrt();
  for (int p = 0; p < 3; ++p) {
    const auto sigma = [&](const Eigen::MatrixXd& matrix) {
      return std::sqrt(matrix.inverse()(p, p));
    };
    double squared = 0.0;
    const double epsilon = 1e-6;
    for (const Eigen::MatrixXd& b : directions) {
      squared += std::pow((sigma(information + epsilon * b) -
                           sigma(information - epsilon * b)) /
                              (2.0 * epsilon),
                          2);
    }
    const IntervalWidth exact =
        ProfiledWidth(information, uncertainty, covariance, p);
    ASSERT_TRUE(exact.valid);
    EXPECT_NEAR(
        exact.uncertainty, std::sqrt(squared), 1e-5 * std::sqrt(squared))
        << p;
    EXPECT_GT(Independent(information, uncertainty, p).uncertainty,
              10.0 * exact.uncertainty)
        << p;
  }
}

TEST(RunReportUncertainty, Formatting) {
  EXPECT_EQ(ValueWithUncertainty(12.3456, 0.4123), "12.35 ± 0.41");
  EXPECT_EQ(ValueWithUncertainty(2.385e4, 381.0), "2.385e+04 ± 3.8e+02");
  EXPECT_EQ(ValueWithUncertainty(12.3456, -1.0), "12.35");
  EXPECT_EQ(ValueWithUncertainty(12.3456, std::nan("")), "12.35");
}

}  // namespace
}  // namespace goldmine
