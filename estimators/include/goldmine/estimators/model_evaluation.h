// A trained model evaluated on every row of a sample (`goldmine evaluate`,
// DESIGN.md §5.5): which predictions a model gives, and the checks that the
// sample has the columns the model takes. The same for a LibTorch model
// (estimator.h) and for a published ONNX file (onnx_model.h). Torch-free,
// like every public header of this module.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <memory>
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

// Rows that a model evaluates in one forward pass (LibTorch networks and
// ONNX graphs alike); a call on more rows makes several passes of this size.
// The kernels of the matrix products work on blocks of rows, so the float32
// rounding of a row can depend on the rows of its pass: evaluated in chunks
// whose sizes are multiples of kEvaluationBatchRows (the last chunk
// excepted), a sample gets the passes, and so the predictions, of one call
// on all rows, bit for bit. Other chunk sizes agree to the networks'
// rounding only (measured with chunks of 7777 rows: relative differences up
// to 4e-3 on SALLY scores near 0).
inline constexpr std::int64_t kEvaluationBatchRows = 16384;

// A model loaded once and evaluated on as many row ranges of a sample as
// the caller likes: `goldmine evaluate` streams a samples file through it
// in chunks of a multiple of kEvaluationBatchRows rows. Rows are evaluated
// independently (the ensemble spread too), up to the rounding noted above.
class SampleEvaluator {
 public:
  // Loads `model` (DIR/NAME of a goldmine model, or NAME.onnx from
  // `goldmine export onnx`) as a score or ratio model according to `method`
  // (what ReadModelMethod or ReadOnnxModelInfo say it is). Throws as the
  // models' Load functions.
  SampleEvaluator(std::string model, Method method);
  ~SampleEvaluator();
  SampleEvaluator(SampleEvaluator&&) noexcept;
  SampleEvaluator& operator=(SampleEvaluator&&) noexcept;

  // Evaluates the model on the observables `x` (n × O) with the parameter
  // points `theta0` and `theta1` (n × P each; empty when the sample has
  // none). Score models use only `x`; `theta1` is used only by
  // double-parameterized ratio models. `samples_path` names the sample in
  // messages. n = 0 gives 0-row matrices with the columns of the model.
  // Throws InvalidInput
  //   "<samples_path>: x has 3 columns, model <model> expects 2"
  // when a column count differs from the model's, and when a ratio model
  // gets no theta0 or a double-parameterized one no theta1.
  NamedPredictions Evaluate(const Eigen::MatrixXd& x,
                            const Eigen::MatrixXd& theta0,
                            const Eigen::MatrixXd& theta1,
                            const std::string& samples_path) const;

  const std::string& model() const;
  Method method() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// SampleEvaluator(model, method).Evaluate(x, theta0, theta1, samples_path):
// the whole sample at once.
NamedPredictions EvaluateOnSamples(const std::string& model,
                                   Method method,
                                   const Eigen::MatrixXd& x,
                                   const Eigen::MatrixXd& theta0,
                                   const Eigen::MatrixXd& theta1,
                                   const std::string& samples_path);

}  // namespace goldmine::estimators
