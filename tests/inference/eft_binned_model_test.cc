#include "goldmine/inference/eft_binned_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "goldmine/core/errors.h"
#include "inference/eft_test_models.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(BinnedEftModel, YieldsAreTheMorphingPolynomialTimesLuminosity) {
  BinnedEftOptions options;
  options.luminosity = 250.0;
  const BinnedEftModel model(testing::ThreeBinInput(false), options);
  for (double theta : {-1.3, 0.0, 0.4, 2.0}) {
    const Eigen::VectorXd yields =
        model.Yields(Eigen::VectorXd::Constant(1, theta));
    const Eigen::MatrixXd& y = model.input().component_yields;
    for (int b = 0; b < 3; ++b) {
      EXPECT_NEAR(yields(b),
                  250.0 * (y(b, 0) + y(b, 1) * theta + y(b, 2) * theta * theta),
                  1e-12);
    }
  }
}

TEST(BinnedEftModel, BenchmarkSumsReproduceEveryBenchmark) {
  // Two parameters, components 1, a, b, a², ab, b²; six benchmarks. The
  // per-bin sums at benchmark θ_B are the polynomial evaluated there, so
  // morphing must give back the polynomial everywhere.
  Eigen::MatrixXi powers(6, 2);
  powers << 0, 0, 1, 0, 0, 1, 2, 0, 1, 1, 0, 2;
  Eigen::MatrixXd benchmarks(6, 2);
  benchmarks << 0, 0, 1, 0, 0, 1, -1, 0, 0, -1, 1, 1;
  Eigen::MatrixXd truth(2, 6);              // bins × components
  truth << 1.0, 0.2, -0.1, 0.3, 0.05, 0.2,  //
      0.5, 0.4, 0.3, 0.1, -0.02, 0.15;
  auto polynomial = [&](int bin, double a, double b) {
    const Eigen::VectorXd c =
        (Eigen::VectorXd(6) << 1, a, b, a * a, a * b, b * b).finished();
    return truth.row(bin).dot(c);
  };
  Eigen::MatrixXd a_matrix(6, 6);
  Eigen::MatrixXd sums(2, 6);
  for (int k = 0; k < 6; ++k) {
    const double a = benchmarks(k, 0);
    const double b = benchmarks(k, 1);
    a_matrix.row(k) << 1, a, b, a * a, a * b, b * b;
    for (int bin = 0; bin < 2; ++bin) sums(bin, k) = polynomial(bin, a, b);
  }
  const Eigen::MatrixXd morphing = a_matrix.inverse();  // components × B
  const BinnedEftInput input =
      BinnedEftInput::FromBenchmarkSums({"a", "b"}, powers, morphing, sums);
  BinnedEftOptions options;
  options.luminosity = 1.0;
  const BinnedEftModel model(input, options);
  for (const auto& [a, b] : {std::pair{0.3, -0.7}, {1.5, 2.0}, {-2.0, 0.1}}) {
    const Eigen::VectorXd yields = model.Yields(Eigen::Vector2d(a, b));
    for (int bin = 0; bin < 2; ++bin) {
      EXPECT_NEAR(yields(bin), polynomial(bin, a, b), 1e-11);
    }
  }
}

TEST(BinnedEftModel, BenchmarkSecondMomentsAndTemplatesBecomeComponentOnes) {
  // Pseudo-events with weights at three benchmarks θ = 0, 1, −1 of one
  // parameter; component weights W_e = M w_e event by event are the truth.
  Eigen::Matrix3d a_matrix;
  a_matrix << 1, 0, 0, 1, 1, 1, 1, -1, 1;
  const Eigen::Matrix3d morphing = a_matrix.inverse();
  const Eigen::MatrixXd weights = (Eigen::MatrixXd(4, 3) << 1.0,
                                   1.5,
                                   0.8,
                                   0.5,
                                   0.9,
                                   0.4,
                                   2.0,
                                   2.2,
                                   2.1,
                                   0.3,
                                   0.1,
                                   0.7)
                                      .finished();
  const std::vector<int> bin = {0, 1, 1, 0};
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(2, 3);
  std::vector<Eigen::MatrixXd> squares(2, Eigen::MatrixXd::Zero(3, 3));
  Eigen::MatrixXd expected_yields = Eigen::MatrixXd::Zero(2, 3);
  std::vector<Eigen::MatrixXd> expected_moments(2, Eigen::MatrixXd::Zero(3, 3));
  for (int e = 0; e < 4; ++e) {
    const Eigen::VectorXd w = weights.row(e).transpose();
    const Eigen::VectorXd component = morphing * w;
    sums.row(bin[e]) += w.transpose();
    squares[bin[e]] += w * w.transpose();
    expected_yields.row(bin[e]) += component.transpose();
    expected_moments[bin[e]] += component * component.transpose();
  }
  const EftHistoSys benchmark_histosys{"jes", 0.9 * sums, 1.2 * sums};
  const BinnedEftInput input = BinnedEftInput::FromBenchmarkSums(
      {"c"},
      (Eigen::MatrixXi(3, 1) << 0, 1, 2).finished(),
      morphing,
      sums,
      squares,
      {benchmark_histosys},
      {{"xsec", 0.95, 1.05}});
  EXPECT_LT((input.component_yields - expected_yields).norm(), 1e-13);
  for (int b = 0; b < 2; ++b) {
    EXPECT_LT(
        (input.component_sum_squared_weights[b] - expected_moments[b]).norm(),
        1e-13);
  }
  EXPECT_LT((input.histosys[0].up - 1.2 * expected_yields).norm(), 1e-13);
  EXPECT_LT((input.histosys[0].down - 0.9 * expected_yields).norm(), 1e-13);
  EXPECT_EQ(input.normsys[0].name, "xsec");
  EXPECT_THAT(
      [&] {
        BinnedEftInput::FromBenchmarkSums(
            {"c"},
            (Eigen::MatrixXi(3, 1) << 0, 1, 2).finished(),
            morphing,
            sums.leftCols(2));
      },
      ThrowsMessage<InvalidInput>(HasSubstr("expected bins x 3 benchmarks")));
}

TEST(BinnedEftModel, YieldGradientsMatchFiniteDifferences) {
  const BinnedEftModel model(testing::ThreeBinInput(false));
  const Eigen::VectorXd theta = Eigen::VectorXd::Constant(1, 0.37);
  const double h = 1e-6;
  const Eigen::VectorXd numeric =
      (model.Yields(theta.array() + h) - model.Yields(theta.array() - h)) /
      (2 * h);
  EXPECT_LT((model.YieldGradients(theta).col(0) - numeric).norm(),
            1e-6 * numeric.norm());
}

TEST(BinnedEftModel, TwiceNllOfOneBinIsThePoissonTerm) {
  BinnedEftOptions options;
  options.luminosity = 40.0;
  const BinnedEftModel model(testing::OneBinInput(), options);
  const Eigen::VectorXd observed = Eigen::VectorXd::Constant(1, 37.0);
  const double theta = 0.8;
  const double nu = 40.0 * (1 + 0.5 * theta + 0.3 * theta * theta);
  // Only the fixed POI mu: no constraint terms.
  ASSERT_EQ(model.nuisance_parameter_names(), std::vector<std::string>{"mu"});
  EXPECT_NEAR(model.TwiceNll(Eigen::VectorXd::Constant(1, theta),
                             model.nominal_nuisance_parameters(),
                             observed),
              -2 * (37 * std::log(nu) - nu - std::lgamma(38.0)),
              1e-10);
}

TEST(BinnedEftModel,
     StatErrorWidthsAreTheMorphedSumOfSquaredWeightsAtTheReference) {
  // Pseudo-events whose shapes differ from bin to bin and from the yields,
  // so that the relative MC uncertainty depends on θ.
  BinnedEftInput input = testing::ThreeBinInput(false);
  const std::vector<Eigen::Vector3d> events = {Eigen::Vector3d(0.4, 0.1, 0.0),
                                               Eigen::Vector3d(0.3, -0.2, 0.3),
                                               Eigen::Vector3d(0.1, 0.5, 0.2)};
  for (int b = 0; b < 3; ++b) {
    Eigen::Matrix3d q = Eigen::Matrix3d::Zero();
    for (const Eigen::Vector3d& w : events) q += (b + 1.0) * w * w.transpose();
    input.component_sum_squared_weights.push_back(q);
  }
  BinnedEftOptions options;
  options.luminosity = 10.0;
  const double reference = -0.6;
  options.staterror_theta = Eigen::VectorXd::Constant(1, reference);
  const BinnedEftModel model(input, options);
  auto staterror = [&](double theta) {
    const Sample sample = model.SampleAt(Eigen::VectorXd::Constant(1, theta));
    for (const Modifier& modifier : sample.modifiers) {
      if (modifier.type == ModifierType::kStatError)
        return modifier.uncertainties;
    }
    return std::vector<double>();
  };
  const std::vector<double> at_reference = staterror(reference);
  ASSERT_EQ(at_reference.size(), 3u);
  const Eigen::VectorXd yields_reference =
      model.Yields(Eigen::VectorXd::Constant(1, reference));
  const Eigen::VectorXd yields_other =
      model.Yields(Eigen::VectorXd::Constant(1, 1.2));
  const std::vector<double> at_other = staterror(1.2);
  for (int b = 0; b < 3; ++b) {
    // Σ_e w_e(θ)² of the pseudo-events, computed event by event.
    double sum_w2 = 0.0;
    for (const Eigen::Vector3d& w : events) {
      const double weight =
          w(0) + w(1) * reference + w(2) * reference * reference;
      sum_w2 += (b + 1.0) * weight * weight;
    }
    const auto bin = static_cast<std::size_t>(b);
    EXPECT_NEAR(at_reference[bin], 10.0 * std::sqrt(sum_w2), 1e-12);
    // Elsewhere the relative width stays that of the reference point.
    EXPECT_NEAR(at_other[bin] / yields_other(b),
                at_reference[bin] / yields_reference(b),
                1e-14);
  }
}

TEST(BinnedEftModel, NuisanceParametersFollowPyhfOrder) {
  BinnedEftInput input = testing::ThreeBinInput(true);
  input.normsys.push_back({"xsec", 0.9, 1.1});
  BinnedEftOptions options;
  options.lumi_uncertainty = 0.02;
  const BinnedEftModel model(input, options);
  EXPECT_EQ(model.nuisance_parameter_names(),
            (std::vector<std::string>{"jes",
                                      "lumi",
                                      "mu",
                                      "xsec",
                                      "staterror_eft[0]",
                                      "staterror_eft[1]",
                                      "staterror_eft[2]"}));
  EXPECT_EQ(model.poi_index(), 2);
}

TEST(BinnedEftModel, NegativeExpectedCountsGiveInfinity) {
  Eigen::MatrixXd yields(1, 3);
  yields << 1.0, -2.0, 0.0;  // negative for θ > 0.5
  const BinnedEftModel model(testing::QuadraticInput(yields));
  EXPECT_TRUE(std::isinf(model.TwiceNll(Eigen::VectorXd::Constant(1, 1.0),
                                        model.nominal_nuisance_parameters(),
                                        Eigen::VectorXd::Constant(1, 3.0))));
}

TEST(BinnedEftModel, RejectsInconsistentInput) {
  BinnedEftInput input = testing::ThreeBinInput(false);
  input.histosys[0].up.resize(2, 3);
  input.normsys.push_back({"mu", 0.9, 1.1});
  EXPECT_THAT([&] { BinnedEftModel model(input); },
              ThrowsMessage<InvalidInput>(::testing::AllOf(
                  HasSubstr("histosys \"jes\": templates are 3 x 3 and 2 x 3"),
                  HasSubstr("normsys \"mu\": the name is reserved"))));
  BinnedEftOptions options;
  options.luminosity = -1;
  EXPECT_THAT([&] { BinnedEftModel model(testing::OneBinInput(), options); },
              ThrowsMessage<InvalidInput>(HasSubstr("luminosity must be > 0")));
  const BinnedEftModel model(testing::OneBinInput());
  EXPECT_THAT([&] { model.Yields(Eigen::Vector2d(0, 0)); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("theta has 2 values; the model has 1")));
}

}  // namespace
}  // namespace goldmine::inference
