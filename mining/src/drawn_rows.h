// Private: the rows drawn for the slots [first, end) of a sample, added in
// the order they are drawn (event order) and handed back in slot order, one
// piece of consecutive slots at a time (issue 20).
//
// When the slots fit in one piece, rows go straight to their place. Beyond
// that this is a one-pass distribution sort: a row goes to its piece's
// buffer, full buffers are appended to one scratch file (scratch_file.h)
// by a thread of their own (background_appender.h) and remembered by
// offset, and ForEachPiece() reads a piece's buffers back and puts its rows
// in slot order, on a second thread while the caller takes the piece
// before, and on the calling thread once it is free. Memory is two pieces of
// rows plus the buffers (about 3 MB besides the pieces), however large the
// sample; disk is 8 (1 + O + C) bytes per row, C the numbers a row carries.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "goldmine/core/errors.h"

namespace goldmine::mining {

class BackgroundAppender;
class ScratchFile;

class DrawnRows {
 public:
  // Slots [first, end) in pieces of piece_slots (the last one shorter);
  // rows of num_x observables and num_values values that the row carries
  // (benchmark weights, or what a method needs of them).
  // buffer_bytes: each piece's buffer (0: 2 MB shared out, 16 kB to 64 kB
  // each; tests make it small to spill). on_threads = false: the scratch
  // file is written and read back on the calling thread alone (for a
  // process with one core, core/usable_cores.h).
  DrawnRows(std::int64_t first,
            std::int64_t end,
            std::int64_t piece_slots,
            Eigen::Index num_x,
            Eigen::Index num_values,
            std::size_t buffer_bytes = 0,
            bool on_threads = true);
  ~DrawnRows();
  DrawnRows(const DrawnRows&) = delete;
  DrawnRows& operator=(const DrawnRows&) = delete;

  bool Holds(std::int64_t slot) const { return slot >= first_ && slot < end_; }

  // The row of `slot` (Holds(slot); each slot once). X and W are row
  // expressions of num_x and num_values numbers.
  template <typename X, typename W>
  void Add(std::int64_t slot, const X& x, const W& values) {
    GOLDMINE_REQUIRE(Holds(slot), "DrawnRows::Add: slot outside the range");
    if (single_) {
      const auto bucket =
          static_cast<std::size_t>((slot - first_) / kBucketSlots);
      std::size_t& cursor = cursors_[bucket];
      GOLDMINE_REQUIRE(cursor < BucketEnd(bucket),
                       "DrawnRows::Add: a slot was given twice");
      double* record = staged_.data() + cursor;
      record[0] = static_cast<double>(slot - first_);
      for (Eigen::Index i = 0; i < num_x_; ++i) record[1 + i] = x(i);
      for (Eigen::Index i = 0; i < num_values_; ++i) {
        record[1 + num_x_ + i] = values(i);
      }
      cursor += record_;
      return;
    }
    // The piece and the slot within it from the reciprocal of piece_,
    // corrected where rounding misses by one (offsets stay far below 2^50):
    // an integer division per draw was a visible part of drawing.
    const std::int64_t offset = slot - first_;
    auto quotient =
        static_cast<std::int64_t>(static_cast<double>(offset) * inverse_piece_);
    std::int64_t within = offset - quotient * piece_;
    if (within < 0) {
      --quotient;
      within += piece_;
    } else if (within >= piece_) {
      ++quotient;
      within -= piece_;
    }
    const auto piece = static_cast<std::size_t>(quotient);
    std::vector<double>& buffer = buffers_[piece];
    if (buffer.capacity() == 0) buffer.reserve(buffer_values_);
    buffer.push_back(static_cast<double>(within));
    for (Eigen::Index i = 0; i < num_x_; ++i) buffer.push_back(x(i));
    for (Eigen::Index i = 0; i < num_values_; ++i) {
      buffer.push_back(values(i));
    }
    if (buffer.size() == buffer_values_) Spill(piece);
  }

  // Calls piece(first_slot, x, values) for every piece in slot order, with
  // its rows in slot order (x: n × num_x, values: n × num_values; the
  // callee may move from them). Every slot must have had its row.
  void ForEachPiece(const std::function<void(std::int64_t first_slot,
                                             Eigen::MatrixXd& x,
                                             Eigen::MatrixXd& values)>& piece);

 private:
  // Slots per bucket of a single piece: see staged_.
  static constexpr std::int64_t kBucketSlots = 8192;
  std::size_t BucketEnd(std::size_t bucket) const {
    return std::min(staged_.size(), (bucket + 1) * kBucketSlots * record_);
  }
  void Spill(std::size_t piece);
  void Place(const double* records,
             std::size_t count,
             Eigen::MatrixXd* x,
             Eigen::MatrixXd* values) const;
  std::int64_t PieceRows(std::size_t p) const;
  void ResizePiece(std::size_t p,
                   Eigen::MatrixXd* x,
                   Eigen::MatrixXd* values) const;
  // Reads back and places piece p's spilled buffers that `next` hands out
  // (an index into spilled_[p], shared by the threads filling the piece),
  // through `chunk` (this thread's); returns the rows placed.
  std::size_t PlaceSpilled(std::size_t p,
                           std::atomic<std::size_t>* next,
                           std::vector<double>* chunk,
                           Eigen::MatrixXd* x,
                           Eigen::MatrixXd* values) const;
  // Places piece p's rows still in memory and frees them; returns how many.
  std::size_t PlaceBuffered(std::size_t p,
                            Eigen::MatrixXd* x,
                            Eigen::MatrixXd* values);
  void RequirePlaced(std::size_t p, std::size_t placed) const;

  std::int64_t first_;
  std::int64_t end_;
  std::int64_t piece_;
  double inverse_piece_;  // 1 / piece_
  Eigen::Index num_x_;
  Eigen::Index num_values_;
  std::size_t record_;  // numbers per buffered row: slot offset, x, values
  bool single_;
  bool on_threads_;
  // A single piece stages its rows as records (slot, x, values), appended
  // to the bucket of kBucketSlots slots they belong to, and then places
  // them bucket by bucket. Rows drawn in event order land at random slots:
  // written straight into their columns (or a row-major copy of the whole
  // sample) each costs cache misses, half of the in-memory sampling time at
  // 10^6 draws; appended, they go to one of few places that stay in cache,
  // and a bucket's rows are placed within a small region. Several pieces
  // place their buffered rows straight into the columns of a piece (5·10^4
  // rows at the augmenter's default), without a second copy of it.
  std::vector<double> staged_;
  std::vector<std::size_t> cursors_;  // per bucket: where its next record goes
  // Several pieces: per piece, the buffered rows and the offsets of its
  // spilled buffers (each buffer_values_ numbers, whole rows) in the scratch
  // file.
  std::size_t buffer_values_ = 0;
  std::vector<std::vector<double>> buffers_;
  std::vector<std::vector<std::size_t>> spilled_;
  std::unique_ptr<ScratchFile> file_;
  std::unique_ptr<BackgroundAppender> appender_;  // writes file_ (Spill)
};

}  // namespace goldmine::mining
