// Accuracy of SALLY, CARL, RASCAL and ALICES on the analytic toy
// (generators/toy_model.h), whose score t(x|θ) and likelihood ratio
// r(x|θ0,θ1) are known exactly (issue 6, acceptance). Training data carry
// the augmented targets t(x,z|θ0) and r(x,z|θ0,θ1) of the toy's Joint*
// functions, as MadMiner's augmentation would produce them. Small networks,
// few epochs, one thread; the learning curves with more samples are in
// bench/estimators_toy_benchmark.cc and docs/benchmarks.md.
#include <gtest/gtest.h>

#include <iostream>

#include "estimators/toy_samples.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/generators/toy_model.h"

namespace goldmine::estimators {
namespace {

// Both parameters (c1, c2) at θ_ref = SM: the c1 score comes from pt, the
// c2 score from dphi; t(x,z) differs from t(x) by the smearing of pt and
// dphi, which SALLY has to average away.
TEST(ToyAccuracy, SallyScoreErrorIsBelowFivePercentOfTheScoreVariance) {
  const generators::ToyModel model({"c1", "c2"});
  const TrainingData training_data = toy::ToyScoreSamples(model, 10000, 1);
  const ScoreEstimator sally = ScoreEstimator::Train(
      Method::kSally, training_data, toy::ToyNetwork(), toy::ToyTraining(20));
  const TrainingData test = toy::ToyScoreSamples(model, 2000, 2);
  const Eigen::MatrixXd exact =
      toy::ToyExactScore(model, test.x, Eigen::VectorXd::Zero(2));
  const Eigen::MatrixXd estimated = sally.Score(test.x);
  for (int j = 0; j < 2; ++j) {
    const double mse = (estimated.col(j) - exact.col(j)).squaredNorm() /
                       static_cast<double>(test.x.rows());
    const double variance = toy::Variance(exact.col(j));
    std::cout << model.parameters()[static_cast<std::size_t>(j)] << ": mse "
              << mse << " variance " << variance << "\n";
    EXPECT_LT(mse, 0.05 * variance)
        << "component " << j << " mse " << mse << " variance " << variance;
  }
}

double TrainedLogRatioMse(Method method,
                          const TrainingData& data,
                          const TrainingData& test,
                          const Eigen::VectorXd& exact) {
  const RatioEstimator estimator = RatioEstimator::Train(
      method, data, toy::ToyNetwork(), toy::ToyTraining(20));
  return toy::LogRatioMse(estimator, test, exact);
}

// The c2 toy at θ0 ~ U(−1, 1) against θ1 = SM, 4000 samples each. Threshold:
// the mean squared error of log r̂ must be below 5% of the variance of the
// exact log r over the test samples (≈ 0.25, so about 0.013, an rms error of
// 0.11 in log r), the criterion SALLY meets for the score: the estimator
// explains more than 95% of the variation of log r. CARL, which sees only
// the labels y, misses it on the same samples (its error is ≈ 35% of the
// variance here); RASCAL and ALICES, which also fit r(x,z) and t(x,z), reach
// ≈ 2% (seeds fixed; measured 0.0049 and 0.0057 against CARL's 0.089).
TEST(ToyAccuracy, RascalAndAlicesLearnTheLikelihoodRatioBetterThanCarl) {
  const generators::ToyModel model = toy::RatioToyModel();
  const TrainingData data = toy::ToyRatioSamples(model, 4000, 3);
  const TrainingData test = toy::ToyRatioSamples(model, 2000, 4);
  const Eigen::VectorXd exact = toy::ToyExactLogRatio(model, test);
  const double variance = toy::Variance(exact);
  const double carl = TrainedLogRatioMse(Method::kCarl, data, test, exact);
  const double rascal = TrainedLogRatioMse(Method::kRascal, data, test, exact);
  const double alices = TrainedLogRatioMse(Method::kAlices, data, test, exact);
  std::cout << "variance " << variance << " carl " << carl << " rascal "
            << rascal << " alices " << alices << "\n";
  EXPECT_GT(variance, 0.1);
  EXPECT_LT(rascal, 0.05 * variance);
  EXPECT_LT(alices, 0.05 * variance);
  EXPECT_LT(rascal, carl);
  EXPECT_LT(alices, carl);
}

}  // namespace
}  // namespace goldmine::estimators
