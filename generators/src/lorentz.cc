#include "goldmine/generators/lorentz.h"

#include <cmath>

namespace goldmine::generators {

double Kallen(double a, double b, double c) {
  return a * a + b * b + c * c - 2.0 * (a * b + a * c + b * c);
}

FourMomentum BoostFromRest(const FourMomentum& p,
                           const FourMomentum& frame,
                           double mass) {
  const double bx = frame[1] / frame[0];
  const double by = frame[2] / frame[0];
  const double bz = frame[3] / frame[0];
  const double b2 = bx * bx + by * by + bz * bz;
  if (b2 <= 0.0) return p;
  const double gamma = frame[0] / mass;
  const double bp = bx * p[1] + by * p[2] + bz * p[3];
  const double factor = (gamma - 1.0) * bp / b2 + gamma * p[0];
  return {gamma * (p[0] + bp),
          p[1] + factor * bx,
          p[2] + factor * by,
          p[3] + factor * bz};
}

FourMomentum BoostAlongZ(const FourMomentum& p, double rapidity) {
  if (rapidity == 0.0) return p;
  const double c = std::cosh(rapidity);
  const double s = std::sinh(rapidity);
  return {c * p[0] + s * p[3], p[1], p[2], c * p[3] + s * p[0]};
}

}  // namespace goldmine::generators
