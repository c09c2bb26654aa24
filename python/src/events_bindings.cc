// goldmine.events: an events file (goldmine's or MadMiner's HDF5 layout) as
// numpy arrays and its setup (parameters, benchmarks, morphing, observables,
// systematics) as Python values.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <optional>

#include "bindings.h"
#include "goldmine/core/errors.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/sample_file.h"
#include "sample_fields.h"

namespace py = pybind11;
using py::arg;

namespace goldmine::python {
namespace {

py::dict SetupDict(const mining::MadminerSetup& setup) {
  py::list parameters;
  for (const mining::MadminerParameter& parameter : setup.parameters) {
    py::dict entry;
    entry["name"] = parameter.name;
    entry["lha_block"] = parameter.lha_block;
    entry["lha_id"] = parameter.lha_id;
    entry["max_power"] = parameter.max_power;
    entry["range"] =
        py::make_tuple(parameter.range.lower, parameter.range.upper);
    entry["transform"] = parameter.transform;
    parameters.append(entry);
  }
  py::dict benchmarks;
  benchmarks["names"] = setup.benchmarks.names;
  benchmarks["values"] = setup.benchmarks.values;
  benchmarks["is_nuisance"] = setup.benchmarks.is_nuisance;
  benchmarks["is_reference"] = setup.benchmarks.is_reference;
  py::list observables;
  for (const mining::MadminerObservable& observable : setup.observables) {
    observables.append(py::make_tuple(observable.name, observable.definition));
  }
  py::list nuisance;
  for (const auto& parameter : setup.nuisance_parameters) {
    py::dict entry;
    entry["name"] = parameter.name;
    entry["systematic"] = parameter.systematic;
    entry["benchmark_positive"] = parameter.benchmark_positive;
    entry["benchmark_negative"] = parameter.benchmark_negative;
    nuisance.append(entry);
  }
  py::list systematics;
  for (const mining::MadminerSystematic& systematic : setup.systematics) {
    py::dict entry;
    entry["name"] = systematic.name;
    entry["type"] = systematic.type;
    entry["value"] = systematic.value;
    entry["scale"] = systematic.scale;
    systematics.append(entry);
  }
  py::dict result;
  result["parameters"] = parameters;
  result["benchmarks"] = benchmarks;
  result["observables"] = observables;
  result["nuisance_parameters"] = nuisance;
  result["systematics"] = systematics;
  if (setup.morphing) {
    py::dict morphing;
    morphing["components"] = setup.morphing->components;
    morphing["morphing_matrix"] = setup.morphing->morphing_matrix;
    result["morphing"] = morphing;
  } else {
    result["morphing"] = py::none();
  }
  return result;
}

}  // namespace

void BindEvents(py::module_& module) {
  module.def(
      "read_samples",
      [](const std::string& path) {
        mining::SampleData data;
        {
          py::gil_scoped_release release;
          data = mining::ReadSamples(path);
        }
        py::dict result;
        for (const auto& [name, field] : kRowFields) {
          if ((data.*field).size() != 0) result[name] = std::move(data.*field);
        }
        result["method"] = data.method;
        result["parameters"] = data.parameters;
        result["nuisance_parameters"] = data.nuisance_parameters;
        result["observables"] = data.observables;
        result["partition"] = data.partition;
        result["seed"] = data.seed;
        result["n_eff"] = data.n_eff;
        result["theta_specs"] = data.theta_specs;
        return result;
      },
      arg("path"),
      "A samples file (goldmine augment, SampleAugmenter.sample(output=...)): "
      "its arrays and metadata.");
  module.def(
      "read_setup",
      [](const std::string& path) {
        mining::MadminerSetup setup;
        {
          py::gil_scoped_release release;
          setup = mining::ReadSetup(path);
        }
        return SetupDict(setup);
      },
      arg("path"),
      "Parameters, benchmarks, morphing, observables, nuisance parameters "
      "and systematics of an events file.");
  module.def(
      "read_events",
      [](const std::string& path,
         std::int64_t first,
         std::optional<std::int64_t> count) {
        std::optional<mining::MadminerEventsReader> reader;
        mining::MadminerEventBatch batch;
        {
          py::gil_scoped_release release;
          reader.emplace(path);
          const std::int64_t total = reader->num_events();
          if (first < 0 || first > total) {
            throw InvalidInput(path + ": first event " + std::to_string(first) +
                               " outside 0.." + std::to_string(total));
          }
          const std::int64_t n = count ? *count : total - first;
          if (n < 0 || n > total - first) {
            throw InvalidInput(path + ": " + std::to_string(n) +
                               " events from " + std::to_string(first) +
                               " exceed the file's " + std::to_string(total));
          }
          batch = reader->Read(first, n);
        }
        py::dict result = SetupDict(reader->setup());
        result["n_events"] = reader->num_events();
        result["x"] = std::move(batch.observations);
        result["weights"] = std::move(batch.weights);
        result["sampling_benchmarks"] = std::move(batch.sampling_benchmarks);
        return result;
      },
      arg("path"),
      arg("first") = 0,
      arg("count") = py::none(),
      "Observations x (events × observables), weights (events × "
      "benchmarks, pb) and sampling benchmarks of events [first, "
      "first + count), with the setup of read_setup.");
}

}  // namespace goldmine::python
