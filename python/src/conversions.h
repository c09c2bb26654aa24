// Conversions between Python objects and goldmine's C++ vocabulary that
// pybind11 does not provide: JSON documents (a dict to nlohmann::json through
// Python's json module, so that floats round-trip exactly; nlohmann::json to
// Python objects directly), progress callbacks called from C++ with the GIL
// held, and std::vector<bool>.
#pragma once

#include <pybind11/pybind11.h>

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace goldmine::python {

// A JSON-serialisable Python object (dict, list, numbers, str) as JSON text.
std::string ToJsonText(const pybind11::handle& object);

// A result document of the libraries (mining::FisherResultJson,
// inference::LimitResultJson, ...) as Python objects, the keys of the CLI's
// JSON with numpy arrays for its vectors and matrices: objects become dicts
// (key order kept), arrays of numbers 1-D numpy arrays, arrays of
// equal-length arrays of numbers 2-D numpy arrays (C order; float64, or
// int64 when every element is an integer), empty and other arrays lists,
// numbers float or int, null None. The values are copied from the document
// as they are, without JSON text in between: NaN stays NaN.
pybind11::object ToPython(const nlohmann::ordered_json& json);

// progress(done, total) from any C++ thread: takes the GIL for the call.
// None gives an empty function. A Python exception raised by the callback
// (KeyboardInterrupt included) propagates out of the C++ call.
using Progress = std::function<void(std::int64_t done, std::int64_t total)>;
Progress ProgressCallback(const pybind11::object& callback);

}  // namespace goldmine::python
