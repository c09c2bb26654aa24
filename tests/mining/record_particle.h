// A record particle (as an event reader gives it) from a four-momentum, for
// tests that build events by hand.
#pragma once

#include "goldmine/mining/event.h"
#include "goldmine/mining/four_momentum.h"

namespace goldmine::mining {

inline Particle MakeParticle(int pdg_id,
                             int status,
                             const FourMomentum& p,
                             double mass = 0.0) {
  Particle particle;
  particle.pdg_id = pdg_id;
  particle.status = status;
  particle.px = p.px();
  particle.py = p.py();
  particle.pz = p.pz();
  particle.energy = p.e();
  particle.mass = mass;
  return particle;
}

}  // namespace goldmine::mining
