// One weighted Monte Carlo event as read from a generator file: its particles
// and its weights. Momenta are in GeV whatever the file's units; weights are
// in the file's own units and normalisation (pb for MadGraph with
// event_norm = average: every event carries σ; see EventFileInfo).
#pragma once

#include <cstdint>
#include <vector>

namespace goldmine::mining {

struct Particle {
  int pdg_id = 0;
  // LHE ISTUP (-1 incoming, 1 outgoing, 2 intermediate) or HepMC status
  // (1 final state, 4 beam, 2 decayed, ...), as written in the file.
  int status = 0;
  double px = 0.0;
  double py = 0.0;
  double pz = 0.0;
  double energy = 0.0;
  double mass = 0.0;  // generated mass
};

struct Event {
  // Position in the file, counting from 1 (as in error messages).
  std::int64_t number = 0;
  std::vector<Particle> particles;
  // One value per EventFileInfo::weight_names, in that order.
  std::vector<double> weights;
};

}  // namespace goldmine::mining
