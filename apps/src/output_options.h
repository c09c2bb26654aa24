// Every command refuses an output that is one of its own inputs (issue 15:
// `augment --events ev.h5 --output ev.h5` destroyed the events file). The
// commands name their input and output options; these helpers turn options
// into paths for core's RequireOutputIsNotAnInput.
#pragma once

#include <boost/program_options.hpp>
#include <initializer_list>
#include <string>
#include <vector>

namespace goldmine::cli {

// The paths given to the options `keys` that are present in `values` (each a
// string or a list of strings). "-" (standard input) is left out.
std::vector<std::string> PathsOfOptions(
    const boost::program_options::variables_map& values,
    std::initializer_list<const char*> keys);

// The files of a trained model DIR/NAME: DIR/NAME.json and DIR/NAME.pt, or
// the file itself for NAME.onnx.
std::vector<std::string> ModelFiles(const std::string& prefix);

// Throws InvalidInput (exit 2) when the option `output_key`, if present,
// names one of `inputs` (core/output_guard.h).
void RequireOutputOptionIsNotAnInput(
    const boost::program_options::variables_map& values,
    const char* output_key,
    const std::vector<std::string>& inputs);

}  // namespace goldmine::cli
