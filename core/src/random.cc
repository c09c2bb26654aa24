#include "goldmine/core/random.h"

#include <cmath>

namespace goldmine {

std::uint64_t MixSeed(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double RandomStream::Uniform() {
  constexpr double kTwoToMinus53 = 1.0 / 9007199254740992.0;
  return static_cast<double>(engine_() >> 11) * kTwoToMinus53;
}

double RandomStream::Uniform(double lower, double upper) {
  return lower + (upper - lower) * Uniform();
}

double RandomStream::Normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u = 0.0;
  double v = 0.0;
  double s = 0.0;
  do {
    u = 2.0 * Uniform() - 1.0;
    v = 2.0 * Uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * factor;
  has_spare_normal_ = true;
  return u * factor;
}

std::uint64_t RandomStream::Index(std::uint64_t n) {
  // Reject the top partial block so that every index is equally likely.
  const std::uint64_t limit =
      std::mt19937_64::max() - std::mt19937_64::max() % n;
  std::uint64_t draw = 0;
  do {
    draw = engine_();
  } while (draw >= limit);
  return draw % n;
}

}  // namespace goldmine
