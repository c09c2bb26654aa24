// The predictions file: what `goldmine evaluate` writes after evaluating a
// trained estimator on every sample of a samples file (DESIGN.md §5.5). This
// header alone writes its HDF5 layout; `goldmine run`'s report reads t_hat
// back (pipeline/src/hdf5_matrix.cc).
//
// Layout (one row per sample of the samples file, n rows in every dataset;
// float64 little-endian, row-major, at the root):
//
//   t_hat          (n, P)  estimated score t̂(x|θ0)           every model
//   t_hat_std      (n, P)  its ensemble standard deviation
//   log_r_hat      (n, 1)  estimated log r̂(x|θ0,θ1)          ratio models
//   log_r_hat_std  (n, 1)  its ensemble standard deviation
//
// *_std is 0 for a single network. Root attributes (fixed-length ASCII
// strings): model (the path it was evaluated from) and method (e.g. "sally").
#pragma once

#include <Eigen/Core>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace goldmine::mining {

// Writes `datasets` (name, n × k matrix), in this order, and the attributes
// `model` and `method` to `path`, through a temporary file renamed when
// complete (core/atomic_file.h): an interrupted write leaves no file under
// the final name. Throws InvalidInput when the folder of `path` does not
// exist or a dataset or attribute cannot be written (a repeated name
// included).
void WritePredictionsFile(
    const std::filesystem::path& path,
    const std::vector<std::pair<std::string, Eigen::MatrixXd>>& datasets,
    const std::string& model,
    const std::string& method);

}  // namespace goldmine::mining
