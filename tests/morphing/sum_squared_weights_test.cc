#include "goldmine/morphing/sum_squared_weights.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/morphing/morpher.h"
#include "support/finite_differences.h"

namespace goldmine::morphing {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

Eigen::MatrixXd RandomBasis(const Components& components,
                            const ParameterRanges& ranges,
                            std::uint64_t seed) {
  RandomStream random(seed);
  Eigen::MatrixXd basis(components.num_components(),
                        components.num_parameters());
  for (int b = 0; b < basis.rows(); ++b) {
    for (int p = 0; p < basis.cols(); ++p) {
      basis(b, p) = random.Uniform(ranges[p].lower, ranges[p].upper);
    }
  }
  return basis;
}

TEST(ExpectedSumSquaredWeights, EqualsTheMonteCarloAverageOverTheRanges) {
  const Components components = Components::FromMaxPowers({2, 4}, 4);
  const ParameterRanges ranges = {{-1.0, 2.0}, {-0.5, 0.5}};
  const ExpectedSumSquaredWeights objective(components, ranges);
  const Eigen::MatrixXd basis = RandomBasis(components, ranges, 21);
  const Morpher morpher(components, basis);
  RandomStream random(22);
  const int n = 400000;
  Eigen::MatrixXd thetas(n, 2);
  for (int i = 0; i < n; ++i) {
    thetas(i, 0) = random.Uniform(-1.0, 2.0);
    thetas(i, 1) = random.Uniform(-0.5, 0.5);
  }
  const Eigen::VectorXd sums =
      morpher.WeightsBatch(thetas).rowwise().squaredNorm();
  const double mean = sums.mean();
  const double standard_error =
      std::sqrt((sums.array() - mean).square().sum() / (n - 1.0) / n);
  EXPECT_NEAR(objective.Value(basis), mean, 5.0 * standard_error);
}

TEST(ExpectedSumSquaredWeights, IsOneDimensionalIntegralInTheSimplestCase) {
  // One parameter, components 1 and θ, basis {-1, 1}: w = ((1-θ)/2, (1+θ)/2),
  // Σw² = (1 + θ²)/2, whose mean over [-1, 1] is 2/3.
  const ExpectedSumSquaredWeights objective(Components::FromMaxPowers({1}, 1),
                                            {{-1.0, 1.0}});
  Eigen::MatrixXd basis(2, 1);
  basis << -1.0, 1.0;
  EXPECT_NEAR(objective.Value(basis), 2.0 / 3.0, 1e-15);
}

TEST(ExpectedSumSquaredWeights, GradientMatchesFiniteDifferences) {
  const Components components = Components::FromMaxPowers({2, 2, 2}, 2);
  const ParameterRanges ranges = {{-1.0, 1.0}, {-2.0, 2.0}, {0.0, 3.0}};
  const ExpectedSumSquaredWeights objective(components, ranges);
  const Eigen::MatrixXd basis = RandomBasis(components, ranges, 8);
  Eigen::MatrixXd gradient;
  const double value = objective.ValueAndGradient(basis, &gradient);
  EXPECT_DOUBLE_EQ(value, objective.Value(basis));
  const Eigen::Map<const Eigen::VectorXd> flat(basis.data(), basis.size());
  const Eigen::MatrixXd numeric = testing::FiniteDifferenceGradient(
      [&](const Eigen::VectorXd& x) {
        const Eigen::MatrixXd b = Eigen::Map<const Eigen::MatrixXd>(
            x.data(), basis.rows(), basis.cols());
        return Eigen::VectorXd::Constant(1, objective.Value(b));
      },
      flat);
  const Eigen::Map<const Eigen::VectorXd> analytic(gradient.data(),
                                                   gradient.size());
  EXPECT_TRUE(
      testing::AllClose(analytic, numeric.col(0), 1e-5 * std::max(1.0, value)));
}

TEST(ExpectedSumSquaredWeights, SingularBasisIsInfinitelyBad) {
  const ExpectedSumSquaredWeights objective(Components::FromMaxPowers({2}, 2),
                                            {{-1.0, 1.0}});
  Eigen::MatrixXd basis(3, 1);
  basis << 0.5, 0.5, -1.0;
  EXPECT_EQ(objective.Value(basis), std::numeric_limits<double>::infinity());
}

TEST(ExpectedSumSquaredWeights, RejectsEmptyRanges) {
  EXPECT_THAT(
      [] {
        ExpectedSumSquaredWeights(Components::FromMaxPowers({2}, 2),
                                  {{1.0, 1.0}});
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("parameter_range[0]: expected [lower, upper]")));
}

}  // namespace
}  // namespace goldmine::morphing
