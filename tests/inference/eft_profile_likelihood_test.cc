#include "goldmine/inference/eft_profile_likelihood.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "goldmine/core/errors.h"
#include "goldmine/inference/eft_fisher_information.h"
#include "goldmine/mining/fisher_information.h"
#include "inference/eft_test_models.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr double kTwoPi = 6.283185307179586;

double Sigma(double theta) { return 1.0 + 0.5 * theta + 0.3 * theta * theta; }

// One bin ν = λ L σ(θ), lumi constraint N(1 | λ, s), observed n. The
// profiled λ solves d(−2 ln L)/dλ = 0:
//   λ² + (A s² − 1) λ − n s² = 0,  A = L σ(θ),
// and −2 ln L = 2 [λA − n ln(λA) + lnΓ(n+1)] + (λ−1)²/s² + 2 ln(s √(2π)).
double AnalyticLumiProfile(double theta,
                           double luminosity,
                           double s,
                           double n) {
  const double a = luminosity * Sigma(theta);
  const double p = a * s * s - 1.0;
  const double lambda = 0.5 * (-p + std::sqrt(p * p + 4.0 * n * s * s));
  return 2.0 * (lambda * a - n * std::log(lambda * a) + std::lgamma(n + 1.0)) +
         (lambda - 1.0) * (lambda - 1.0) / (s * s) +
         2.0 * std::log(s * std::sqrt(kTwoPi));
}

TEST(EftProfile, LumiUncertaintyMatchesTheAnalyticProfile) {
  BinnedEftOptions options;
  options.luminosity = 100.0;
  options.lumi_uncertainty = 0.1;
  const BinnedEftModel model(testing::OneBinInput(), options);
  const Eigen::VectorXd observed = model.AsimovCounts(Eigen::VectorXd::Zero(1));
  const Eigen::MatrixXd grid = MakeEftGrid({-1.0}, {1.0}, {9});
  const EftProfileResult result = ProfileOnGrid(model, grid, observed);
  for (Eigen::Index i = 0; i < grid.rows(); ++i) {
    EXPECT_TRUE(result.converged[static_cast<std::size_t>(i)]);
    EXPECT_NEAR(result.twice_nll(i),
                AnalyticLumiProfile(grid(i, 0), 100.0, 0.1, observed(0)),
                1e-6)
        << "theta " << grid(i, 0);
  }
  EXPECT_EQ(result.best_index, 4);
  EXPECT_DOUBLE_EQ(result.best_fit(0), 0.0);
  EXPECT_DOUBLE_EQ(result.minus_two_delta_log_l(4), 0.0);
  EXPECT_DOUBLE_EQ(result.p_values(4), 1.0);
}

TEST(EftProfile, LumiUncertaintyWidensTheIntervalAsTheProfiledInformation) {
  // I = L σ'²/σ = 25 without uncertainty; the profile over λ divides it by
  // 1 + s² L σ = 2 (Schur complement of [[25, 50], [50, 100 + 1/s²]]).
  BinnedEftOptions options;
  options.luminosity = 100.0;
  options.lumi_uncertainty = 0.1;
  const BinnedEftModel with(testing::OneBinInput(), options);
  options.lumi_uncertainty = 0.0;
  const BinnedEftModel without(testing::OneBinInput(), options);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(1);
  const EftFisherInformation fisher = ComputeEftFisherInformation(with, zero);
  ASSERT_EQ(fisher.parameters, (std::vector<std::string>{"c_w", "lumi"}));
  EXPECT_NEAR(fisher.information(0, 0), 25.0, 1e-10);
  EXPECT_NEAR(fisher.information(0, 1), 50.0, 1e-10);
  EXPECT_NEAR(fisher.information(1, 1), 200.0, 1e-9);
  EXPECT_NEAR(fisher.profiled(0, 0), 12.5, 1e-10);
  EXPECT_NEAR(
      ComputeEftFisherInformation(without, zero).profiled(0, 0), 25.0, 1e-10);
  // Curvature of the profile at the minimum (Asimov data at θ = 0).
  const double h = 1e-2;
  const Eigen::MatrixXd grid = MakeEftGrid({-h}, {h}, {3});
  const EftProfileResult profile =
      ProfileOnGrid(with, grid, with.AsimovCounts(zero));
  const double curvature =
      0.5 *
      (profile.minus_two_delta_log_l(0) + profile.minus_two_delta_log_l(2)) /
      (h * h);
  EXPECT_NEAR(curvature, 12.5, 12.5 * 2e-3);
  const EftProfileResult fixed =
      ProfileOnGrid(without, grid, without.AsimovCounts(zero));
  EXPECT_NEAR(fixed.minus_two_delta_log_l(2) / profile.minus_two_delta_log_l(2),
              2.0,
              1e-2);
}

// −2 ln L of the three-bin model with one code4p histosys, written out here
// independently of the engine: Poisson terms plus the N(0 | α, 1) term.
double HandTwiceNll(const BinnedEftModel& model,
                    double theta,
                    double alpha,
                    const Eigen::VectorXd& observed) {
  const Eigen::VectorXd c =
      (Eigen::VectorXd(3) << 1, theta, theta * theta).finished();
  const double lumi = model.options().luminosity;
  const EftHistoSys& histosys = model.input().histosys[0];
  double twice_nll = alpha * alpha + std::log(kTwoPi);
  for (int b = 0; b < 3; ++b) {
    const double nominal = lumi * model.input().component_yields.row(b).dot(c);
    const double up = lumi * histosys.up.row(b).dot(c) - nominal;
    const double down = nominal - lumi * histosys.down.row(b).dot(c);
    double shift = 0.0;
    if (alpha > 1) {
      shift = alpha * up;
    } else if (alpha < -1) {
      shift = alpha * down;
    } else {
      const double s = 0.5 * (up + down);
      const double a = (up - down) / 16.0;
      const double a2 = alpha * alpha;
      shift = alpha * s + a * (3 * a2 * a2 * a2 - 10 * a2 * a2 + 15 * a2);
    }
    const double nu = nominal + shift;
    const double n = observed(b);
    twice_nll -= 2 * (n * std::log(nu) - nu - std::lgamma(n + 1));
  }
  return twice_nll;
}

TEST(EftProfile, HistoSysProfileMatchesAnIndependentOneDimensionalMinimum) {
  BinnedEftOptions options;
  options.luminosity = 100.0;
  const BinnedEftModel model(testing::ThreeBinInput(false), options);
  const Eigen::VectorXd observed = Eigen::Vector3d(212, 119, 71);
  for (double theta : {-0.8, 0.0, 0.3, 1.1}) {
    // Golden-section search over α.
    double lo = -5.0;
    double hi = 5.0;
    const double ratio = 0.5 * (std::sqrt(5.0) - 1.0);
    for (int iteration = 0; iteration < 200; ++iteration) {
      const double x1 = hi - ratio * (hi - lo);
      const double x2 = lo + ratio * (hi - lo);
      if (HandTwiceNll(model, theta, x1, observed) <
          HandTwiceNll(model, theta, x2, observed)) {
        hi = x2;
      } else {
        lo = x1;
      }
    }
    const double expected =
        HandTwiceNll(model, theta, 0.5 * (lo + hi), observed);
    Eigen::VectorXd fitted;
    bool converged = false;
    const double profiled =
        ProfiledTwiceNll(model,
                         Eigen::VectorXd::Constant(1, theta),
                         observed,
                         Eigen::VectorXd(),
                         EftProfileOptions().fit,
                         &fitted,
                         &converged);
    EXPECT_TRUE(converged);
    EXPECT_NEAR(profiled, expected, 1e-6) << "theta " << theta;
    EXPECT_NEAR(fitted(0), 0.5 * (lo + hi), 1e-4) << "theta " << theta;
  }
}

TEST(EftProfile, CurvatureMatchesProfiledFisherInformationWithAllModifiers) {
  BinnedEftInput input = testing::ThreeBinInput(true);
  input.normsys.push_back({"xsec", 0.92, 1.07});
  BinnedEftOptions options;
  options.luminosity = 300.0;
  options.lumi_uncertainty = 0.03;
  const BinnedEftModel model(input, options);
  const Eigen::VectorXd theta0 = Eigen::VectorXd::Constant(1, 0.2);
  const EftFisherInformation fisher =
      ComputeEftFisherInformation(model, theta0);
  const double h = 5e-3;
  const Eigen::MatrixXd grid = MakeEftGrid({0.2 - h}, {0.2 + h}, {3});
  const EftProfileResult profile =
      ProfileOnGrid(model, grid, model.AsimovCounts(theta0));
  EXPECT_EQ(profile.best_index, 1);
  const double curvature =
      0.5 *
      (profile.minus_two_delta_log_l(0) + profile.minus_two_delta_log_l(2)) /
      (h * h);
  EXPECT_NEAR(curvature, fisher.profiled(0, 0), 3e-3 * fisher.profiled(0, 0));
  // Profiling loses information.
  EXPECT_LT(fisher.profiled(0, 0), fisher.information(0, 0));
}

TEST(EftProfile, ProfiledInformationIsMadMinersProfileInformation) {
  Eigen::MatrixXd random = Eigen::MatrixXd::Random(5, 5);
  const Eigen::MatrixXd information =
      random * random.transpose() + Eigen::MatrixXd::Identity(5, 5);
  const std::vector<int> remaining = {3, 0};
  EXPECT_LT((ProfileFisherInformation(information, remaining) -
             mining::ProfileInformation(information, remaining))
                .norm(),
            1e-10 * information.norm());
}

TEST(EftProfile, PValuesFollowWilksWithOneDegreeOfFreedomPerParameter) {
  EXPECT_NEAR(ChiSquaredPValue(1.0, 1), 0.31731050786291415, 1e-14);
  EXPECT_NEAR(ChiSquaredPValue(5.991464547107979, 2), 0.05, 1e-14);
  EXPECT_EQ(ChiSquaredPValue(0.0, 2), 1.0);
  EXPECT_EQ(ChiSquaredPValue(INFINITY, 2), 0.0);
}

TEST(EftProfile, GridIsFlattenedWithTheFirstParameterSlowest) {
  const Eigen::MatrixXd grid = MakeEftGrid({-1, 0}, {1, 2}, {3, 2});
  Eigen::MatrixXd expected(6, 2);
  expected << -1, 0, -1, 2, 0, 0, 0, 2, 1, 0, 1, 2;
  EXPECT_EQ(grid, expected);
  EXPECT_THAT([] { MakeEftGrid({1}, {-1}, {3}); },
              ThrowsMessage<InvalidInput>(HasSubstr("increasing")));
  EXPECT_THAT([] { MakeEftGrid({-1}, {1}, {0}); },
              ThrowsMessage<InvalidInput>(HasSubstr("at least 1 point")));
}

TEST(EftProfile, ImpossiblePointsGetInfinityAndZeroPValue) {
  Eigen::MatrixXd yields(1, 3);
  yields << 1.0, -2.0, 0.0;  // rate negative for θ > 0.5
  BinnedEftOptions options;
  options.luminosity = 10.0;
  const BinnedEftModel model(testing::QuadraticInput(yields), options);
  const EftProfileResult result = ProfileOnGrid(
      model, MakeEftGrid({0}, {1}, {3}), Eigen::Vector<double, 1>(8.0));
  EXPECT_TRUE(std::isinf(result.minus_two_delta_log_l(2)));
  EXPECT_EQ(result.p_values(2), 0.0);
  EXPECT_TRUE(std::isfinite(result.minus_two_delta_log_l(0)));
}

}  // namespace
}  // namespace goldmine::inference
