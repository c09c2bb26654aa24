#include "goldmine/estimators/model_evaluation.h"

#include "goldmine/core/errors.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/onnx_model.h"

namespace goldmine::estimators {

NamedPredictions EvaluateOnSamples(const std::string& model,
                                   Method method,
                                   const Eigen::MatrixXd& x,
                                   const Eigen::MatrixXd& theta0,
                                   const Eigen::MatrixXd& theta1,
                                   const std::string& samples_path) {
  const auto require_columns =
      [&](const Eigen::MatrixXd& m, const char* name, int expected) {
        if (m.cols() != expected) {
          throw InvalidInput(samples_path + ": " + name + " has " +
                             std::to_string(m.cols()) + " columns, model " +
                             model + " expects " + std::to_string(expected));
        }
      };
  // The same evaluation for a LibTorch model and for a published ONNX
  // file (estimators/onnx_model.h): both have these member functions.
  NamedPredictions datasets;
  const auto evaluate_score = [&](const auto& estimator) {
    require_columns(x, "x", estimator.num_observables());
    const EnsemblePrediction t = estimator.ScoreEnsemble(x);
    datasets = {{"t_hat", t.mean}, {"t_hat_std", t.std}};
  };
  const auto evaluate_ratio = [&](const auto& estimator) {
    require_columns(x, "x", estimator.num_observables());
    if (theta0.size() == 0) {
      throw InvalidInput(samples_path +
                         ": no theta0; a ratio model is "
                         "evaluated at each sample's theta0");
    }
    require_columns(theta0, "theta0", estimator.num_parameters());
    if (estimator.double_parameterized()) {
      if (theta1.size() == 0) {
        throw InvalidInput(samples_path + ": no theta1; model " + model +
                           " is double-parameterized");
      }
      require_columns(theta1, "theta1", estimator.num_parameters());
    }
    const EnsemblePrediction log_r =
        estimator.LogLikelihoodRatioEnsemble(x, theta0, theta1);
    const EnsemblePrediction t = estimator.ScoreEnsemble(x, theta0, theta1);
    datasets = {{"log_r_hat", log_r.mean},
                {"log_r_hat_std", log_r.std},
                {"t_hat", t.mean},
                {"t_hat_std", t.std}};
  };
  if (IsOnnxModelPath(model)) {
    if (IsScoreMethod(method)) {
      evaluate_score(OnnxScoreModel::Load(model));
    } else {
      evaluate_ratio(OnnxRatioModel::Load(model));
    }
  } else if (IsScoreMethod(method)) {
    evaluate_score(ScoreEstimator::Load(model));
  } else {
    evaluate_ratio(RatioEstimator::Load(model));
  }
  return datasets;
}

}  // namespace goldmine::estimators
