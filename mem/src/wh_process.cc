#include "goldmine/mem/wh_process.h"

#include <algorithm>
#include <cmath>

#include "goldmine/core/errors.h"
#include "goldmine/generators/builtin_pdf.h"
#include "goldmine/mem/monomials.h"
#include "inverse_normal.h"

namespace goldmine::mem {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kPicobarnGeV2 = 0.3893794e9;  // ħ²c², pb GeV²

using generators::FourMomentum;

FourMomentum Massless(double px, double py, double pz) {
  return {std::sqrt(px * px + py * py + pz * pz), px, py, pz};
}

FourMomentum Sum(const FourMomentum& a, const FourMomentum& b) {
  return {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]};
}

}  // namespace

WhProcess::WhProcess(std::shared_ptr<const generators::WhGenerator> generator,
                     WhTransfer transfer)
    : generator_(std::move(generator)), transfer_(transfer) {
  if (!(transfer_.b_energy_resolution >= 0.0 &&
        transfer_.b_energy_resolution < 1.0)) {
    throw InvalidInput("WH MEM: the b energy resolution must be in [0, 1)");
  }
}

WhTransfer WhTransfer::ForDetector(const std::string& detector) {
  if (detector.empty() || detector == "none" || detector == "perfect")
    return WhTransfer{};
  if (detector == "wh-1908.06980") {
    // mining/src/smearing.cc: b energies smeared by 10 %, directions kept;
    // the MET noise (12.5 GeV) acts on the observed visible sum only, so its
    // transfer function does not depend on the parton level and cancels.
    WhTransfer transfer;
    transfer.b_energy_resolution = 0.10;
    return transfer;
  }
  throw InvalidInput("WH MEM: no transfer functions for detector \"" +
                     detector + "\"; known: none, wh-1908.06980");
}

std::unique_ptr<WhProcess> WhProcess::WithDefaults(
    const std::vector<std::string>& operators, WhTransfer transfer) {
  generators::WhGeneratorSettings settings;
  settings.operators.clear();
  for (const std::string& name : operators)
    settings.operators.push_back(generators::ParseOperator(name));
  return std::make_unique<WhProcess>(
      std::make_shared<const generators::WhGenerator>(
          settings, std::make_shared<generators::BuiltinPdf>()),
      transfer);
}

std::vector<std::string> WhProcess::parameters() const {
  std::vector<std::string> names;
  for (generators::WhOperator op : generator_->settings().operators)
    names.push_back(generators::OperatorName(op));
  return names;
}

Eigen::MatrixXi WhProcess::monomials() const {
  return QuadraticMonomials(generator_->matrix_element().num_operators());
}

std::vector<std::string> WhProcess::observables() const {
  return {"l[0].px",
          "l[0].py",
          "l[0].pz",
          "l[0].charge",
          "b[0].px",
          "b[0].py",
          "b[0].pz",
          "b[1].px",
          "b[1].py",
          "b[1].pz"};
}

void WhProcess::Integrand(const double* x, const double* u, double* out) const {
  const int outputs =
      NumQuadraticMonomials(generator_->matrix_element().num_operators());
  std::fill(out, out + outputs, 0.0);
  const FourMomentum lepton = Massless(x[0], x[1], x[2]);
  const int charge = x[3] > 0.0 ? +1 : -1;
  const FourMomentum b0 = Massless(x[4], x[5], x[6]);
  const FourMomentum b1 = Massless(x[7], x[8], x[9]);
  if (!(lepton[0] > 0.0) || !(b0[0] > 0.0) || !(b1[0] > 0.0)) return;
  const double resolution = transfer_.b_energy_resolution;
  if (!(resolution > 0.0)) {
    // d³p_b/(2E_b) of each b, on the Higgs shell.
    AddNeutrinoIntegral(
        lepton, charge, b0, b1, u[0], 1.0 / (4.0 * b0[0] * b1[0]), out);
    return;
  }
  // True b energies (directions as observed): E0 from the transfer peak,
  // E0 = E0_obs/(1 + r Φ⁻¹(u1)), so that N(E0_obs; E0, r E0) dE0 =
  // (E0/E0_obs) du1; E1 from the Higgs shell, 2 E0 E1 (1 − cos θ01) = m_H²,
  // whose δ gives 1/(2 E0 (1 − cos θ01)).
  const double scale = 1.0 + resolution * InverseNormal(u[1]);
  if (!(scale > 0.0)) return;
  const double one_minus_cos =
      1.0 - (b0[1] * b1[1] + b0[2] * b1[2] + b0[3] * b1[3]) / (b0[0] * b1[0]);
  if (!(one_minus_cos > 0.0)) return;
  const double mh = generator_->settings().parameters.higgs_mass;
  const double e0 = b0[0] / scale;
  const double e1 = mh * mh / (2.0 * e0 * one_minus_cos);
  const double sigma1 = resolution * e1;
  const double pull1 = (b1[0] - e1) / sigma1;
  const double transfer1 =
      std::exp(-0.5 * pull1 * pull1) / (std::sqrt(2.0 * kPi) * sigma1);
  const FourMomentum true0 = {e0, b0[1] / scale, b0[2] / scale, b0[3] / scale};
  const double ratio1 = e1 / b1[0];
  const FourMomentum true1 = {
      e1, b1[1] * ratio1, b1[2] * ratio1, b1[3] * ratio1};
  // Per b: ∫ E² dE/(2E) T(E_obs|E)/E_obs² (the observed d³p = E_obs² dE dΩ).
  const double factor = (e0 / b0[0]) * transfer1 * e0 * e1 /
                        (4.0 * b0[0] * b0[0] * b1[0] * b1[0]) /
                        (2.0 * e0 * one_minus_cos);
  AddNeutrinoIntegral(lepton, charge, true0, true1, u[0], factor, out);
}

void WhProcess::AddNeutrinoIntegral(const generators::FourMomentum& lepton,
                                    int charge,
                                    const generators::FourMomentum& b0,
                                    const generators::FourMomentum& b1,
                                    double u_mass,
                                    double factor,
                                    double* out) const {
  const generators::WhGeneratorSettings& settings = generator_->settings();
  const generators::ElectroweakParameters& ew = settings.parameters;
  const int outputs =
      NumQuadraticMonomials(generator_->matrix_element().num_operators());
  const FourMomentum higgs = Sum(b0, b1);
  // The neutrino balances the transverse momentum of ℓ b b̄.
  const double nu_x = -(lepton[1] + higgs[1]);
  const double nu_y = -(lepton[2] + higgs[2]);
  const double pt_l2 = lepton[1] * lepton[1] + lepton[2] * lepton[2];
  const double pt_nu2 = nu_x * nu_x + nu_y * nu_y;
  if (!(pt_l2 > 0.0)) return;
  const double pt_dot = lepton[1] * nu_x + lepton[2] * nu_y;
  const double s = settings.energy * settings.energy;
  const double sqrt_s = settings.energy;

  // m² of the W from u through the generator's Breit–Wigner map.
  const double mw2 = ew.w_mass * ew.w_mass;
  const double mw_gw = ew.w_mass * ew.w_width;
  const double mt2 = 2.0 * (std::sqrt(pt_l2 * pt_nu2) - pt_dot);
  const double m_min = settings.minimum_lepton_mass;
  const double m2_low = std::max(mt2, m_min * m_min);
  const double m2_high = std::pow(sqrt_s - ew.higgs_mass, 2);
  if (!(m2_low < m2_high)) return;
  const double rho_low = std::atan((m2_low - mw2) / mw_gw);
  const double rho_high = std::atan((m2_high - mw2) / mw_gw);
  const double rho = rho_low + (rho_high - rho_low) * u_mass;
  const double m2 = mw2 + mw_gw * std::tan(rho);
  const double jacobian_m =
      (rho_high - rho_low) * ((m2 - mw2) * (m2 - mw2) + mw_gw * mw_gw) / mw_gw;

  const double a = 0.5 * m2 + pt_dot;
  const double discriminant = a * a - pt_l2 * pt_nu2;
  if (discriminant < 0.0) return;
  const double root = lepton[0] * std::sqrt(discriminant);
  // (2/s) from dx1 dx2 δ(E) δ(p_z), (2π)⁴/(2π)¹² from dΦ, 1/(2E) of ℓ and ν.
  const double constants = factor * (2.0 / s) /
                           (4.0 * std::pow(2.0 * kPi, 8) * lepton[0]) *
                           kPicobarnGeV2;
  const double beam_energy = 0.5 * sqrt_s;
  std::vector<double> term(static_cast<std::size_t>(outputs));
  for (const double sign : {+1.0, -1.0}) {
    const double pz = (a * lepton[3] + sign * root) / pt_l2;
    const FourMomentum neutrino = {std::sqrt(pt_nu2 + pz * pz), nu_x, nu_y, pz};
    // Squaring introduced no spurious root: E_ℓ E_ν − p⃗_ℓ·p⃗_ν = A.
    const double check = lepton[0] * neutrino[0] - lepton[3] * pz;
    if (std::abs(check - a) > 1e-9 * (std::abs(a) + lepton[0] * neutrino[0]))
      continue;
    const double dm2_dpz =
        2.0 * std::abs(lepton[0] * pz / neutrino[0] - lepton[3]);
    if (!(dm2_dpz > 0.0)) continue;
    const FourMomentum w = Sum(lepton, neutrino);
    const FourMomentum total = Sum(w, higgs);
    const double x1 = (total[0] + total[3]) / sqrt_s;
    const double x2 = (total[0] - total[3]) / sqrt_s;
    if (!(x1 > 0.0 && x1 < 1.0 && x2 > 0.0 && x2 < 1.0)) continue;
    const double s_hat = x1 * x2 * s;
    const double mu = generator_->FactorisationScale(w, higgs, s_hat);
    const generators::PartonValues pdf1 = generator_->pdf().XfAll(x1, mu);
    const generators::PartonValues pdf2 = generator_->pdf().XfAll(x2, mu);
    const FourMomentum beam1 = {x1 * beam_energy, 0.0, 0.0, x1 * beam_energy};
    const FourMomentum beam2 = {x2 * beam_energy, 0.0, 0.0, -x2 * beam_energy};
    // Roles: W+ → f = ν, f̄' = ℓ+; W− → f = ℓ−, f̄' = ν̄.
    const FourMomentum& fermion = charge > 0 ? neutrino : lepton;
    const FourMomentum& antifermion = charge > 0 ? lepton : neutrino;
    const double weight =
        jacobian_m / dm2_dpz / (2.0 * s_hat) / (2.0 * neutrino[0]) * constants;
    for (int orientation = 0; orientation < 2; ++orientation) {
      double luminosity = 0.0;
      for (const generators::WhQuarkPair& pair : generators::WhQuarkPairs()) {
        if (pair.charge != charge) continue;
        const int first = orientation == 0 ? pair.quark : pair.antiquark;
        const int second = orientation == 0 ? pair.antiquark : pair.quark;
        luminosity +=
            pdf1[static_cast<std::size_t>(generators::PartonIndex(first))] *
            pdf2[static_cast<std::size_t>(generators::PartonIndex(second))] /
            (x1 * x2);
      }
      if (!(luminosity > 0.0)) continue;
      const generators::WhKinematics roles =
          orientation == 0 ? generators::WhKinematics{beam1,
                                                      beam2,
                                                      fermion,
                                                      antifermion,
                                                      higgs}
                           : generators::WhKinematics{
                                 beam2, beam1, fermion, antifermion, higgs};
      WriteMonomialCoefficients(generator_->matrix_element().Evaluate(roles),
                                luminosity * weight,
                                term.data());
      for (int c = 0; c < outputs; ++c)
        out[c] += term[static_cast<std::size_t>(c)];
    }
  }
}

std::string WhProcess::Description() const {
  const std::string detector =
      transfer_.b_energy_resolution > 0.0
          ? "b energies smeared by " +
                std::to_string(transfer_.b_energy_resolution) +
                " (relative; the true b energies are integrated, b[1]'s "
                "from the Higgs shell)"
          : "no smearing";
  return "WH (generators/wh_generator.h: " +
         generator_->settings().Description() + "), " + detector +
         ": integration over the W virtuality (both neutrino p_z "
         "solutions), initial-state flavours and orientations; D_c up to "
         "a theta-independent factor per event";
}

}  // namespace goldmine::mem
