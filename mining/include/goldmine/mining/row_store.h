// Rows of a fixed number of doubles, appended once and then read back in
// order, a chunk at a time, as often as needed, from an unnamed scratch
// file: bounded memory for per-event numbers that are needed again at every
// point of a grid (issue 20: the limits whose binning depends on θ, and
// the likelihood-ratio limits, which see every observed event at every
// point). The file lives in $TMPDIR, or /tmp without it, and goes away with
// the process.
#pragma once

#include <Eigen/Core>
#include <functional>
#include <memory>
#include <string>

namespace goldmine::mining {

class ScratchFile;

class RowStore {
 public:
  using Chunk = Eigen::Map<
      const Eigen::
          Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

  // `purpose` names the work in the error thrown when the scratch file
  // cannot be written or read (a full disk).
  RowStore(Eigen::Index width, std::string purpose);
  ~RowStore();
  RowStore(const RowStore&) = delete;
  RowStore& operator=(const RowStore&) = delete;

  // Appends one row of width() numbers; before Finish().
  void Append(const double* row);
  // After the last Append; only then ForEachChunk.
  void Finish();

  Eigen::Index width() const { return width_; }
  Eigen::Index rows() const { return rows_; }

  // Calls visit(first_row, chunk) for consecutive chunks of at most
  // chunk_rows rows (chunk: rows × width, row-major), in row order. Several
  // threads may read at once.
  void ForEachChunk(Eigen::Index chunk_rows,
                    const std::function<void(Eigen::Index first,
                                             const Chunk& chunk)>& visit) const;

 private:
  Eigen::Index width_;
  Eigen::Index rows_ = 0;
  bool finished_ = false;
  std::unique_ptr<ScratchFile> file_;
};

}  // namespace goldmine::mining
