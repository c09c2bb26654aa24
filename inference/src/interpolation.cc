#include "goldmine/inference/interpolation.h"

#include <cmath>

#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

// pyhf code4.py with α₀ = 1: coefficients c = A⁻¹ b of 1 + Σ c_i α^i.
constexpr std::array<std::array<double, 6>, 6> kCode4InverseMatrix = {{
    {15.0 / 16, -15.0 / 16, -7.0 / 16, -7.0 / 16, 1.0 / 16, -1.0 / 16},
    {3.0 / 2, 3.0 / 2, -9.0 / 16, 9.0 / 16, 1.0 / 16, 1.0 / 16},
    {-5.0 / 8, 5.0 / 8, 5.0 / 8, 5.0 / 8, -1.0 / 8, 1.0 / 8},
    {-3.0 / 2, -3.0 / 2, 7.0 / 8, -7.0 / 8, -1.0 / 8, -1.0 / 8},
    {3.0 / 16, -3.0 / 16, -3.0 / 16, -3.0 / 16, 1.0 / 16, -1.0 / 16},
    {1.0 / 2, 1.0 / 2, -5.0 / 16, 5.0 / 16, 1.0 / 16, 1.0 / 16},
}};

constexpr InterpolationCode kAllCodes[] = {InterpolationCode::kCode0,
                                           InterpolationCode::kCode1,
                                           InterpolationCode::kCode2,
                                           InterpolationCode::kCode4,
                                           InterpolationCode::kCode4p};

}  // namespace

std::string Description(InterpolationCode code) {
  switch (code) {
    case InterpolationCode::kCode0:
      return "code0";
    case InterpolationCode::kCode1:
      return "code1";
    case InterpolationCode::kCode2:
      return "code2";
    case InterpolationCode::kCode4:
      return "code4";
    case InterpolationCode::kCode4p:
      return "code4p";
  }
  return "unknown";
}

InterpolationCode ParseInterpolationCode(const std::string& name) {
  for (InterpolationCode code : kAllCodes) {
    if (Description(code) == name) return code;
  }
  throw InvalidInput("unknown interpolation code \"" + name +
                     "\"; expected one of code0, code1, code2, code4, code4p");
}

Interpolator::Interpolator(InterpolationCode code,
                           double lo,
                           double nominal,
                           double hi)
    : code_(code), nominal_(nominal) {
  switch (code) {
    case InterpolationCode::kCode0:
      up_ = hi - nominal;
      down_ = nominal - lo;
      break;
    case InterpolationCode::kCode2:
      first_ = 0.5 * (hi + lo) - nominal;  // a
      second_ = 0.5 * (hi - lo);           // b
      break;
    case InterpolationCode::kCode4p:
      up_ = hi - nominal;
      down_ = nominal - lo;
      first_ = 0.5 * (up_ + down_);    // S
      second_ = (up_ - down_) / 16.0;  // A
      break;
    case InterpolationCode::kCode1:
    case InterpolationCode::kCode4: {
      if (nominal == 0.0) break;  // the bin stays at 0
      const double ratio_up = hi / nominal;
      const double ratio_down = lo / nominal;
      up_ = std::log(ratio_up);
      down_ = std::log(ratio_down);
      if (code == InterpolationCode::kCode1) break;
      const std::array<double, 6> b = {ratio_up - 1.0,
                                       ratio_down - 1.0,
                                       ratio_up * up_,
                                       -ratio_down * down_,
                                       ratio_up * up_ * up_,
                                       ratio_down * down_ * down_};
      for (int i = 0; i < 6; ++i) {
        polynomial_[i] = 0.0;
        for (int j = 0; j < 6; ++j) {
          polynomial_[i] += kCode4InverseMatrix[i][j] * b[j];
        }
      }
      break;
    }
  }
}

Interpolated InterpolateNormSys(InterpolationCode code,
                                double lo,
                                double hi,
                                double alpha) {
  return Interpolator(code, lo, 1.0, hi).Factor(alpha);
}

Interpolated InterpolateHistoSys(InterpolationCode code,
                                 double lo,
                                 double nominal,
                                 double hi,
                                 double alpha) {
  return Interpolator(code, lo, nominal, hi).Shift(alpha);
}

}  // namespace goldmine::inference
