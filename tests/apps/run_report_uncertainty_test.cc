// Issue 17, item 6: the Monte Carlo uncertainty of the Fisher intervals in
// the `goldmine run` report (run/fisher_interval_uncertainty.h), against a
// hand-computed 2 × 2 case and against finite differences of the interval
// itself.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "run/fisher_interval_uncertainty.h"

namespace goldmine {
namespace {

using cli::run::FixedOthersWidth;
using cli::run::IntervalWidth;
using cli::run::ProfiledWidth;
using cli::run::ValueWithUncertainty;

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
  const IntervalWidth width = ProfiledWidth(Information(), Uncertainty(), 0);
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
    const IntervalWidth width = ProfiledWidth(information, uncertainty, p);
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
    const IntervalWidth profiled = ProfiledWidth(information, uncertainty, p);
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
  EXPECT_FALSE(ProfiledWidth(singular, Uncertainty(), 0).valid);
  EXPECT_TRUE(FixedOthersWidth(singular, Uncertainty(), 0).valid);
  Eigen::MatrixXd zero = Eigen::MatrixXd::Zero(2, 2);
  EXPECT_FALSE(FixedOthersWidth(zero, Uncertainty(), 0).valid);
}

TEST(RunReportUncertainty, Formatting) {
  EXPECT_EQ(ValueWithUncertainty(12.3456, 0.4123), "12.35 ± 0.41");
  EXPECT_EQ(ValueWithUncertainty(2.385e4, 381.0), "2.385e+04 ± 3.8e+02");
  EXPECT_EQ(ValueWithUncertainty(12.3456, -1.0), "12.35");
  EXPECT_EQ(ValueWithUncertainty(12.3456, std::nan("")), "12.35");
}

}  // namespace
}  // namespace goldmine
