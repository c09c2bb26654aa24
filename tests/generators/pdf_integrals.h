// Sum-rule integrals of a PartonDensity, shared by the PDF tests.
#pragma once

#include <cmath>
#include <functional>

#include "goldmine/generators/parton_density.h"

namespace goldmine::generators::testing {

// ∫_{1e-9}^{1} g(x) dx for a g that is smooth in ln x at small x: Simpson's
// rule in ln x below x = 0.1 and in x above.
inline double IntegrateOverX(const std::function<double(double)>& g) {
  constexpr int kIntervals = 2000;  // even
  const double log_low = std::log(1e-9);
  const double log_mid = std::log(0.1);
  double low = 0.0;
  const double h_log = (log_mid - log_low) / kIntervals;
  for (int i = 0; i <= kIntervals; ++i) {
    const double x = std::exp(log_low + i * h_log);
    const double weight =
        (i == 0 || i == kIntervals) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    low += weight * g(x) * x;  // dx = x d(ln x)
  }
  low *= h_log / 3.0;
  double high = 0.0;
  const double h = 0.9 / kIntervals;
  for (int i = 0; i <= kIntervals; ++i) {
    const double x = 0.1 + i * h;
    const double weight =
        (i == 0 || i == kIntervals) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    high += weight * (x < 1.0 ? g(x) : 0.0);
  }
  high *= h / 3.0;
  return low + high;
}

// Σ_partons ∫ x f dx over the 13 partons of PartonValues (and `extra`, e.g.
// the photon of a grid, when given).
inline double MomentumSum(const PartonDensity& pdf,
                          double q,
                          const std::function<double(double)>& extra = {}) {
  return IntegrateOverX([&](double x) {
    double sum = 0.0;
    for (double value : pdf.XfAll(x, q)) sum += value;
    if (extra) sum += extra(x);
    return sum;
  });
}

// ∫ (f_q - f_qbar) dx: the valence number of quark q (2 for u, 1 for d).
inline double ValenceNumber(const PartonDensity& pdf, int quark, double q) {
  return IntegrateOverX([&](double x) {
    return (pdf.Xf(quark, x, q) - pdf.Xf(-quark, x, q)) / x;
  });
}

}  // namespace goldmine::generators::testing
