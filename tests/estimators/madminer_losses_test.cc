// The score terms of RASCAL, ALICES and CASCAL against MadMiner's own loss
// functions (issue 16, item 4): the α-weighted term is in the units of the
// scaled parameters, and double-parameterized networks add the θ1 term.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/losses.h"

namespace goldmine::estimators {
namespace {

// The inputs of scripts/reference/madminer_losses.py: six events, two
// parameters whose ranges differ by 100 (c ~ 0.1, d ~ 10).
Eigen::MatrixXd Rows(
    std::initializer_list<std::initializer_list<double>> rows) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()),
                    static_cast<Eigen::Index>(rows.begin()->size()));
  Eigen::Index r = 0;
  for (const auto& row : rows) {
    Eigen::Index c = 0;
    for (double value : row) m(r, c++) = value;
    ++r;
  }
  return m;
}

Eigen::VectorXd Column(std::initializer_list<double> values) {
  return Rows({values}).transpose();
}

struct MadMinerCase {
  Eigen::MatrixXd theta0 = Rows({{0.10, -12.0},
                                 {-0.05, 4.0},
                                 {0.02, 9.0},
                                 {-0.12, -3.0},
                                 {0.07, 15.0},
                                 {0.00, -7.0}});
  Eigen::MatrixXd theta1 = Rows({{0.00, 0.0},
                                 {0.03, -8.0},
                                 {-0.09, 2.0},
                                 {0.05, 11.0},
                                 {-0.02, -5.0},
                                 {0.11, 6.0}});
  Eigen::VectorXd y = Column({0, 1, 0, 1, 0, 1});
  Eigen::VectorXd r_xz = Column({0.7, 1.9, 1.2, 0.4, 3.0, 0.8});
  Eigen::MatrixXd t_xz0 = Rows({{3.0, 0.05},
                                {-1.5, 0.20},
                                {0.8, -0.10},
                                {2.2, 0.02},
                                {-4.0, 0.15},
                                {0.5, -0.30}});
  Eigen::MatrixXd t_xz1 = Rows({{1.0, -0.04},
                                {2.5, 0.10},
                                {-0.6, 0.08},
                                {-1.8, -0.12},
                                {0.9, 0.25},
                                {-2.0, 0.06}});
  Eigen::VectorXd log_r_hat = Column({-0.3, 0.6, 0.1, -0.8, 1.1, 0.2});
  // MadMiner's network outputs: gradients of log r̂ with respect to the
  // scaled θ0 and θ1.
  Eigen::MatrixXd t0_hat_scaled = Rows({{0.20, 0.70},
                                        {-0.10, 1.20},
                                        {0.05, -0.60},
                                        {0.30, 0.40},
                                        {-0.25, 0.90},
                                        {0.10, -1.50}});
  Eigen::MatrixXd t1_hat_scaled = Rows({{0.15, -0.50},
                                        {0.12, 0.60},
                                        {-0.04, 0.70},
                                        {-0.20, -0.90},
                                        {0.06, 1.40},
                                        {-0.18, 0.30}});
};

// Population standard deviation of each column, as np.std and as the
// estimators' Standardise compute it.
Eigen::VectorXd StandardDeviation(const Eigen::MatrixXd& m) {
  const Eigen::RowVectorXd mean = m.colwise().mean();
  return ((m.rowwise() - mean).array().square().colwise().sum() /
          static_cast<double>(m.rows()))
      .sqrt()
      .transpose();
}

// goldmine's batch for the same network outputs: scores in physical units
// (t̂ = t̂_scaled / σ) and the scaling σ of the θ values the network saw.
LossBatch GoldmineBatch(const MadMinerCase& c, bool double_parameterized) {
  Eigen::MatrixXd thetas = c.theta0;
  if (double_parameterized) {
    thetas.resize(2 * c.theta0.rows(), c.theta0.cols());
    thetas << c.theta0, c.theta1;
  }
  LossBatch batch;
  batch.theta_scale = StandardDeviation(thetas);
  const Eigen::RowVectorXd inverse =
      batch.theta_scale.cwiseInverse().transpose();
  batch.log_r_hat = c.log_r_hat;
  batch.y = c.y;
  batch.r_xz = c.r_xz;
  batch.t_xz = c.t_xz0;
  batch.t_hat = c.t0_hat_scaled.array().rowwise() * inverse.array();
  if (double_parameterized) {
    batch.t_xz1 = c.t_xz1;
    batch.t_hat1 = c.t1_hat_scaled.array().rowwise() * inverse.array();
  }
  return batch;
}

struct Reference {
  Method method;
  double alpha;
  bool double_parameterized;
  double loss;
};

// Printed by scripts/reference/madminer_losses.py with MadMiner at commit
// 3e2615d0 (its losses.py and get_loss), Debian's python3-torch 1.13.
const Reference kReferences[] = {
    {Method::kRascal, 1.0, false, 0.06704993701397427},
    {Method::kRascal, 1.0, true, 0.058025322186168703},
    {Method::kRascal, 10.0, false, 0.37441761457022482},
    {Method::kRascal, 10.0, true, 0.28417146629216927},
    {Method::kAlices, 1.0, false, 0.68138159152270228},
    {Method::kAlices, 1.0, true, 0.67235697669489669},
    {Method::kAlices, 10.0, false, 0.98874926907895277},
    {Method::kAlices, 10.0, true, 0.89850312080089723},
    {Method::kCascal, 1.0, false, 0.6996210834183807},
    {Method::kCascal, 1.0, true, 0.69059646859057511},
    {Method::kCascal, 10.0, false, 1.0069887609746311},
    {Method::kCascal, 10.0, true, 0.91674261269657564},
};

TEST(MadMinerLosses, ScoreAugmentedLossesEqualMadMinersWithParameterScaling) {
  const MadMinerCase c;
  for (const Reference& reference : kReferences) {
    const LossBatch batch = GoldmineBatch(c, reference.double_parameterized);
    const double loss = EvaluateLoss(reference.method, reference.alpha, batch);
    EXPECT_NEAR(loss / reference.loss, 1.0, 1e-12)
        << MethodName(reference.method)
        << (reference.double_parameterized ? "2" : "")
        << " alpha=" << reference.alpha;
  }
}

TEST(MadMinerLosses, TheScoreFreeLossesEqualMadMiners) {
  const LossBatch batch = GoldmineBatch(MadMinerCase(), false);
  EXPECT_NEAR(
      EvaluateLoss(Method::kRolr, 1.0, batch), 0.032897972841057534, 1e-15);
  EXPECT_NEAR(
      EvaluateLoss(Method::kAlice, 1.0, batch), 0.64722962734978551, 1e-15);
  EXPECT_NEAR(
      EvaluateLoss(Method::kCarl, 1.0, batch), 0.66546911924546392, 1e-15);
}

// In physical units the score error of d (σ ≈ 9) would weigh 1/σ² ≈ 1/86
// of its scaled weight and that of c (σ ≈ 0.07) 190 times more: the loss
// differs from MadMiner's by 5 %, ten orders of magnitude beyond rounding.
TEST(MadMinerLosses, TheScoreTermInPhysicalUnitsIsNotMadMiners) {
  LossBatch batch = GoldmineBatch(MadMinerCase(), false);
  batch.theta_scale.resize(0);
  EXPECT_GT(std::abs(EvaluateLoss(Method::kRascal, 10.0, batch) -
                     0.37441761457022482),
            1e-3);
}

// rascal2 − (its θ0 part) = α · ratio_score_mse_den, MadMiner's value for the
// same outputs (madminer_losses.py prints it).
TEST(MadMinerLosses, TheTheta1TermAddsAlphaTimesRatioScoreMseDen) {
  const MadMinerCase c;
  const LossBatch both = GoldmineBatch(c, true);
  LossBatch theta0_only = both;
  theta0_only.t_hat1.resize(0, 0);
  theta0_only.t_xz1.resize(0, 0);
  const double kRatioScoreMseDen = 0.0070100754153878337;
  const double kRatioScoreMseNum = 0.018117273929723336;
  for (double alpha : {1.0, 10.0}) {
    for (Method method : {Method::kRascal, Method::kAlices, Method::kCascal}) {
      EXPECT_NEAR(EvaluateLoss(method, alpha, both) -
                      EvaluateLoss(method, alpha, theta0_only),
                  alpha * kRatioScoreMseDen,
                  1e-14)
          << MethodName(method) << " alpha=" << alpha;
    }
    EXPECT_NEAR(EvaluateLoss(Method::kRascal, alpha, theta0_only) -
                    EvaluateLoss(Method::kRolr, alpha, theta0_only),
                alpha * kRatioScoreMseNum,
                1e-14);
  }
}

// x ~ N(θ0, 1) for y = 0 and N(θ1, 1) for y = 1, θ0, θ1 ~ U(−1, 1): the
// exact log r = −(x − θ0)²/2 + (x − θ1)²/2, t(x|θ) = x − θ. The score at
// θ1 is −∂ log r / ∂θ1 = x − θ1.
TrainingData DoubleGaussianToy(int n, std::uint64_t seed) {
  RandomStream random(seed);
  TrainingData data;
  data.x.resize(n, 1);
  data.theta0.resize(n, 1);
  data.theta1.resize(n, 1);
  data.y.resize(n, 1);
  data.r_xz.resize(n, 1);
  data.t_xz.resize(n, 1);
  data.t_xz1.resize(n, 1);
  for (int i = 0; i < n; ++i) {
    const double theta0 = random.Uniform(-1.0, 1.0);
    const double theta1 = random.Uniform(-1.0, 1.0);
    const double y = i % 2;
    const double x = random.Normal() + (y == 0.0 ? theta0 : theta1);
    data.x(i, 0) = x;
    data.theta0(i, 0) = theta0;
    data.theta1(i, 0) = theta1;
    data.y(i, 0) = y;
    data.r_xz(i, 0) = std::exp(-0.5 * (x - theta0) * (x - theta0) +
                               0.5 * (x - theta1) * (x - theta1));
    data.t_xz(i, 0) = x - theta0;
    data.t_xz1(i, 0) = x - theta1;
  }
  data.parameter_names = {"theta"};
  data.observable_names = {"x"};
  return data;
}

// With the θ1 term weighted heavily, −∂ log r̂ / ∂θ1 follows the score at
// θ1. MadMiner's sign (∂ log r̂ / ∂θ1 against t(x,z|θ1)) would fight the
// ALICE term and leave a derivative near 0: a mean squared error near the
// variance of x − θ1 instead of a small fraction of it.
TEST(MadMinerLosses, DoubleParameterizedAlicesLearnsTheScoreAtTheta1) {
  NetworkConfig network;
  network.hidden = {32, 32};
  network.activation = Activation::kTanh;
  network.double_parameterized = true;
  TrainingConfig training;
  training.epochs = 15;
  training.batch_size = 64;
  training.initial_lr = 1e-2;
  training.final_lr = 1e-3;
  training.alpha = 10.0;
  training.seed = 11;
  training.threads = 1;
  const RatioEstimator alices = RatioEstimator::Train(
      Method::kAlices, DoubleGaussianToy(4000, 3), network, training);
  const double theta0 = 0.3;
  const double theta1 = -0.4;
  const double h = 1e-3;
  Eigen::MatrixXd x(41, 1);
  for (int i = 0; i < 41; ++i) x(i, 0) = -2.0 + 0.1 * i;
  const Eigen::VectorXd derivative =
      (alices.LogLikelihoodRatio(x,
                                 Eigen::VectorXd::Constant(1, theta0),
                                 Eigen::VectorXd::Constant(1, theta1 + h)) -
       alices.LogLikelihoodRatio(x,
                                 Eigen::VectorXd::Constant(1, theta0),
                                 Eigen::VectorXd::Constant(1, theta1 - h))) /
      (2.0 * h);
  const Eigen::VectorXd exact = x.col(0).array() - theta1;
  const double mse = (-derivative - exact).squaredNorm() / x.rows();
  const double variance =
      (exact.array() - exact.mean()).square().sum() / x.rows();
  EXPECT_LT(mse, 0.05 * variance) << "mse " << mse << " variance " << variance;
}

TEST(MadMinerLosses, DoubleParameterizedScoreTrainingNeedsTheScoreAtTheta1) {
  TrainingData data = DoubleGaussianToy(100, 4);
  data.t_xz1.resize(0, 0);
  NetworkConfig network;
  network.hidden = {8};
  network.double_parameterized = true;
  TrainingConfig training;
  training.epochs = 1;
  EXPECT_THROW(RatioEstimator::Train(Method::kRascal, data, network, training),
               InvalidInput);
}

}  // namespace
}  // namespace goldmine::estimators
