// Conversions between Python objects and goldmine's C++ vocabulary that
// pybind11 does not provide: JSON documents (dict <-> nlohmann::json, through
// Python's json module so that floats round-trip exactly), progress
// callbacks called from C++ with the GIL held, and std::vector<bool>.
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
// JSON text as Python objects (dict, list, float, ...).
pybind11::object FromJsonText(const std::string& text);
pybind11::object FromJson(const nlohmann::ordered_json& json);

// progress(done, total) from any C++ thread: takes the GIL for the call.
// None gives an empty function. A Python exception raised by the callback
// (KeyboardInterrupt included) propagates out of the C++ call.
using Progress = std::function<void(std::int64_t done, std::int64_t total)>;
Progress ProgressCallback(const pybind11::object& callback);

// A 1-D array of numbers as a vector (copied; small inputs only).
Eigen::VectorXd Vector(const pybind11::handle& values, const char* what);

}  // namespace goldmine::python
