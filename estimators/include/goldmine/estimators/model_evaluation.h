// A trained model evaluated on every row of a sample (`goldmine evaluate`,
// DESIGN.md §5.5): which predictions a model gives, and the checks that the
// sample has the columns the model takes. The same for a LibTorch model
// (estimator.h) and for a published ONNX file (onnx_model.h). Torch-free,
// like every public header of this module.
#pragma once

#include <Eigen/Core>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/estimators/config.h"

namespace goldmine::estimators {

// The predictions on n samples, named and ordered as the predictions file
// (mining/predictions_file.h) stores them:
//   score models  t_hat, t_hat_std (n × P);
//   ratio models  log_r_hat, log_r_hat_std (n × 1) at each row's θ0 (and θ1
//                 for double-parameterized networks), then t_hat, t_hat_std
//                 (n × P) at θ0.
// *_std is the ensemble standard deviation (0 for a single network).
using NamedPredictions = std::vector<std::pair<std::string, Eigen::MatrixXd>>;

// Loads `model` (DIR/NAME of a goldmine model, or NAME.onnx from `goldmine
// export onnx`) as a score or ratio model according to `method` (what
// ReadModelMethod or ReadOnnxModelInfo say it is) and evaluates it on the
// observables `x` (n × O) with the parameter points `theta0` and `theta1`
// (n × P each; empty when the sample has none). Score models use only `x`;
// `theta1` is used only by double-parameterized ratio models. `samples_path`
// names the sample in messages, `model` names the model. Throws as the
// models' Load functions, and InvalidInput
//   "<samples_path>: x has 3 columns, model <model> expects 2"
// when a column count differs from the model's, and when a ratio model gets
// no theta0 or a double-parameterized one no theta1.
NamedPredictions EvaluateOnSamples(const std::string& model,
                                   Method method,
                                   const Eigen::MatrixXd& x,
                                   const Eigen::MatrixXd& theta0,
                                   const Eigen::MatrixXd& theta1,
                                   const std::string& samples_path);

}  // namespace goldmine::estimators
