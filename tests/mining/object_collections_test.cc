// Collections of the expression language: every one sorted by descending pT
// (p[0] used to follow file order), the record collections pdg(...), h, w,
// z, t at parton level, and the angular functions as the language exposes
// them (their conventions are tested in angular_observables_test.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/mining/angular_observables.h"
#include "goldmine/mining/expression.h"
#include "goldmine/mining/physics_objects.h"
#include "mining/record_particle.h"

namespace goldmine::mining {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr double kPi = 3.14159265358979323846;

// A particle with its generated mass (the momentum's).
Particle WithMass(int pdg_id, int status, const FourMomentum& p) {
  return MakeParticle(pdg_id, status, p, std::max(p.m(), 0.0));
}

FourMomentum MomentumOfParticle(const Particle& particle) {
  return {particle.px, particle.py, particle.pz, particle.energy};
}

FourMomentum Massive(double pt, double eta, double phi, double m) {
  return FourMomentum::FromPtEtaPhiM(pt, eta, phi, m);
}

// u u → u u Z H-like record, Z → e- e+, plus extra final-state particles of
// every kind, written in ASCENDING pT within each kind, so that file order
// and pT order disagree in every collection. Resonances (status 2) are a
// softer Z and a harder H; H → b b~ is not decayed further than the b's.
Event AscendingEvent() {
  const FourMomentum electron = Massive(20.0, 0.5, 0.1, 0.0);
  const FourMomentum positron = Massive(45.0, -0.3, 2.8, 0.0);
  const FourMomentum b1 = Massive(30.0, 1.0, -1.0, 4.7);
  const FourMomentum b2 = Massive(90.0, -1.2, 1.9, 4.7);
  Event event;
  event.number = 1;
  event.particles = {
      WithMass(2, -1, FourMomentum(0, 0, 500, 500)),
      WithMass(2, -1, FourMomentum(0, 0, -400, 400)),
      WithMass(23, 2, electron + positron),
      WithMass(25, 2, b1 + b2),
      WithMass(11, 1, electron),
      WithMass(-11, 1, positron),
      WithMass(5, 1, b1),
      WithMass(-5, 1, b2),
      WithMass(2, 1, Massive(25.0, 3.5, 0.4, 0.0)),
      WithMass(2, 1, Massive(60.0, -3.0, -2.0, 0.0)),
      WithMass(13, 1, Massive(15.0, 0.0, 1.0, 0.105)),
      WithMass(-13, 1, Massive(55.0, 0.2, -1.0, 0.105)),
      WithMass(15, 1, Massive(12.0, 0.1, 0.0, 1.777)),
      WithMass(-15, 1, Massive(33.0, 0.1, 3.0, 1.777)),
      WithMass(22, 1, Massive(11.0, 0.7, 0.5, 0.0)),
      WithMass(22, 1, Massive(70.0, -0.7, 2.5, 0.0)),
      WithMass(12, 1, Massive(5.0, 0.0, 0.0, 0.0)),
      WithMass(-12, 1, Massive(50.0, 1.0, 1.0, 0.0)),
  };
  event.weights = {1.0};
  return event;
}

double Value(const std::string& text, const EventObjects& objects) {
  const std::optional<double> value = Expression(text).Evaluate(objects);
  EXPECT_TRUE(value.has_value()) << text;
  return value.value_or(std::nan(""));
}

double MaxPt(const std::vector<Particle>& particles, bool (*keep)(int, int)) {
  double best = -1.0;
  for (const Particle& particle : particles) {
    if (keep(particle.pdg_id, particle.status))
      best = std::max(best, std::hypot(particle.px, particle.py));
  }
  return best;
}

TEST(ObjectCollections, EveryCollectionIsSortedByDescendingPt) {
  const Event event = AscendingEvent();
  const EventObjects objects = BuildObjects(event, ObjectOptions{}, nullptr);
  // p[0] is the hardest final-state particle (the 90 GeV b~), not the first
  // one in the file (the 20 GeV electron): this failed before the fix.
  auto final_state = [](int, int status) { return status == 1; };
  EXPECT_NEAR(
      Value("p[0].pt", objects), MaxPt(event.particles, final_state), 1e-9);
  EXPECT_NEAR(Value("p[0].pt", objects), 90.0, 1e-9);
  EXPECT_NEAR(Value("p_truth[0].pt", objects), 90.0, 1e-9);
  EXPECT_NEAR(Value("p[-1].pt", objects), 5.0, 1e-9);
  const char* const names[] = {"p",
                               "p_truth",
                               "e",
                               "mu",
                               "tau",
                               "l",
                               "a",
                               "j",
                               "b",
                               "v",
                               "h",
                               "w",
                               "z",
                               "t",
                               "pdg(25, 23)",
                               "pdg(5)"};
  for (const char* name : names) {
    const std::string collection(name);
    const int size =
        static_cast<int>(Value("len(" + collection + ")", objects));
    for (int i = 0; i + 1 < size; ++i) {
      const std::string text = collection + "[" + std::to_string(i) +
                               "].pt >= " + collection + "[" +
                               std::to_string(i + 1) + "].pt";
      EXPECT_EQ(Value(text, objects), 1.0) << text;
    }
  }
  EXPECT_NEAR(Value("e[0].pt", objects), 45.0, 1e-9);
  EXPECT_NEAR(Value("mu[0].pt", objects), 55.0, 1e-9);
  EXPECT_NEAR(Value("tau[0].pt", objects), 33.0, 1e-9);
  EXPECT_NEAR(Value("a[0].pt", objects), 70.0, 1e-9);
  EXPECT_NEAR(Value("v[0].pt", objects), 50.0, 1e-9);
  EXPECT_NEAR(Value("l[0].pt", objects), 55.0, 1e-9);
  EXPECT_NEAR(Value("j[0].pt", objects), 90.0, 1e-9);
}

TEST(ObjectCollections, PdgCollectionsHoldTheRecordsResonancesAtPartonLevel) {
  const Event event = AscendingEvent();
  const EventObjects objects = BuildObjects(event, ObjectOptions{}, nullptr);
  const FourMomentum z = MomentumOfParticle(event.particles[2]);
  const FourMomentum h = MomentumOfParticle(event.particles[3]);
  EXPECT_EQ(Value("len(h)", objects), 1.0);
  EXPECT_EQ(Value("len(z)", objects), 1.0);
  EXPECT_EQ(Value("len(w)", objects), 0.0);
  EXPECT_EQ(Value("len(t)", objects), 0.0);
  EXPECT_FALSE(Expression("t[0].pt").Evaluate(objects).has_value());
  EXPECT_NEAR(Value("h[0].m", objects), h.m(), 1e-9);
  EXPECT_NEAR(Value("h[0].pt", objects), h.pt(), 1e-9);
  EXPECT_NEAR(Value("z[0].m", objects), z.m(), 1e-9);
  EXPECT_EQ(Value("h[0].pdgid", objects), 25.0);
  EXPECT_NEAR(Value("pdg(25)[0].pt", objects), h.pt(), 1e-12);
  // Particle and antiparticle, final state included: b and b~.
  EXPECT_EQ(Value("len(pdg(5))", objects), 2.0);
  EXPECT_EQ(Value("len(pdg(11, 13))", objects), 4.0);
  EXPECT_EQ(Value("len(pdg(25, 23))", objects), 2.0);
  // The incoming quarks (status -1) are not in the record collections.
  EXPECT_EQ(Value("len(pdg(2))", objects), 2.0);
  // H → b b~: the collection's momentum sum is the Higgs.
  EXPECT_NEAR(Value("sum(pdg(5)).m", objects), h.m(), 1e-9);
  EXPECT_EQ(Expression("len(pdg(11,13)) + len(h)").Canonical(),
            "(len(pdg(11, 13)) + len(h))");
}

TEST(ObjectCollections, PdgCollectionsAreEmptyAtParticleLevel) {
  Event event = AscendingEvent();
  ObjectOptions options;
  options.level = ObjectLevel::kParticle;
  const EventObjects objects = BuildObjects(event, options, nullptr);
  EXPECT_EQ(Value("len(h) + len(pdg(23))", objects), 0.0);
}

TEST(ObjectCollections, PdgTakesPositiveIntegerLiterals) {
  for (const char* text : {"len(pdg(-24))",
                           "len(pdg(2.5))",
                           "len(pdg(n_jets))",
                           "len(pdg())",
                           "len(pdg(0))"}) {
    EXPECT_THAT(
        [&] { Expression{text}; },
        ThrowsMessage<InvalidInput>(HasSubstr("a positive integer PDG id")))
        << text;
  }
  EXPECT_THAT([] { Expression{"len(pdg)"}; },
              ThrowsMessage<InvalidInput>(HasSubstr("'(' after function pdg")));
  EXPECT_THAT([] { Expression{"len(pdg(25"}; },
              ThrowsMessage<InvalidInput>(HasSubstr("got end of expression")));
  EXPECT_THAT([] { Expression{"pdg(25).pt"}; },
              ThrowsMessage<InvalidInput>(HasSubstr("needs an object")));
  EXPECT_TRUE(IsReservedExpressionName("pdg"));
  EXPECT_TRUE(IsReservedExpressionName("h"));
  EXPECT_TRUE(IsReservedExpressionName("signed_deltaphi"));
}

PhysicsObject Lepton(const FourMomentum& momentum, int pdg_id) {
  PhysicsObject object;
  object.momentum = momentum;
  object.pdg_id = pdg_id;
  object.charge = PdgCharge(pdg_id);
  return object;
}

// The expression functions call the angular library and pick ℓ⁻ when the
// charges are opposite, whatever the argument order.
TEST(ObjectCollections, AngularFunctionsInExpressions) {
  const FourMomentum minus = FourMomentum::FromPtEtaPhiM(45.0, 0.4, 0.1, 0.0);
  const FourMomentum plus = FourMomentum::FromPtEtaPhiM(60.0, -1.2, 2.9, 0.0);
  const FourMomentum forward = FourMomentum::FromPtEtaPhiM(70.0, 3.0, 1.0, 5);
  const FourMomentum backward =
      FourMomentum::FromPtEtaPhiM(40.0, -2.5, -0.5, 5.0);
  EventObjects objects;
  objects.l = {Lepton(plus, -11), Lepton(minus, 11)};  // e+ leads
  PhysicsObject jet;
  jet.momentum = backward;
  objects.j.push_back(jet);
  jet.momentum = forward;
  objects.j.push_back(jet);
  const FrameAngles cs = *CollinsSoperAngles(minus, plus);
  const FrameAngles decay = *HelicityAngles(minus, plus);
  for (const char* order : {"l[0], l[1]", "l[1], l[0]"}) {
    const std::string args(order);
    EXPECT_NEAR(
        Value("costheta_cs(" + args + ")", objects), cs.cos_theta, 1e-12);
    EXPECT_NEAR(Value("phi_cs(" + args + ")", objects), cs.phi, 1e-12);
    EXPECT_NEAR(
        Value("costheta_decay(" + args + ")", objects), decay.cos_theta, 1e-12);
    EXPECT_NEAR(Value("phi_decay(" + args + ")", objects), decay.phi, 1e-12);
  }
  const FrameAngles in_system =
      *HelicityAngles(minus, plus, minus + plus + forward);
  EXPECT_NEAR(Value("costheta_decay(l[0], l[1], l[0] + l[1] + j[1])", objects),
              in_system.cos_theta,
              1e-12);
  EXPECT_NEAR(Value("phi_decay(l[0], l[1], l[0] + l[1] + j[1])", objects),
              in_system.phi,
              1e-12);
  EXPECT_NEAR(
      Value("signed_deltaphi(j[0], j[1])", objects), 1.0 - (-0.5), 1e-12);
  EXPECT_NEAR(Value("signed_deltaphi(j[1], j[0])", objects), 1.5, 1e-12);
  EXPECT_NEAR(Value("deltay(j[1], j[0])", objects),
              forward.rapidity() - backward.rapidity(),
              1e-12);
  EXPECT_NEAR(Value("j[1].rapidity", objects), forward.rapidity(), 1e-12);
  EXPECT_THAT([] { Expression{"costheta_decay(l[0])"}; },
              ThrowsMessage<InvalidInput>(HasSubstr("takes 2 or 3 arguments")));
  EXPECT_THAT([] { Expression{"signed_deltaphi(l[0], 1)"}; },
              ThrowsMessage<InvalidInput>(HasSubstr("needs an object")));
  // Undefined, not a number, for a pair without a rest frame.
  EXPECT_FALSE(
      Expression("costheta_cs(l[0], l[0])").Evaluate(objects).has_value());
}

// An independent spelling of the W decay azimuth: examples/wh_smeft writes
// the lepton's azimuth around the W = l + MET direction, relative to the
// (beam, W) plane, as a lab-frame atan2 (boost invariance along the W makes
// it the rest-frame angle). Its axes are phi_decay's rotated by π/2, so
// phi_l = phi_decay(l[0], met) − π/2 (mod 2π).
TEST(ObjectCollections, DecayAzimuthMatchesTheWhExamplesLabFormula) {
  const std::string pt_w = "(l[0] + met).pt";
  const std::string phi_l =
      "atan2((l[0].pz * " + pt_w +
      "**2 - (l[0] + met).pz * (l[0].px * (l[0] "
      "+ met).px + l[0].py * (l[0] + met).py)) / (" +
      pt_w +
      " * (l[0] + met).p), (l[0].py * (l[0] + met).px - l[0].px * (l[0] + "
      "met).py) / " +
      pt_w + ")";
  const double leptons[][3] = {
      {40.0, 0.5, 0.3}, {25.0, -1.7, -2.9}, {90.0, 2.2, 1.4}, {33.0, 0.0, 3.1}};
  const double missing[][2] = {{35.0, 2.5}, {60.0, -0.4}, {20.0, -2.0}};
  for (const auto& lepton : leptons) {
    for (const auto& met : missing) {
      EventObjects objects;
      objects.l = {Lepton(
          FourMomentum::FromPtEtaPhiM(lepton[0], lepton[1], lepton[2], 0.0),
          -11)};
      objects.met.momentum = FourMomentum(
          met[0] * std::cos(met[1]), met[0] * std::sin(met[1]), 0.0, met[0]);
      const double expected = Value(phi_l, objects);
      double shifted = Value("phi_decay(l[0], met)", objects) - kPi / 2.0;
      if (shifted <= -kPi) shifted += 2.0 * kPi;
      EXPECT_NEAR(std::remainder(shifted - expected, 2.0 * kPi), 0.0, 1e-9)
          << lepton[0] << " " << met[0];
    }
  }
}

}  // namespace
}  // namespace goldmine::mining
