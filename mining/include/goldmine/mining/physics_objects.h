// Physics objects of one event, the things observables are written in: the
// collections of MadMiner's observable namespace (p, e, mu, tau, l, a, j, b,
// v, met; MADMINER.md §3), built from an Event in one of two modes.
//
// Parton level (LHE files, the built-in generator), as MadMiner's LHEReader
// (_get_objects): every final-state (status 1) particle is smeared
// (smearing.h), then |pdg| 1-6, 9, 21 → jets (5: b-tagged, 6: t_tag),
// 11 → e, 13 → mu, 15 → tau, 22 → photons, 12/14/16 → v (the neutrinos;
// smeared only when a rule lists them, as 1908.06980's "full" set does).
// MET = -Σ pT of the visible SM particles (quarks, gluons, charged leptons,
// γ, Z, W, H; smeared) + noise. Anything else is invisible.
//
// Particle level (showered HepMC): final-state particles other than
// neutrinos and `invisible_pdg_ids` are visible. Electrons, muons and photons
// above pt_min that are isolated (Σ pT of the other visible particles within
// `cone` ≤ max_fraction · pT) become leptons / photons; all other visible
// particles are clustered into anti-kt jets (FastJet). A jet is a b jet when a
// b hadron (any status) is ghost-associated to it, or, when the event has no b
// hadrons, a b quark; c likewise. Jets get pdg_id 5, 4 or 21 by flavour. MET
// is Σ pT of the invisible final-state particles + noise.
//
// In both modes every collection is sorted by descending pT (stable: equal pT
// keeps file order), l = e + mu, b ⊂ j are the b-tagged jets, and p_truth
// holds the unsmeared final-state particles. At parton level `record` holds
// the outgoing particles and decayed resonances of the record (status 1 and
// 2: W, Z, H, t, ...), unsmeared, for the expression language's pdg(...) and
// h, w, z, t collections; it stays empty at particle level, where showered
// records mark resonances with generator-specific status codes.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "goldmine/mining/event.h"
#include "goldmine/mining/four_momentum.h"
#include "goldmine/mining/smearing.h"

namespace goldmine {
class RandomStream;
}

namespace goldmine::mining {

struct PhysicsObject {
  FourMomentum momentum;
  int pdg_id = 0;
  double charge = 0.0;  // in units of e: an electron has -1
  bool b_tag = false;
  bool t_tag = false;  // parton-level top quark
  bool tau_tag = false;
};

struct EventObjects {
  std::vector<PhysicsObject> p;        // final state (smeared)
  std::vector<PhysicsObject> p_truth;  // final state, unsmeared
  std::vector<PhysicsObject> record;   // status 1 and 2, parton level only
  std::vector<PhysicsObject> e;
  std::vector<PhysicsObject> mu;
  std::vector<PhysicsObject> tau;
  std::vector<PhysicsObject> l;  // e and mu
  std::vector<PhysicsObject> a;  // photons
  std::vector<PhysicsObject> j;  // all jets, b-tagged included
  std::vector<PhysicsObject> b;  // b-tagged jets
  std::vector<PhysicsObject> v;  // neutrinos (truth)
  // Massless (MET_x, MET_y, 0, |MET|).
  PhysicsObject met;
  // Σ of the visible particles (MadMiner's `visible`); `all` = visible + met.
  FourMomentum visible;
  double ht = 0.0;  // Σ pT of the visible particles (MET noise scale)
  // Particles in the event record (LHE NUP, MadMiner's n_particles).
  int n_particles = 0;
  // Product of the detector efficiencies in EfficiencyMode::kWeight (1
  // otherwise): multiplies every weight of the event.
  double efficiency = 1.0;
};

enum class ObjectLevel { kParton, kParticle };

struct JetOptions {
  double radius = 0.4;
  double pt_min = 20.0;  // GeV
  double eta_max = std::numeric_limits<double>::infinity();
};

struct IsolationOptions {
  double pt_min = 10.0;  // GeV
  double eta_max = std::numeric_limits<double>::infinity();
  double cone = 0.3;          // ΔR
  double max_fraction = 0.1;  // Σ pT in the cone / pT of the candidate
};

struct ObjectOptions {
  ObjectLevel level = ObjectLevel::kParton;
  // Particle level only.
  JetOptions jets;
  IsolationOptions leptons;
  IsolationOptions photons;
  // Extra invisible final-state particles (|pdg|, e.g. 1000022) besides
  // neutrinos: excluded from jets and added to MET at particle level, never
  // visible at parton level.
  std::vector<int> invisible_pdg_ids;
  DetectorResponse detector;

  // Throws InvalidInput listing every problem (R ≤ 0, negative thresholds,
  // ... and DetectorResponse::Validate()).
  void Validate() const;
  std::string Description() const;
};

// Builds the objects of `event`. `random` drives smearing, MET noise and
// kRandom efficiencies; it may be null only when the detector has none of
// these. Throws InvalidInput otherwise. Particle level needs a record with
// final-state particles of status 1.
EventObjects BuildObjects(const Event& event,
                          const ObjectOptions& options,
                          RandomStream* random);

// The same objects without detector response (no smearing, noise or
// efficiencies; b-tags from truth flavour): parton-level truth for the joint
// score, which must not see detector effects.
EventObjects BuildTruthObjects(const Event& event,
                               const ObjectOptions& options);

// Charge in units of e from a PDG id (quarks ±1/3, ±2/3; leptons; W±;
// hadrons from their quark content is not attempted: 0).
double PdgCharge(int pdg_id);

}  // namespace goldmine::mining
