// The leading-order SMEFT matrix element of q q̄' → W*(±) → f f̄' H, the
// W decay inside the amplitude (off-shell W with a Breit–Wigner, exact spin
// correlations), H on shell. Specification: docs/PHYSICS.md §1–§2 (Warsaw
// basis, arXiv:1008.4884; m_W input scheme {G_F, m_W, m_Z}).
//
// Roles, not lab particles: `quark` q and `antiquark` q̄' are the incoming
// (anti)quarks, `fermion` f and `antifermion` f̄' the W decay products:
//   W+: (u d̄), (c s̄) → f = ν_ℓ, f̄' = ℓ+;   W−: (d ū), (s c̄) → f = ℓ−, f̄' = ν̄_ℓ.
// With these roles one formula serves W+ and W− and both beam orientations.
//
// Amplitude (PHYSICS.md §2.3; massless spinor products <ij>, [ij] of §2.2):
//   t1 = 2 <q̄ f>[f̄ q],   t2 = <q̄|p_h|q] <f|p_h|f̄],
//   A  = α t1 + β t2,
//   α  = 1 + (1 + hbb_eft) δ_kin + ĉ_q ŝ/m_W² + ĉ_W 2 (Q·q_W)/m_W²,
//   β  = 2 ĉ_W / m_W²,
//   ĉ_W = c_HW v²/Λ², ĉ_q = c_Hq3 v²/Λ², δ_kin = (c_HBox − c_HD/4) v²/Λ²,
//   |M|²_avg = g⁶ m_W² |A|² / (48 (ŝ − m_W²)² [(q_W² − m_W²)² + m_W² Γ_W²])
// (|V_qq'| = 1; GeV⁻²). A is linear in the Wilson coefficients, so |A|² is an
// exact quadratic polynomial in them: |A|² = |A_0|² P(c) with
//   P(c) = 1 + Σ_i a_i c_i + Σ_{i≤j} b_ij c_i c_j.
// The optional CP-odd O_HW̃ adds β̃ ε_{μνρσ} q_W^μ L^ν Q^ρ J^σ with
// β̃ = 2 c_HW̃ (v²/Λ²)/m_W² and ε_{0123} = +1 (§2.6; the sign relative to
// SMEFTsim is not verified). With O_HW̃ the amplitude is built from the
// explicit Dirac currents J, L of §2.6 instead of spinor products (the two
// agree up to a common phase, which cancels in |A|² and in P).
#pragma once

#include <Eigen/Core>
#include <array>
#include <complex>
#include <string>
#include <vector>

namespace goldmine::generators {

// (E, px, py, pz) in GeV; the metric is (+, −, −, −).
using FourMomentum = std::array<double, 4>;

// Minkowski product a·b.
double Dot(const FourMomentum& a, const FourMomentum& b);

// The dimension-six operators that act on W H at tree level.
enum class WhOperator {
  kHBox,     // O_HBox; enters with O_HD only as c_HBox − c_HD/4
  kHD,       // O_HD
  kHW,       // O_HW
  kHq3,      // O_Hq^(3), flavour universal
  kHWtilde,  // O_HW̃, CP odd (optional)
};

// SMEFTsim's names, which are also the parameter names of goldmine files:
// "cHbox", "cHDD", "cHW", "cHq3", "cHWtil".
std::string OperatorName(WhOperator op);
// Accepts the SMEFTsim names and the PHYSICS.md spellings ("cHBox", "cHD",
// "cHWt", "cHWtilde"), case-sensitively. Throws InvalidInput naming the
// allowed names.
WhOperator ParseOperator(const std::string& name);
// The four CP-even operators of arXiv:1908.06980: cHbox, cHDD, cHW, cHq3.
std::vector<WhOperator> DefaultOperators();

// Input parameters (PHYSICS.md §1.2, "RPS"); everything else is derived.
struct ElectroweakParameters {
  double fermi_constant = 1.1663787e-5;  // GeV⁻²
  double w_mass = 80.387;                // GeV
  double w_width = 2.085;                // GeV; fixed, not changed by c_Hq3
  double higgs_mass = 125.0;             // GeV
  double higgs_to_bb = 0.5824;           // BR(H → b b̄)
  double lambda = 1000.0;                // GeV, EFT scale Λ
  // 1: δ_kin also modifies the h b b̄ vertex (δ_kin → 2 δ_kin in α; the
  // arXiv:1908.06980 MadGraph setup, PHYSICS.md §1.4). 0: production only.
  int hbb_eft = 0;

  // v = (√2 G_F)^(−1/2).
  double vev() const;
  // g = 2 m_W / v.
  double weak_coupling() const;
  // Tree-level Γ(W → ℓ ν) = g² m_W / (48 π) for one lepton flavour.
  double w_to_lepton_width() const;
  // Throws InvalidInput naming every value that is out of range.
  void Validate() const;
  std::string Description() const;
};

// The six momenta of one partonic configuration, in roles (see top).
// Momentum conservation: quark + antiquark = fermion + antifermion + higgs.
struct WhKinematics {
  FourMomentum quark;
  FourMomentum antiquark;
  FourMomentum fermion;
  FourMomentum antifermion;
  FourMomentum higgs;
};

// Spinor-helicity building blocks (PHYSICS.md §2.2).
struct MasslessSpinor {
  std::complex<double> upper;  // component 0
  std::complex<double> lower;  // component 1
};
MasslessSpinor SpinorOf(const FourMomentum& p);
// <ij> and [ij] = conj(<ji>).
std::complex<double> Angle(const MasslessSpinor& i, const MasslessSpinor& j);
std::complex<double> Square(const MasslessSpinor& i, const MasslessSpinor& j);

// t1 and t2 of §2.3 from spinor products.
struct SpinorStructures {
  std::complex<double> t1;
  std::complex<double> t2;
};
SpinorStructures ComputeSpinorStructures(const WhKinematics& kinematics);

// The explicit currents of §2.6: J^μ = <q̄|γ^μ|q], L^μ = <f|γ^μ|f̄] (upper
// indices, up to a phase each).
struct DiracCurrents {
  std::array<std::complex<double>, 4> quark;   // J
  std::array<std::complex<double>, 4> lepton;  // L
};
DiracCurrents ComputeDiracCurrents(const WhKinematics& kinematics);

// |α t1 + β t2|² from the spin-summed dot-product form of §2.4 (an
// independent cross-check of the spinor form).
double DotProductSquaredAmplitude(const WhKinematics& kinematics,
                                  double alpha,
                                  double beta);

// Per-event EFT polynomial of the squared amplitude,
//   |M(c)|² = sm · P(c),  P(c) = 1 + Σ_i linear[i] c_i
//                              + Σ_{i≤j} quadratic[k(i,j)] c_i c_j,
// with the pairs (i ≤ j) in the order (0,0), (0,1), …, (0,n−1), (1,1), …
// (quadratic has n(n+1)/2 entries; off-diagonal entries include the 2).
struct EftPolynomial {
  double sm = 0.0;
  std::vector<double> linear;
  std::vector<double> quadratic;

  // P(c); theta.size() == linear.size().
  double Ratio(const Eigen::VectorXd& theta) const;
  // sm · P(c).
  double Evaluate(const Eigen::VectorXd& theta) const {
    return sm * Ratio(theta);
  }
};

// Index of the pair (i, j), i ≤ j, in EftPolynomial::quadratic.
int QuadraticIndex(int i, int j, int num_operators);

class WhMatrixElement {
 public:
  // Throws InvalidInput for invalid parameters, an empty or repeated
  // operator list.
  WhMatrixElement(ElectroweakParameters parameters,
                  std::vector<WhOperator> operators);

  const ElectroweakParameters& parameters() const { return parameters_; }
  const std::vector<WhOperator>& operators() const { return operators_; }
  int num_operators() const { return static_cast<int>(operators_.size()); }

  // Spin- and colour-averaged |M|² (GeV⁻², |V| = 1) at the SM in `sm` and the
  // coefficients a_i, b_ij, exact per point. A point where the SM amplitude
  // vanishes exactly gives sm = 0 and zero coefficients.
  EftPolynomial Evaluate(const WhKinematics& kinematics) const;

  // |M|²_avg evaluated directly at the Wilson coefficients `theta` (one per
  // operator, in operators() order), without the polynomial.
  double SquaredMatrixElement(const WhKinematics& kinematics,
                              const Eigen::VectorXd& theta) const;

  // The common factor g⁶ m_W² / (48 (ŝ − m_W²)² [(q_W² − m_W²)² + m_W² Γ_W²])
  // that multiplies |A|².
  double Normalisation(const WhKinematics& kinematics) const;

  std::string Description() const;

 private:
  // Amplitude per unit coefficient: entry 0 is A_0, entry 1 + i is A_i.
  std::vector<std::complex<double>> AmplitudeComponents(
      const WhKinematics& kinematics) const;

  ElectroweakParameters parameters_;
  std::vector<WhOperator> operators_;
  bool cp_odd_ = false;
};

}  // namespace goldmine::generators
