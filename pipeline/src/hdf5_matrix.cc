#include "hdf5_matrix.h"

#include <hdf5.h>

#include <vector>

#include "goldmine/core/errors.h"

namespace goldmine::pipeline {

namespace {

// Closes an HDF5 handle when it goes out of scope.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

}  // namespace

Eigen::MatrixXd ReadHdf5Matrix(const std::filesystem::path& path,
                               const std::string& dataset) {
  const std::string where = path.string() + ": dataset " + dataset;
  H5E_auto2_t old_function = nullptr;
  void* old_data = nullptr;
  H5Eget_auto2(H5E_DEFAULT, &old_function, &old_data);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // our own messages instead
  const Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                    H5Fclose);
  H5Eset_auto2(H5E_DEFAULT, old_function, old_data);
  if (file.get() < 0)
    throw FileFormatError(path.string() + ": not a readable HDF5 file");
  if (H5Lexists(file.get(), dataset.c_str(), H5P_DEFAULT) <= 0)
    throw FileFormatError(where + " is missing");
  const Handle set(H5Dopen2(file.get(), dataset.c_str(), H5P_DEFAULT),
                   H5Dclose);
  const Handle space(H5Dget_space(set.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank != 1 && rank != 2)
    throw FileFormatError(where + ": expected 1 or 2 dimensions");
  hsize_t dims[2] = {0, 1};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  std::vector<double> values(static_cast<std::size_t>(dims[0] * dims[1]));
  if (!values.empty() && H5Dread(set.get(),
                                 H5T_NATIVE_DOUBLE,
                                 H5S_ALL,
                                 H5S_ALL,
                                 H5P_DEFAULT,
                                 values.data()) < 0) {
    throw FileFormatError(where + ": cannot be read as numbers");
  }
  Eigen::MatrixXd matrix(static_cast<Eigen::Index>(dims[0]),
                         static_cast<Eigen::Index>(dims[1]));
  for (Eigen::Index i = 0; i < matrix.rows(); ++i)
    for (Eigen::Index j = 0; j < matrix.cols(); ++j)
      matrix(i, j) = values[static_cast<std::size_t>(i * matrix.cols() + j)];
  return matrix;
}

}  // namespace goldmine::pipeline
