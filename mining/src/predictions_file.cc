#include "goldmine/mining/predictions_file.h"

#include <hdf5.h>

#include <algorithm>
#include <optional>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "hdf5_io.h"

namespace goldmine::mining {
namespace {

using hdf5::Id;

using RowMajorMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::string ShapeText(Eigen::Index rows, Eigen::Index columns) {
  return "(" + std::to_string(rows) + ", " + std::to_string(columns) + ")";
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

struct PredictionsFileWriter::Impl {
  std::filesystem::path path;
  std::string model;
  std::string method;
  std::int64_t chunk_rows = kDefaultChunkRows;
  // Declared before `file`: the file is closed before an unfinished
  // temporary is removed.
  std::optional<AtomicOutputFile> output;
  Id file;
  struct Open {
    std::string name;
    Eigen::Index columns;
    Id dataset;
  };
  std::vector<Open> datasets;
  bool started = false;
  std::int64_t rows = 0;

  // One extendible float64 dataset (0 × columns, rows unlimited) per entry
  // of the first batch.
  void Start(const PredictionsBatch& batch, Eigen::Index batch_rows) {
    const hsize_t chunk_rows_here = static_cast<hsize_t>(
        std::clamp<std::int64_t>(batch_rows, 1, chunk_rows));
    for (const auto& [name, matrix] : batch) {
      const hsize_t columns = static_cast<hsize_t>(matrix.cols());
      const hsize_t dims[2] = {0, columns};
      // A fixed column count, unless it is 0 (HDF5 chunks are never empty).
      const hsize_t max_dims[2] = {H5S_UNLIMITED,
                                   columns == 0 ? H5S_UNLIMITED : columns};
      const hsize_t chunk[2] = {chunk_rows_here, std::max<hsize_t>(1, columns)};
      const Id space(H5Screate_simple(2, dims, max_dims), H5Sclose);
      const Id properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
      if (H5Pset_chunk(properties.get(), 2, chunk) < 0) {
        throw InvalidInput("HDF5: cannot write " + name);
      }
      Id dataset(H5Dcreate2(file.get(),
                            name.c_str(),
                            H5T_IEEE_F64LE,
                            space.get(),
                            H5P_DEFAULT,
                            properties.get(),
                            H5P_DEFAULT),
                 H5Dclose);
      if (!dataset.valid()) throw InvalidInput("HDF5: cannot write " + name);
      datasets.push_back({name, matrix.cols(), std::move(dataset)});
    }
    started = true;
  }

  // Rows [rows, rows + matrix.rows()) of `open`, extended first.
  void Write(Open& open, const Eigen::MatrixXd& matrix) {
    const Eigen::Index n = matrix.rows();
    const hsize_t new_dims[2] = {static_cast<hsize_t>(rows + n),
                                 static_cast<hsize_t>(open.columns)};
    if (H5Dset_extent(open.dataset.get(), new_dims) < 0) {
      throw InvalidInput("HDF5: cannot write " + open.name);
    }
    if (n == 0 || open.columns == 0) return;
    const Id file_space(H5Dget_space(open.dataset.get()), H5Sclose);
    // Row-major copies of at most one chunk at a time: WritePredictionsFile
    // hands over whole matrices.
    const Eigen::Index piece_rows = std::max<Eigen::Index>(1, chunk_rows);
    for (Eigen::Index first = 0; first < n; first += piece_rows) {
      const Eigen::Index count = std::min(piece_rows, n - first);
      const RowMajorMatrix values = matrix.middleRows(first, count);
      const hsize_t start[2] = {static_cast<hsize_t>(rows + first), 0};
      const hsize_t block[2] = {static_cast<hsize_t>(count),
                                static_cast<hsize_t>(open.columns)};
      const Id memory_space(H5Screate_simple(2, block, nullptr), H5Sclose);
      if (H5Sselect_hyperslab(file_space.get(),
                              H5S_SELECT_SET,
                              start,
                              nullptr,
                              block,
                              nullptr) < 0 ||
          H5Dwrite(open.dataset.get(),
                   H5T_NATIVE_DOUBLE,
                   memory_space.get(),
                   file_space.get(),
                   H5P_DEFAULT,
                   values.data()) < 0) {
        throw InvalidInput("HDF5: cannot write " + open.name);
      }
    }
  }
};

PredictionsFileWriter::PredictionsFileWriter(std::filesystem::path path,
                                             std::string model,
                                             std::string method,
                                             std::int64_t chunk_rows)
    : impl_(std::make_unique<Impl>()) {
  hdf5::SilenceErrorPrinting();  // the library never prints
  if (chunk_rows < 1) {
    throw InvalidInput(path.string() + ": chunk rows " +
                       std::to_string(chunk_rows) + ", expected at least 1");
  }
  impl_->path = std::move(path);
  impl_->model = std::move(model);
  impl_->method = std::move(method);
  impl_->chunk_rows = chunk_rows;
  impl_->output.emplace(impl_->path);
  const std::string temporary = impl_->output->temporary_path().string();
  impl_->file =
      Id(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
         H5Fclose);
  if (!impl_->file.valid()) {
    throw InvalidInput(temporary + ": cannot create HDF5 file");
  }
}

PredictionsFileWriter::~PredictionsFileWriter() = default;

std::int64_t PredictionsFileWriter::num_rows() const { return impl_->rows; }

void PredictionsFileWriter::Append(const PredictionsBatch& batch) {
  Impl& impl = *impl_;
  if (!impl.file.valid()) {
    throw InvalidInput(impl.path.string() + ": Append() after Finish()");
  }
  const Eigen::Index n = batch.empty() ? 0 : batch.front().second.rows();
  for (const auto& [name, matrix] : batch) {
    if (matrix.rows() != n) {
      throw InvalidInput(impl.path.string() + ": " + name + " has " +
                         std::to_string(matrix.rows()) + " rows, " +
                         batch.front().first + " has " + std::to_string(n));
    }
  }
  if (!impl.started) impl.Start(batch, n);
  if (batch.size() != impl.datasets.size()) {
    throw InvalidInput(impl.path.string() + ": a batch of " +
                       std::to_string(batch.size()) + " datasets, expected " +
                       std::to_string(impl.datasets.size()));
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Impl::Open& open = impl.datasets[i];
    const auto& [name, matrix] = batch[i];
    if (name != open.name || matrix.cols() != open.columns) {
      throw InvalidInput(impl.path.string() + ": batch dataset " + name + " " +
                         ShapeText(matrix.rows(), matrix.cols()) +
                         ", expected " + open.name + " " +
                         ShapeText(matrix.rows(), open.columns));
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    impl.Write(impl.datasets[i], batch[i].second);
  }
  impl.rows += n;
}

void PredictionsFileWriter::Finish() {
  Impl& impl = *impl_;
  if (!impl.file.valid()) {
    throw InvalidInput(impl.path.string() + ": Finish() called twice");
  }
  WriteAttribute(impl.file, "model", impl.model);
  WriteAttribute(impl.file, "method", impl.method);
  impl.datasets.clear();
  if (H5Fclose(impl.file.Release()) < 0) {
    throw InvalidInput("HDF5: cannot close " + impl.path.string());
  }
  impl.output->Commit();
}

void WritePredictionsFile(const std::filesystem::path& path,
                          const PredictionsBatch& datasets,
                          const std::string& model,
                          const std::string& method) {
  PredictionsFileWriter writer(path, model, method);
  writer.Append(datasets);
  writer.Finish();
}

}  // namespace goldmine::mining
