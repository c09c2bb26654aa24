// The Matrix Element Method for the built-in WH generator at parton level
// (p p → W(→ ℓ ν) H(→ b b̄), generators/wh_generator.h): the generator's own
// matrix element, PDFs, factorisation scale and quark channels, integrated
// over what the observation does not fix.
//
// Observation x: the charged lepton (l[0].px, .py, .pz, .charge) and the two
// b quarks (b[0], b[1]: px, py, pz; massless). The neutrino's transverse
// momentum balances ℓ b b̄ (the MET observables add nothing at parton
// level, and with the wh-1908.06980 preset their noise acts on the observed
// visible sum, so that its transfer function cancels). Unobserved: the
// neutrino p_z, the initial-state flavours and the beam each quark came
// from; x1 and x2 then follow from energy and p_z conservation:
//   x1,2 = (E ± p_z)_{ℓ ν H} / √s.
// With the wh-1908.06980 smearing (b energies to 10 %, directions kept) the
// true b energies are unobserved too: E_b0 is integrated through its
// transfer peak, and E_b1 follows from the Higgs shell.
// Integration variable (dimension 1): the W virtuality m² = (p_ℓ + p_ν)²
// through the Breit–Wigner map of the generator, between the transverse
// mass m_T² (below it p_z has no real solution) and (√s − m_H)². Each m²
// has two neutrino solutions, p_z = [A p_ℓz ± E_ℓ √(A² − p_Tℓ² p_Tν²)]/p_Tℓ²
// with A = m²/2 + p_Tℓ·p_Tν, and both are summed with the Jacobian
// 1/|dm²/dp_z|. The density
//   dσ/(d³p_ℓ d³p_b d³p_b̄ d²p_Tν) = Σ_channels Σ_orientations ∫ dp_z
//       f_q(x1) f_q̄'(x2) |M|² /(2ŝ) · (2/s) / (16 (2π)^8 E_ℓ E_b E_b̄ E_ν)
// is taken per unit of m_bb on the Higgs shell (a θ-independent factor, as
// BR(H → b b̄)).
//
// The generator's settings must be those the events were generated with;
// `goldmine mem` uses the defaults of `goldmine generate wh` (13 TeV, μF =
// HT/2, the built-in PDF) with the events file's operators.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "goldmine/generators/wh_generator.h"
#include "goldmine/mem/process.h"

namespace goldmine::mem {

// Transfer functions of a detector preset (mining/smearing.h).
struct WhTransfer {
  // σ(E_b)/E_b of the b quarks' energy smearing; 0: none.
  double b_energy_resolution = 0.0;
  // "none" (or "perfect", or empty) and "wh-1908.06980"; throws
  // InvalidInput for other presets.
  static WhTransfer ForDetector(const std::string& detector);
};

class WhProcess : public Process {
 public:
  // Throws InvalidInput for a resolution outside [0, 1).
  explicit WhProcess(std::shared_ptr<const generators::WhGenerator> generator,
                     WhTransfer transfer = {});
  // The generator with `goldmine generate wh`'s defaults and these
  // operators (SMEFTsim names); throws InvalidInput for unknown names.
  static std::unique_ptr<WhProcess> WithDefaults(
      const std::vector<std::string>& operators, WhTransfer transfer = {});

  std::string name() const override { return "wh"; }
  std::vector<std::string> parameters() const override;
  Eigen::MatrixXi monomials() const override;
  std::vector<std::string> observables() const override;
  int dimension() const override {
    return transfer_.b_energy_resolution > 0.0 ? 2 : 1;
  }
  void Integrand(const double* x, const double* u, double* out) const override;
  std::string Description() const override;

 private:
  // Adds the integrand over the W virtuality (u_mass) and both neutrino
  // solutions for true b momenta b0, b1, times `factor` (their measure and
  // transfer functions).
  void AddNeutrinoIntegral(const generators::FourMomentum& lepton,
                           int charge,
                           const generators::FourMomentum& b0,
                           const generators::FourMomentum& b1,
                           double u_mass,
                           double factor,
                           double* out) const;

  std::shared_ptr<const generators::WhGenerator> generator_;
  WhTransfer transfer_;
};

}  // namespace goldmine::mem
