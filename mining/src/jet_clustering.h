// Anti-kt clustering with ghost-associated flavour, the only place that sees
// FastJet (jet_clustering.cc): FastJet's headers stay out of every other file.
#pragma once

#include <vector>

#include "goldmine/mining/four_momentum.h"

namespace goldmine::mining::internal {

struct ClusteredJet {
  // Σ of the real constituents (ghosts excluded).
  FourMomentum momentum;
  // 5 when a b ghost is among the constituents, else 4 for a c ghost, else 0.
  int flavour = 0;
};

// Clusters `particles` with anti-kt of radius `radius` and keeps the jets
// with pT > pt_min, sorted by descending pT. The b and c ghosts (hadrons or
// quarks) are added with momenta scaled by 1e-18, so they change no jet but
// are clustered into the jet whose area contains them. Ghosts with pT = 0 are
// ignored.
std::vector<ClusteredJet> ClusterAntiKt(
    const std::vector<FourMomentum>& particles,
    const std::vector<FourMomentum>& b_ghosts,
    const std::vector<FourMomentum>& c_ghosts,
    double radius,
    double pt_min);

}  // namespace goldmine::mining::internal
