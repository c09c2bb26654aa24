// goldmine._goldmine: the extension module behind the Python package
// `goldmine` (docs/python.md). It creates the exception classes and one
// submodule per library module; the Bind* functions fill them.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"

namespace py = pybind11;

namespace goldmine::python {
namespace {

// goldmine's errors as Python exceptions with its message. InvalidInput and
// FileFormatError are also ValueErrors and InternalError a RuntimeError, so
// that code catching the built-in classes keeps working.
void AddExceptions(py::module_& module) {
  // Created once per process (Python owns them through the module).
  static PyObject* const error =
      PyErr_NewExceptionWithDoc("goldmine.Error",
                                "Base class of goldmine's errors.",
                                PyExc_Exception,
                                nullptr);
  const auto derived = [](const char* name, const char* doc, PyObject* other) {
    PyObject* bases = PyTuple_Pack(2, error, other);
    PyObject* type = PyErr_NewExceptionWithDoc(name, doc, bases, nullptr);
    Py_DECREF(bases);
    return type;
  };
  static PyObject* const invalid_input =
      derived("goldmine.InvalidInput",
              "Bad input: a value, file, key or option that goldmine cannot "
              "use; the message names it and what was expected.",
              PyExc_ValueError);
  static PyObject* const file_format =
      derived("goldmine.FileFormatError",
              "A file that is not in the expected format (corrupt, truncated "
              "or of another kind).",
              PyExc_ValueError);
  static PyObject* const internal =
      derived("goldmine.InternalError",
              "A bug in goldmine: please report it with the message.",
              PyExc_RuntimeError);
  module.add_object("Error", py::handle(error).inc_ref());
  module.add_object("InvalidInput", py::handle(invalid_input).inc_ref());
  module.add_object("FileFormatError", py::handle(file_format).inc_ref());
  module.add_object("InternalError", py::handle(internal).inc_ref());
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const InvalidInput& e) {
      PyErr_SetString(invalid_input, e.what());
    } catch (const FileFormatError& e) {
      PyErr_SetString(file_format, e.what());
    } catch (const InternalError& e) {
      PyErr_SetString(internal, e.what());
    } catch (const Error& e) {
      PyErr_SetString(error, e.what());
    }
  });
}

}  // namespace
}  // namespace goldmine::python

PYBIND11_MODULE(_goldmine, module) {
  using namespace goldmine::python;
  module.doc() =
      "goldmine's C++ libraries (use the package `goldmine`, not this "
      "module)";
  module.attr("__version__") = goldmine::Version();
  AddExceptions(module);
  BindModels(module);
  py::module_ morphing = module.def_submodule("morphing", "EFT morphing");
  BindMorphing(morphing);
  py::module_ events = module.def_submodule("events", "events files");
  BindEvents(events);
  py::module_ augmentation =
      module.def_submodule("augmentation", "training and test samples");
  BindAugmentation(augmentation);
  py::module_ fisher = module.def_submodule("fisher", "Fisher information");
  BindFisher(fisher);
  py::module_ limits = module.def_submodule("limits", "asymptotic limits");
  BindLimits(limits);
  py::module_ histfactory =
      module.def_submodule("histfactory", "HistFactory engine");
  BindHistFactory(histfactory);
}
