// goldmine.fisher: the Fisher information of `goldmine fisher` (truth, rate,
// histogram, sally, mem) with the same result keys as the CLI's JSON, and
// MadMiner's profile_information / project_information.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "goldmine/core/errors.h"
#include "goldmine/mem/mem_fisher.h"
#include "goldmine/mining/fisher_information.h"
#include "goldmine/mining/fisher_uncertainty.h"

namespace py = pybind11;
using py::arg;

namespace goldmine::python {
namespace {

using mining::FisherResult;

struct FisherCalculator {
  std::string path;
  double luminosity = 0.0;
  std::unique_ptr<mining::FisherInformation> fisher;
};

// bins: a count (dynamic quantiles, or equal bins in `range`) or the edges,
// as `fisher --bins N | E0,E1,...`.
mining::HistogramBinning Binning(const py::object& bins,
                                 const py::object& range,
                                 const std::string& key) {
  mining::HistogramBinning binning;
  if (py::isinstance<py::int_>(bins)) {
    binning.num_bins = bins.cast<int>();
    if (binning.num_bins < 1) throw InvalidInput(key + ": expected >= 1 bin");
    if (!range.is_none()) {
      const auto pair = range.cast<std::pair<double, double>>();
      if (!(pair.first < pair.second)) {
        throw InvalidInput(key + " range: expected (lo, hi) with lo < hi");
      }
      binning.range = pair;
    }
    return binning;
  }
  binning.edges = bins.cast<std::vector<double>>();
  for (std::size_t i = 1; i < binning.edges.size(); ++i) {
    if (!(binning.edges[i - 1] < binning.edges[i])) {
      throw InvalidInput(key + ": edges must increase");
    }
  }
  return binning;
}

// The covariance as the CLI prints it: n² × n², row (i, j), column (k, l).
Eigen::MatrixXd Covariance(const FisherResult& result) {
  const Eigen::Index n = result.information.rows();
  Eigen::MatrixXd covariance(n * n, n * n);
  for (Eigen::Index ij = 0; ij < n * n; ++ij) {
    const Eigen::MatrixXd& block =
        result.covariance[static_cast<std::size_t>(ij)];
    for (Eigen::Index k = 0; k < n; ++k) {
      for (Eigen::Index l = 0; l < n; ++l) {
        covariance(ij, k * n + l) = block(k, l);
      }
    }
  }
  return covariance;
}

// The keys of `goldmine fisher`'s JSON, with numpy arrays for matrices.
py::dict ResultDict(const FisherResult& result,
                    const Eigen::VectorXd& theta,
                    double luminosity) {
  py::dict json;
  json["fisher_information"] = result.information;
  if (!result.covariance.empty()) json["covariance"] = Covariance(result);
  json["parameters"] = result.parameters;
  if (result.information_uncertainty.size() != 0) {
    json["fisher_information_uncertainty"] = result.information_uncertainty;
  }
  if (result.information_mc_covariance.size() != 0) {
    json["fisher_information_mc_covariance"] = result.information_mc_covariance;
  }
  json["effective_number_of_events"] = result.effective_number_of_events;
  json["expected_number_of_events"] = result.expected_number_of_events;
  if (result.largest_event_fraction.size() != 0) {
    json["largest_event_fraction"] = result.largest_event_fraction;
  }
  if (result.truth_information.size() != 0) {
    json["truth_information_same_events"] = result.truth_information;
    json["truth_difference_uncertainty"] = result.truth_difference_uncertainty;
    json["exceeds_truth"] = mining::ExceedsTruth(result);
    if (result.truth_excess) {
      py::dict excess;
      excess["direction"] = result.truth_excess->direction;
      excess["ratio"] = result.truth_excess->ratio;
      excess["excess"] = result.truth_excess->excess;
      excess["uncertainty"] = result.truth_excess->uncertainty;
      excess["exceeds_truth"] = mining::ExceedsTruthInSomeDirection(result);
      json["truth_excess"] = excess;
    }
  }
  if (result.reference_information.size() != 0) {
    json["mem_information_same_events"] = result.reference_information;
    json["mem_information_uncertainty"] = result.reference_uncertainty;
    json["mem_difference_uncertainty"] =
        result.reference_difference_uncertainty;
    std::vector<double> fractions, errors;
    for (Eigen::Index i = 0; i < result.information.rows(); ++i) {
      const mining::Fraction fraction = mining::FractionOfReference(result, i);
      fractions.push_back(fraction.value);
      errors.push_back(fraction.uncertainty);
    }
    json["fraction_of_mem"] = fractions;
    json["fraction_of_mem_uncertainty"] = errors;
  }
  if (result.ensemble_uncertainty.size() != 0) {
    json["fisher_information_ensemble_uncertainty"] =
        result.ensemble_uncertainty;
  }
  json["warnings"] = mining::FisherWarnings(result);
  json["theta"] = theta;
  json["luminosity"] = luminosity;
  if (!result.boundaries.empty()) json["bin_boundaries"] = result.boundaries;
  if (!result.histogram_edges.empty()) {
    json["histogram_edges"] = result.histogram_edges;
  }
  return json;
}

// Runs `compute` without the GIL and returns the result dict.
template <typename Compute>
py::dict Run(const FisherCalculator& self,
             const Eigen::VectorXd& theta,
             Compute compute) {
  if (theta.size() != self.fisher->num_parameters()) {
    throw InvalidInput("theta: expected " +
                       std::to_string(self.fisher->num_parameters()) +
                       " values, one per parameter of " + self.path);
  }
  FisherResult result;
  {
    py::gil_scoped_release release;
    result = compute(*self.fisher);
  }
  return ResultDict(result, theta, self.luminosity);
}

std::vector<int> Components(const std::vector<int>& remaining,
                            Eigen::Index size) {
  for (int component : remaining) {
    if (component < 0 || component >= size) {
      throw InvalidInput("remaining_components: " + std::to_string(component) +
                         " is not a component of a " + std::to_string(size) +
                         " x " + std::to_string(size) + " information");
    }
  }
  return remaining;
}

}  // namespace

void BindFisher(py::module_& module) {
  using Calculator = FisherCalculator;
  using mining::FisherInformation;
  py::class_<Calculator>(module,
                         "FisherInformation",
                         "Fisher information of an events file "
                         "(`goldmine fisher`).")
      .def(py::init([](const std::string& path,
                       double luminosity,
                       std::vector<std::string> cuts,
                       std::vector<std::string> efficiencies,
                       bool include_nuisance_parameters,
                       int threads) {
             mining::FisherOptions options;
             options.luminosity = luminosity;
             options.cuts = std::move(cuts);
             options.efficiencies = std::move(efficiencies);
             options.include_nuisance_parameters = include_nuisance_parameters;
             if (threads < 1 || threads > 256) {
               throw InvalidInput("threads " + std::to_string(threads) +
                                  ": expected a count from 1 to 256");
             }
             options.threads = threads;
             py::gil_scoped_release release;
             return Calculator{
                 path,
                 luminosity,
                 std::make_unique<FisherInformation>(path, options)};
           }),
           arg("path"),
           arg("luminosity") = 300000.0,
           arg("cuts") = std::vector<std::string>(),
           arg("efficiencies") = std::vector<std::string>(),
           arg("include_nuisance_parameters") = true,
           arg("threads") = 1)
      .def_readonly("path", &Calculator::path)
      .def_property_readonly(
          "n_parameters",
          [](const Calculator& self) { return self.fisher->num_parameters(); })
      .def(
          "truth",
          [](const Calculator& self, const Eigen::VectorXd& theta) {
            return Run(self, theta, [&](const FisherInformation& fisher) {
              return fisher.Truth(theta);
            });
          },
          arg("theta"))
      .def(
          "rate",
          [](const Calculator& self, const Eigen::VectorXd& theta) {
            return Run(self, theta, [&](const FisherInformation& fisher) {
              return fisher.Rate(theta);
            });
          },
          arg("theta"))
      .def(
          "histogram",
          [](const Calculator& self,
             const Eigen::VectorXd& theta,
             const std::string& observable,
             const py::object& bins,
             const py::object& histrange,
             const std::optional<std::string>& observable2,
             const py::object& bins2,
             const py::object& histrange2) {
            const mining::HistogramBinning binning =
                Binning(bins, histrange, "bins");
            std::optional<mining::HistogramBinning> binning2;
            if (observable2) binning2 = Binning(bins2, histrange2, "bins2");
            return Run(self, theta, [&](const FisherInformation& fisher) {
              return observable2 ? fisher.Histogram2D(theta,
                                                      observable,
                                                      binning,
                                                      *observable2,
                                                      *binning2)
                                 : fisher.Histogram(theta, observable, binning);
            });
          },
          arg("theta"),
          arg("observable"),
          arg("bins"),
          arg("histrange") = py::none(),
          arg("observable2") = py::none(),
          arg("bins2") = py::none(),
          arg("histrange2") = py::none())
      .def(
          "sally",
          [](const Calculator& self,
             const Eigen::VectorXd& theta,
             const core::ScoreModel& model,
             const std::string& partition,
             bool include_xsec_info) {
            return Run(self, theta, [&](const FisherInformation& fisher) {
              return fisher.Score(theta, model, partition, include_xsec_info);
            });
          },
          arg("theta"),
          arg("model"),
          arg("partition") = "test",
          arg("include_xsec_info") = true)
      .def(
          "mem",
          [](const Calculator& self,
             const Eigen::VectorXd& theta,
             const std::string& mem_path,
             const std::string& partition,
             bool include_xsec_info) {
            return Run(self, theta, [&](const FisherInformation& fisher) {
              return mem::MemFisherInformation(fisher,
                                               self.path,
                                               mem_path,
                                               theta,
                                               partition,
                                               include_xsec_info);
            });
          },
          arg("theta"),
          arg("mem"),
          arg("partition") = "all",
          arg("include_xsec_info") = true);
  module.def(
      "profile_information",
      [](const Eigen::MatrixXd& information,
         const std::vector<int>& remaining) {
        return mining::ProfileInformation(
            information, Components(remaining, information.rows()));
      },
      arg("fisher_information"),
      arg("remaining_components"),
      "I_rr − I_ro I_oo⁻¹ I_or: the information on the remaining components "
      "with the others profiled (MadMiner's profile_information).");
  module.def(
      "project_information",
      [](const Eigen::MatrixXd& information,
         const std::vector<int>& remaining) {
        return mining::ProjectInformation(
            information, Components(remaining, information.rows()));
      },
      arg("fisher_information"),
      arg("remaining_components"),
      "The sub-matrix of the remaining components (MadMiner's "
      "project_information).");
}

}  // namespace goldmine::python
