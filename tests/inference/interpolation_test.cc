// Every interpolation code (code0, code1, code2, code4, code4p) on both a
// normsys triple (lo, 1, hi) and a histosys bin (lo, nominal, hi): templates
// at α = 0, ±1, closed-form values (HISTFACTORY.md §4.2–§4.3; code4's
// polynomial re-derived here from its defining conditions), derivatives
// against analytic values and finite differences, continuity at α = ±1.
#include "goldmine/inference/interpolation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr InterpolationCode kCodes[] = {InterpolationCode::kCode0,
                                        InterpolationCode::kCode1,
                                        InterpolationCode::kCode2,
                                        InterpolationCode::kCode4,
                                        InterpolationCode::kCode4p};

constexpr double kAlphas[] = {
    -2.6, -1.7, -1.0, -0.8, -0.3, 0.0, 0.1, 0.6, 0.999, 1.0, 1.4, 2.3};

// A histosys bin and a normsys (lo, hi), asymmetric on purpose.
constexpr double kLo = 7.0;
constexpr double kNominal = 10.0;
constexpr double kHi = 14.0;
constexpr double kNormLo = 0.85;
constexpr double kNormHi = 1.25;

// code4's polynomial 1 + Σ c_i α^i from its definition: f, f′, f″ equal
// those of the exponential r^|α| at α = ±1 (independent of the A⁻¹ matrix
// the implementation copies from pyhf).
double Code4Inside(double lo, double hi, double alpha) {
  Eigen::Matrix<double, 6, 6> conditions;
  Eigen::Matrix<double, 6, 1> targets;
  for (int row = 0; row < 6; ++row) {
    const double x = row % 2 == 0 ? 1.0 : -1.0;
    const int derivative = row / 2;
    for (int i = 1; i <= 6; ++i) {
      double coefficient = 1.0;
      for (int d = 0; d < derivative; ++d) coefficient *= (i - d);
      conditions(row, i - 1) =
          i >= derivative ? coefficient * std::pow(x, i - derivative) : 0.0;
    }
    const double ratio = x > 0 ? hi : lo;
    const double log_ratio = x > 0 ? std::log(hi) : -std::log(lo);
    targets(row) = derivative == 0   ? ratio - 1.0
                   : derivative == 1 ? ratio * log_ratio
                                     : ratio * log_ratio * log_ratio;
  }
  const Eigen::Matrix<double, 6, 1> c = conditions.lu().solve(targets);
  double value = 1.0;
  for (int i = 1; i <= 6; ++i) value += c(i - 1) * std::pow(alpha, i);
  return value;
}

// v(α)/nominal from HISTFACTORY.md, written out per code.
double ExpectedRatio(InterpolationCode code,
                     double lo,
                     double nominal,
                     double hi,
                     double alpha) {
  const double up = hi - nominal;
  const double down = nominal - lo;
  switch (code) {
    case InterpolationCode::kCode0:
      return 1.0 + (alpha > 0 ? alpha * up : alpha * down) / nominal;
    case InterpolationCode::kCode1:
      return alpha >= 0 ? std::pow(hi / nominal, alpha)
                        : std::pow(lo / nominal, -alpha);
    case InterpolationCode::kCode2: {
      const double a = 0.5 * (hi + lo) - nominal;
      const double b = 0.5 * (hi - lo);
      const double shift = alpha > 1    ? (b + 2 * a) * (alpha - 1)
                           : alpha < -1 ? (b - 2 * a) * (alpha + 1)
                                        : a * alpha * alpha + b * alpha;
      return 1.0 + shift / nominal;
    }
    case InterpolationCode::kCode4:
      if (alpha >= 1) return std::pow(hi / nominal, alpha);
      if (alpha <= -1) return std::pow(lo / nominal, -alpha);
      return Code4Inside(lo / nominal, hi / nominal, alpha);
    case InterpolationCode::kCode4p: {
      if (alpha > 1) return 1.0 + alpha * up / nominal;
      if (alpha < -1) return 1.0 + alpha * down / nominal;
      const double s = 0.5 * (up + down);
      const double a = (up - down) / 16;
      return 1.0 +
             (alpha * s + a * (3 * std::pow(alpha, 6) -
                               10 * std::pow(alpha, 4) + 15 * alpha * alpha)) /
                 nominal;
    }
  }
  return 0.0;
}

TEST(Interpolation, EveryCodeReproducesTheTemplatesForBothModifierTypes) {
  for (InterpolationCode code : kCodes) {
    EXPECT_NEAR(
        InterpolateNormSys(code, kNormLo, kNormHi, 1.0).value, kNormHi, 1e-14)
        << Description(code);
    EXPECT_NEAR(
        InterpolateNormSys(code, kNormLo, kNormHi, -1.0).value, kNormLo, 1e-14)
        << Description(code);
    EXPECT_EQ(InterpolateNormSys(code, kNormLo, kNormHi, 0.0).value, 1.0);
    EXPECT_NEAR(InterpolateHistoSys(code, kLo, kNominal, kHi, 1.0).value,
                kHi - kNominal,
                1e-13)
        << Description(code);
    EXPECT_NEAR(InterpolateHistoSys(code, kLo, kNominal, kHi, -1.0).value,
                kLo - kNominal,
                1e-13)
        << Description(code);
    EXPECT_EQ(InterpolateHistoSys(code, kLo, kNominal, kHi, 0.0).value, 0.0);
  }
}

TEST(Interpolation, EveryCodeMatchesItsClosedForm) {
  for (InterpolationCode code : kCodes) {
    for (double alpha : kAlphas) {
      EXPECT_NEAR(InterpolateNormSys(code, kNormLo, kNormHi, alpha).value,
                  ExpectedRatio(code, kNormLo, 1.0, kNormHi, alpha),
                  1e-12)
          << Description(code) << " normsys at " << alpha;
      EXPECT_NEAR(
          InterpolateHistoSys(code, kLo, kNominal, kHi, alpha).value,
          kNominal * (ExpectedRatio(code, kLo, kNominal, kHi, alpha) - 1.0),
          1e-11)
          << Description(code) << " histosys at " << alpha;
    }
  }
}

TEST(Interpolation, DerivativesHaveTheirAnalyticValues) {
  const double log_hi = std::log(kNormHi);
  const double log_lo = std::log(kNormLo);
  // code1 / code4 outside: d/dα hi^α = hi^α ln hi, d/dα lo^-α = −lo^-α ln lo.
  for (InterpolationCode code :
       {InterpolationCode::kCode1, InterpolationCode::kCode4}) {
    EXPECT_NEAR(InterpolateNormSys(code, kNormLo, kNormHi, 1.4).derivative,
                std::pow(kNormHi, 1.4) * log_hi,
                1e-12);
    EXPECT_NEAR(InterpolateNormSys(code, kNormLo, kNormHi, -1.7).derivative,
                -std::pow(kNormLo, 1.7) * log_lo,
                1e-12);
  }
  // code4 at α = 0: c_1 = (15/16)(hi − lo) − (7/16)(hi ln hi − lo ln lo)
  //                       + (1/16)(hi ln²hi − lo ln²lo).
  EXPECT_NEAR(
      InterpolateNormSys(InterpolationCode::kCode4, kNormLo, kNormHi, 0.0)
          .derivative,
      15.0 / 16 * (kNormHi - kNormLo) -
          7.0 / 16 * (kNormHi * log_hi - kNormLo * log_lo) +
          1.0 / 16 * (kNormHi * log_hi * log_hi - kNormLo * log_lo * log_lo),
      1e-14);
  // Additive codes on a histosys bin: δ⁺ = 4, δ⁻ = 3.
  const auto derivative = [](InterpolationCode code, double alpha) {
    return InterpolateHistoSys(code, kLo, kNominal, kHi, alpha).derivative;
  };
  EXPECT_EQ(derivative(InterpolationCode::kCode0, 0.5), 4.0);
  EXPECT_EQ(derivative(InterpolationCode::kCode0, -0.5), 3.0);
  // code2: a = 0.5, b = 3.5; 2aα + b inside, b ± 2a outside.
  EXPECT_NEAR(
      derivative(InterpolationCode::kCode2, 0.6), 2 * 0.5 * 0.6 + 3.5, 1e-14);
  EXPECT_EQ(derivative(InterpolationCode::kCode2, 1.4), 4.5);
  EXPECT_EQ(derivative(InterpolationCode::kCode2, -1.4), 2.5);
  // code4p: S + Aα(18α⁴ − 40α² + 30) with S = 3.5, A = 1/16; δ± outside.
  EXPECT_NEAR(derivative(InterpolationCode::kCode4p, 0.6),
              3.5 + 0.6 / 16 * (18 * std::pow(0.6, 4) - 40 * 0.36 + 30),
              1e-14);
  EXPECT_EQ(derivative(InterpolationCode::kCode4p, 2.3), 4.0);
  EXPECT_EQ(derivative(InterpolationCode::kCode4p, -2.3), 3.0);
  // Multiplicative codes on a histosys bin: n⁰ (hi/n⁰)^α ln(hi/n⁰).
  EXPECT_NEAR(derivative(InterpolationCode::kCode1, 0.6),
              kNominal * std::pow(1.4, 0.6) * std::log(1.4),
              1e-12);
}

TEST(Interpolation, DerivativesMatchFiniteDifferences) {
  constexpr double kStep = 1e-6;
  for (InterpolationCode code : kCodes) {
    for (double alpha : kAlphas) {
      // Kinks (code0 at 0; code2 jumps at ±1): one-sided there.
      if (std::abs(std::abs(alpha) - 1.0) < 1e-2 || alpha == 0.0) continue;
      const double numeric_norm =
          (InterpolateNormSys(code, kNormLo, kNormHi, alpha + kStep).value -
           InterpolateNormSys(code, kNormLo, kNormHi, alpha - kStep).value) /
          (2 * kStep);
      EXPECT_NEAR(InterpolateNormSys(code, kNormLo, kNormHi, alpha).derivative,
                  numeric_norm,
                  1e-7)
          << Description(code) << " normsys at " << alpha;
      const double numeric_histo =
          (InterpolateHistoSys(code, kLo, kNominal, kHi, alpha + kStep).value -
           InterpolateHistoSys(code, kLo, kNominal, kHi, alpha - kStep).value) /
          (2 * kStep);
      EXPECT_NEAR(
          InterpolateHistoSys(code, kLo, kNominal, kHi, alpha).derivative,
          numeric_histo,
          1e-6)
          << Description(code) << " histosys at " << alpha;
    }
  }
}

TEST(Interpolation, CodesOtherThanCode2AreContinuousAtPlusMinusOne) {
  for (InterpolationCode code : kCodes) {
    if (code == InterpolationCode::kCode2) continue;
    for (double edge : {-1.0, 1.0}) {
      const double inside = edge * (1 - 1e-9);
      const double outside = edge * (1 + 1e-9);
      EXPECT_NEAR(InterpolateNormSys(code, kNormLo, kNormHi, inside).value,
                  InterpolateNormSys(code, kNormLo, kNormHi, outside).value,
                  1e-8)
          << Description(code) << " at " << edge;
      EXPECT_NEAR(InterpolateHistoSys(code, kLo, kNominal, kHi, inside).value,
                  InterpolateHistoSys(code, kLo, kNominal, kHi, outside).value,
                  1e-7)
          << Description(code) << " at " << edge;
    }
  }
}

TEST(Interpolation, Code4AndCode4pHaveContinuousDerivativesAtPlusMinusOne) {
  for (double edge : {-1.0, 1.0}) {
    const double inside = edge * (1 - 1e-9);
    const double outside = edge * (1 + 1e-9);
    for (InterpolationCode code :
         {InterpolationCode::kCode4, InterpolationCode::kCode4p}) {
      EXPECT_NEAR(
          InterpolateNormSys(code, kNormLo, kNormHi, inside).derivative,
          InterpolateNormSys(code, kNormLo, kNormHi, outside).derivative,
          1e-7)
          << Description(code);
      EXPECT_NEAR(
          InterpolateHistoSys(code, kLo, kNominal, kHi, inside).derivative,
          InterpolateHistoSys(code, kLo, kNominal, kHi, outside).derivative,
          1e-6)
          << Description(code);
    }
    // code4: the second derivative too (finite differences of f′).
    const auto second = [&](double alpha) {
      constexpr double kStep = 1e-5;
      const auto f = [](double a) {
        return InterpolateNormSys(
                   InterpolationCode::kCode4, kNormLo, kNormHi, a)
            .derivative;
      };
      return (f(alpha + kStep) - f(alpha - kStep)) / (2 * kStep);
    };
    EXPECT_NEAR(second(edge * 0.999), second(edge * 1.001), 1e-3);
  }
}

TEST(Interpolation, Code2JumpsAtPlusMinusOneAsInPyhf) {
  // pyhf's code2 (issue #2729): Δ(1) = hi − n⁰, Δ(1⁺) → 0 (no offset).
  const InterpolationCode code = InterpolationCode::kCode2;
  EXPECT_NEAR(
      InterpolateHistoSys(code, kLo, kNominal, kHi, 1.0).value, 4.0, 1e-14);
  EXPECT_NEAR(InterpolateHistoSys(code, kLo, kNominal, kHi, 1.0 + 1e-9).value,
              0.0,
              1e-8);
  EXPECT_NEAR(InterpolateHistoSys(code, kLo, kNominal, kHi, -1.0 - 1e-9).value,
              0.0,
              1e-8);
}

TEST(Interpolation, MultiplicativeCodesLeaveAnEmptyHistoSysBinEmpty) {
  for (InterpolationCode code :
       {InterpolationCode::kCode1, InterpolationCode::kCode4}) {
    const Interpolated shift = InterpolateHistoSys(code, 1.0, 0.0, 2.0, 0.7);
    EXPECT_EQ(shift.value, 0.0);
    EXPECT_EQ(shift.derivative, 0.0);
  }
}

TEST(Interpolation, ParsesPyhfCodeNames) {
  for (InterpolationCode code : kCodes) {
    EXPECT_EQ(ParseInterpolationCode(Description(code)), code);
  }
  EXPECT_TRUE(IsMultiplicative(InterpolationCode::kCode4));
  EXPECT_FALSE(IsMultiplicative(InterpolationCode::kCode4p));
  EXPECT_THAT([] { ParseInterpolationCode("code3"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("\"code3\"; expected one of code0, code1, code2, "
                            "code4, code4p")));
}

}  // namespace
}  // namespace goldmine::inference
