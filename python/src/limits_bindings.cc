// goldmine.limits: the asymptotic limits of `goldmine limits` (rate, histo,
// sally, adaptive-sally, sallino, ml, mem) on a θ grid, as the CLI's JSON
// document (inference::LimitResultJson, through ToPython; without
// --systematics, --chunk and --join, which stay CLI workflows). Observed
// data come from an events file, as --observed.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "conversions.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/finite_result.h"
#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/score_model.h"
#include "goldmine/inference/limits/asymptotic_limits.h"
#include "goldmine/inference/limits/limit_result_json.h"
#include "goldmine/inference/limits/stxs_binning.h"
#include "goldmine/inference/limits/theta_grid.h"
#include "goldmine/mem/mem_ratio_model.h"

namespace py = pybind11;
using py::arg;

namespace goldmine::python {
namespace {

struct LimitsCalculator {
  std::string path;
  bool madminer = false;
  bool asimov_from_templates = true;
  std::unique_ptr<inference::AsymptoticLimits> limits;
};

// Returns the CLI's JSON document; a result that is not finite raises
// InvalidInput, as the CLI exits with 2.
py::object Compute(
    const LimitsCalculator& self,
    const std::string& method_name,
    const std::string& grid_text,
    const std::optional<Eigen::VectorXd>& theta_true_given,
    const std::optional<std::string>& observed,
    const std::string& observed_weights,
    const std::vector<std::string>& observables,
    const std::optional<std::string>& binning,
    std::shared_ptr<core::ScoreModel> score_model,
    std::shared_ptr<core::LikelihoodRatioModel> ratio_model,
    const std::optional<std::string>& mem,
    const std::vector<int>& score_components,
    const std::optional<Eigen::VectorXd>& theta_ref,
    const std::map<std::string, double>& fix,
    const std::map<std::string, std::pair<double, double>>& profile) {
  const inference::LimitMethod method =
      inference::ParseLimitMethod(method_name);
  const inference::ThetaGrid grid = inference::ThetaGrid::Parse(grid_text);
  const int num_parameters =
      static_cast<int>(self.limits->parameter_names().size());
  if (method == inference::LimitMethod::kMem) {
    if (!mem) throw InvalidInput("limits method mem needs mem (a MEM file)");
    ratio_model = std::make_shared<mem::MemRatioModel>(self.path, *mem);
  }
  if (inference::NeedsScoreModel(method) && !score_model) {
    throw InvalidInput("limits method " + method_name +
                       " needs score_model (goldmine.estimators.load)");
  }
  if (method == inference::LimitMethod::kMl && !ratio_model) {
    throw InvalidInput("limits method ml needs ratio_model");
  }
  if (method == inference::LimitMethod::kHisto && observables.empty()) {
    throw InvalidInput("limits method histo needs observables");
  }
  inference::KinematicSetup kinematics;
  kinematics.method = method;
  kinematics.observables = observables;
  if (binning) kinematics.binning = inference::ParseBinning(*binning);
  kinematics.score_components = score_components;
  if (theta_ref) kinematics.theta_ref = *theta_ref;
  kinematics.score_model = score_model.get();
  kinematics.ratio_model = ratio_model.get();
  Eigen::VectorXd theta_true = Eigen::VectorXd::Zero(num_parameters);
  if (theta_true_given) {
    if (theta_true_given->size() != num_parameters) {
      throw InvalidInput("theta_true: expected " +
                         std::to_string(num_parameters) +
                         " values, one per parameter of " + self.path);
    }
    theta_true = *theta_true_given;
  }
  inference::OtherParameters others;
  others.fixed = fix;
  others.profiled = profile;
  nlohmann::ordered_json json;
  {
    py::gil_scoped_release release;
    const inference::ObservedData data =
        observed
            ? inference::ObservedEventsFile(*observed,
                                            self.limits->observable_names(),
                                            observed_weights,
                                            self.limits->options().luminosity)
            : self.limits->Asimov(theta_true);
    const inference::LimitResult result =
        self.limits->Compute(kinematics, grid, data, others);
    inference::LimitJsonContext context;
    context.method = method;
    context.luminosity = self.limits->options().luminosity;
    context.include_xsec = self.limits->options().include_xsec;
    context.observed = observed.has_value();
    context.theta_true = theta_true;
    context.asimov_from = self.asimov_from_templates ? "templates" : "test";
    context.conventions = self.madminer ? "madminer" : "goldmine";
    if (!observed) {
      context.best_fit_at_theta_true =
          inference::AsimovBestFitAtTruth(grid, result, theta_true, others);
    }
    json = inference::LimitResultJson(result, grid, context);
    core::RequireFiniteResult(json, self.path);
  }
  return ToPython(json);
}

}  // namespace

void BindLimits(py::module_& module) {
  using Calculator = LimitsCalculator;
  py::class_<Calculator>(module,
                         "AsymptoticLimits",
                         "Asymptotic limits on a θ grid from an events file "
                         "(`goldmine limits`).")
      .def(py::init([](const std::string& path,
                       double luminosity,
                       bool include_xsec,
                       double test_split,
                       bool madminer,
                       const std::optional<std::string>& asimov_from,
                       const std::optional<Eigen::VectorXd>& binning_theta,
                       bool fill_overflow,
                       bool information_binning,
                       int dof,
                       int threads,
                       const py::object& progress) {
             inference::LimitOptions options;
             options.luminosity = luminosity;
             options.include_xsec = include_xsec;
             options.test_split = test_split;
             const std::string from =
                 asimov_from ? *asimov_from : (madminer ? "test" : "templates");
             if (from != "test" && from != "templates") {
               throw InvalidInput("asimov_from " + from +
                                  ": expected test or templates");
             }
             options.asimov_from_templates = from == "templates";
             // goldmine's conventions unless madminer, as the CLI's
             // --madminer: overflow bins, partitions without skipped events.
             options.overflow_bins = !madminer;
             options.madminer_partitions = madminer;
             if (!madminer && binning_theta) {
               options.binning_theta = *binning_theta;
             }
             options.fill_overflow = fill_overflow;
             options.information_binning = information_binning;
             if (dof < 0) throw InvalidInput("dof must be >= 0");
             options.dof = dof;
             if (threads < 1) throw InvalidInput("threads: expected >= 1");
             options.threads = threads;
             const Progress report = ProgressCallback(progress);
             if (report) {
               options.progress = [report](Eigen::Index done,
                                           Eigen::Index total) {
                 report(done, total);
               };
             }
             py::gil_scoped_release release;
             return Calculator{
                 path,
                 madminer,
                 options.asimov_from_templates,
                 std::make_unique<inference::AsymptoticLimits>(path, options)};
           }),
           arg("path"),
           arg("luminosity") = 300000.0,
           arg("include_xsec") = true,
           arg("test_split") = 0.2,
           arg("madminer") = false,
           arg("asimov_from") = py::none(),
           arg("binning_theta") = py::none(),
           arg("fill_overflow") = false,
           arg("information_binning") = false,
           arg("dof") = 0,
           arg("threads") = 1,
           arg("progress") = py::none())
      .def_readonly("path", &Calculator::path)
      .def_property_readonly(
          "parameter_names",
          [](const Calculator& self) { return self.limits->parameter_names(); })
      .def_property_readonly("observable_names",
                             [](const Calculator& self) {
                               return self.limits->observable_names();
                             })
      .def("compute",
           &Compute,
           arg("method"),
           arg("grid"),
           arg("theta_true") = py::none(),
           arg("observed") = py::none(),
           arg("observed_weights") = "",
           arg("observables") = std::vector<std::string>(),
           arg("binning") = py::none(),
           arg("score_model") = nullptr,
           arg("ratio_model") = nullptr,
           arg("mem") = py::none(),
           arg("score_components") = std::vector<int>(),
           arg("theta_ref") = py::none(),
           arg("fix") = std::map<std::string, double>(),
           arg("profile") = std::map<std::string, std::pair<double, double>>(),
           "`goldmine limits --method METHOD --grid GRID ...`: the keys of "
           "its JSON (grid, minus_two_delta_log_l, p_values, best_fit, "
           "intervals, ...). grid: NAME:LO:HI:N,...; binning: the --binning "
           "text.");
}

}  // namespace goldmine::python
