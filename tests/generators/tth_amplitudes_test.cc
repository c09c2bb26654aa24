// The ttH helicity engine and amplitudes against independent truths:
// Clifford algebra, Dirac equation and spin sums of the spinors, the
// textbook g g → t t̄ and q q̄ → t t̄ |M|², a trace-based (spinor-free)
// q q̄ → t t̄ H, gauge invariance of g g → t t̄ H per helicity, Lorentz
// invariance and Bose symmetry, and the three-body phase-space volume.
#include "goldmine/generators/tth_amplitudes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>

#include "goldmine/core/random.h"
#include "goldmine/generators/tth_helicity.h"
#include "goldmine/generators/tth_phase_space.h"

namespace goldmine::generators {
namespace {

using helicity::BarSpinor;
using helicity::Complex;
using helicity::DiracMatrix;
using helicity::LorentzVector;
using helicity::Spinor;

constexpr double kPi = 3.14159265358979323846;
constexpr double kTopMass = 172.76;
constexpr double kHiggsMass = 125.0;
constexpr double kMetric[4] = {1.0, -1.0, -1.0, -1.0};

FourMomentum RandomMassive(RandomStream& random, double mass) {
  const double p = random.Uniform(0.0, 800.0);
  const double c = random.Uniform(-1.0, 1.0);
  const double phi = random.Uniform(0.0, 2.0 * kPi);
  const double s = std::sqrt(1.0 - c * c);
  return {std::sqrt(p * p + mass * mass),
          p * s * std::cos(phi),
          p * s * std::sin(phi),
          p * c};
}

// A general Lorentz transformation: rotation then boost, random.
struct Transformation {
  double rx, ry, rz, bx, by, bz;
};
FourMomentum Apply(const Transformation& t, const FourMomentum& p) {
  auto rotate = [](double angle, int a, int b, FourMomentum q) {
    const double c = std::cos(angle);
    const double s = std::sin(angle);
    const double qa = q[static_cast<std::size_t>(a)];
    const double qb = q[static_cast<std::size_t>(b)];
    q[static_cast<std::size_t>(a)] = c * qa - s * qb;
    q[static_cast<std::size_t>(b)] = s * qa + c * qb;
    return q;
  };
  FourMomentum q =
      rotate(t.rx, 2, 3, rotate(t.ry, 3, 1, rotate(t.rz, 1, 2, p)));
  const double b2 = t.bx * t.bx + t.by * t.by + t.bz * t.bz;
  const double gamma = 1.0 / std::sqrt(1.0 - b2);
  const FourMomentum frame = {gamma, gamma * t.bx, gamma * t.by, gamma * t.bz};
  return BoostFromRest(q, frame, 1.0);
}
Transformation RandomTransformation(RandomStream& random) {
  Transformation t{};
  t.rx = random.Uniform(0.0, 2.0 * kPi);
  t.ry = random.Uniform(0.0, 2.0 * kPi);
  t.rz = random.Uniform(0.0, 2.0 * kPi);
  // |β| up to 0.9, random direction.
  const double beta = random.Uniform(0.0, 0.9);
  const FourMomentum n = RandomMassive(random, 0.0);
  t.bx = beta * n[1] / n[0];
  t.by = beta * n[2] / n[0];
  t.bz = beta * n[3] / n[0];
  return t;
}

// Partonic g g / q q̄ → t t̄ H in the partonic frame at √ŝ, then boosted
// along z by a random rapidity (as in the lab).
TthKinematics RandomTthPoint(RandomStream& random, double energy) {
  const TthPhaseSpacePoint point =
      SampleTthPhaseSpace(energy, kTopMass, kHiggsMass, random);
  const double y = random.Uniform(-1.5, 1.5);
  const double e = 0.5 * energy;
  return {BoostAlongZ({e, 0.0, 0.0, e}, y),
          BoostAlongZ({e, 0.0, 0.0, -e}, y),
          BoostAlongZ(point.top, y),
          BoostAlongZ(point.antitop, y),
          BoostAlongZ(point.higgs, y)};
}

TEST(TthHelicityTest, GammaMatricesObeyTheCliffordAlgebra) {
  for (int mu = 0; mu < 4; ++mu) {
    for (int nu = 0; nu < 4; ++nu) {
      const DiracMatrix anti = helicity::Gamma(mu) * helicity::Gamma(nu) +
                               helicity::Gamma(nu) * helicity::Gamma(mu);
      const DiracMatrix expected =
          DiracMatrix::Identity() * (mu == nu ? 2.0 * kMetric[mu] : 0.0);
      EXPECT_LT((anti - expected).norm(), 1e-14) << mu << " " << nu;
    }
  }
  // a̸ = γ^μ a_μ.
  const FourMomentum a = {3.0, 0.5, -1.25, 2.0};
  DiracMatrix sum = DiracMatrix::Zero();
  for (int mu = 0; mu < 4; ++mu)
    sum +=
        helicity::Gamma(mu) * (kMetric[mu] * a[static_cast<std::size_t>(mu)]);
  EXPECT_LT((helicity::Slash(a) - sum).norm(), 1e-14);
}

TEST(TthHelicityTest, SpinorsSolveTheDiracEquationWithCorrectSpinSums) {
  RandomStream random(11);
  for (int trial = 0; trial < 40; ++trial) {
    const double mass = trial % 4 == 0 ? 0.0 : kTopMass;
    FourMomentum p = RandomMassive(random, mass);
    if (trial == 1) p = {std::sqrt(300.0 * 300.0 + mass * mass), 0, 0, -300.0};
    if (trial == 2) p = {std::sqrt(300.0 * 300.0 + mass * mass), 0, 0, 300.0};
    if (trial == 4) p = {400.0, 0, 0, -400.0};  // massless along −z
    const DiracMatrix slash = helicity::Slash(p);
    const DiracMatrix identity = DiracMatrix::Identity();
    DiracMatrix u_sum = DiracMatrix::Zero();
    DiracMatrix v_sum = DiracMatrix::Zero();
    for (int lambda = -1; lambda <= 1; lambda += 2) {
      const Spinor u = helicity::SpinorU(p, mass, lambda);
      const Spinor v = helicity::SpinorV(p, mass, lambda);
      EXPECT_LT(((slash - mass * identity) * u).norm(), 1e-10 * p[0]);
      EXPECT_LT(((slash + mass * identity) * v).norm(), 1e-10 * p[0]);
      u_sum += u * helicity::Bar(u);
      v_sum += v * helicity::Bar(v);
      // Helicity: the spin along p̂ of the right-handed part is λ/2.
      if (mass == 0.0) {
        EXPECT_LT(u.head<2>().norm() * (lambda > 0 ? 1.0 : 0.0), 1e-6);
      }
    }
    EXPECT_LT((u_sum - (slash + mass * identity)).norm(), 1e-10 * p[0])
        << trial;
    EXPECT_LT((v_sum - (slash - mass * identity)).norm(), 1e-10 * p[0])
        << trial;
  }
}

TEST(TthHelicityTest, GluonPolarisationsAreTransverseAndComplete) {
  RandomStream random(12);
  for (int trial = 0; trial < 20; ++trial) {
    FourMomentum k = RandomMassive(random, 0.0);
    if (trial == 0) k = {50.0, 0.0, 0.0, 50.0};
    if (trial == 1) k = {50.0, 0.0, 0.0, -50.0};
    const double kk = std::sqrt(k[1] * k[1] + k[2] * k[2] + k[3] * k[3]);
    double completeness[3][3] = {};
    for (int lambda = -1; lambda <= 1; lambda += 2) {
      const LorentzVector eps = helicity::GluonPolarisation(k, lambda);
      EXPECT_LT(std::abs(helicity::Dot(eps, k)), 1e-12 * k[0]);
      LorentzVector conj;
      for (std::size_t mu = 0; mu < 4; ++mu) conj[mu] = std::conj(eps[mu]);
      EXPECT_NEAR(std::real(helicity::Dot(eps, conj)), -1.0, 1e-13);
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          completeness[i][j] +=
              std::real(eps[static_cast<std::size_t>(i + 1)] *
                        conj[static_cast<std::size_t>(j + 1)]);
    }
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        EXPECT_NEAR(completeness[i][j],
                    (i == j ? 1.0 : 0.0) -
                        k[static_cast<std::size_t>(i + 1)] *
                            k[static_cast<std::size_t>(j + 1)] / (kk * kk),
                    1e-13);
  }
}

// Textbook spin- and colour-averaged |M|²/g_s⁴ (Combridge 1979; Ellis,
// Stirling, Webber Table 10.?): τ1,2 = 2 p_{1,2}·p_t/ŝ, ρ = 4 m²/ŝ,
//   g g → Q Q̄:  (1/(6 τ1 τ2) − 3/8)(τ1² + τ2² + ρ − ρ²/(4 τ1 τ2)),
//   q q̄ → Q Q̄:  (4/9)(τ1² + τ2² + ρ/2).
TEST(TthAmplitudesTest, TopPairProductionMatchesTheClosedForms) {
  RandomStream random(13);
  for (int trial = 0; trial < 30; ++trial) {
    const double energy = random.Uniform(2.0 * kTopMass + 1.0, 3000.0);
    const double e = 0.5 * energy;
    const double p = std::sqrt(e * e - kTopMass * kTopMass);
    const double c = random.Uniform(-1.0, 1.0);
    const double phi = random.Uniform(0.0, 2.0 * kPi);
    const double s = std::sqrt(1.0 - c * c);
    const double y = random.Uniform(-1.0, 1.0);
    const FourMomentum k1 = BoostAlongZ({e, 0, 0, e}, y);
    const FourMomentum k2 = BoostAlongZ({e, 0, 0, -e}, y);
    const FourMomentum top = BoostAlongZ(
        {e, p * s * std::cos(phi), p * s * std::sin(phi), p * c}, y);
    const FourMomentum antitop =
        BoostAlongZ({e, -top[1], -top[2], -(p * c)}, y);
    const double s_hat = energy * energy;
    const double tau1 = 2.0 * Dot(k1, top) / s_hat;
    const double tau2 = 2.0 * Dot(k2, top) / s_hat;
    const double rho = 4.0 * kTopMass * kTopMass / s_hat;
    const double gg =
        (1.0 / (6.0 * tau1 * tau2) - 3.0 / 8.0) *
        (tau1 * tau1 + tau2 * tau2 + rho - rho * rho / (4.0 * tau1 * tau2));
    const double qq = 4.0 / 9.0 * (tau1 * tau1 + tau2 * tau2 + rho / 2.0);
    EXPECT_NEAR(
        GluonFusionTtSquared(k1, k2, top, antitop, kTopMass) / gg, 1.0, 1e-11)
        << trial;
    EXPECT_NEAR(QuarkAnnihilationTtSquared(k1, k2, top, antitop, kTopMass) / qq,
                1.0,
                1e-11)
        << trial;
  }
}

// q q̄ → t t̄ H from traces with the spin projectors p̸ ± m (no spinors):
// Σ|A|² = L^{ρσ} H_ρσ / ŝ², L^{ρσ} = Tr[k̸2 γ^ρ k̸1 γ^σ],
// H_ρσ = Tr[(p̸3 + m) Γ_ρ (p̸4 − m) γ^0 Γ_σ† γ^0],
// Γ_ρ = P(p3 + p5) γ_ρ + γ_ρ P(−p4 − p5); colour 2, average 1/36.
double TraceQuarkAnnihilation(const TthKinematics& k) {
  const DiracMatrix identity = DiracMatrix::Identity();
  const DiracMatrix g0 = helicity::Gamma(0);
  const DiracMatrix a =
      helicity::FermionPropagator(helicity::Add(k.top, k.higgs), kTopMass);
  const DiracMatrix b = helicity::FermionPropagator(
      helicity::Negate(helicity::Add(k.antitop, k.higgs)), kTopMass);
  const DiracMatrix top = helicity::Slash(k.top) + kTopMass * identity;
  const DiracMatrix antitop = helicity::Slash(k.antitop) - kTopMass * identity;
  std::array<DiracMatrix, 4> gamma_lower;
  std::array<DiracMatrix, 4> vertex;
  for (int rho = 0; rho < 4; ++rho) {
    const auto r = static_cast<std::size_t>(rho);
    gamma_lower[r] = helicity::Gamma(rho) * kMetric[rho];
    vertex[r] = a * gamma_lower[r] + gamma_lower[r] * b;
  }
  Complex sum = 0.0;
  for (int rho = 0; rho < 4; ++rho) {
    for (int sigma = 0; sigma < 4; ++sigma) {
      const auto r = static_cast<std::size_t>(rho);
      const auto s = static_cast<std::size_t>(sigma);
      const Complex light =
          (helicity::Slash(k.incoming2) * helicity::Gamma(rho) *
           helicity::Slash(k.incoming1) * helicity::Gamma(sigma))
              .trace();
      const Complex heavy =
          (top * vertex[r] * antitop * g0 * vertex[s].adjoint() * g0).trace();
      sum += light * heavy;
    }
  }
  const FourMomentum k12 = helicity::Add(k.incoming1, k.incoming2);
  const double s_hat = Dot(k12, k12);
  EXPECT_LT(std::abs(sum.imag()), 1e-10 * std::abs(sum.real()));
  return 2.0 * sum.real() / (s_hat * s_hat) / 36.0;
}

TEST(TthAmplitudesTest, QuarkAnnihilationMatchesTheTraceComputation) {
  RandomStream random(14);
  for (int trial = 0; trial < 20; ++trial) {
    const TthKinematics k =
        RandomTthPoint(random, random.Uniform(480.0, 4000.0));
    EXPECT_NEAR(
        QuarkAnnihilationTtHSquared(k, kTopMass) / TraceQuarkAnnihilation(k),
        1.0,
        1e-10)
        << trial;
  }
}

// g g → t t̄ H with the top spins summed by traces, Σ_spins A_i A_j* =
// Tr[(p̸3 + m) Γ_i (p̸4 − m) γ^0 Γ_j† γ^0], from Dirac strings Γ_1, Γ_2
// written out here again (diagram by diagram, propagators from Σ γ^μ q_μ),
// with the gluon helicities summed explicitly; colour matrix and 1/256 as
// in the header. Checks the spinors and the chain assembly of the engine.
double TraceGluonFusion(const TthKinematics& k) {
  const DiracMatrix one = DiracMatrix::Identity();
  auto slash = [](const auto& a) {
    DiracMatrix m = DiracMatrix::Zero();
    for (int mu = 0; mu < 4; ++mu)
      m +=
          helicity::Gamma(mu) * (kMetric[mu] * a[static_cast<std::size_t>(mu)]);
    return m;
  };
  auto propagator = [&](const FourMomentum& q) {
    return DiracMatrix((slash(q) + kTopMass * one) /
                       (Dot(q, q) - kTopMass * kTopMass));
  };
  auto plus = [](FourMomentum a, const FourMomentum& b) {
    for (std::size_t i = 0; i < 4; ++i) a[i] += b[i];
    return a;
  };
  auto minus = [](FourMomentum a, const FourMomentum& b) {
    for (std::size_t i = 0; i < 4; ++i) a[i] -= b[i];
    return a;
  };
  const FourMomentum p3 = k.top;
  const FourMomentum p4 = k.antitop;
  const FourMomentum p5 = k.higgs;
  const FourMomentum k1 = k.incoming1;
  const FourMomentum k2 = k.incoming2;
  const FourMomentum k12 = plus(k1, k2);
  const DiracMatrix top = slash(p3) + kTopMass * one;
  const DiracMatrix antitop = slash(p4) - kTopMass * one;
  const DiracMatrix g0 = helicity::Gamma(0);
  const FourMomentum minus_p45 = {
      -(p4[0] + p5[0]), -(p4[1] + p5[1]), -(p4[2] + p5[2]), -(p4[3] + p5[3])};
  double sum = 0.0;
  for (int a = -1; a <= 1; a += 2) {
    for (int b = -1; b <= 1; b += 2) {
      const LorentzVector e1 = helicity::GluonPolarisation(k1, a);
      const LorentzVector e2 = helicity::GluonPolarisation(k2, b);
      // Abelian strings with the gluon (ea, ka) next to the top.
      auto abelian = [&](const LorentzVector& ea,
                         const FourMomentum& ka,
                         const LorentzVector& eb) {
        const DiracMatrix sa = slash(ea);
        const DiracMatrix sb = slash(eb);
        return DiracMatrix(propagator(plus(p3, p5)) * sa *
                               propagator(minus(plus(p3, p5), ka)) * sb +
                           sa * propagator(minus(p3, ka)) *
                               propagator(minus(plus(p3, p5), ka)) * sb +
                           sa * propagator(minus(p3, ka)) * sb *
                               propagator(minus_p45));
      };
      // Three-gluon vertex current (momenta k1, k2, −k12 incoming).
      LorentzVector j;
      Complex e1e2 = 0.0;
      Complex e1k = 0.0;
      Complex e2k = 0.0;
      for (std::size_t mu = 0; mu < 4; ++mu) {
        const double g = kMetric[mu];
        e1e2 += g * e1[mu] * e2[mu];
        e1k += g * e1[mu] * (2.0 * k2[mu] + k1[mu]);
        e2k += g * e2[mu] * (2.0 * k1[mu] + k2[mu]);
      }
      for (std::size_t mu = 0; mu < 4; ++mu)
        j[mu] = (e1e2 * (k1[mu] - k2[mu]) + e2[mu] * e1k - e1[mu] * e2k) /
                Dot(k12, k12);
      const DiracMatrix s_channel = propagator(plus(p3, p5)) * slash(j) +
                                    slash(j) * propagator(minus_p45);
      const std::array<DiracMatrix, 2> strings = {
          DiracMatrix(abelian(e1, k1, e2) + s_channel),
          DiracMatrix(abelian(e2, k2, e1) - s_channel)};
      const double colour[2][2] = {{16.0 / 3.0, -2.0 / 3.0},
                                   {-2.0 / 3.0, 16.0 / 3.0}};
      for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t l = 0; l < 2; ++l)
          sum += colour[i][l] * std::real((top * strings[i] * antitop * g0 *
                                           strings[l].adjoint() * g0)
                                              .trace());
    }
  }
  return sum / 256.0;
}

TEST(TthAmplitudesTest, GluonFusionMatchesTheTraceComputation) {
  RandomStream random(19);
  for (int trial = 0; trial < 20; ++trial) {
    const TthKinematics k =
        RandomTthPoint(random, random.Uniform(480.0, 4000.0));
    EXPECT_NEAR(
        GluonFusionTtHSquared(k, kTopMass) / TraceGluonFusion(k), 1.0, 1e-10)
        << trial;
  }
}

// Replacing ε1 by k1 (ε2 physical) makes both colour-ordered amplitudes
// vanish, for every helicity of the other three particles; likewise for
// gluon 2. Tolerance relative to the largest physical amplitude.
TEST(TthAmplitudesTest, GluonFusionIsGaugeInvariantPerHelicity) {
  RandomStream random(15);
  for (int trial = 0; trial < 20; ++trial) {
    const TthKinematics k =
        RandomTthPoint(random, random.Uniform(480.0, 5000.0));
    const helicity::GluonFusionTtH amplitude(k, kTopMass);
    double typical = 0.0;
    for (int a = -1; a <= 1; a += 2)
      for (int b = -1; b <= 1; b += 2)
        for (int t = -1; t <= 1; t += 2)
          for (int tb = -1; tb <= 1; tb += 2) {
            const auto m = amplitude.Amplitudes(
                helicity::GluonPolarisation(k.incoming1, a),
                helicity::GluonPolarisation(k.incoming2, b),
                helicity::Bar(helicity::SpinorU(k.top, kTopMass, t)),
                helicity::SpinorV(k.antitop, kTopMass, tb));
            typical =
                std::max({typical, std::abs(m.first), std::abs(m.second)});
          }
    ASSERT_GT(typical, 0.0);
    for (int other = -1; other <= 1; other += 2) {
      for (int t = -1; t <= 1; t += 2) {
        for (int tb = -1; tb <= 1; tb += 2) {
          const BarSpinor top =
              helicity::Bar(helicity::SpinorU(k.top, kTopMass, t));
          const Spinor antitop = helicity::SpinorV(k.antitop, kTopMass, tb);
          // k1 has the dimension of energy: normalise it like ε (|ε| = 1).
          LorentzVector k1 = helicity::ToComplex(k.incoming1);
          LorentzVector k2 = helicity::ToComplex(k.incoming2);
          for (auto& x : k1) x /= k.incoming1[0];
          for (auto& x : k2) x /= k.incoming2[0];
          const auto first = amplitude.Amplitudes(
              k1,
              helicity::GluonPolarisation(k.incoming2, other),
              top,
              antitop);
          const auto second = amplitude.Amplitudes(
              helicity::GluonPolarisation(k.incoming1, other),
              k2,
              top,
              antitop);
          EXPECT_LT(std::abs(first.first), 1e-10 * typical) << trial;
          EXPECT_LT(std::abs(first.second), 1e-10 * typical) << trial;
          EXPECT_LT(std::abs(second.first), 1e-10 * typical) << trial;
          EXPECT_LT(std::abs(second.second), 1e-10 * typical) << trial;
        }
      }
    }
  }
}

// The same check for g g → t t̄ (which the closed form also validates).
TEST(TthAmplitudesTest, TopPairGluonFusionIsGaugeInvariant) {
  const double e = 450.0;
  const double p = std::sqrt(e * e - kTopMass * kTopMass);
  const FourMomentum k1 = {e, 0, 0, e};
  const FourMomentum k2 = {e, 0, 0, -e};
  const FourMomentum t = {e, p * 0.6, 0.0, p * 0.8};
  const FourMomentum tb = {e, -p * 0.6, 0.0, -p * 0.8};
  LorentzVector gauge = helicity::ToComplex(k1);
  for (auto& x : gauge) x /= e;
  for (int other = -1; other <= 1; other += 2)
    for (int s1 = -1; s1 <= 1; s1 += 2)
      for (int s2 = -1; s2 <= 1; s2 += 2) {
        const auto m = helicity::GluonFusionTt(
            k1,
            k2,
            t,
            tb,
            kTopMass,
            gauge,
            helicity::GluonPolarisation(k2, other),
            helicity::Bar(helicity::SpinorU(t, kTopMass, s1)),
            helicity::SpinorV(tb, kTopMass, s2));
        EXPECT_LT(std::abs(m.first) + std::abs(m.second), 1e-12);
      }
}

TEST(TthAmplitudesTest, SquaredAmplitudesAreLorentzInvariantAndBoseSymmetric) {
  RandomStream random(17);
  for (int trial = 0; trial < 20; ++trial) {
    const TthKinematics k =
        RandomTthPoint(random, random.Uniform(480.0, 5000.0));
    const Transformation t = RandomTransformation(random);
    const TthKinematics boosted = {Apply(t, k.incoming1),
                                   Apply(t, k.incoming2),
                                   Apply(t, k.top),
                                   Apply(t, k.antitop),
                                   Apply(t, k.higgs)};
    const double gg = GluonFusionTtHSquared(k, kTopMass);
    const double qq = QuarkAnnihilationTtHSquared(k, kTopMass);
    ASSERT_GT(gg, 0.0);
    ASSERT_GT(qq, 0.0);
    EXPECT_NEAR(GluonFusionTtHSquared(boosted, kTopMass) / gg, 1.0, 1e-10);
    EXPECT_NEAR(
        QuarkAnnihilationTtHSquared(boosted, kTopMass) / qq, 1.0, 1e-10);
    // Exchanging the two gluons (Bose symmetry).
    const TthKinematics swapped = {
        k.incoming2, k.incoming1, k.top, k.antitop, k.higgs};
    EXPECT_NEAR(GluonFusionTtHSquared(swapped, kTopMass) / gg, 1.0, 1e-10);
    // C: q q̄ → t t̄ H equals q̄ q → t̄ t H with t ↔ t̄ (charge conjugation).
    const TthKinematics conjugated = {
        k.incoming2, k.incoming1, k.antitop, k.top, k.higgs};
    EXPECT_NEAR(
        QuarkAnnihilationTtHSquared(conjugated, kTopMass) / qq, 1.0, 1e-10);
  }
}

// Phase space: the mean weight is the three-body volume; massless limit
// ŝ/(256 π³); momentum conservation and on-shell masses for massive points.
TEST(TthPhaseSpaceTest, VolumeAndKinematics) {
  RandomStream random(18);
  const double energy = 1000.0;
  double sum = 0.0;
  const int n = 200000;
  for (int i = 0; i < n; ++i)
    sum += SampleTthPhaseSpace(energy, 1e-6, 1e-6, random).weight;
  const double expected = energy * energy / (256.0 * kPi * kPi * kPi);
  EXPECT_NEAR(sum / n / expected, 1.0, 0.01);
  for (int i = 0; i < 10; ++i) {
    const TthPhaseSpacePoint p =
        SampleTthPhaseSpace(energy, kTopMass, kHiggsMass, random);
    for (std::size_t mu = 0; mu < 4; ++mu)
      EXPECT_NEAR(p.top[mu] + p.antitop[mu] + p.higgs[mu],
                  mu == 0 ? energy : 0.0,
                  1e-9);
    EXPECT_NEAR(std::sqrt(Dot(p.top, p.top)), kTopMass, 1e-8);
    EXPECT_NEAR(std::sqrt(Dot(p.antitop, p.antitop)), kTopMass, 1e-8);
    EXPECT_NEAR(std::sqrt(Dot(p.higgs, p.higgs)), kHiggsMass, 1e-8);
  }
}

}  // namespace
}  // namespace goldmine::generators
