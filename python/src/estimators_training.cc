// Training an estimator from Python: the settings of `goldmine train` as
// keyword arguments, a samples file in, the trained model (and, with
// `output`, DIR/NAME.json + .pt) out. The same settings and seed train the
// CLI's network, weight for weight: both call ScoreEstimator::Train or
// RatioEstimator::Train on the same TrainingData.
#include "estimators_training.h"

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conversions.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/score_model.h"
#include "goldmine/estimators/config.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/training_samples.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/sample_file.h"

namespace py = pybind11;
using py::arg;

namespace goldmine::python {
namespace {

namespace est = estimators;

py::list Histories(const std::vector<est::TrainingHistory>& histories) {
  py::list list;
  for (const est::TrainingHistory& history : histories) {
    py::dict entry;
    entry["seed"] = history.seed;
    entry["best_epoch"] = history.best_epoch;
    entry["stopped_early"] = history.stopped_early;
    entry["training_loss"] = history.training_loss;
    entry["validation_loss"] = history.validation_loss;
    entry["learning_rate"] = history.learning_rate;
    entry["seconds"] = history.seconds;
    list.append(entry);
  }
  return list;
}

struct Settings {
  est::Method method;
  est::NetworkConfig network;
  est::TrainingConfig training;
};

// Progress per epoch as (epochs done, epochs of all members).
void SetProgress(const py::object& callback, est::TrainingConfig* training) {
  const Progress report = ProgressCallback(callback);
  if (!report) return;
  training->progress = [report](const est::EpochProgress& progress) {
    report(progress.member * progress.num_epochs + progress.epoch + 1,
           progress.num_members * progress.num_epochs);
  };
}

py::tuple Train(const Settings& settings,
                const std::string& samples_path,
                const std::optional<std::string>& validation_path,
                const std::optional<std::string>& morphing_aware,
                const std::optional<std::string>& output) {
  est::NetworkConfig network = settings.network;
  const mining::SampleData samples = mining::ReadSamples(samples_path);
  const est::TrainingData data = est::ToTrainingData(
      samples, settings.method, network.double_parameterized, samples_path);
  if (morphing_aware) {
    if (est::IsScoreMethod(settings.method)) {
      throw InvalidInput("morphing_aware is for ratio methods, not " +
                         est::MethodName(settings.method));
    }
    network.morphing =
        est::MorphingStructureOf(mining::ReadSetup(*morphing_aware),
                                 *morphing_aware,
                                 samples,
                                 network.double_parameterized,
                                 samples_path);
    network.Validate();
  }
  mining::SampleData validation_samples;
  est::TrainingData validation;
  if (validation_path) {
    validation_samples = mining::ReadSamples(*validation_path);
    validation = est::ToTrainingData(validation_samples,
                                     settings.method,
                                     network.double_parameterized,
                                     *validation_path);
  }
  const est::TrainingData* validation_data =
      validation_path ? &validation : nullptr;
  if (est::IsScoreMethod(settings.method)) {
    auto estimator = std::make_shared<est::ScoreEstimator>(
        est::ScoreEstimator::Train(settings.method,
                                   data,
                                   network,
                                   settings.training,
                                   validation_data));
    if (output) estimator->Save(*output);
    const auto histories = estimator->histories();
    py::gil_scoped_acquire gil;
    return py::make_tuple(std::shared_ptr<core::ScoreModel>(estimator),
                          Histories(histories));
  }
  auto estimator =
      std::make_shared<est::RatioEstimator>(est::RatioEstimator::Train(
          settings.method, data, network, settings.training, validation_data));
  if (output) estimator->Save(*output);
  const auto histories = estimator->histories();
  py::gil_scoped_acquire gil;
  return py::make_tuple(std::shared_ptr<core::LikelihoodRatioModel>(estimator),
                        Histories(histories));
}

}  // namespace

void BindTraining(py::module_& module) {
  module.def(
      "train",
      [](const std::string& method,
         const std::string& samples,
         const std::optional<std::string>& output,
         const std::vector<int>& hidden,
         const std::string& activation,
         double dropout,
         int epochs,
         int batch_size,
         double lr,
         double lr_decay,
         const std::string& optimizer,
         double validation_split,
         const std::optional<std::string>& validation_samples,
         bool early_stopping,
         int patience,
         double clip_gradient,
         double weight_decay,
         double alpha,
         bool double_parameterized,
         const std::optional<std::string>& morphing_aware,
         int ensemble,
         int member,
         std::uint64_t seed,
         int threads,
         const py::object& progress) {
        Settings settings;
        settings.method = est::ParseMethod(method);
        for (int width : hidden) {
          if (width <= 0) {
            throw InvalidInput("hidden: layer widths must be positive");
          }
        }
        settings.network.hidden = hidden;
        settings.network.activation = est::ParseActivation(activation);
        settings.network.dropout = dropout;
        settings.network.double_parameterized = double_parameterized;
        est::TrainingConfig& training = settings.training;
        training.optimizer = est::ParseOptimizer(optimizer);
        training.epochs = epochs;
        training.batch_size = batch_size;
        training.initial_lr = lr;
        training.final_lr = lr * lr_decay;
        training.validation_split = validation_split;
        training.early_stopping = early_stopping;
        training.early_stopping_patience = patience;
        training.clip_gradient = clip_gradient;
        training.weight_decay = weight_decay;
        training.alpha = alpha;
        training.ensemble_size = ensemble;
        training.first_member = member;
        training.seed = seed;
        training.threads = threads;
        settings.network.Validate();
        training.Validate();
        SetProgress(progress, &training);
        py::gil_scoped_release release;
        return Train(
            settings, samples, validation_samples, morphing_aware, output);
      },
      arg("method"),
      arg("samples"),
      arg("output") = py::none(),
      arg("hidden") = std::vector<int>{100, 100},
      arg("activation") = "tanh",
      arg("dropout") = 0.0,
      arg("epochs") = 50,
      arg("batch_size") = 128,
      arg("lr") = 1e-3,
      arg("lr_decay") = 0.1,
      arg("optimizer") = "amsgrad",
      arg("validation_split") = 0.25,
      arg("validation_samples") = py::none(),
      arg("early_stopping") = false,
      arg("patience") = 0,
      arg("clip_gradient") = 0.0,
      arg("weight_decay") = 0.0,
      arg("alpha") = 1.0,
      arg("double_parameterized") = false,
      arg("morphing_aware") = py::none(),
      arg("ensemble") = 1,
      arg("member") = 0,
      arg("seed") = 1,
      arg("threads") = 1,
      arg("progress") = py::none(),
      "`goldmine train --method METHOD --samples S.h5 [--output DIR/NAME]`: "
      "(model, histories); the model is a ScoreModel (sally, sallino) or a "
      "LikelihoodRatioModel.");
}

}  // namespace goldmine::python
