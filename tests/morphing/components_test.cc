#include "goldmine/morphing/components.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"
#include "support/finite_differences.h"

namespace goldmine::morphing {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(Components, FromMaxPowersFollowsMadMinersOrder) {
  const Components components = Components::FromMaxPowers({2, 2}, 2);
  Eigen::MatrixXi expected(6, 2);
  expected << 0, 0, 0, 1, 0, 2, 1, 0, 1, 1, 2, 0;
  EXPECT_EQ(components.powers(), expected);
}

// A power of 999999990 in a morphing case's components made the power
// tables ask for 16 GB (fuzz finding, tests/regression_inputs/morphing_case/).
TEST(Components, PowersAboveTheLimitAreRefused) {
  Eigen::MatrixXi powers(2, 2);
  powers << 0, 0, 1, 999999990;
  EXPECT_THROW(Components{powers}, InvalidInput);
  powers << 0, 0, 1, 64;  // the limit
  EXPECT_NO_THROW(Components{powers});
}

TEST(Components, WithoutOverallLimitEveryTupleIsKept) {
  EXPECT_EQ(Components::FromMaxPowers({2, 2}, std::nullopt).num_components(),
            9);
  EXPECT_EQ(Components::FromMaxPowers({1, 2, 2}, 3).num_components(), 14);
}

TEST(Components, FiveParametersAtPowerFourHave126Components) {
  // Production × decay: every monomial of degree ≤ 4 in 5 parameters, C(9,4).
  const Components components = Components::FromMaxPowers({4, 4, 4, 4, 4}, 4);
  EXPECT_EQ(components.num_components(), 126);
  EXPECT_EQ(components.powers().rowwise().sum().maxCoeff(), 4);
}

TEST(Components, CouplingExpansionForTwoSharedCouplings) {
  // (g1 + g2)^4: five monomials, highest power of the first coupling first.
  const Components components = Components::FromCouplings(0, 0, 2);
  Eigen::MatrixXi expected(5, 2);
  expected << 4, 0, 3, 1, 2, 2, 1, 3, 0, 4;
  EXPECT_EQ(components.powers(), expected);
}

TEST(Components, CouplingExpansionSeparatesProductionAndDecay) {
  // (gp)^2 (gd)^2 with one coupling each: a single monomial gd² gp².
  const Components one_each = Components::FromCouplings(1, 1, 0);
  ASSERT_EQ(one_each.num_components(), 1);
  EXPECT_EQ(one_each.powers()(0, 0), 2);
  EXPECT_EQ(one_each.powers()(0, 1), 2);
  // (gp1 + gp2)^2 (gd)^2: gd² gp1², gd² gp1 gp2, gd² gp2².
  EXPECT_EQ(Components::FromCouplings(2, 1, 0).num_components(), 3);
}

TEST(Components, CouplingExpansionWithOneVertexOnlyIsItsSquare) {
  // MadMiner's find_components(Np=2): the missing decay vertex is a factor 1,
  // so (gp0 + gp1)² gives gp0², gp0 gp1, gp1² (sympy's descending order).
  Eigen::MatrixXi expected(3, 2);
  expected << 2, 0, 1, 1, 0, 2;
  EXPECT_EQ(Components::FromCouplings(2, 0, 0).powers(), expected);
  EXPECT_EQ(Components::FromCouplings(0, 2, 0).powers(), expected);
}

TEST(Components, CouplingExpansionMixesOwnAndSharedCouplings) {
  // (gp + gs)² (gd + gs)² expanded by hand; columns gd, gp, gs; sympy's
  // Poly.terms() lists the monomials in descending lexicographic order.
  Eigen::MatrixXi expected(9, 3);
  expected << 2, 2, 0, 2, 1, 1, 2, 0, 2, 1, 2, 1, 1, 1, 2, 1, 0, 3, 0, 2, 2, 0,
      1, 3, 0, 0, 4;
  EXPECT_EQ(Components::FromCouplings(1, 1, 1).powers(), expected);
}

TEST(Components, CouplingExpansionRejectsNoCouplings) {
  EXPECT_THROW(Components::FromCouplings(0, 0, 0), InvalidInput);
  EXPECT_THROW(Components::FromCouplings(-1, 2, 0), InvalidInput);
}

TEST(Components, CountFromMaxPowersCountsWithoutBuilding) {
  for (const auto& [powers, overall] :
       std::vector<std::pair<std::vector<int>, std::optional<int>>>{
           {{2, 2}, 2}, {{1, 2, 2}, 3}, {{4}, std::nullopt}, {{2, 4}, 4}}) {
    EXPECT_EQ(Components::CountFromMaxPowers(powers, overall),
              Components::FromMaxPowers(powers, overall).num_components());
  }
  // 10 parameters up to power 4 with total ≤ 4: C(14, 4) = 1001 monomials.
  EXPECT_EQ(Components::CountFromMaxPowers(std::vector<int>(10, 4), 4), 1001);
}

TEST(Components, AstronomicalPowersAreRefusedWithoutEnumeratingThem) {
  // 101^5 ≈ 10^10 tuples, or 10^9 for one parameter: counting stops at
  // kMaxComponents + 1 instead of building them.
  EXPECT_EQ(
      Components::CountFromMaxPowers({100, 100, 100, 100, 100}, std::nullopt),
      Components::kMaxComponents + 1);
  EXPECT_EQ(Components::CountFromMaxPowers({1000000000}, 1000000000),
            Components::kMaxComponents + 1);
  EXPECT_THAT(
      [] { Components::FromMaxPowers({1000000000}, std::nullopt); },
      ThrowsMessage<InvalidInput>(HasSubstr("more than 5000 components")));
  // With a total of 2 the same powers are harmless: 1 + 5 + 15 = 21.
  EXPECT_EQ(
      Components::FromMaxPowers({100, 100, 100, 100, 100}, 2).num_components(),
      21);
}

TEST(Components, EvaluateGivesTheMonomials) {
  const Components components = Components::FromMaxPowers({2, 2}, 2);
  const Eigen::Vector2d theta(-0.5, 3.0);
  Eigen::VectorXd expected(6);
  expected << 1.0, 3.0, 9.0, -0.5, -1.5, 0.25;
  EXPECT_TRUE(testing::AllClose(components.Evaluate(theta), expected, 1e-15));
}

TEST(Components, GradientMatchesFiniteDifferences) {
  const Components components = Components::FromMaxPowers({2, 4, 1}, 4);
  for (const Eigen::Vector3d& theta : {Eigen::Vector3d(0.3, -1.2, 0.7),
                                       Eigen::Vector3d(0.0, 0.0, 0.0),
                                       Eigen::Vector3d(-2.0, 0.5, 0.0)}) {
    const Eigen::MatrixXd numeric = testing::FiniteDifferenceGradient(
        [&](const Eigen::VectorXd& t) { return components.Evaluate(t); },
        theta);
    EXPECT_TRUE(testing::AllClose(components.Gradient(theta), numeric, 1e-8));
  }
}

TEST(Components, BatchEvaluationMatchesSinglePoints) {
  const Components components = Components::FromMaxPowers({2, 2, 2}, 2);
  Eigen::MatrixXd thetas(3, 3);
  thetas << 0.1, 0.2, 0.3, -1.0, 2.0, 0.5, 0.0, -0.7, 4.0;
  const Eigen::MatrixXd values = components.EvaluateBatch(thetas);
  const std::vector<Eigen::MatrixXd> gradients =
      components.GradientBatch(thetas);
  for (int n = 0; n < 3; ++n) {
    const Eigen::VectorXd theta = thetas.row(n).transpose();
    EXPECT_TRUE(testing::AllClose(
        values.row(n).transpose(), components.Evaluate(theta), 0.0));
    for (int p = 0; p < 3; ++p) {
      EXPECT_TRUE(testing::AllClose(
          gradients[p].row(n), components.Gradient(theta).row(p), 0.0));
    }
  }
}

TEST(Components, RejectsRepeatedComponents) {
  Eigen::MatrixXi powers(2, 1);
  powers << 1, 1;
  EXPECT_THAT([&] { Components{powers}; },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("components[1]: [1] appears twice")));
}

TEST(Components, RejectsNegativePowers) {
  Eigen::MatrixXi powers(1, 2);
  powers << 0, -1;
  EXPECT_THAT([&] { Components{powers}; },
              ThrowsMessage<InvalidInput>(HasSubstr("must be non-negative")));
}

TEST(Components, RejectsThetaOfTheWrongSize) {
  const Components components = Components::FromMaxPowers({2, 2}, 2);
  EXPECT_THAT([&] { components.Evaluate(Eigen::Vector3d(1, 2, 3)); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("expected 2 parameter values, got 3")));
}

}  // namespace
}  // namespace goldmine::morphing
