// One observable column of many events, sorted for its weighted quantiles,
// in memory that does not grow with the number of events (issue 20).
//
// Values are added with their weights in event order; NaN values are left
// out (they fill the overflow bin, histogram_bins.h). Finish() sorts them
// stably by value, as std::stable_sort over the whole column would, and
// computes in that order the running sums of the weights. The quantile rules
// (mining::QuantileBoundaries, inference::AdaptiveEdges) then read the
// sorted values and the sums Σ_{j≤i} w_j − w_i/2 by position.
//
// Up to `run_size` values are held in memory. Beyond that the column is an
// external merge sort: sorted runs of `run_size` values are written to an
// unnamed scratch file (O_TMPFILE) in $TMPDIR, or /tmp without it (the
// system frees it when the process ends, also after SIGKILL), merged into a
// second one, and read back by position: at most 32 bytes per value on disk.
// Every sum is taken in the same order as in memory, so the boundaries are
// the same bit for bit, whatever the run size
// (tests/mining/sorted_column_test.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace goldmine::mining {

class ScratchFile;

class SortedColumn {
 public:
  // 2^17 values: 2 MB, and as much again while a run is sorted. Small
  // enough that a command's peak memory stays within 20 % from 10^5 to 10^7
  // events (bench/stage_memory.sh: 8 MB runs made limits histo 47 MB at
  // 10^6 events against 32 MB at 10^5).
  static constexpr std::size_t kDefaultRunSize = std::size_t{1} << 17;

  explicit SortedColumn(std::size_t run_size = kDefaultRunSize);
  ~SortedColumn();
  SortedColumn(const SortedColumn&) = delete;
  SortedColumn& operator=(const SortedColumn&) = delete;

  // Before Finish().
  void Add(double value, double weight);
  // Sorts; afterwards only the readers below may be called. Throws
  // InvalidInput naming the temporary folder when a scratch file cannot be
  // created or written (a full disk).
  void Finish();

  // The number of values that are not NaN.
  std::size_t size() const { return size_; }
  // Σ w over those values in the order they were added.
  double total() const { return total_; }
  // After Finish(), for i < size(): the i-th smallest value (ties in the
  // order added), and Σ_{j≤i} w_j − w_i/2 summed in sorted order.
  double value(std::size_t i) const;
  double midpoint_sum(std::size_t i) const;
  // Whether the values went through scratch files (more than run_size).
  bool external() const { return sorted_file_ != nullptr; }

 private:
  struct Entry {
    double value;
    double weight;
  };

  // Sorts buffer_ stably by value.
  void SortBuffer();
  void SpillRun();
  void MergeRuns();
  // Sorted entry i from the file: its value and midpoint sum.
  struct SortedEntry {
    double value;
    double midpoint_sum;
  };
  SortedEntry ReadSorted(std::size_t i) const;

  std::size_t run_size_;
  std::vector<Entry> buffer_;
  std::size_t size_ = 0;
  double total_ = 0.0;
  bool finished_ = false;
  // Spilled runs: their lengths, in order, in runs_file_.
  std::vector<std::size_t> run_lengths_;
  std::unique_ptr<ScratchFile> runs_file_;
  std::unique_ptr<ScratchFile> sorted_file_;
  // In memory (no spill): sorted values and midpoint sums.
  std::vector<double> values_;
  std::vector<double> midpoints_;
};

}  // namespace goldmine::mining
