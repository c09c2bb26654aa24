// The parts of the `goldmine._goldmine` extension module, one per library
// module (docs/python.md). Each Bind* adds its classes and functions to the
// submodule it is given; module.cc creates the submodules and the exception
// classes. Python names follow MadMiner (augmentation, Fisher information,
// limits) and pyhf (HistFactory) where those exist; the pure-Python package
// python/goldmine/ adds their exact signatures on top.
#pragma once

#include <pybind11/pybind11.h>

namespace goldmine::python {

void BindModels(pybind11::module_& module);
void BindMorphing(pybind11::module_& module);
void BindEvents(pybind11::module_& module);
void BindAugmentation(pybind11::module_& module);
void BindFisher(pybind11::module_& module);
void BindLimits(pybind11::module_& module);
void BindHistFactory(pybind11::module_& module);

}  // namespace goldmine::python
