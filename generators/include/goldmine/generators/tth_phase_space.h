// Phase space of the built-in t t̄ H generator: the massive three-body final
// state t t̄ H in the partonic rest frame and isotropic two-body decays.
//
// Three-body factorisation (M = m_tt̄, the t t̄ invariant mass):
//   dΦ3(ŝ) = dM²/(2π) dΦ2(ŝ; M, m_H) dΦ2(M²; m_t, m_t),
//   Φ2(s; m1, m2) = p*/(4π √s) with uniform angles (dΩ/4π sampled),
// M uniform in [2 m_t, √ŝ − m_H]: the weight of a point is
//   Φ3 = (M_max − M_min) (2M/2π) Φ2(ŝ; M, m_H) Φ2(M²; m_t, m_t)   [GeV²],
// whose mean over points is the phase-space volume (massless limit
// ŝ/(256 π³), tested). Momenta (E, px, py, pz) in GeV, metric (+,−,−,−).
#pragma once

#include <array>

#include "goldmine/core/random.h"
#include "goldmine/generators/lorentz.h"
#include "goldmine/generators/wh_matrix_element.h"

namespace goldmine::generators {

struct TthPhaseSpacePoint {
  FourMomentum top;
  FourMomentum antitop;
  FourMomentum higgs;
  double weight = 0.0;  // Φ3, GeV²
};

// One point at rest in the partonic frame (total momentum (√ŝ, 0, 0, 0)).
// Requires √ŝ > 2 m_t + m_H (InvalidInput otherwise).
TthPhaseSpacePoint SampleTthPhaseSpace(double partonic_energy,
                                       double top_mass,
                                       double higgs_mass,
                                       RandomStream& random);

// Isotropic decay (in the parent's rest frame) of a particle with momentum
// `parent` and mass `mass` into daughters of masses m1, m2 (m1 + m2 < mass).
std::array<FourMomentum, 2> IsotropicDecay(const FourMomentum& parent,
                                           double mass,
                                           double m1,
                                           double m2,
                                           RandomStream& random);

}  // namespace goldmine::generators
