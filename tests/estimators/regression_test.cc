// Regression networks (issue 18, the likelihood surrogates): training
// learns a known smooth function to a small fraction of its spread, is
// reproducible from its seed, keeps the best epoch, and the ONNX file gives
// the in-memory network's numbers in goldmine's reader and in onnxruntime
// (an ONNX runtime that knows nothing of goldmine).
#include "goldmine/estimators/regression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/estimators/onnx_export.h"
#include "goldmine/estimators/onnx_model.h"
#include "support/reference_data.h"
#include "support/scratch_folder.h"
#include "support/shell_quoted.h"

namespace goldmine::estimators {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

// y0 = x0² + 0.5 x1 (a paraboloid, like −2 ln L), y1 = sin(x0) x1.
void Sample(int n, std::uint64_t seed, Eigen::MatrixXd* x, Eigen::MatrixXd* y) {
  RandomStream random(seed);
  x->resize(n, 2);
  y->resize(n, 2);
  for (int i = 0; i < n; ++i) {
    const double a = random.Uniform(-2, 2);
    const double b = random.Uniform(0, 10);
    (*x)(i, 0) = a;
    (*x)(i, 1) = b;
    (*y)(i, 0) = a * a + 0.5 * b;
    (*y)(i, 1) = std::sin(a) * b;
  }
}

RegressionConfig SmallConfig() {
  RegressionConfig config;
  config.hidden = {32, 32};
  config.epochs = 150;
  config.batch_size = 64;
  config.learning_rate = 3e-3;
  config.early_stopping_patience = 40;
  config.seed = 3;
  return config;
}

TEST(Regression, LearnsASmoothFunctionReproducibly) {
  Eigen::MatrixXd x, y;
  Sample(2000, 1, &x, &y);
  const RegressionResult a = TrainRegression(x, y, SmallConfig());
  EXPECT_EQ(a.num_validation, 400);
  EXPECT_EQ(a.num_training, 1600);
  ASSERT_EQ(a.validation_rmse.size(), 2);
  // Within 5 % of the targets' spread (1.9 and 3.8).
  for (int c = 0; c < 2; ++c) {
    const double spread =
        std::sqrt((y.col(c).array() - y.col(c).mean()).square().mean());
    EXPECT_LT(a.validation_rmse(c), 0.05 * spread) << c;
  }
  // On points it never saw.
  Eigen::MatrixXd x_test, y_test;
  Sample(500, 99, &x_test, &y_test);
  const Eigen::MatrixXd residual = a.network.Evaluate(x_test) - y_test;
  EXPECT_LT(std::sqrt(residual.col(0).squaredNorm() / 500), 0.06);
  // The best epoch's weights: its validation loss is the smallest.
  EXPECT_DOUBLE_EQ(
      a.validation_loss[static_cast<std::size_t>(a.best_epoch)],
      *std::min_element(a.validation_loss.begin(), a.validation_loss.end()));
  const RegressionResult b = TrainRegression(x, y, SmallConfig());
  EXPECT_EQ(a.network.Evaluate(x_test), b.network.Evaluate(x_test));
  EXPECT_EQ(a.training_loss, b.training_loss);
}

TEST(Regression, RefusesBadInput) {
  Eigen::MatrixXd x, y;
  Sample(20, 1, &x, &y);
  RegressionConfig config = SmallConfig();
  config.hidden = {};
  config.learning_rate = -1;
  try {
    TrainRegression(x, y, config);
    FAIL() << "invalid configuration accepted";
  } catch (const InvalidInput& error) {
    EXPECT_THAT(error.what(), HasSubstr("hidden layer"));
    EXPECT_THAT(error.what(), HasSubstr("learning_rate"));
  }
  y(3, 1) = std::nan("");
  EXPECT_THROW(TrainRegression(x, y, SmallConfig()), InvalidInput);
  EXPECT_THROW(TrainRegression(x, y.topRows(10), SmallConfig()), InvalidInput);
}

bool HaveOnnxRuntime() {
  return std::system("node --version >/dev/null 2>&1") == 0 &&
         std::filesystem::exists(testing::SourceDir() /
                                 "tests/onnx/node_modules/onnxruntime-node");
}

TEST(Regression, OnnxFileGivesTheNetworksNumbers) {
  if (!OnnxExportAvailable() || !OnnxReadAvailable()) {
    GTEST_SKIP() << "built without ONNX (libonnx-dev, libopencv-dnn-dev)";
  }
  Eigen::MatrixXd x, y;
  Sample(600, 1, &x, &y);
  RegressionConfig config = SmallConfig();
  config.epochs = 20;
  config.activation = Activation::kSoftplus;
  const RegressionResult trained = TrainRegression(x, y, config);
  const auto folder = testing::MakeScratchFolder("regression_onnx");
  const auto path = folder / "f.onnx";
  ExportRegressionOnnx(
      trained.network, {{"goldmine.user.note", "test"}}, "a test", path);
  const OnnxRegressionFunction read = OnnxRegressionFunction::Load(path);
  EXPECT_EQ(read.num_inputs(), 2);
  EXPECT_EQ(read.num_outputs(), 2);
  EXPECT_EQ(read.metadata().at("goldmine.user.note"), "test");
  Eigen::MatrixXd x_test, y_test;
  Sample(1000, 5, &x_test, &y_test);
  const Eigen::MatrixXd expected = trained.network.Evaluate(x_test);
  const Eigen::MatrixXd got = read.Evaluate(x_test);
  const double scale = expected.cwiseAbs().mean();
  EXPECT_LT((got - expected).cwiseAbs().maxCoeff(), 1e-5 * std::max(scale, 1.0))
      << "worst difference";
  EXPECT_THROW(read.Evaluate(Eigen::MatrixXd::Zero(3, 5)), InvalidInput);

  if (!HaveOnnxRuntime()) {
    std::filesystem::remove_all(folder);
    GTEST_SKIP() << "node or tests/onnx/node_modules/onnxruntime-node absent "
                    "(scripts/setup.sh installs them)";
  }
  Json data = Json::array();
  for (Eigen::Index r = 0; r < x_test.rows(); ++r) {
    data.push_back(x_test(r, 0));
    data.push_back(x_test(r, 1));
  }
  std::ofstream(folder / "in.json")
      << Json{{"x", {{"dims", {x_test.rows(), 2}}, {"data", data}}}}.dump();
  const std::string command =
      "node " +
      testing::ShellQuoted(
          (testing::SourceDir() / "tests/onnx/run_model.js").string()) +
      " " + testing::ShellQuoted(path.string()) + " " +
      testing::ShellQuoted((folder / "in.json").string()) + " " +
      testing::ShellQuoted((folder / "out.json").string());
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const Json out = Json::parse(testing::ReadText(folder / "out.json"));
  const Json& values = out.at("y").at("data");
  ASSERT_EQ(values.size(), static_cast<std::size_t>(2 * x_test.rows()));
  double worst = 0.0;
  for (Eigen::Index r = 0; r < x_test.rows(); ++r) {
    for (int c = 0; c < 2; ++c) {
      const double v = values.at(static_cast<std::size_t>(2 * r + c));
      worst = std::max(worst,
                       std::abs(v - expected(r, c)) /
                           std::max(std::abs(expected(r, c)), scale));
    }
  }
  EXPECT_LT(worst, 1e-5);
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace goldmine::estimators
