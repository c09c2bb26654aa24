// The core model interfaces as Python classes: a ScoreModel (SALLY's t̂(x))
// and a LikelihoodRatioModel (log r̂(x|θ0, θ1)). Trained estimators (the
// goldmine._estimators module, which links LibTorch) and the Matrix Element
// Method's exact ratio (goldmine.mem) are instances; Fisher information and
// limits take them. No torch type crosses into Python.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>

#include "bindings.h"
#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/score_model.h"
#include "goldmine/mem/mem_ratio_model.h"

namespace py = pybind11;
using py::arg;

namespace goldmine::python {

void BindModels(py::module_& module) {
  py::class_<core::ScoreModel, std::shared_ptr<core::ScoreModel>>(
      module,
      "ScoreModel",
      "An estimated score t̂(x) (SALLY, SALLINO): load one with "
      "goldmine.estimators.load.")
      .def(
          "score",
          [](const core::ScoreModel& self, const Eigen::MatrixXd& x) {
            py::gil_scoped_release release;
            return self.Score(x);
          },
          arg("x"),
          "t̂(x): events × parameters.")
      .def_property_readonly("parameter_names",
                             &core::ScoreModel::parameter_names)
      .def_property_readonly("observable_names",
                             &core::ScoreModel::observable_names);
  py::class_<core::LikelihoodRatioModel,
             std::shared_ptr<core::LikelihoodRatioModel>>(
      module,
      "LikelihoodRatioModel",
      "An estimated likelihood ratio log r̂(x|θ0, θ1) (RASCAL, ALICES, "
      "CARL, ...; the MEM's exact one).")
      .def(
          "log_likelihood_ratio",
          [](const core::LikelihoodRatioModel& self,
             const Eigen::MatrixXd& x,
             const Eigen::VectorXd& theta0,
             const std::optional<Eigen::VectorXd>& theta1) {
            py::gil_scoped_release release;
            return theta1 ? self.LogLikelihoodRatio(x, theta0, *theta1)
                          : self.LogLikelihoodRatio(x, theta0);
          },
          arg("x"),
          arg("theta0"),
          arg("theta1") = py::none(),
          "log r̂(x|θ0, θ1) per event (θ1 absent: the model's reference).")
      .def(
          "score",
          [](const core::LikelihoodRatioModel& self,
             const Eigen::MatrixXd& x,
             const Eigen::VectorXd& theta0) {
            py::gil_scoped_release release;
            return self.Score(x, theta0);
          },
          arg("x"),
          arg("theta0"),
          "t̂(x|θ0): events × parameters.")
      .def_property_readonly("parameter_names",
                             &core::LikelihoodRatioModel::parameter_names)
      .def_property_readonly("observable_names",
                             &core::LikelihoodRatioModel::observable_names);
  module.def(
      "mem_ratio_model",
      [](const std::string& events, const std::string& mem) {
        py::gil_scoped_release release;
        return std::shared_ptr<core::LikelihoodRatioModel>(
            std::make_shared<mem::MemRatioModel>(events, mem));
      },
      arg("events"),
      arg("mem"),
      "The Matrix Element Method's exact log r(x|θ0, θ1) from a MEM file "
      "(goldmine mem) of the events file.");
}

}  // namespace goldmine::python
