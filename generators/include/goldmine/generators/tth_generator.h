// The built-in LO generator for p p → t t̄ H in the κ_t SMEFT mode
// (PHYSICS.md §7.4): weighted parton-level events, SM QCD helicity
// amplitudes for g g → t t̄ H and q q̄ → t t̄ H (tth_amplitudes.h), the exact
// per-event EFT polynomial κ_t²(c) (tth_matrix_element.h), narrow-width top
// decays and a Higgs decay with fixed branching ratios.
//
// Sampling (one phase-space point = one weighted event):
//  1. τ = x1 x2 from u = ln(τ/τ_min)/ln(1/τ_min) ∈ [0, 1], τ_min =
//     (2 m_t + m_H)²/s, with the mixture density
//     p(u) = f_tail + (1 − f_tail) λ e^(−λu)/(1 − e^(−λ)) (as the WH
//     generator); y uniform in [ln τ/2, −ln τ/2]; J_x = τ ln(1/τ_min)
//     ln(1/τ)/p(u).
//  2. t t̄ H in the partonic frame (tth_phase_space.h), boosted along z.
//  3. Narrow-width decays, isotropic in the rest frames: t → b W+, t̄ → b̄ W−
//     (massless b, on-shell W), W → ℓ ν (ℓ = e, μ) or W → u d̄', c s̄', and
//     H → b b̄ (massless) or γ γ. Isotropic decays drop the top spin
//     correlations; κ_t multiplies every helicity amplitude by the same
//     number, so it does not change them, and the EFT information (all in
//     the rate) is exact.
// Weight (pb):
//   w = Σ_channels f_i(x1, μF) f_j(x2, μF) |M_ij|²_avg(α_s(μR))
//       × Φ3 J_x /(2 ŝ) × BR(t t̄ → decays) BR(H) × 0.3893794e9,
// channels g g and q q̄, q̄ q for q = d, u, s, c, b (massless quarks in the
// matrix element). μR = μF = μ (stated in the run info):
//   fixed: μ = m_t + m_H/2 = 235.26 GeV (the LHCHXSWG central scale, default)
//   ht2:   μ = (m_T(t) + m_T(t̄) + m_T(H))/2.
// The event carries the total SM weight; its incoming partons are drawn
// from the channels with probability ∝ their weight (the EFT polynomial is
// the same for all channels, so this is exact for every θ).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "goldmine/core/random.h"
#include "goldmine/generators/parton_density.h"
#include "goldmine/generators/tth_matrix_element.h"

namespace goldmine::generators {

enum class TthScale {
  kFixed,          // fixed_scale (default m_t + m_H/2)
  kHalfTransverse  // Σ m_T / 2 over t, t̄, H
};
// "fixed", "ht2".
std::string TthScaleName(TthScale scale);
TthScale ParseTthScale(const std::string& name);

enum class TopDecays {
  kSemileptonic,  // one W → ℓ ν (e, μ), the other → q q̄'
  kDileptonic,    // both W → ℓ ν
  kHadronic,      // both W → q q̄'
};
// "semileptonic", "dileptonic", "hadronic".
std::string TopDecaysName(TopDecays decays);
TopDecays ParseTopDecays(const std::string& name);

enum class HiggsDecay {
  kBottomPair,  // H → b b̄
  kDiphoton,    // H → γ γ
};
// "bb", "aa".
std::string HiggsDecayName(HiggsDecay decay);
HiggsDecay ParseHiggsDecay(const std::string& name);

struct TthGeneratorSettings {
  double energy = 13000.0;  // √s, GeV
  TthParameters parameters;
  std::vector<TthOperator> operators = DefaultTthOperators();
  TthScale scale = TthScale::kFixed;
  double fixed_scale = 0.0;  // GeV; ≤ 0 means m_t + m_H/2
  // μR = μF multipliers of the systematic variation weights.
  std::vector<double> scale_variations = {0.5, 2.0};
  TopDecays top_decays = TopDecays::kSemileptonic;
  HiggsDecay higgs_decay = HiggsDecay::kBottomPair;
  bool gluon_fusion = true;
  bool quark_annihilation = true;
  // Proposal for u (step 1).
  double tail_fraction = 0.2;
  double bulk_slope = 6.0;

  // Throws InvalidInput naming every problem at once.
  void Validate() const;
  double FixedScale() const;
  // BR(t t̄ → the chosen W decays) × BR(H → chosen).
  double BranchingRatio() const;
  std::string Description() const;
};

// One weighted event; momenta (E, px, py, pz) in GeV, lab frame, beam 1
// along +z.
struct TthEvent {
  std::array<FourMomentum, 2> partons;
  std::array<int, 2> parton_ids = {0, 0};
  double x1 = 0.0;
  double x2 = 0.0;
  std::array<double, 2> parton_xf = {0.0, 0.0};  // x f at μF
  double scale = 0.0;                            // μR = μF, GeV
  double alpha_s = 0.0;                          // α_s(μR)
  FourMomentum top;
  FourMomentum antitop;
  FourMomentum higgs;
  FourMomentum bottom;      // from t
  FourMomentum antibottom;  // from t̄
  FourMomentum w_plus;
  FourMomentum w_minus;
  // W+ → [0] [1] (ν ℓ+ or q q̄'), W− → [0] [1] (ℓ− ν̄ or q q̄').
  std::array<FourMomentum, 2> w_plus_daughters;
  std::array<FourMomentum, 2> w_minus_daughters;
  std::array<int, 2> w_plus_ids = {0, 0};
  std::array<int, 2> w_minus_ids = {0, 0};
  std::array<FourMomentum, 2> higgs_daughters;
  std::array<int, 2> higgs_ids = {0, 0};
  // SM weight (pb) as a single-point estimate of σ (divide by N) in
  // polynomial.sm, with the κ_t² coefficients: w(θ) = sm · P(θ).
  EftPolynomial polynomial;
  // The g g part of polynomial.sm.
  double gluon_fusion_weight = 0.0;
  // Weight(k μ)/weight(μ) per scale variation (μR and μF together).
  std::vector<double> scale_variation_factors;
};

class TthGenerator {
 public:
  // Throws InvalidInput for invalid settings or a null PDF.
  TthGenerator(TthGeneratorSettings settings,
               std::shared_ptr<const PartonDensity> pdf);

  const TthGeneratorSettings& settings() const { return settings_; }
  const TthMatrixElement& matrix_element() const { return matrix_element_; }

  TthEvent Sample(RandomStream& random) const;

  std::string Description() const;

 private:
  double Scale(const FourMomentum& top,
               const FourMomentum& antitop,
               const FourMomentum& higgs) const;
  // Decays the tops and the Higgs of `event` (sets the decay products).
  void Decay(TthEvent& event, RandomStream& random) const;

  TthGeneratorSettings settings_;
  std::shared_ptr<const PartonDensity> pdf_;
  TthMatrixElement matrix_element_;
};

}  // namespace goldmine::generators
