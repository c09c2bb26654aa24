// Parton-level selections and angles of arXiv:1908.06980 used by several
// WH generator tests (PHYSICS.md §2.5, §3.6).
#pragma once

#include <cmath>

#include "goldmine/generators/wh_generator.h"

namespace goldmine::generators::testing {

inline double Eta(const FourMomentum& p) {
  const double pt = std::hypot(p[1], p[2]);
  return std::asinh(p[3] / pt);
}

inline double DeltaR(const FourMomentum& a, const FourMomentum& b) {
  double dphi = std::atan2(a[2], a[1]) - std::atan2(b[2], b[1]);
  while (dphi > M_PI) dphi -= 2.0 * M_PI;
  while (dphi < -M_PI) dphi += 2.0 * M_PI;
  return std::hypot(Eta(a) - Eta(b), dphi);
}

// The parton-level cuts of arXiv:1908.06980 (PHYSICS.md §3.6): pT,b > 35,
// |η_b| < 2.5, pT,ℓ > 10, |η_ℓ| < 2.5, pT,ν > 25, ΔR(b,b), ΔR(b,ℓ) > 0.4.
inline bool PassesPaperCuts(const WhEvent& e) {
  auto pt = [](const FourMomentum& p) { return std::hypot(p[1], p[2]); };
  for (const FourMomentum* b : {&e.bottom, &e.antibottom}) {
    if (pt(*b) < 35.0 || std::abs(Eta(*b)) > 2.5) return false;
    if (DeltaR(*b, e.lepton) < 0.4) return false;
  }
  if (DeltaR(e.bottom, e.antibottom) < 0.4) return false;
  if (pt(e.lepton) < 10.0 || std::abs(Eta(e.lepton)) > 2.5) return false;
  return pt(e.neutrino) > 25.0;
}

}  // namespace goldmine::generators::testing
