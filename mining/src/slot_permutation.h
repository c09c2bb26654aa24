// Private: a pseudorandom permutation of {0, …, n−1} that is computed, not
// stored (issue 20). Sampling draws a model's events in ascending order of
// their uniforms and sends the k-th draw to slot π(k), so that rows come out
// in an exchangeable order, as with unsorted draws, without a shuffled list
// of n slots in memory.
//
// Up to kTableSize slots, π is a Fisher–Yates shuffle held in a table
// (exactly uniform, at most 16 kB). Beyond that it is computed: a 4-round
// alternating Feistel network on the b-bit numbers with 2^b ≥ n (fewer than
// 2n of them), keyed from the seed, restricted to {0, …, n−1} by cycle
// walking: encrypt again until the value is below n. Each round and the
// walk are bijections, so π is one; a value needs 2^b / n < 2 encryptions
// on average. tests/mining/sample_drawing_test.cc checks the bijection and
// the uniformity of where an index lands.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace goldmine::mining {

class SlotPermutation {
 public:
  static constexpr std::uint64_t kTableSize = 4096;

  SlotPermutation(std::uint64_t size, std::uint64_t seed);

  std::uint64_t size() const { return size_; }
  // π(index), for index < size().
  std::uint64_t operator()(std::uint64_t index) const {
    if (!table_.empty()) return table_[index];
    std::uint64_t value = index;
    do {
      value = Encrypt(value);
    } while (value >= size_);
    return value;
  }

 private:
  std::uint64_t Encrypt(std::uint64_t value) const {
    std::uint64_t left = value >> right_bits_;
    std::uint64_t right = value & right_mask_;
    for (std::size_t round = 0; round < keys_.size(); round += 2) {
      left ^= Mix(right + keys_[round]) & left_mask_;
      right ^= Mix(left + keys_[round + 1]) & right_mask_;
    }
    return (left << right_bits_) | right;
  }

  // The splitmix64 finaliser (core/random.h's MixSeed, inlined here: it
  // runs a few times per draw).
  static std::uint64_t Mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t size_;
  std::vector<std::uint32_t> table_;  // up to kTableSize slots
  int right_bits_ = 1;
  std::uint64_t left_mask_ = 1;
  std::uint64_t right_mask_ = 1;
  std::array<std::uint64_t, 4> keys_{};
};

}  // namespace goldmine::mining
