// The predictions file read back with the HDF5 C API itself, independently
// of goldmine::mining.
#include "goldmine/mining/predictions_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <vector>

#include "goldmine/core/errors.h"
#include "support/scratch_folder.h"

namespace goldmine::mining {
namespace {

using ::testing::ElementsAre;
using ::testing::ThrowsMessage;

struct RawDataset {
  std::vector<hsize_t> dims;
  bool float64_little_endian = false;
  std::vector<double> values;  // row-major
};

RawDataset ReadRaw(hid_t file, const std::string& name) {
  RawDataset result;
  const hid_t set = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  EXPECT_GE(set, 0) << name;
  const hid_t space = H5Dget_space(set);
  result.dims.resize(
      static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, result.dims.data(), nullptr);
  const hid_t type = H5Dget_type(set);
  result.float64_little_endian = H5Tequal(type, H5T_IEEE_F64LE) > 0;
  result.values.resize(
      static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  H5Dread(set,
          H5T_NATIVE_DOUBLE,
          H5S_ALL,
          H5S_ALL,
          H5P_DEFAULT,
          result.values.data());
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(set);
  return result;
}

std::string ReadStringAttribute(hid_t file, const std::string& name) {
  const hid_t attribute = H5Aopen(file, name.c_str(), H5P_DEFAULT);
  EXPECT_GE(attribute, 0) << name;
  const hid_t type = H5Aget_type(attribute);
  std::string value(H5Tget_size(type), '\0');
  H5Aread(attribute, type, value.data());
  H5Tclose(type);
  H5Aclose(attribute);
  return value;
}

TEST(PredictionsFile, RowMajorFloat64DatasetsAndStringAttributes) {
  const auto folder = testing::MakeScratchFolder("predictions_file");
  const auto path = folder / "E.h5";
  // 3 samples, 2 parameters; every entry distinct so that a transposed or
  // column-major write shows.
  const Eigen::MatrixXd t_hat{{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}};
  const Eigen::MatrixXd log_r_hat{{-0.5}, {0.25}, {7.0}};
  WritePredictionsFile(path,
                       {{"log_r_hat", log_r_hat},
                        {"log_r_hat_std", Eigen::MatrixXd::Zero(3, 1)},
                        {"t_hat", t_hat},
                        {"t_hat_std", Eigen::MatrixXd::Zero(3, 2)}},
                       "models/alices",
                       "alices");

  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  H5G_info_t root;
  ASSERT_GE(H5Gget_info(file, &root), 0);
  EXPECT_EQ(root.nlinks, 4u);
  const RawDataset t = ReadRaw(file, "t_hat");
  EXPECT_THAT(t.dims, ElementsAre(3u, 2u));
  EXPECT_TRUE(t.float64_little_endian);
  EXPECT_THAT(t.values, ElementsAre(1.0, 2.0, 3.0, 4.0, 5.0, 6.0));
  const RawDataset r = ReadRaw(file, "log_r_hat");
  EXPECT_THAT(r.dims, ElementsAre(3u, 1u));
  EXPECT_THAT(r.values, ElementsAre(-0.5, 0.25, 7.0));
  EXPECT_THAT(ReadRaw(file, "t_hat_std").values,
              ElementsAre(0.0, 0.0, 0.0, 0.0, 0.0, 0.0));
  EXPECT_EQ(ReadStringAttribute(file, "model"), "models/alices");
  EXPECT_EQ(ReadStringAttribute(file, "method"), "alices");
  H5Fclose(file);

  // Only the final file: the temporary one was renamed.
  int files = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator(folder)) {
    ++files;
  }
  EXPECT_EQ(files, 1);
  std::filesystem::remove_all(folder);
}

TEST(PredictionsFile, AFailedWriteLeavesNoFile) {
  const auto folder = testing::MakeScratchFolder("predictions_file_failed");
  const auto path = folder / "E.h5";
  const Eigen::MatrixXd t_hat = Eigen::MatrixXd::Ones(2, 1);
  EXPECT_THAT(
      [&] {
        WritePredictionsFile(
            path, {{"t_hat", t_hat}, {"t_hat", t_hat}}, "m", "sally");
      },
      ThrowsMessage<InvalidInput>("HDF5: cannot write t_hat"));
  EXPECT_TRUE(std::filesystem::is_empty(folder));
  EXPECT_THROW(
      WritePredictionsFile(
          folder / "missing" / "E.h5", {{"t_hat", t_hat}}, "m", "sally"),
      InvalidInput);
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace goldmine::mining
