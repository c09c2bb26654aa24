// goldmine.augmentation: cross sections and the six sampling methods of
// `goldmine augment` on an events file, returning numpy arrays or writing a
// samples file (streamed, memory flat in the sample size) as the CLI does.
// The same request gives the CLI's samples row for row: both go through
// mining::StreamSample.
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "conversions.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/mining/augmenter.h"
#include "goldmine/mining/sample_file.h"
#include "goldmine/mining/sample_request.h"
#include "sample_fields.h"

namespace py = pybind11;
using py::arg;

namespace goldmine::python {
namespace {

using mining::Augmenter;
using mining::SampleData;
using mining::ThetaPoints;

// An events file opened for sampling; the path names it in messages.
struct EventsSampler {
  std::string path;
  std::unique_ptr<Augmenter> augmenter;
};

// A θ argument: a specification string (the CLI's grammar) or numbers, one
// point (1-D) or one point per row (2-D).
struct ThetaArgument {
  std::optional<std::string> spec;
  std::optional<ThetaPoints> points;
};

std::string PointSpec(const double* values, Eigen::Index count) {
  std::string spec = "point:";
  for (Eigen::Index i = 0; i < count; ++i) {
    char number[32];
    // %.17g round-trips every double exactly through strtod.
    std::snprintf(number, sizeof number, "%.17g", values[i]);
    spec += (i == 0 ? "" : ",") + std::string(number);
  }
  return spec;
}

ThetaArgument ToTheta(const Augmenter& augmenter,
                      const py::object& value,
                      const std::string& key,
                      const std::string& nuisance) {
  ThetaArgument theta;
  if (value.is_none()) return theta;
  if (py::isinstance<py::str>(value)) {
    theta.spec = value.cast<std::string>();
    return theta;
  }
  const auto array =
      py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(
          value);
  if (!array || (array.ndim() != 1 && array.ndim() != 2)) {
    throw InvalidInput(key +
                       ": expected a specification string, one point (1-D "
                       "numbers) or points (2-D, one per row)");
  }
  if (array.ndim() == 1) {
    // One point: the same specification as the CLI's --theta V1,V2.
    theta.spec = PointSpec(array.data(), array.shape(0));
    return theta;
  }
  if (array.shape(0) == 0 || array.shape(1) == 0) {
    throw InvalidInput(key + ": expected at least one point of " +
                       std::to_string(augmenter.num_parameters()) + " values");
  }
  // Several points: each row as a point specification, so that benchmark
  // points of a file without morphing are recognised as the CLI does.
  RandomStream unused(0);
  ThetaPoints points;
  for (py::ssize_t row = 0; row < array.shape(0); ++row) {
    points.Append(augmenter.ParseTheta(
        PointSpec(array.data(row, 0), array.shape(1)), unused, nuisance));
  }
  if (points.size() == 0) throw InvalidInput(key + ": no points");
  theta.points = points;
  return theta;
}

// Rows of pieces stacked into one matrix (empty when the pieces are).
Eigen::MatrixXd Stack(const std::vector<SampleData>& pieces,
                      Eigen::MatrixXd SampleData::*field) {
  Eigen::Index rows = 0;
  Eigen::Index cols = 0;
  for (const SampleData& piece : pieces) {
    rows += (piece.*field).rows();
    cols = (piece.*field).cols();
  }
  Eigen::MatrixXd stacked(rows, cols);
  Eigen::Index row = 0;
  for (const SampleData& piece : pieces) {
    const Eigen::MatrixXd& part = piece.*field;
    stacked.middleRows(row, part.rows()) = part;
    row += part.rows();
  }
  return stacked;
}

py::dict Summary(const SampleData& header, std::int64_t num_samples) {
  py::dict summary;
  summary["method"] = header.method;
  summary["n_samples"] = num_samples;
  summary["n_eff"] = header.n_eff;
  summary["partition"] = header.partition;
  summary["seed"] = header.seed;
  summary["parameters"] = header.parameters;
  summary["nuisance_parameters"] = header.nuisance_parameters;
  summary["observables"] = header.observables;
  summary["theta_specs"] = header.theta_specs;
  return summary;
}

py::dict Sample(const EventsSampler& sampler,
                const std::string& method,
                std::int64_t n_samples,
                std::uint64_t seed,
                const std::string& partition,
                const py::object& theta,
                const py::object& theta0,
                const py::object& theta1,
                const py::object& additional_theta,
                const std::string& nuisance,
                const std::optional<std::string>& output,
                bool float32,
                const py::object& progress) {
  const Augmenter& augmenter = *sampler.augmenter;
  mining::SampleRequest request;
  request.method = method;
  request.n_samples = n_samples;
  request.seed = seed;
  request.partition = partition;
  request.nuisance = nuisance;
  for (auto [value, key, spec, points] :
       {std::make_tuple(&theta, "theta", &request.theta, &request.theta_points),
        std::make_tuple(
            &theta0, "theta0", &request.theta0, &request.theta0_points),
        std::make_tuple(
            &theta1, "theta1", &request.theta1, &request.theta1_points),
        std::make_tuple(&additional_theta,
                        "additional_theta",
                        &request.additional_theta,
                        &request.additional_theta_points)}) {
    ThetaArgument argument = ToTheta(augmenter, *value, key, nuisance);
    *spec = argument.spec;
    *points = argument.points;
  }
  constexpr std::int64_t kMaxSamples = 100000000;
  if (n_samples <= 0 || n_samples > kMaxSamples) {
    throw InvalidInput("n_samples " + std::to_string(n_samples) +
                       ": expected a count from 1 to 10^8");
  }
  const Progress report = ProgressCallback(progress);
  mining::SampleFileOptions file_options;
  file_options.double_precision = !float32;
  std::optional<mining::SampleFileWriter> writer;
  std::vector<SampleData> pieces;
  std::int64_t done = 0;
  SampleData header;
  {
    py::gil_scoped_release release;
    header = mining::StreamSample(augmenter, request, [&](SampleData& piece) {
      piece.Validate();
      if (done == 0 && !std::isfinite(piece.n_eff)) {
        throw InvalidInput(sampler.path +
                           ": the augmented samples have no finite "
                           "effective size (n_eff " +
                           std::to_string(piece.n_eff) + ")");
      }
      done += piece.num_samples();
      if (output) {
        // As `goldmine augment` without --npy-folder: the file is written
        // piece by piece, never held whole.
        if (!writer) writer.emplace(*output, piece, file_options);
        writer->Append(piece);
      } else {
        pieces.push_back(std::move(piece));
      }
      // MadMiner's rounding of the draws per θ point can make the sample
      // a few rows longer or shorter than n_samples.
      if (report) report(done, std::max(done, n_samples));
    });
    if (writer) writer->Finish();
  }
  if (report && done != n_samples) report(done, done);
  py::dict result = Summary(header, done);
  if (output) {
    result["output"] = *output;
    return result;
  }
  for (const auto& [name, field] : kRowFields) {
    Eigen::MatrixXd stacked = Stack(pieces, field);
    if (stacked.size() == 0) continue;
    result[name] = std::move(stacked);
  }
  return result;
}

// A property of the sampler's augmenter.
template <typename Result>
auto Of(Result (Augmenter::*getter)() const) {
  return [getter](const EventsSampler& self) {
    return ((*self.augmenter).*getter)();
  };
}

}  // namespace

void BindAugmentation(py::module_& module) {
  py::class_<EventsSampler>(module,
                            "Augmenter",
                            "An events file opened for cross sections and "
                            "sampling (MadMiner's SampleAugmenter).")
      .def(py::init([](const std::string& path,
                       bool madminer_partitions,
                       bool sample_only_from_closest_benchmark,
                       double test_split,
                       double validation_split,
                       int threads) {
             mining::AugmenterOptions options;
             options.madminer_partitions = madminer_partitions;
             options.sample_only_from_closest_benchmark =
                 sample_only_from_closest_benchmark;
             options.test_split = test_split;
             options.validation_split = validation_split;
             if (threads < 1 || threads > 256) {
               throw InvalidInput("threads " + std::to_string(threads) +
                                  ": expected a count from 1 to 256");
             }
             options.threads = threads;
             py::gil_scoped_release release;
             return EventsSampler{path,
                                  std::make_unique<Augmenter>(path, options)};
           }),
           arg("path"),
           arg("madminer_partitions") = false,
           arg("sample_only_from_closest_benchmark") = true,
           arg("test_split") = 0.2,
           arg("validation_split") = 0.2,
           arg("threads") = 1)
      .def_readonly("path", &EventsSampler::path)
      .def_property_readonly("n_events", Of(&Augmenter::num_events))
      .def_property_readonly("parameter_names", Of(&Augmenter::parameter_names))
      .def_property_readonly("nuisance_parameter_names",
                             Of(&Augmenter::nuisance_parameter_names))
      .def_property_readonly("observable_names",
                             Of(&Augmenter::observable_names))
      .def(
          "cross_sections",
          [](const EventsSampler& sampler,
             const py::object& theta,
             const std::string& partition,
             std::uint64_t seed) {
            const Augmenter& self = *sampler.augmenter;
            ThetaArgument argument = ToTheta(self, theta, "theta", "nominal");
            ThetaPoints points;
            if (argument.points) {
              points = *argument.points;
            } else if (argument.spec) {
              // The stream of `goldmine xsec --seed S` for random points.
              RandomStream random(seed);
              points = self.ParseTheta(*argument.spec, random);
            } else {
              throw InvalidInput("theta is required");
            }
            mining::CrossSections xsec;
            {
              py::gil_scoped_release release;
              xsec = self.ComputeCrossSections(points, partition);
            }
            // As `goldmine xsec`: a θ whose morphing weights overflow gives
            // no number, not a NaN.
            if (!xsec.xsec.allFinite() || !xsec.uncertainty.allFinite() ||
                !xsec.gradient.allFinite()) {
              throw InvalidInput(sampler.path +
                                 ": the cross section is not finite at these "
                                 "theta points; expected points where the "
                                 "morphing is defined");
            }
            py::dict result;
            result["thetas"] = std::move(xsec.thetas);
            result["xsec"] = std::move(xsec.xsec);
            result["xsec_uncertainty"] = std::move(xsec.uncertainty);
            result["xsec_gradient"] = std::move(xsec.gradient);
            result["parameters"] = self.parameter_names();
            std::vector<std::string> gradient_names = self.parameter_names();
            for (const std::string& name : self.nuisance_parameter_names()) {
              gradient_names.push_back(name);
            }
            result["xsec_gradient_parameters"] = gradient_names;
            result["partition"] = partition;
            return result;
          },
          arg("theta"),
          arg("partition") = "all",
          arg("seed") = 0,
          "σ (pb), its MC uncertainty and gradient, as `goldmine xsec`.")
      .def("sample",
           &Sample,
           arg("method"),
           arg("n_samples"),
           arg("seed"),
           arg("partition"),
           arg("theta") = py::none(),
           arg("theta0") = py::none(),
           arg("theta1") = py::none(),
           arg("additional_theta") = py::none(),
           arg("nuisance") = "nominal",
           arg("output") = py::none(),
           arg("float32") = false,
           arg("progress") = py::none(),
           "`goldmine augment METHOD`: arrays x, theta0, theta1, y, r_xz, "
           "t_xz, t_xz1 (those the method fills) and n_eff; with `output` "
           "the samples file is written instead, piece by piece.");
  module.def(
      "export_npy",
      [](const py::dict& sample,
         const std::string& folder,
         const std::string& suffix,
         bool float32) {
        SampleData data;
        for (const auto& [name, field] : kRowFields) {
          if (sample.contains(name)) {
            data.*field = sample[name].cast<Eigen::MatrixXd>();
          }
        }
        data.method = sample["method"].cast<std::string>();
        data.parameters = sample["parameters"].cast<std::vector<std::string>>();
        data.nuisance_parameters =
            sample["nuisance_parameters"].cast<std::vector<std::string>>();
        data.observables =
            sample["observables"].cast<std::vector<std::string>>();
        data.partition = sample["partition"].cast<std::string>();
        data.Validate();
        std::vector<std::string> paths;
        for (const auto& path :
             mining::ExportNpy(data, folder, suffix, !float32)) {
          paths.push_back(path.string());
        }
        return paths;
      },
      arg("sample"),
      arg("folder"),
      arg("suffix"),
      arg("float32") = true,
      "MadMiner's .npy files (x_SUFFIX.npy, theta0_SUFFIX.npy, ...) of a "
      "sample returned by Augmenter.sample.");
}

}  // namespace goldmine::python
