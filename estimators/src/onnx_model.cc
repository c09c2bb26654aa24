// goldmine ONNX files read back (onnx_model.h): the metadata checks and the
// core interfaces. The libraries (libonnx, OpenCV's dnn) are behind
// onnx_backend.h. Torch-free.
#include "goldmine/estimators/onnx_model.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "goldmine/core/errors.h"
#include "onnx_backend.h"

namespace goldmine::estimators {
namespace {

constexpr const char* kFormatName = "goldmine-onnx";
constexpr const char* kFormatVersion = "1";

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw FileFormatError(path.string() + ": cannot open the ONNX file");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::vector<std::string> NameList(const std::map<std::string, std::string>& m,
                                  const std::string& key,
                                  const std::string& what) {
  const auto found = m.find(key);
  if (found == m.end()) {
    throw FileFormatError(what + ": no metadata " + key);
  }
  const auto j = nlohmann::json::parse(found->second, nullptr, false);
  if (!j.is_array() ||
      !std::all_of(j.begin(), j.end(), [](const nlohmann::json& item) {
        return item.is_string();
      })) {
    throw FileFormatError(what + ": metadata " + key +
                          " is not a JSON list of names");
  }
  return j.get<std::vector<std::string>>();
}

OnnxModelInfo ParseInfo(const std::string& bytes, const std::string& what) {
  const std::map<std::string, std::string> metadata =
      internal::ReadOnnxMetadata(bytes, what);
  const auto value = [&](const std::string& key) {
    const auto found = metadata.find(key);
    if (found == metadata.end()) {
      throw FileFormatError(what + ": no metadata " + key +
                            "; only ONNX files written by `goldmine export "
                            "onnx` can be read");
    }
    return found->second;
  };
  if (metadata.count("goldmine.format") == 0 ||
      metadata.at("goldmine.format") != kFormatName) {
    throw FileFormatError(what +
                          ": not a goldmine ONNX file (no metadata "
                          "goldmine.format = goldmine-onnx); write it with "
                          "`goldmine export onnx`");
  }
  if (value("goldmine.format_version") != kFormatVersion) {
    throw FileFormatError(what + ": goldmine ONNX format version " +
                          value("goldmine.format_version") +
                          ", this goldmine reads version " + kFormatVersion);
  }
  OnnxModelInfo info;
  try {
    info.method = ParseMethod(value("goldmine.method"));
  } catch (const InvalidInput& error) {
    throw FileFormatError(what + ": metadata goldmine.method: " + error.what());
  }
  const std::string type = value("goldmine.model_type");
  if (type != "score" && type != "parameterized_ratio" &&
      type != "double_parameterized_ratio") {
    throw FileFormatError(what + ": metadata goldmine.model_type \"" + type +
                          "\" unknown");
  }
  info.is_score = type == "score";
  info.double_parameterized = type == "double_parameterized_ratio";
  if (info.is_score != IsScoreMethod(info.method)) {
    throw FileFormatError(what + ": goldmine.model_type \"" + type +
                          "\" does not match goldmine.method");
  }
  info.parameter_names = NameList(metadata, "goldmine.parameters", what);
  info.observable_names = NameList(metadata, "goldmine.observables", what);
  try {
    info.ensemble_size = std::stoi(value("goldmine.ensemble_size"));
  } catch (const std::logic_error&) {
    throw FileFormatError(what +
                          ": metadata goldmine.ensemble_size is not "
                          "a number");
  }
  if (info.parameter_names.empty() || info.observable_names.empty()) {
    throw FileFormatError(what + ": no parameters or no observables");
  }
  return info;
}

void RequireShape(const Eigen::MatrixXd& m,
                  Eigen::Index rows,
                  std::size_t cols,
                  const std::string& name,
                  const std::string& what) {
  if (m.cols() != static_cast<Eigen::Index>(cols) || m.rows() != rows) {
    throw InvalidInput(what + ": " + name + " is " + std::to_string(m.rows()) +
                       "x" + std::to_string(m.cols()) + ", the model needs " +
                       std::to_string(rows) + "x" + std::to_string(cols));
  }
}

Eigen::MatrixXd Repeat(const Eigen::VectorXd& theta, Eigen::Index rows) {
  return theta.transpose().replicate(rows, 1);
}

}  // namespace

bool IsOnnxModelPath(const std::filesystem::path& path) {
  return path.extension() == ".onnx";
}

OnnxModelInfo ReadOnnxModelInfo(const std::filesystem::path& path) {
  return ParseInfo(ReadBytes(path), path.string());
}

namespace {

std::pair<OnnxModelInfo, std::shared_ptr<OnnxNetwork>> LoadOnnx(
    const std::filesystem::path& path, bool score) {
  const std::string bytes = ReadBytes(path);
  OnnxModelInfo info = ParseInfo(bytes, path.string());
  if (info.is_score != score) {
    throw InvalidInput(path.string() + ": a " +
                       (info.is_score ? "score" : "likelihood-ratio") +
                       " model (" + MethodName(info.method) + "), expected a " +
                       (score ? "score" : "likelihood-ratio") + " model");
  }
  return {std::move(info), std::make_shared<OnnxNetwork>(bytes, path.string())};
}

}  // namespace

OnnxScoreModel::OnnxScoreModel(OnnxModelInfo info,
                               std::shared_ptr<OnnxNetwork> network)
    : info_(std::move(info)), network_(std::move(network)) {}

OnnxScoreModel OnnxScoreModel::Load(const std::filesystem::path& path) {
  auto [info, network] = LoadOnnx(path, true);
  return OnnxScoreModel(std::move(info), std::move(network));
}

EnsemblePrediction OnnxScoreModel::ScoreEnsemble(
    const Eigen::MatrixXd& x) const {
  RequireShape(
      x, x.rows(), info_.observable_names.size(), "x", network_->what());
  if (x.rows() == 0) {
    const auto p = static_cast<Eigen::Index>(info_.parameter_names.size());
    return {Eigen::MatrixXd(0, p), Eigen::MatrixXd(0, p)};
  }
  auto outputs = network_->Run({{"x", &x}});
  return {std::move(outputs.at("t_hat")), std::move(outputs.at("t_hat_std"))};
}

Eigen::MatrixXd OnnxScoreModel::Score(const Eigen::MatrixXd& x) const {
  return ScoreEnsemble(x).mean;
}

std::vector<std::string> OnnxScoreModel::parameter_names() const {
  return info_.parameter_names;
}
std::vector<std::string> OnnxScoreModel::observable_names() const {
  return info_.observable_names;
}

OnnxRatioModel::OnnxRatioModel(OnnxModelInfo info,
                               std::shared_ptr<OnnxNetwork> network)
    : info_(std::move(info)), network_(std::move(network)) {}

OnnxRatioModel OnnxRatioModel::Load(const std::filesystem::path& path) {
  auto [info, network] = LoadOnnx(path, false);
  return OnnxRatioModel(std::move(info), std::move(network));
}

namespace {

// log r̂ and t̂ of a ratio graph (both are computed by every forward pass).
std::map<std::string, Eigen::MatrixXd> RunRatio(const OnnxNetwork& network,
                                                const OnnxModelInfo& info,
                                                const Eigen::MatrixXd& x,
                                                const Eigen::MatrixXd& theta0,
                                                const Eigen::MatrixXd& theta1) {
  const std::size_t p = info.parameter_names.size();
  RequireShape(x, x.rows(), info.observable_names.size(), "x", network.what());
  RequireShape(theta0, x.rows(), p, "theta0", network.what());
  if (x.rows() == 0) {
    const auto columns = static_cast<Eigen::Index>(p);
    return {{"log_r_hat", Eigen::MatrixXd(0, 1)},
            {"log_r_hat_std", Eigen::MatrixXd(0, 1)},
            {"t_hat", Eigen::MatrixXd(0, columns)},
            {"t_hat_std", Eigen::MatrixXd(0, columns)}};
  }
  if (!info.double_parameterized) {
    return network.Run({{"theta0", &theta0}, {"x", &x}});
  }
  RequireShape(theta1, x.rows(), p, "theta1", network.what());
  return network.Run({{"theta0", &theta0}, {"theta1", &theta1}, {"x", &x}});
}

}  // namespace

EnsemblePrediction OnnxRatioModel::LogLikelihoodRatioEnsemble(
    const Eigen::MatrixXd& x,
    const Eigen::MatrixXd& theta0,
    const Eigen::MatrixXd& theta1) const {
  auto outputs = RunRatio(*network_, info_, x, theta0, theta1);
  return {std::move(outputs.at("log_r_hat")),
          std::move(outputs.at("log_r_hat_std"))};
}

EnsemblePrediction OnnxRatioModel::ScoreEnsemble(
    const Eigen::MatrixXd& x,
    const Eigen::MatrixXd& theta0,
    const Eigen::MatrixXd& theta1) const {
  auto outputs = RunRatio(*network_, info_, x, theta0, theta1);
  return {std::move(outputs.at("t_hat")), std::move(outputs.at("t_hat_std"))};
}

Eigen::VectorXd OnnxRatioModel::LogLikelihoodRatio(
    const Eigen::MatrixXd& x, const Eigen::VectorXd& theta0) const {
  if (info_.double_parameterized) {
    throw InvalidInput(network_->what() +
                       ": a double-parameterized ratio needs both theta0 "
                       "and theta1");
  }
  return LogLikelihoodRatioEnsemble(x, Repeat(theta0, x.rows()), {})
      .mean.col(0);
}

Eigen::VectorXd OnnxRatioModel::LogLikelihoodRatio(
    const Eigen::MatrixXd& x,
    const Eigen::VectorXd& theta0,
    const Eigen::VectorXd& theta1) const {
  if (!info_.double_parameterized) {
    return LogLikelihoodRatio(x, theta0) - LogLikelihoodRatio(x, theta1);
  }
  return LogLikelihoodRatioEnsemble(
             x, Repeat(theta0, x.rows()), Repeat(theta1, x.rows()))
      .mean.col(0);
}

Eigen::MatrixXd OnnxRatioModel::Score(const Eigen::MatrixXd& x,
                                      const Eigen::VectorXd& theta0) const {
  // As RatioEstimator::Score: θ1 = θ0 for double-parameterized networks.
  return ScoreEnsemble(x, Repeat(theta0, x.rows()), Repeat(theta0, x.rows()))
      .mean;
}

std::vector<std::string> OnnxRatioModel::parameter_names() const {
  return info_.parameter_names;
}
std::vector<std::string> OnnxRatioModel::observable_names() const {
  return info_.observable_names;
}

}  // namespace goldmine::estimators
