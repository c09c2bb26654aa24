#include "goldmine/mining/sample_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include "goldmine/core/errors.h"
#include "mining/npy_reader.h"
#include "support/scratch_folder.h"

namespace goldmine::mining {
namespace {

using ::testing::HasSubstr;

SampleData RatioSample(int n) {
  SampleData data;
  data.method = "ratio";
  data.parameters = {"theta_1", "theta_2"};
  data.observables = {"pt", "dphi", "eta"};
  data.partition = "train";
  data.seed = 42;
  data.n_eff = 123.5;
  data.theta_specs = {"theta0=grid:3,3", "theta1=benchmark:sm"};
  data.x = Eigen::MatrixXd::Random(n, 3);
  data.theta0 = Eigen::MatrixXd::Random(n, 2);
  data.theta1 = Eigen::MatrixXd::Zero(n, 2);
  data.y = Eigen::MatrixXd::Zero(n, 1);
  data.y.bottomRows(n / 2).setOnes();
  data.r_xz = Eigen::MatrixXd::Random(n, 1).cwiseAbs();
  data.t_xz = Eigen::MatrixXd::Random(n, 2);
  return data;
}

TEST(SampleFile, WriteThenReadGivesTheSameSample) {
  const auto folder = testing::MakeScratchFolder("sample_file_roundtrip");
  const SampleData data = RatioSample(101);
  WriteSamples(folder / "s.h5", data);
  const SampleData read = ReadSamples(folder / "s.h5");
  EXPECT_EQ(read.method, "ratio");
  EXPECT_EQ(read.parameters, data.parameters);
  EXPECT_EQ(read.observables, data.observables);
  EXPECT_EQ(read.theta_specs, data.theta_specs);
  EXPECT_EQ(read.partition, "train");
  EXPECT_EQ(read.seed, 42u);
  EXPECT_DOUBLE_EQ(read.n_eff, 123.5);
  EXPECT_FALSE(read.goldmine_version.empty());
  EXPECT_EQ(read.x, data.x);
  EXPECT_EQ(read.theta0, data.theta0);
  EXPECT_EQ(read.theta1, data.theta1);
  EXPECT_EQ(read.y, data.y);
  EXPECT_EQ(read.r_xz, data.r_xz);
  EXPECT_EQ(read.t_xz, data.t_xz);
  EXPECT_EQ(read.t_xz1.size(), 0);
  std::filesystem::remove_all(folder);
}

// The writer copies at most 65536 rows at a time into row-major order: a
// batch of several such slices, the last one partial, reads back unchanged.
TEST(SampleFile, LargeBatchesAreWrittenInSlicesAndReadBack) {
  const auto folder = testing::MakeScratchFolder("sample_file_slices");
  const SampleData data = RatioSample(150001);
  WriteSamples(folder / "s.h5", data);
  const SampleData read = ReadSamples(folder / "s.h5");
  EXPECT_EQ(read.x, data.x);
  EXPECT_EQ(read.theta0, data.theta0);
  EXPECT_EQ(read.y, data.y);
  EXPECT_EQ(read.r_xz, data.r_xz);
  EXPECT_EQ(read.t_xz, data.t_xz);
  std::filesystem::remove_all(folder);
}

TEST(SampleFile, BatchesAppendAndReadBack) {
  const auto folder = testing::MakeScratchFolder("sample_file_batches");
  const SampleData all = RatioSample(50);
  {
    SampleFileWriter writer(folder / "s.h5", all, {true, 7});
    for (int first = 0; first < 50; first += 20) {
      const int n = std::min(20, 50 - first);
      SampleData batch;
      batch.x = all.x.middleRows(first, n);
      batch.theta0 = all.theta0.middleRows(first, n);
      batch.theta1 = all.theta1.middleRows(first, n);
      batch.y = all.y.middleRows(first, n);
      batch.r_xz = all.r_xz.middleRows(first, n);
      batch.t_xz = all.t_xz.middleRows(first, n);
      writer.Append(batch);
    }
    EXPECT_EQ(writer.num_samples(), 50);
    writer.Finish();
  }
  const SampleFileReader reader(folder / "s.h5");
  EXPECT_EQ(reader.num_samples(), 50);
  const SampleData middle = reader.Read(10, 25);
  EXPECT_EQ(middle.x, all.x.middleRows(10, 25));
  EXPECT_EQ(middle.t_xz, all.t_xz.middleRows(10, 25));
  std::filesystem::remove_all(folder);
}

TEST(SampleFile, Float32StoresRoundedValues) {
  const auto folder = testing::MakeScratchFolder("sample_file_float");
  const SampleData data = RatioSample(10);
  WriteSamples(folder / "s.h5", data, {false, 1024});
  const SampleData read = ReadSamples(folder / "s.h5");
  EXPECT_EQ(read.x, data.x.cast<float>().cast<double>());
  std::filesystem::remove_all(folder);
}

TEST(SampleFile, MoreRatiosUsesMadminerScoreNames) {
  const auto folder = testing::MakeScratchFolder("sample_file_more");
  SampleData data = RatioSample(8);
  data.method = "more-ratios";
  data.t_xz1 = Eigen::MatrixXd::Random(8, 2);
  WriteSamples(folder / "s.h5", data);
  const SampleData read = ReadSamples(folder / "s.h5");
  EXPECT_EQ(read.t_xz, data.t_xz);
  EXPECT_EQ(read.t_xz1, data.t_xz1);
  const auto files = ExportNpy(read, folder / "npy", "train");
  EXPECT_EQ(files.size(), 7u);
  EXPECT_TRUE(std::filesystem::exists(folder / "npy" / "t_xz0_train.npy"));
  std::filesystem::remove_all(folder);
}

TEST(SampleFile, NpyExportHasMadminerNamesAndValues) {
  const auto folder = testing::MakeScratchFolder("sample_file_npy");
  SampleData data = RatioSample(6);
  data.method = "local";
  data.theta1.resize(0, 0);
  data.y.resize(0, 0);
  data.r_xz.resize(0, 0);
  ExportNpy(data, folder, "train", true);
  const auto theta = testing::ReadNpy(folder / "theta_train.npy");
  ASSERT_EQ(theta.shape, (std::vector<std::size_t>{6, 2}));
  EXPECT_EQ(theta.Matrix(), data.theta0);
  const auto t_xz = testing::ReadNpy(folder / "t_xz_train.npy");
  EXPECT_EQ(t_xz.Matrix(), data.t_xz);
  EXPECT_FALSE(std::filesystem::exists(folder / "y_train.npy"));
  std::filesystem::remove_all(folder);
}

TEST(SampleFile, RejectsInconsistentSample) {
  SampleData data = RatioSample(5);
  data.t_xz = Eigen::MatrixXd::Zero(4, 2);
  data.method = "ratio";
  EXPECT_THAT([&] { data.Validate(); },
              ::testing::ThrowsMessage<InvalidInput>(
                  HasSubstr("t_xz has 4 rows, x has 5")));
  data.method = "carl";
  EXPECT_THAT([&] { data.Validate(); },
              ::testing::ThrowsMessage<InvalidInput>(HasSubstr("carl")));
}

TEST(SampleFile, ReadingANonSampleFileNamesTheProblem) {
  const auto folder = testing::MakeScratchFolder("sample_file_bad");
  EXPECT_THAT([&] { ReadSamples(folder / "missing.h5"); },
              ::testing::ThrowsMessage<FileFormatError>(
                  HasSubstr("missing.h5: no such file")));
  std::filesystem::remove_all(folder);
}

// A chunked dataset extended without writing claims rows that HDF5 serves as
// fill values: 2^40 rows would be std::bad_alloc, 10^6 a silently wrong
// sample of zeros. Both are refused when the file is opened.
TEST(SampleFile, RowsTheFileDoesNotStoreAreRefused) {
  const auto folder = testing::MakeScratchFolder("sample_file_unstored");
  for (const hsize_t rows : {hsize_t{1} << 40, hsize_t{1000000}}) {
    const auto path = folder / ("s" + std::to_string(rows) + ".h5");
    WriteSamples(path, RatioSample(20));
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    // Every dataset, so that the row counts agree.
    for (const auto& [name, columns] : {std::pair<const char*, hsize_t>{"x", 3},
                                        {"theta0", 2},
                                        {"theta1", 2},
                                        {"y", 1},
                                        {"r_xz", 1},
                                        {"t_xz", 2}}) {
      const hid_t dataset = H5Dopen2(file, name, H5P_DEFAULT);
      const hsize_t dims[2] = {rows, columns};
      ASSERT_GE(H5Dset_extent(dataset, dims), 0) << name;
      H5Dclose(dataset);
    }
    H5Fclose(file);
    EXPECT_THAT([&] { ReadSamples(path); },
                ::testing::ThrowsMessage<FileFormatError>(::testing::AllOf(
                    HasSubstr("x: claims " + std::to_string(3 * rows)),
                    HasSubstr("corrupt or truncated file"))));
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace goldmine::mining
