// goldmine.histfactory: goldmine's HistFactory engine on pyhf's workspace
// documents: a Workspace from pyhf JSON (a dict on the Python side), its
// Model (pyhf's modifier_settings and clipping), fits, hypothesis tests and
// CLs upper limits. The Python package gives them pyhf's signatures and
// return values (python/goldmine/histfactory.py); this layer returns dicts
// with every number the library computes.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "goldmine/core/errors.h"
#include "goldmine/inference/fit.h"
#include "goldmine/inference/hypotest.h"
#include "goldmine/inference/interpolation.h"
#include "goldmine/inference/likelihood_checks.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/patchset.h"
#include "goldmine/inference/workspace.h"
#include "goldmine/inference/workspace_json.h"

namespace py = pybind11;
using py::arg;

namespace goldmine::python {
namespace {

namespace hf = inference;

// A Model with the workspace it was built from (the likelihood checks need
// both, and the Model's messages name the workspace's source).
struct ModelHandle {
  hf::Workspace workspace;
  std::unique_ptr<hf::Model> model;
};

// data: observations then auxiliary data, as pyhf's Workspace.data; finite,
// and counts (the main bins) not negative.
void RequireData(const ModelHandle& handle, const Eigen::VectorXd& data) {
  const int expected =
      handle.model->num_main_bins() + handle.model->num_auxdata();
  if (data.size() != expected) {
    throw InvalidInput(
        "data: expected " + std::to_string(expected) + " numbers (" +
        std::to_string(handle.model->num_main_bins()) + " main bins, then " +
        std::to_string(handle.model->num_auxdata()) + " auxiliary data), got " +
        std::to_string(data.size()));
  }
  const int main_bins = handle.model->num_main_bins();
  for (Eigen::Index i = 0; i < data.size(); ++i) {
    if (!std::isfinite(data(i)) || (i < main_bins && data(i) < 0)) {
      throw InvalidInput(
          "data[" + std::to_string(i) + "] = " + std::to_string(data(i)) +
          (i < main_bins ? ": expected a finite count >= 0 (a main bin)"
                         : ": expected a finite auxiliary datum"));
    }
  }
}

// The model, after the checks the CLI makes before a fit or a test: a
// workspace without a meaningful likelihood is refused, naming why.
const hf::Model& Checked(const ModelHandle& handle,
                         const Eigen::VectorXd& data,
                         bool hypotest) {
  const std::string problem =
      hypotest ? hf::HypotestLikelihoodProblem(handle.workspace, *handle.model)
               : hf::FitLikelihoodProblem(handle.workspace, *handle.model);
  if (!problem.empty()) {
    throw InvalidInput(handle.workspace.source + ": " + problem);
  }
  RequireData(handle, data);
  return *handle.model;
}

py::dict FitDict(const hf::FitResult& fit) {
  py::dict result;
  result["parameters"] = fit.parameters;
  result["twice_nll"] = fit.twice_nll;
  result["uncertainties"] = fit.uncertainties;
  result["covariance"] = fit.covariance;
  result["converged"] = fit.converged;
  result["message"] = fit.message;
  result["num_evaluations"] = fit.num_evaluations;
  py::list minima;
  for (const hf::LocalMinimum& minimum : fit.other_minima) {
    py::dict entry;
    entry["twice_nll"] = minimum.twice_nll;
    entry["parameters"] = minimum.parameters;
    minima.append(entry);
  }
  result["other_minima"] = minima;
  return result;
}

py::dict HypotestDict(const hf::HypotestResult& test) {
  py::dict result;
  result["poi_value"] = test.poi_value;
  result["CLs_obs"] = test.cls_obs;
  result["CLsb_obs"] = test.clsb_obs;
  result["CLb_obs"] = test.clb_obs;
  result["CLs_exp"] =
      std::vector<double>(test.cls_expected.begin(), test.cls_expected.end());
  result["teststat_obs"] = test.test_statistic_obs;
  if (test.num_toys == 0) {  // asymptotics only, as `histfactory cls`
    result["teststat_asimov"] = test.test_statistic_asimov;
  }
  result["poi_hat"] = test.poi_hat;
  result["ntoys"] = test.num_toys;
  result["converged"] = test.converged;
  result["message"] = test.message;
  result["several_minima"] = test.several_minima;
  return result;
}

hf::HypotestOptions HypotestOptions(
    const std::string& test_stat,
    const std::string& calctype,
    int ntoys,
    std::uint64_t seed,
    const std::optional<std::pair<double, double>>& poi_bounds) {
  hf::HypotestOptions options;
  if (test_stat != "qtilde" && test_stat != "q" && test_stat != "q0") {
    throw InvalidInput("test_stat must be qtilde, q or q0, not \"" + test_stat +
                       "\"");
  }
  options.test_statistic = hf::ParseTestStatistic(test_stat);
  if (calctype == "asymptotics") {
    options.calculator = hf::Calculator::kAsymptotics;
  } else if (calctype == "toybased") {
    options.calculator = hf::Calculator::kToys;
  } else {
    throw InvalidInput("calctype must be asymptotics or toybased, not \"" +
                       calctype + "\"");
  }
  if (ntoys < 1) throw InvalidInput("ntoys must be >= 1");
  options.num_toys = ntoys;
  options.seed = seed;
  options.poi_bounds = poi_bounds;
  const std::string problems = options.Validate();
  if (!problems.empty()) throw InvalidInput(problems);
  return options;
}

void BindWorkspace(py::module_& module) {
  py::class_<hf::Workspace>(
      module, "Workspace", "A validated pyhf workspace specification.")
      .def_static("from_json",
                  &hf::Workspace::FromJson,
                  arg("text"),
                  arg("source") = "workspace")
      .def_static("from_file", &hf::Workspace::FromFile, arg("path"))
      .def_readonly("source", &hf::Workspace::source)
      .def_property_readonly("channels",
                             [](const hf::Workspace& self) {
                               std::vector<std::string> names;
                               for (const auto& channel : self.channels) {
                                 names.push_back(channel.name);
                               }
                               return names;
                             })
      .def_property_readonly(
          "measurement_names", [](const hf::Workspace& self) {
            std::vector<std::string> names;
            for (const auto& measurement : self.measurements) {
              names.push_back(measurement.name);
            }
            return names;
          });
}

void BindModel(py::module_& module) {
  py::class_<ModelHandle>(module, "Model", "The likelihood of a workspace.")
      .def(py::init([](const hf::Workspace& workspace,
                       const std::string& measurement,
                       const std::string& normsys_code,
                       const std::string& histosys_code,
                       std::optional<double> clip_sample_data,
                       std::optional<double> clip_bin_data,
                       bool needs_observations) {
             hf::ModelOptions options;
             options.measurement = measurement;
             options.normsys_code = hf::ParseInterpolationCode(normsys_code);
             options.histosys_code = hf::ParseInterpolationCode(histosys_code);
             options.clip_sample_data = clip_sample_data;
             options.clip_bin_data = clip_bin_data;
             ModelHandle handle{workspace, nullptr};
             try {
               handle.model = std::make_unique<hf::Model>(
                   needs_observations ? workspace
                                      : workspace.WithZeroObservations(),
                   options);
             } catch (const InvalidInput& error) {
               const std::string message = error.what();
               throw InvalidInput(message.rfind(workspace.source, 0) == 0
                                      ? message
                                      : workspace.source + ": " + message);
             }
             return handle;
           }),
           arg("workspace"),
           arg("measurement") = "",
           arg("normsys_code") = "code4",
           arg("histosys_code") = "code4p",
           arg("clip_sample_data") = py::none(),
           arg("clip_bin_data") = py::none(),
           arg("needs_observations") = true)
      .def_property_readonly(
          "par_names",
          [](const ModelHandle& self) { return self.model->parameter_names(); })
      .def_property_readonly(
          "poi_name",
          [](const ModelHandle& self) -> std::optional<std::string> {
            if (!self.model->has_poi()) return std::nullopt;
            return self.model->poi_name();
          })
      .def_property_readonly("poi_index",
                             [](const ModelHandle& self) -> std::optional<int> {
                               if (!self.model->has_poi()) return std::nullopt;
                               return self.model->poi_index();
                             })
      .def_property_readonly(
          "npars",
          [](const ModelHandle& self) { return self.model->num_parameters(); })
      .def_property_readonly(
          "nmaindata",
          [](const ModelHandle& self) { return self.model->num_main_bins(); })
      .def_property_readonly(
          "nauxdata",
          [](const ModelHandle& self) { return self.model->num_auxdata(); })
      .def_property_readonly(
          "channels",
          [](const ModelHandle& self) { return self.model->channels(); })
      .def_property_readonly(
          "auxdata",
          [](const ModelHandle& self) { return self.model->auxdata(); })
      .def_property_readonly(
          "observed_data",
          [](const ModelHandle& self) { return self.model->observed_data(); })
      .def("suggested_init",
           [](const ModelHandle& self) { return self.model->inits(); })
      .def("suggested_bounds",
           [](const ModelHandle& self) {
             std::vector<std::pair<double, double>> bounds;
             for (int i = 0; i < self.model->num_parameters(); ++i) {
               bounds.emplace_back(self.model->lower_bounds()(i),
                                   self.model->upper_bounds()(i));
             }
             return bounds;
           })
      .def("suggested_fixed",
           [](const ModelHandle& self) { return self.model->fixed(); })
      .def(
          "expected_data",
          [](const ModelHandle& self,
             const Eigen::VectorXd& pars,
             bool include_auxdata) {
            if (pars.size() != self.model->num_parameters()) {
              throw InvalidInput("pars: expected " +
                                 std::to_string(self.model->num_parameters()) +
                                 " values");
            }
            return include_auxdata ? self.model->ExpectedData(pars)
                                   : self.model->ExpectedMainData(pars);
          },
          arg("pars"),
          arg("include_auxdata") = true)
      .def(
          "twice_nll",
          [](const ModelHandle& self,
             const Eigen::VectorXd& pars,
             const Eigen::VectorXd& data) {
            if (pars.size() != self.model->num_parameters()) {
              throw InvalidInput("pars: expected " +
                                 std::to_string(self.model->num_parameters()) +
                                 " values");
            }
            RequireData(self, data);
            return self.model->TwiceNll(pars, data);
          },
          arg("pars"),
          arg("data"),
          "−2 ln L(pars | data) with every constant, as pyhf.");
}

}  // namespace

void BindHistFactory(py::module_& module) {
  BindWorkspace(module);
  BindModel(module);
  module.def(
      "apply_model_patch",
      &hf::ApplyModelPatch,
      arg("workspace_text"),
      arg("patch_text"),
      arg("measurement") = "",
      arg("patch_source") = "patch",
      "`histfactory --patch P.json`: an RFC 6902 JSON Patch on "
      "{channels, parameters of the measurement}; JSON text in and out.");
  module.def("apply_json_patch",
             &hf::ApplyJsonPatch,
             arg("document_text"),
             arg("patch_text"),
             arg("patch_source") = "patch",
             "An RFC 6902 JSON Patch on a whole JSON document (pyhf's "
             "Workspace.model(patches=...)); JSON text in and out.");
  module.def("apply_patchset",
             &hf::ApplyPatchSet,
             arg("workspace_text"),
             arg("patchset_text"),
             arg("patch_name"),
             arg("patchset_source") = "patchset",
             "`histfactory --patchset PS.json --patch-name NAME` (after the "
             "digest check); JSON text in and out.");
  module.def(
      "fit",
      [](const ModelHandle& handle,
         const Eigen::VectorXd& data,
         const std::optional<Eigen::VectorXd>& init,
         const std::optional<std::vector<std::pair<double, double>>>& bounds,
         const std::optional<std::vector<bool>>& fixed,
         const std::optional<std::pair<int, double>>& fixed_poi) {
        const hf::Model& model = Checked(handle, data, false);
        const int n = model.num_parameters();
        Eigen::VectorXd start = init ? *init : model.inits();
        Eigen::VectorXd lower = model.lower_bounds();
        Eigen::VectorXd upper = model.upper_bounds();
        std::vector<bool> fixed_flags = fixed ? *fixed : model.fixed();
        if (start.size() != n ||
            (bounds && static_cast<int>(bounds->size()) != n) ||
            static_cast<int>(fixed_flags.size()) != n) {
          throw InvalidInput("init_pars, par_bounds and fixed_params need " +
                             std::to_string(n) + " entries, one per parameter");
        }
        if (bounds) {
          for (int i = 0; i < n; ++i) {
            lower(i) = (*bounds)[static_cast<std::size_t>(i)].first;
            upper(i) = (*bounds)[static_cast<std::size_t>(i)].second;
          }
        }
        if (fixed_poi) {
          if (fixed_poi->first < 0 || fixed_poi->first >= n) {
            throw InvalidInput("fixed_poi: parameter index " +
                               std::to_string(fixed_poi->first) +
                               " outside 0.." + std::to_string(n - 1));
          }
          start(fixed_poi->first) = fixed_poi->second;
          fixed_flags[static_cast<std::size_t>(fixed_poi->first)] = true;
        }
        const bool defaults = !init && !bounds && !fixed && !fixed_poi;
        hf::FitResult fit;
        {
          py::gil_scoped_release release;
          // The defaults take the CLI's path (hf::Fit), so that its numbers
          // are the same to the last bit.
          fit = defaults ? hf::Fit(model, data)
                         : hf::MinimizeTwiceNll(
                               model, data, start, lower, upper, fixed_flags);
        }
        return FitDict(fit);
      },
      arg("model"),
      arg("data"),
      arg("init_pars") = py::none(),
      arg("par_bounds") = py::none(),
      arg("fixed_params") = py::none(),
      arg("fixed_poi") = py::none());
  module.def(
      "hypotest",
      [](const ModelHandle& handle,
         const Eigen::VectorXd& data,
         double poi_value,
         const std::string& test_stat,
         const std::string& calctype,
         int ntoys,
         std::uint64_t seed,
         const std::optional<std::pair<double, double>>& poi_bounds) {
        const hf::Model& model = Checked(handle, data, true);
        const hf::HypotestOptions options =
            HypotestOptions(test_stat, calctype, ntoys, seed, poi_bounds);
        hf::HypotestResult test;
        {
          py::gil_scoped_release release;
          test = hf::Hypotest(model, data, poi_value, options);
        }
        return HypotestDict(test);
      },
      arg("model"),
      arg("data"),
      arg("poi_value"),
      arg("test_stat") = "qtilde",
      arg("calctype") = "asymptotics",
      arg("ntoys") = 2000,
      arg("seed") = 0,
      arg("poi_bounds") = py::none());
  module.def(
      "upper_limit",
      [](const ModelHandle& handle,
         const Eigen::VectorXd& data,
         double level,
         const std::vector<double>& scan,
         const std::string& test_stat,
         const std::string& calctype,
         int ntoys,
         std::uint64_t seed) {
        const hf::Model& model = Checked(handle, data, true);
        hf::UpperLimitOptions options;
        if (!(level > 0 && level < 1)) {
          throw InvalidInput("level must lie in (0, 1)");
        }
        options.level = level;
        options.scan = scan;
        options.hypotest =
            HypotestOptions(test_stat, calctype, ntoys, seed, std::nullopt);
        const std::string problems = options.Validate();
        if (!problems.empty()) throw InvalidInput(problems);
        hf::UpperLimitResult limit;
        {
          py::gil_scoped_release release;
          limit = hf::UpperLimit(model, data, options);
        }
        py::dict result;
        result["obs"] = limit.observed;
        result["exp"] =
            std::vector<double>(limit.expected.begin(), limit.expected.end());
        result["poi_bounds_widened"] = limit.poi_bounds_widened;
        result["poi_bounds_used"] = limit.poi_bounds_used;
        result["n_hypotests"] = limit.num_hypotests;
        result["level"] = level;
        result["converged"] = limit.converged;
        result["message"] = limit.message;
        result["several_minima"] = limit.several_minima;
        py::list tests;
        for (const hf::HypotestResult& test : limit.tests) {
          tests.append(HypotestDict(test));
        }
        result["tests"] = tests;
        return result;
      },
      arg("model"),
      arg("data"),
      arg("level") = 0.05,
      arg("scan") = std::vector<double>(),
      arg("test_stat") = "qtilde",
      arg("calctype") = "asymptotics",
      arg("ntoys") = 2000,
      arg("seed") = 0);
}

}  // namespace goldmine::python
