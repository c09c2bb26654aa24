// goldmine._estimators.train: `goldmine train` from Python (see
// estimators_training.cc).
#pragma once

#include <pybind11/pybind11.h>

namespace goldmine::python {

void BindTraining(pybind11::module_& module);

}  // namespace goldmine::python
