#include "goldmine/mem/toy_process.h"

#include <algorithm>
#include <cmath>

#include "goldmine/mem/monomials.h"
#include "inverse_normal.h"

namespace goldmine::mem {

ToyProcess::ToyProcess(std::vector<std::string> parameters,
                       double sm_cross_section)
    : model_(std::move(parameters), sm_cross_section) {}

std::vector<std::string> ToyProcess::parameters() const {
  return model_.parameters();
}

Eigen::MatrixXi ToyProcess::monomials() const {
  return QuadraticMonomials(model_.num_parameters());
}

std::vector<std::string> ToyProcess::observables() const {
  return {"j[0].pt", "j[0].deltaphi(j[1])", "j[0].eta"};
}

void ToyProcess::Integrand(const double* x,
                           const double* u,
                           double* out) const {
  const int outputs = NumQuadraticMonomials(model_.num_parameters());
  std::fill(out, out + outputs, 0.0);
  const double pt = x[0];
  const double dphi = x[1];
  const double eta = x[2];
  const double scale =
      1.0 + generators::ToyModel::RelativePtResolution() * InverseNormal(u[0]);
  if (!(pt > 0.0) || !(scale > 0.0)) return;
  generators::ToyLatent z;
  z.pt = pt / scale;
  z.phi = dphi - generators::ToyModel::PhiResolution() * InverseNormal(u[1]);
  z.eta = eta;
  // T(pt|pt_true) dpt_true = (pt_true/pt) du1, T(dphi|phi_true) dphi_true =
  // du2; the latent density carries p_SM(pt_true) p_SM(phi_true) N(eta).
  const double density = generators::ToyModel::LatentDensity(z) * z.pt / pt;
  if (density == 0.0) return;
  WriteMonomialCoefficients(model_.JointPolynomial(z), density, out);
}

std::string ToyProcess::Description() const {
  return "analytic toy (generators/toy_model.h): x = (pt, dphi, eta), "
         "integration over pt_true and phi_true through the transfer "
         "functions N(pt; pt_true, 0.1 pt_true) and wrapped N(dphi; "
         "phi_true, 0.2); D_c in pb per GeV rad (and unit eta)";
}

}  // namespace goldmine::mem
