// goldmine.fisher: the Fisher information of `goldmine fisher` (truth, rate,
// histogram, sally, mem) as the CLI's JSON document (mining::
// FisherResultJson, through ToPython), and MadMiner's profile_information /
// project_information.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "conversions.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/finite_result.h"
#include "goldmine/mem/mem_fisher.h"
#include "goldmine/mining/fisher_information.h"
#include "goldmine/mining/fisher_result_json.h"

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
  if (py::isinstance<py::bool_>(bins) || bins.is_none()) {
    throw InvalidInput(key + ": expected a bin count or the bin edges");
  }
  if (py::isinstance<py::int_>(bins)) {
    const long long count = bins.cast<long long>();
    constexpr long long kMaxBins = 1000000;
    if (count < 1 || count > kMaxBins) {
      throw InvalidInput(key + " " + std::to_string(count) +
                         ": expected a count from 1 to 10^6");
    }
    binning.num_bins = static_cast<int>(count);
    if (!range.is_none()) {
      std::pair<double, double> pair;
      try {
        pair = range.cast<std::pair<double, double>>();
      } catch (const py::cast_error&) {
        throw InvalidInput(key + " range: expected (lo, hi)");
      }
      if (!(pair.first < pair.second)) {
        throw InvalidInput(key + " range: expected (lo, hi) with lo < hi");
      }
      binning.range = pair;
    }
    return binning;
  }
  try {
    binning.edges = bins.cast<std::vector<double>>();
  } catch (const py::cast_error&) {
    throw InvalidInput(key + ": expected a bin count or a list of edges");
  }
  for (std::size_t i = 0; i < binning.edges.size(); ++i) {
    if (!std::isfinite(binning.edges[i])) {
      throw InvalidInput(key +
                         ": edges must be finite (the outer bins are "
                         "added)");
    }
    if (i > 0 && !(binning.edges[i - 1] < binning.edges[i])) {
      throw InvalidInput(key + ": edges must increase");
    }
  }
  return binning;
}

// Runs `compute` without the GIL and returns the result as the CLI's JSON
// document; a result that is not finite raises InvalidInput, as the CLI
// exits with 2.
template <typename Compute>
py::object Run(const FisherCalculator& self,
               const Eigen::VectorXd& theta,
               Compute compute) {
  if (theta.size() != self.fisher->num_parameters()) {
    throw InvalidInput("theta: expected " +
                       std::to_string(self.fisher->num_parameters()) +
                       " values, one per parameter of " + self.path);
  }
  nlohmann::ordered_json json;
  {
    py::gil_scoped_release release;
    const FisherResult result = compute(*self.fisher);
    json = mining::FisherResultJson(result, theta, self.luminosity);
    core::RequireFiniteResult(json, self.path);
  }
  return ToPython(json);
}

// A finite information matrix; the library checks its shape and the
// component indices.
const Eigen::MatrixXd& Finite(const Eigen::MatrixXd& information) {
  if (!information.allFinite()) {
    throw InvalidInput("fisher_information: expected finite numbers");
  }
  return information;
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
        return mining::ProfileInformation(Finite(information), remaining);
      },
      arg("fisher_information"),
      arg("remaining_components"),
      "I_rr − I_ro I_oo⁻¹ I_or: the information on the remaining components "
      "with the others profiled (MadMiner's profile_information).");
  module.def(
      "project_information",
      [](const Eigen::MatrixXd& information,
         const std::vector<int>& remaining) {
        return mining::ProjectInformation(Finite(information), remaining);
      },
      arg("fisher_information"),
      arg("remaining_components"),
      "The sub-matrix of the remaining components (MadMiner's "
      "project_information).");
}

}  // namespace goldmine::python
