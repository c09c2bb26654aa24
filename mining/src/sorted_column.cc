#include "goldmine/mining/sorted_column.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <string>

#include "goldmine/core/errors.h"

namespace goldmine::mining {
namespace {

// Entries per buffered read of a run while merging (16 kB per run: 1.2 MB
// for the 77 runs of 10^7 values) and per buffered write of the merged
// column.
constexpr std::size_t kBufferEntries = 1024;

// TMPDIR when set (batch systems point it at local scratch disks), else
// the system's temporary folder.
std::string ScratchFolder() {
  const char* folder = std::getenv("TMPDIR");
  return folder != nullptr && *folder != '\0' ? folder : P_tmpdir;
}

[[noreturn]] void ScratchFailure(const std::string& what,
                                 const std::string& reason) {
  throw InvalidInput(
      "sorting a column for its quantiles: cannot " + what +
      " a scratch file in " + ScratchFolder() + " (" + reason +
      "); expected TMPDIR (or /tmp) to be a writable folder with free space");
}

[[noreturn]] void ScratchFailure(const std::string& what) {
  ScratchFailure(what, std::strerror(errno));
}

void Write(std::FILE* file, const void* data, std::size_t bytes) {
  if (bytes > 0 && std::fwrite(data, 1, bytes, file) != bytes) {
    ScratchFailure("write");
  }
}

void ReadAt(std::FILE* file, void* data, std::size_t bytes, std::size_t at) {
  auto* bytes_out = static_cast<char*>(data);
  while (bytes > 0) {
    const ssize_t read =
        pread(fileno(file), bytes_out, bytes, static_cast<off_t>(at));
    if (read < 0 && errno == EINTR) continue;
    if (read < 0) ScratchFailure("read");
    if (read == 0) ScratchFailure("read", "it ends early");
    bytes_out += read;
    bytes -= static_cast<std::size_t>(read);
    at += static_cast<std::size_t>(read);
  }
}

// An unnamed file (O_TMPFILE) in the scratch folder: it has no name, so the
// system frees it when the process ends, also after SIGKILL. Where the file
// system has no O_TMPFILE, a named file removed at once does the same.
std::FILE* OpenScratch() {
  const std::string folder = ScratchFolder();
  int descriptor =
      open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (descriptor < 0) {
    std::string name = folder + "/goldmine-sort-XXXXXX";
    descriptor = mkostemp(name.data(), O_CLOEXEC);
    if (descriptor < 0) ScratchFailure("create");
    unlink(name.c_str());
  }
  std::FILE* file = fdopen(descriptor, "w+b");
  if (file == nullptr) {
    close(descriptor);
    ScratchFailure("create");
  }
  return file;
}

}  // namespace

void SortedColumn::FileCloser::operator()(std::FILE* file) const {
  std::fclose(file);
}

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
  if (!runs_file_) runs_file_.reset(OpenScratch());
  SortBuffer();
  Write(runs_file_.get(), buffer_.data(), buffer_.size() * sizeof(Entry));
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
  if (std::fflush(runs_file_.get()) != 0) ScratchFailure("write");
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
    ReadAt(runs_file_.get(),
           run.buffer.data(),
           count * sizeof(Entry),
           run.offset * sizeof(Entry));
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
  sorted_file_.reset(OpenScratch());
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
      Write(sorted_file_.get(), out.data(), out.size() * sizeof(out[0]));
      out.clear();
    }
    if (++run.position == run.buffer.size()) {
      if (run.remaining == 0) continue;
      refill(run);
    }
    heap.push(r);
  }
  Write(sorted_file_.get(), out.data(), out.size() * sizeof(out[0]));
  if (std::fflush(sorted_file_.get()) != 0) ScratchFailure("write");
  runs_file_.reset();  // frees its disk space
}

SortedColumn::SortedEntry SortedColumn::ReadSorted(std::size_t i) const {
  SortedEntry entry{};
  ReadAt(sorted_file_.get(), &entry, sizeof(entry), i * sizeof(entry));
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
