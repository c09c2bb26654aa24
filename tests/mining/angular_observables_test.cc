// Angular observables against independent truths: events built in the
// frame where the angles are defined, with chosen angles, then carried to the
// lab by explicit boosts and rotations written out here; the closed-form
// Collins–Soper formula; the mirror symmetries of the signed Δφ_jj.
#include "goldmine/mining/angular_observables.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace goldmine::mining {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTolerance = 1e-9;

FourMomentum BoostX(const FourMomentum& p, double beta) {
  const double gamma = 1.0 / std::sqrt(1.0 - beta * beta);
  return {gamma * (p.px() + beta * p.e()),
          p.py(),
          p.pz(),
          gamma * (p.e() + beta * p.px())};
}
FourMomentum BoostZ(const FourMomentum& p, double beta) {
  const double gamma = 1.0 / std::sqrt(1.0 - beta * beta);
  return {p.px(),
          p.py(),
          gamma * (p.pz() + beta * p.e()),
          gamma * (p.e() + beta * p.pz())};
}
FourMomentum RotateY(const FourMomentum& p, double angle) {
  const double c = std::cos(angle);
  const double s = std::sin(angle);
  return {c * p.px() + s * p.pz(), p.py(), -s * p.px() + c * p.pz(), p.e()};
}
FourMomentum RotateZ(const FourMomentum& p, double angle) {
  const double c = std::cos(angle);
  const double s = std::sin(angle);
  return {c * p.px() - s * p.py(), s * p.px() + c * p.py(), p.pz(), p.e()};
}

// A two-body decay at rest: the first daughter (massless) along (θ, φ).
struct Pair {
  FourMomentum first;
  FourMomentum second;
};
Pair DecayAtRest(double mass, double theta, double phi) {
  const double k = mass / 2.0;
  const FourMomentum first(k * std::sin(theta) * std::cos(phi),
                           k * std::sin(theta) * std::sin(phi),
                           k * std::cos(theta),
                           k);
  return {first, FourMomentum(-first.px(), -first.py(), -first.pz(), k)};
}

struct AngleCase {
  double theta;
  double phi;
};
const AngleCase kAngles[] = {
    {0.3, 0.2}, {1.2, -2.5}, {2.0, 1.7}, {2.9, -0.4}, {1.5708, 3.0}};

TEST(BoostToRestFrame, BringsTheFrameToRestAndKeepsMasses) {
  const FourMomentum frame(30.0, -40.0, 120.0, 200.0);
  const FourMomentum at_rest = BoostToRestFrame(frame, frame);
  EXPECT_NEAR(at_rest.px(), 0.0, 1e-10);
  EXPECT_NEAR(at_rest.py(), 0.0, 1e-10);
  EXPECT_NEAR(at_rest.pz(), 0.0, 1e-10);
  EXPECT_NEAR(at_rest.e(), frame.m(), 1e-10);
  const FourMomentum other(5.0, 7.0, -3.0, 20.0);
  EXPECT_NEAR(BoostToRestFrame(other, frame).m(), other.m(), 1e-10);
  // Along z only: the inverse of BoostZ.
  const FourMomentum moving = BoostZ(FourMomentum(1.0, 2.0, 3.0, 10.0), 0.6);
  const FourMomentum back =
      BoostToRestFrame(moving, BoostZ(FourMomentum(0, 0, 0, 1), 0.6));
  EXPECT_NEAR(back.pz(), 3.0, 1e-10);
  EXPECT_NEAR(back.e(), 10.0, 1e-10);
}

// The Collins–Soper frame is the rest frame reached from the lab by a boost
// along z followed by a boost along Q_T; so a decay built at rest with angles
// (θ, φ), boosted along x (Q_T) then along +z (Q_z > 0) and rotated about the
// beam, must give back θ and φ.
TEST(CollinsSoperAngles, RecoversTheAnglesOfADecayBuiltInTheFrame) {
  for (const AngleCase& angles : kAngles) {
    for (const double beta_t : {0.2, 0.7}) {
      for (const double beta_z : {0.1, 0.9}) {
        const double rotation = 1.1;
        const Pair rest = DecayAtRest(91.19, angles.theta, angles.phi);
        const FourMomentum lepton =
            RotateZ(BoostZ(BoostX(rest.first, beta_t), beta_z), rotation);
        const FourMomentum other =
            RotateZ(BoostZ(BoostX(rest.second, beta_t), beta_z), rotation);
        const std::optional<FrameAngles> cs = CollinsSoperAngles(lepton, other);
        ASSERT_TRUE(cs.has_value());
        EXPECT_NEAR(cs->cos_theta, std::cos(angles.theta), kTolerance);
        EXPECT_NEAR(cs->phi, angles.phi, kTolerance);
      }
    }
  }
}

// Q_z < 0: beam A is the -z beam, so z and y flip: cos θ → -cos θ, φ → -φ.
TEST(CollinsSoperAngles, AxesFollowTheSignOfQz) {
  for (const AngleCase& angles : kAngles) {
    const Pair rest = DecayAtRest(91.19, angles.theta, angles.phi);
    const FourMomentum lepton = BoostZ(BoostX(rest.first, 0.5), -0.6);
    const FourMomentum other = BoostZ(BoostX(rest.second, 0.5), -0.6);
    const std::optional<FrameAngles> cs = CollinsSoperAngles(lepton, other);
    ASSERT_TRUE(cs.has_value());
    EXPECT_NEAR(cs->cos_theta, -std::cos(angles.theta), kTolerance);
    EXPECT_NEAR(cs->phi, -angles.phi, kTolerance);
  }
}

// Collins & Soper, PRD 16 (1977) 2219: cos θ = sign(Q_z) 2 (l⁺₁ l⁻₂ − l⁻₁ l⁺₂)
// / (Q sqrt(Q² + Q_T²)) with l± = (E ± p_z)/√2, on arbitrary massless
// momenta (the formula assumes massless leptons: with muon masses it differs
// from the frame definition by ~1e-6).
TEST(CollinsSoperAngles, MatchesTheClosedFormulaForCosTheta) {
  const std::vector<Pair> pairs = {
      {FourMomentum::FromPtEtaPhiM(45.0, 0.4, 0.1, 0.0),
       FourMomentum::FromPtEtaPhiM(30.0, -1.2, 2.9, 0.0)},
      {FourMomentum::FromPtEtaPhiM(80.0, -2.0, -1.0, 0.0),
       FourMomentum::FromPtEtaPhiM(25.0, -0.3, 1.5, 0.0)},
      {FourMomentum::FromPtEtaPhiM(60.0, 1.5, 0.7, 0.0),
       FourMomentum::FromPtEtaPhiM(55.0, 2.1, -2.0, 0.0)}};
  for (const Pair& pair : pairs) {
    const FourMomentum q = pair.first + pair.second;
    auto plus = [](const FourMomentum& p) {
      return (p.e() + p.pz()) / std::sqrt(2.0);
    };
    auto minus = [](const FourMomentum& p) {
      return (p.e() - p.pz()) / std::sqrt(2.0);
    };
    const double expected = (q.pz() < 0.0 ? -1.0 : 1.0) * 2.0 *
                            (plus(pair.first) * minus(pair.second) -
                             minus(pair.first) * plus(pair.second)) /
                            (q.m() * std::sqrt(q.m2() + q.pt2()));
    const std::optional<FrameAngles> cs =
        CollinsSoperAngles(pair.first, pair.second);
    ASSERT_TRUE(cs.has_value());
    EXPECT_NEAR(cs->cos_theta, expected, kTolerance);
  }
}

TEST(CollinsSoperAngles, UndefinedWithoutARestFrame) {
  const FourMomentum a(0.0, 0.0, 10.0, 10.0);
  EXPECT_FALSE(CollinsSoperAngles(a, a).has_value());  // massless pair
}

// W/Z decay angles: a decay built at rest with angles (θ, φ) about z (the
// flight direction) and x (in the beam plane, away from the +z beam), boosted
// along z, then turned to polar angle α about y and rotated about the beam.
TEST(HelicityAngles, RecoversTheAnglesOfADecayBuiltInTheFrame) {
  for (const AngleCase& angles : kAngles) {
    for (const double alpha : {0.4, 1.6, 2.8}) {
      for (const double beta : {0.3, 0.95}) {
        const double rotation = -2.2;
        const Pair rest = DecayAtRest(80.4, angles.theta, angles.phi);
        auto to_lab = [&](const FourMomentum& p) {
          return RotateZ(RotateY(BoostZ(p, beta), alpha), rotation);
        };
        const std::optional<FrameAngles> decay =
            HelicityAngles(to_lab(rest.first), to_lab(rest.second));
        ASSERT_TRUE(decay.has_value());
        EXPECT_NEAR(decay->cos_theta, std::cos(angles.theta), kTolerance);
        EXPECT_NEAR(decay->phi, angles.phi, kTolerance);
      }
    }
  }
}

// VH: the axes are defined in the VH rest frame. Build V → ab at rest, move V
// in the VH frame at polar angle α with H recoiling, then boost the whole
// system along the beam: the angles about V's direction in the VH frame come
// back; the lab-frame (default) angles are different.
TEST(HelicityAngles, UsesTheReferenceFrameForTheFlightDirection) {
  const double v_mass = 91.19;
  const double h_mass = 125.0;
  const double sqrt_s = 400.0;
  const double k = std::sqrt((sqrt_s * sqrt_s - std::pow(v_mass + h_mass, 2)) *
                             (sqrt_s * sqrt_s - std::pow(v_mass - h_mass, 2))) /
                   (2.0 * sqrt_s);
  const double v_energy = std::sqrt(k * k + v_mass * v_mass);
  const double beta_v = k / v_energy;
  double largest_lab_difference = 0.0;
  for (const AngleCase& angles : kAngles) {
    for (const double alpha : {0.5, 2.2}) {
      const Pair rest = DecayAtRest(v_mass, angles.theta, angles.phi);
      const FourMomentum higgs_vh = RotateY(
          FourMomentum(0, 0, -k, std::sqrt(k * k + h_mass * h_mass)), alpha);
      auto to_lab = [&](const FourMomentum& p) {
        return BoostZ(RotateY(BoostZ(p, beta_v), alpha), -0.7);
      };
      const FourMomentum a = to_lab(rest.first);
      const FourMomentum b = to_lab(rest.second);
      const FourMomentum higgs = BoostZ(higgs_vh, -0.7);
      const std::optional<FrameAngles> decay =
          HelicityAngles(a, b, a + b + higgs);
      ASSERT_TRUE(decay.has_value());
      EXPECT_NEAR(decay->cos_theta, std::cos(angles.theta), kTolerance);
      EXPECT_NEAR(decay->phi, angles.phi, kTolerance);
      const std::optional<FrameAngles> lab = HelicityAngles(a, b);
      ASSERT_TRUE(lab.has_value());
      largest_lab_difference =
          std::max(largest_lab_difference,
                   std::abs(lab->cos_theta - std::cos(angles.theta)));
    }
  }
  EXPECT_GT(largest_lab_difference, 0.05);
}

TEST(HelicityAngles, UndefinedWhenTheBosonIsAtRestInTheReference) {
  const Pair rest = DecayAtRest(80.4, 1.0, 0.5);
  EXPECT_FALSE(HelicityAngles(rest.first, rest.second).has_value());
}

// sin and cos of φ_forward − φ_backward from the transverse components
// (the ε-tensor form of hep-ph/0609075: ε b₊ p₊ b₋ p₋ ∝ pT₊ pT₋ sin Δφ_jj).
double CrossProductDeltaPhi(const FourMomentum& forward,
                            const FourMomentum& backward) {
  const double sine =
      forward.py() * backward.px() - forward.px() * backward.py();
  const double cosine =
      forward.px() * backward.px() + forward.py() * backward.py();
  return std::atan2(sine, cosine);
}

FourMomentum Jet(double pt, double y, double phi, double m) {
  const double mt = std::sqrt(pt * pt + m * m);
  return {pt * std::cos(phi),
          pt * std::sin(phi),
          mt * std::sinh(y),
          mt * std::cosh(y)};
}

TEST(SignedDeltaPhi, IsForwardMinusBackwardWhateverTheArgumentOrder) {
  const FourMomentum forward = Jet(50.0, 2.0, 0.3, 5.0);
  const FourMomentum backward = Jet(70.0, -1.5, 2.0, 8.0);
  EXPECT_NEAR(SignedDeltaPhi(forward, backward), 0.3 - 2.0, 1e-12);
  EXPECT_NEAR(SignedDeltaPhi(backward, forward), 0.3 - 2.0, 1e-12);
  // Wrapped into [-π, π).
  const FourMomentum f2 = Jet(50.0, 0.5, 3.0, 0.0);
  const FourMomentum b2 = Jet(50.0, -0.5, -3.0, 0.0);
  EXPECT_NEAR(SignedDeltaPhi(b2, f2), 6.0 - 2.0 * kPi, 1e-12);
  for (const auto& [f, b] : {std::pair{forward, backward}, std::pair{f2, b2}}) {
    EXPECT_NEAR(SignedDeltaPhi(b, f), CrossProductDeltaPhi(f, b), 1e-12);
  }
}

// The CP-odd property: a mirror (pz → -pz: forward and backward swap; or
// py → -py: φ → -φ) and parity (p → -p) flip the sign; a boost along the
// beam does not change it.
TEST(SignedDeltaPhi, FlipsSignUnderMirrorsAndParityNotUnderBoosts) {
  const FourMomentum a = Jet(50.0, 2.0, 0.3, 5.0);
  const FourMomentum b = Jet(70.0, -1.5, 2.0, 8.0);
  const double value = SignedDeltaPhi(a, b);
  auto mirror_z = [](const FourMomentum& p) {
    return FourMomentum(p.px(), p.py(), -p.pz(), p.e());
  };
  auto mirror_y = [](const FourMomentum& p) {
    return FourMomentum(p.px(), -p.py(), p.pz(), p.e());
  };
  auto parity = [](const FourMomentum& p) {
    return FourMomentum(-p.px(), -p.py(), -p.pz(), p.e());
  };
  EXPECT_NEAR(SignedDeltaPhi(mirror_z(a), mirror_z(b)), -value, 1e-12);
  EXPECT_NEAR(SignedDeltaPhi(mirror_y(a), mirror_y(b)), -value, 1e-12);
  EXPECT_NEAR(SignedDeltaPhi(parity(a), parity(b)), -value, 1e-12);
  EXPECT_NEAR(SignedDeltaPhi(BoostZ(a, -0.8), BoostZ(b, -0.8)), value, 1e-12);
}

}  // namespace
}  // namespace goldmine::mining
