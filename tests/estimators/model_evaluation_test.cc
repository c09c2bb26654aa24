#include "goldmine/estimators/model_evaluation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/onnx_export.h"
#include "goldmine/estimators/onnx_model.h"
#include "support/finite_differences.h"
#include "support/scratch_folder.h"

namespace goldmine::estimators {
namespace {

using ::testing::ThrowsMessage;

// n samples of one observable and one parameter: enough for a network to
// exist; what it learned does not matter here.
TrainingData TinySamples(int n) {
  TrainingData data;
  data.x = Eigen::VectorXd::LinSpaced(n, -1.0, 1.0);
  data.t_xz = data.x;
  data.theta0 = Eigen::VectorXd::LinSpaced(n, 0.5, -0.5);
  data.theta1 = Eigen::MatrixXd::Zero(n, 1);
  data.y = Eigen::MatrixXd::Zero(n, 1);
  for (int i = 1; i < n; i += 2) data.y(i, 0) = 1.0;
  data.parameter_names = {"theta"};
  data.observable_names = {"x"};
  return data;
}

NetworkConfig TinyNetwork(bool double_parameterized = false) {
  NetworkConfig network;
  network.hidden = {4};
  network.double_parameterized = double_parameterized;
  return network;
}

TrainingConfig OneEpoch(int ensemble_size = 1) {
  TrainingConfig training;
  training.epochs = 1;
  training.batch_size = 16;
  training.validation_split = 0.0;
  training.threads = 1;
  training.ensemble_size = ensemble_size;
  return training;
}

class ModelEvaluation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new std::filesystem::path(
        testing::MakeScratchFolder("model_evaluation"));
    ScoreEstimator::Train(
        Method::kSally, TinySamples(32), TinyNetwork(), OneEpoch())
        .Save(*folder_ / "sally");
    RatioEstimator::Train(
        Method::kCarl, TinySamples(32), TinyNetwork(), OneEpoch())
        .Save(*folder_ / "carl");
    RatioEstimator::Train(
        Method::kCarl, TinySamples(32), TinyNetwork(true), OneEpoch())
        .Save(*folder_ / "carl2");
    // Ensembles of three: a nonzero spread, computed row by row too.
    ScoreEstimator::Train(
        Method::kSally, TinySamples(32), TinyNetwork(), OneEpoch(3))
        .Save(*folder_ / "sally3");
    RatioEstimator::Train(
        Method::kCarl, TinySamples(32), TinyNetwork(true), OneEpoch(3))
        .Save(*folder_ / "carl2_3");
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*folder_);
    delete folder_;
  }
  static std::string Model(const std::string& name) {
    return (*folder_ / name).string();
  }
  static std::filesystem::path* folder_;
};
std::filesystem::path* ModelEvaluation::folder_ = nullptr;

const Eigen::MatrixXd kNone;

TEST_F(ModelEvaluation, AScoreModelGivesTheScoreAndAZeroSpreadForOneNetwork) {
  const Eigen::MatrixXd x{{-0.5}, {0.0}, {0.75}};
  const NamedPredictions predictions = EvaluateOnSamples(
      Model("sally"), Method::kSally, x, kNone, kNone, "s.h5");
  ASSERT_EQ(predictions.size(), 2u);
  EXPECT_EQ(predictions[0].first, "t_hat");
  EXPECT_EQ(predictions[1].first, "t_hat_std");
  EXPECT_EQ(predictions[0].second,
            ScoreEstimator::Load(Model("sally")).Score(x));
  EXPECT_EQ(predictions[1].second, Eigen::MatrixXd::Zero(3, 1));
}

TEST_F(ModelEvaluation, ARatioModelIsEvaluatedAtEachRowsTheta0) {
  const Eigen::MatrixXd x{{-0.5}, {0.0}, {0.75}};
  const Eigen::MatrixXd theta0 = Eigen::MatrixXd::Constant(3, 1, 0.3);
  const NamedPredictions predictions =
      EvaluateOnSamples(Model("carl"), Method::kCarl, x, theta0, kNone, "s.h5");
  ASSERT_EQ(predictions.size(), 4u);
  EXPECT_EQ(predictions[0].first, "log_r_hat");
  EXPECT_EQ(predictions[1].first, "log_r_hat_std");
  EXPECT_EQ(predictions[2].first, "t_hat");
  EXPECT_EQ(predictions[3].first, "t_hat_std");
  // One θ0 for all rows: the same as the single-point functions.
  const RatioEstimator carl = RatioEstimator::Load(Model("carl"));
  const Eigen::VectorXd theta = Eigen::VectorXd::Constant(1, 0.3);
  EXPECT_TRUE(testing::AllClose(
      predictions[0].second, carl.LogLikelihoodRatio(x, theta), 1e-12));
  EXPECT_TRUE(
      testing::AllClose(predictions[2].second, carl.Score(x, theta), 1e-12));
  EXPECT_EQ(predictions[1].second, Eigen::MatrixXd::Zero(3, 1));
}

TEST_F(ModelEvaluation, ColumnsThatDoNotFitTheModelAreNamed) {
  const Eigen::MatrixXd x2 = Eigen::MatrixXd::Zero(3, 2);
  const Eigen::MatrixXd x = Eigen::MatrixXd::Zero(3, 1);
  const Eigen::MatrixXd theta2 = Eigen::MatrixXd::Zero(3, 2);
  const Eigen::MatrixXd theta = Eigen::MatrixXd::Zero(3, 1);
  EXPECT_THAT(
      [&] {
        EvaluateOnSamples(
            Model("sally"), Method::kSally, x2, kNone, kNone, "s.h5");
      },
      ThrowsMessage<InvalidInput>("s.h5: x has 2 columns, model " +
                                  Model("sally") + " expects 1"));
  EXPECT_THAT(
      [&] {
        EvaluateOnSamples(
            Model("carl"), Method::kCarl, x, kNone, kNone, "s.h5");
      },
      ThrowsMessage<InvalidInput>("s.h5: no theta0; a ratio model is "
                                  "evaluated at each sample's theta0"));
  EXPECT_THAT(
      [&] {
        EvaluateOnSamples(
            Model("carl"), Method::kCarl, x, theta2, kNone, "s.h5");
      },
      ThrowsMessage<InvalidInput>("s.h5: theta0 has 2 columns, model " +
                                  Model("carl") + " expects 1"));
  EXPECT_THAT(
      [&] {
        EvaluateOnSamples(
            Model("carl2"), Method::kCarl, x, theta, kNone, "s.h5");
      },
      ThrowsMessage<InvalidInput>("s.h5: no theta1; model " + Model("carl2") +
                                  " is double-parameterized"));
  EXPECT_THAT(
      [&] {
        EvaluateOnSamples(
            Model("carl2"), Method::kCarl, x, theta, theta2, "s.h5");
      },
      ThrowsMessage<InvalidInput>("s.h5: theta1 has 2 columns, model " +
                                  Model("carl2") + " expects 1"));
  // A single-parameterized network ignores theta1.
  EXPECT_EQ(
      EvaluateOnSamples(Model("carl"), Method::kCarl, x, theta, theta2, "s.h5")
          .size(),
      4u);
}

// Rows [first, first + count) of `m`; `m` itself when it is empty (no
// theta1).
Eigen::MatrixXd Rows(const Eigen::MatrixXd& m,
                     Eigen::Index first,
                     Eigen::Index count) {
  return m.size() == 0 ? m : Eigen::MatrixXd(m.middleRows(first, count));
}

// Evaluated in chunks of one and two evaluation passes (the last chunk
// shorter), every prediction is bit for bit the one of a single call on
// all rows.
void ExpectChunksGiveTheWholeSample(const SampleEvaluator& evaluator,
                                    const Eigen::MatrixXd& x,
                                    const Eigen::MatrixXd& theta0,
                                    const Eigen::MatrixXd& theta1) {
  const NamedPredictions whole = EvaluateOnSamples(
      evaluator.model(), evaluator.method(), x, theta0, theta1, "s.h5");
  EXPECT_EQ(evaluator.Evaluate(x, theta0, theta1, "s.h5"), whole);
  for (const Eigen::Index chunk :
       {kEvaluationBatchRows, 2 * kEvaluationBatchRows}) {
    for (Eigen::Index first = 0; first < x.rows(); first += chunk) {
      const Eigen::Index count = std::min(chunk, x.rows() - first);
      const NamedPredictions part =
          evaluator.Evaluate(Rows(x, first, count),
                             Rows(theta0, first, count),
                             Rows(theta1, first, count),
                             "s.h5");
      ASSERT_EQ(part.size(), whole.size());
      for (std::size_t k = 0; k < whole.size(); ++k) {
        EXPECT_EQ(part[k].first, whole[k].first);
        EXPECT_EQ(part[k].second, whole[k].second.middleRows(first, count))
            << evaluator.model() << " " << whole[k].first << ", chunk " << chunk
            << " at row " << first;
      }
    }
  }
}

TEST_F(ModelEvaluation, ChunksOfASampleGiveExactlyThePredictionsOfTheWhole) {
  const Eigen::Index n = 2 * kEvaluationBatchRows + 100;
  const Eigen::MatrixXd x = Eigen::VectorXd::LinSpaced(n, -2.0, 2.0);
  const Eigen::MatrixXd theta0 = Eigen::VectorXd::LinSpaced(n, 0.7, -0.4);
  const Eigen::MatrixXd theta1 = Eigen::VectorXd::LinSpaced(n, -0.3, 0.5);
  const std::vector<std::pair<std::string, Method>> models = {
      {"sally", Method::kSally},
      {"sally3", Method::kSally},
      {"carl", Method::kCarl},
      {"carl2", Method::kCarl},
      {"carl2_3", Method::kCarl}};
  for (const auto& [name, method] : models) {
    const SampleEvaluator evaluator(Model(name), method);
    ExpectChunksGiveTheWholeSample(evaluator, x, theta0, theta1);
  }
  const NamedPredictions spread = EvaluateOnSamples(
      Model("carl2_3"), Method::kCarl, x, theta0, theta1, "s.h5");
  EXPECT_GT(spread[1].second.maxCoeff(), 0.0);  // log_r_hat_std
  EXPECT_GT(spread[3].second.maxCoeff(), 0.0);  // t_hat_std

  // The same models published as ONNX files (OpenCV's dnn runs them).
  if (!OnnxExportAvailable() || !OnnxReadAvailable()) {
    GTEST_SKIP() << "built without ONNX export or reading";
  }
  for (const auto& [name, method] : models) {
    const std::string onnx = Model(name) + ".onnx";
    ExportOnnx(Model(name), onnx);
    const SampleEvaluator evaluator(onnx, method);
    ExpectChunksGiveTheWholeSample(evaluator, x, theta0, theta1);
  }
}

TEST_F(ModelEvaluation,
       AnEmptySampleGivesEmptyPredictionsWithTheModelsColumns) {
  const SampleEvaluator evaluator(Model("sally"), Method::kSally);
  const NamedPredictions predictions =
      evaluator.Evaluate(Eigen::MatrixXd(0, 1), kNone, kNone, "s.h5");
  ASSERT_EQ(predictions.size(), 2u);
  EXPECT_EQ(predictions[0].second.rows(), 0);
  EXPECT_EQ(predictions[0].second.cols(), 1);
  EXPECT_EQ(predictions[1].second.cols(), 1);
}

}  // namespace
}  // namespace goldmine::estimators
