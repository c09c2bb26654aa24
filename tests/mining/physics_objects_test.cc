#include "goldmine/mining/physics_objects.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "mining/record_particle.h"

namespace goldmine::mining {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr double kPi = 3.14159265358979323846;

Particle Massless(int pdg_id, int status, double pt, double eta, double phi) {
  return MakeParticle(
      pdg_id, status, FourMomentum::FromPtEtaPhiM(pt, eta, phi, 0.0));
}

FourMomentum MomentumOfFirst(const Event& event) {
  const Particle& particle = event.particles.front();
  return {particle.px, particle.py, particle.pz, particle.energy};
}

// u d~ → W+ H, W+ → e+ ν_e, H → b b~ at parton level (LHE status codes).
// The final-state transverse momenta balance.
Event WhEvent() {
  const FourMomentum positron =
      FourMomentum::FromPtEtaPhiM(40.0, 0.5, 0.3, 0.0);
  const FourMomentum neutrino =
      FourMomentum::FromPtEtaPhiM(35.0, -0.8, 2.5, 0.0);
  const FourMomentum b = FourMomentum::FromPtEtaPhiM(80.0, 1.1, -2.0, 0.0);
  const FourMomentum visible_and_neutrino = positron + neutrino + b;
  // The b~ balances the transverse momentum.
  const double px = -visible_and_neutrino.px();
  const double py = -visible_and_neutrino.py();
  const double pz = -20.0;
  const FourMomentum anti_b(px, py, pz, std::sqrt(px * px + py * py + pz * pz));
  const FourMomentum total = positron + neutrino + b + anti_b;
  Event event;
  event.number = 1;
  event.particles = {
      MakeParticle(2,
                   -1,
                   FourMomentum(0,
                                0,
                                (total.e() + total.pz()) / 2,
                                (total.e() + total.pz()) / 2)),
      MakeParticle(-1,
                   -1,
                   FourMomentum(0,
                                0,
                                -(total.e() - total.pz()) / 2,
                                (total.e() - total.pz()) / 2)),
      MakeParticle(24, 2, positron + neutrino, (positron + neutrino).m()),
      MakeParticle(25, 2, b + anti_b, (b + anti_b).m()),
      MakeParticle(-11, 1, positron),
      MakeParticle(12, 1, neutrino),
      MakeParticle(5, 1, b),
      MakeParticle(-5, 1, anti_b),
  };
  event.weights = {1.0};
  return event;
}

TEST(PartonLevelObjects, WhEventGivesTwoBJetsOneLeptonAndNeutrinoMet) {
  const Event event = WhEvent();
  const EventObjects objects = BuildObjects(event, ObjectOptions{}, nullptr);
  EXPECT_EQ(objects.n_particles, 8);
  ASSERT_EQ(objects.p.size(), 4u);
  // Sorted by pT, not in file order (collection_order_test.cc).
  EXPECT_EQ(objects.p[3].pdg_id, 12);  // the 35 GeV neutrino is the softest
  ASSERT_EQ(objects.j.size(), 2u);
  ASSERT_EQ(objects.b.size(), 2u);
  EXPECT_GE(objects.j[0].momentum.pt(), objects.j[1].momentum.pt());
  EXPECT_TRUE(objects.j[0].b_tag);
  ASSERT_EQ(objects.l.size(), 1u);
  ASSERT_EQ(objects.e.size(), 1u);
  EXPECT_TRUE(objects.mu.empty());
  EXPECT_DOUBLE_EQ(objects.l[0].charge, 1.0);
  EXPECT_NEAR(objects.l[0].momentum.pt(), 40.0, 1e-12);
  ASSERT_EQ(objects.v.size(), 1u);
  // MET = -Σ visible pT = the neutrino's pT; massless.
  EXPECT_NEAR(objects.met.momentum.px(), objects.v[0].momentum.px(), 1e-9);
  EXPECT_NEAR(objects.met.momentum.py(), objects.v[0].momentum.py(), 1e-9);
  EXPECT_EQ(objects.met.momentum.pz(), 0.0);
  EXPECT_NEAR(objects.met.momentum.e(), 35.0, 1e-9);
  EXPECT_DOUBLE_EQ(objects.efficiency, 1.0);
  EXPECT_NEAR(objects.ht,
              40.0 + objects.j[0].momentum.pt() + objects.j[1].momentum.pt(),
              1e-9);
}

TEST(PartonLevelObjects, TruthObjectsIgnoreTheDetector) {
  ObjectOptions options;
  options.detector = DetectorPreset("wh-1908.06980");
  const EventObjects truth = BuildTruthObjects(WhEvent(), options);
  EXPECT_DOUBLE_EQ(truth.efficiency, 1.0);
  EXPECT_EQ(truth.b.size(), 2u);
  EXPECT_NEAR(truth.met.momentum.pt(), 35.0, 1e-9);
}

TEST(PartonLevelObjects, DetectorWithSmearingNeedsARandomStream) {
  ObjectOptions options;
  options.detector = DetectorPreset("wh-1908.06980");
  EXPECT_THAT([&] { BuildObjects(WhEvent(), options, nullptr); },
              ThrowsMessage<InvalidInput>(HasSubstr("needs a random stream")));
}

TEST(Smearing,
     RelativeEnergyResolutionHasTheRightMeanAndWidthAndKeepsDirection) {
  Event event;
  event.particles = {MakeParticle(
      5, 1, FourMomentum::FromPtEtaPhiM(60.0, 0.7, 1.2, 4.7), 4.7)};
  const FourMomentum truth = MomentumOfFirst(event);
  ObjectOptions options;
  options.detector = DetectorPreset("wh-1908.06980");
  options.detector.met_noise_absolute = 0.0;
  RandomStream random(7);
  const int n = 20000;
  double sum = 0.0;
  double sum_squares = 0.0;
  for (int i = 0; i < n; ++i) {
    const EventObjects objects = BuildObjects(event, options, &random);
    const FourMomentum& smeared = objects.j[0].momentum;
    ASSERT_NEAR(smeared.eta(), truth.eta(), 1e-9);
    ASSERT_NEAR(smeared.phi(), truth.phi(), 1e-9);
    ASSERT_NEAR(smeared.m(), truth.m(), 1e-6);
    sum += smeared.e();
    sum_squares += smeared.e() * smeared.e();
    // The unsmeared truth stays available.
    ASSERT_DOUBLE_EQ(objects.p_truth[0].momentum.e(), truth.e());
  }
  const double mean = sum / n;
  const double width = std::sqrt(sum_squares / n - mean * mean);
  const double sigma = 0.1 * truth.e();
  EXPECT_NEAR(mean, truth.e(), 4.0 * sigma / std::sqrt(n));
  EXPECT_NEAR(width, sigma, 0.03 * sigma);
}

TEST(Smearing, AbsolutePtResolutionWithDerivedEnergy) {
  Event event;
  event.particles = {Massless(13, 1, 50.0, -0.4, 0.5)};
  ObjectOptions options;
  SmearingRule rule;
  rule.pdg_ids = {13};
  rule.energy = std::nullopt;
  rule.pt = Resolution{2.0, 0.0, {}, ""};
  options.detector.smearing = {rule};
  RandomStream random(11);
  const int n = 20000;
  double sum = 0.0;
  double sum_squares = 0.0;
  for (int i = 0; i < n; ++i) {
    const FourMomentum p = BuildObjects(event, options, &random).mu[0].momentum;
    ASSERT_NEAR(p.m(), 0.0, 1e-6);
    sum += p.pt();
    sum_squares += p.pt() * p.pt();
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 50.0, 4.0 * 2.0 / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(sum_squares / n - mean * mean), 2.0, 0.06);
}

TEST(Smearing, NegativeEnergiesAreRedrawn) {
  Event event;
  event.particles = {Massless(21, 1, 1.0, 0.0, 0.0)};
  ObjectOptions options;
  SmearingRule rule;
  rule.pdg_ids = {21};
  rule.energy = Resolution{5.0, 0.0, {}, ""};
  options.detector.smearing = {rule};
  RandomStream random(3);
  for (int i = 0; i < 2000; ++i) {
    ASSERT_GT(BuildObjects(event, options, &random).j[0].momentum.e(), 0.0);
  }
}

TEST(Smearing, SameSeedGivesTheSameObjects) {
  ObjectOptions options;
  options.detector = DetectorPreset("atlas-like");
  RandomStream first(42);
  RandomStream second(42);
  for (int i = 0; i < 10; ++i) {
    const EventObjects a = BuildObjects(WhEvent(), options, &first);
    const EventObjects b = BuildObjects(WhEvent(), options, &second);
    EXPECT_EQ(a.j[0].momentum.e(), b.j[0].momentum.e());
    EXPECT_EQ(a.met.momentum.px(), b.met.momentum.px());
    EXPECT_EQ(a.efficiency, b.efficiency);
  }
  RandomStream other(43);
  RandomStream again(42);
  EXPECT_NE(BuildObjects(WhEvent(), options, &other).j[0].momentum.e(),
            BuildObjects(WhEvent(), options, &again).j[0].momentum.e());
}

TEST(Smearing, MetNoiseHasTheConfiguredWidthPerComponent) {
  ObjectOptions options;
  options.detector.met_noise_absolute = 5.0;
  options.detector.met_noise_relative = 0.05;
  const Event event = WhEvent();
  const EventObjects truth = BuildTruthObjects(event, options);
  const double sigma = 5.0 + 0.05 * truth.ht;
  RandomStream random(5);
  const int n = 20000;
  double sum = 0.0;
  double sum_squares = 0.0;
  for (int i = 0; i < n; ++i) {
    const EventObjects objects = BuildObjects(event, options, &random);
    const double noise = objects.met.momentum.py() - truth.met.momentum.py();
    ASSERT_NEAR(objects.met.momentum.e(), objects.met.momentum.pt(), 1e-9);
    sum += noise;
    sum_squares += noise * noise;
  }
  EXPECT_NEAR(sum / n, 0.0, 4.0 * sigma / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(sum_squares / n), sigma, 0.03 * sigma);
}

TEST(SmearingPresets, WhPaperPresetWeightsEachBBy0Point7AndLeavesLeptonsAlone) {
  ObjectOptions options;
  options.detector = DetectorPreset("wh-1908.06980");
  RandomStream random(1);
  const EventObjects objects = BuildObjects(WhEvent(), options, &random);
  EXPECT_NEAR(objects.efficiency, 0.49, 1e-15);
  EXPECT_EQ(objects.b.size(), 2u);
  EXPECT_NEAR(objects.l[0].momentum.pt(), 40.0, 1e-12);
  EXPECT_NE(objects.met.momentum.pt(),
            BuildTruthObjects(WhEvent(), options).met.momentum.pt());
}

TEST(SmearingPresets, AtlasLikeEfficienciesMultiplyTheWeight) {
  ObjectOptions options;
  options.detector = DetectorPreset("atlas-like");
  options.detector.smearing.clear();  // compare with truth-level formulas
  options.detector.met_noise_absolute = 0.0;
  RandomStream random(1);
  const EventObjects objects = BuildObjects(WhEvent(), options, &random);
  auto eff_b = [](double pt) {
    return 0.80 * std::tanh(0.003 * pt) * 30.0 / (1.0 + 0.086 * pt);
  };
  // e+ at η = 0.5: 0.95; b at |η| = 1.1 (< 2.5) tagged; b~ at small η too.
  const double expected = 0.95 * eff_b(objects.b[0].momentum.pt()) *
                          eff_b(objects.b[1].momentum.pt());
  EXPECT_NEAR(objects.efficiency, expected, 1e-12);
  EXPECT_NEAR(eff_b(50.0), 0.67, 0.01);
}

TEST(SmearingPresets, AtlasLikeMuonPtResolutionFollowsTheDelphesCard) {
  Event event;
  event.particles = {Massless(13, 1, 50.0, 0.3, 0.0)};
  ObjectOptions options;
  options.detector = DetectorPreset("atlas-like");
  RandomStream random(17);
  const int n = 20000;
  double sum = 0.0;
  double sum_squares = 0.0;
  for (int i = 0; i < n; ++i) {
    const EventObjects objects = BuildObjects(event, options, &random);
    ASSERT_NEAR(objects.efficiency, 0.95, 1e-15);
    const double pt = objects.mu[0].momentum.pt();
    sum += pt;
    sum_squares += pt * pt;
  }
  const double sigma = 50.0 * std::hypot(0.01, 1.0e-4 * 50.0);
  const double mean = sum / n;
  EXPECT_NEAR(mean, 50.0, 4.0 * sigma / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(sum_squares / n - mean * mean), sigma, 0.03 * sigma);
}

TEST(SmearingPresets, RandomModeLosesLeptonsWithTheirInefficiency) {
  Event event;
  event.particles = {
      Massless(11, 1, 50.0, 2.0, 0.0)};  // 0.85 at 1.5 < |η| < 2.5
  ObjectOptions options;
  options.detector = DetectorPreset("atlas-like");
  options.detector.efficiency_mode = EfficiencyMode::kRandom;
  RandomStream random(21);
  int kept = 0;
  const int n = 10000;
  for (int i = 0; i < n; ++i) {
    const EventObjects objects = BuildObjects(event, options, &random);
    kept += static_cast<int>(objects.e.size());
    ASSERT_EQ(objects.e.size(), objects.l.size());
    ASSERT_EQ(objects.p.size(), 1u);
  }
  EXPECT_NEAR(kept / static_cast<double>(n), 0.85, 0.015);
}

TEST(SmearingPresets, RandomModeTagsBJetsWithTheirEfficiency) {
  ObjectOptions options;
  options.detector = DetectorPreset("wh-1908.06980");
  options.detector.efficiency_mode = EfficiencyMode::kRandom;
  RandomStream random(9);
  int tagged = 0;
  const int n = 10000;
  for (int i = 0; i < n; ++i) {
    const EventObjects objects = BuildObjects(WhEvent(), options, &random);
    EXPECT_EQ(objects.efficiency, 1.0);
    EXPECT_EQ(objects.j.size(), 2u);
    tagged += static_cast<int>(objects.b.size());
  }
  EXPECT_NEAR(tagged / (2.0 * n), 0.7, 0.015);
}

TEST(SmearingPresets, UnknownPresetListsTheKnownOnes) {
  EXPECT_THAT([] { DetectorPreset("cms"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("detector preset \"cms\" is unknown; known: "
                            "wh-1908.06980, atlas-like")));
}

TEST(SmearingPresets, ValidateRejectsRulesThatDeriveBothEnergyAndPt) {
  DetectorResponse response;
  SmearingRule rule;
  rule.pdg_ids = {11};
  rule.energy = std::nullopt;
  rule.pt = std::nullopt;
  response.smearing = {rule, rule};
  EXPECT_THAT(
      [&] { response.Validate(); },
      ThrowsMessage<InvalidInput>(HasSubstr("derives both energy and pT")));
  EXPECT_THAT([&] { response.Validate(); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("PDG id 11 is in smearing rules 0 and 1")));
  EXPECT_NO_THROW(DetectorPreset("atlas-like").Validate());
  EXPECT_NO_THROW(DetectorPreset("wh-1908.06980").Validate());
}

ObjectOptions ParticleLevel() {
  ObjectOptions options;
  options.level = ObjectLevel::kParticle;
  options.jets.radius = 0.4;
  options.jets.pt_min = 20.0;
  return options;
}

TEST(ParticleLevelObjects, TwoWellSeparatedParticlesGiveTwoJets) {
  Event event;
  event.particles = {Massless(211, 1, 50.0, 0.0, 0.0),
                     Massless(-211, 1, 40.0, 0.0, kPi)};
  const EventObjects objects = BuildObjects(event, ParticleLevel(), nullptr);
  ASSERT_EQ(objects.j.size(), 2u);
  EXPECT_NEAR(objects.j[0].momentum.pt(), 50.0, 1e-9);
  EXPECT_NEAR(objects.j[1].momentum.pt(), 40.0, 1e-9);
  EXPECT_EQ(objects.j[0].pdg_id, 21);
  EXPECT_TRUE(objects.b.empty());
}

TEST(ParticleLevelObjects, CollinearParticlesMergeIntoOneJet) {
  Event event;
  const Particle first = Massless(211, 1, 30.0, 0.0, 0.0);
  const Particle second =
      Massless(22, 1, 25.0, 0.05, 0.05);  // non-isolated photon
  event.particles = {first, second};
  const EventObjects objects = BuildObjects(event, ParticleLevel(), nullptr);
  ASSERT_EQ(objects.j.size(), 1u);
  EXPECT_TRUE(objects.a.empty());
  const FourMomentum sum =
      FourMomentum(first.px, first.py, first.pz, first.energy) +
      FourMomentum(second.px, second.py, second.pz, second.energy);
  EXPECT_NEAR(objects.j[0].momentum.px(), sum.px(), 1e-9);
  EXPECT_NEAR(objects.j[0].momentum.e(), sum.e(), 1e-9);
}

TEST(ParticleLevelObjects, JetsBelowThePtThresholdAreDropped) {
  Event event;
  event.particles = {Massless(211, 1, 50.0, 0.0, 0.0),
                     Massless(211, 1, 15.0, 0.0, 2.0)};
  EXPECT_EQ(BuildObjects(event, ParticleLevel(), nullptr).j.size(), 1u);
}

TEST(ParticleLevelObjects, GhostAssociatedBHadronTagsItsJet) {
  Event event;
  event.particles = {
      Massless(211, 1, 50.0, 0.0, 0.0),
      Massless(211, 1, 40.0, 0.0, kPi),
      MakeParticle(511,
                   2,
                   FourMomentum::FromPtEtaPhiM(20.0, 0.1, kPi - 0.1, 5.28),
                   5.28),
      // A b quark elsewhere is ignored when b hadrons exist.
      MakeParticle(5, 2, FourMomentum::FromPtEtaPhiM(20.0, 0.0, 0.05, 0.0)),
  };
  const EventObjects objects = BuildObjects(event, ParticleLevel(), nullptr);
  ASSERT_EQ(objects.j.size(), 2u);
  EXPECT_FALSE(objects.j[0].b_tag);
  EXPECT_TRUE(objects.j[1].b_tag);
  EXPECT_EQ(objects.j[1].pdg_id, 5);
  ASSERT_EQ(objects.b.size(), 1u);
  // The ghost does not change the jet.
  EXPECT_NEAR(objects.b[0].momentum.pt(), 40.0, 1e-9);
}

TEST(ParticleLevelObjects, BQuarksTagJetsWhenThereAreNoBHadrons) {
  Event event;
  event.particles = {
      Massless(211, 1, 50.0, 0.0, 0.0),
      Massless(211, 1, 40.0, 0.0, kPi),
      MakeParticle(
          -5, 2, FourMomentum::FromPtEtaPhiM(45.0, 0.02, 0.03, 4.7), 4.7),
      MakeParticle(5, -1, FourMomentum(0.0, 0.0, 100.0, 100.0)),  // incoming
  };
  const EventObjects objects = BuildObjects(event, ParticleLevel(), nullptr);
  ASSERT_EQ(objects.b.size(), 1u);
  EXPECT_NEAR(objects.b[0].momentum.pt(), 50.0, 1e-9);
  EXPECT_FALSE(objects.j[1].b_tag);
}

TEST(ParticleLevelObjects, IsolatedLeptonsAndPhotonsAreNotClustered) {
  Event event;
  event.particles = {
      Massless(211, 1, 50.0, 0.0, 0.0),
      Massless(11, 1, 30.0, 1.0, 2.0),    // isolated electron
      Massless(13, 1, 25.0, 0.02, 0.02),  // muon inside the jet: not isolated
      Massless(22, 1, 35.0, -1.5, -2.0),  // isolated photon
  };
  const EventObjects objects = BuildObjects(event, ParticleLevel(), nullptr);
  ASSERT_EQ(objects.e.size(), 1u);
  EXPECT_TRUE(objects.mu.empty());
  ASSERT_EQ(objects.l.size(), 1u);
  EXPECT_DOUBLE_EQ(objects.l[0].charge, -1.0);
  ASSERT_EQ(objects.a.size(), 1u);
  ASSERT_EQ(objects.j.size(), 1u);
  EXPECT_NEAR(objects.j[0].momentum.pt(), 75.0, 0.5);
}

TEST(ParticleLevelObjects, MetIsTheSumOfInvisibleParticles) {
  Event event;
  const Particle neutrino = Massless(14, 1, 30.0, 0.3, 1.0);
  const Particle neutralino = MakeParticle(
      1000022, 1, FourMomentum::FromPtEtaPhiM(60.0, -0.5, -2.0, 100.0), 100.0);
  event.particles = {Massless(211, 1, 50.0, 0.0, 0.0), neutrino, neutralino};
  ObjectOptions options = ParticleLevel();
  const EventObjects without = BuildObjects(event, options, nullptr);
  EXPECT_NEAR(without.met.momentum.px(), neutrino.px, 1e-12);
  EXPECT_EQ(without.v.size(), 1u);
  // Unlisted BSM particles are visible and clustered.
  EXPECT_EQ(without.j.size(), 2u);
  options.invisible_pdg_ids = {1000022};
  const EventObjects with = BuildObjects(event, options, nullptr);
  EXPECT_NEAR(with.met.momentum.px(), neutrino.px + neutralino.px, 1e-12);
  EXPECT_NEAR(with.met.momentum.py(), neutrino.py + neutralino.py, 1e-12);
  EXPECT_EQ(with.j.size(), 1u);
  EXPECT_EQ(with.v.size(), 1u);
}

TEST(PhysicsObjectsOptions, ValidateReportsEveryProblem) {
  ObjectOptions options = ParticleLevel();
  options.jets.radius = 0.0;
  options.leptons.cone = -1.0;
  EXPECT_THAT([&] { options.Validate(); },
              ThrowsMessage<InvalidInput>(HasSubstr(
                  "jet radius must be > 0, got 0.000000; lepton isolation")));
  EXPECT_THAT(DetectorPreset("atlas-like").Description(),
              HasSubstr("atlas-like"));
}

}  // namespace
}  // namespace goldmine::mining
