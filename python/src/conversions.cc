#include "conversions.h"

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "goldmine/core/errors.h"

namespace py = pybind11;

namespace goldmine::python {

namespace {

using Json = nlohmann::ordered_json;

// How an array's numbers go to numpy: kNone when one element is not a number
// (a boolean is not) or an integer does not fit in int64.
enum class NumberKind { kNone, kInteger, kFloat };

NumberKind Combine(NumberKind a, NumberKind b) {
  if (a == NumberKind::kNone || b == NumberKind::kNone)
    return NumberKind::kNone;
  return a == NumberKind::kFloat || b == NumberKind::kFloat
             ? NumberKind::kFloat
             : NumberKind::kInteger;
}

// The kind of a non-empty array of numbers (kNone otherwise).
NumberKind NumbersKind(const Json& array) {
  if (array.empty()) return NumberKind::kNone;
  NumberKind kind = NumberKind::kInteger;
  for (const Json& value : array) {
    if (value.is_number_float()) {
      kind = Combine(kind, NumberKind::kFloat);
    } else if (value.is_number_integer() &&
               (!value.is_number_unsigned() ||
                value.get<std::uint64_t>() <=
                    static_cast<std::uint64_t>(
                        std::numeric_limits<std::int64_t>::max()))) {
      kind = Combine(kind, NumberKind::kInteger);
    } else {
      return NumberKind::kNone;
    }
  }
  return kind;
}

// The kind of a non-empty array of non-empty arrays of numbers, all of the
// same length (kNone otherwise).
NumberKind RowsKind(const Json& array) {
  if (array.empty() || !array.front().is_array()) return NumberKind::kNone;
  const std::size_t columns = array.front().size();
  NumberKind kind = NumberKind::kInteger;
  for (const Json& row : array) {
    if (!row.is_array() || row.size() != columns) return NumberKind::kNone;
    kind = Combine(kind, NumbersKind(row));
  }
  return kind;
}

// `array` (of arrays of numbers when `two_dimensional`, else of numbers) as
// a numpy array of T.
template <typename T>
py::array_t<T> Array(const Json& array, bool two_dimensional) {
  if (!two_dimensional) {
    py::array_t<T> result(static_cast<py::ssize_t>(array.size()));
    auto out = result.template mutable_unchecked<1>();
    py::ssize_t i = 0;
    for (const Json& value : array) out(i++) = value.get<T>();
    return result;
  }
  const auto rows = static_cast<py::ssize_t>(array.size());
  const auto columns = static_cast<py::ssize_t>(array.front().size());
  py::array_t<T> result({rows, columns});
  auto out = result.template mutable_unchecked<2>();
  py::ssize_t i = 0;
  for (const Json& row : array) {
    py::ssize_t j = 0;
    for (const Json& value : row) out(i, j++) = value.get<T>();
    ++i;
  }
  return result;
}

}  // namespace

std::string ToJsonText(const py::handle& object) {
  // allow_nan=False: NaN and inf are not JSON; the library would refuse the
  // document anyway, this names the problem earlier.
  return py::module_::import("json")
      .attr("dumps")(object, py::arg("allow_nan") = false)
      .cast<std::string>();
}

py::object ToPython(const Json& json) {
  switch (json.type()) {
    case Json::value_t::null:
      return py::none();
    case Json::value_t::boolean:
      return py::bool_(json.get<bool>());
    case Json::value_t::number_integer:
      return py::int_(json.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return py::int_(json.get<std::uint64_t>());
    case Json::value_t::number_float:
      return py::float_(json.get<double>());
    case Json::value_t::string:
      return py::str(json.get_ref<const std::string&>());
    case Json::value_t::object: {
      py::dict dict;
      for (auto it = json.begin(); it != json.end(); ++it) {
        dict[py::str(it.key())] = ToPython(it.value());
      }
      return dict;
    }
    case Json::value_t::array: {
      NumberKind kind = NumbersKind(json);
      bool two_dimensional = false;
      if (kind == NumberKind::kNone) {
        kind = RowsKind(json);
        two_dimensional = true;
      }
      if (kind == NumberKind::kFloat) {
        return Array<double>(json, two_dimensional);
      }
      if (kind == NumberKind::kInteger) {
        return Array<std::int64_t>(json, two_dimensional);
      }
      py::list list;
      for (const Json& value : json) list.append(ToPython(value));
      return list;
    }
    case Json::value_t::binary:
    case Json::value_t::discarded:
      break;
  }
  throw InternalError("ToPython: a JSON value of type " +
                      std::string(json.type_name()) + " in a result document");
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

}  // namespace goldmine::python
