// The row datasets of a samples file (mining::SampleData), named as
// MadMiner's arrays: the keys of the sample dicts of the Python module.
#pragma once

#include <Eigen/Core>
#include <utility>

#include "goldmine/mining/sample_file.h"

namespace goldmine::python {

inline constexpr std::pair<const char*, Eigen::MatrixXd mining::SampleData::*>
    kRowFields[] = {{"x", &mining::SampleData::x},
                    {"theta0", &mining::SampleData::theta0},
                    {"theta1", &mining::SampleData::theta1},
                    {"y", &mining::SampleData::y},
                    {"r_xz", &mining::SampleData::r_xz},
                    {"t_xz", &mining::SampleData::t_xz},
                    {"t_xz1", &mining::SampleData::t_xz1}};

}  // namespace goldmine::python
