// Ensemble Fisher information with covariance (estimators/fisher.h;
// MadMiner's Ensemble.calculate_fisher_information).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "estimators/toy_samples.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/fisher.h"

namespace goldmine::estimators {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

Eigen::MatrixXd Column(double a, double b) { return Eigen::Vector2d(a, b); }

// Two members, two events, one parameter, weights (1, 3) → (1/4, 3/4),
// n_events = 2. Score mode: mean score (2, 3), I = 2 (4/4 + 27/4) = 15.5;
// shifted scores mean ∓ (1, 1)/√2 give informations differing by 2·11/√2,
// whose sample variance is (22/√2)²/2 = 121.
TEST(EnsembleFisherInformation, ScoreModeByHand) {
  const std::vector<Eigen::MatrixXd> members = {Column(1, 2), Column(3, 4)};
  const FisherInformationWithCovariance result = EnsembleFisherInformation(
      members, Eigen::Vector2d(1, 3), 2.0, FisherMode::kScore);
  ASSERT_EQ(result.information.rows(), 1);
  ASSERT_EQ(result.covariance.rows(), 1);
  EXPECT_NEAR(result.information(0, 0), 15.5, 1e-12);
  EXPECT_NEAR(result.covariance(0, 0), 121.0, 1e-10);
}

// Information mode: member informations 2·3.25 and 2·14.25, mean 17.5,
// sample variance 22²/2 = 242.
TEST(EnsembleFisherInformation, InformationModeByHand) {
  const std::vector<Eigen::MatrixXd> members = {Column(1, 2), Column(3, 4)};
  const FisherInformationWithCovariance result = EnsembleFisherInformation(
      members, Eigen::Vector2d(1, 3), 2.0, FisherMode::kInformation);
  EXPECT_NEAR(result.information(0, 0), 17.5, 1e-12);
  EXPECT_NEAR(result.covariance(0, 0), 242.0, 1e-10);
}

// Two parameters: the covariance is (P², P²) in row-major (i P + j) order,
// checked against the informations computed element by element.
TEST(EnsembleFisherInformation, CovarianceLayoutForTwoParameters) {
  RandomStream random(5);
  std::vector<Eigen::MatrixXd> members(3, Eigen::MatrixXd(6, 2));
  for (auto& t : members)
    for (Eigen::Index i = 0; i < t.size(); ++i) t(i) = random.Normal();
  const Eigen::VectorXd w = Eigen::VectorXd::Constant(6, 1.0 / 6.0);
  const FisherInformationWithCovariance result =
      EnsembleFisherInformation(members, {}, 10.0, FisherMode::kInformation);
  ASSERT_EQ(result.covariance.rows(), 4);
  ASSERT_EQ(result.covariance.cols(), 4);
  // I_k(i, j) of each member; Cov(I_01, I_11) by hand.
  double a[3];
  double b[3];
  Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(2, 2);
  for (int k = 0; k < 3; ++k) {
    const Eigen::MatrixXd& t = members[static_cast<std::size_t>(k)];
    const Eigen::MatrixXd information =
        10.0 * t.transpose() * w.asDiagonal() * t;
    mean += information / 3.0;
    a[k] = information(0, 1);
    b[k] = information(1, 1);
  }
  const double ma = (a[0] + a[1] + a[2]) / 3.0;
  const double mb = (b[0] + b[1] + b[2]) / 3.0;
  double cov = 0.0;
  for (int k = 0; k < 3; ++k) cov += (a[k] - ma) * (b[k] - mb) / 2.0;
  EXPECT_TRUE(result.information.isApprox(mean, 1e-12));
  EXPECT_NEAR(result.covariance(0 * 2 + 1, 1 * 2 + 1), cov, 1e-10);
  EXPECT_NEAR(result.covariance(1 * 2 + 1, 1 * 2 + 0), cov, 1e-10);
  EXPECT_TRUE(result.covariance.isApprox(result.covariance.transpose()));
}

TEST(EnsembleFisherInformation, SingleMemberHasZeroCovariance) {
  const FisherInformationWithCovariance result =
      EnsembleFisherInformation({Column(1, 2)}, {}, 1.0);
  EXPECT_NEAR(result.information(0, 0), 2.5, 1e-12);
  EXPECT_EQ(result.covariance(0, 0), 0.0);
}

TEST(EnsembleFisherInformation, RejectsBadInput) {
  EXPECT_THAT([] { EnsembleFisherInformation({}, {}, 1.0); },
              ThrowsMessage<InvalidInput>(HasSubstr("no ensemble members")));
  EXPECT_THAT(
      [] {
        EnsembleFisherInformation(
            {Column(1, 2), Eigen::MatrixXd::Ones(3, 1)}, {}, 1.0);
      },
      ThrowsMessage<InvalidInput>(HasSubstr("different shapes")));
  EXPECT_THAT(
      [] {
        EnsembleFisherInformation({Column(1, 2)}, Eigen::Vector3d::Ones(), 1.0);
      },
      ThrowsMessage<InvalidInput>(HasSubstr("3 entries for 2 events")));
  EXPECT_THAT(
      [] {
        EnsembleFisherInformation({Column(1, 2)}, Eigen::Vector2d(1, -1), 1.0);
      },
      ThrowsMessage<InvalidInput>(HasSubstr("weights sum to")));
}

// A SALLY ensemble on the analytic toy (c1, c2 at the SM): its Fisher
// information per event is within 5% (Frobenius norm) of the exact
// E[t(x) t(x)ᵀ] on the same events, the exact value lies within a few
// standard deviations of the ensemble's covariance or the 5%, and the
// information mode agrees with ScoreEstimator::FisherInformation.
TEST(EnsembleFisherInformation,
     SallyEnsembleOnTheToyMatchesTheExactInformation) {
  const generators::ToyModel model({"c1", "c2"});
  TrainingConfig training;
  training.epochs = 10;
  training.batch_size = 64;
  training.initial_lr = 3e-3;
  training.final_lr = 3e-4;
  training.validation_split = 0.2;
  training.seed = 21;
  training.threads = 1;
  training.ensemble_size = 3;
  NetworkConfig network;
  network.hidden = {32, 32};
  const ScoreEstimator sally = ScoreEstimator::Train(
      Method::kSally, toy::ToyScoreSamples(model, 6000, 5), network, training);
  const Eigen::MatrixXd x = toy::ToyScoreSamples(model, 2000, 6).x;
  const Eigen::MatrixXd exact_score =
      toy::ToyExactScore(model, x, Eigen::VectorXd::Zero(2));
  const Eigen::MatrixXd exact =
      exact_score.transpose() * exact_score / static_cast<double>(x.rows());

  const FisherInformationWithCovariance score_mode =
      sally.FisherInformationCovariance(x, {}, 1.0);
  const double relative =
      (score_mode.information - exact).norm() / exact.norm();
  std::cout << "relative error " << relative << "\nensemble\n"
            << score_mode.information << "\nexact\n"
            << exact << "\nstd "
            << score_mode.covariance.diagonal().cwiseSqrt().transpose() << "\n";
  EXPECT_LT(relative, 0.05) << score_mode.information << "\nexact\n" << exact;
  EXPECT_GT(score_mode.covariance.diagonal().minCoeff(), 0.0);
  for (Eigen::Index i = 0; i < 4; ++i) {
    const double sigma = std::sqrt(score_mode.covariance(i, i));
    EXPECT_LT(
        std::abs(score_mode.information(i / 2, i % 2) - exact(i / 2, i % 2)),
        5.0 * sigma + 0.05 * exact.norm());
  }

  const FisherInformationWithCovariance information_mode =
      sally.FisherInformationCovariance(x, {}, 1.0, FisherMode::kInformation);
  const EnsemblePrediction summary =
      sally.FisherInformation(x, Eigen::VectorXd(), 1.0);
  EXPECT_TRUE(information_mode.information.isApprox(summary.mean, 1e-12));
  for (Eigen::Index i = 0; i < 4; ++i) {
    EXPECT_NEAR(std::sqrt(information_mode.covariance(i, i)),
                summary.std(i / 2, i % 2),
                1e-9 * exact.norm());
  }
  EXPECT_EQ(sally.MemberScores(x).size(), 3u);
}

}  // namespace
}  // namespace goldmine::estimators
