// The Matrix Element Method for the analytic toy (generators/toy_model.h):
// the same integral a MEM code would do for a real process, on a process
// whose exact density ToyModel::Density is known in closed form, so that the
// integration, the transfer functions and the morphing decomposition are
// checked against an independent truth.
//
// Observation x = (pt, dphi, eta) (j[0].pt, j[0].deltaphi(j[1]), j[0].eta of
// a toy events file); latent z = (pt_true, phi_true, eta). The generator's
// own squared-amplitude ratio R(z; θ) = Σ_c m_c(θ) r_c(z)
// (ToyModel::JointPolynomial) and SM density p_SM(z) give
//   D_c(x) = σ_SM N(eta; 0, 1.5) ∫ dpt_true dphi_true
//              p_SM(pt_true) p_SM(phi_true) r_c(z) T(pt|pt_true)
//              T(dphi|phi_true),
// with the transfer functions of the toy's smearing,
//   T(pt|pt_true)   = N(pt; pt_true, 0.1 pt_true),
//   T(dphi|phi_true) = wrapped N(dphi; phi_true, 0.2).
// Integration variables follow the transfer functions, as MEM codes map
// the narrow transfer peaks: u1 → n1 = Φ⁻¹(u1), pt_true = pt/(1 + 0.1 n1)
// (so the Jacobian of T dpt_true is pt_true/pt · dn1 φ(n1) = pt_true/pt du1);
// u2 → n2 = Φ⁻¹(u2), phi_true = dphi − 0.2 n2 (the wrapping is absorbed by
// the periodicity of r_c). D_c is in pb per (GeV · rad), times the η density.
#pragma once

#include <string>
#include <vector>

#include "goldmine/generators/toy_model.h"
#include "goldmine/mem/process.h"

namespace goldmine::mem {

class ToyProcess : public Process {
 public:
  // `parameters` as for ToyModel (a subset of c1, c2, in θ order).
  explicit ToyProcess(std::vector<std::string> parameters,
                      double sm_cross_section = 0.002);

  std::string name() const override { return "toy"; }
  std::vector<std::string> parameters() const override;
  Eigen::MatrixXi monomials() const override;
  std::vector<std::string> observables() const override;
  int dimension() const override { return 2; }
  void Integrand(const double* x, const double* u, double* out) const override;
  std::string Description() const override;

  const generators::ToyModel& model() const { return model_; }

 private:
  generators::ToyModel model_;
};

}  // namespace goldmine::mem
