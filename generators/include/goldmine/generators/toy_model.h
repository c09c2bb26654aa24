// The analytic toy process: a one- or two-parameter "EFT" whose likelihood
// p(x|θ), likelihood ratio r(x|θ0,θ1) and score t(x|θ) are known exactly, so
// that estimators (SALLY, RASCAL, ALICES) and limits can be validated against
// the truth. It mirrors MadMiner's toy (shared/reference/madminer/README.md,
// "The toy process"); with both parameters, the same seed-independent
// formulas give MadMiner's weights.
//
// Latent (parton-level) variables z = (pt_true, phi_true, eta), sampled at
// the SM:
//   pt_true  = 20 GeV + Exponential(mean 50 GeV)
//   phi_true ~ Uniform(−π, π)
//   eta      ~ Normal(0, 1.5)           (carries no information on θ)
// Squared-amplitude ratio, with a1 = pt_true/100 GeV, a2 = 0.8 cos phi_true,
// b2 = 0.3 (1 + sin² phi_true):
//   R(z; θ) = |M(θ)|²/|M_SM|² = (1 + c1 a1 + c2 a2)² + c2² b2
//           = 1 + 2 a1 c1 + 2 a2 c2 + a1² c1² + 2 a1 a2 c1 c2 + (a2² + b2) c2²,
// i.e. exactly the morphing components of max power 2 (overall 2). With one
// parameter the other is fixed to 0: R = (1 + c1 a1)² or (1 + c2 a2)² + c2² b2.
// The event weight at θ is w(z|θ) = (σ_SM/N) R(z; θ) (pb), σ_SM = 0.002 pb
// by default, so that
//   σ(θ) = σ_SM E_SM[R] = σ_SM (1 + 1.4 c1 + 0.74 c1² + 0.77 c2²),
//   p(z|θ) = p_SM(z) R(z; θ) / E_SM[R(θ)],
//   r(x,z|θ0,θ1) = R(z;θ0)/R(z;θ1) · σ(θ1)/σ(θ0),
//   t(x,z|θ) = ∇ ln R(z;θ) − ∇ ln σ(θ)           (joint quantities).
//
// Observables x (smeared; the weights depend on z only, so t(x,z) ≠ t(x)):
//   pt   = pt_true (1 + 0.1 n1),   n1 ~ Normal(0,1) truncated to n1 > −9.5
//          (pt > 1 GeV; the truncation removes 1e-21 of the probability and
//          is ignored below)
//   dphi = phi_true + 0.2 n2, wrapped into (−π, π]
//   eta  = eta,   ptcos = pt cos(dphi) (a function of the others).
//
// Exact likelihood. R is a polynomial in θ whose coefficients are products
// of a function of pt_true and one of phi_true, so the integral over z
// factorises into one-dimensional integrals:
//   M_k(pt)   = ∫ dpt_true p_SM(pt_true) N(pt; pt_true, 0.1 pt_true)
//                 (pt_true/100)^k,    k = 0, 1, 2   (numerically, 1e-12)
//   C_0(dphi) = 1/(2π),
//   C_c(dphi) = e^(−σ²/2) cos(dphi)/(2π),               σ = 0.2,
//   C_±(dphi) = (1 ± e^(−2σ²) cos(2 dphi))/(4π)   (cos², sin² of phi_true),
// exact for the wrapped normal smearing of a periodic function. Then
//   p(x|θ) = N(eta; 0, 1.5) Σ_c m_c(θ) h_c(x) / Σ_c m_c(θ) s_c
// with the monomials m = (1, c1, c2, c1², c1 c2, c2²), the component
// densities
//   h = (M_0 C_0, 2 M_1 C_0, 1.6 M_0 C_c, M_2 C_0, 1.6 M_1 C_c,
//        M_0 (0.64 C_+ + 0.3 C_0 + 0.3 C_−))
// and their integrals s = (1, 1.4, 0, 0.74, 0, 0.77): a mixture that is
// itself morphing-compatible. Hence
//   r(x|θ0,θ1) = [Σ m_c(θ0) h_c(x) / Σ m_c(θ1) h_c(x)] · σ(θ1)/σ(θ0),
//   t(x|θ)     = Σ ∇m_c(θ) h_c(x) / Σ m_c(θ) h_c(x) − ∇σ(θ)/σ(θ).
#pragma once

#include <Eigen/Core>
#include <array>
#include <string>
#include <vector>

#include "goldmine/core/random.h"
#include "goldmine/generators/benchmarks.h"
#include "goldmine/generators/wh_matrix_element.h"

namespace goldmine::generators {

// z: parton-level truth (GeV, rad).
struct ToyLatent {
  double pt = 0.0;
  double phi = 0.0;
  double eta = 0.0;
};

// x: the smeared observables (GeV, rad).
struct ToyObservation {
  double pt = 0.0;
  double dphi = 0.0;  // in (−π, π]
  double eta = 0.0;
  double ptcos() const;
};

struct ToyEvent {
  ToyLatent latent;
  ToyObservation observation;
  // sm = σ_SM (the single-point estimate of σ_SM, pb; divide by the number
  // of events) and R(z; θ) as EftPolynomial ratios in the model's parameter
  // order: w(θ) = polynomial.Evaluate(θ).
  EftPolynomial polynomial;
};

class ToyModel {
 public:
  // `parameters`: a non-empty subset of {"c1", "c2"} in any order (θ follows
  // this order); the others are fixed to 0. Throws InvalidInput for unknown
  // or repeated names or sm_cross_section ≤ 0.
  explicit ToyModel(std::vector<std::string> parameters,
                    double sm_cross_section = 0.002);
  static std::vector<std::string> AllParameters() { return {"c1", "c2"}; }

  const std::vector<std::string>& parameters() const { return parameters_; }
  int num_parameters() const { return static_cast<int>(parameters_.size()); }
  double sm_cross_section() const { return sm_cross_section_; }

  // Samples z and x at the SM (five draws from `random`, in the order
  // pt_true, phi_true, eta, n1, n2; n1 redrawn while ≤ −9.5).
  ToyEvent Sample(RandomStream& random) const;

  // R(z; θ) as polynomial ratios (sm = σ_SM).
  EftPolynomial JointPolynomial(const ToyLatent& latent) const;
  // Exact joint quantities (see the top). theta.size() == num_parameters().
  double JointLikelihoodRatio(const ToyLatent& latent,
                              const Eigen::VectorXd& theta0,
                              const Eigen::VectorXd& theta1) const;
  Eigen::VectorXd JointScore(const ToyLatent& latent,
                             const Eigen::VectorXd& theta) const;

  // σ(θ) in pb and its gradient.
  double CrossSection(const Eigen::VectorXd& theta) const;
  Eigen::VectorXd CrossSectionGradient(const Eigen::VectorXd& theta) const;

  // p(x|θ): density in (pt [GeV⁻¹], dphi, eta), normalised to 1.
  double Density(const ToyObservation& x, const Eigen::VectorXd& theta) const;
  // p(pt, dphi | θ), the same without the θ-independent eta factor.
  double MarginalDensity(double pt,
                         double dphi,
                         const Eigen::VectorXd& theta) const;
  // Exact ln r(x|θ0,θ1) = ln p(x|θ0) − ln p(x|θ1), r and t(x|θ) = ∇θ ln p.
  double LogLikelihoodRatio(const ToyObservation& x,
                            const Eigen::VectorXd& theta0,
                            const Eigen::VectorXd& theta1) const;
  double LikelihoodRatio(const ToyObservation& x,
                         const Eigen::VectorXd& theta0,
                         const Eigen::VectorXd& theta1) const;
  Eigen::VectorXd Score(const ToyObservation& x,
                        const Eigen::VectorXd& theta) const;

  // The component densities h_c(pt, dphi) of the top (eta factor excluded),
  // in the order (1, c1, c2, c1², c1 c2, c2²) of the full two-parameter
  // model, and their integrals s_c.
  using Components = std::array<double, 6>;
  static Components ComponentDensities(double pt, double dphi);
  // The same from M_k(pt) = TransverseMomentumMoments(pt), which is the
  // costly part (a numerical integral): for many dphi at one pt.
  static Components ComponentDensities(const std::array<double, 3>& moments,
                                       double dphi);
  static Components ComponentIntegrals();
  // M_k(pt) of the top, k = 0, 1, 2 (GeV⁻¹).
  static std::array<double, 3> TransverseMomentumMoments(double pt);

  // The pieces a Matrix Element Method integrates (mem/toy_process.h):
  // the SM density of z, p_SM(pt_true) p_SM(phi_true) N(eta; 0, 1.5), in
  // GeV⁻¹ rad⁻¹ per unit η (0 below pt_true = 20 GeV), and the widths of
  // the smearing z → x.
  static double LatentDensity(const ToyLatent& latent);
  static double RelativePtResolution();  // pt = pt_true (1 + 0.1 n1)
  static double PhiResolution();         // dphi = phi_true + 0.2 n2 (rad)

  std::string Description() const;

 private:
  // θ of the two-parameter model (zeros for parameters not in use).
  Eigen::Vector2d Full(const Eigen::VectorXd& theta) const;
  void CheckTheta(const Eigen::VectorXd& theta, const char* what) const;

  std::vector<std::string> parameters_;
  std::vector<int> full_index_;  // parameters_[i] is c(full_index_[i] + 1)
  double sm_cross_section_;
};

}  // namespace goldmine::generators
