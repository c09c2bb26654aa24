// Reads one two-dimensional double dataset of an HDF5 file, such as the
// predictions `goldmine evaluate` writes (t_hat: samples × parameters).
#pragma once

#include <Eigen/Core>
#include <filesystem>
#include <string>

namespace goldmine::pipeline {

// Throws FileFormatError naming the file and dataset when it is missing or
// not a 1D/2D numeric dataset (1D comes back as one column).
Eigen::MatrixXd ReadHdf5Matrix(const std::filesystem::path& path,
                               const std::string& dataset);

}  // namespace goldmine::pipeline
