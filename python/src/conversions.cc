#include "conversions.h"

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>

#include <memory>

#include "goldmine/core/errors.h"

namespace py = pybind11;

namespace goldmine::python {

std::string ToJsonText(const py::handle& object) {
  // allow_nan=False: NaN and inf are not JSON; the library would refuse the
  // document anyway, this names the problem earlier.
  return py::module_::import("json")
      .attr("dumps")(object, py::arg("allow_nan") = false)
      .cast<std::string>();
}

py::object FromJsonText(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

py::object FromJson(const nlohmann::ordered_json& json) {
  return FromJsonText(json.dump());
}

Progress ProgressCallback(const py::object& callback) {
  if (callback.is_none()) return {};
  // The function is copied by the libraries, possibly without the GIL: it
  // holds the Python object through a shared_ptr (copies touch no Python
  // reference count) whose last owner releases it with the GIL.
  const std::shared_ptr<py::object> held(new py::object(callback),
                                         [](py::object* object) {
                                           py::gil_scoped_acquire gil;
                                           delete object;
                                         });
  return [held](std::int64_t done, std::int64_t total) {
    py::gil_scoped_acquire gil;
    (*held)(done, total);
  };
}

Eigen::VectorXd Vector(const py::handle& values, const char* what) {
  const auto array = py::array_t<double, py::array::forcecast>::ensure(values);
  if (!array || array.ndim() != 1) {
    throw InvalidInput(std::string(what) + ": expected a 1-D array of numbers");
  }
  Eigen::VectorXd vector(array.shape(0));
  for (py::ssize_t i = 0; i < array.shape(0); ++i) vector(i) = array.at(i);
  return vector;
}

}  // namespace goldmine::python
