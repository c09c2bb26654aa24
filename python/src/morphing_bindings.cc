// goldmine.morphing: components, morphers (weights, gradients, cross
// sections), basis optimisation and the JSON morphing case of `goldmine
// morphing`. Every array is a numpy array: θ points are rows.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <cmath>
#include <optional>
#include <vector>

#include "bindings.h"
#include "conversions.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/json_node.h"
#include "goldmine/morphing/basis_optimizer.h"
#include "goldmine/morphing/components.h"
#include "goldmine/morphing/morpher.h"
#include "goldmine/morphing/morphing_case.h"

namespace py = pybind11;
using py::arg;

namespace goldmine::python {
namespace {

using morphing::Components;
using morphing::Morpher;

// (θ points, parameters, benchmarks) from WeightGradientsBatch's matrices,
// one per parameter (θ points × benchmarks).
py::array_t<double> Stack(const std::vector<Eigen::MatrixXd>& per_parameter,
                          Eigen::Index num_thetas,
                          Eigen::Index num_benchmarks) {
  py::array_t<double> stacked({static_cast<py::ssize_t>(num_thetas),
                               static_cast<py::ssize_t>(per_parameter.size()),
                               static_cast<py::ssize_t>(num_benchmarks)});
  auto view = stacked.mutable_unchecked<3>();
  for (std::size_t i = 0; i < per_parameter.size(); ++i) {
    for (Eigen::Index t = 0; t < num_thetas; ++t) {
      for (Eigen::Index b = 0; b < num_benchmarks; ++b) {
        view(t, static_cast<py::ssize_t>(i), b) = per_parameter[i](t, b);
      }
    }
  }
  return stacked;
}

using Thetas = py::array_t<double, py::array::c_style | py::array::forcecast>;

// θ points as rows: a 1-D array is one point, a 2-D array one per row.
Eigen::MatrixXd ThetaRows(const Thetas& points) {
  if (points.ndim() == 1) {
    return Eigen::Map<const Eigen::RowVectorXd>(points.data(), points.shape(0));
  }
  if (points.ndim() != 2) {
    throw InvalidInput(
        "thetas: expected one point (1-D) or one point per row (2-D)");
  }
  return Eigen::Map<
      const Eigen::
          Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      points.data(), points.shape(0), points.shape(1));
}

// Powers must be whole numbers (a float array is not silently truncated).
Components PowersFrom(const Thetas& powers) {
  if (powers.ndim() != 2) {
    throw InvalidInput("powers: expected one row of powers per component");
  }
  Eigen::MatrixXi whole(powers.shape(0), powers.shape(1));
  for (py::ssize_t i = 0; i < powers.shape(0); ++i) {
    for (py::ssize_t j = 0; j < powers.shape(1); ++j) {
      const double power = powers.at(i, j);
      if (!(power >= 0 && power <= 100 && power == std::floor(power))) {
        throw InvalidInput("powers[" + std::to_string(i) + "][" +
                           std::to_string(j) + "] = " + std::to_string(power) +
                           ": expected a whole number from 0 to 100");
      }
      whole(i, j) = static_cast<int>(power);
    }
  }
  return Components(whole);
}

void BindComponents(py::module_& module) {
  py::class_<Components>(module,
                         "Components",
                         "Monomials of the EFT parameters in |M|^2, one row "
                         "of powers per component (MadMiner's order).")
      .def(py::init(&PowersFrom), arg("powers"))
      .def_static("from_max_powers",
                  &Components::FromMaxPowers,
                  arg("max_powers"),
                  arg("max_overall_power") = py::none(),
                  "MadMiner's find_components(max_overall_power) with "
                  "parameter_max_power = max_powers.")
      .def_static("from_couplings",
                  &Components::FromCouplings,
                  arg("n_production"),
                  arg("n_decay"),
                  arg("n_shared"))
      .def_property_readonly("powers", &Components::powers)
      .def_property_readonly("n_components", &Components::num_components)
      .def_property_readonly("n_parameters", &Components::num_parameters)
      .def(
          "evaluate",
          [](const Components& self, const Thetas& points) {
            const Eigen::MatrixXd thetas = ThetaRows(points);
            return self.EvaluateBatch(thetas);
          },
          arg("thetas"),
          "Component values, one row per θ (rows of `thetas`).")
      .def("gradient",
           &Components::Gradient,
           arg("theta"),
           "d component / d θ at one θ: parameters × components.")
      .def("__repr__", &Components::Description);
}

void BindMorpher(py::module_& module) {
  py::class_<Morpher>(module,
                      "Morpher",
                      "Morphing between a basis of benchmarks: weights "
                      "w_b(θ) with σ(θ) = Σ_b w_b(θ) σ_b.")
      .def(py::init<Components, Eigen::MatrixXd>(),
           arg("components"),
           arg("basis"),
           "basis: benchmarks × parameters.")
      .def_property_readonly("components", &Morpher::components)
      .def_property_readonly("basis", &Morpher::basis)
      .def_property_readonly("morphing_matrix", &Morpher::morphing_matrix)
      .def_property_readonly("condition_number", &Morpher::condition_number)
      .def_property_readonly("n_benchmarks", &Morpher::num_benchmarks)
      .def(
          "weights",
          [](const Morpher& self, const Thetas& points) {
            const Eigen::MatrixXd thetas = ThetaRows(points);
            return self.WeightsBatch(thetas);
          },
          arg("thetas"),
          "w_b(θ): one row per θ (rows of `thetas`), one column per "
          "benchmark.")
      .def(
          "weight_gradients",
          [](const Morpher& self, const Thetas& points) {
            const Eigen::MatrixXd thetas = ThetaRows(points);
            return Stack(self.WeightGradientsBatch(thetas),
                         thetas.rows(),
                         self.num_benchmarks());
          },
          arg("thetas"),
          "dw_b/dθ_i: θ points × parameters × benchmarks.")
      .def("sum_squared_weights", &Morpher::SumSquaredWeights, arg("theta"))
      .def("cross_section",
           &Morpher::CrossSection,
           arg("theta"),
           arg("benchmark_cross_sections"))
      .def("cross_section_gradient",
           &Morpher::CrossSectionGradient,
           arg("theta"),
           arg("benchmark_cross_sections"))
      .def("event_weights",
           &Morpher::EventWeights,
           arg("theta"),
           arg("benchmark_weights"),
           "Σ_b w_b(θ) w_eb for events × benchmarks weights.")
      .def("__repr__", &Morpher::Description);
}

}  // namespace

void BindMorphing(py::module_& module) {
  BindComponents(module);
  BindMorpher(module);
  module.def(
      "optimize_basis",
      [](const Components& components,
         const Eigen::MatrixXd& ranges,
         std::optional<Eigen::MatrixXd> fixed_benchmarks,
         int n_trials,
         std::uint64_t seed) {
        if (ranges.cols() != 2) {
          throw InvalidInput("parameter_ranges: expected (lower, upper) rows");
        }
        ParameterRanges parameter_ranges;
        for (Eigen::Index i = 0; i < ranges.rows(); ++i) {
          parameter_ranges.push_back({ranges(i, 0), ranges(i, 1)});
        }
        morphing::BasisOptimizerOptions options;
        options.n_trials = n_trials;
        options.seed = seed;
        const Eigen::MatrixXd fixed =
            fixed_benchmarks ? *fixed_benchmarks
                             : Eigen::MatrixXd(0, components.num_parameters());
        py::gil_scoped_release release;
        const morphing::BasisOptimizationResult result =
            morphing::OptimizeBasis(
                components, parameter_ranges, fixed, options);
        return std::make_pair(result.basis, result.objective);
      },
      arg("components"),
      arg("parameter_ranges"),
      arg("fixed_benchmarks") = py::none(),
      arg("n_trials") = 100,
      arg("seed") = 1,
      "A basis that minimises E[Σ_b w_b(θ)²] over the parameter ranges: "
      "(basis, objective).");
  module.def(
      "solve_case",
      [](const py::object& case_document) {
        const nlohmann::json document =
            nlohmann::json::parse(ToJsonText(case_document));
        nlohmann::ordered_json answer;
        {
          py::gil_scoped_release release;
          answer =
              morphing::SolveMorphingDocument(core::JsonNode(document, "case"));
        }
        return ToPython(answer);
      },
      arg("case"),
      "The answer of `goldmine morphing --input CASE.json` for a case given "
      "as a dict (the same keys).");
}

}  // namespace goldmine::python
