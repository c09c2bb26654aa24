// The Matrix Element Method on the analytic toy against its exact
// likelihood (ToyModel::Density and Score, computed by one-dimensional
// quadrature and closed-form phi integrals: an independent truth).
#include "goldmine/mem/toy_process.h"

#include <gtest/gtest.h>

#include <cmath>

#include "goldmine/mem/mem_computation.h"
#include "goldmine/mem/monomials.h"
#include "goldmine/mem/observable_density.h"
#include "support/sanitized.h"

namespace goldmine::mem {
namespace {

struct Case {
  double pt, dphi, eta;
};

const Case kCases[] = {{35.0, 0.1, 0.3},
                       {62.0, 2.5, -1.2},
                       {150.0, -1.0, 0.0},
                       {21.0, -3.0, 2.0},
                       {400.0, 1.4, 0.5}};

Eigen::VectorXd Theta(double a, double b) {
  Eigen::VectorXd theta(2);
  theta << a, b;
  return theta;
}

// D_0 to 3e-4 (about 250,000 calls per observation).
VegasSettings Precise() {
  VegasSettings settings;
  settings.relative_precision = 3e-4;
  settings.calls_per_iteration = 10000;
  settings.max_iterations = 100;
  return settings;
}

TEST(ToyMem, DensityEqualsTheExactLikelihood) {
  const ToyProcess process({"c1", "c2"});
  const ObservableDensity density(process.monomials());
  const std::vector<Eigen::VectorXd> thetas = {
      Theta(0.0, 0.0), Theta(0.5, -0.3), Theta(-1.0, 0.8)};
  std::uint64_t seed = 1;
  for (const Case& c : kCases) {
    const VegasResult result =
        IntegrateObservation(process, {c.pt, c.dphi, c.eta}, Precise(), seed++);
    EXPECT_LE(result.error(0), 5e-4 * result.value(0)) << c.pt;
    for (const Eigen::VectorXd& theta : thetas) {
      const Eigen::VectorXd m = EvaluateMonomials(process.monomials(), theta);
      const double sigma = process.model().CrossSection(theta);
      const double mem = m.dot(result.value) / sigma;
      // The components share their points: bound the error by full
      // correlation.
      const double error = m.cwiseAbs().dot(result.error) / sigma;
      generators::ToyObservation x;
      x.pt = c.pt;
      x.dphi = c.dphi;
      x.eta = c.eta;
      const double exact = process.model().Density(x, theta);
      EXPECT_NEAR(mem, exact, 5.0 * error + 1e-9 * exact)
          << "pt " << c.pt << " dphi " << c.dphi << " theta "
          << theta.transpose();
      EXPECT_NEAR(mem / exact, 1.0, 2e-3);
    }
  }
}

TEST(ToyMem, ScoreEqualsTheExactScoreInEitherParameterOrder) {
  GOLDMINE_SKIP_LONG_CHECK_WHEN_SANITIZED();
  for (const std::vector<std::string>& order :
       {std::vector<std::string>{"c1", "c2"},
        std::vector<std::string>{"c2", "c1"}}) {
    const ToyProcess process(order);
    const ObservableDensity density(process.monomials());
    const Eigen::VectorXd theta = Theta(0.4, -0.2);
    std::uint64_t seed = 11;
    for (const Case& c : kCases) {
      const VegasResult result = IntegrateObservation(
          process, {c.pt, c.dphi, c.eta}, Precise(), seed++);
      const Eigen::MatrixXd coefficients = result.value.transpose();
      const Eigen::VectorXd log_gradient =
          density.LogGradient(coefficients, theta).row(0).transpose();
      const Eigen::VectorXd score =
          log_gradient - process.model().CrossSectionGradient(theta) /
                             process.model().CrossSection(theta);
      generators::ToyObservation x;
      x.pt = c.pt;
      x.dphi = c.dphi;
      x.eta = c.eta;
      const Eigen::VectorXd exact = process.model().Score(x, theta);
      for (Eigen::Index p = 0; p < 2; ++p) {
        EXPECT_NEAR(score(p), exact(p), 5e-3 * (1.0 + std::abs(exact(p))))
            << order[0] << " pt " << c.pt << " component " << p;
      }
    }
  }
}

TEST(ToyMem, OneParameterToyHasItsThreeMonomials) {
  const ToyProcess process({"c2"});
  EXPECT_EQ(process.monomials().rows(), 3);
  const VegasResult result =
      IntegrateObservation(process, {80.0, 0.7, 0.1}, Precise(), 5);
  const double sigma_sm = process.model().CrossSection(Theta(0.0, 0.0).head(1));
  generators::ToyObservation x;
  x.pt = 80.0;
  x.dphi = 0.7;
  x.eta = 0.1;
  Eigen::VectorXd theta(1);
  theta << 0.6;
  const Eigen::VectorXd m = EvaluateMonomials(process.monomials(), theta);
  EXPECT_NEAR(m.dot(result.value) / process.model().CrossSection(theta),
              process.model().Density(x, theta),
              2e-3 * process.model().Density(x, theta));
  EXPECT_GT(sigma_sm, 0.0);
}

TEST(ToyMem, EachEventHasItsOwnReproducibleStream) {
  const ToyProcess process({"c1", "c2"});
  VegasSettings settings;
  settings.relative_precision = 1e-2;
  const VegasResult a = IntegrateObservation(
      process, {50.0, 0.2, 0.0}, settings, EventSeed(1, 7));
  const VegasResult b = IntegrateObservation(
      process, {50.0, 0.2, 0.0}, settings, EventSeed(1, 7));
  EXPECT_EQ(a.value, b.value);
  EXPECT_NE(EventSeed(1, 7), EventSeed(1, 8));
  EXPECT_NE(EventSeed(1, 7), EventSeed(2, 7));
}

}  // namespace
}  // namespace goldmine::mem
