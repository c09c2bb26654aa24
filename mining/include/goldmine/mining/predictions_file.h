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
// Datasets are chunked along the rows, so that PredictionsFileWriter can
// append: `evaluate` holds one chunk of samples in memory, not the file.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace goldmine::mining {

// Named n × k matrices, in file order (estimators::NamedPredictions).
using PredictionsBatch = std::vector<std::pair<std::string, Eigen::MatrixXd>>;

// Appends the predictions of consecutive rows; memory does not grow with
// the number of rows. The file appears under its final name only after
// Finish(): it is written to a temporary name (core/atomic_file.h), removed
// when the writer is destroyed unfinished.
class PredictionsFileWriter {
 public:
  // Rows per HDF5 chunk; a first batch of fewer rows gives its own row
  // count (so a small file holds no padding).
  static constexpr std::int64_t kDefaultChunkRows = 65536;

  // `model` and `method` become the root attributes. Throws InvalidInput
  // when the folder of `path` does not exist or the file cannot be created,
  // and when chunk_rows < 1.
  PredictionsFileWriter(std::filesystem::path path,
                        std::string model,
                        std::string method,
                        std::int64_t chunk_rows = kDefaultChunkRows);
  ~PredictionsFileWriter();
  PredictionsFileWriter(const PredictionsFileWriter&) = delete;
  PredictionsFileWriter& operator=(const PredictionsFileWriter&) = delete;

  // Appends the rows of `batch`. The first batch creates the datasets, in
  // its order; later batches must name the same datasets in the same order
  // with the same column counts, and every matrix of a batch must have the
  // same number of rows. Throws InvalidInput "HDF5: cannot write <name>"
  // when a dataset cannot be created or written (a repeated name included),
  // and naming the dataset and both shapes on a mismatch.
  void Append(const PredictionsBatch& batch);
  // Rows appended so far.
  std::int64_t num_rows() const;
  // Writes the attributes, closes the file and renames it into place. A
  // writer that was given no batch writes a file with the attributes only.
  // Call once; throws InvalidInput.
  void Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes `datasets` (name, n × k matrix, the same n for all), in this
// order, and the attributes `model` and `method` to `path` in one go: a
// PredictionsFileWriter given one batch. An interrupted write leaves no file
// under the final name. Throws InvalidInput when the folder of `path` does
// not exist or a dataset or attribute cannot be written (a repeated name
// included), and when the row counts differ.
void WritePredictionsFile(const std::filesystem::path& path,
                          const PredictionsBatch& datasets,
                          const std::string& model,
                          const std::string& method);

}  // namespace goldmine::mining
