// Monte Carlo uncertainties of the Fisher information (issue 17 item 6),
// against independent truths: the exact standard error of a mean with equal
// weights, and the spread over bootstrap replicas of the events computed
// here from the file's benchmark weights and morphing.
#include "goldmine/mining/fisher_uncertainty.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <random>
#include <vector>

#include "goldmine/mining/fisher_information.h"
#include "goldmine/mining/madminer_file.h"
#include "support/reference_data.h"
#include "support/sanitized.h"

namespace goldmine::mining {
namespace {

constexpr double kLuminosity = 300000.0;

// Standard deviation over replicas, element-wise.
Eigen::MatrixXd Spread(const std::vector<Eigen::MatrixXd>& replicas) {
  Eigen::MatrixXd mean =
      Eigen::MatrixXd::Zero(replicas[0].rows(), replicas[0].cols());
  for (const auto& r : replicas) mean += r;
  mean /= static_cast<double>(replicas.size());
  Eigen::MatrixXd variance = Eigen::MatrixXd::Zero(mean.rows(), mean.cols());
  for (const auto& r : replicas) variance += (r - mean).cwiseAbs2();
  return (variance / static_cast<double>(replicas.size() - 1)).cwiseSqrt();
}

// Bootstrap multiplicities of n events (a multinomial draw).
std::vector<double> Multiplicities(std::int64_t n, std::mt19937_64& random) {
  std::uniform_int_distribution<std::int64_t> pick(0, n - 1);
  std::vector<double> counts(static_cast<std::size_t>(n), 0.0);
  for (std::int64_t i = 0; i < n; ++i) {
    counts[static_cast<std::size_t>(pick(random))] += 1.0;
  }
  return counts;
}

// 400 bootstrap replicas of L σ Σ_p w t tᵀ / Σ_p w: σ over all events,
// the partition p = events [first, n).
std::vector<Eigen::MatrixXd> WeightedMeanReplicas(
    const Eigen::VectorXd& w,
    const std::vector<Eigen::Vector2d>& t,
    Eigen::Index first,
    std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<Eigen::MatrixXd> replicas;
  for (int r = 0; r < 400; ++r) {
    const std::vector<double> m = Multiplicities(w.size(), random);
    double xsec = 0.0;
    double partition = 0.0;
    Eigen::Matrix2d sum = Eigen::Matrix2d::Zero();
    for (Eigen::Index e = 0; e < w.size(); ++e) {
      const auto i = static_cast<std::size_t>(e);
      xsec += m[i] * w(e);
      if (e < first) continue;
      partition += m[i] * w(e);
      sum += m[i] * w(e) * t[i] * t[i].transpose();
    }
    replicas.push_back(kLuminosity * xsec * sum / partition);
  }
  return replicas;
}

// With 400 replicas the spread is known to ~3.5 %; the delta method is
// first order. Elements whose spread is tiny compared with the largest are
// compared on the largest's scale.
void ExpectMatchesSpread(const Eigen::MatrixXd& uncertainty,
                         const Eigen::MatrixXd& spread,
                         double tolerance) {
  ASSERT_EQ(uncertainty.rows(), spread.rows());
  ASSERT_EQ(uncertainty.cols(), spread.cols());
  const double scale = spread.maxCoeff();
  ASSERT_GT(scale, 0.0);
  for (Eigen::Index i = 0; i < spread.rows(); ++i) {
    for (Eigen::Index j = 0; j < spread.cols(); ++j) {
      EXPECT_NEAR(uncertainty(i, j),
                  spread(i, j),
                  tolerance * std::max(spread(i, j), 0.05 * scale))
          << "element " << i << "," << j;
    }
  }
}

// The full covariance against the bootstrap replicas (n = 2):
//  - its diagonal is the square of the per-element errors;
//  - the correlation of every pair of elements matches the replicas' (400
//    replicas: a correlation is known to about ±0.05);
//  - the first-order error of the profiled width σ_p = √(I⁻¹)_pp,
//    a = ∂C_pp/∂I over every ordered pair, δσ = √(aᵀ Cov a)/(2σ), matches
//    the spread of σ_p over the replicas.
void ExpectCovarianceMatchesReplicas(
    const FisherResult& result, const std::vector<Eigen::MatrixXd>& replicas) {
  const Eigen::MatrixXd& cov = result.information_mc_covariance;
  ASSERT_EQ(cov.rows(), 4);
  ASSERT_EQ(cov.cols(), 4);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      EXPECT_NEAR(std::sqrt(cov(i * 2 + j, i * 2 + j)),
                  result.information_uncertainty(i, j),
                  1e-9 * result.information_uncertainty(i, j));
    }
  }
  const Eigen::MatrixXd spread = Spread(replicas);
  Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(2, 2);
  for (const auto& r : replicas)
    mean += r / static_cast<double>(replicas.size());
  const int pairs[3][2] = {{0, 0}, {0, 1}, {1, 1}};
  for (const auto& a : pairs) {
    for (const auto& b : pairs) {
      double replica_cov = 0.0;
      for (const auto& r : replicas) {
        replica_cov += (r(a[0], a[1]) - mean(a[0], a[1])) *
                       (r(b[0], b[1]) - mean(b[0], b[1]));
      }
      replica_cov /= static_cast<double>(replicas.size() - 1);
      const double replica_correlation =
          replica_cov / (spread(a[0], a[1]) * spread(b[0], b[1]));
      const double correlation =
          cov(a[0] * 2 + a[1], b[0] * 2 + b[1]) /
          std::sqrt(cov(a[0] * 2 + a[1], a[0] * 2 + a[1]) *
                    cov(b[0] * 2 + b[1], b[0] * 2 + b[1]));
      EXPECT_NEAR(correlation, replica_correlation, 0.15)
          << "I(" << a[0] << a[1] << "), I(" << b[0] << b[1] << ")";
    }
  }
  for (int p = 0; p < 2; ++p) {
    const Eigen::MatrixXd c = result.information.inverse();
    Eigen::Vector4d a;
    for (int j = 0; j < 2; ++j) {
      for (int k = 0; k < 2; ++k) a(j * 2 + k) = -c(p, j) * c(p, k);
    }
    const double sigma = std::sqrt(c(p, p));
    const double error = std::sqrt(a.dot(cov * a)) / (2.0 * sigma);
    std::vector<Eigen::MatrixXd> widths;
    for (const auto& r : replicas) {
      widths.push_back(
          Eigen::MatrixXd::Constant(1, 1, std::sqrt(r.inverse()(p, p))));
    }
    EXPECT_NEAR(error, Spread(widths)(0, 0), 0.15 * error) << p;
  }
}

TEST(ContributionCovariance, DiagonalIsTheSquaredStandardError) {
  // Three events with contributions y_e; the covariance from the packed
  // outer products against the element-wise formula.
  std::vector<Eigen::Matrix2d> y(3);
  y[0] << 1.0, 0.5, 0.5, 2.0;
  y[1] << 0.2, -0.1, -0.1, 0.7;
  y[2] << 3.0, 1.0, 1.0, 0.4;
  Eigen::Matrix2d sum = Eigen::Matrix2d::Zero();
  Eigen::Matrix2d squares = Eigen::Matrix2d::Zero();
  Eigen::MatrixXd packed = Eigen::MatrixXd::Zero(3, 3);
  for (const auto& e : y) {
    sum += e;
    squares += e.cwiseAbs2();
    const Eigen::VectorXd v = PackUpper(e);
    packed += v * v.transpose();
  }
  EXPECT_EQ(PackUpper(y[0]), Eigen::Vector3d(1.0, 0.5, 2.0));
  const Eigen::MatrixXd cov = ContributionCovariance(sum, packed, 3);
  const Eigen::MatrixXd error = ContributionStandardError(sum, squares, 3);
  ASSERT_EQ(cov.rows(), 4);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      EXPECT_NEAR(cov(i * 2 + j, i * 2 + j), error(i, j) * error(i, j), 1e-12);
    }
  }
  // Cov(I_00, I_11) by hand: N/(N−1) [Σ y00 y11 − Σy00 Σy11 / N].
  const double by_hand =
      1.5 * ((1.0 * 2.0 + 0.2 * 0.7 + 3.0 * 0.4) - 4.2 * 3.1 / 3.0);
  EXPECT_NEAR(cov(0, 3), by_hand, 1e-12);
  EXPECT_NEAR(cov(1, 3), cov(2, 3), 0.0);  // I_01 and I_10 are one element
  EXPECT_TRUE(cov.isApprox(cov.transpose()));
}

TEST(ContributionStandardError, IsTheSpreadOfAFixedNumberOfEvents) {
  // Equal contributions: a sum of N equal terms has no spread.
  EXPECT_EQ(ContributionStandardError(Eigen::MatrixXd::Constant(1, 1, 10.0),
                                      Eigen::MatrixXd::Constant(1, 1, 10.0),
                                      10)(0, 0),
            0.0);
  // Contributions {0, 0, 0, 2}: N/(N−1) [Σy² − (Σy)²/N] = 4/3 (4 − 1) = 4.
  EXPECT_DOUBLE_EQ(ContributionStandardError(Eigen::MatrixXd::Constant(1, 1, 2),
                                             Eigen::MatrixXd::Constant(1, 1, 4),
                                             4)(0, 0),
                   2.0);
}

// Equal weights, every event in the partition: M = L σ mean(T), whose
// standard error is exactly L σ sd(T)/√N.
TEST(WeightedMeanInformation, EqualWeightsGiveTheStandardErrorOfTheMean) {
  std::mt19937_64 random(17);
  std::normal_distribution<double> normal(0.3, 1.2);
  const int n = 500;
  const double xsec = 2.5;
  WeightedMeanInformation estimate(2);
  std::vector<Eigen::MatrixXd> outer;
  for (int e = 0; e < n; ++e) {
    const Eigen::Vector2d t(normal(random), normal(random));
    outer.push_back(t * t.transpose());
    estimate.AddAnyEvent(xsec / n);
    estimate.AddPartitionEvent(xsec / n, outer.back());
  }
  Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(2, 2);
  for (const auto& t : outer) mean += t / n;
  Eigen::MatrixXd variance = Eigen::MatrixXd::Zero(2, 2);
  for (const auto& t : outer) variance += (t - mean).cwiseAbs2() / (n - 1);
  const Eigen::MatrixXd expected =
      kLuminosity * xsec * variance.cwiseSqrt() / std::sqrt(double{n});
  const Eigen::MatrixXd actual = estimate.StandardError(kLuminosity, n);
  EXPECT_TRUE((actual - expected).cwiseAbs().maxCoeff() <=
              1e-10 * expected.maxCoeff())
      << actual << "\nvs\n"
      << expected;
  EXPECT_TRUE(estimate.Information(kLuminosity)
                  .isApprox(kLuminosity * xsec * mean, 1e-12));
}

// Unequal weights, a partition of 30 % of the events, σ from all of them:
// the delta method against the spread of the same estimator over bootstrap
// replicas, computed here.
TEST(WeightedMeanInformation, MatchesTheBootstrapSpread) {
  std::mt19937_64 random(4);
  std::lognormal_distribution<double> weight(0.0, 0.8);
  std::normal_distribution<double> normal(0.0, 1.0);
  const int n = 4000;
  const int first = 2800;
  std::vector<double> w(n);
  std::vector<Eigen::Vector2d> t(n);
  WeightedMeanInformation estimate(2);
  for (int e = 0; e < n; ++e) {
    w[e] = 1e-3 * weight(random);
    const double x = normal(random);
    t[e] = Eigen::Vector2d(x + 0.5, 0.3 * x * x - 0.2 * normal(random));
    estimate.AddAnyEvent(w[e]);
    if (e >= first) estimate.AddPartitionEvent(w[e], t[e] * t[e].transpose());
  }
  const Eigen::VectorXd weights =
      Eigen::Map<const Eigen::VectorXd>(w.data(), n);
  const auto replicas = WeightedMeanReplicas(weights, t, first, 5);
  ExpectMatchesSpread(
      estimate.StandardError(kLuminosity, n), Spread(replicas), 0.12);
}

// The toy events file, with weights at θ and their gradients computed here
// from the benchmark weights and the morphing (DESIGN.md §2).
class FisherUncertaintyOnToyEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::FindReference("madminer/toy_events.h5");
    if (path_.empty()) GTEST_SKIP() << "MadMiner reference data absent";
    file_ = ReadEvents(path_);
    const MadminerMorphing& morphing = *file_.setup.morphing;
    const Eigen::Index p = morphing.components.cols();
    Eigen::VectorXd component(morphing.components.rows());
    Eigen::MatrixXd gradient(morphing.components.rows(), p);
    for (Eigen::Index c = 0; c < component.size(); ++c) {
      component(c) = 1.0;
      for (Eigen::Index q = 0; q < p; ++q) {
        component(c) *= std::pow(theta_(q), morphing.components(c, q));
      }
      for (Eigen::Index q = 0; q < p; ++q) {
        const int k = morphing.components(c, q);
        double value = k == 0 ? 0.0 : k * std::pow(theta_(q), k - 1);
        for (Eigen::Index o = 0; o < p; ++o) {
          if (o != q) value *= std::pow(theta_(o), morphing.components(c, o));
        }
        gradient(c, q) = value;
      }
    }
    const Eigen::MatrixXd weights =
        file_.events.weights.leftCols(morphing.morphing_matrix.cols());
    w_ = weights * (morphing.morphing_matrix.transpose() * component);
    dw_ = weights * (morphing.morphing_matrix.transpose() * gradient);
    pt_ = file_.events.observations.col(Column("pt"));
  }

  std::vector<std::string> Parameters() const {
    std::vector<std::string> names;
    for (const auto& parameter : file_.setup.parameters) {
      names.push_back(parameter.name);
    }
    return names;
  }

  Eigen::Index Column(const std::string& name) const {
    const auto& o = file_.setup.observables;
    return static_cast<Eigen::Index>(
        std::find_if(
            o.begin(), o.end(), [&](const auto& x) { return x.name == name; }) -
        o.begin());
  }

  // Binned information L Σ_b d_b d_bᵀ/σ_b of events with multiplicities m.
  Eigen::MatrixXd Binned(const std::vector<double>& m,
                         const std::vector<double>& edges) const {
    const auto bins = static_cast<Eigen::Index>(edges.size()) + 1;
    Eigen::VectorXd s = Eigen::VectorXd::Zero(bins);
    Eigen::MatrixXd d = Eigen::MatrixXd::Zero(bins, dw_.cols());
    for (Eigen::Index e = 0; e < w_.size(); ++e) {
      // Bin i holds the values with #(edges < value) = i (histogram_bins.h).
      const Eigen::Index b =
          std::lower_bound(edges.begin(), edges.end(), pt_(e)) - edges.begin();
      s(b) += m[static_cast<std::size_t>(e)] * w_(e);
      d.row(b) += m[static_cast<std::size_t>(e)] * dw_.row(e);
    }
    Eigen::MatrixXd information = Eigen::MatrixXd::Zero(dw_.cols(), dw_.cols());
    for (Eigen::Index b = 0; b < bins; ++b) {
      if (s(b) != 0.0) {
        information += kLuminosity * d.row(b).transpose() * d.row(b) / s(b);
      }
    }
    return information;
  }

  // max_e |y_e,ii| / I_ii for the binned information of `edges`.
  Eigen::VectorXd LargestBinnedShare(const std::vector<double>& edges) const {
    const auto bins = static_cast<Eigen::Index>(edges.size()) + 1;
    std::vector<Eigen::Index> bin_of(static_cast<std::size_t>(w_.size()));
    Eigen::VectorXd s = Eigen::VectorXd::Zero(bins);
    Eigen::MatrixXd d = Eigen::MatrixXd::Zero(bins, dw_.cols());
    for (Eigen::Index e = 0; e < w_.size(); ++e) {
      const Eigen::Index b =
          std::lower_bound(edges.begin(), edges.end(), pt_(e)) - edges.begin();
      bin_of[static_cast<std::size_t>(e)] = b;
      s(b) += w_(e);
      d.row(b) += dw_.row(e);
    }
    Eigen::VectorXd information = Eigen::VectorXd::Zero(dw_.cols());
    for (Eigen::Index b = 0; b < bins; ++b) {
      information += kLuminosity * d.row(b).transpose().cwiseAbs2() / s(b);
    }
    Eigen::VectorXd largest = Eigen::VectorXd::Zero(dw_.cols());
    for (Eigen::Index e = 0; e < w_.size(); ++e) {
      const Eigen::Index b = bin_of[static_cast<std::size_t>(e)];
      for (Eigen::Index i = 0; i < dw_.cols(); ++i) {
        const double y =
            kLuminosity * (2.0 * dw_(e, i) * d(b, i) / s(b) -
                           d(b, i) * d(b, i) * w_(e) / (s(b) * s(b)));
        largest(i) = std::max(largest(i), std::abs(y));
      }
    }
    return largest.cwiseQuotient(information);
  }

  std::filesystem::path path_;
  MadminerEvents file_;
  Eigen::Vector2d theta_{0.3, -0.2};
  Eigen::VectorXd w_;   // weights at θ
  Eigen::MatrixXd dw_;  // ∂w/∂θ
  Eigen::VectorXd pt_;
};

TEST_F(FisherUncertaintyOnToyEvents, TruthMatchesTheBootstrapSpread) {
  GOLDMINE_SKIP_LONG_CHECK_WHEN_SANITIZED();
  FisherOptions options;
  options.include_nuisance_parameters = false;
  const FisherResult truth = FisherInformation(path_, options).Truth(theta_);
  const auto n = w_.size();
  std::mt19937_64 random(6);
  std::vector<Eigen::MatrixXd> replicas;
  for (int r = 0; r < 400; ++r) {
    const std::vector<double> m = Multiplicities(n, random);
    Eigen::Matrix2d sum = Eigen::Matrix2d::Zero();
    for (Eigen::Index e = 0; e < n; ++e) {
      if (w_(e) == 0.0) continue;
      sum += m[static_cast<std::size_t>(e)] * kLuminosity *
             dw_.row(e).transpose() * dw_.row(e) / w_(e);
    }
    replicas.push_back(sum);
  }
  ExpectMatchesSpread(truth.information_uncertainty, Spread(replicas), 0.12);
  ExpectCovarianceMatchesReplicas(truth, replicas);

  // Diagnostics: n_eff, L σ and the largest single-event share.
  EXPECT_NEAR(truth.effective_number_of_events,
              w_.sum() * w_.sum() / w_.squaredNorm(),
              1e-9 * truth.effective_number_of_events);
  EXPECT_NEAR(truth.expected_number_of_events,
              kLuminosity * w_.sum(),
              1e-9 * truth.expected_number_of_events);
  for (Eigen::Index i = 0; i < 2; ++i) {
    const Eigen::VectorXd share =
        kLuminosity * dw_.col(i).cwiseAbs2().cwiseQuotient(w_);
    EXPECT_NEAR(
        truth.largest_event_fraction(i), share.maxCoeff() / share.sum(), 1e-9);
  }
}

TEST_F(FisherUncertaintyOnToyEvents, HistogramAndRateMatchTheBootstrapSpread) {
  FisherOptions options;
  options.include_nuisance_parameters = false;
  const FisherInformation fisher(path_, options);
  const std::vector<double> edges = {30.0, 60.0, 100.0, 150.0};
  HistogramBinning binning;
  binning.edges = edges;
  const FisherResult histogram = fisher.Histogram(theta_, "pt", binning);
  const FisherResult rate = fisher.Rate(theta_);
  // The histogram computed here reproduces the library's.
  const std::vector<double> once(static_cast<std::size_t>(w_.size()), 1.0);
  ASSERT_TRUE(Binned(once, edges).isApprox(histogram.information, 1e-9));
  std::mt19937_64 random(8);
  std::vector<Eigen::MatrixXd> histogram_replicas;
  std::vector<Eigen::MatrixXd> rate_replicas;
  for (int r = 0; r < 400; ++r) {
    const std::vector<double> m = Multiplicities(w_.size(), random);
    histogram_replicas.push_back(Binned(m, edges));
    rate_replicas.push_back(Binned(m, {}));
  }
  ExpectMatchesSpread(
      histogram.information_uncertainty, Spread(histogram_replicas), 0.12);
  ExpectMatchesSpread(
      rate.information_uncertainty, Spread(rate_replicas), 0.12);
  ExpectCovarianceMatchesReplicas(histogram, histogram_replicas);

  // One event's share of I_ii: its linearised contribution, analytically
  // y_e = L (2 ∂_iw_e d_i/s − d_i² w_e/s²) with s, d the sums of its bin.
  EXPECT_TRUE(LargestBinnedShare(edges).isApprox(
      histogram.largest_event_fraction, 1e-6))
      << histogram.largest_event_fraction.transpose() << " vs "
      << LargestBinnedShare(edges).transpose();
  EXPECT_TRUE(
      LargestBinnedShare({}).isApprox(rate.largest_event_fraction, 1e-6))
      << rate.largest_event_fraction.transpose() << " vs "
      << LargestBinnedShare({}).transpose();
}

// t̂ = offset + slope · pt, as in fisher_information_test.cc.
class LinearScoreModel final : public core::ScoreModel {
 public:
  LinearScoreModel(std::vector<std::string> parameters,
                   Eigen::Vector2d offset,
                   Eigen::Vector2d slope)
      : parameters_(std::move(parameters)), offset_(offset), slope_(slope) {}
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x) const override {
    return (x.col(0) * slope_.transpose()).rowwise() + offset_.transpose();
  }
  std::vector<std::string> parameter_names() const override {
    return parameters_;
  }
  std::vector<std::string> observable_names() const override { return {"pt"}; }

 private:
  std::vector<std::string> parameters_;
  Eigen::Vector2d offset_;
  Eigen::Vector2d slope_;
};

TEST_F(FisherUncertaintyOnToyEvents, SallyMatchesTheBootstrapSpreadAndTruth) {
  const std::vector<std::string> names = Parameters();
  const FisherInformation fisher(path_);
  const Eigen::Vector2d slope(0.01, -0.02);
  const LinearScoreModel model(names, Eigen::Vector2d(0.1, 0.2), slope);
  const FisherResult sally = fisher.Score(theta_, model, "test", false);
  const auto n = w_.size();
  const auto first = static_cast<Eigen::Index>(std::llround(0.8 * n));
  std::vector<Eigen::Vector2d> scores;
  for (Eigen::Index e = 0; e < n; ++e) {
    scores.push_back(Eigen::Vector2d(0.1, 0.2) + slope * pt_(e));
  }
  const auto replicas = WeightedMeanReplicas(w_, scores, first, 10);
  ExpectMatchesSpread(sally.information_uncertainty, Spread(replicas), 0.12);
  ExpectCovarianceMatchesReplicas(sally, replicas);

  // The truth on the same partition: L σ Σ_p w t tᵀ / Σ_p w with the joint
  // score t = ∇w/w − ∇σ/σ.
  const Eigen::Vector2d rate_score = dw_.colwise().sum().transpose() / w_.sum();
  Eigen::Matrix2d sum = Eigen::Matrix2d::Zero();
  double partition = 0.0;
  for (Eigen::Index e = first; e < n; ++e) {
    if (w_(e) == 0.0) continue;
    const Eigen::Vector2d t = dw_.row(e).transpose() / w_(e) - rate_score;
    sum += w_(e) * t * t.transpose();
    partition += w_(e);
  }
  const Eigen::Matrix2d truth = kLuminosity * w_.sum() * sum / partition;
  ASSERT_EQ(sally.truth_information.rows(), 2);
  EXPECT_TRUE(sally.truth_information.isApprox(truth, 1e-9))
      << sally.truth_information << "\nvs\n"
      << truth;
  EXPECT_EQ(sally.truth_difference_uncertainty.rows(), 2);
  EXPECT_GT(sally.truth_difference_uncertainty(0, 0), 0.0);
}

// `fisher sally --mem`: a reference score on the same events. The model
// itself as the reference: fraction 1 with no MC error. Twice the model:
// its information (kinematic part, no rate term here) is 4 times the
// model's, a fraction of 1/4 exactly, and the paired error of the fraction
// is the delta-method value δR² = δD²/B² + D² δB²/B⁴.
TEST_F(FisherUncertaintyOnToyEvents, AReferenceScoreOnTheSameEvents) {
  const std::vector<std::string> names = Parameters();
  const FisherInformation fisher(path_);
  const LinearScoreModel model(
      names, Eigen::Vector2d(0.1, 0.2), Eigen::Vector2d(0.01, -0.02));
  const EventScorer same = [&](const Eigen::MatrixXd& x,
                               const std::vector<std::int64_t>&) {
    return model.Score(x.leftCols(1));
  };
  const FisherResult itself =
      fisher.Score(theta_, model, "test", false, {}, same);
  for (Eigen::Index i = 0; i < 2; ++i) {
    EXPECT_NEAR(FractionOfReference(itself, i).value, 1.0, 1e-12);
    EXPECT_NEAR(FractionOfReference(itself, i).uncertainty, 0.0, 1e-12);
  }
  EXPECT_TRUE(itself.reference_uncertainty.isApprox(
      itself.information_uncertainty, 1e-12));
  const EventScorer twice = [&](const Eigen::MatrixXd& x,
                                const std::vector<std::int64_t>& rows) {
    return Eigen::MatrixXd(2.0 * same(x, rows));
  };
  const FisherResult half =
      fisher.Score(theta_, model, "test", false, {}, twice);
  EXPECT_TRUE(
      half.reference_information.isApprox(4.0 * half.information, 1e-12));
  for (Eigen::Index i = 0; i < 2; ++i) {
    const Fraction fraction = FractionOfReference(half, i);
    EXPECT_NEAR(fraction.value, 0.25, 1e-12);
    // D = −3 I, δD = 3 δI, B = 4 I, δB = 4 δI: δR² = 9/16 (δI/I)² +
    // 9/16 (δI/I)², δR = (3/4) √2 δI/I.
    const double relative =
        half.information_uncertainty(i, i) / half.information(i, i);
    EXPECT_NEAR(fraction.uncertainty,
                0.75 * std::sqrt(2.0) * relative,
                1e-9 * relative);
  }
}

// A score far larger than the joint score carries more information than the
// truth: flagged. A zero score carries none: not flagged.
TEST_F(FisherUncertaintyOnToyEvents, FlagsAnEstimatorAboveTheTruth) {
  const std::vector<std::string> names = Parameters();
  const FisherInformation fisher(path_);
  const FisherResult truth = fisher.Truth(theta_);
  // t̂ = 10 √(I_ii / (L σ)) per component: I_sally = 100 × truth diagonal.
  const double xsec = fisher.CrossSection(theta_);
  const Eigen::Vector2d big(
      10.0 * std::sqrt(truth.information(0, 0) / (kLuminosity * xsec)),
      10.0 * std::sqrt(truth.information(1, 1) / (kLuminosity * xsec)));
  const LinearScoreModel overconfident(names, big, Eigen::Vector2d::Zero());
  const FisherResult high = fisher.Score(theta_, overconfident);
  EXPECT_EQ(ExceedsTruth(high), (std::vector<bool>{true, true}));
  bool warned = false;
  for (const auto& line : FisherWarnings(high)) {
    warned |= line.find("exceeds the truth") != std::string::npos;
  }
  EXPECT_TRUE(warned);
  const LinearScoreModel silent(
      names, Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero());
  const FisherResult zero = fisher.Score(theta_, silent);
  EXPECT_EQ(ExceedsTruth(zero), (std::vector<bool>{false, false}));
}

// A constant score c adds L σ c cᵀ to the rate information R. With D =
// I_truth − R and L σ c cᵀ = 0.8 w wᵀ, w = (√D_11, −sign(D_12) √D_22), each
// diagonal element stays 0.2 D_ii below the truth, while along w the added
// information, 0.8 (D_11 + D_22), exceeds wᵀDw/|w|² = (D_11² + D_22² −
// 2|D_12|√(D_11 D_22))/(D_11 + D_22). Only the generalised eigenproblem
// sees that.
TEST_F(FisherUncertaintyOnToyEvents, FlagsAnExcessAlongADirectionOffTheAxes) {
  const std::vector<std::string> names = Parameters();
  const FisherInformation fisher(path_);
  const LinearScoreModel silent(
      names, Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero());
  const FisherResult zero = fisher.Score(theta_, silent);
  ASSERT_TRUE(zero.truth_excess.has_value());
  EXPECT_LT(zero.truth_excess->ratio, 1.0);  // the rate alone: below truth
  EXPECT_FALSE(ExceedsTruthInSomeDirection(zero));

  const Eigen::MatrixXd d = zero.truth_information - zero.information;
  ASSERT_GT(d(0, 0), 0.0);
  ASSERT_GT(d(1, 1), 0.0);
  const Eigen::Vector2d w(std::sqrt(d(0, 0)),
                          (d(0, 1) > 0.0 ? -1.0 : 1.0) * std::sqrt(d(1, 1)));
  const Eigen::Vector2d c =
      std::sqrt(0.8 / (kLuminosity * fisher.CrossSection(theta_))) * w;
  const LinearScoreModel biased(names, c, Eigen::Vector2d::Zero());
  const FisherResult result = fisher.Score(theta_, biased);
  EXPECT_EQ(ExceedsTruth(result), (std::vector<bool>{false, false}))
      << result.information << "\nvs truth\n"
      << result.truth_information;
  const Eigen::Vector2d unit = w.normalized();
  ASSERT_TRUE(result.truth_excess.has_value());
  const TruthExcess& excess = *result.truth_excess;
  EXPECT_GT(excess.ratio, 1.0);
  EXPECT_NEAR(
      excess.excess,
      excess.direction.dot((result.information - result.truth_information) *
                           excess.direction),
      1e-9 * std::abs(excess.excess));
  // Along w the information exceeds the truth; the maximising direction
  // has at least w's ratio.
  EXPECT_GT(unit.dot((result.information - result.truth_information) * unit),
            0.0);
  EXPECT_GE(excess.ratio,
            unit.dot(result.information * unit) /
                    unit.dot(result.truth_information * unit) -
                1e-12);
  EXPECT_GT(excess.uncertainty, 0.0);
  EXPECT_TRUE(ExceedsTruthInSomeDirection(result))
      << excess.excess << " ± " << excess.uncertainty;
  bool warned = false;
  for (const auto& line : FisherWarnings(result))
    warned |= line.find("along the direction") != std::string::npos;
  EXPECT_TRUE(warned);
}

// Two members with constant scores c1, c2 (the model is their mean): each
// member's information is L σ c_m c_mᵀ, so the spread over members is
// L σ |c1 c1ᵀ − c2 c2ᵀ| / √2 (standard deviation with K − 1 = 1).
TEST_F(FisherUncertaintyOnToyEvents, EnsembleSpreadOfConstantMembers) {
  const Eigen::Vector2d c1(0.5, -1.0);
  const Eigen::Vector2d c2(0.7, -0.4);
  const LinearScoreModel mean(
      Parameters(), (c1 + c2) / 2.0, Eigen::Vector2d::Zero());
  const MemberScores members = [&](const Eigen::MatrixXd& x) {
    const auto n = x.rows();
    return std::vector<Eigen::MatrixXd>{
        Eigen::MatrixXd(Eigen::VectorXd::Ones(n) * c1.transpose()),
        Eigen::MatrixXd(Eigen::VectorXd::Ones(n) * c2.transpose())};
  };
  const FisherInformation fisher(path_);
  const FisherResult result = fisher.Score(theta_, mean, "test", true, members);
  const Eigen::Matrix2d expected =
      kLuminosity * w_.sum() *
      (c1 * c1.transpose() - c2 * c2.transpose()).cwiseAbs() / std::sqrt(2.0);
  EXPECT_TRUE(result.ensemble_uncertainty.isApprox(expected, 1e-10))
      << result.ensemble_uncertainty << "\nvs\n"
      << expected;
  // A single member has no spread.
  const MemberScores one = [&](const Eigen::MatrixXd& x) {
    return std::vector<Eigen::MatrixXd>{
        Eigen::MatrixXd(Eigen::VectorXd::Ones(x.rows()) * c1.transpose())};
  };
  EXPECT_EQ(
      fisher.Score(theta_, mean, "test", true, one).ensemble_uncertainty.size(),
      0);
}

// The excess over the truth is measured against the Monte Carlo error of
// the difference and the ensemble spread in quadrature.
TEST(ExceedsTruth, CountsTheEnsembleSpread) {
  FisherResult result;
  result.parameters = {"a"};
  result.information = Eigen::MatrixXd::Constant(1, 1, 110.0);
  result.truth_information = Eigen::MatrixXd::Constant(1, 1, 100.0);
  result.truth_difference_uncertainty = Eigen::MatrixXd::Constant(1, 1, 3.0);
  EXPECT_EQ(ExceedsTruth(result), std::vector<bool>{true});  // 10 > 2·3
  result.ensemble_uncertainty = Eigen::MatrixXd::Constant(1, 1, 4.0);
  EXPECT_EQ(ExcessUncertainty(result, 0), 5.0);
  EXPECT_EQ(ExceedsTruth(result), std::vector<bool>{false});  // 10 = 2·5
}

// Warnings name the diagnostics that trigger them.
TEST(FisherWarnings, FewEffectiveEventsAndOneHeavyEvent) {
  FisherResult result;
  result.parameters = {"cHB", "cHW"};
  result.information = Eigen::Matrix2d::Identity();
  result.effective_number_of_events = 900.0;
  result.expected_number_of_events = 1000.0;
  result.largest_event_fraction = Eigen::Vector2d(0.37, 0.05);
  const std::vector<std::string> warnings = FisherWarnings(result);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("900"), std::string::npos);
  EXPECT_NE(warnings[1].find("37 % of I(cHB, cHB)"), std::string::npos);
  result.effective_number_of_events = 1000.0;
  result.largest_event_fraction = Eigen::Vector2d(0.1, 0.05);
  EXPECT_TRUE(FisherWarnings(result).empty());
  // A share of an element consistent with zero is not a warning.
  result.largest_event_fraction = Eigen::Vector2d(0.95, 0.05);
  result.information_uncertainty = Eigen::Matrix2d::Constant(1.5);
  EXPECT_TRUE(FisherWarnings(result).empty());
  result.information_uncertainty = Eigen::Matrix2d::Constant(0.5);
  EXPECT_EQ(FisherWarnings(result).size(), 1u);
}

}  // namespace
}  // namespace goldmine::mining
