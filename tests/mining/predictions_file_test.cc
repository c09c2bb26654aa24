// The predictions file read back with the HDF5 C API itself, independently
// of goldmine::mining.
#include "goldmine/mining/predictions_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
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

// Every dataset, with its shape, element type and values, and the
// attributes: what a reader of the file can tell apart.
struct FileContent {
  std::vector<std::string> names;
  std::vector<RawDataset> datasets;
  std::string model;
  std::string method;
};

FileContent ReadContent(const std::filesystem::path& path,
                        const std::vector<std::string>& names) {
  FileContent content;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0) << path;
  H5G_info_t root;
  H5Gget_info(file, &root);
  EXPECT_EQ(root.nlinks, names.size());
  for (const std::string& name : names) {
    content.names.push_back(name);
    content.datasets.push_back(ReadRaw(file, name));
  }
  content.model = ReadStringAttribute(file, "model");
  content.method = ReadStringAttribute(file, "method");
  H5Fclose(file);
  return content;
}

void ExpectSameContent(const FileContent& a, const FileContent& b) {
  EXPECT_EQ(a.names, b.names);
  ASSERT_EQ(a.datasets.size(), b.datasets.size());
  for (std::size_t i = 0; i < a.datasets.size(); ++i) {
    EXPECT_EQ(a.datasets[i].dims, b.datasets[i].dims) << a.names[i];
    EXPECT_EQ(a.datasets[i].float64_little_endian,
              b.datasets[i].float64_little_endian)
        << a.names[i];
    EXPECT_EQ(a.datasets[i].values, b.datasets[i].values) << a.names[i];
  }
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.method, b.method);
}

// Rows [first, first + count) of every matrix of `batch`.
PredictionsBatch Rows(const PredictionsBatch& batch,
                      Eigen::Index first,
                      Eigen::Index count) {
  PredictionsBatch rows;
  for (const auto& [name, matrix] : batch) {
    rows.emplace_back(name, matrix.middleRows(first, count));
  }
  return rows;
}

TEST(PredictionsFileWriter, AppendingInPiecesWritesWhatOneCallWrites) {
  const auto folder = testing::MakeScratchFolder("predictions_writer");
  const Eigen::Index n = 23;
  const PredictionsBatch whole = {
      {"log_r_hat", Eigen::MatrixXd::Random(n, 1)},
      {"log_r_hat_std", Eigen::MatrixXd::Random(n, 1).cwiseAbs()},
      {"t_hat", Eigen::MatrixXd::Random(n, 3)},
      {"t_hat_std", Eigen::MatrixXd::Random(n, 3).cwiseAbs()}};
  const std::vector<std::string> names = {
      "log_r_hat", "log_r_hat_std", "t_hat", "t_hat_std"};
  WritePredictionsFile(folder / "once.h5", whole, "models/alices", "alices");
  const FileContent once = ReadContent(folder / "once.h5", names);
  EXPECT_THAT(once.datasets[2].dims, ElementsAre(23u, 3u));

  // Chunks of 5 rows (the last one of 3), an empty batch in between, and
  // an HDF5 chunk smaller than the batches.
  for (const std::int64_t chunk_rows : {std::int64_t{2}, std::int64_t{5}}) {
    const auto path = folder / ("pieces_" + std::to_string(chunk_rows) + ".h5");
    PredictionsFileWriter writer(path, "models/alices", "alices", chunk_rows);
    for (Eigen::Index first = 0; first < n; first += 5) {
      writer.Append(Rows(whole, first, std::min<Eigen::Index>(5, n - first)));
      if (first == 10) writer.Append(Rows(whole, first, 0));
    }
    EXPECT_EQ(writer.num_rows(), n);
    EXPECT_FALSE(std::filesystem::exists(path));
    writer.Finish();
    ExpectSameContent(ReadContent(path, names), once);
  }
  std::filesystem::remove_all(folder);
}

TEST(PredictionsFileWriter, EmptyPredictionsKeepTheirColumns) {
  const auto folder = testing::MakeScratchFolder("predictions_writer_empty");
  PredictionsFileWriter writer(folder / "E.h5", "m", "sally");
  writer.Append(
      {{"t_hat", Eigen::MatrixXd(0, 2)}, {"t_hat_std", Eigen::MatrixXd(0, 2)}});
  writer.Finish();
  const FileContent content =
      ReadContent(folder / "E.h5", {"t_hat", "t_hat_std"});
  EXPECT_THAT(content.datasets[0].dims, ElementsAre(0u, 2u));
  EXPECT_THAT(content.datasets[1].dims, ElementsAre(0u, 2u));
  std::filesystem::remove_all(folder);
}

TEST(PredictionsFileWriter, BatchesThatDoNotMatchTheFirstAreRefused) {
  const auto folder = testing::MakeScratchFolder("predictions_writer_bad");
  {
    PredictionsFileWriter writer(folder / "E.h5", "m", "sally");
    writer.Append({{"t_hat", Eigen::MatrixXd::Ones(2, 2)},
                   {"t_hat_std", Eigen::MatrixXd::Zero(2, 2)}});
    EXPECT_THAT(
        [&] {
          writer.Append({{"t_hat", Eigen::MatrixXd::Ones(2, 3)},
                         {"t_hat_std", Eigen::MatrixXd::Zero(2, 3)}});
        },
        ThrowsMessage<InvalidInput>(
            (folder / "E.h5").string() +
            ": batch dataset t_hat (2, 3), expected t_hat (2, 2)"));
    EXPECT_THAT(
        [&] {
          writer.Append({{"t_hat", Eigen::MatrixXd::Ones(2, 2)},
                         {"t_hat_std", Eigen::MatrixXd::Zero(1, 2)}});
        },
        ThrowsMessage<InvalidInput>((folder / "E.h5").string() +
                                    ": t_hat_std has 1 rows, t_hat has 2"));
    EXPECT_THROW(writer.Append({{"t_hat", Eigen::MatrixXd::Ones(2, 2)}}),
                 InvalidInput);
    EXPECT_EQ(writer.num_rows(), 2);
    // Destroyed unfinished: no file, no temporary.
  }
  EXPECT_TRUE(std::filesystem::is_empty(folder));
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace goldmine::mining
