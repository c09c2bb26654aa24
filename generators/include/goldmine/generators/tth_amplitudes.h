// Tree-level QCD amplitudes of g g → t t̄ H and q q̄ → t t̄ H (and, as
// checks of the helicity engine against closed forms, g g → t t̄ and
// q q̄ → t t̄), built numerically from the external wave functions of
// tth_helicity.h and summed over helicities. Massive tops, massless light
// quarks, the Higgs radiated from the top line (PHYSICS.md §7.3).
//
// Feynman rules (Peskin–Schroeder, D_μ = ∂_μ − i g_s T^a A^a_μ): q q g
// vertex i g_s γ^μ T^a, three-gluon vertex g_s f^{abc}[g^{μν}(k − p)^ρ +
// g^{νρ}(p − q)^μ + g^{ρμ}(q − k)^ν] (all momenta incoming), gluon
// propagator −i g_{μν}/q², top propagator i(q̸ + m_t)/(q² − m_t²), Yukawa
// vertex −i g_htt (L ⊃ −g_htt h t̄ t).
//
// g(k1, a, ε1) g(k2, b, ε2) → t(p3, i) t̄(p4, j) H(p5): with the couplings
// stripped, M = −i g_s² g_htt [(T^a T^b)_ij A1 + (T^b T^a)_ij A2], where
//   A1 = Σ_{3 positions of H} ū(p3) [gluon a next to the top] … v(p4)
//        + X_s,
//   A2 = the same with (k1, ε1) ↔ (k2, ε2) − X_s,
// the six "abelian" diagrams with H on each of the three top propagator
// positions of the two gluon orderings, and X_s the two s-channel
// (three-gluon) diagrams with H on either side of the g* t t̄ vertex
// (f^{abc} T^c = −i[T^a, T^b]). Colour sum with the matrix
// C = [[16/3, −2/3], [−2/3, 16/3]]; average 1/4 (spins) × 1/64 (colours).
// Gauge invariance: replacing ε1 by k1 (with ε2 physical) makes A1 and A2
// vanish separately (tested).
//
// q(k1) q̄(k2) → t(p3) t̄(p4) H(p5): M = i g_s² g_htt T^a_ij T^a_kl A with
//   A = [v̄(k2) γ_ρ u(k1)] ū(p3) [P(p3 + p5) γ^ρ + γ^ρ P(−p4 − p5)] v(p4)/ŝ,
// P(q) = (q̸ + m_t)/(q² − m_t²); colour sum 2, average 1/4 × 1/9.
#pragma once

#include "goldmine/generators/tth_helicity.h"

namespace goldmine::generators {

// Momenta of one partonic configuration. incoming1 is the gluon a (g g) or
// the quark (q q̄); incoming2 the gluon b or the antiquark. Momentum
// conservation: incoming1 + incoming2 = top + antitop + higgs.
struct TthKinematics {
  FourMomentum incoming1;
  FourMomentum incoming2;
  FourMomentum top;
  FourMomentum antitop;
  FourMomentum higgs;
};

namespace helicity {

// Coefficients of (T^a T^b)_ij and (T^b T^a)_ij.
struct ColourOrdered {
  Complex first;
  Complex second;
};

// g g → t t̄ H at one phase-space point; the propagators are computed once
// and the amplitudes evaluated for any external wave functions (including
// unphysical ones such as ε1 = k1 for the gauge check).
class GluonFusionTtH {
 public:
  GluonFusionTtH(const TthKinematics& kinematics, double top_mass);
  ColourOrdered Amplitudes(const LorentzVector& eps1,
                           const LorentzVector& eps2,
                           const BarSpinor& top,
                           const Spinor& antitop) const;

 private:
  TthKinematics k_;
  double top_mass_;
  DiracMatrix after_top_;       // P(p3 + p5)
  DiracMatrix before_antitop_;  // P(−p4 − p5)
  DiracMatrix top_minus_k1_;    // P(p3 − k1)
  DiracMatrix top_minus_k2_;    // P(p3 − k2)
  DiracMatrix top_h_minus_k1_;  // P(p3 + p5 − k1)
  DiracMatrix top_h_minus_k2_;  // P(p3 + p5 − k2)
  double s12_ = 0.0;            // (k1 + k2)²
};

// g g → t t̄ (no Higgs): the same structure with two abelian diagrams and
// one s-channel diagram; M = −i g_s² [(T^a T^b) A1 + (T^b T^a) A2].
ColourOrdered GluonFusionTt(const FourMomentum& k1,
                            const FourMomentum& k2,
                            const FourMomentum& top,
                            const FourMomentum& antitop,
                            double top_mass,
                            const LorentzVector& eps1,
                            const LorentzVector& eps2,
                            const BarSpinor& top_spinor,
                            const Spinor& antitop_spinor);

}  // namespace helicity

// Spin- and colour-averaged |M|² per unit couplings, i.e. divided by
// g_s⁴ g_htt² (with H) or g_s⁴ (without). GeV⁻² for 2 → 3, GeV⁰ for 2 → 2.
double GluonFusionTtHSquared(const TthKinematics& kinematics, double top_mass);
double QuarkAnnihilationTtHSquared(const TthKinematics& kinematics,
                                   double top_mass);
double GluonFusionTtSquared(const FourMomentum& k1,
                            const FourMomentum& k2,
                            const FourMomentum& top,
                            const FourMomentum& antitop,
                            double top_mass);
double QuarkAnnihilationTtSquared(const FourMomentum& k1,
                                  const FourMomentum& k2,
                                  const FourMomentum& top,
                                  const FourMomentum& antitop,
                                  double top_mass);

}  // namespace goldmine::generators
