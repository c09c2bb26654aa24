#include "goldmine/mining/sorted_column.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <queue>

#include "goldmine/core/errors.h"
#include "scratch_file.h"

namespace goldmine::mining {
namespace {

// Entries per buffered read of a run while merging (16 kB per run: 1.2 MB
// for the 77 runs of 10^7 values) and per buffered write of the merged
// column.
constexpr std::size_t kBufferEntries = 1024;

// Starts the message of a scratch file that cannot be written.
constexpr const char* kPurpose = "sorting a column for its quantiles";

}  // namespace

SortedColumn::SortedColumn(std::size_t run_size)
    : run_size_(std::max<std::size_t>(run_size, 1)) {}

SortedColumn::~SortedColumn() = default;

void SortedColumn::Add(double value, double weight) {
  GOLDMINE_REQUIRE(!finished_, "SortedColumn::Add after Finish");
  if (std::isnan(value)) return;
  total_ += weight;
  ++size_;
  if (buffer_.size() == run_size_) SpillRun();
  buffer_.push_back({value, weight});
}

void SortedColumn::SortBuffer() {
  std::stable_sort(
      buffer_.begin(), buffer_.end(), [](const Entry& a, const Entry& b) {
        return a.value < b.value;
      });
}

void SortedColumn::SpillRun() {
  if (!runs_file_) runs_file_ = std::make_unique<ScratchFile>(kPurpose);
  SortBuffer();
  runs_file_->Append(buffer_.data(), buffer_.size() * sizeof(Entry));
  run_lengths_.push_back(buffer_.size());
  buffer_.clear();
}

void SortedColumn::Finish() {
  GOLDMINE_REQUIRE(!finished_, "SortedColumn::Finish called twice");
  finished_ = true;
  if (run_lengths_.empty()) {
    SortBuffer();
    values_.reserve(buffer_.size());
    midpoints_.reserve(buffer_.size());
    double sum = 0.0;
    for (const auto& [value, weight] : buffer_) {
      sum += weight;
      values_.push_back(value);
      midpoints_.push_back(sum - 0.5 * weight);
    }
    std::vector<Entry>().swap(buffer_);
    return;
  }
  if (!buffer_.empty()) SpillRun();
  std::vector<Entry>().swap(buffer_);
  MergeRuns();
}

void SortedColumn::MergeRuns() {
  runs_file_->Flush();
  struct Run {
    std::size_t offset = 0;     // of the next entry not yet buffered
    std::size_t remaining = 0;  // entries not yet buffered
    std::vector<Entry> buffer;
    std::size_t position = 0;  // in buffer
  };
  std::vector<Run> runs(run_lengths_.size());
  std::size_t offset = 0;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    runs[r].offset = offset;
    runs[r].remaining = run_lengths_[r];
    offset += run_lengths_[r];
  }
  auto refill = [&](Run& run) {
    const std::size_t count = std::min(kBufferEntries, run.remaining);
    run.buffer.resize(count);
    runs_file_->ReadAt(
        run.buffer.data(), count * sizeof(Entry), run.offset * sizeof(Entry));
    run.offset += count;
    run.remaining -= count;
    run.position = 0;
  };
  // The run with the smallest current value first; at equal values the
  // earlier run, whose entries were added earlier: the stable order.
  auto later = [&](std::size_t a, std::size_t b) {
    const double va = runs[a].buffer[runs[a].position].value;
    const double vb = runs[b].buffer[runs[b].position].value;
    return vb < va || (!(va < vb) && b < a);
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)>
      heap(later);
  for (std::size_t r = 0; r < runs.size(); ++r) {
    refill(runs[r]);
    heap.push(r);
  }
  sorted_file_ = std::make_unique<ScratchFile>(kPurpose);
  std::vector<SortedEntry> out;
  out.reserve(kBufferEntries);
  double sum = 0.0;
  while (!heap.empty()) {
    const std::size_t r = heap.top();
    heap.pop();
    Run& run = runs[r];
    const auto [value, weight] = run.buffer[run.position];
    sum += weight;
    out.push_back({value, sum - 0.5 * weight});
    if (out.size() == kBufferEntries) {
      sorted_file_->Append(out.data(), out.size() * sizeof(out[0]));
      out.clear();
    }
    if (++run.position == run.buffer.size()) {
      if (run.remaining == 0) continue;
      refill(run);
    }
    heap.push(r);
  }
  sorted_file_->Append(out.data(), out.size() * sizeof(out[0]));
  sorted_file_->Flush();
  runs_file_.reset();  // frees its disk space
}

SortedColumn::SortedEntry SortedColumn::ReadSorted(std::size_t i) const {
  SortedEntry entry{};
  sorted_file_->ReadAt(&entry, sizeof(entry), i * sizeof(entry));
  return entry;
}

double SortedColumn::value(std::size_t i) const {
  GOLDMINE_REQUIRE(finished_ && i < size_,
                   "SortedColumn::value: position outside the column");
  return external() ? ReadSorted(i).value : values_[i];
}

double SortedColumn::midpoint_sum(std::size_t i) const {
  GOLDMINE_REQUIRE(finished_ && i < size_,
                   "SortedColumn::midpoint_sum: position outside the column");
  return external() ? ReadSorted(i).midpoint_sum : midpoints_[i];
}

}  // namespace goldmine::mining
