#include "jet_clustering.h"

#include <algorithm>
#include <fastjet/ClusterSequence.hh>
#include <fastjet/JetDefinition.hh>
#include <fastjet/PseudoJet.hh>
#include <mutex>

namespace goldmine::mining::internal {
namespace {

constexpr double kGhostScale = 1e-18;
constexpr int kBGhost = -1;
constexpr int kCGhost = -2;

void SilenceBanner() {
  // The library never prints: FastJet writes a banner to std::cout on its
  // first clustering unless told otherwise.
  static std::once_flag once;
  std::call_once(once, [] {
    fastjet::ClusterSequence::set_fastjet_banner_stream(nullptr);
  });
}

void AddGhosts(const std::vector<FourMomentum>& ghosts,
               int user_index,
               std::vector<fastjet::PseudoJet>* inputs) {
  for (const FourMomentum& ghost : ghosts) {
    if (ghost.pt() <= 0.0 || ghost.e() <= std::abs(ghost.pz())) continue;
    fastjet::PseudoJet pseudo_jet(ghost.px() * kGhostScale,
                                  ghost.py() * kGhostScale,
                                  ghost.pz() * kGhostScale,
                                  ghost.e() * kGhostScale);
    pseudo_jet.set_user_index(user_index);
    inputs->push_back(pseudo_jet);
  }
}

}  // namespace

std::vector<ClusteredJet> ClusterAntiKt(
    const std::vector<FourMomentum>& particles,
    const std::vector<FourMomentum>& b_ghosts,
    const std::vector<FourMomentum>& c_ghosts,
    double radius,
    double pt_min) {
  SilenceBanner();
  std::vector<fastjet::PseudoJet> inputs;
  inputs.reserve(particles.size() + b_ghosts.size() + c_ghosts.size());
  for (std::size_t i = 0; i < particles.size(); ++i) {
    const FourMomentum& p = particles[i];
    fastjet::PseudoJet pseudo_jet(p.px(), p.py(), p.pz(), p.e());
    pseudo_jet.set_user_index(static_cast<int>(i));
    inputs.push_back(pseudo_jet);
  }
  AddGhosts(b_ghosts, kBGhost, &inputs);
  AddGhosts(c_ghosts, kCGhost, &inputs);

  std::vector<ClusteredJet> jets;
  if (inputs.empty()) return jets;
  const fastjet::JetDefinition definition(fastjet::antikt_algorithm, radius);
  const fastjet::ClusterSequence sequence(inputs, definition);
  for (const fastjet::PseudoJet& jet : sequence.inclusive_jets(0.0)) {
    ClusteredJet clustered;
    bool has_b = false;
    bool has_c = false;
    bool has_real = false;
    for (const fastjet::PseudoJet& constituent : jet.constituents()) {
      const int index = constituent.user_index();
      if (index == kBGhost) {
        has_b = true;
      } else if (index == kCGhost) {
        has_c = true;
      } else {
        has_real = true;
        clustered.momentum += particles[static_cast<std::size_t>(index)];
      }
    }
    if (!has_real || !(clustered.momentum.pt() > pt_min)) continue;
    clustered.flavour = has_b ? 5 : (has_c ? 4 : 0);
    jets.push_back(clustered);
  }
  std::stable_sort(jets.begin(),
                   jets.end(),
                   [](const ClusteredJet& a, const ClusteredJet& b) {
                     return a.momentum.pt() > b.momentum.pt();
                   });
  return jets;
}

}  // namespace goldmine::mining::internal
