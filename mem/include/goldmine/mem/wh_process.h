// The Matrix Element Method for the built-in WH generator at parton level
// (p p → W(→ ℓ ν) H(→ b b̄), generators/wh_generator.h): the generator's own
// matrix element, PDFs, factorisation scale and quark channels, integrated
// over what the observation does not fix.
//
// Observation x: the charged lepton (l[0].px, .py, .pz, .charge), the two b
// quarks (b[0], b[1]: px, py, pz; massless, H = b[0] + b[1] on shell) and
// the neutrino's transverse momentum (met.px, met.py). Unobserved: the
// neutrino p_z, the initial-state flavours and the beam each quark came
// from; x1 and x2 then follow from energy and p_z conservation:
//   x1,2 = (E ± p_z)_{ℓ ν H} / √s.
// Integration variable (dimension 1): the W virtuality m² = (p_ℓ + p_ν)²
// through the Breit–Wigner map of the generator, between the transverse
// mass m_T² (below it p_z has no real solution) and (√s − m_H)². Each m²
// has two neutrino solutions, p_z = [A p_ℓz ± E_ℓ √(A² − p_Tℓ² p_Tν²)]/p_Tℓ²
// with A = m²/2 + p_Tℓ·p_Tν, and both are summed with the Jacobian
// 1/|dm²/dp_z|. The density
//   dσ/(d³p_ℓ d³p_b d³p_b̄ d²p_Tν) = Σ_channels Σ_orientations ∫ dp_z
//       f_q(x1) f_q̄'(x2) |M|² /(2ŝ) · (2/s) / (16 (2π)^8 E_ℓ E_b E_b̄ E_ν)
// is taken per unit of m_bb on the Higgs shell (a θ-independent factor, as
// BR(H → b b̄)). With a detector smearing preset the b energies and the
// missing E_T would need transfer functions: not yet (docs/mem.md).
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

class WhProcess : public Process {
 public:
  // Throws InvalidInput (via the generator) for invalid settings.
  explicit WhProcess(std::shared_ptr<const generators::WhGenerator> generator);
  // The generator with `goldmine generate wh`'s defaults and these
  // operators (SMEFTsim names); throws InvalidInput for unknown names.
  static std::unique_ptr<WhProcess> WithDefaults(
      const std::vector<std::string>& operators);

  std::string name() const override { return "wh"; }
  std::vector<std::string> parameters() const override;
  Eigen::MatrixXi monomials() const override;
  std::vector<std::string> observables() const override;
  int dimension() const override { return 1; }
  void Integrand(const double* x, const double* u, double* out) const override;
  std::string Description() const override;

 private:
  std::shared_ptr<const generators::WhGenerator> generator_;
};

}  // namespace goldmine::mem
