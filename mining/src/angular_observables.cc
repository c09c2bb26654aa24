#include "goldmine/mining/angular_observables.h"

#include <array>
#include <cmath>

namespace goldmine::mining {
namespace {

using Vector3 = std::array<double, 3>;

Vector3 SpatialPart(const FourMomentum& p) { return {p.px(), p.py(), p.pz()}; }
double Dot(const Vector3& a, const Vector3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
Vector3 Cross(const Vector3& a, const Vector3& b) {
  return {a[1] * b[2] - a[2] * b[1],
          a[2] * b[0] - a[0] * b[2],
          a[0] * b[1] - a[1] * b[0]};
}
Vector3 Combine(double x, const Vector3& a, double y, const Vector3& b) {
  return {x * a[0] + y * b[0], x * a[1] + y * b[1], x * a[2] + y * b[2]};
}
double Norm(const Vector3& a) { return std::sqrt(Dot(a, a)); }
Vector3 Unit(const Vector3& a) {
  const double norm = Norm(a);
  return {a[0] / norm, a[1] / norm, a[2] / norm};
}

// Angles of `direction` in the right-handed frame (x, y = z × x, z); x and z
// orthonormal. A zero `x_candidate` (the convention's x axis is undefined)
// falls back to the lab x axis made orthogonal to z.
FrameAngles AnglesIn(const Vector3& direction,
                     const Vector3& z,
                     const Vector3& x_candidate) {
  Vector3 x = x_candidate;
  if (!(Norm(x) > 1e-12)) {
    x = Combine(1.0, Vector3{1.0, 0.0, 0.0}, -z[0], z);
    if (!(Norm(x) > 1e-12)) x = Combine(1.0, Vector3{0.0, 1.0, 0.0}, -z[1], z);
  }
  x = Unit(x);
  const Vector3 y = Cross(z, x);
  const Vector3 unit = Unit(direction);
  FrameAngles angles;
  angles.cos_theta = Dot(unit, z);
  angles.phi = std::atan2(Dot(unit, y), Dot(unit, x));
  return angles;
}

// The beams as massless unit-energy vectors along ±z, in the rest frame of
// `frame`, as unit 3-vectors.
Vector3 BeamDirection(double sign, const FourMomentum& frame) {
  return Unit(
      SpatialPart(BoostToRestFrame(FourMomentum(0.0, 0.0, sign, 1.0), frame)));
}

}  // namespace

FourMomentum BoostToRestFrame(const FourMomentum& p,
                              const FourMomentum& frame) {
  const Vector3 beta = Combine(-1.0 / frame.e(), SpatialPart(frame), 0.0, {});
  const double beta2 = Dot(beta, beta);
  if (beta2 == 0.0) return p;
  const double gamma = frame.e() / frame.m();
  const Vector3 spatial = SpatialPart(p);
  const double beta_p = Dot(beta, spatial);
  const double factor = (gamma - 1.0) * beta_p / beta2 + gamma * p.e();
  const Vector3 boosted = Combine(1.0, spatial, factor, beta);
  return {boosted[0], boosted[1], boosted[2], gamma * (p.e() + beta_p)};
}

double SignedDeltaPhi(const FourMomentum& a, const FourMomentum& b) {
  return a.rapidity() >= b.rapidity() ? DeltaPhi(a, b) : DeltaPhi(b, a);
}

std::optional<FrameAngles> CollinsSoperAngles(const FourMomentum& particle,
                                              const FourMomentum& other) {
  const FourMomentum q = particle + other;
  if (!(q.m2() > 0.0) || !(q.e() > 0.0)) return std::nullopt;
  const double sign = q.pz() < 0.0 ? -1.0 : 1.0;
  const Vector3 beam_a = BeamDirection(sign, q);
  const Vector3 beam_b = BeamDirection(-sign, q);
  const Vector3 z = Unit(Combine(1.0, beam_a, -1.0, beam_b));
  const Vector3 x = Combine(-1.0, beam_a, -1.0, beam_b);
  return AnglesIn(SpatialPart(BoostToRestFrame(particle, q)), z, x);
}

std::optional<FrameAngles> HelicityAngles(const FourMomentum& particle,
                                          const FourMomentum& other,
                                          const FourMomentum& reference) {
  const FourMomentum v = particle + other;
  if (!(v.m2() > 0.0) || !(v.e() > 0.0) || !(reference.m2() > 0.0) ||
      !(reference.e() > 0.0)) {
    return std::nullopt;
  }
  // V's direction of flight in the reference frame is opposite to the
  // reference's momentum in V's rest frame.
  const Vector3 reference_in_v = SpatialPart(BoostToRestFrame(reference, v));
  if (!(Norm(reference_in_v) > 1e-12 * reference.e())) return std::nullopt;
  const Vector3 z = Unit(Combine(-1.0, reference_in_v, 0.0, {}));
  // The beam axis (bisector of +z and the reversed -z beam) seen in V's rest
  // frame; x is minus its part transverse to z.
  const Vector3 beam =
      Combine(1.0, BeamDirection(1.0, v), -1.0, BeamDirection(-1.0, v));
  const Vector3 x = Combine(Dot(beam, z), z, -1.0, beam);
  return AnglesIn(SpatialPart(BoostToRestFrame(particle, v)), z, x);
}

}  // namespace goldmine::mining
