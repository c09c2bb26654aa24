// The Matrix Element Method file: per event of an events file, the
// coefficients D_c(x) of the observable-level density
//   dσ(x|θ)/dx = Σ_c m_c(θ) D_c(x),   m_c(θ) = Π_p θ_p^k_cp,
// with their integration errors (mem/process.h). `goldmine mem` writes it;
// `fisher mem` and `limits --method mem` read it with the events file it
// was computed from. This header alone knows the HDF5 layout:
//
//   mem/coefficients        (N, C) float64  D_c(x), pb per unit of x
//   mem/coefficient_errors  (N, C) float64  standard errors of D_c(x)
//   mem/calls               (N,)   int64    integrand calls per event
//   mem/converged           (N,)   int64    1: the requested precision held
//   mem/components          (C, P) int64    exponents k_cp
//   mem/parameter_names     (P,)   string
//   mem/observables         (O,)   string   expressions x was read from
//   mem/info                (5,)   string   process, its description, the
//                                           events file, the settings
//                                           (one line "key=value ..."), and
//                                           the digest of the observations
//                                           read (which events file)
//
// N is the events file's number of events, in its order.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace goldmine::mining {

struct MemHeader {
  Eigen::MatrixXi components;                // C × P
  std::vector<std::string> parameter_names;  // P
  std::vector<std::string> observables;      // O
  std::string process;
  std::string description;
  std::string events_file;
  std::string settings;
  // FNV-1a of the observations the MEM read, in event order (16 hex
  // digits): a MEM file is used only with the events it was computed from.
  std::string observations_digest;
  std::int64_t num_events = 0;  // N

  int num_components() const { return static_cast<int>(components.rows()); }
  // Throws InvalidInput naming the first inconsistency.
  void Validate() const;
};

// Rows [first, first + count) of the per-event data.
struct MemRows {
  Eigen::MatrixXd coefficients;  // count × C
  Eigen::MatrixXd errors;        // count × C
  std::vector<std::int64_t> calls;
  std::vector<std::int64_t> converged;
};

// Writes through a temporary file renamed by Finish(); rows may come in any
// order of disjoint ranges, and every row must be written once.
class MemFileWriter {
 public:
  // Throws InvalidInput (bad header, unwritable path).
  MemFileWriter(const std::filesystem::path& path, const MemHeader& header);
  ~MemFileWriter();
  MemFileWriter(const MemFileWriter&) = delete;
  MemFileWriter& operator=(const MemFileWriter&) = delete;

  void Write(std::int64_t first, const MemRows& rows);
  // Throws InvalidInput unless all N rows were written.
  void Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class MemFileReader {
 public:
  // Reads and checks the header and the shapes. Throws FileFormatError
  // "<file>: dataset ...: ..." for a file that is not a MEM file.
  explicit MemFileReader(const std::filesystem::path& path);
  ~MemFileReader();
  MemFileReader(MemFileReader&&) noexcept;
  MemFileReader& operator=(MemFileReader&&) noexcept;

  const MemHeader& header() const;
  // Throws FileFormatError naming the event (row) for a non-finite
  // coefficient or error, a negative call count or a converged flag other
  // than 0 or 1.
  MemRows Read(std::int64_t first, std::int64_t count) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace goldmine::mining
