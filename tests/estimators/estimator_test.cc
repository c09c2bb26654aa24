#include "goldmine/estimators/estimator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/estimators/losses.h"
#include "support/finite_differences.h"
#include "support/scratch_folder.h"

namespace goldmine::estimators {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// Latent z ~ N(θ, 1) and observed x = z + ε, ε ~ N(0, 1), at θ = 0: the
// joint score t(x,z|0) = z has E[z|x] = x/2 = t(x|0), the exact score of
// p(x|θ) = N(θ, 2). SALLY has to average the noise away.
TrainingData NoisyScoreToy(int n, std::uint64_t seed) {
  RandomStream random(seed);
  TrainingData data;
  data.x.resize(n, 1);
  data.t_xz.resize(n, 1);
  for (int i = 0; i < n; ++i) {
    const double z = random.Normal();
    data.x(i, 0) = z + random.Normal();
    data.t_xz(i, 0) = z;
  }
  data.parameter_names = {"theta"};
  data.observable_names = {"x"};
  return data;
}

// x ~ N(θ0, 1) (y = 0) or N(0, 1) (y = 1) with θ0 ~ U(−1, 1), no latent
// variables: r(x|θ0, 0) = exp(θ0 x − θ0²/2), t(x|θ0) = x − θ0.
double ExactLogRatio(double x, double theta) {
  return theta * x - 0.5 * theta * theta;
}

TrainingData GaussianRatioToy(int n, std::uint64_t seed) {
  RandomStream random(seed);
  TrainingData data;
  data.x.resize(n, 1);
  data.theta0.resize(n, 1);
  data.y.resize(n, 1);
  data.r_xz.resize(n, 1);
  data.t_xz.resize(n, 1);
  for (int i = 0; i < n; ++i) {
    const double theta = random.Uniform(-1.0, 1.0);
    const double y = i % 2;
    const double x = random.Normal() + (y == 0.0 ? theta : 0.0);
    data.x(i, 0) = x;
    data.theta0(i, 0) = theta;
    data.y(i, 0) = y;
    data.r_xz(i, 0) = std::exp(ExactLogRatio(x, theta));
    data.t_xz(i, 0) = x - theta;
  }
  data.parameter_names = {"theta"};
  data.observable_names = {"x"};
  return data;
}

NetworkConfig SmallNetwork() {
  NetworkConfig network;
  network.hidden = {16};
  network.activation = Activation::kTanh;
  return network;
}

TrainingConfig FastTraining(int epochs = 3) {
  TrainingConfig training;
  training.epochs = epochs;
  training.batch_size = 32;
  training.initial_lr = 1e-2;
  training.final_lr = 1e-3;
  training.seed = 7;
  training.threads = 1;
  return training;
}

Eigen::MatrixXd Grid(int n, double low, double high) {
  Eigen::MatrixXd x(n, 1);
  for (int i = 0; i < n; ++i) x(i, 0) = low + (high - low) * i / (n - 1);
  return x;
}

TEST(ScoreEstimator, SallyLearnsTheScoreOfAGaussianToy) {
  TrainingConfig training = FastTraining(20);
  training.batch_size = 64;
  const ScoreEstimator sally = ScoreEstimator::Train(
      Method::kSally, NoisyScoreToy(4000, 1), SmallNetwork(), training);
  const Eigen::MatrixXd x = NoisyScoreToy(2000, 2).x;
  const Eigen::MatrixXd exact = x / 2.0;
  const double mse = (sally.Score(x) - exact).squaredNorm() / x.rows();
  const double variance =
      (exact.array() - exact.mean()).square().sum() / x.rows();
  EXPECT_LT(mse, 0.05 * variance) << "mse " << mse << " variance " << variance;
  EXPECT_EQ(sally.parameter_names(), std::vector<std::string>{"theta"});
  EXPECT_EQ(sally.histories()[0].training_loss.size(), 20u);
}

// Two independent copies of the noisy toy, the second score 10³ smaller:
// t(x,z) = (z1, 10⁻³ z2), exact score t(x) = (x1 / 2, 10⁻³ x2 / 2). This is
// the shape of real EFT scores, whose components differ by orders of
// magnitude between operators (issue 17 item 5).
TrainingData UnequalScoresToy(int n, std::uint64_t seed) {
  RandomStream random(seed);
  TrainingData data;
  data.x.resize(n, 2);
  data.t_xz.resize(n, 2);
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < 2; ++k) {
      const double z = random.Normal();
      data.x(i, k) = z + random.Normal();
      data.t_xz(i, k) = k == 0 ? z : 1e-3 * z;
    }
  }
  data.parameter_names = {"c_large", "c_small"};
  data.observable_names = {"x1", "x2"};
  return data;
}

// Mean squared error of each score component over its variance, on the
// exact score of 2000 unseen events.
Eigen::Vector2d RelativeScoreErrors(const ScoreEstimator& sally) {
  const Eigen::MatrixXd x = UnequalScoresToy(2000, 2).x;
  Eigen::MatrixXd exact = x / 2.0;
  exact.col(1) *= 1e-3;
  const Eigen::MatrixXd t_hat = sally.Score(x);
  Eigen::Vector2d errors;
  for (int k = 0; k < 2; ++k) {
    const double variance =
        (exact.col(k).array() - exact.col(k).mean()).square().mean();
    errors(k) = (t_hat.col(k) - exact.col(k)).squaredNorm() /
                static_cast<double>(x.rows()) / variance;
  }
  return errors;
}

TEST(ScoreEstimator, AScoreComponentAThousandTimesSmallerIsLearnedToo) {
  TrainingConfig training = FastTraining(20);
  training.batch_size = 64;
  const TrainingData data = UnequalScoresToy(4000, 1);
  const ScoreEstimator scaled =
      ScoreEstimator::Train(Method::kSally, data, SmallNetwork(), training);
  const Eigen::Vector2d errors = RelativeScoreErrors(scaled);
  EXPECT_LT(errors(0), 0.05) << errors.transpose();
  EXPECT_LT(errors(1), 0.05) << errors.transpose();

  // Without the scaling the same training neglects the small component:
  // it contributes 10⁻⁶ of the loss.
  training.scale_scores = false;
  const ScoreEstimator plain =
      ScoreEstimator::Train(Method::kSally, data, SmallNetwork(), training);
  const Eigen::Vector2d plain_errors = RelativeScoreErrors(plain);
  EXPECT_LT(plain_errors(0), 0.05) << plain_errors.transpose();
  EXPECT_GT(plain_errors(1), 1.0) << plain_errors.transpose();
}

TEST(ScoreEstimator, TheScoreScaleIsStoredWithTheModelAndUndoneAfterLoading) {
  const auto folder = testing::MakeScratchFolder("estimator_score_scale");
  const ScoreEstimator sally = ScoreEstimator::Train(
      Method::kSally, UnequalScoresToy(400, 3), SmallNetwork(), FastTraining());
  sally.Save(folder / "model");
  std::ifstream in(folder / "model.json");
  const std::string json((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  EXPECT_THAT(json, HasSubstr("\"t_scale\""));
  EXPECT_THAT(json, HasSubstr("\"scale_scores\": true"));
  const ScoreEstimator loaded = ScoreEstimator::Load(folder / "model");
  const Eigen::MatrixXd x = UnequalScoresToy(50, 4).x;
  EXPECT_EQ(loaded.Score(x), sally.Score(x));
  // Predictions come out in physical units: the small component stays
  // about 10³ below the large one.
  const Eigen::MatrixXd t_hat = sally.Score(x);
  EXPECT_LT(t_hat.col(1).cwiseAbs().maxCoeff(),
            0.02 * t_hat.col(0).cwiseAbs().maxCoeff());
  std::filesystem::remove_all(folder);
}

// The likelihood ratio of the toy is within reach of a small network:
// mean squared error of log r̂ below 0.02, about 5% of the variance of log r
// over the test points (θ0 ~ U(−1, 1), x ~ N(0, 1): ≈ 0.38). On the same
// 1500 samples ALICES beats CARL, which sees the labels but not r(x,z) and
// t(x,z) (the claim of arXiv 1805.12244).
double LogRatioMse(Method method, const TrainingData& data) {
  NetworkConfig network = SmallNetwork();
  network.hidden = {32, 32};
  TrainingConfig training = FastTraining(15);
  const RatioEstimator estimator =
      RatioEstimator::Train(method, data, network, training);
  const TrainingData test = GaussianRatioToy(2000, 4);
  const Eigen::VectorXd log_r =
      estimator.LogLikelihoodRatioEnsemble(test.x, test.theta0, {}).mean.col(0);
  double mse = 0.0;
  for (Eigen::Index i = 0; i < test.x.rows(); ++i) {
    mse +=
        std::pow(log_r(i) - ExactLogRatio(test.x(i, 0), test.theta0(i, 0)), 2);
  }
  return mse / static_cast<double>(test.x.rows());
}

TEST(RatioEstimator, AlicesLearnsAGaussianLikelihoodRatioBetterThanCarl) {
  const TrainingData data = GaussianRatioToy(1500, 3);
  const double alices = LogRatioMse(Method::kAlices, data);
  const double carl = LogRatioMse(Method::kCarl, data);
  EXPECT_LT(alices, 0.02);
  EXPECT_LT(alices, carl);
}

TEST(RatioEstimator, ThetaOfTheWrongDimensionIsRejected) {
  // Trained on one parameter, asked about two: a clear InvalidInput, not a
  // silent evaluation on the first column.
  const RatioEstimator carl = RatioEstimator::Train(
      Method::kCarl, GaussianRatioToy(200, 9), SmallNetwork(), FastTraining(1));
  const Eigen::MatrixXd x = Grid(4, -1.0, 1.0);
  const Eigen::MatrixXd two_parameters = Eigen::MatrixXd::Zero(4, 2);
  EXPECT_THAT(
      [&] { carl.LogLikelihoodRatioEnsemble(x, two_parameters, {}); },
      ThrowsMessage<InvalidInput>(HasSubstr("columns, the model expects 1")));
  const Eigen::MatrixXd three_observables = Eigen::MatrixXd::Zero(4, 3);
  EXPECT_THAT(
      [&] {
        carl.LogLikelihoodRatioEnsemble(
            three_observables, Eigen::MatrixXd::Zero(4, 1), {});
      },
      ThrowsMessage<InvalidInput>(HasSubstr("columns, the model expects 1")));
}

TEST(RatioEstimator, AutogradScoreMatchesFiniteDifferencesOfLogRatio) {
  NetworkConfig network = SmallNetwork();
  network.double_precision = true;
  TrainingData data = GaussianRatioToy(400, 5);
  data.theta0.conservativeResize(Eigen::NoChange, 2);
  data.theta0.col(1).setLinSpaced(-2.0, 3.0);
  data.t_xz.conservativeResize(Eigen::NoChange, 2);
  data.t_xz.col(1).setZero();
  data.parameter_names = {"a", "b"};
  const RatioEstimator rascal =
      RatioEstimator::Train(Method::kRascal, data, network, FastTraining(2));
  const Eigen::MatrixXd x = Grid(5, -2.0, 2.0);
  Eigen::VectorXd theta(2);
  theta << 0.3, -0.7;
  const Eigen::MatrixXd score = rascal.Score(x, theta);
  const Eigen::MatrixXd numeric = testing::FiniteDifferenceGradient(
      [&](const Eigen::VectorXd& t) {
        return Eigen::VectorXd(rascal.LogLikelihoodRatio(x, t));
      },
      theta);
  EXPECT_TRUE(testing::AllClose(score, numeric.transpose(), 1e-7));
}

TEST(RatioEstimator, DoubleParameterizedRatioIsAntisymmetric) {
  NetworkConfig network = SmallNetwork();
  network.double_parameterized = true;
  TrainingData data = GaussianRatioToy(300, 6);
  data.theta1 = Eigen::MatrixXd::Zero(300, 1);
  const RatioEstimator carl =
      RatioEstimator::Train(Method::kCarl, data, network, FastTraining(2));
  const Eigen::MatrixXd x = Grid(4, -1.0, 1.0);
  const Eigen::VectorXd a = Eigen::VectorXd::Constant(1, 0.4);
  const Eigen::VectorXd b = Eigen::VectorXd::Constant(1, -0.2);
  EXPECT_TRUE(testing::AllClose(carl.LogLikelihoodRatio(x, a, b),
                                -carl.LogLikelihoodRatio(x, b, a),
                                1e-6));
  EXPECT_TRUE(carl.LogLikelihoodRatio(x, a, a).isZero(1e-6));
}

TEST(Estimator, EarlyStoppingRestoresTheBestValidationEpoch) {
  // Few noisy samples, a wide network and a high learning rate overfit:
  // the validation loss rises after an early minimum.
  NetworkConfig network = SmallNetwork();
  network.hidden = {64, 64};
  network.double_precision = true;
  TrainingConfig training = FastTraining(30);
  training.batch_size = 8;
  training.initial_lr = 3e-2;
  training.final_lr = 3e-2;
  const TrainingData validation = NoisyScoreToy(200, 9);
  const ScoreEstimator sally = ScoreEstimator::Train(
      Method::kSally, NoisyScoreToy(40, 8), network, training, &validation);
  const TrainingHistory history = sally.histories()[0];
  ASSERT_EQ(history.validation_loss.size(), 30u);
  EXPECT_LT(history.best_epoch, 29);
  // The history holds the minimised loss: scores in units of the standard
  // deviation of t_xz over the training samples (scale_scores).
  const Eigen::VectorXd t_xz = NoisyScoreToy(40, 8).t_xz.col(0);
  const double scale = std::sqrt((t_xz.array() - t_xz.mean()).square().mean());
  LossBatch batch;
  batch.t_hat = sally.Score(validation.x) / scale;
  batch.t_xz = validation.t_xz / scale;
  EXPECT_NEAR(
      EvaluateLoss(Method::kSally, 1.0, batch),
      history.validation_loss[static_cast<std::size_t>(history.best_epoch)],
      1e-12);
  EXPECT_LT(
      history.validation_loss[static_cast<std::size_t>(history.best_epoch)],
      history.validation_loss.back());
}

TEST(Estimator, SameSeedGivesIdenticalWeights) {
  const TrainingData data = NoisyScoreToy(300, 10);
  const auto train = [&](std::uint64_t seed) {
    TrainingConfig training = FastTraining(2);
    training.seed = seed;
    NetworkConfig network = SmallNetwork();
    network.dropout = 0.1;
    return ScoreEstimator::Train(Method::kSally, data, network, training)
        .FlatWeights();
  };
  const Eigen::VectorXd first = train(3);
  EXPECT_EQ(first, train(3));
  EXPECT_NE(first, train(4));
}

TEST(Estimator, SaveAndLoadGiveIdenticalPredictions) {
  const auto folder = testing::MakeScratchFolder("estimator_save");
  TrainingConfig training = FastTraining(2);
  training.ensemble_size = 2;
  TrainingData data = GaussianRatioToy(300, 11);
  const RatioEstimator alices =
      RatioEstimator::Train(Method::kAlices, data, SmallNetwork(), training);
  alices.Save(folder / "model");
  ASSERT_TRUE(std::filesystem::exists(folder / "model.json"));
  ASSERT_TRUE(std::filesystem::exists(folder / "model.pt"));
  EXPECT_EQ(ReadModelMethod(folder / "model"), Method::kAlices);
  const RatioEstimator loaded = RatioEstimator::Load(folder / "model");
  EXPECT_EQ(loaded.ensemble_size(), 2);
  EXPECT_EQ(loaded.FlatWeights(1), alices.FlatWeights(1));
  const Eigen::MatrixXd x = Grid(7, -2.0, 2.0);
  const Eigen::VectorXd theta = Eigen::VectorXd::Constant(1, 0.5);
  EXPECT_EQ(loaded.LogLikelihoodRatio(x, theta),
            alices.LogLikelihoodRatio(x, theta));
  EXPECT_EQ(loaded.Score(x, theta), alices.Score(x, theta));
  EXPECT_EQ(loaded.histories()[1].training_loss,
            alices.histories()[1].training_loss);
  std::filesystem::remove_all(folder);
}

TEST(Estimator, LoadRejectsAnotherKindOfModelAndCorruptedFiles) {
  const auto folder = testing::MakeScratchFolder("estimator_bad_load");
  const ScoreEstimator sally = ScoreEstimator::Train(
      Method::kSally, NoisyScoreToy(100, 12), SmallNetwork(), FastTraining(1));
  sally.Save(folder / "sally");
  EXPECT_THAT([&] { RatioEstimator::Load(folder / "sally"); },
              ThrowsMessage<InvalidInput>(HasSubstr("is a score method")));
  EXPECT_THAT([&] { ScoreEstimator::Load(folder / "missing"); },
              ThrowsMessage<FileFormatError>(HasSubstr("cannot open")));
  std::ofstream(folder / "sally.pt", std::ios::trunc) << "garbage";
  EXPECT_THAT([&] { ScoreEstimator::Load(folder / "sally"); },
              ThrowsMessage<FileFormatError>(HasSubstr("sally.pt")));
  std::filesystem::remove_all(folder);
}

TEST(Estimator, NonFiniteInputIsRejectedWithItsPosition) {
  TrainingData data = NoisyScoreToy(50, 13);
  data.x(3, 0) = std::nan("");
  EXPECT_THAT(
      [&] {
        ScoreEstimator::Train(
            Method::kSally, data, SmallNetwork(), FastTraining(1));
      },
      ThrowsMessage<InvalidInput>(HasSubstr("x row 3 column 0 is nan")));
}

TEST(Estimator, DivergingLossStopsTrainingWithAClearMessage) {
  TrainingData data = NoisyScoreToy(50, 14);
  data.t_xz.array() *= 1e30;  // finite, but its square overflows float32
  TrainingConfig training = FastTraining(1);
  training.scale_scores = false;
  EXPECT_THAT(
      [&] {
        ScoreEstimator::Train(Method::kSally, data, SmallNetwork(), training);
      },
      ThrowsMessage<Error>(HasSubstr("training loss is inf")));
  // Scores in units of their standard deviation keep the same data finite,
  // and the predictions come back in the data's units.
  training.scale_scores = true;
  const ScoreEstimator sally =
      ScoreEstimator::Train(Method::kSally, data, SmallNetwork(), training);
  const Eigen::MatrixXd t_hat = sally.Score(data.x);
  EXPECT_TRUE(t_hat.allFinite());
  EXPECT_GT(t_hat.cwiseAbs().maxCoeff(), 1e28);
  EXPECT_LT(t_hat.cwiseAbs().maxCoeff(), 1e32);
}

TEST(Estimator, MissingAugmentedDataIsRejected) {
  TrainingData data = GaussianRatioToy(50, 15);
  data.t_xz.resize(0, 0);
  EXPECT_THAT(
      [&] {
        RatioEstimator::Train(
            Method::kRascal, data, SmallNetwork(), FastTraining(1));
      },
      ThrowsMessage<InvalidInput>(HasSubstr("no t_xz; method rascal")));
}

TEST(Ensemble, MeanAndStandardDeviationOverIndependentlyTrainedMembers) {
  const TrainingData data = NoisyScoreToy(200, 16);
  TrainingConfig training = FastTraining(2);
  training.ensemble_size = 3;
  const ScoreEstimator ensemble =
      ScoreEstimator::Train(Method::kSally, data, SmallNetwork(), training);
  const Eigen::MatrixXd x = Grid(5, -1.0, 1.0);
  // Member k is the network a single training with seed + k gives.
  std::vector<Eigen::MatrixXd> members;
  for (int k = 0; k < 3; ++k) {
    TrainingConfig single = FastTraining(2);
    single.seed = training.seed + static_cast<std::uint64_t>(k);
    members.push_back(
        ScoreEstimator::Train(Method::kSally, data, SmallNetwork(), single)
            .Score(x));
  }
  const Eigen::MatrixXd mean = (members[0] + members[1] + members[2]) / 3.0;
  Eigen::MatrixXd variance = Eigen::MatrixXd::Zero(x.rows(), 1);
  for (const auto& m : members)
    variance += (m - mean).array().square().matrix() / 2.0;
  const EnsemblePrediction prediction = ensemble.ScoreEnsemble(x);
  EXPECT_TRUE(testing::AllClose(prediction.mean, mean, 1e-12));
  EXPECT_TRUE(testing::AllClose(prediction.std, variance.cwiseSqrt(), 1e-12));
  EXPECT_GT(prediction.std.minCoeff(), 0.0);
}

TEST(ScoreEstimator, FisherInformationIsTheWeightedMeanOfScoreProducts) {
  const ScoreEstimator sally = ScoreEstimator::Train(
      Method::kSally, NoisyScoreToy(100, 17), SmallNetwork(), FastTraining(1));
  const Eigen::MatrixXd x = Grid(3, -1.0, 1.0);
  const Eigen::VectorXd weights = Eigen::Vector3d(1.0, 2.0, 1.0);
  const Eigen::MatrixXd t = sally.Score(x);
  const double expected =
      10.0 * (t.col(0).array().square() * weights.array()).sum() / 4.0;
  EXPECT_NEAR(sally.FisherInformation(x, weights, 10.0).mean(0, 0),
              expected,
              1e-12 * expected);
}

}  // namespace
}  // namespace goldmine::estimators
