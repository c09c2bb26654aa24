// The samples file: training and test samples drawn from an events file by
// `goldmine augment` (mining/augmenter.h) and read by the estimators. This
// header alone knows its HDF5 layout; docs/sample_file_format.md describes it
// for people and for other programs.
//
// Layout (one row per sample, all datasets with the same number of rows n;
// float64 by default, float32 when SampleFileOptions::double_precision is
// false; chunked so that writers can append):
//
//   x        (n, O)      observables of the drawn event
//   theta0   (n, P)      θ0 (the θ of the sample for single-θ methods)
//   theta1   (n, P)      θ1                    ratio, more-ratios
//   y        (n, 1)      0: drawn from θ0, 1: drawn from θ1
//   r_xz     (n, 1)      joint likelihood ratio r(x,z|θ0,θ1)
//   t_xz     (n, P + K)  joint score t(x,z|θ0)  local, density, ratio
//   t_xz0    (n, P + K)  t(x,z|θ0)              more-ratios (MadMiner's name)
//   t_xz1    (n, P + K)  t(x,z|θ1)              more-ratios
//
// Root attributes: method, parameters, nuisance_parameters, observables,
// partition, seed, n_eff, goldmine_version, theta specifications. K is the
// number of nuisance parameters whose score columns follow the P physics
// columns of the score.
//
// Conventions (DESIGN.md §2): r(x,z|θ0,θ1) = [w(z|θ0)/σ(θ0)]/[w(z|θ1)/σ(θ1)],
// t(x,z|θ) = ∇_θ w(z|θ)/w(z|θ) − ∇_θ σ(θ)/σ(θ).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace goldmine::mining {

// The sampling methods of MadMiner's SampleAugmenter, as `goldmine augment`
// names them: "plain", "local", "density", "ratio", "more-ratios", "test".
// Which datasets each one fills:
//   plain, test       x, theta0
//   local, density    x, theta0, t_xz
//   ratio             x, theta0, theta1, y, r_xz, t_xz
//   more-ratios       x, theta0, theta1, y, r_xz, t_xz (written t_xz0), t_xz1
// An empty matrix means "not part of this sample".
struct SampleData {
  Eigen::MatrixXd x;       // n × O
  Eigen::MatrixXd theta0;  // n × P
  Eigen::MatrixXd theta1;  // n × P or empty
  Eigen::MatrixXd y;       // n × 1 or empty
  Eigen::MatrixXd r_xz;    // n × 1 or empty
  Eigen::MatrixXd t_xz;    // n × (P + K) or empty: score at θ0
  Eigen::MatrixXd t_xz1;   // n × (P + K), more-ratios only: score at θ1

  std::string method;                            // see above
  std::vector<std::string> parameters;           // P, physics parameters
  std::vector<std::string> nuisance_parameters;  // K, score columns P..P+K-1
  std::vector<std::string> observables;          // O, columns of x
  std::string partition;                         // "train", "validation", ..
  std::uint64_t seed = 0;
  // `augment --shard I/N` writes shard I (0-based) of N (attribute "shard",
  // "I/N", written only when N > 1); `goldmine merge` joins them (issue 19).
  int shard = 0;
  int num_shards = 1;
  // Effective number of events, 1/max p over the sampled θ points (the
  // smallest over points); 0 when unknown.
  double n_eff = 0.0;
  // The θ specifications given on the command line, for provenance.
  std::vector<std::string> theta_specs;
  std::string goldmine_version;  // filled by the writer when empty

  Eigen::Index num_samples() const { return x.rows(); }
  // Throws InvalidInput naming every inconsistency: row counts that differ,
  // column counts that do not match parameters / observables, a method name
  // that is not one of the six, datasets the method requires missing.
  void Validate() const;
};

struct SampleFileOptions {
  // float64 datasets; false writes float32 (MadMiner's default precision).
  bool double_precision = true;
  // Rows per HDF5 chunk (also the append granularity on disk).
  std::int64_t chunk_rows = 65536;
};

// Writes a whole sample (Validate() first; through a temporary file renamed
// on success). Throws InvalidInput.
void WriteSamples(const std::filesystem::path& path,
                  const SampleData& data,
                  const SampleFileOptions& options = {});

// Reads a whole samples file; matrices are double whatever the stored
// precision. Throws FileFormatError naming the file and dataset.
SampleData ReadSamples(const std::filesystem::path& path);

// Appends batches; memory does not grow with the number of samples. The file
// appears under its final name only after Finish().
class SampleFileWriter {
 public:
  // `header`: the metadata fields of SampleData (matrices ignored).
  SampleFileWriter(std::filesystem::path path,
                   const SampleData& header,
                   SampleFileOptions options = {});
  ~SampleFileWriter();
  SampleFileWriter(const SampleFileWriter&) = delete;
  SampleFileWriter& operator=(const SampleFileWriter&) = delete;

  // Appends the rows of `batch` (metadata fields ignored). The first batch
  // fixes which datasets exist; later batches must fill the same ones with
  // the same column counts. Throws InvalidInput.
  void Append(const SampleData& batch);
  std::int64_t num_samples() const;
  // Updates metadata that is only known at the end (n_eff).
  void set_n_eff(double n_eff);
  // Writes attributes, closes, renames into place. Call once.
  void Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a samples file in row ranges.
class SampleFileReader {
 public:
  explicit SampleFileReader(const std::filesystem::path& path);
  ~SampleFileReader();
  SampleFileReader(SampleFileReader&&) noexcept;
  SampleFileReader& operator=(SampleFileReader&&) noexcept;

  // Metadata fields, matrices empty.
  const SampleData& header() const;
  std::int64_t num_samples() const;
  // float64 datasets (false: float32).
  bool double_precision() const;
  // Rows [first, first + count), metadata copied from header().
  SampleData Read(std::int64_t first, std::int64_t count) const;
  SampleData ReadAll() const { return Read(0, num_samples()); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes the sample as MadMiner-named .npy files in `folder` (created if
// needed): x_<suffix>.npy, and theta_ (single-θ methods) or theta0_, theta1_,
// y_, r_xz_, t_xz_ (t_xz0_, t_xz1_ for more-ratios). `suffix` is typically
// "train" or "test"; dtype float64 or float32 (MadMiner's default). Returns
// the paths written. Throws InvalidInput.
std::vector<std::filesystem::path> ExportNpy(
    const SampleData& data,
    const std::filesystem::path& folder,
    const std::string& suffix,
    bool double_precision = false);

// A minimal .npy (format 1.0, C order, little-endian '<f8' or '<f4') writer
// for a matrix (2-D; `as_vector` writes shape (n,) for n × 1).
void WriteNpy(const std::filesystem::path& path,
              const Eigen::MatrixXd& matrix,
              bool double_precision,
              bool as_vector = false);

}  // namespace goldmine::mining
