#include "goldmine/mining/row_store.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"
#include "scratch_file.h"

namespace goldmine::mining {

RowStore::RowStore(Eigen::Index width, std::string purpose)
    : width_(width), file_(std::make_unique<ScratchFile>(std::move(purpose))) {
  GOLDMINE_REQUIRE(width >= 1, "RowStore: rows need at least one number");
}

RowStore::~RowStore() = default;

void RowStore::Append(const double* row) {
  GOLDMINE_REQUIRE(!finished_, "RowStore::Append after Finish");
  file_->Append(row, static_cast<std::size_t>(width_) * sizeof(double));
  ++rows_;
}

void RowStore::Finish() {
  file_->Flush();
  finished_ = true;
}

void RowStore::ForEachChunk(
    Eigen::Index chunk_rows,
    const std::function<void(Eigen::Index first, const Chunk& chunk)>& visit)
    const {
  GOLDMINE_REQUIRE(finished_, "RowStore::ForEachChunk before Finish");
  GOLDMINE_REQUIRE(chunk_rows >= 1, "RowStore: chunks need at least one row");
  const Eigen::Index rows_per_chunk = std::min(chunk_rows, rows_);
  std::vector<double> buffer(static_cast<std::size_t>(rows_per_chunk * width_));
  for (Eigen::Index first = 0; first < rows_; first += rows_per_chunk) {
    const Eigen::Index count = std::min(rows_per_chunk, rows_ - first);
    const std::size_t row_bytes =
        static_cast<std::size_t>(width_) * sizeof(double);
    file_->ReadAt(buffer.data(),
                  static_cast<std::size_t>(count) * row_bytes,
                  static_cast<std::size_t>(first) * row_bytes);
    visit(first, Chunk(buffer.data(), count, width_));
  }
}

}  // namespace goldmine::mining
