// Interpolation of systematic variations between the nominal (α = 0) and the
// ±1σ templates (α = ±1), exactly as pyhf's interpolators
// (docs/HISTFACTORY.md §4.2–§4.4; pyhf src/pyhf/interpolators/code*.py).
//
// Each code is a function v(α) of one triple (lo, nominal, hi) with
// v(0) = nominal, v(+1) = hi, v(−1) = lo. With δ⁺ = hi − nominal,
// δ⁻ = nominal − lo (additive codes) and r± = hi/nominal, lo/nominal
// (multiplicative codes):
//
//   code0  v = n + α δ⁺ (α > 0), n + α δ⁻ (α ≤ 0)              piecewise linear
//   code1  v = n r⁺^α (α ≥ 0), n r⁻^(−α) (α < 0)          piecewise exponential
//   code2  v = n + a α² + b α (|α| ≤ 1), a = (hi+lo)/2 − n, b = (hi−lo)/2;
//          n + (b+2a)(α−1) for α > 1, n + (b−2a)(α+1) for α < −1 — as pyhf
//          implements it, which is discontinuous at |α| = 1 (pyhf #2729)
//   code4  v = n (1 + Σ_{i=1..6} c_i α^i) for |α| < 1, code1 outside; the
//          c_i make v, v′, v″ continuous at ±1 (α₀ = 1, HISTFACTORY.md §4.2)
//   code4p v = n + α S + A (3α⁶ − 10α⁴ + 15α²) for |α| ≤ 1, S = (δ⁺+δ⁻)/2,
//          A = (δ⁺−δ⁻)/16; code0 outside
//
// normsys uses the triple (lo, 1, hi) and multiplies the sample by v(α);
// histosys uses (lo_data_b, nominal_b, hi_data_b) per bin and adds
// v(α) − nominal_b. pyhf's Model accepts only code1/code4 for normsys
// (default code4) and code0/code2/code4p for histosys (default code4p); the
// other five combinations are goldmine extensions that apply the same
// interpolator functions (pyhf.interpolators.codeN on the modifier's
// histoset; ROOT's FlexibleInterpVar / PiecewiseInterpolation do the same).
// A multiplicative code on a histosys bin with nominal 0 leaves the bin at 0.
// Ratios or templates <= 0 under a multiplicative code give NaN, as in pyhf.
#pragma once

#include <array>
#include <cmath>
#include <string>

namespace goldmine::inference {

enum class InterpolationCode {
  kCode0,   // piecewise linear (additive)
  kCode1,   // piecewise exponential (multiplicative)
  kCode2,   // quadratic inside, linear outside (additive; pyhf's version)
  kCode4,   // polynomial inside, exponential outside (multiplicative)
  kCode4p,  // polynomial inside, linear outside (additive)
};

// Names kept from the first version of this header, when each modifier type
// had its own list of codes.
using NormSysCode = InterpolationCode;
using HistoSysCode = InterpolationCode;

// "code0", "code1", "code2", "code4", "code4p" (pyhf's interpcode strings).
std::string Description(InterpolationCode code);
// Inverse of Description; throws InvalidInput naming the allowed codes.
InterpolationCode ParseInterpolationCode(const std::string& name);
// code1 and code4 interpolate ratios to the nominal; the others differences.
inline bool IsMultiplicative(InterpolationCode code);

// A value and its derivative with respect to α.
struct Interpolated {
  double value;
  double derivative;
};

// One (lo, nominal, hi) triple prepared for repeated evaluation: logarithms
// and polynomial coefficients are computed once, in the constructor.
class Interpolator {
 public:
  Interpolator() = default;
  Interpolator(InterpolationCode code, double lo, double nominal, double hi);

  // v(α) − nominal: the additive shift of a histosys bin.
  Interpolated Shift(double alpha) const;
  // v(α) / nominal: the factor of a normsys (nominal 1). Requires a
  // non-zero nominal for the additive codes.
  Interpolated Factor(double alpha) const;

 private:
  // v(α)/nominal − 1 for the multiplicative codes (exact near α = 0).
  Interpolated RelativeShift(double alpha) const;

  InterpolationCode code_ = InterpolationCode::kCode0;
  double nominal_ = 1.0;
  // Additive codes: δ⁺, δ⁻ (code0, code4p), a, b (code2), S, A (code4p).
  // Multiplicative codes: ln r⁺, ln r⁻ in up_, down_.
  double up_ = 0.0;
  double down_ = 0.0;
  double first_ = 0.0;
  double second_ = 0.0;
  std::array<double, 6> polynomial_{};  // code4: c_1 … c_6
};

// Multiplicative factor f(α) of a normsys with f(0) = 1, f(±1) = hi / lo.
Interpolated InterpolateNormSys(InterpolationCode code,
                                double lo,
                                double hi,
                                double alpha);

// Additive shift Δ(α) of one histosys bin with Δ(0) = 0, Δ(±1) = hi/lo −
// nominal.
Interpolated InterpolateHistoSys(
    InterpolationCode code, double lo, double nominal, double hi, double alpha);

// Inline definitions: a likelihood evaluation calls these once per modifier
// and bin, ~1e5 times per fit.
namespace internal {
// r^|α| − 1 = expm1(|α| ln r) and its derivative (1 + that) · ±ln r. A zero
// factor (r = 0) has derivative 0 rather than 0 · ∞.
inline Interpolated ExponentialShift(double log_ratio,
                                     double alpha,
                                     double sign) {
  const double shift = std::expm1(sign * alpha * log_ratio);
  const double factor = 1.0 + shift;
  return {shift, factor == 0.0 ? 0.0 : sign * factor * log_ratio};
}
}  // namespace internal

inline bool IsMultiplicative(InterpolationCode code) {
  return code == InterpolationCode::kCode1 || code == InterpolationCode::kCode4;
}

inline Interpolated Interpolator::RelativeShift(double alpha) const {
  if (nominal_ == 0.0) return {0.0, 0.0};
  if (code_ == InterpolationCode::kCode1 || std::abs(alpha) >= 1.0) {
    // Code 1 takes the hi branch at α = 0, where both branches give 1.
    return alpha >= 0 ? internal::ExponentialShift(up_, alpha, 1.0)
                      : internal::ExponentialShift(down_, alpha, -1.0);
  }
  // Horner: Σ c_i α^i = α (c1 + α (c2 + … α c6)).
  double value = 0.0;
  double derivative = 0.0;
  for (int i = 5; i >= 0; --i) {
    derivative = derivative * alpha + (i + 1) * polynomial_[i];
    value = value * alpha + polynomial_[i];
  }
  return {value * alpha, derivative};
}

inline Interpolated Interpolator::Shift(double alpha) const {
  switch (code_) {
    case InterpolationCode::kCode0:
      if (alpha > 0) return {alpha * up_, up_};
      return {alpha * down_, down_};
    case InterpolationCode::kCode2: {
      const double a = first_;
      const double b = second_;
      if (alpha > 1) return {(b + 2 * a) * (alpha - 1), b + 2 * a};
      if (alpha < -1) return {(b - 2 * a) * (alpha + 1), b - 2 * a};
      return {a * alpha * alpha + b * alpha, 2 * a * alpha + b};
    }
    case InterpolationCode::kCode4p: {
      if (alpha > 1) return {alpha * up_, up_};
      if (alpha < -1) return {alpha * down_, down_};
      const double a2 = alpha * alpha;
      const double a4 = a2 * a2;
      return {alpha * first_ + second_ * (3 * a4 * a2 - 10 * a4 + 15 * a2),
              first_ + second_ * alpha * (18 * a4 - 40 * a2 + 30)};
    }
    case InterpolationCode::kCode1:
    case InterpolationCode::kCode4: {
      const Interpolated relative = RelativeShift(alpha);
      return {nominal_ * relative.value, nominal_ * relative.derivative};
    }
  }
  return {0.0, 0.0};
}

inline Interpolated Interpolator::Factor(double alpha) const {
  if (IsMultiplicative(code_)) {
    const Interpolated relative = RelativeShift(alpha);
    return {1.0 + relative.value, relative.derivative};
  }
  const Interpolated shift = Shift(alpha);
  if (nominal_ == 1.0) return {1.0 + shift.value, shift.derivative};
  return {1.0 + shift.value / nominal_, shift.derivative / nominal_};
}

}  // namespace goldmine::inference
