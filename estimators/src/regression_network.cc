// Regression networks (regression.h) without LibTorch: the configuration
// checks, the Eigen evaluation and the ONNX reader (the runtime is behind
// onnx_backend.h).
#include <cmath>
#include <fstream>
#include <sstream>

#include "goldmine/core/errors.h"
#include "goldmine/estimators/regression.h"
#include "onnx_backend.h"

namespace goldmine::estimators {
namespace {

Eigen::ArrayXXd Activate(Activation activation, const Eigen::ArrayXXd& z) {
  switch (activation) {
    case Activation::kTanh:
      return z.tanh();
    case Activation::kRelu:
      return z.max(0.0);
    case Activation::kSigmoid:
      return 1.0 / (1.0 + (-z).exp());
    case Activation::kSoftplus:
      // log(1 + e^z) without overflow: max(z, 0) + log1p(e^−|z|).
      return z.max(0.0) + (-z.abs()).exp().log1p();
  }
  throw InternalError("regression network: unknown activation");
}

int PositiveInteger(const std::map<std::string, std::string>& metadata,
                    const std::string& key,
                    const std::string& what) {
  const auto found = metadata.find(key);
  if (found == metadata.end()) {
    throw FileFormatError(what + ": metadata key \"" + key +
                          "\" is missing (files written by `goldmine "
                          "surrogate train` have it)");
  }
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(found->second, &used);
  } catch (const std::logic_error&) {
    used = 0;
  }
  if (used != found->second.size() || value < 1 || value > 1000000) {
    throw FileFormatError(what + ": metadata \"" + key +
                          "\": expected a positive integer, got \"" +
                          found->second + "\"");
  }
  return value;
}

}  // namespace

std::string RegressionConfig::Validate() const {
  std::ostringstream problems;
  if (hidden.empty()) problems << "at least one hidden layer is needed; ";
  for (int width : hidden) {
    if (width < 1 || width > 100000) {
      problems << "hidden layer widths must lie in [1, 100000]; ";
      break;
    }
  }
  if (epochs < 1) problems << "epochs must be >= 1; ";
  if (batch_size < 1) problems << "batch_size must be >= 1; ";
  if (!(learning_rate > 0 && learning_rate < 10)) {
    problems << "learning_rate must lie in (0, 10); ";
  }
  if (!(warmup_fraction >= 0 && warmup_fraction < 1)) {
    problems << "warmup_fraction must lie in [0, 1); ";
  }
  if (!(final_lr_fraction >= 0 && final_lr_fraction <= 1)) {
    problems << "final_lr_fraction must lie in [0, 1]; ";
  }
  if (!(validation_fraction > 0 && validation_fraction < 1)) {
    problems << "validation_fraction must lie in (0, 1); ";
  }
  if (early_stopping_patience < 0) {
    problems << "early_stopping_patience must be >= 0; ";
  }
  if (threads < 1) problems << "threads must be >= 1; ";
  std::string text = problems.str();
  if (!text.empty()) text.resize(text.size() - 2);
  return text;
}

RegressionNetwork::RegressionNetwork(Activation activation,
                                     std::vector<Layer> layers,
                                     Eigen::VectorXd x_mean,
                                     Eigen::VectorXd x_std,
                                     Eigen::VectorXd y_mean,
                                     Eigen::VectorXd y_std)
    : activation_(activation),
      layers_(std::move(layers)),
      x_mean_(std::move(x_mean)),
      x_std_(std::move(x_std)),
      y_mean_(std::move(y_mean)),
      y_std_(std::move(y_std)) {
  Eigen::Index width = x_mean_.size();
  bool chained = !layers_.empty() && x_std_.size() == width;
  for (const Layer& layer : layers_) {
    chained = chained && layer.weight.cols() == width &&
              layer.bias.size() == layer.weight.rows();
    width = layer.weight.rows();
  }
  chained = chained && y_mean_.size() == width && y_std_.size() == width;
  if (!chained) {
    throw InvalidInput("regression network: layer shapes do not chain");
  }
  if (!(x_std_.array() > 0).all() || !(y_std_.array() > 0).all()) {
    throw InvalidInput("regression network: scales must be > 0");
  }
}

Eigen::MatrixXd RegressionNetwork::Evaluate(const Eigen::MatrixXd& x) const {
  if (x.cols() != num_inputs()) {
    throw InvalidInput("regression network: expected " +
                       std::to_string(num_inputs()) + " input columns, got " +
                       std::to_string(x.cols()));
  }
  Eigen::MatrixXd h = ((x.rowwise() - x_mean_.transpose()).array().rowwise() /
                       x_std_.transpose().array())
                          .matrix();
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    Eigen::MatrixXd z = h * layers_[l].weight.transpose();
    z.rowwise() += layers_[l].bias.transpose();
    h = l + 1 < layers_.size() ? Activate(activation_, z.array()).matrix() : z;
  }
  return ((h.array().rowwise() * y_std_.transpose().array()).rowwise() +
          y_mean_.transpose().array())
      .matrix();
}

OnnxRegressionFunction OnnxRegressionFunction::Load(
    const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InvalidInput(path.string() + ": cannot open the ONNX file");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  OnnxRegressionFunction function;
  function.what_ = path.string();
  function.metadata_ = internal::ReadOnnxMetadata(bytes.str(), function.what_);
  function.num_inputs_ = PositiveInteger(
      function.metadata_, "goldmine.network.inputs", function.what_);
  function.num_outputs_ = PositiveInteger(
      function.metadata_, "goldmine.network.outputs", function.what_);
  function.network_ =
      std::make_shared<OnnxNetwork>(bytes.str(), function.what_);
  return function;
}

Eigen::MatrixXd OnnxRegressionFunction::Evaluate(
    const Eigen::MatrixXd& x) const {
  if (x.cols() != num_inputs_) {
    throw InvalidInput(what_ + ": expected " + std::to_string(num_inputs_) +
                       " input columns, got " + std::to_string(x.cols()));
  }
  if (x.rows() == 0) return Eigen::MatrixXd(0, num_outputs_);
  auto outputs = network_->Run({{"x", &x}});
  const auto found = outputs.find("y");
  if (found == outputs.end() || found->second.cols() != num_outputs_ ||
      found->second.rows() != x.rows()) {
    throw FileFormatError(what_ + ": the graph has no output \"y\" of " +
                          std::to_string(num_outputs_) + " columns");
  }
  return std::move(found->second);
}

}  // namespace goldmine::estimators
