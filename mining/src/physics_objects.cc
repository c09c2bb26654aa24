#include "goldmine/mining/physics_objects.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "jet_clustering.h"

namespace goldmine::mining {
namespace {

// A re-draw loop that does not end within this many draws keeps the true
// value (MadMiner would loop forever).
constexpr int kMaxRedraws = 1000;

bool IsNeutrino(int abs_id) {
  return abs_id == 12 || abs_id == 14 || abs_id == 16;
}
bool IsJetParton(int abs_id) {
  return (abs_id >= 1 && abs_id <= 6) || abs_id == 9 || abs_id == 21;
}
// MadMiner's visible sum: SM elementary particles except neutrinos.
bool IsVisibleStandardModel(int abs_id) {
  return (abs_id >= 1 && abs_id <= 6) || abs_id == 11 || abs_id == 13 ||
         abs_id == 15 || (abs_id >= 21 && abs_id <= 25);
}
int HeavyFlavourOfHadron(int pdg_id) {
  const int code = std::abs(pdg_id) % 10000;
  if (code < 100) return 0;
  const int quark_1 = (code / 1000) % 10;
  const int quark_2 = (code / 100) % 10;
  if (quark_1 == 5 || quark_2 == 5) return 5;
  if (quark_1 == 4 || quark_2 == 4) return 4;
  return 0;
}

FourMomentum MomentumOf(const Particle& particle) {
  return {particle.px, particle.py, particle.pz, particle.energy};
}

PhysicsObject ObjectOf(const Particle& particle) {
  PhysicsObject object;
  object.momentum = MomentumOf(particle);
  object.pdg_id = particle.pdg_id;
  object.charge = PdgCharge(particle.pdg_id);
  const int abs_id = std::abs(particle.pdg_id);
  object.t_tag = abs_id == 6;
  object.tau_tag = abs_id == 15;
  return object;
}

// x + N(0, σ) redrawn until above `minimum`; σ ≤ 0 keeps x.
double SmearValue(double x,
                  double sigma,
                  double minimum,
                  RandomStream& random) {
  if (!(sigma > 0.0)) return x;
  for (int attempt = 0; attempt < kMaxRedraws; ++attempt) {
    const double smeared = x + sigma * random.Normal();
    if (smeared > minimum) return smeared;
  }
  return x;
}

FourMomentum Smear(const FourMomentum& truth,
                   const SmearingRule& rule,
                   RandomStream& random) {
  if (truth.pt() == 0.0) return truth;  // no direction to keep
  const double mass = std::max(truth.m(), 0.0);
  const double minimum_energy = rule.pt ? 0.0 : mass;
  double energy = truth.e();
  if (rule.energy) {
    energy = SmearValue(truth.e(),
                        rule.energy->Sigma(truth, truth.e()),
                        minimum_energy,
                        random);
  }
  double pt = truth.pt();
  if (rule.pt) {
    pt = SmearValue(truth.pt(), rule.pt->Sigma(truth, truth.pt()), 0.0, random);
  }
  const double eta = SmearValue(
      truth.eta(), rule.eta.Sigma(truth, truth.eta()), -HUGE_VAL, random);
  const double phi = SmearValue(
      truth.phi(), rule.phi.Sigma(truth, truth.phi()), -HUGE_VAL, random);
  if (!rule.energy) return FourMomentum::FromPtEtaPhiM(pt, eta, phi, mass);
  if (!rule.pt) {
    pt = energy > mass
             ? std::sqrt(energy * energy - mass * mass) / std::cosh(eta)
             : 0.0;
  }
  return FourMomentum::FromPtEtaPhiE(pt, eta, phi, energy);
}

const ObjectEfficiency* FindEfficiency(const DetectorResponse& detector,
                                       int pdg_id) {
  for (const ObjectEfficiency& efficiency : detector.efficiencies) {
    for (int id : efficiency.pdg_ids) {
      if (id == pdg_id) return &efficiency;
    }
  }
  return nullptr;
}

// Everything the detector does to one object after it has been built.
class Response {
 public:
  Response(const DetectorResponse& detector, bool active, RandomStream* random)
      : detector_(detector), active_(active), random_(random) {}

  void SmearObject(PhysicsObject* object) const {
    if (!active_) return;
    const SmearingRule* rule = detector_.FindRule(object->pdg_id);
    if (rule != nullptr)
      object->momentum = Smear(object->momentum, *rule, *random_);
  }

  // Reconstruction efficiency; false when a kRandom draw loses the object.
  bool Keep(const PhysicsObject& object, double* weight) const {
    if (!active_) return true;
    const ObjectEfficiency* efficiency =
        FindEfficiency(detector_, object.pdg_id);
    if (efficiency == nullptr) return true;
    const double probability = efficiency->efficiency(object.momentum);
    if (detector_.efficiency_mode == EfficiencyMode::kWeight) {
      *weight *= probability;
      return true;
    }
    return random_->Uniform() < probability;
  }

  void Tag(PhysicsObject* jet, double* weight) const {
    const int flavour = std::abs(jet->pdg_id);
    if (!active_) {
      jet->b_tag = flavour == 5;
      return;
    }
    const BTagging& tagging = detector_.b_tagging;
    if (detector_.efficiency_mode == EfficiencyMode::kWeight) {
      jet->b_tag = flavour == 5;
      if (jet->b_tag && tagging.b) *weight *= tagging.b(jet->momentum);
      return;
    }
    double probability = 0.0;
    if (flavour == 5) {
      probability = tagging.b ? tagging.b(jet->momentum) : 1.0;
    } else if (flavour == 4) {
      probability = tagging.c ? tagging.c(jet->momentum) : 0.0;
    } else {
      probability = tagging.light ? tagging.light(jet->momentum) : 0.0;
    }
    jet->b_tag = random_->Uniform() < probability;
  }

  // MET_x,y noise with σ = absolute + relative · HT.
  void AddMetNoise(double ht, FourMomentum* met) const {
    if (!active_) return;
    const double sigma =
        detector_.met_noise_absolute + detector_.met_noise_relative * ht;
    if (!(sigma > 0.0)) return;
    const double noise_x = sigma * random_->Normal();
    const double noise_y = sigma * random_->Normal();
    *met = FourMomentum(met->px() + noise_x, met->py() + noise_y, 0.0, 0.0);
  }

 private:
  const DetectorResponse& detector_;
  bool active_;
  RandomStream* random_;
};

bool NeedsRandom(const DetectorResponse& detector) {
  return !detector.smearing.empty() || detector.met_noise_absolute > 0.0 ||
         detector.met_noise_relative > 0.0 ||
         detector.efficiency_mode == EfficiencyMode::kRandom;
}

void SortByPt(std::vector<PhysicsObject>* objects) {
  std::stable_sort(objects->begin(),
                   objects->end(),
                   [](const PhysicsObject& a, const PhysicsObject& b) {
                     return a.momentum.pt2() > b.momentum.pt2();
                   });
}

PhysicsObject MissingMomentum(const FourMomentum& transverse) {
  PhysicsObject met;
  const double px = transverse.px();
  const double py = transverse.py();
  met.momentum = FourMomentum(px, py, 0.0, std::hypot(px, py));
  return met;
}

bool IsExtraInvisible(const ObjectOptions& options, int abs_id) {
  return std::find(options.invisible_pdg_ids.begin(),
                   options.invisible_pdg_ids.end(),
                   abs_id) != options.invisible_pdg_ids.end();
}

// Sorts every collection and fills l and b from e, mu and j.
void Finish(EventObjects* objects) {
  SortByPt(&objects->p);
  SortByPt(&objects->p_truth);
  SortByPt(&objects->record);
  SortByPt(&objects->e);
  SortByPt(&objects->mu);
  SortByPt(&objects->tau);
  SortByPt(&objects->a);
  SortByPt(&objects->j);
  SortByPt(&objects->v);
  objects->l = objects->e;
  objects->l.insert(objects->l.end(), objects->mu.begin(), objects->mu.end());
  SortByPt(&objects->l);
  for (const PhysicsObject& jet : objects->j) {
    if (jet.b_tag) objects->b.push_back(jet);
  }
}

EventObjects BuildPartonLevel(const Event& event,
                              const ObjectOptions& options,
                              const Response& response) {
  EventObjects objects;
  objects.n_particles = static_cast<int>(event.particles.size());
  FourMomentum visible;
  double ht = 0.0;
  for (const Particle& particle : event.particles) {
    if (particle.status == 1 || particle.status == 2) {
      objects.record.push_back(ObjectOf(particle));
    }
    if (particle.status != 1) continue;
    PhysicsObject truth = ObjectOf(particle);
    objects.p_truth.push_back(truth);
    PhysicsObject object = truth;
    response.SmearObject(&object);
    objects.p.push_back(object);

    const int abs_id = std::abs(particle.pdg_id);
    if (IsExtraInvisible(options, abs_id)) continue;
    if (IsVisibleStandardModel(abs_id)) {
      visible += object.momentum;
      ht += object.momentum.pt();
    }
    if (IsNeutrino(abs_id)) {
      objects.v.push_back(object);
      continue;
    }
    std::vector<PhysicsObject>* collection = nullptr;
    if (IsJetParton(abs_id)) {
      collection = &objects.j;
      response.Tag(&object, &objects.efficiency);
      objects.p.back().b_tag = object.b_tag;
    } else if (abs_id == 11) {
      collection = &objects.e;
    } else if (abs_id == 13) {
      collection = &objects.mu;
    } else if (abs_id == 15) {
      collection = &objects.tau;
    } else if (abs_id == 22) {
      collection = &objects.a;
    }
    if (collection != nullptr && response.Keep(object, &objects.efficiency)) {
      collection->push_back(object);
    }
  }
  FourMomentum met = -visible;
  response.AddMetNoise(ht, &met);
  objects.met = MissingMomentum(met);
  objects.visible = visible;
  objects.ht = ht;
  Finish(&objects);
  return objects;
}

bool Isolated(const FourMomentum& candidate,
              std::size_t candidate_index,
              const std::vector<FourMomentum>& visible,
              const IsolationOptions& isolation) {
  const double pt = candidate.pt();
  if (!(pt > isolation.pt_min) ||
      !(std::abs(candidate.eta()) < isolation.eta_max))
    return false;
  double sum = 0.0;
  for (std::size_t k = 0; k < visible.size(); ++k) {
    if (k == candidate_index) continue;
    if (DeltaR(candidate, visible[k]) < isolation.cone) sum += visible[k].pt();
  }
  return sum <= isolation.max_fraction * pt;
}

EventObjects BuildParticleLevel(const Event& event,
                                const ObjectOptions& options,
                                const Response& response) {
  EventObjects objects;
  objects.n_particles = static_cast<int>(event.particles.size());
  std::vector<const Particle*> visible_particles;
  std::vector<FourMomentum> visible_momenta;
  FourMomentum invisible;
  std::vector<FourMomentum> b_hadrons, c_hadrons, b_quarks, c_quarks;
  for (const Particle& particle : event.particles) {
    const int abs_id = std::abs(particle.pdg_id);
    if (particle.status != 1) {
      const bool incoming = particle.status == -1 || particle.status == 4;
      const int hadron_flavour = HeavyFlavourOfHadron(particle.pdg_id);
      if (hadron_flavour == 5) b_hadrons.push_back(MomentumOf(particle));
      if (hadron_flavour == 4) c_hadrons.push_back(MomentumOf(particle));
      if (abs_id == 5 && !incoming) b_quarks.push_back(MomentumOf(particle));
      if (abs_id == 4 && !incoming) c_quarks.push_back(MomentumOf(particle));
      continue;
    }
    const PhysicsObject object = ObjectOf(particle);
    objects.p_truth.push_back(object);
    objects.p.push_back(object);
    if (IsNeutrino(abs_id) || IsExtraInvisible(options, abs_id)) {
      invisible += object.momentum;
      if (IsNeutrino(abs_id)) objects.v.push_back(object);
      continue;
    }
    visible_particles.push_back(&particle);
    visible_momenta.push_back(object.momentum);
    objects.visible += object.momentum;
    objects.ht += object.momentum.pt();
  }

  std::vector<FourMomentum> jet_inputs;
  std::vector<PhysicsObject> candidates;
  for (std::size_t i = 0; i < visible_particles.size(); ++i) {
    const int abs_id = std::abs(visible_particles[i]->pdg_id);
    bool isolated = false;
    if (abs_id == 11 || abs_id == 13) {
      isolated =
          Isolated(visible_momenta[i], i, visible_momenta, options.leptons);
    } else if (abs_id == 22) {
      isolated =
          Isolated(visible_momenta[i], i, visible_momenta, options.photons);
    } else if (abs_id == 15) {
      isolated = true;  // an undecayed tau
    }
    if (isolated) {
      candidates.push_back(ObjectOf(*visible_particles[i]));
    } else {
      jet_inputs.push_back(visible_momenta[i]);
    }
  }
  const bool hadrons = !b_hadrons.empty() || !c_hadrons.empty();
  const std::vector<internal::ClusteredJet> jets =
      internal::ClusterAntiKt(jet_inputs,
                              hadrons ? b_hadrons : b_quarks,
                              hadrons ? c_hadrons : c_quarks,
                              options.jets.radius,
                              options.jets.pt_min);
  for (const internal::ClusteredJet& jet : jets) {
    if (!(std::abs(jet.momentum.eta()) < options.jets.eta_max)) continue;
    PhysicsObject object;
    object.momentum = jet.momentum;
    object.pdg_id = jet.flavour == 0 ? 21 : jet.flavour;
    candidates.push_back(object);
  }

  for (PhysicsObject& object : candidates) {
    response.SmearObject(&object);
    const int abs_id = std::abs(object.pdg_id);
    std::vector<PhysicsObject>* collection = nullptr;
    if (abs_id == 11) {
      collection = &objects.e;
    } else if (abs_id == 13) {
      collection = &objects.mu;
    } else if (abs_id == 15) {
      collection = &objects.tau;
    } else if (abs_id == 22) {
      collection = &objects.a;
    } else {
      collection = &objects.j;
      response.Tag(&object, &objects.efficiency);
    }
    if (response.Keep(object, &objects.efficiency))
      collection->push_back(object);
  }
  FourMomentum met = invisible;
  response.AddMetNoise(objects.ht, &met);
  objects.met = MissingMomentum(met);
  Finish(&objects);
  return objects;
}

EventObjects Build(const Event& event,
                   const ObjectOptions& options,
                   const Response& response) {
  if (options.level == ObjectLevel::kParton) {
    return BuildPartonLevel(event, options, response);
  }
  return BuildParticleLevel(event, options, response);
}

}  // namespace

double PdgCharge(int pdg_id) {
  const int abs_id = std::abs(pdg_id);
  const double sign = pdg_id > 0 ? 1.0 : -1.0;
  switch (abs_id) {
    case 1:
    case 3:
    case 5:
    case 7:
      return -sign / 3.0;
    case 2:
    case 4:
    case 6:
    case 8:
      return 2.0 * sign / 3.0;
    case 11:
    case 13:
    case 15:
    case 17:
      return -sign;
    case 24:
      return sign;
    default:
      return 0.0;
  }
}

void ObjectOptions::Validate() const {
  std::vector<std::string> problems;
  if (!(jets.radius > 0.0)) {
    problems.push_back("jet radius must be > 0, got " +
                       std::to_string(jets.radius));
  }
  if (!(jets.pt_min >= 0.0)) {
    problems.push_back("jet pt_min must be ≥ 0, got " +
                       std::to_string(jets.pt_min));
  }
  const std::pair<const char*, const IsolationOptions*> isolations[] = {
      {"lepton", &leptons}, {"photon", &photons}};
  for (const auto& [what, isolation] : isolations) {
    if (!(isolation->cone >= 0.0) || !(isolation->max_fraction >= 0.0) ||
        !(isolation->pt_min >= 0.0)) {
      problems.push_back(
          std::string(what) +
          " isolation: cone, max_fraction and pt_min must be ≥ 0");
    }
  }
  try {
    detector.Validate();
  } catch (const InvalidInput& error) {
    problems.push_back(error.what());
  }
  if (!problems.empty()) {
    std::string message = "object options: ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
      message += (i > 0 ? "; " : "") + problems[i];
    }
    throw InvalidInput(message);
  }
}

std::string ObjectOptions::Description() const {
  std::ostringstream out;
  if (level == ObjectLevel::kParton) {
    out << "parton-level objects";
  } else {
    out << "particle-level objects: anti-kt R=" << jets.radius << " pT>"
        << jets.pt_min << " |eta|<" << jets.eta_max << "; isolated leptons pT>"
        << leptons.pt_min << " cone " << leptons.cone << " fraction "
        << leptons.max_fraction << "; photons pT>" << photons.pt_min << " cone "
        << photons.cone << " fraction " << photons.max_fraction;
  }
  if (!invisible_pdg_ids.empty()) {
    out << "; extra invisibles";
    for (int id : invisible_pdg_ids) out << " " << id;
  }
  out << "; " << detector.Description();
  return out.str();
}

EventObjects BuildObjects(const Event& event,
                          const ObjectOptions& options,
                          RandomStream* random) {
  if (random == nullptr && NeedsRandom(options.detector)) {
    throw InvalidInput("detector response \"" + options.detector.name +
                       "\" smears or draws efficiencies and needs a random "
                       "stream, got none");
  }
  return Build(event, options, Response(options.detector, true, random));
}

EventObjects BuildTruthObjects(const Event& event,
                               const ObjectOptions& options) {
  return Build(event, options, Response(options.detector, false, nullptr));
}

}  // namespace goldmine::mining
