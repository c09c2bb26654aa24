// Objects + observables per event, the per-event work of `goldmine mine`
// after reading:
//  - parton level: a WH → l ν b b event with the "wh-1908.06980" detector and
//    the 48 observables of 1908.06980's "MET set" (PHYSICS.md §5.3);
//  - particle level: anti-kt R = 0.4 clustering of ~200 final-state particles
//    with ghost b hadrons and MadMiner's default observables.
//
//   build/release/bench/mining_benchmark
//
// items_per_second is events per second on one core.
#include <benchmark/benchmark.h>

#include <cmath>

#include "goldmine/core/random.h"
#include "goldmine/mining/event_analysis.h"
#include "goldmine/mining/physics_objects.h"

namespace goldmine::mining {
namespace {

Particle MakeParticle(int pdg_id, int status, const FourMomentum& p) {
  Particle particle;
  particle.pdg_id = pdg_id;
  particle.status = status;
  particle.px = p.px();
  particle.py = p.py();
  particle.pz = p.pz();
  particle.energy = p.e();
  particle.mass = std::max(p.m(), 0.0);
  return particle;
}

Event WhEvent() {
  Event event;
  event.particles = {
      MakeParticle(2, -1, FourMomentum(0, 0, 300, 300)),
      MakeParticle(-1, -1, FourMomentum(0, 0, -200, 200)),
      MakeParticle(-11, 1, FourMomentum::FromPtEtaPhiM(40.0, 0.5, 0.3, 0.0)),
      MakeParticle(12, 1, FourMomentum::FromPtEtaPhiM(35.0, -0.8, 2.5, 0.0)),
      MakeParticle(5, 1, FourMomentum::FromPtEtaPhiM(80.0, 1.1, -2.0, 4.7)),
      MakeParticle(-5, 1, FourMomentum::FromPtEtaPhiM(60.0, -0.2, 1.0, 4.7)),
  };
  return event;
}

std::vector<ObservableDefinition> MetSetObservables() {
  std::vector<ObservableDefinition> observables;
  auto add = [&](const std::string& name, const std::string& expression) {
    observables.push_back({name, expression, true, std::nullopt});
  };
  const std::pair<const char*, const char*> objects[] = {
      {"b1", "j[0]"}, {"b2", "j[1]"}, {"l", "l[0]"}};
  for (const auto& [name, object] : objects) {
    for (const char* attribute : {"px", "py", "pz", "e"}) {
      add(std::string(attribute) + "_" + name,
          std::string(object) + "." + attribute);
    }
  }
  add("met_x", "met.px");
  add("met_y", "met.py");
  const std::pair<const char*, const char*> composites[] = {
      {"b1", "j[0]"},
      {"b2", "j[1]"},
      {"l", "l[0]"},
      {"met", "met"},
      {"w", "(l[0] + met)"},
      {"h", "(j[0] + j[1])"}};
  for (const auto& [name, object] : composites) {
    add(std::string("pt_") + name, std::string(object) + ".pt");
    add(std::string("phi_") + name, std::string(object) + ".phi");
    add(std::string("eta_") + name, std::string(object) + ".eta");
    add(std::string("theta_") + name, std::string(object) + ".theta");
  }
  add("dphi_bb", "deltaphi(j[0], j[1])");
  add("dphi_lmet", "deltaphi(l[0], met)");
  add("dphi_wh", "deltaphi(l[0] + met, j[0] + j[1])");
  add("m_bb", "(j[0] + j[1]).m");
  add("mt_lnu", "(l[0] + met).mt");
  add("mt_tot", "(j[0] + j[1] + l[0] + met).mt");
  add("q_l", "l[0].charge");
  add("dr_bb", "deltaR(j[0], j[1])");
  add("dr_lb1", "deltaR(l[0], j[0])");
  add("dr_lb2", "deltaR(l[0], j[1])");
  return observables;
}

void BM_PartonLevelWh(benchmark::State& state) {
  const Event event = WhEvent();
  ObjectOptions options;
  options.detector = DetectorPreset("wh-1908.06980");
  const EventAnalysis analysis(MetSetObservables(), {{"met.pt > 0", false}});
  Eigen::VectorXd observables(analysis.num_observables());
  RandomStream random(1);
  double efficiency = 1.0;
  for (auto _ : state) {
    const EventObjects objects = BuildObjects(event, options, &random);
    benchmark::DoNotOptimize(
        analysis.Analyse(objects, observables, &efficiency));
    benchmark::DoNotOptimize(observables.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["observables"] = analysis.num_observables();
}
BENCHMARK(BM_PartonLevelWh);

Event ShoweredEvent(int num_particles) {
  RandomStream random(3);
  Event event;
  // Two b hadrons seeding two hard jets, soft particles everywhere.
  event.particles.push_back(
      MakeParticle(511, 2, FourMomentum::FromPtEtaPhiM(60.0, 0.3, 1.0, 5.28)));
  event.particles.push_back(MakeParticle(
      -521, 2, FourMomentum::FromPtEtaPhiM(50.0, -0.5, -2.0, 5.28)));
  for (int i = 0; i < num_particles; ++i) {
    const bool hard = i < 20;
    const double pt =
        hard ? random.Uniform(2.0, 10.0) : random.Uniform(0.2, 3.0);
    double eta = random.Uniform(-4.0, 4.0);
    double phi = random.Uniform(-3.14, 3.14);
    if (hard) {
      eta = (i % 2 == 0 ? 0.3 : -0.5) + 0.2 * random.Normal();
      phi = (i % 2 == 0 ? 1.0 : -2.0) + 0.2 * random.Normal();
    }
    event.particles.push_back(
        MakeParticle(i % 3 == 0 ? 22 : 211,
                     1,
                     FourMomentum::FromPtEtaPhiM(pt, eta, phi, 0.0)));
  }
  event.particles.push_back(
      MakeParticle(13, 1, FourMomentum::FromPtEtaPhiM(40.0, 1.5, 2.5, 0.105)));
  event.particles.push_back(
      MakeParticle(-14, 1, FourMomentum::FromPtEtaPhiM(30.0, 0.0, -0.5, 0.0)));
  return event;
}

void BM_ParticleLevelClustering(benchmark::State& state) {
  const Event event = ShoweredEvent(static_cast<int>(state.range(0)));
  ObjectOptions options;
  options.level = ObjectLevel::kParticle;
  options.detector = DetectorPreset("atlas-like");
  const EventAnalysis analysis(DefaultObservables(), {});
  Eigen::VectorXd observables(analysis.num_observables());
  RandomStream random(1);
  double efficiency = 1.0;
  for (auto _ : state) {
    const EventObjects objects = BuildObjects(event, options, &random);
    benchmark::DoNotOptimize(
        analysis.Analyse(objects, observables, &efficiency));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParticleLevelClustering)->Arg(200);

}  // namespace
}  // namespace goldmine::mining

BENCHMARK_MAIN();
