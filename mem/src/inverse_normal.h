// Φ⁻¹(u), the inverse of the standard normal CDF, for the transfer-function
// maps of the MEM processes (a uniform u becomes a pull n with density φ(n)).
#pragma once

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <cmath>

namespace goldmine::mem {

// u is kept 1e-15 away from 0 and 1 (tails beyond 7.9 σ are left out).
inline double InverseNormal(double u) {
  const double clamped = std::clamp(u, 1e-15, 1.0 - 1e-15);
  return -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * clamped);
}

}  // namespace goldmine::mem
