// Limits on the analytic toy (generators/toy_model.h) against exact results.
//
// The quadrature events file (limits_toy_files.h) makes the Asimov data the
// exact distribution p(dphi|θ_true) of the one-parameter c2 toy, so that
//   −2Δ log L_kin(θ) = −2 n [E(θ) − max_grid E],
//   E(θ) = ∫ dphi p(dphi|θ_true) ln[p(dphi|θ)/p(dphi|0)],
// which is computed here independently by adaptive Gauss–Kronrod
// integration of the toy's component densities. ml with the exact ratio must
// reproduce it to 1e-6; histo and sally (any function of x, one binning for
// the whole grid) can only lose information: their −2Δ log L is never larger.
#include <gtest/gtest.h>

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>

#include "goldmine/inference/limits/asymptotic_limits.h"
#include "limits_toy_files.h"
#include "support/scratch_folder.h"

namespace goldmine::inference {
namespace {

constexpr double kLuminosity = 300000.0;

class LimitsToyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new std::filesystem::path(
        testing::MakeScratchFolder("limits_toy_test"));
    toy::QuadratureToyFile(*folder_ / "quadrature.h5", 240, 5);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*folder_);
    delete folder_;
  }

  static std::filesystem::path File() { return *folder_ / "quadrature.h5"; }

  // p(dphi|c2) up to a constant, from the component densities (pt fixed).
  static double Unnormalised(double dphi, double c2) {
    static const std::array<double, 3> moments =
        generators::ToyModel::TransverseMomentumMoments(50.0);
    const auto h = generators::ToyModel::ComponentDensities(moments, dphi);
    return h[0] + c2 * h[2] + c2 * c2 * h[5];
  }
  static double Normalisation(double c2) {
    const auto s = generators::ToyModel::ComponentIntegrals();
    return s[0] + c2 * s[2] + c2 * c2 * s[5];
  }

  // E(θ) of the top for each grid value.
  static Eigen::VectorXd ExactExpectation(double theta_true,
                                          const Eigen::VectorXd& grid) {
    Eigen::VectorXd e(grid.size());
    for (Eigen::Index i = 0; i < grid.size(); ++i) {
      const double c2 = grid(i);
      auto integrand = [&](double dphi) {
        const double p_true = Unnormalised(dphi, theta_true);
        const double log_r =
            std::log(Unnormalised(dphi, c2) / Normalisation(c2)) -
            std::log(Unnormalised(dphi, 0.0) / Normalisation(0.0));
        return p_true * log_r;
      };
      double error = 0.0;
      const double integral =
          boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
              integrand, -M_PI, M_PI, 15, 1e-14, &error);
      const double norm =
          boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
              [&](double dphi) { return Unnormalised(dphi, theta_true); },
              -M_PI,
              M_PI,
              15,
              1e-14,
              &error);
      e(i) = integral / norm;
    }
    return e;
  }

  static ThetaGrid Grid() { return ThetaGrid({{"c2", -1.0, 1.0, 21}}); }

  static inline std::filesystem::path* folder_ = nullptr;
};

TEST_F(LimitsToyTest, MlWithTheExactRatioIsExact) {
  LimitOptions options;
  options.include_xsec = false;
  options.madminer_partitions = false;  // every partition whole copies
  const AsymptoticLimits limits(File(), options);
  const generators::ToyModel model({"c2"});
  const double theta_true = 0.3;
  const ObservedData asimov =
      limits.Asimov(Eigen::VectorXd::Constant(1, theta_true));
  EXPECT_NEAR(asimov.n_events,
              kLuminosity *
                  model.CrossSection(Eigen::VectorXd::Constant(1, theta_true)),
              1e-9 * asimov.n_events);
  const toy::ExactRatio ratio(model);
  KinematicSetup setup;
  setup.method = LimitMethod::kMl;
  setup.ratio_model = &ratio;
  const LimitResult result = limits.Compute(setup, Grid(), asimov);

  const Eigen::VectorXd grid = result.grid.col(0);
  const Eigen::VectorXd e = ExactExpectation(theta_true, grid);
  const Eigen::VectorXd exact =
      -2.0 * asimov.n_events * (e.array() - e.maxCoeff());
  for (Eigen::Index i = 0; i < grid.size(); ++i) {
    EXPECT_NEAR(
        result.minus_two_delta_log_l(i), exact(i), 1e-6 * exact(i) + 1e-8)
        << "c2 = " << grid(i);
  }
  EXPECT_NEAR(grid(result.best_fit_index), theta_true, 1e-12);
  // Sanity of the exact numbers themselves: large-sample −2Δ log L ≈
  // n I (θ − θ_true)² near θ_true, so it grows away from it.
  EXPECT_GT(exact(0), exact(10));
  EXPECT_GT(exact(20), 1.0);
}

TEST_F(LimitsToyTest, RateTermIsThePoissonLikelihoodOfTheTotalRate) {
  LimitOptions options;
  options.madminer_partitions = false;
  const AsymptoticLimits limits(File(), options);
  const generators::ToyModel model({"c2"});
  const ObservedData asimov = limits.Asimov(Eigen::VectorXd::Constant(1, -0.4));
  KinematicSetup setup;
  setup.method = LimitMethod::kRate;
  const LimitResult result = limits.Compute(setup, Grid(), asimov);
  const double k = std::round(asimov.n_events);
  for (Eigen::Index i = 0; i < result.grid.rows(); ++i) {
    const double mu =
        kLuminosity * model.CrossSection(result.grid.row(i).transpose());
    const double expected = k * std::log(mu) - mu - std::lgamma(k + 1.0);
    EXPECT_NEAR(
        result.log_likelihood_rate(i), expected, 1e-10 * std::abs(expected));
    EXPECT_EQ(result.log_likelihood_kin(i), 0.0);
  }
  // σ is even in c2: the rate alone cannot tell −0.4 from 0.4.
  EXPECT_NEAR(
      result.minus_two_delta_log_l(6), result.minus_two_delta_log_l(14), 1e-9);
}

TEST_F(LimitsToyTest, HistogramsAndSallyNeverBeatTheExactLikelihood) {
  LimitOptions options;
  options.include_xsec = false;
  options.madminer_partitions = false;
  const AsymptoticLimits limits(File(), options);
  const generators::ToyModel model({"c2"});
  const double theta_true = 0.3;
  const ObservedData asimov =
      limits.Asimov(Eigen::VectorXd::Constant(1, theta_true));
  const toy::ExactRatio ratio(model);
  const toy::ExactScore score(model);
  KinematicSetup exact_setup;
  exact_setup.method = LimitMethod::kMl;
  exact_setup.ratio_model = &ratio;
  const Eigen::VectorXd exact =
      limits.Compute(exact_setup, Grid(), asimov).minus_two_delta_log_l;

  KinematicSetup histo;
  histo.method = LimitMethod::kHisto;
  histo.observables = {"dphi"};
  KinematicSetup coarse = histo;
  coarse.binning = {AxisBinning{{}, 4}};
  KinematicSetup sally;
  sally.method = LimitMethod::kSally;
  sally.score_model = &score;
  for (const auto& [name, setup] :
       {std::pair<std::string, KinematicSetup>{"histo", histo},
        {"coarse histo", coarse},
        {"sally", sally}}) {
    const Eigen::VectorXd q =
        limits.Compute(setup, Grid(), asimov).minus_two_delta_log_l;
    for (Eigen::Index i = 0; i < q.size(); ++i) {
      EXPECT_LE(q(i), exact(i) * (1.0 + 1e-9) + 1e-9) << name << " point " << i;
      // ... but they keep most of it here (dphi carries all information).
      EXPECT_GE(q(i), (name == "coarse histo" ? 0.5 : 0.9) * exact(i))
          << name << " point " << i;
    }
  }
}

TEST_F(LimitsToyTest, PerThetaMethodsRunAndPeakNearTheTruth) {
  LimitOptions options;
  options.include_xsec = true;
  options.madminer_partitions = false;
  const AsymptoticLimits limits(File(), options);
  const generators::ToyModel model({"c2"});
  const toy::ExactScore score(model);
  const ObservedData asimov = limits.Asimov(Eigen::VectorXd::Constant(1, 0.5));
  for (const LimitMethod method :
       {LimitMethod::kSallino, LimitMethod::kAdaptiveSally}) {
    KinematicSetup setup;
    setup.method = method;
    setup.score_model = &score;
    const LimitResult result = limits.Compute(setup, Grid(), asimov);
    EXPECT_TRUE(result.minus_two_delta_log_l.allFinite());
    EXPECT_NEAR(result.grid(result.best_fit_index, 0), 0.5, 0.15)
        << LimitMethodName(method);
    EXPECT_FALSE(result.histogram_edges.empty());
  }
}

}  // namespace
}  // namespace goldmine::inference
