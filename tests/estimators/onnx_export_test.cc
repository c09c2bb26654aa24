// ONNX export checked outside goldmine (issue 18): ONNX's own Python checker
// (python3-onnx) accepts the file and reads back its metadata, and
// onnxruntime (npm onnxruntime-node, tests/onnx) reproduces goldmine's
// predictions on 1000 samples for every kind of network: score and ratio
// models, single and double parameterized, ensembles, every activation.
// Each check skips with a message when its tool is absent.
#include "goldmine/estimators/onnx_export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/onnx_model.h"
#include "support/reference_data.h"
#include "support/scratch_folder.h"
#include "support/shell_quoted.h"

namespace goldmine::estimators {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr int kParameters = 2;
constexpr int kObservables = 3;

// Samples with every dataset of every method; the values need not make
// physical sense, only give the networks distinct, O(1)-scaled inputs in
// each column (different means and widths, so that the standardisation
// matters).
TrainingData Samples(int n, std::uint64_t seed) {
  RandomStream random(seed);
  TrainingData data;
  data.x.resize(n, kObservables);
  data.theta0.resize(n, kParameters);
  data.theta1.resize(n, kParameters);
  data.y.resize(n, 1);
  data.r_xz.resize(n, 1);
  data.t_xz.resize(n, kParameters);
  data.t_xz1.resize(n, kParameters);
  for (int i = 0; i < n; ++i) {
    for (int o = 0; o < kObservables; ++o)
      data.x(i, o) = 10.0 * o + (1.0 + o) * random.Normal();
    for (int p = 0; p < kParameters; ++p) {
      data.theta0(i, p) = random.Uniform(-1.0, 1.0) * (1.0 + 2.0 * p);
      data.theta1(i, p) = random.Uniform(-1.0, 1.0) * (1.0 + 2.0 * p);
      data.t_xz(i, p) = data.x(i, p) / (1.0 + p) - data.theta0(i, p);
      data.t_xz1(i, p) = random.Normal();
    }
    data.y(i, 0) = i % 2;
    data.r_xz(i, 0) = std::exp(0.3 * random.Normal());
  }
  data.parameter_names = {"cHW", "cHq3"};
  data.observable_names = {"pt_h", "m_wh", "eta_l"};
  return data;
}

struct Case {
  std::string name;
  Method method;
  Activation activation;
  int members;
  bool double_parameterized;
  bool morphing_aware = false;
};

// A quadratic morphing in two parameters: the six monomials of degree ≤ 2
// (the matrix is not used by the quadratic form).
MorphingStructure QuadraticMorphing(bool benchmark_densities) {
  MorphingStructure morphing;
  morphing.components = {{0, 0}, {1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}};
  for (int c = 0; c < 6; ++c) {
    morphing.matrix.emplace_back(6, 0.0);
    morphing.matrix.back()[static_cast<std::size_t>(c)] = 1.0;
  }
  morphing.reference = {0.2, -0.5};
  morphing.benchmark_densities = benchmark_densities;
  return morphing;
}

std::ostream& operator<<(std::ostream& out, const Case& c) {
  return out << c.name;
}

std::filesystem::path Tools() { return testing::SourceDir() / "tests/onnx"; }

bool HaveOnnxRuntime() {
  return std::system("node --version >/dev/null 2>&1") == 0 &&
         std::filesystem::exists(Tools() / "node_modules/onnxruntime-node");
}

bool HavePythonOnnx() {
  return std::system("/usr/bin/python3 -c 'import onnx' >/dev/null 2>&1") == 0;
}

// ONNX's checker and metadata, as python3-onnx sees them.
Json InspectWithPython(const std::filesystem::path& model,
                       const std::filesystem::path& folder) {
  const auto out = folder / "inspect.json";
  const std::string command =
      "/usr/bin/python3 " +
      testing::ShellQuoted((Tools() / "inspect_model.py").string()) + " " +
      testing::ShellQuoted(model.string()) + " >" +
      testing::ShellQuoted(out.string()) + " 2>" +
      testing::ShellQuoted((folder / "inspect.err").string());
  EXPECT_EQ(std::system(command.c_str()), 0)
      << testing::ReadText(folder / "inspect.err");
  return Json::parse(testing::ReadText(out));
}

Json MatrixJson(const Eigen::MatrixXd& m) {
  Json data = Json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    for (Eigen::Index c = 0; c < m.cols(); ++c) data.push_back(m(r, c));
  }
  return {{"dims", {m.rows(), m.cols()}}, {"data", data}};
}

Eigen::MatrixXd JsonMatrix(const Json& value) {
  const auto rows = value.at("dims").at(0).get<Eigen::Index>();
  const auto cols = value.at("dims").at(1).get<Eigen::Index>();
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r) {
    for (Eigen::Index c = 0; c < cols; ++c)
      m(r, c) = value.at("data").at(r * cols + c).get<double>();
  }
  return m;
}

// Every output of `model` on `inputs`, by onnxruntime.
std::map<std::string, Eigen::MatrixXd> RunWithOnnxRuntime(
    const std::filesystem::path& model,
    const Json& inputs,
    const std::filesystem::path& folder) {
  const auto in = folder / "inputs.json";
  const auto out = folder / "outputs.json";
  std::ofstream(in) << inputs.dump();
  const std::string command =
      "node " + testing::ShellQuoted((Tools() / "run_model.js").string()) +
      " " + testing::ShellQuoted(model.string()) + " " +
      testing::ShellQuoted(in.string()) + " " +
      testing::ShellQuoted(out.string()) + " 2>" +
      testing::ShellQuoted((folder / "node.err").string());
  EXPECT_EQ(std::system(command.c_str()), 0)
      << testing::ReadText(folder / "node.err");
  std::map<std::string, Eigen::MatrixXd> outputs;
  const Json parsed = Json::parse(testing::ReadText(out));
  for (auto it = parsed.begin(); it != parsed.end(); ++it)
    outputs[it.key()] = JsonMatrix(it.value());
  return outputs;
}

// |a − b| ≤ 1e-5 max(|b|, scale_c): relative to the prediction, with the
// column's typical size as the floor for entries that happen to be near 0.
// An ensemble's standard deviation is a difference of the members' values,
// so float32 rounding enters it at the size of the values themselves: its
// floor is the typical size of the mean (`values`).
void ExpectClose(const Eigen::MatrixXd& onnx,
                 const Eigen::MatrixXd& goldmine,
                 const std::string& what,
                 const Eigen::MatrixXd* values = nullptr) {
  ASSERT_EQ(onnx.rows(), goldmine.rows()) << what;
  ASSERT_EQ(onnx.cols(), goldmine.cols()) << what;
  const Eigen::MatrixXd& typical = values != nullptr ? *values : goldmine;
  double worst = 0.0;
  for (Eigen::Index c = 0; c < goldmine.cols(); ++c) {
    const double scale = std::max(1e-6, typical.col(c).cwiseAbs().mean());
    for (Eigen::Index r = 0; r < goldmine.rows(); ++r) {
      const double bound = std::max(std::abs(goldmine(r, c)), scale);
      worst = std::max(worst, std::abs(onnx(r, c) - goldmine(r, c)) / bound);
    }
  }
  EXPECT_LE(worst, 1e-5) << what << ": largest relative difference " << worst;
}

class OnnxExport : public ::testing::TestWithParam<Case> {};

TEST_P(OnnxExport, OnnxRuntimeReproducesGoldmineAndMetadataRoundTrips) {
  if (!OnnxExportAvailable()) GTEST_SKIP() << "built without libonnx-dev";
  const Case& c = GetParam();
  const auto folder = testing::MakeScratchFolder("onnx_export_" + c.name);
  const std::shared_ptr<void> cleanup(
      nullptr, [&](void*) { std::filesystem::remove_all(folder); });
  NetworkConfig network;
  network.hidden = {12, 8};
  network.activation = c.activation;
  network.double_parameterized = c.double_parameterized;
  if (c.morphing_aware) network.morphing = QuadraticMorphing(false);
  TrainingConfig training;
  training.epochs = 2;
  training.batch_size = 64;
  training.ensemble_size = c.members;
  training.seed = 11;
  training.threads = 1;
  const TrainingData data = Samples(1000, 3);
  const TrainingData test = Samples(1000, 4);
  const std::string prefix = (folder / "model").string();
  const bool score = IsScoreMethod(c.method);
  if (score) {
    ScoreEstimator::Train(c.method, data, network, training).Save(prefix);
  } else {
    RatioEstimator::Train(c.method, data, network, training).Save(prefix);
  }
  const auto onnx_path = folder / "model.onnx";
  const OnnxExportSummary summary =
      ExportOnnx(prefix, onnx_path, {{"goldmine.user.lambda_gev", "1000"}});
  EXPECT_EQ(summary.ensemble_size, c.members);
  EXPECT_EQ(summary.method, MethodName(c.method));

  if (HavePythonOnnx()) {
    const Json inspected = InspectWithPython(onnx_path, folder);
    const Json& metadata = inspected.at("metadata");
    EXPECT_EQ(metadata.at("goldmine.format"), "goldmine-onnx");
    EXPECT_EQ(metadata.at("goldmine.method"), MethodName(c.method));
    EXPECT_EQ(
        Json::parse(metadata.at("goldmine.parameters").get<std::string>()),
        Json(data.parameter_names));
    EXPECT_EQ(
        Json::parse(metadata.at("goldmine.observables").get<std::string>()),
        Json(data.observable_names));
    EXPECT_EQ(metadata.at("goldmine.ensemble_size"), std::to_string(c.members));
    EXPECT_EQ(metadata.at("goldmine.user.lambda_gev"), "1000");
    const Json training_json =
        Json::parse(metadata.at("goldmine.training").get<std::string>());
    EXPECT_EQ(training_json.at("seed"), 11);
    EXPECT_EQ(training_json.at("members").size(),
              static_cast<std::size_t>(c.members));
    EXPECT_EQ(inspected.at("inputs").get<std::vector<std::string>>(),
              summary.inputs);
    EXPECT_EQ(inspected.at("outputs").get<std::vector<std::string>>(),
              summary.outputs);
    EXPECT_EQ(inspected.at("metadata").size(), summary.metadata_keys.size());
  } else {
    std::cout << "[  SKIPPED ] python3-onnx absent: no independent checker "
                 "(scripts/setup.sh installs it)\n";
  }

  if (OnnxReadAvailable()) {
    // Read back by goldmine itself (OpenCV's dnn runs the graph).
    if (score) {
      const EnsemblePrediction expected =
          ScoreEstimator::Load(prefix).ScoreEnsemble(test.x);
      const OnnxScoreModel reread = OnnxScoreModel::Load(onnx_path);
      EXPECT_EQ(reread.parameter_names(), data.parameter_names);
      EXPECT_EQ(reread.observable_names(), data.observable_names);
      const EnsemblePrediction t = reread.ScoreEnsemble(test.x);
      ExpectClose(t.mean, expected.mean, "re-read t_hat");
      ExpectClose(t.std, expected.std, "re-read t_hat_std", &expected.mean);
    } else {
      const Eigen::MatrixXd theta1 =
          c.double_parameterized ? test.theta1 : Eigen::MatrixXd();
      const auto original = RatioEstimator::Load(prefix);
      const OnnxRatioModel reread = OnnxRatioModel::Load(onnx_path);
      EXPECT_EQ(reread.double_parameterized(), c.double_parameterized);
      ExpectClose(
          reread.LogLikelihoodRatioEnsemble(test.x, test.theta0, theta1).mean,
          original.LogLikelihoodRatioEnsemble(test.x, test.theta0, theta1).mean,
          "re-read log_r_hat");
      ExpectClose(reread.ScoreEnsemble(test.x, test.theta0, theta1).mean,
                  original.ScoreEnsemble(test.x, test.theta0, theta1).mean,
                  "re-read t_hat");
      // The core interface at one θ, as limits uses it.
      const Eigen::VectorXd theta0 = test.theta0.row(0).transpose();
      const Eigen::VectorXd theta1_point = test.theta1.row(1).transpose();
      // A difference of two log r for single-parameterized networks: the
      // floor is the size of log r itself.
      const Eigen::MatrixXd typical =
          original.LogLikelihoodRatioEnsemble(test.x, test.theta0, theta1).mean;
      ExpectClose(reread.LogLikelihoodRatio(test.x, theta0, theta1_point),
                  original.LogLikelihoodRatio(test.x, theta0, theta1_point),
                  "re-read log r at one point",
                  &typical);
      ExpectClose(reread.Score(test.x, theta0),
                  original.Score(test.x, theta0),
                  "re-read score at one point");
    }
  }

  if (!HaveOnnxRuntime()) {
    GTEST_SKIP() << "node or tests/onnx/node_modules/onnxruntime-node absent "
                    "(scripts/setup.sh installs it): no independent runtime";
  }
  Json inputs = {{"x", MatrixJson(test.x)}};
  if (score) {
    const auto model = ScoreEstimator::Load(prefix);
    const auto outputs = RunWithOnnxRuntime(onnx_path, inputs, folder);
    const EnsemblePrediction t = model.ScoreEnsemble(test.x);
    ExpectClose(outputs.at("t_hat"), t.mean, "t_hat");
    ExpectClose(outputs.at("t_hat_std"), t.std, "t_hat_std", &t.mean);
    return;
  }
  const auto model = RatioEstimator::Load(prefix);
  inputs["theta0"] = MatrixJson(test.theta0);
  if (c.double_parameterized) inputs["theta1"] = MatrixJson(test.theta1);
  const Eigen::MatrixXd theta1 =
      c.double_parameterized ? test.theta1 : Eigen::MatrixXd();
  const auto outputs = RunWithOnnxRuntime(onnx_path, inputs, folder);
  const EnsemblePrediction log_r =
      model.LogLikelihoodRatioEnsemble(test.x, test.theta0, theta1);
  const EnsemblePrediction t = model.ScoreEnsemble(test.x, test.theta0, theta1);
  ExpectClose(outputs.at("log_r_hat"), log_r.mean, "log_r_hat");
  ExpectClose(
      outputs.at("log_r_hat_std"), log_r.std, "log_r_hat_std", &log_r.mean);
  ExpectClose(outputs.at("t_hat"), t.mean, "t_hat");
  ExpectClose(outputs.at("t_hat_std"), t.std, "t_hat_std", &t.mean);
}

INSTANTIATE_TEST_SUITE_P(
    EveryKindOfNetwork,
    OnnxExport,
    ::testing::Values(
        Case{"SallyEnsembleTanh", Method::kSally, Activation::kTanh, 2, false},
        Case{"SallinoRelu", Method::kSallino, Activation::kRelu, 1, false},
        Case{
            "RascalEnsembleTanh", Method::kRascal, Activation::kTanh, 3, false},
        Case{"CarlSoftplus", Method::kCarl, Activation::kSoftplus, 1, false},
        Case{"AlicesDoubleSigmoid",
             Method::kAlices,
             Activation::kSigmoid,
             2,
             true},
        Case{"CascalDoubleRelu", Method::kCascal, Activation::kRelu, 1, true},
        Case{"AlicesMorphingAwareEnsembleTanh",
             Method::kAlices,
             Activation::kTanh,
             2,
             false,
             true},
        Case{"RascalMorphingAwareDoubleSoftplus",
             Method::kRascal,
             Activation::kSoftplus,
             1,
             true,
             true}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      return param_info.param.name;
    });

TEST(OnnxExportErrors, MissingModelIsAFileFormatError) {
  const auto folder = testing::MakeScratchFolder("onnx_export_missing");
  const std::shared_ptr<void> cleanup(
      nullptr, [&](void*) { std::filesystem::remove_all(folder); });
  EXPECT_THROW(ExportOnnx(folder / "nothing", folder / "out.onnx"),
               FileFormatError);
  EXPECT_FALSE(std::filesystem::exists(folder / "out.onnx"));
}

TEST(OnnxExportErrors, BenchmarkDensityNetworksAreRefusedByName) {
  if (!OnnxExportAvailable()) GTEST_SKIP() << "built without libonnx-dev";
  const auto folder = testing::MakeScratchFolder("onnx_export_morphing");
  const std::shared_ptr<void> cleanup(
      nullptr, [&](void*) { std::filesystem::remove_all(folder); });
  NetworkConfig network;
  network.hidden = {4};
  network.morphing = QuadraticMorphing(/*benchmark_densities=*/true);
  TrainingConfig training;
  training.epochs = 1;
  training.threads = 1;
  const std::string prefix = (folder / "aware").string();
  RatioEstimator::Train(Method::kAlices, Samples(200, 1), network, training)
      .Save(prefix);
  EXPECT_THAT(
      [&] { ExportOnnx(prefix, folder / "aware.onnx"); },
      ::testing::ThrowsMessage<InvalidInput>(HasSubstr("benchmark densities")));
  EXPECT_FALSE(std::filesystem::exists(folder / "aware.onnx"));
}

}  // namespace
}  // namespace goldmine::estimators

namespace goldmine::estimators {
namespace {

TEST(OnnxReadErrors, ForeignAndBrokenFilesAreFileFormatErrorsNamingTheFile) {
  if (!OnnxReadAvailable()) GTEST_SKIP() << "built without ONNX reading";
  const auto folder = testing::MakeScratchFolder("onnx_read_errors");
  const std::shared_ptr<void> cleanup(
      nullptr, [&](void*) { std::filesystem::remove_all(folder); });
  const auto garbage = folder / "garbage.onnx";
  std::ofstream(garbage) << "not a protobuf at all";
  EXPECT_THAT(
      [&] { OnnxScoreModel::Load(garbage); },
      ::testing::ThrowsMessage<FileFormatError>(HasSubstr("garbage.onnx")));
  EXPECT_THROW(OnnxScoreModel::Load(folder / "absent.onnx"), FileFormatError);
  // A valid ONNX file that goldmine did not write: an empty model.
  const auto foreign = folder / "foreign.onnx";
  std::ofstream(foreign, std::ios::binary) << std::string("\x08\x07", 2);
  EXPECT_THAT([&] { OnnxRatioModel::Load(foreign); },
              ::testing::ThrowsMessage<FileFormatError>(
                  HasSubstr("not a goldmine ONNX file")));
}

TEST(OnnxReadErrors, ScoreFileAsRatioModelAndWrongColumnsAreInvalidInput) {
  if (!OnnxReadAvailable()) GTEST_SKIP() << "built without ONNX reading";
  const auto folder = testing::MakeScratchFolder("onnx_read_kind");
  const std::shared_ptr<void> cleanup(
      nullptr, [&](void*) { std::filesystem::remove_all(folder); });
  NetworkConfig network;
  network.hidden = {4};
  TrainingConfig training;
  training.epochs = 1;
  training.threads = 1;
  const std::string prefix = (folder / "sally").string();
  ScoreEstimator::Train(Method::kSally, Samples(200, 1), network, training)
      .Save(prefix);
  ExportOnnx(prefix, folder / "sally.onnx");
  EXPECT_THAT([&] { OnnxRatioModel::Load(folder / "sally.onnx"); },
              ::testing::ThrowsMessage<InvalidInput>(
                  HasSubstr("expected a likelihood-ratio model")));
  const OnnxScoreModel model = OnnxScoreModel::Load(folder / "sally.onnx");
  EXPECT_THAT([&] { model.Score(Eigen::MatrixXd::Zero(5, kObservables + 1)); },
              ::testing::ThrowsMessage<InvalidInput>(HasSubstr("x is 5x4")));
}

}  // namespace
}  // namespace goldmine::estimators
