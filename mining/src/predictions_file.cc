#include "goldmine/mining/predictions_file.h"

#include <hdf5.h>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "hdf5_io.h"

namespace goldmine::mining {
namespace {

using hdf5::Id;

void WriteMatrix(const Id& file,
                 const std::string& name,
                 const Eigen::MatrixXd& matrix) {
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>
      row_major = matrix;
  const hsize_t dims[2] = {static_cast<hsize_t>(matrix.rows()),
                           static_cast<hsize_t>(matrix.cols())};
  const Id space(H5Screate_simple(2, dims, nullptr), H5Sclose);
  const Id set(H5Dcreate2(file.get(),
                          name.c_str(),
                          H5T_IEEE_F64LE,
                          space.get(),
                          H5P_DEFAULT,
                          H5P_DEFAULT,
                          H5P_DEFAULT),
               H5Dclose);
  if (!set.valid() || H5Dwrite(set.get(),
                               H5T_NATIVE_DOUBLE,
                               H5S_ALL,
                               H5S_ALL,
                               H5P_DEFAULT,
                               row_major.data()) < 0) {
    throw InvalidInput("HDF5: cannot write " + name);
  }
}

// A fixed-length string attribute of the root group; HDF5 has no
// zero-length fixed strings, so "" is stored in one byte.
void WriteAttribute(const Id& file,
                    const std::string& name,
                    const std::string& value) {
  const auto fail = [&name] {
    throw InvalidInput("HDF5: cannot write attribute " + name);
  };
  const Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  if (!type.valid() ||
      H5Tset_size(type.get(), value.empty() ? 1 : value.size()) < 0) {
    fail();
  }
  const Id space(H5Screate(H5S_SCALAR), H5Sclose);
  const Id attribute(H5Acreate2(file.get(),
                                name.c_str(),
                                type.get(),
                                space.get(),
                                H5P_DEFAULT,
                                H5P_DEFAULT),
                     H5Aclose);
  if (!attribute.valid() ||
      H5Awrite(attribute.get(), type.get(), value.c_str()) < 0) {
    fail();
  }
}

}  // namespace

void WritePredictionsFile(
    const std::filesystem::path& path,
    const std::vector<std::pair<std::string, Eigen::MatrixXd>>& datasets,
    const std::string& model,
    const std::string& method) {
  hdf5::SilenceErrorPrinting();  // the library never prints
  AtomicOutputFile output(path);
  {
    const std::string temporary = output.temporary_path().string();
    Id file(
        H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
        H5Fclose);
    if (!file.valid()) {
      throw InvalidInput(temporary + ": cannot create HDF5 file");
    }
    for (const auto& [name, matrix] : datasets) WriteMatrix(file, name, matrix);
    WriteAttribute(file, "model", model);
    WriteAttribute(file, "method", method);
    if (H5Fclose(file.Release()) < 0) {
      throw InvalidInput("HDF5: cannot close " + path.string());
    }
  }
  output.Commit();
}

}  // namespace goldmine::mining
