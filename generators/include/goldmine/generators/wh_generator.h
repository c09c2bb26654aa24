// The built-in LO generator for p p → W(→ ℓ ν) H(→ b b̄) in the SMEFT:
// weighted parton-level events with the exact per-event EFT polynomial, so
// that weights at any θ, morphing, the joint likelihood ratio and the joint
// score are exact. Specification: docs/PHYSICS.md §3.
//
// Sampling (one phase-space point = one weighted event, §3.1):
//  1. τ = x1 x2 with u = ln(τ/τ_min)/ln(1/τ_min) ∈ [0, 1], τ_min =
//     (m_H + m_min)²/s, from the mixture density
//       p(u) = f_tail + (1 − f_tail) λ e^(−λu)/(1 − e^(−λ)):
//     the exponential part follows the steeply falling SM rate, the flat part
//     (uniform ln τ, as in §3.1) is the biased proposal that keeps many
//     events at large ŝ, i.e. in the high-pT(W) tail where the EFT effects
//     live (§3.4). y uniform in [ln τ/2, −ln τ/2]. Jacobian
//     J_x = τ ln(1/τ_min) ln(1/τ) / p(u).
//  2. W virtuality from a Breit–Wigner map between m_min and √ŝ − m_H.
//  3. W* H isotropic in the partonic frame, W* → f f̄' and H → b b̄ isotropic
//     in their rest frames (massless b).
// Weight (pb, §3.2): Σ over the channels {W+: u d̄, c s̄; W−: d ū, s c̄} ×
// {quark from beam 1, from beam 2} × {e, μ} of f_q f_q̄' |M|²_avg times the
// phase-space factors and BR(H → b b̄). One channel is then chosen with
// probability proportional to its SM weight; the event carries the total SM
// weight and the polynomial of the chosen channel. The estimate is unbiased
// at every θ: E[w_SM P_c(θ)] = Σ_c w_c,SM P_c(θ).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "goldmine/core/random.h"
#include "goldmine/generators/parton_density.h"
#include "goldmine/generators/wh_matrix_element.h"

namespace goldmine::generators {

// Factorisation scale μF (§3.2). No α_s appears at this order.
enum class ScaleChoice {
  kFixed,           // fixed_scale (default m_W + m_H)
  kHalfTransverse,  // (√(m_ℓν² + pT,W²) + √(m_H² + pT,H²)) / 2, "HT/2-like"
  kPartonicMass,  // √ŝ
};
// "fixed", "ht2", "shat".
std::string ScaleChoiceName(ScaleChoice choice);
// Inverse of ScaleChoiceName; throws InvalidInput naming the choices.
ScaleChoice ParseScaleChoice(const std::string& name);

struct WhGeneratorSettings {
  double energy = 13000.0;  // √s of the p p collision, GeV
  ElectroweakParameters parameters;
  std::vector<WhOperator> operators = DefaultOperators();
  bool w_plus = true;
  bool w_minus = true;
  bool electrons = true;
  bool muons = true;
  ScaleChoice scale = ScaleChoice::kHalfTransverse;
  // GeV; ≤ 0 means m_W + m_H. Used with ScaleChoice::kFixed.
  double fixed_scale = 0.0;
  // μF multipliers of the systematic variation weights (× the nominal μF).
  std::vector<double> scale_variations = {0.5, 2.0};
  // Lower bound of m_ℓν (GeV).
  double minimum_lepton_mass = 1.0;
  // Proposal for u (step 1 above): share of the flat part and slope λ.
  double tail_fraction = 0.5;
  double bulk_slope = 5.0;

  // Throws InvalidInput naming every problem at once.
  void Validate() const;
  // The μF actually used for kFixed.
  double FixedScale() const;
  // One line: energy, channels, scale, proposal and the parameters.
  std::string Description() const;
};

// One weighted event; momenta (E, px, py, pz) in GeV in the lab frame,
// beam 1 along +z.
struct WhEvent {
  // Incoming partons from beam 1 and beam 2, with their PDG ids.
  std::array<FourMomentum, 2> partons;
  std::array<int, 2> parton_ids = {0, 0};
  double x1 = 0.0;
  double x2 = 0.0;
  // x f of the two incoming partons at the factorisation scale.
  std::array<double, 2> parton_xf = {0.0, 0.0};
  FourMomentum w;  // off-shell W (= lepton + neutrino)
  FourMomentum higgs;
  FourMomentum lepton;    // charged lepton
  FourMomentum neutrino;  // neutrino or antineutrino
  FourMomentum bottom;
  FourMomentum antibottom;
  int w_charge = 0;                  // +1 or −1
  int lepton_id = 0;                 // PDG: −11, −13 (W+) or 11, 13 (W−)
  int neutrino_id = 0;               // 12, 14 (W+) or −12, −14 (W−)
  double factorisation_scale = 0.0;  // GeV
  // SM weight (pb) as the estimate of σ_SM from this single point (divide
  // by the number of events), and the chosen channel's polynomial ratios
  // (EftPolynomial::sm holds the same weight): w(θ) = weight · P(θ).
  EftPolynomial polynomial;
  // Weight(μF × scale_variations[k]) / weight(μF), per variation.
  std::vector<double> scale_variation_factors;
  // The roles of the matrix element of the chosen channel.
  WhKinematics roles;
};

// The quark channels of W± production (|V| = 1): W+ from u d̄ and c s̄, W−
// from d ū and s c̄; `quark` and `antiquark` are PDG ids.
struct WhQuarkPair {
  int charge;
  int quark;
  int antiquark;
};
const std::array<WhQuarkPair, 4>& WhQuarkPairs();

class WhGenerator {
 public:
  // Throws InvalidInput for invalid settings or a null PDF.
  WhGenerator(WhGeneratorSettings settings,
              std::shared_ptr<const PartonDensity> pdf);

  const WhGeneratorSettings& settings() const { return settings_; }
  const WhMatrixElement& matrix_element() const { return matrix_element_; }
  const PartonDensity& pdf() const { return *pdf_; }

  // Samples one phase-space point. The weight is the single-point estimate
  // of σ (pb); a sample of N events has weights weight/N. The weight is 0
  // (with a valid record) where the PDFs or the SM amplitude vanish.
  WhEvent Sample(RandomStream& random) const;

  struct Estimate {
    double value = 0.0;
    double error = 0.0;
  };
  // Monte Carlo σ̂(q q̄' → ℓ ν H) in pb at fixed √ŝ for one channel (quark
  // along +z, one lepton flavour, |V| = 1, no BR(H → b b̄)), at the SM:
  // the partonic normalisation check of PHYSICS.md §2.8.
  Estimate PartonicCrossSection(double partonic_energy,
                                std::int64_t num_points,
                                std::uint64_t seed) const;

  // The factorisation scale μF (GeV) of the settings' ScaleChoice for an
  // off-shell W (ℓ ν) and a Higgs at partonic energy² s_hat (GeV²). The
  // Matrix Element Method (mem/wh_process.h) evaluates the PDFs where the
  // generator did.
  double FactorisationScale(const FourMomentum& w,
                            const FourMomentum& higgs,
                            double s_hat) const;

  std::string Description() const;

 private:
  struct PartonicPoint {
    FourMomentum w;
    FourMomentum higgs;
    FourMomentum fermion;
    FourMomentum antifermion;
    FourMomentum bottom;
    FourMomentum antibottom;
    double weight = 0.0;  // Φ2(ŝ; m, m_H) J_m/(2π) Φ2(m²; 0, 0), GeV^0
  };
  // Samples the W* H system at rest in the partonic frame, then boosts it
  // along z by `rapidity`.
  PartonicPoint SamplePartonic(double partonic_energy,
                               double rapidity,
                               RandomStream& random) const;

  WhGeneratorSettings settings_;
  std::shared_ptr<const PartonDensity> pdf_;
  WhMatrixElement matrix_element_;
};

}  // namespace goldmine::generators
