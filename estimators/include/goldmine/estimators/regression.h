// Regression networks y(x): the neural likelihood surrogates of issue 18
// (inference/likelihood_surrogate.h) are these, trained on profiled
// likelihoods. An MLP on standardised inputs predicts standardised targets;
// the standardisations are part of the network, so it takes and gives
// physical values.
//
// Training (TrainRegression): mean squared error on the standardised targets,
// Adam with a linear warm-up followed by cosine decay of the learning rate,
// a held-out validation set drawn by seed, early stopping on its loss with
// the best epoch's weights restored. One LibTorch thread by default
// (DESIGN.md: parallel jobs rather than threads for training).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/core/regression_function.h"
#include "goldmine/estimators/config.h"

namespace goldmine::estimators {

struct RegressionConfig {
  std::vector<int> hidden = {128, 128, 128};
  Activation activation = Activation::kSoftplus;
  int epochs = 1000;
  int batch_size = 128;
  double learning_rate = 2e-3;  // peak, after the warm-up
  double warmup_fraction = 0.05;
  double final_lr_fraction = 0.0;  // cosine decay to this × peak
  double validation_fraction = 0.2;
  int early_stopping_patience = 150;  // epochs; 0: train every epoch
  std::uint64_t seed = 1;
  int threads = 1;

  struct Progress {
    int epoch = 0;
    int num_epochs = 0;
    double training_loss = 0.0;
    double validation_loss = 0.0;
    double learning_rate = 0.0;
    bool improved = false;
  };
  std::function<void(const Progress&)> progress;

  // Lists every problem at once; empty when the configuration is usable.
  std::string Validate() const;
};

// A trained network as plain arrays, evaluated with Eigen.
class RegressionNetwork final : public core::RegressionFunction {
 public:
  struct Layer {
    Eigen::MatrixXd weight;  // outputs × inputs
    Eigen::VectorXd bias;
  };

  RegressionNetwork() = default;
  // Throws InvalidInput when the shapes do not chain or a scale is not > 0.
  RegressionNetwork(Activation activation,
                    std::vector<Layer> layers,
                    Eigen::VectorXd x_mean,
                    Eigen::VectorXd x_std,
                    Eigen::VectorXd y_mean,
                    Eigen::VectorXd y_std);

  int num_inputs() const override { return static_cast<int>(x_mean_.size()); }
  int num_outputs() const override { return static_cast<int>(y_mean_.size()); }
  // y = y_mean + y_std ∘ MLP((x − x_mean) / x_std).
  Eigen::MatrixXd Evaluate(const Eigen::MatrixXd& x) const override;

  Activation activation() const { return activation_; }
  // The activation follows every layer but the last.
  const std::vector<Layer>& layers() const { return layers_; }
  const Eigen::VectorXd& x_mean() const { return x_mean_; }
  const Eigen::VectorXd& x_std() const { return x_std_; }
  const Eigen::VectorXd& y_mean() const { return y_mean_; }
  const Eigen::VectorXd& y_std() const { return y_std_; }

 private:
  Activation activation_ = Activation::kSoftplus;
  std::vector<Layer> layers_;
  Eigen::VectorXd x_mean_, x_std_, y_mean_, y_std_;
};

struct RegressionResult {
  RegressionNetwork network;
  std::vector<double> training_loss;    // per epoch, standardised MSE
  std::vector<double> validation_loss;  // per epoch
  int best_epoch = 0;                   // 0-based
  bool stopped_early = false;
  int num_training = 0;
  int num_validation = 0;
  // Root mean squared error of each output on the validation set, in the
  // targets' units, with the restored weights.
  Eigen::VectorXd validation_rmse;
  double seconds = 0.0;
};

// Trains on rows of x (inputs) and y (targets). `weights` (empty: all 1)
// weight each row's squared error in the training and validation losses,
// e.g. to ask for a precision that varies over the inputs' range; they are
// normalised to mean 1. Throws InvalidInput for an invalid configuration,
// mismatched or too few rows, non-finite values or weights that are not
// > 0; Error when the loss becomes non-finite.
RegressionResult TrainRegression(const Eigen::MatrixXd& x,
                                 const Eigen::MatrixXd& y,
                                 const RegressionConfig& config,
                                 const Eigen::VectorXd& weights = {});

// ONNX (opset 13, float32): input "x" [batch, inputs] → output "y"
// [batch, outputs], the standardisations in the graph, with `metadata` as
// metadata_props. Written atomically after the ONNX checker accepted it.
// Throws InvalidInput in a build without ONNX.
void ExportRegressionOnnx(
    const RegressionNetwork& network,
    const std::vector<std::pair<std::string, std::string>>& metadata,
    const std::string& doc_string,
    const std::filesystem::path& output);

class OnnxNetwork;  // estimators/src/onnx_backend.h

// A regression network read back from such a file, run by OpenCV's dnn
// module (onnx_model.h).
class OnnxRegressionFunction final : public core::RegressionFunction {
 public:
  // Throws FileFormatError naming the file when it is not ONNX or has no
  // input "x" and output "y" of the declared widths, InvalidInput when it
  // cannot be read or in a build without ONNX reading.
  static OnnxRegressionFunction Load(const std::filesystem::path& path);

  int num_inputs() const override { return num_inputs_; }
  int num_outputs() const override { return num_outputs_; }
  Eigen::MatrixXd Evaluate(const Eigen::MatrixXd& x) const override;
  // The file's metadata_props.
  const std::map<std::string, std::string>& metadata() const {
    return metadata_;
  }

 private:
  OnnxRegressionFunction() = default;
  std::shared_ptr<OnnxNetwork> network_;
  std::map<std::string, std::string> metadata_;
  int num_inputs_ = 0;
  int num_outputs_ = 0;
  std::string what_;
};

}  // namespace goldmine::estimators
