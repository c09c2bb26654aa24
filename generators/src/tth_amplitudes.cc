#include "goldmine/generators/tth_amplitudes.h"

#include <cmath>

namespace goldmine::generators {
namespace helicity {
namespace {

// The three-gluon current J^ρ/(k1 + k2)² attached to the top line (couplings
// and f^{abc} stripped), from the vertex with momenta k1, k2, −(k1 + k2).
LorentzVector ThreeGluonCurrent(const FourMomentum& k1,
                                const FourMomentum& k2,
                                const LorentzVector& eps1,
                                const LorentzVector& eps2) {
  const double s12 = generators::Dot(Add(k1, k2), Add(k1, k2));
  const Complex e1e2 = Dot(eps1, eps2);
  // (2 k2 + k1)·ε1 and (2 k1 + k2)·ε2.
  const FourMomentum a = {2.0 * k2[0] + k1[0],
                          2.0 * k2[1] + k1[1],
                          2.0 * k2[2] + k1[2],
                          2.0 * k2[3] + k1[3]};
  const FourMomentum b = {2.0 * k1[0] + k2[0],
                          2.0 * k1[1] + k2[1],
                          2.0 * k1[2] + k2[2],
                          2.0 * k1[3] + k2[3]};
  const Complex e1a = Dot(eps1, a);
  const Complex e2b = Dot(eps2, b);
  LorentzVector j;
  for (std::size_t rho = 0; rho < 4; ++rho) {
    j[rho] =
        (e1e2 * (k1[rho] - k2[rho]) + eps2[rho] * e1a - eps1[rho] * e2b) / s12;
  }
  return j;
}

// Colour-summed Σ |(T^aT^b) A1 + (T^bT^a) A2|².
double ColourSum(const ColourOrdered& a) {
  return 16.0 / 3.0 * (std::norm(a.first) + std::norm(a.second)) -
         4.0 / 3.0 * std::real(a.first * std::conj(a.second));
}

}  // namespace

GluonFusionTtH::GluonFusionTtH(const TthKinematics& kinematics, double top_mass)
    : k_(kinematics), top_mass_(top_mass) {
  const FourMomentum top_h = Add(k_.top, k_.higgs);
  after_top_ = FermionPropagator(top_h, top_mass_);
  before_antitop_ =
      FermionPropagator(Negate(Add(k_.antitop, k_.higgs)), top_mass_);
  top_minus_k1_ = FermionPropagator(Subtract(k_.top, k_.incoming1), top_mass_);
  top_minus_k2_ = FermionPropagator(Subtract(k_.top, k_.incoming2), top_mass_);
  top_h_minus_k1_ = FermionPropagator(Subtract(top_h, k_.incoming1), top_mass_);
  top_h_minus_k2_ = FermionPropagator(Subtract(top_h, k_.incoming2), top_mass_);
  const FourMomentum k12 = Add(k_.incoming1, k_.incoming2);
  s12_ = generators::Dot(k12, k12);
  // P(p3 − k1 + p5) = P(p3 + p5 − k1): the same matrix serves both orderings
  // of H and the first gluon.
}

ColourOrdered GluonFusionTtH::Amplitudes(const LorentzVector& eps1,
                                         const LorentzVector& eps2,
                                         const BarSpinor& top,
                                         const Spinor& antitop) const {
  const DiracMatrix e1 = Slash(eps1);
  const DiracMatrix e2 = Slash(eps2);
  // Right ends (… v) and left ends (ū …) shared by several diagrams.
  const Spinor e2v = e2 * antitop;
  const Spinor e1v = e1 * antitop;
  const BarSpinor u_h = top * after_top_;  // ū P(p3 + p5)
  const BarSpinor u_e1 = top * e1;
  const BarSpinor u_e2 = top * e2;
  const Spinor h_v = before_antitop_ * antitop;  // P(−p4 − p5) v

  // Gluon a (ε1) next to the top: H before, between, after the gluons.
  const Complex d1 = ((u_h * e1) * top_h_minus_k1_ * e2v)(0, 0);
  const BarSpinor u_e1_p = u_e1 * top_minus_k1_;
  const Complex d2 = (u_e1_p * top_h_minus_k1_ * e2v)(0, 0);
  const Complex d3 = ((u_e1_p * e2) * h_v)(0, 0);
  // Gluon b (ε2) next to the top.
  const Complex d1b = ((u_h * e2) * top_h_minus_k2_ * e1v)(0, 0);
  const BarSpinor u_e2_p = u_e2 * top_minus_k2_;
  const Complex d2b = (u_e2_p * top_h_minus_k2_ * e1v)(0, 0);
  const Complex d3b = ((u_e2_p * e1) * h_v)(0, 0);
  // s-channel: g* from the three-gluon vertex, H on either side.
  const DiracMatrix j =
      Slash(ThreeGluonCurrent(k_.incoming1, k_.incoming2, eps1, eps2));
  const Complex s1 = ((u_h * j) * antitop)(0, 0);
  const Complex s2 = ((top * j) * h_v)(0, 0);
  const Complex x = s1 + s2;
  return {d1 + d2 + d3 + x, d1b + d2b + d3b - x};
}

ColourOrdered GluonFusionTt(const FourMomentum& k1,
                            const FourMomentum& k2,
                            const FourMomentum& top,
                            const FourMomentum& /*antitop: via its spinor*/,
                            double top_mass,
                            const LorentzVector& eps1,
                            const LorentzVector& eps2,
                            const BarSpinor& top_spinor,
                            const Spinor& antitop_spinor) {
  const DiracMatrix e1 = Slash(eps1);
  const DiracMatrix e2 = Slash(eps2);
  const Complex t1 =
      (top_spinor * e1 * FermionPropagator(Subtract(top, k1), top_mass) * e2 *
       antitop_spinor)(0, 0);
  const Complex t2 =
      (top_spinor * e2 * FermionPropagator(Subtract(top, k2), top_mass) * e1 *
       antitop_spinor)(0, 0);
  const Complex x = (top_spinor * Slash(ThreeGluonCurrent(k1, k2, eps1, eps2)) *
                     antitop_spinor)(0, 0);
  return {t1 + x, t2 - x};
}

}  // namespace helicity

double GluonFusionTtHSquared(const TthKinematics& kinematics, double top_mass) {
  using namespace helicity;
  const GluonFusionTtH amplitude(kinematics, top_mass);
  std::array<LorentzVector, 2> eps1;
  std::array<LorentzVector, 2> eps2;
  std::array<BarSpinor, 2> top;
  std::array<Spinor, 2> antitop;
  for (int h = 0; h < 2; ++h) {
    const int lambda = 2 * h - 1;
    const auto i = static_cast<std::size_t>(h);
    eps1[i] = GluonPolarisation(kinematics.incoming1, lambda);
    eps2[i] = GluonPolarisation(kinematics.incoming2, lambda);
    top[i] = Bar(SpinorU(kinematics.top, top_mass, lambda));
    antitop[i] = SpinorV(kinematics.antitop, top_mass, lambda);
  }
  double sum = 0.0;
  for (std::size_t a = 0; a < 2; ++a)
    for (std::size_t b = 0; b < 2; ++b)
      for (std::size_t t = 0; t < 2; ++t)
        for (std::size_t tb = 0; tb < 2; ++tb)
          sum += ColourSum(
              amplitude.Amplitudes(eps1[a], eps2[b], top[t], antitop[tb]));
  return sum / (4.0 * 64.0);
}

double QuarkAnnihilationTtHSquared(const TthKinematics& kinematics,
                                   double top_mass) {
  using namespace helicity;
  const FourMomentum k12 = Add(kinematics.incoming1, kinematics.incoming2);
  const double s = generators::Dot(k12, k12);
  const DiracMatrix after_top =
      FermionPropagator(Add(kinematics.top, kinematics.higgs), top_mass);
  const DiracMatrix before_antitop = FermionPropagator(
      Negate(Add(kinematics.antitop, kinematics.higgs)), top_mass);
  double sum = 0.0;
  for (int lq = -1; lq <= 1; lq += 2) {
    for (int lqb = -1; lqb <= 1; lqb += 2) {
      const Spinor u = SpinorU(kinematics.incoming1, 0.0, lq);
      const BarSpinor vbar = Bar(SpinorV(kinematics.incoming2, 0.0, lqb));
      LorentzVector current;
      for (int mu = 0; mu < 4; ++mu)
        current[static_cast<std::size_t>(mu)] = (vbar * Gamma(mu) * u)(0, 0);
      const DiracMatrix l = Slash(current);
      const DiracMatrix line = after_top * l + l * before_antitop;
      for (int lt = -1; lt <= 1; lt += 2) {
        const BarSpinor top = Bar(SpinorU(kinematics.top, top_mass, lt));
        const BarSpinor top_line = top * line;
        for (int ltb = -1; ltb <= 1; ltb += 2)
          sum += std::norm(
              (top_line * SpinorV(kinematics.antitop, top_mass, ltb))(0, 0));
      }
    }
  }
  // Colour Σ |T^a_ij T^a_kl|² = 2; average 1/4 × 1/9.
  return 2.0 * sum / (s * s) / 36.0;
}

double GluonFusionTtSquared(const FourMomentum& k1,
                            const FourMomentum& k2,
                            const FourMomentum& top,
                            const FourMomentum& antitop,
                            double top_mass) {
  using namespace helicity;
  double sum = 0.0;
  for (int a = -1; a <= 1; a += 2)
    for (int b = -1; b <= 1; b += 2)
      for (int t = -1; t <= 1; t += 2)
        for (int tb = -1; tb <= 1; tb += 2)
          sum += ColourSum(GluonFusionTt(k1,
                                         k2,
                                         top,
                                         antitop,
                                         top_mass,
                                         GluonPolarisation(k1, a),
                                         GluonPolarisation(k2, b),
                                         Bar(SpinorU(top, top_mass, t)),
                                         SpinorV(antitop, top_mass, tb)));
  return sum / (4.0 * 64.0);
}

double QuarkAnnihilationTtSquared(const FourMomentum& k1,
                                  const FourMomentum& k2,
                                  const FourMomentum& top,
                                  const FourMomentum& antitop,
                                  double top_mass) {
  using namespace helicity;
  const FourMomentum k12 = Add(k1, k2);
  const double s = generators::Dot(k12, k12);
  double sum = 0.0;
  for (int lq = -1; lq <= 1; lq += 2) {
    for (int lqb = -1; lqb <= 1; lqb += 2) {
      const Spinor u = SpinorU(k1, 0.0, lq);
      const BarSpinor vbar = Bar(SpinorV(k2, 0.0, lqb));
      LorentzVector current;
      for (int mu = 0; mu < 4; ++mu)
        current[static_cast<std::size_t>(mu)] = (vbar * Gamma(mu) * u)(0, 0);
      const DiracMatrix l = Slash(current);
      for (int lt = -1; lt <= 1; lt += 2)
        for (int ltb = -1; ltb <= 1; ltb += 2)
          sum += std::norm((Bar(SpinorU(top, top_mass, lt)) * l *
                            SpinorV(antitop, top_mass, ltb))(0, 0));
    }
  }
  return 2.0 * sum / (s * s) / 36.0;
}

}  // namespace goldmine::generators
