// A trained model as plain arrays: what a writer that must not see LibTorch
// (the ONNX export, onnx_export.cc) needs to rebuild the predictions.
// Filled by LoadPlainModel (estimator.cc, the torch side).
#pragma once

#include <Eigen/Core>
#include <filesystem>
#include <string>
#include <vector>

#include "goldmine/estimators/config.h"

namespace goldmine::estimators::internal {

// y = W x + b, W of shape outputs × inputs (torch::nn::Linear's layout).
struct DenseLayer {
  Eigen::MatrixXd weight;
  Eigen::VectorXd bias;
};

// One ensemble member: the activation follows every layer but the last.
struct PlainNetwork {
  std::vector<DenseLayer> layers;
  // Morphing-aware networks' free parameters (log s_b); empty otherwise.
  Eigen::VectorXd constants;
};

struct PlainModel {
  Method method = Method::kSally;
  NetworkConfig network;
  std::vector<std::string> parameter_names;
  std::vector<std::string> observable_names;
  // As internal::Model: x_s = (x − x_mean) / x_std, θ_s = (θ − theta_mean) /
  // theta_std (ratio models), t̂ = network output · t_scale (score models).
  Eigen::VectorXd x_mean, x_std, theta_mean, theta_std, t_scale;
  std::vector<PlainNetwork> members;
  // DIR/NAME.json as written, for provenance.
  std::string model_json;

  bool is_score() const { return IsScoreMethod(method); }
};

// Loads DIR/NAME.json and DIR/NAME.pt. Throws like ScoreEstimator::Load.
PlainModel LoadPlainModel(const std::filesystem::path& prefix);

}  // namespace goldmine::estimators::internal
