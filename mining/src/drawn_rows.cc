#include "drawn_rows.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <string>
#include <utility>

#include "background_appender.h"
#include "scratch_file.h"

namespace goldmine::mining {
namespace {

// All pieces' buffers together take about this much memory: 16 kB to 64 kB
// each (a write of 16 kB to the page cache costs little more per byte than
// a larger one).
constexpr std::size_t kBufferBudgetBytes = std::size_t{2} << 20;
constexpr std::size_t kMinBufferBytes = std::size_t{16} << 10;
constexpr std::size_t kMaxBufferBytes = std::size_t{64} << 10;
// Full buffers waiting for the scratch file's thread (at most 1 MB).
constexpr std::size_t kMaxQueued = 16;

}  // namespace

DrawnRows::DrawnRows(std::int64_t first,
                     std::int64_t end,
                     std::int64_t piece_slots,
                     Eigen::Index num_x,
                     Eigen::Index num_values,
                     std::size_t buffer_bytes,
                     bool on_threads)
    : first_(first),
      end_(std::max(first, end)),
      piece_(std::max<std::int64_t>(1, piece_slots)),
      inverse_piece_(1.0 / static_cast<double>(piece_)),
      num_x_(num_x),
      num_values_(num_values),
      record_(static_cast<std::size_t>(1 + num_x + num_values)),
      single_(end_ - first_ <= piece_),
      on_threads_(on_threads) {
  if (single_) {
    staged_.resize(static_cast<std::size_t>(end_ - first_) * record_);
    const std::int64_t buckets =
        (end_ - first_ + kBucketSlots - 1) / kBucketSlots;
    for (std::int64_t b = 0; b < buckets; ++b) {
      cursors_.push_back(static_cast<std::size_t>(b * kBucketSlots) * record_);
    }
    return;
  }
  const auto pieces =
      static_cast<std::size_t>((end_ - first_ + piece_ - 1) / piece_);
  const std::size_t bytes =
      buffer_bytes > 0
          ? buffer_bytes
          : std::clamp(
                kBufferBudgetBytes / pieces, kMinBufferBytes, kMaxBufferBytes);
  const std::size_t rows =
      std::max<std::size_t>(1, bytes / (record_ * sizeof(double)));
  buffer_values_ = rows * record_;
  buffers_.resize(pieces);
  spilled_.resize(pieces);
  file_ = std::make_unique<ScratchFile>("drawing a sample");
  appender_ = std::make_unique<BackgroundAppender>(
      file_.get(), kMaxQueued, on_threads_);
}

DrawnRows::~DrawnRows() = default;

void DrawnRows::Spill(std::size_t piece) {
  spilled_[piece].push_back(appender_->Append(&buffers_[piece]));
}

void DrawnRows::Place(const double* records,
                      std::size_t count,
                      Eigen::MatrixXd* x,
                      Eigen::MatrixXd* values) const {
  for (std::size_t r = 0; r < count; ++r) {
    const double* record = records + r * record_;
    const auto row = static_cast<Eigen::Index>(record[0]);
    for (Eigen::Index i = 0; i < num_x_; ++i) (*x)(row, i) = record[1 + i];
    for (Eigen::Index i = 0; i < num_values_; ++i) {
      (*values)(row, i) = record[1 + num_x_ + i];
    }
  }
}

std::int64_t DrawnRows::PieceRows(std::size_t p) const {
  const std::int64_t first = first_ + static_cast<std::int64_t>(p) * piece_;
  return std::min(end_, first + piece_) - first;
}

void DrawnRows::ResizePiece(std::size_t p,
                            Eigen::MatrixXd* x,
                            Eigen::MatrixXd* values) const {
  x->resize(PieceRows(p), num_x_);
  values->resize(PieceRows(p), num_values_);
}

std::size_t DrawnRows::PlaceSpilled(std::size_t p,
                                    std::atomic<std::size_t>* next,
                                    std::vector<double>* chunk,
                                    Eigen::MatrixXd* x,
                                    Eigen::MatrixXd* values) const {
  std::size_t placed = 0;
  for (std::size_t i = (*next)++; i < spilled_[p].size(); i = (*next)++) {
    file_->ReadAt(
        chunk->data(), chunk->size() * sizeof(double), spilled_[p][i]);
    Place(chunk->data(), chunk->size() / record_, x, values);
    placed += chunk->size() / record_;
  }
  return placed;
}

std::size_t DrawnRows::PlaceBuffered(std::size_t p,
                                     Eigen::MatrixXd* x,
                                     Eigen::MatrixXd* values) {
  const std::size_t placed = buffers_[p].size() / record_;
  Place(buffers_[p].data(), placed, x, values);
  std::vector<double>().swap(buffers_[p]);
  return placed;
}

void DrawnRows::RequirePlaced(std::size_t p, std::size_t placed) const {
  GOLDMINE_REQUIRE(placed == static_cast<std::size_t>(PieceRows(p)),
                   "drawing a sample: piece " + std::to_string(p) + " got " +
                       std::to_string(placed) + " rows for " +
                       std::to_string(PieceRows(p)) + " slots");
}

void DrawnRows::ForEachPiece(
    const std::function<void(std::int64_t, Eigen::MatrixXd&, Eigen::MatrixXd&)>&
        piece) {
  if (single_) {
    for (std::size_t b = 0; b < cursors_.size(); ++b) {
      GOLDMINE_REQUIRE(cursors_[b] == BucketEnd(b),
                       "drawing a sample: the slots from " +
                           std::to_string(first_ + static_cast<std::int64_t>(
                                                       b * kBucketSlots)) +
                           " on got fewer rows than there are slots");
    }
    Eigen::MatrixXd x(end_ - first_, num_x_);
    Eigen::MatrixXd values(end_ - first_, num_values_);
    Place(staged_.data(), staged_.size() / record_, &x, &values);
    std::vector<double>().swap(staged_);
    piece(first_, x, values);
    return;
  }
  appender_->Finish();
  file_->Flush();
  // Piece p + 1 is read back and placed, a spilled buffer at a time, by a
  // helper thread that starts at once and by this thread once `piece` has
  // taken piece p (the samples file's writer: its conversion and writes
  // were a fifth of sampling 10^7 rows, the reading and placing a third):
  // the two share the work whichever is faster. Without on_threads_ this
  // thread does it alone. Two pieces in memory; the rows are the same
  // either way (each row is placed once, in its own slot).
  Eigen::MatrixXd x;
  Eigen::MatrixXd values;
  Eigen::MatrixXd next_x;
  Eigen::MatrixXd next_values;
  std::vector<double> own_chunk(buffer_values_);
  std::vector<double> helper_chunk(buffer_values_);
  {
    ResizePiece(0, &x, &values);
    std::atomic<std::size_t> next{0};
    RequirePlaced(0,
                  PlaceSpilled(0, &next, &own_chunk, &x, &values) +
                      PlaceBuffered(0, &x, &values));
  }
  for (std::size_t p = 0; p < buffers_.size(); ++p) {
    const bool more = p + 1 < buffers_.size();
    std::atomic<std::size_t> next{0};
    std::future<std::size_t> helper;
    if (more) {
      // Allocated here, not by the helper thread: memory that thread
      // allocates would come from a malloc arena of its own and stay there
      // (core/malloc_reuse.h), several pieces' worth over the pieces.
      ResizePiece(p + 1, &next_x, &next_values);
      if (on_threads_) {
        helper = std::async(std::launch::async, [&, p] {
          return PlaceSpilled(
              p + 1, &next, &helper_chunk, &next_x, &next_values);
        });
      }
    }
    piece(first_ + static_cast<std::int64_t>(p) * piece_, x, values);
    if (more) {
      std::size_t placed =
          PlaceSpilled(p + 1, &next, &own_chunk, &next_x, &next_values);
      placed += PlaceBuffered(p + 1, &next_x, &next_values);
      if (helper.valid()) placed += helper.get();
      RequirePlaced(p + 1, placed);
    }
    std::swap(x, next_x);
    std::swap(values, next_values);
  }
}

}  // namespace goldmine::mining
