// The built-in default PDF: a compact analytic parametrisation of NNPDF2.3
// QCD+QED LO (alpha_s(M_Z) = 0.130, central member; the default LO PDF of
// MadGraph5_aMC and Pythia 8, arXiv:1207.1303, 1308.0598), so that a first
// run needs no external file. The project fits the coefficients itself with
// generators/tools/fit_builtin_pdf (which also documents the fit) and commits
// the table (src/builtin_pdf_table.cc), never the grid.
//
// Form: nine components, u_v = u - ū, d_v = d - d̄, ū, d̄, s, s̄, c = c̄,
// b = b̄ and g, each
//   x f(x, Q) = exp( a_0 + a_1 ln x + a_2 ln² x + a_3 ln(1-x) + a_4 √x
//                    + Σ_{n=1..10} a_{4+n} T_n(2x - 1) ),
// i.e. A x^a (1-x)^b times the exponential of a smooth function (T_n are
// Chebyshev polynomials; 15 coefficients). The fit covers 1e-5 ≤ x ≤ 0.9:
// below x = 1e-5 the ln² x term continues along its tangent (a pure power
// law), above x = 0.9 x f falls like (1-x)³ from its value there. The a_k are
// tabulated at 16 Q knots uniform in ln Q from 10 GeV to 10 TeV and
// interpolated with 4-point Lagrange polynomials in ln Q (equivalent to
// interpolating ln x f). Q is frozen outside [10 GeV, 10 TeV]; top quarks and
// photons are 0. Quarks: u = u_v + ū, d = d_v + d̄, so u ≥ ū everywhere.
//
// Measured accuracy against the grid (4-point Lagrange, LhapdfGrid) on a
// lattice of 174 x × 48 Q points log-spaced in 1e-3 < x < 0.7 and
// 50 < Q < 1000 GeV, maximum |built-in / grid - 1| (builtin_pdf_test.cc
// checks < 2 %):
//   u 0.48 %, d 0.52 %, ū 0.50 %, d̄ 0.55 %, s 0.04 %, c 0.08 %, g 0.08 %.
// The largest deviations sit at large x (≳ 0.5) for the light quarks.
// Sum rules at Q = 100 GeV: momentum fraction of the 11 partons 0.9986 (the
// grid's photon carries the rest), ∫(u - ū) dx = 2.004, ∫(d - d̄) dx = 1.001.
#pragma once

#include <string>

#include "goldmine/generators/parton_density.h"

namespace goldmine::generators {

class BuiltinPdf final : public PartonDensity {
 public:
  BuiltinPdf() = default;

  // x f at (x, Q) as PartonDensity::Xf; intended for 1e-5 < x < 1 and
  // 10 GeV ≤ Q ≤ 10 TeV (frozen outside).
  double Xf(int pdg_id, double x, double q) const override;
  PartonValues XfAll(double x, double q) const override;
  std::string Description() const override;
};

}  // namespace goldmine::generators
