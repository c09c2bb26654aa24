#include "goldmine/estimators/losses.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "goldmine/core/errors.h"

namespace goldmine::estimators {
namespace {

Eigen::VectorXd Vector(std::initializer_list<double> values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double value : values) v(i++) = value;
  return v;
}

TEST(Losses, SallyIsTheMeanSquaredErrorOverEventsAndComponents) {
  LossBatch batch;
  batch.t_hat = (Eigen::MatrixXd(2, 2) << 1, 2, 3, 4).finished();
  batch.t_xz = (Eigen::MatrixXd(2, 2) << 0, 2, 3, 6).finished();
  EXPECT_DOUBLE_EQ(EvaluateLoss(Method::kSally, 1.0, batch), 5.0 / 4.0);
  EXPECT_DOUBLE_EQ(EvaluateLoss(Method::kSallino, 1.0, batch), 5.0 / 4.0);
}

// ŝ = 1/(1 + r̂): r̂ = 1 gives ŝ = 1/2 (label 0: −log(1/2)); r̂ = 3 gives
// ŝ = 1/4 (label 1: −log(1/4)).
TEST(Losses, CarlIsTheCrossEntropyOfTheLabels) {
  LossBatch batch;
  batch.log_r_hat = Vector({0.0, std::log(3.0)});
  batch.y = Vector({0.0, 1.0});
  EXPECT_NEAR(EvaluateLoss(Method::kCarl, 1.0, batch),
              0.5 * (std::log(2.0) + std::log(4.0)),
              1e-14);
}

TEST(Losses, AliceIsTheCrossEntropyOfTheJointRatioTarget) {
  LossBatch batch;
  batch.log_r_hat = Vector({0.0});
  batch.y = Vector({1.0});
  batch.r_xz = Vector({3.0});  // s = 1/4, ŝ = 1/2
  EXPECT_NEAR(EvaluateLoss(Method::kAlice, 1.0, batch), std::log(2.0), 1e-14);
}

// num: (1−y)(1/r̂ − 1/r) = (3/4, 0); den: y (r̂ − r) = (0, −1).
LossBatch RatioBatch() {
  LossBatch batch;
  batch.log_r_hat = Vector({0.0, std::log(2.0)});
  batch.y = Vector({0.0, 1.0});
  batch.r_xz = Vector({4.0, 3.0});
  batch.t_hat = (Eigen::MatrixXd(2, 1) << 1.0, 5.0).finished();
  batch.t_xz = (Eigen::MatrixXd(2, 1) << 0.0, 0.0).finished();
  return batch;
}

TEST(Losses, RolrSumsTheMeanSquaredErrorsOfRatioAndInverseRatio) {
  EXPECT_NEAR(EvaluateLoss(Method::kRolr, 1.0, RatioBatch()),
              0.5625 / 2 + 1.0 / 2,
              1e-14);
}

// Score term: alpha · mean(((1−y)(t̂ − t))²) = alpha · (1 + 0) / 2; the
// second event is drawn from θ1, whose score is not used.
TEST(Losses, ScoreAugmentedLossesAddAlphaTimesTheNumeratorScoreError) {
  const LossBatch batch = RatioBatch();
  const double alpha = 2.0;
  const double score = alpha * 0.5;
  EXPECT_NEAR(EvaluateLoss(Method::kRascal, alpha, batch),
              EvaluateLoss(Method::kRolr, alpha, batch) + score,
              1e-14);
  EXPECT_NEAR(EvaluateLoss(Method::kCascal, alpha, batch),
              EvaluateLoss(Method::kCarl, alpha, batch) + score,
              1e-14);
  EXPECT_NEAR(EvaluateLoss(Method::kAlices, alpha, batch),
              EvaluateLoss(Method::kAlice, alpha, batch) + score,
              1e-14);
  EXPECT_NEAR(
      EvaluateLoss(Method::kRascal, alpha, batch), 0.78125 + 1.0, 1e-14);
}

TEST(Losses, CrossEntropiesStayFiniteForExtremeLogRatios) {
  LossBatch batch;
  batch.log_r_hat = Vector({1000.0, -1000.0});
  batch.y = Vector({1.0, 0.0});
  batch.r_xz = Vector({1.0, 1.0});
  // Wrong by 1000 in log space each: the loss is 1000, not inf or 100.
  EXPECT_NEAR(EvaluateLoss(Method::kCarl, 1.0, batch), 1000.0, 1e-9);
  // Target s = 1/2: half of each event's loss is softplus(1000).
  EXPECT_NEAR(EvaluateLoss(Method::kAlice, 1.0, batch), 500.0, 1e-9);
}

TEST(Losses, RolrClampsLogRatioAtTen) {
  LossBatch batch;
  batch.log_r_hat = Vector({50.0});
  batch.y = Vector({1.0});
  batch.r_xz = Vector({1.0});
  const double expected = std::pow(std::exp(10.0) - 1.0, 2);
  EXPECT_NEAR(EvaluateLoss(Method::kRolr, 1.0, batch) / expected, 1.0, 1e-12);
}

TEST(Losses, MissingTargetsAreRejected) {
  LossBatch batch;
  batch.log_r_hat = Vector({0.0});
  batch.y = Vector({0.0});
  EXPECT_THAT([&] { EvaluateLoss(Method::kRolr, 1.0, batch); },
              ::testing::ThrowsMessage<InvalidInput>(
                  ::testing::HasSubstr("needs r_xz")));
}

}  // namespace
}  // namespace goldmine::estimators
