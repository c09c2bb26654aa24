// Private: where the draws of one model of a sample go (issue 20).
#pragma once

#include <cstdint>

namespace goldmine::mining {

// The slots a model's draws fill, in the order of its draw index j
// (0 ≤ j < count): runs of `run` consecutive slots, `stride` apart, from
// `first`. Slot s holds output row s of the whole sample (of every shard).
struct ModelSlots {
  std::int64_t count = 0;
  std::int64_t first = 0;
  std::int64_t run = 1;
  std::int64_t stride = 0;
  std::int64_t Slot(std::int64_t j) const {
    // Every draw of a single-θ sample lies in the first run: no division,
    // which was a visible part of a draw.
    if (j < run) return first + j;
    return first + (j / run) * stride + j % run;
  }
};

}  // namespace goldmine::mining
