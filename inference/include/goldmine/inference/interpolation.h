// Interpolation of systematic variations between the nominal (α = 0) and the
// ±1σ templates (α = ±1), exactly as pyhf's interpolators
// (docs/HISTFACTORY.md §4.2, §4.3). pyhf's defaults are code 4 for normsys and
// code 4p for histosys; the interpolation code is not stored in the JSON.
#pragma once

#include <string>

namespace goldmine::inference {

// Multiplicative (normsys) codes.
enum class NormSysCode {
  kCode1,  // piecewise exponential: hi^α (α > 0), lo^-α (α <= 0)
  kCode4,  // 6th-order polynomial for |α| < 1, exponential outside (default)
};

// Additive (histosys) codes.
enum class HistoSysCode {
  kCode0,   // piecewise linear
  kCode2,   // quadratic inside, linear outside; discontinuous at |α| = 1 as
            // in pyhf (issue #2729)
  kCode4p,  // polynomial inside, linear outside (default)
};

std::string Description(NormSysCode code);   // "code1" / "code4"
std::string Description(HistoSysCode code);  // "code0" / "code2" / "code4p"

// A value and its derivative with respect to α.
struct Interpolated {
  double value;
  double derivative;
};

// Multiplicative factor f(α) with f(0) = 1, f(±1) = hi / lo.
// lo or hi <= 0 give NaN, as in pyhf.
Interpolated InterpolateNormSys(NormSysCode code,
                                double lo,
                                double hi,
                                double alpha);

// Additive shift Δ(α) of one bin with Δ(0) = 0, Δ(±1) = hi/lo − nominal.
Interpolated InterpolateHistoSys(
    HistoSysCode code, double lo, double nominal, double hi, double alpha);

}  // namespace goldmine::inference
