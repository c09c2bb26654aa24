#include "slot_permutation.h"

#include <numeric>
#include <utility>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"

namespace goldmine::mining {

SlotPermutation::SlotPermutation(std::uint64_t size, std::uint64_t seed)
    : size_(size) {
  GOLDMINE_REQUIRE(size > 0 && size <= (std::uint64_t{1} << 62),
                   "a slot permutation needs between 1 and 2^62 slots");
  if (size <= kTableSize) {
    table_.resize(size);
    std::iota(table_.begin(), table_.end(), std::uint32_t{0});
    RandomStream random(seed);
    for (std::size_t i = table_.size(); i > 1; --i) {
      std::swap(table_[i - 1], table_[random.Index(i)]);
    }
    return;
  }
  // The smallest b with 2^b ≥ size, cut into left and right halves.
  int bits = 1;
  while ((std::uint64_t{1} << bits) < size) ++bits;
  right_bits_ = (bits + 1) / 2;
  left_mask_ = (std::uint64_t{1} << (bits - right_bits_)) - 1;
  right_mask_ = (std::uint64_t{1} << right_bits_) - 1;
  std::uint64_t key = seed;
  for (std::uint64_t& round_key : keys_) {
    key = MixSeed(key + 0x9e3779b97f4a7c15ULL);
    round_key = key;
  }
}

}  // namespace goldmine::mining
