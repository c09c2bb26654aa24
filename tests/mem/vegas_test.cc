#include "goldmine/mem/vegas.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "goldmine/core/errors.h"

namespace goldmine::mem {
namespace {

constexpr double kPi = 3.14159265358979323846;

// A narrow 2D Gaussian peak (width 0.02, far narrower than a uniform grid's
// resolution) and its x-moment: analytic integrals
//   ∫ g = 2π σ² (the peak lies well inside the unit square),
//   ∫ u1 g = 0.3 · 2π σ².
void Peak(const double* u, double* out) {
  constexpr double kWidth = 0.02;
  const double r2 =
      std::pow((u[0] - 0.3) / kWidth, 2) + std::pow((u[1] - 0.6) / kWidth, 2);
  const double g = std::exp(-0.5 * r2);
  out[0] = g;
  out[1] = u[0] * g;
}

// The peak and a constant: the guide gives both their share of the points
// (outputs of different shapes are all integrated, none neglected).
void PeakAndConstant(const double* u, double* out) {
  Peak(u, out);
  out[2] = 1.0;
}

TEST(Vegas, IntegratesANarrowPeakWithHonestErrors) {
  const double sigma = 0.02;
  const double exact = 2.0 * kPi * sigma * sigma;
  VegasSettings settings;
  settings.relative_precision = 1e-3;
  settings.calls_per_iteration = 5000;
  settings.max_iterations = 60;
  RandomStream random(7);
  const VegasResult result = IntegrateVegas(Peak, 2, 2, settings, random);
  EXPECT_TRUE(result.converged);
  EXPECT_LE(result.error(0), 1e-3 * result.value(0));
  // Within 4 standard errors, and the error is not absurdly large.
  EXPECT_NEAR(result.value(0), exact, 4.0 * result.error(0));
  EXPECT_NEAR(result.value(1), 0.3 * exact, 4.0 * result.error(1));
  EXPECT_LT(result.chi2_per_dof, 5.0);
  // The adapted grid beats plain Monte Carlo by far: plain sampling of this
  // peak has a relative standard deviation of ~1/(σ√(4π)) ≈ 14 per call,
  // so 1e-3 would need ~2e8 calls; the grid's is ~0.4.
  EXPECT_LT(result.calls, 400000);

  // With a constant output as well, both are right within their errors.
  RandomStream again(8);
  settings.relative_precision = 1e-2;
  const VegasResult both =
      IntegrateVegas(PeakAndConstant, 2, 3, settings, again);
  EXPECT_NEAR(both.value(0), exact, 4.0 * both.error(0));
  EXPECT_NEAR(both.value(2), 1.0, 4.0 * both.error(2) + 1e-12);
  EXPECT_LT(both.error(2), 0.03);
}

TEST(Vegas, PullsOfManyIntegrationsAreUnitNormal) {
  // The reported errors must be the real spread: 40 independent
  // integrations of a smooth integrand at a loose precision.
  const auto smooth = [](const double* u, double* out) {
    out[0] = std::exp(-u[0]) * (1.0 + u[1] * u[1]);
  };
  const double exact = (1.0 - std::exp(-1.0)) * (4.0 / 3.0);
  VegasSettings settings;
  settings.calls_per_iteration = 500;
  settings.relative_precision = 1e-2;
  double sum_pull2 = 0.0;
  const int runs = 40;
  for (int seed = 0; seed < runs; ++seed) {
    RandomStream random(static_cast<std::uint64_t>(seed) + 100);
    const VegasResult result = IntegrateVegas(smooth, 2, 1, settings, random);
    sum_pull2 += std::pow((result.value(0) - exact) / result.error(0), 2);
  }
  const double mean_pull2 = sum_pull2 / runs;
  // E = 1; with 40 runs the mean of χ²₁ has standard deviation 0.22.
  EXPECT_GT(mean_pull2, 0.35);
  EXPECT_LT(mean_pull2, 2.0);
}

TEST(Vegas, SameSeedSameNumbers) {
  VegasSettings settings;
  RandomStream a(3);
  RandomStream b(3);
  const VegasResult first = IntegrateVegas(PeakAndConstant, 2, 3, settings, a);
  const VegasResult second = IntegrateVegas(PeakAndConstant, 2, 3, settings, b);
  EXPECT_EQ(first.value, second.value);
  EXPECT_EQ(first.error, second.error);
  EXPECT_EQ(first.calls, second.calls);
}

TEST(Vegas, ZeroIntegrandConvergesToZero) {
  const auto zero = [](const double*, double* out) { out[0] = 0.0; };
  RandomStream random(1);
  const VegasResult result =
      IntegrateVegas(zero, 3, 1, VegasSettings{}, random);
  EXPECT_EQ(result.value(0), 0.0);
  EXPECT_EQ(result.error(0), 0.0);
}

TEST(Vegas, BadSettingsAreRefused) {
  RandomStream random(1);
  VegasSettings settings;
  settings.relative_precision = 0.0;
  EXPECT_THROW(IntegrateVegas(Peak, 2, 3, settings, random), InvalidInput);
  settings = VegasSettings{};
  settings.calls_per_iteration = 1;
  EXPECT_THROW(IntegrateVegas(Peak, 2, 3, settings, random), InvalidInput);
  EXPECT_THROW(IntegrateVegas(Peak, 0, 3, VegasSettings{}, random),
               InvalidInput);
}

}  // namespace
}  // namespace goldmine::mem
