#include "goldmine/estimators/model_evaluation.h"

#include <type_traits>
#include <variant>

#include "goldmine/core/errors.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/onnx_model.h"

namespace goldmine::estimators {
namespace {

// The loaded model: LibTorch or ONNX, score or ratio. The four have the
// member functions used below under the same names.
using LoadedModel = std::
    variant<ScoreEstimator, RatioEstimator, OnnxScoreModel, OnnxRatioModel>;

LoadedModel Load(const std::string& model, Method method) {
  if (IsOnnxModelPath(model)) {
    if (IsScoreMethod(method)) return OnnxScoreModel::Load(model);
    return OnnxRatioModel::Load(model);
  }
  if (IsScoreMethod(method)) return ScoreEstimator::Load(model);
  return RatioEstimator::Load(model);
}

}  // namespace

struct SampleEvaluator::Impl {
  std::string model;
  Method method;
  LoadedModel loaded;
};

SampleEvaluator::SampleEvaluator(std::string model, Method method)
    : impl_(std::make_unique<Impl>(Impl{model, method, Load(model, method)})) {}

SampleEvaluator::~SampleEvaluator() = default;
SampleEvaluator::SampleEvaluator(SampleEvaluator&&) noexcept = default;
SampleEvaluator& SampleEvaluator::operator=(SampleEvaluator&&) noexcept =
    default;

const std::string& SampleEvaluator::model() const { return impl_->model; }
Method SampleEvaluator::method() const { return impl_->method; }

NamedPredictions SampleEvaluator::Evaluate(
    const Eigen::MatrixXd& x,
    const Eigen::MatrixXd& theta0,
    const Eigen::MatrixXd& theta1,
    const std::string& samples_path) const {
  const std::string& model = impl_->model;
  const auto require_columns =
      [&](const Eigen::MatrixXd& m, const char* name, int expected) {
        if (m.cols() != expected) {
          throw InvalidInput(samples_path + ": " + name + " has " +
                             std::to_string(m.cols()) + " columns, model " +
                             model + " expects " + std::to_string(expected));
        }
      };
  const auto evaluate = [&](const auto& estimator) -> NamedPredictions {
    using Loaded = std::decay_t<decltype(estimator)>;
    require_columns(x, "x", estimator.num_observables());
    if constexpr (std::is_same_v<Loaded, ScoreEstimator> ||
                  std::is_same_v<Loaded, OnnxScoreModel>) {
      const EnsemblePrediction t = estimator.ScoreEnsemble(x);
      return {{"t_hat", t.mean}, {"t_hat_std", t.std}};
    } else {
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
      return {{"log_r_hat", log_r.mean},
              {"log_r_hat_std", log_r.std},
              {"t_hat", t.mean},
              {"t_hat_std", t.std}};
    }
  };
  return std::visit(evaluate, impl_->loaded);
}

NamedPredictions EvaluateOnSamples(const std::string& model,
                                   Method method,
                                   const Eigen::MatrixXd& x,
                                   const Eigen::MatrixXd& theta0,
                                   const Eigen::MatrixXd& theta1,
                                   const std::string& samples_path) {
  return SampleEvaluator(model, method)
      .Evaluate(x, theta0, theta1, samples_path);
}

}  // namespace goldmine::estimators
