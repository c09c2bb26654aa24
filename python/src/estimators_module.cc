// goldmine._estimators: training (estimators_training.cc) and loading of
// trained estimators (LibTorch files, or ONNX files from `goldmine export
// onnx`) as goldmine.ScoreModel and goldmine.LikelihoodRatioModel objects.
// A module of its own because it links LibTorch, whose start-up (about
// 1.5 s) `import goldmine` should not pay; goldmine.estimators imports it on
// first use. Only the core model interfaces cross into Python, never a torch
// type.
#include <pybind11/pybind11.h>
#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <memory>

#include "estimators_training.h"
#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/score_model.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/onnx_model.h"

namespace py = pybind11;
namespace est = goldmine::estimators;

PYBIND11_MODULE(_estimators, module) {
  // The model classes and the exception translation live there.
  py::module_::import("goldmine._goldmine");
  module.doc() = "trained estimators (use goldmine.estimators)";
  module.def(
      "load_score_model",
      [](const std::filesystem::path& prefix) {
        py::gil_scoped_release release;
        if (est::IsOnnxModelPath(prefix)) {
          return std::shared_ptr<goldmine::core::ScoreModel>(
              std::make_shared<est::OnnxScoreModel>(
                  est::OnnxScoreModel::Load(prefix)));
        }
        return std::shared_ptr<goldmine::core::ScoreModel>(
            std::make_shared<est::ScoreEstimator>(
                est::ScoreEstimator::Load(prefix)));
      },
      py::arg("path"),
      "A SALLY/SALLINO model: DIR/NAME (DIR/NAME.json and .pt from `goldmine "
      "train`) or NAME.onnx.");
  module.def(
      "load_ratio_model",
      [](const std::filesystem::path& prefix) {
        py::gil_scoped_release release;
        if (est::IsOnnxModelPath(prefix)) {
          return std::shared_ptr<goldmine::core::LikelihoodRatioModel>(
              std::make_shared<est::OnnxRatioModel>(
                  est::OnnxRatioModel::Load(prefix)));
        }
        return std::shared_ptr<goldmine::core::LikelihoodRatioModel>(
            std::make_shared<est::RatioEstimator>(
                est::RatioEstimator::Load(prefix)));
      },
      py::arg("path"),
      "A likelihood-ratio model (RASCAL, ALICES, CARL, ...): DIR/NAME or "
      "NAME.onnx.");
  goldmine::python::BindTraining(module);
}
