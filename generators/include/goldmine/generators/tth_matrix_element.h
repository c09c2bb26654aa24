// The LO matrix element of p p → t t̄ H in the "κ_t" SMEFT mode of
// PHYSICS.md §7.2/§7.4: SM QCD amplitudes (tth_amplitudes.h) times the exact
// tree-level rescaling of the top Yukawa by O_uH and the Higgs wave-function
// operators O_HBox, O_HD (Warsaw basis, arXiv:1008.4884, Λ = 1 TeV).
//
// Sign convention (documented choice; PHYSICS.md §7.2):
//   L ⊃ −[y_t q̄ H̃ t + h.c.] + (c_uH/Λ²)[(H†H) q̄ H̃ t + h.c.],
// m_t an input. Expanding H̃ → (v + h)/√2 and canonically normalising h
// (h → h(1 + δ_kin), δ_kin = (c_HBox − c_HD/4) v²/Λ²) gives, to first order
// in 1/Λ² (amplitude-level truncation, MadGraph NP=1):
//   L ⊃ −g_htt h t̄ t,  g_htt = (m_t/v)(1 + δ_kin) − c_uH v²/(√2 Λ²),
//   κ_t = g_htt/(m_t/v) = 1 + k_uH c_uH + k_HBox c_HBox + k_HD c_HD,
//   k_uH = −v³/(√2 m_t Λ²) = −0.0610956,  k_HBox = v²/Λ² = 0.0606241,
//   k_HD = −v²/(4Λ²) = −0.0151560   (v = 246.2197 GeV, m_t = 172.76 GeV).
// So positive c_uH lowers the top Yukawa (as dim6top's c_tφ). Every tree
// diagram has exactly one h t t̄ vertex, hence |M(c)|² = κ_t(c)² |M_SM|²
// exactly, a quadratic polynomial:
//   P(c) = κ_t² = 1 + Σ_i 2 k_i c_i + Σ_i k_i² c_i² + Σ_{i<j} 2 k_i k_j c_i
//   c_j.
// The joint score at θ is ∇κ_t²/κ_t² − ∇σ/σ = 0 for every event (σ scales
// by the same factor): all information is in the rate.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "goldmine/generators/tth_amplitudes.h"
#include "goldmine/generators/wh_matrix_element.h"

namespace goldmine::generators {

enum class TthOperator {
  kuH,    // O_uH (third generation, real coefficient)
  kHBox,  // O_HBox
  kHD,    // O_HD
};

// "cuH", "cHbox", "cHDD" (SMEFTsim names, as the WH generator).
std::string TthOperatorName(TthOperator op);
// Accepts those names and "cHBox", "cHD". Throws InvalidInput naming them.
TthOperator ParseTthOperator(const std::string& name);
// {cuH}: the top Yukawa alone (c_HBox, c_HD only add a direction that the
// rate cannot tell apart from c_uH).
std::vector<TthOperator> DefaultTthOperators();

struct TthParameters {
  double fermi_constant = 1.1663787e-5;  // GeV⁻²
  double top_mass = 172.76;              // GeV (PDG 2020)
  double higgs_mass = 125.0;             // GeV
  double w_mass = 80.387;                // GeV
  double z_mass = 91.1876;               // GeV (α_s reference scale)
  // α_s(M_Z) of the PDF set (NNPDF2.3 LO: 0.130), one-loop running with
  // five flavours: α_s(μ) = α_s(M_Z)/(1 + α_s(M_Z) b0 ln(μ²/M_Z²)),
  // b0 = (33 − 2·5)/(12π) (PHYSICS.md §4.2).
  double alpha_s_mz = 0.130;
  double lambda = 1000.0;  // GeV
  // Fixed branching ratios (LHCHXSWG YR4 at m_H = 125.0; PDG for W).
  double higgs_to_bb = 0.5824;
  double higgs_to_photons = 2.270e-3;
  double w_to_lepton = 0.1086;  // per lepton flavour (e or μ)
  double w_to_hadrons = 0.6741;

  double vev() const;  // (√2 G_F)^(−1/2)
  // SM g_htt = m_t/v.
  double top_yukawa_coupling() const;
  double AlphaS(double scale) const;
  // Throws InvalidInput naming every value out of range.
  void Validate() const;
  std::string Description() const;
};

class TthMatrixElement {
 public:
  // Throws InvalidInput for invalid parameters, an empty or repeated list.
  TthMatrixElement(TthParameters parameters,
                   std::vector<TthOperator> operators);

  const TthParameters& parameters() const { return parameters_; }
  const std::vector<TthOperator>& operators() const { return operators_; }

  // k_i of κ_t = 1 + Σ k_i c_i, in operators() order.
  const std::vector<double>& kappa_coefficients() const { return kappa_; }
  double KappaT(const Eigen::VectorXd& theta) const;
  // κ_t² as an EftPolynomial with sm = `sm` (a_i = 2k_i, b_ii = k_i²,
  // b_ij = 2k_i k_j).
  EftPolynomial Polynomial(double sm) const;

  // Spin- and colour-averaged SM |M|² (GeV⁻²) at the strong coupling
  // `alpha_s` (g_s² = 4π α_s) and g_htt = m_t/v.
  double GluonFusion(const TthKinematics& kinematics, double alpha_s) const;
  double QuarkAnnihilation(const TthKinematics& kinematics,
                           double alpha_s) const;

  std::string Description() const;

 private:
  TthParameters parameters_;
  std::vector<TthOperator> operators_;
  std::vector<double> kappa_;
};

}  // namespace goldmine::generators
