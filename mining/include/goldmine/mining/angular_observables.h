// Angular observables of VBF and VH analyses, on plain four-momenta (the
// expression language exposes them as signed_deltaphi, costheta_cs, phi_cs,
// costheta_decay and phi_decay; docs/config.md).
//
// Conventions (the beams are the lab ±z axis):
//  - SignedDeltaPhi: φ of the object with the larger rapidity minus φ of the
//    other, wrapped into [-π, π) (hep-ph/0105325; hep-ph/0609075 eq. 3). It
//    does not depend on the argument order and is invariant under boosts
//    along z; it changes sign under a mirror (pz → -pz or py → -py) and under
//    parity, which makes it the CP-odd observable of VBF. Equal rapidities:
//    the first argument counts as forward.
//  - CollinsSoperAngles: polar and azimuthal angle of `particle` in the rest
//    frame of Q = particle + other, with z along the bisector of the beam
//    directions (p̂_A − p̂_B), x in the beam plane along Q's transverse
//    momentum (-(p̂_A + p̂_B)), y = z × x. Beam A is the one along the sign of
//    Q_z (+z when Q_z = 0), so the z and y axes flip for Q_z < 0 (the LHC
//    convention, e.g. ATLAS 1606.00689). Equivalently: the frame reached from
//    the lab by a boost along z to Q_z = 0, then a boost along Q_T.
//  - HelicityAngles (W/Z decay angles): polar and azimuthal angle of
//    `particle` in the rest frame of V = particle + other, with z along V's
//    direction of flight in the rest frame of `reference` (the lab by
//    default; the VH system for VH's decay angles), x in the plane of z and
//    the beam axis, pointing away from the +z beam (along V's transverse
//    momentum when the reference is the lab), y = z × x.
// φ is in (-π, π]. When Q_T (resp. the beam component transverse to z) is
// zero, the x axis is taken along the lab x axis.
#pragma once

#include <optional>

#include "goldmine/mining/four_momentum.h"

namespace goldmine::mining {

struct FrameAngles {
  double cos_theta = 0.0;
  double phi = 0.0;
};

double SignedDeltaPhi(const FourMomentum& a, const FourMomentum& b);

// std::nullopt when particle + other is not time-like (no rest frame).
std::optional<FrameAngles> CollinsSoperAngles(const FourMomentum& particle,
                                              const FourMomentum& other);

// std::nullopt when V or `reference` is not time-like or V is at rest in the
// reference frame (no direction of flight).
std::optional<FrameAngles> HelicityAngles(
    const FourMomentum& particle,
    const FourMomentum& other,
    const FourMomentum& reference = FourMomentum(0.0, 0.0, 0.0, 1.0));

// `p` in the rest frame of `frame` (pure boost; frame must be time-like).
FourMomentum BoostToRestFrame(const FourMomentum& p, const FourMomentum& frame);

}  // namespace goldmine::mining
