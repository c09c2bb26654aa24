#include "goldmine/inference/interpolation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace goldmine::inference {
namespace {

constexpr double kAlphas[] = {
    -2.6, -1.0, -0.8, -0.3, 0.0, 0.1, 0.6, 0.999, 1.0, 1.4, 2.3};

TEST(ModelInterpolation, NormSysCodesReproduceTheTemplatesAtPlusMinusOne) {
  for (NormSysCode code : {NormSysCode::kCode1, NormSysCode::kCode4}) {
    EXPECT_NEAR(InterpolateNormSys(code, 0.8, 1.3, 1.0).value, 1.3, 1e-14);
    EXPECT_NEAR(InterpolateNormSys(code, 0.8, 1.3, -1.0).value, 0.8, 1e-14);
    EXPECT_NEAR(InterpolateNormSys(code, 0.8, 1.3, 0.0).value, 1.0, 1e-14);
  }
}

TEST(ModelInterpolation, NormSysCode4IsSmoothAtPlusMinusOne) {
  for (double edge : {-1.0, 1.0}) {
    const double inside = edge * (1 - 1e-9);
    const double outside = edge * (1 + 1e-9);
    const Interpolated a =
        InterpolateNormSys(NormSysCode::kCode4, 0.7, 1.2, inside);
    const Interpolated b =
        InterpolateNormSys(NormSysCode::kCode4, 0.7, 1.2, outside);
    EXPECT_NEAR(a.value, b.value, 1e-8);
    EXPECT_NEAR(a.derivative, b.derivative, 1e-7);
  }
}

TEST(ModelInterpolation, HistoSysCode4pIsContinuousAtPlusMinusOne) {
  for (double edge : {-1.0, 1.0}) {
    const Interpolated a = InterpolateHistoSys(
        HistoSysCode::kCode4p, 8.0, 10.0, 13.0, edge * (1 - 1e-9));
    const Interpolated b = InterpolateHistoSys(
        HistoSysCode::kCode4p, 8.0, 10.0, 13.0, edge * (1 + 1e-9));
    EXPECT_NEAR(a.value, b.value, 1e-7);
    EXPECT_NEAR(a.derivative, b.derivative, 1e-6);
  }
  EXPECT_NEAR(InterpolateHistoSys(HistoSysCode::kCode4p, 8, 10, 13, 1.0).value,
              3,
              1e-14);
  EXPECT_NEAR(InterpolateHistoSys(HistoSysCode::kCode4p, 8, 10, 13, -1.0).value,
              -2,
              1e-14);
}

TEST(ModelInterpolation, DerivativesMatchFiniteDifferences) {
  constexpr double kStep = 1e-6;
  for (double alpha : kAlphas) {
    if (std::abs(std::abs(alpha) - 1.0) < 1e-3 || alpha == 0.0) continue;
    for (NormSysCode code : {NormSysCode::kCode1, NormSysCode::kCode4}) {
      const double numeric =
          (InterpolateNormSys(code, 0.85, 1.25, alpha + kStep).value -
           InterpolateNormSys(code, 0.85, 1.25, alpha - kStep).value) /
          (2 * kStep);
      EXPECT_NEAR(
          InterpolateNormSys(code, 0.85, 1.25, alpha).derivative, numeric, 1e-7)
          << Description(code) << " at " << alpha;
    }
    for (HistoSysCode code :
         {HistoSysCode::kCode0, HistoSysCode::kCode2, HistoSysCode::kCode4p}) {
      const double numeric =
          (InterpolateHistoSys(code, 7.0, 10.0, 14.0, alpha + kStep).value -
           InterpolateHistoSys(code, 7.0, 10.0, 14.0, alpha - kStep).value) /
          (2 * kStep);
      EXPECT_NEAR(InterpolateHistoSys(code, 7.0, 10.0, 14.0, alpha).derivative,
                  numeric,
                  1e-6)
          << Description(code) << " at " << alpha;
    }
  }
}

}  // namespace
}  // namespace goldmine::inference
