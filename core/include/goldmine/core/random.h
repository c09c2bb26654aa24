// The one source of randomness in goldmine. Every random step takes a seed,
// and the same seed gives the same numbers on every platform: the engine is
// std::mt19937_64, whose output the standard fixes, and the distributions are
// written here instead of taken from <random>, whose algorithms vary between
// standard libraries.
#pragma once

#include <cstdint>
#include <random>

namespace goldmine {

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1) with 53 random bits.
  double Uniform();
  // Uniform in [lower, upper).
  double Uniform(double lower, double upper);
  // Standard normal (Marsaglia's polar method).
  double Normal();
  // Uniform integer in [0, n); n > 0. Unbiased (rejection sampling).
  std::uint64_t Index(std::uint64_t n);

 private:
  std::mt19937_64 engine_;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

// The splitmix64 finaliser: a bijective mix of 64 bits. Seeds of substreams
// (an event, a block of samples, a unit of work) are the mix of the user's
// seed combined with the unit's index, so that a unit's numbers do not depend
// on which thread, shard or machine draws it (issue 19).
std::uint64_t MixSeed(std::uint64_t z);

}  // namespace goldmine
