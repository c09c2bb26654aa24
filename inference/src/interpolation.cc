#include "goldmine/inference/interpolation.h"

#include <array>
#include <cmath>

namespace goldmine::inference {
namespace {

// pyhf code4.py with α₀ = 1: coefficients a = A⁻¹ b of 1 + Σ a_i α^i.
constexpr std::array<std::array<double, 6>, 6> kCode4InverseMatrix = {{
    {15.0 / 16, -15.0 / 16, -7.0 / 16, -7.0 / 16, 1.0 / 16, -1.0 / 16},
    {3.0 / 2, 3.0 / 2, -9.0 / 16, 9.0 / 16, 1.0 / 16, 1.0 / 16},
    {-5.0 / 8, 5.0 / 8, 5.0 / 8, 5.0 / 8, -1.0 / 8, 1.0 / 8},
    {-3.0 / 2, -3.0 / 2, 7.0 / 8, -7.0 / 8, -1.0 / 8, -1.0 / 8},
    {3.0 / 16, -3.0 / 16, -3.0 / 16, -3.0 / 16, 1.0 / 16, -1.0 / 16},
    {1.0 / 2, 1.0 / 2, -5.0 / 16, 5.0 / 16, 1.0 / 16, 1.0 / 16},
}};

// hi^α for α >= 0 and lo^-α for α < 0, with derivative.
Interpolated Exponential(double lo, double hi, double alpha) {
  if (alpha >= 0) {
    const double value = std::pow(hi, alpha);
    return {value, value * std::log(hi)};
  }
  const double value = std::pow(lo, -alpha);
  return {value, -value * std::log(lo)};
}

}  // namespace

std::string Description(NormSysCode code) {
  return code == NormSysCode::kCode1 ? "code1" : "code4";
}

std::string Description(HistoSysCode code) {
  switch (code) {
    case HistoSysCode::kCode0:
      return "code0";
    case HistoSysCode::kCode2:
      return "code2";
    case HistoSysCode::kCode4p:
      return "code4p";
  }
  return "unknown";
}

Interpolated InterpolateNormSys(NormSysCode code,
                                double lo,
                                double hi,
                                double alpha) {
  if (code == NormSysCode::kCode1 || std::abs(alpha) >= 1.0) {
    // Code 1 uses α > 0 for the hi branch; at α = 0 both branches give 1.
    return Exponential(lo, hi, alpha);
  }
  const double log_hi = std::log(hi);
  const double log_lo = std::log(lo);
  const std::array<double, 6> b = {hi - 1.0,
                                   lo - 1.0,
                                   hi * log_hi,
                                   -lo * log_lo,
                                   hi * log_hi * log_hi,
                                   lo * log_lo * log_lo};
  double value = 1.0;
  double derivative = 0.0;
  double power = 1.0;  // α^(i-1)
  for (int i = 0; i < 6; ++i) {
    double coefficient = 0.0;
    for (int j = 0; j < 6; ++j) coefficient += kCode4InverseMatrix[i][j] * b[j];
    derivative += (i + 1) * coefficient * power;
    power *= alpha;
    value += coefficient * power;
  }
  return {value, derivative};
}

Interpolated InterpolateHistoSys(
    HistoSysCode code, double lo, double nominal, double hi, double alpha) {
  const double delta_up = hi - nominal;
  const double delta_down = nominal - lo;
  switch (code) {
    case HistoSysCode::kCode0:
      if (alpha > 0) return {alpha * delta_up, delta_up};
      return {alpha * delta_down, delta_down};
    case HistoSysCode::kCode2: {
      const double a = 0.5 * (hi + lo) - nominal;
      const double b = 0.5 * (hi - lo);
      if (alpha > 1) return {(b + 2 * a) * (alpha - 1), b + 2 * a};
      if (alpha < -1) return {(b - 2 * a) * (alpha + 1), b - 2 * a};
      return {a * alpha * alpha + b * alpha, 2 * a * alpha + b};
    }
    case HistoSysCode::kCode4p: {
      if (alpha > 1) return {alpha * delta_up, delta_up};
      if (alpha < -1) return {alpha * delta_down, delta_down};
      const double s = 0.5 * (delta_up + delta_down);
      const double asymmetry = (delta_up - delta_down) / 16.0;
      const double a2 = alpha * alpha;
      const double a4 = a2 * a2;
      return {alpha * s + asymmetry * (3 * a4 * a2 - 10 * a4 + 15 * a2),
              s + asymmetry * alpha * (18 * a4 - 40 * a2 + 30)};
    }
  }
  return {0.0, 0.0};
}

}  // namespace goldmine::inference
