#include "goldmine/generators/toy_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "goldmine/core/errors.h"

namespace goldmine::generators {
namespace {

using ::testing::HasSubstr;

Eigen::VectorXd Theta(std::initializer_list<double> values) {
  Eigen::VectorXd theta(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double v : values) theta[i++] = v;
  return theta;
}

TEST(ToyModel, CrossSectionIsMadMinersPolynomial) {
  const ToyModel model(ToyModel::AllParameters());
  // σ_SM (1 + 1.4 c1 + 0.74 c1² + 0.77 c2²): MadMiner's reference toy gives
  // 0.0057 pb at (0.9, 0) and 0.0054 pb at (0.7, 0.7) from 20000 events.
  EXPECT_DOUBLE_EQ(model.CrossSection(Theta({0.0, 0.0})), 0.002);
  EXPECT_NEAR(model.CrossSection(Theta({0.9, 0.0})), 0.0057188, 1e-7);
  EXPECT_NEAR(model.CrossSection(Theta({0.7, 0.7})), 0.0054398, 1e-7);
  EXPECT_NEAR(model.CrossSection(Theta({0.0, 0.9})), 0.0032474, 1e-7);
  // The same from events: E[w] at θ.
  RandomStream random(3);
  double sum = 0.0;
  const int n = 400000;
  for (int i = 0; i < n; ++i)
    sum += model.Sample(random).polynomial.Evaluate(Theta({0.7, 0.7}));
  EXPECT_NEAR(sum / n, 0.0054398, 0.0054398 * 0.006);
}

TEST(ToyModel, TransverseMomentumMomentsIntegrateToTheLatentMoments) {
  // ∫ M_k(pt) dpt = E[(pt_true/100)^k] = 1, 0.7, 0.74 (the smearing only
  // moves probability in pt).
  std::array<double, 3> integral = {0.0, 0.0, 0.0};
  const double step = 0.05;
  for (double pt = 0.5 * step; pt < 2500.0; pt += step) {
    const auto m = ToyModel::TransverseMomentumMoments(pt);
    for (int k = 0; k < 3; ++k) integral[k] += m[k] * step;
  }
  EXPECT_NEAR(integral[0], 1.0, 1e-6);
  EXPECT_NEAR(integral[1], 0.7, 1e-6);
  EXPECT_NEAR(integral[2], 0.74, 1e-6);
  // No probability below 1 GeV, and continuity at the pt_true = 20 GeV
  // threshold of the latent distribution.
  EXPECT_EQ(ToyModel::TransverseMomentumMoments(0.9)[0], 0.0);
  EXPECT_GT(ToyModel::TransverseMomentumMoments(19.9)[0], 0.0);
  EXPECT_NEAR(ToyModel::TransverseMomentumMoments(20.0 - 1e-7)[0],
              ToyModel::TransverseMomentumMoments(20.0 + 1e-7)[0],
              1e-6 * ToyModel::TransverseMomentumMoments(20.0)[0]);
}

TEST(ToyModel, DensityIsNormalisedAtEveryTheta) {
  const ToyModel model(ToyModel::AllParameters());
  // Midpoint rule in pt ∈ (1, 1500) GeV, dphi ∈ (−π, π); the component
  // densities are evaluated once and contracted per θ.
  const double pt_step = 0.25;
  const int phi_bins = 64;
  const double phi_step = 2.0 * M_PI / phi_bins;
  ToyModel::Components integral{};
  for (double pt = 1.0 + 0.5 * pt_step; pt < 1500.0; pt += pt_step) {
    const auto moments = ToyModel::TransverseMomentumMoments(pt);
    for (int k = 0; k < phi_bins; ++k) {
      const auto h =
          ToyModel::ComponentDensities(moments, -M_PI + (k + 0.5) * phi_step);
      for (std::size_t c = 0; c < 6; ++c)
        integral[c] += h[c] * pt_step * phi_step;
    }
  }
  const ToyModel::Components expected = ToyModel::ComponentIntegrals();
  for (std::size_t c = 0; c < 6; ++c)
    EXPECT_NEAR(integral[c], expected[c], 2e-6) << "component " << c;
}

TEST(ToyModel, ScoreAndRatioMatchFiniteDifferencesOfTheDensity) {
  RandomStream random(11);
  for (const std::vector<std::string>& parameters :
       std::vector<std::vector<std::string>>{
           {"c1", "c2"}, {"c1"}, {"c2"}, {"c2", "c1"}}) {
    const ToyModel model(parameters);
    const int n = model.num_parameters();
    for (int trial = 0; trial < 20; ++trial) {
      const ToyObservation x = model.Sample(random).observation;
      Eigen::VectorXd theta(n);
      Eigen::VectorXd other(n);
      for (int i = 0; i < n; ++i) {
        theta[i] = random.Uniform(-1.0, 1.0);
        other[i] = random.Uniform(-1.0, 1.0);
      }
      const Eigen::VectorXd score = model.Score(x, theta);
      for (int i = 0; i < n; ++i) {
        const double h = 1e-5;
        Eigen::VectorXd up = theta;
        Eigen::VectorXd down = theta;
        up[i] += h;
        down[i] -= h;
        const double numeric = (std::log(model.Density(x, up)) -
                                std::log(model.Density(x, down))) /
                               (2.0 * h);
        EXPECT_NEAR(score[i], numeric, 1e-6 * (1.0 + std::abs(numeric)))
            << parameters.front() << " trial " << trial;
      }
      const double log_ratio = model.LogLikelihoodRatio(x, theta, other);
      EXPECT_NEAR(
          log_ratio,
          std::log(model.Density(x, theta)) - std::log(model.Density(x, other)),
          1e-12 * (1.0 + std::abs(log_ratio)));
      EXPECT_NEAR(model.LikelihoodRatio(x, theta, other),
                  std::exp(log_ratio),
                  1e-12 * std::exp(log_ratio));
      // Joint score = ∇ ln of the joint ratio (R can come close to 0, where
      // the derivative is large: a small step).
      const ToyLatent z = model.Sample(random).latent;
      const Eigen::VectorXd joint = model.JointScore(z, theta);
      for (int i = 0; i < n; ++i) {
        const double h = 1e-7;
        Eigen::VectorXd up = theta;
        Eigen::VectorXd down = theta;
        up[i] += h;
        down[i] -= h;
        const double numeric =
            std::log(model.JointLikelihoodRatio(z, up, down)) / (2.0 * h);
        EXPECT_NEAR(joint[i], numeric, 1e-5 * (1.0 + std::abs(numeric)));
      }
    }
  }
}

TEST(ToyModel, OneParameterModelsAreSlicesOfTheTwoParameterModel) {
  const ToyModel full(ToyModel::AllParameters());
  const ToyModel only_c2({"c2"});
  const ToyModel swapped({"c2", "c1"});
  RandomStream random(5);
  for (int i = 0; i < 20; ++i) {
    const ToyEvent event = full.Sample(random);
    const double c = random.Uniform(-1.0, 1.0);
    const double d = random.Uniform(-1.0, 1.0);
    EXPECT_NEAR(only_c2.Density(event.observation, Theta({c})),
                full.Density(event.observation, Theta({0.0, c})),
                1e-14);
    EXPECT_NEAR(swapped.Score(event.observation, Theta({d, c}))[0],
                full.Score(event.observation, Theta({c, d}))[1],
                1e-12);
    EXPECT_NEAR(swapped.JointPolynomial(event.latent).Ratio(Theta({d, c})),
                event.polynomial.Ratio(Theta({c, d})),
                1e-12);
  }
}

TEST(ToyModel, JointPolynomialIsMadMinersAmplitude) {
  const ToyModel model(ToyModel::AllParameters());
  const ToyLatent z{130.0, 0.7, -0.4};
  const double a1 = 1.3;
  const double a2 = 0.8 * std::cos(0.7);
  const double b2 = 0.3 * (1.0 + std::pow(std::sin(0.7), 2));
  const EftPolynomial p = model.JointPolynomial(z);
  for (const auto& [c1, c2] : {std::pair{0.9, 0.0}, {-0.4, 0.3}, {0.7, 0.7}}) {
    EXPECT_NEAR(p.Ratio(Theta({c1, c2})),
                std::pow(1.0 + c1 * a1 + c2 * a2, 2) + c2 * c2 * b2,
                1e-14);
  }
  EXPECT_EQ(p.sm, 0.002);
}

// Weighted events at θ, histogrammed in (pt, dphi), against the exact
// likelihood integrated over each bin: the density, the likelihood ratio and
// (through a fine binning in the direction of the score) the exact
// functions are what the events sample.
TEST(ToyModel, ExactLikelihoodMatchesHistogramsOfGeneratedEvents) {
  const ToyModel model(ToyModel::AllParameters());
  const std::vector<double> pt_edges = {
      1, 30, 40, 50, 60, 75, 95, 120, 150, 200, 300, 1500};
  const int phi_bins = 6;
  const int num_bins = static_cast<int>(pt_edges.size() - 1) * phi_bins;
  auto bin_of = [&](double pt, double dphi) {
    int p = 0;
    while (p + 1 < static_cast<int>(pt_edges.size()) - 1 &&
           pt >= pt_edges[static_cast<std::size_t>(p + 1)])
      ++p;
    int f = static_cast<int>((dphi + M_PI) / (2.0 * M_PI) * phi_bins);
    f = std::clamp(f, 0, phi_bins - 1);
    return p * phi_bins + f;
  };
  // Exact bin contents of each component density.
  std::vector<ToyModel::Components> exact(static_cast<std::size_t>(num_bins));
  const double pt_step = 0.25;
  const int phi_steps = 24;  // per bin
  const double phi_step = 2.0 * M_PI / (phi_bins * phi_steps);
  for (double pt = 1.0 + 0.5 * pt_step; pt < 1500.0; pt += pt_step) {
    const auto moments = ToyModel::TransverseMomentumMoments(pt);
    for (int k = 0; k < phi_bins * phi_steps; ++k) {
      const double dphi = -M_PI + (k + 0.5) * phi_step;
      const auto h = ToyModel::ComponentDensities(moments, dphi);
      auto& target = exact[static_cast<std::size_t>(bin_of(pt, dphi))];
      for (std::size_t c = 0; c < 6; ++c)
        target[c] += h[c] * pt_step * phi_step;
    }
  }
  const Eigen::VectorXd theta0 = Theta({0.6, -0.8});
  const Eigen::VectorXd theta1 = Theta({-0.3, 0.5});
  auto exact_probability = [&](int bin, const Eigen::VectorXd& theta) {
    const Eigen::Vector2d c(theta[0], theta[1]);
    const ToyModel::Components m = {
        1.0, c[0], c[1], c[0] * c[0], c[0] * c[1], c[1] * c[1]};
    double value = 0.0;
    for (std::size_t k = 0; k < 6; ++k)
      value += m[k] * exact[static_cast<std::size_t>(bin)][k];
    return value * model.sm_cross_section() / model.CrossSection(theta);
  };

  RandomStream random(17);
  const int n = 300000;
  std::vector<double> sum0(static_cast<std::size_t>(num_bins), 0.0);
  std::vector<double> sum1(sum0);
  std::vector<double> sum00(sum0);
  std::vector<double> sum11(sum0);
  double total0 = 0.0;
  double total1 = 0.0;
  for (int i = 0; i < n; ++i) {
    const ToyEvent event = model.Sample(random);
    const auto b = static_cast<std::size_t>(
        bin_of(event.observation.pt, event.observation.dphi));
    const double w0 = event.polynomial.Ratio(theta0);
    const double w1 = event.polynomial.Ratio(theta1);
    sum0[b] += w0;
    sum1[b] += w1;
    sum00[b] += w0 * w0;
    sum11[b] += w1 * w1;
    total0 += w0;
    total1 += w1;
  }
  // Normalised by the exact σ(θ)/σ_SM, so bins are independent estimates.
  const double norm0 = n * model.CrossSection(theta0) / 0.002;
  const double norm1 = n * model.CrossSection(theta1) / 0.002;
  double chi2 = 0.0;
  double worst_ratio_pull = 0.0;
  int tested = 0;
  for (int b = 0; b < num_bins; ++b) {
    const auto k = static_cast<std::size_t>(b);
    const double p0 = exact_probability(b, theta0);
    const double p1 = exact_probability(b, theta1);
    const double e0 = sum0[k] / norm0;
    const double e1 = sum1[k] / norm1;
    const double s0 = std::sqrt(sum00[k]) / norm0;
    const double s1 = std::sqrt(sum11[k]) / norm1;
    chi2 += std::pow((e0 - p0) / s0, 2) + std::pow((e1 - p1) / s1, 2);
    // The bin likelihood ratio: the exact one vs the histogram estimate.
    const double ratio = p0 / p1;
    const double estimate = e0 / e1;
    const double error = estimate * std::hypot(s0 / e0, s1 / e1);
    worst_ratio_pull =
        std::max(worst_ratio_pull, std::abs(estimate - ratio) / error);
    ++tested;
  }
  std::cerr << "toy histograms: chi2 " << chi2 << " / " << 2 * tested
            << " bins, worst ratio pull " << worst_ratio_pull
            << "; totals/exact " << total0 / norm0 << " " << total1 / norm1
            << "\n";
  // 132 (correlated) bin tests: a wrong formula (e.g. missing the smearing
  // damping e^(−σ²/2), or a 10 % error in M_1) gives chi2 in the thousands.
  EXPECT_LT(chi2, 2.0 * tested + 6.0 * std::sqrt(4.0 * tested));
  EXPECT_LT(worst_ratio_pull, 4.5);

  // Pointwise: the histogram of events in one fine bin around x against the
  // exact r(x|θ0,θ1) there (bins of 2 GeV × 0.1 rad near pt = 60 GeV).
  std::vector<std::pair<double, double>> near;
  RandomStream again(17);
  for (int i = 0; i < n; ++i) {
    const ToyEvent event = model.Sample(again);
    if (std::abs(event.observation.pt - 60.0) < 1.0 &&
        std::abs(event.observation.dphi - 1.0) < 0.05)
      near.emplace_back(event.polynomial.Ratio(theta0),
                        event.polynomial.Ratio(theta1));
  }
  double near0 = 0.0;
  double near1 = 0.0;
  for (const auto& [w0, w1] : near) {
    near0 += w0;
    near1 += w1;
  }
  // Delta method for the ratio of two sums over the same events.
  const double ratio_of_sums = near0 / near1;
  double variance = 0.0;
  for (const auto& [w0, w1] : near)
    variance += std::pow(w0 - ratio_of_sums * w1, 2);
  ToyObservation x;
  x.pt = 60.0;
  x.dphi = 1.0;
  const double r = model.LikelihoodRatio(x, theta0, theta1);
  const double r_histogram = ratio_of_sums * norm1 / norm0;
  const double r_error = std::sqrt(variance) / near1 * norm1 / norm0;
  std::cerr << "r(60 GeV, 1.0): exact " << r << ", histogram " << r_histogram
            << " +- " << r_error << " (" << near.size() << " events)\n";
  EXPECT_NEAR(r_histogram, r, 4.0 * r_error + 0.01 * r);
  // The joint ratio is not the likelihood ratio: r(x,z) scatters around
  // r(x) in the bin (the smearing hides z), which is what SALLY/RASCAL must
  // average out.
  EXPECT_GT(r_error, 0.001 * r);
}

TEST(ToyModel, RejectsUnknownParameters) {
  EXPECT_THAT([] { ToyModel({"c3"}); },
              ::testing::ThrowsMessage<InvalidInput>(
                  HasSubstr("unknown parameter \"c3\"; available: c1, c2")));
  EXPECT_THAT(
      [] {
        ToyModel({"c1", "c1"});
      },
      ::testing::ThrowsMessage<InvalidInput>(HasSubstr("repeated")));
  EXPECT_THROW(ToyModel({}), InvalidInput);
  const ToyModel model({"c1"});
  EXPECT_THROW(model.CrossSection(Theta({0.0, 0.0})), InvalidInput);
}

}  // namespace
}  // namespace goldmine::generators
