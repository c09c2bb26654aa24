// Small relativistic kinematics shared by the built-in generators: the Källén
// function and boosts of four-momenta (E, px, py, pz) in GeV, metric
// (+,−,−,−).
#pragma once

#include "goldmine/generators/wh_matrix_element.h"

namespace goldmine::generators {

// Källén function λ(a, b, c) = a² + b² + c² − 2(ab + ac + bc).
double Kallen(double a, double b, double c);

// p given in the rest frame of a particle of mass `mass`, returned in the
// frame where that particle has momentum `frame`.
FourMomentum BoostFromRest(const FourMomentum& p,
                           const FourMomentum& frame,
                           double mass);

// p boosted along z by `rapidity`.
FourMomentum BoostAlongZ(const FourMomentum& p, double rapidity);

}  // namespace goldmine::generators
