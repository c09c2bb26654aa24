// Detector response for physics objects: Gaussian smearing of energy, pT, η
// and φ per PDG id, MET noise, reconstruction and b-tagging efficiencies.
//
// Smearing follows MadMiner's LHEReader.set_smearing (madminer/utils/
// interfaces/lhe.py, _smear_particles): for an object whose PDG id has a rule,
//   X → X + N(0, σ),  σ = absolute + relative · X   (or a custom σ(p)),
// for X = E, pT, η, φ. σ ≤ 0 leaves X unchanged. Either E or pT (not both)
// may be "derived": pT from E (E² = m² + pT² cosh² η, the generated mass
// kept) or E from pT. A smeared E is re-drawn until E > m when pT is derived
// (E > 0 otherwise) and a smeared pT until pT > 0. MET noise follows
// set_met_noise: MET_x,y += N(0, σ), σ = absolute + relative · HT.
// Unlike MadMiner, objects whose PDG id has no rule are kept unsmeared
// (MadMiner drops them once any smearing is set).
//
// Efficiencies ε(p) of objects (reconstruction) and b-tagging act in one of
// two ways (EfficiencyMode):
//  - kWeight: every object is kept and the event weight is multiplied by
//    Π ε (EventObjects::efficiency, reported separately from the weights).
//    True b jets are b-tagged with weight ε_b; c and light jets are never
//    tagged. This is how 1908.06980 applied "0.7 per b" (PHYSICS.md §5.1).
//  - kRandom: an object is kept with probability ε; every jet is b-tagged
//    with probability ε_b, ε_c or ε_light according to its flavour.
//
// Presets (PHYSICS.md §5): "wh-1908.06980" and "atlas-like".
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/mining/four_momentum.h"

namespace goldmine::mining {

// σ of one smeared quantity X, in X's units (GeV for E and pT, 1 for η, rad
// for φ).
struct Resolution {
  double absolute = 0.0;
  double relative = 0.0;
  // When set, σ = custom(true momentum) instead of absolute + relative · X.
  std::function<double(const FourMomentum&)> custom;
  std::string description;  // of `custom`, for Description()

  double Sigma(const FourMomentum& truth, double x) const {
    return custom ? custom(truth) : absolute + relative * x;
  }
  bool IsZero() const { return !custom && absolute == 0.0 && relative == 0.0; }
};

// Smearing for the objects whose PDG id is in pdg_ids (signed, exactly as in
// MadMiner: list both 5 and -5 for b and anti-b). Particle-level jets carry
// pdg_id 5 (b), 4 (c) or 21 (light); see physics_objects.h.
struct SmearingRule {
  std::vector<int> pdg_ids;
  // std::nullopt: derived from the on-shell condition (MadMiner's None).
  std::optional<Resolution> energy = Resolution{};
  std::optional<Resolution> pt = std::nullopt;
  Resolution eta;
  Resolution phi;
};

// Probability ε(p) in [0, 1] for an object with momentum p.
using EfficiencyFunction = std::function<double(const FourMomentum&)>;

struct ObjectEfficiency {
  std::vector<int> pdg_ids;  // signed, as SmearingRule
  EfficiencyFunction efficiency;
  std::string description;
};

struct BTagging {
  // Empty functions mean ε_b = 1, ε_c = 0, ε_light = 0 (truth tagging).
  EfficiencyFunction b;
  EfficiencyFunction c;
  EfficiencyFunction light;
  std::string description;
};

enum class EfficiencyMode { kWeight, kRandom };

// A default-constructed DetectorResponse is a perfect detector.
struct DetectorResponse {
  std::string name = "perfect";
  std::vector<SmearingRule> smearing;
  double met_noise_absolute = 0.0;  // GeV
  double met_noise_relative = 0.0;  // times HT
  std::vector<ObjectEfficiency> efficiencies;
  BTagging b_tagging;
  EfficiencyMode efficiency_mode = EfficiencyMode::kWeight;

  // Throws InvalidInput listing every problem: a PDG id in two rules or two
  // efficiencies, a rule deriving both E and pT, negative MET noise.
  void Validate() const;
  // One line, for logs and file provenance.
  std::string Description() const;
  // The rule for pdg_id, or nullptr.
  const SmearingRule* FindRule(int pdg_id) const;
};

// "wh-1908.06980": b jets E·(1 + 0.10 N(0,1)) (direction and mass kept),
//   leptons unsmeared, MET noise 12.5 GeV per component, b-tag weight 0.7 per
//   true b (kWeight).
// "atlas-like": Delphes ATLAS card resolutions (b-jet HCal, electron ECal,
//   muon track pT), lepton efficiencies, the ATL-PHYS-PUB-2015-022 b-tagging
//   parametrisation for b, c and light jets, MET noise 12.5 GeV (kWeight; set
//   efficiency_mode = kRandom to draw tags and reconstruction instead).
// "perfect": no response. Throws InvalidInput naming the allowed names.
DetectorResponse DetectorPreset(const std::string& name);
std::vector<std::string> DetectorPresetNames();

}  // namespace goldmine::mining
