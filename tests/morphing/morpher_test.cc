#include "goldmine/morphing/morpher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "support/finite_differences.h"

namespace goldmine::morphing {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// Two operators in one vertex: 6 components, the MadMiner tutorial basis.
Morpher TutorialMorpher() {
  Eigen::MatrixXd basis(6, 2);
  basis << 0, 0, -20, 0, 20, 0, 0, -20, 0, 20, 15, 15;
  return Morpher(Components::FromMaxPowers({2, 2}, 2), basis);
}

Eigen::MatrixXd RandomPoints(int n,
                             int num_parameters,
                             double scale,
                             std::uint64_t seed) {
  RandomStream random(seed);
  Eigen::MatrixXd points(n, num_parameters);
  for (int i = 0; i < n; ++i) {
    for (int p = 0; p < num_parameters; ++p)
      points(i, p) = random.Uniform(-scale, scale);
  }
  return points;
}

TEST(Morpher, WeightsAtABenchmarkSelectOnlyThatBenchmark) {
  const Morpher morpher = TutorialMorpher();
  for (int b = 0; b < morpher.num_benchmarks(); ++b) {
    const Eigen::VectorXd weights =
        morpher.Weights(morpher.basis().row(b).transpose());
    EXPECT_TRUE(testing::AllClose(weights, Eigen::VectorXd::Unit(6, b), 1e-12))
        << "benchmark " << b;
  }
}

TEST(Morpher, WeightsReproduceEveryPolynomialSpannedByTheComponents) {
  // f(θ) = Σ_c a_c c_c(θ) with random a: Σ_b w_b(θ) f(θ_b) must equal f(θ).
  for (const auto& [max_powers, overall] :
       std::vector<std::pair<std::vector<int>, int>>{
           {{2, 2}, 2}, {{2, 4}, 4}, {{2, 2, 2, 2, 2}, 2}}) {
    const Components components =
        Components::FromMaxPowers(max_powers, overall);
    const int p = components.num_parameters();
    const Eigen::MatrixXd basis =
        RandomPoints(components.num_components(), p, 1.0, 11);
    const Morpher morpher(components, basis);
    const Eigen::VectorXd coefficients =
        RandomPoints(components.num_components(), 1, 1.0, 12);
    const Eigen::VectorXd values_at_basis =
        components.EvaluateBatch(basis) * coefficients;
    const Eigen::MatrixXd thetas = RandomPoints(20, p, 1.5, 13);
    for (int i = 0; i < thetas.rows(); ++i) {
      const Eigen::VectorXd theta = thetas.row(i).transpose();
      const double expected = components.Evaluate(theta).dot(coefficients);
      EXPECT_NEAR(morpher.Weights(theta).dot(values_at_basis),
                  expected,
                  1e-8 * std::max(1.0, std::abs(expected)));
    }
  }
}

TEST(Morpher, WeightGradientsMatchFiniteDifferences) {
  const Components components = Components::FromMaxPowers({2, 4, 2}, 4);
  const Morpher morpher(components,
                        RandomPoints(components.num_components(), 3, 1.0, 5));
  const Eigen::MatrixXd thetas = RandomPoints(5, 3, 1.0, 6);
  for (int i = 0; i < thetas.rows(); ++i) {
    const Eigen::VectorXd theta = thetas.row(i).transpose();
    const Eigen::MatrixXd numeric = testing::FiniteDifferenceGradient(
        [&](const Eigen::VectorXd& t) { return morpher.Weights(t); }, theta);
    EXPECT_TRUE(
        testing::AllClose(morpher.WeightGradients(theta), numeric, 1e-6));
  }
}

TEST(Morpher, BatchMatchesSinglePoints) {
  const Morpher morpher = TutorialMorpher();
  const Eigen::MatrixXd thetas = RandomPoints(7, 2, 25.0, 3);
  const Eigen::MatrixXd weights = morpher.WeightsBatch(thetas);
  const std::vector<Eigen::MatrixXd> gradients =
      morpher.WeightGradientsBatch(thetas);
  for (int i = 0; i < thetas.rows(); ++i) {
    const Eigen::VectorXd theta = thetas.row(i).transpose();
    EXPECT_TRUE(testing::AllClose(
        weights.row(i).transpose(), morpher.Weights(theta), 1e-14));
    const Eigen::MatrixXd gradient = morpher.WeightGradients(theta);
    for (int p = 0; p < 2; ++p) {
      EXPECT_TRUE(
          testing::AllClose(gradients[p].row(i), gradient.row(p), 1e-14));
    }
  }
}

TEST(Morpher, MoreBenchmarksThanComponentsGiveMinimumNormWeights) {
  const Components components = Components::FromMaxPowers({2}, 2);
  Eigen::MatrixXd basis(5, 1);
  basis << -1.0, -0.5, 0.0, 0.5, 1.0;
  const Morpher morpher(components, basis);
  const Eigen::VectorXd theta = Eigen::VectorXd::Constant(1, 0.3);
  const Eigen::VectorXd weights = morpher.Weights(theta);
  // They reproduce every component...
  EXPECT_TRUE(
      testing::AllClose(components.EvaluateBatch(basis).transpose() * weights,
                        components.Evaluate(theta),
                        1e-12));
  // ...with less Σw² than the exact solution on any three of the points.
  Eigen::MatrixXd three(3, 1);
  three << -1.0, 0.0, 1.0;
  EXPECT_LT(weights.squaredNorm(),
            Morpher(components, three).SumSquaredWeights(theta));
}

TEST(Morpher, CrossSectionsAndEventWeightsMorphLinearly) {
  const Morpher morpher = TutorialMorpher();
  // σ(θ) = 2 + θ1 - θ2² + θ1 θ2 evaluated at the benchmarks.
  auto sigma = [](const Eigen::VectorXd& t) {
    return 2 + t(0) - t(1) * t(1) + t(0) * t(1);
  };
  Eigen::VectorXd benchmark_sigma(6);
  for (int b = 0; b < 6; ++b)
    benchmark_sigma(b) = sigma(morpher.basis().row(b).transpose());
  const Eigen::Vector2d theta(1.5, -2.5);
  EXPECT_NEAR(
      morpher.CrossSection(theta, benchmark_sigma), sigma(theta), 1e-10);
  const Eigen::Vector2d expected_gradient(1 + theta(1),
                                          -2 * theta(1) + theta(0));
  EXPECT_TRUE(
      testing::AllClose(morpher.CrossSectionGradient(theta, benchmark_sigma),
                        expected_gradient,
                        1e-10));
  const Eigen::MatrixXd two_events =
      benchmark_sigma.transpose().replicate(2, 1) * 0.5;
  EXPECT_TRUE(testing::AllClose(morpher.EventWeights(theta, two_events),
                                Eigen::Vector2d::Constant(0.5 * sigma(theta)),
                                1e-10));
}

TEST(Morpher, RejectsTooFewBenchmarks) {
  EXPECT_THAT(
      [] {
        Morpher(Components::FromMaxPowers({2, 2}, 2),
                Eigen::MatrixXd::Zero(3, 2));
      },
      ThrowsMessage<InvalidInput>(HasSubstr("give at least 6 benchmarks")));
}

TEST(Morpher, RejectsBenchmarksWithTheWrongNumberOfParameters) {
  EXPECT_THAT(
      [] {
        Morpher(Components::FromMaxPowers({2, 2}, 2),
                Eigen::MatrixXd::Zero(6, 3));
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("expected 2 values per benchmark")));
}

TEST(Morpher, RejectsASingularBasis) {
  Eigen::MatrixXd basis(3, 1);
  basis << 0.0, 1.0, 1.0;  // a repeated point
  EXPECT_THAT([&] { Morpher(Components::FromMaxPowers({2}, 2), basis); },
              ThrowsMessage<InvalidInput>(HasSubstr("singular")));
}

TEST(Morpher, RejectsANumericallySingularBasis) {
  Eigen::MatrixXd basis(3, 1);
  basis << 0.0, 1.0, 1.0 + 1e-13;  // condition number ~1e13
  EXPECT_THAT([&] { Morpher(Components::FromMaxPowers({2}, 2), basis); },
              ThrowsMessage<InvalidInput>(HasSubstr("numerically singular")));
}

TEST(Morpher, RejectsNonFiniteBenchmarks) {
  Eigen::MatrixXd basis(3, 1);
  basis << 0.0, 1.0, std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT([&] { Morpher(Components::FromMaxPowers({2}, 2), basis); },
              ThrowsMessage<InvalidInput>(HasSubstr("finite")));
}

TEST(Morpher, RejectsCrossSectionsOfTheWrongLength) {
  EXPECT_THAT(
      [] {
        TutorialMorpher().CrossSection(Eigen::Vector2d(0, 0),
                                       Eigen::VectorXd::Ones(5));
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("one value per benchmark (6), got 5")));
}

}  // namespace
}  // namespace goldmine::morphing
