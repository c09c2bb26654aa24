#include "goldmine/generators/tth_phase_space.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "goldmine/core/errors.h"

namespace goldmine::generators {
namespace {

constexpr double kPi = 3.14159265358979323846;

FourMomentum FromDirection(double energy,
                           double momentum,
                           double cos_theta,
                           double phi) {
  const double sin_theta =
      std::sqrt(std::max(0.0, 1.0 - cos_theta * cos_theta));
  return {energy,
          momentum * sin_theta * std::cos(phi),
          momentum * sin_theta * std::sin(phi),
          momentum * cos_theta};
}

// Back-to-back pair of masses m1, m2 in the rest frame of mass `mass`.
std::array<FourMomentum, 2> RestFrameDecay(
    double mass, double m1, double m2, RandomStream& random, double* momentum) {
  const double p =
      std::sqrt(std::max(0.0, Kallen(mass * mass, m1 * m1, m2 * m2))) /
      (2.0 * mass);
  const double cos_theta = random.Uniform(-1.0, 1.0);
  const double phi = random.Uniform(0.0, 2.0 * kPi);
  const FourMomentum first =
      FromDirection(std::sqrt(p * p + m1 * m1), p, cos_theta, phi);
  const FourMomentum second = {
      std::sqrt(p * p + m2 * m2), -first[1], -first[2], -first[3]};
  if (momentum != nullptr) *momentum = p;
  return {first, second};
}

}  // namespace

std::array<FourMomentum, 2> IsotropicDecay(const FourMomentum& parent,
                                           double mass,
                                           double m1,
                                           double m2,
                                           RandomStream& random) {
  const auto pair = RestFrameDecay(mass, m1, m2, random, nullptr);
  return {BoostFromRest(pair[0], parent, mass),
          BoostFromRest(pair[1], parent, mass)};
}

TthPhaseSpacePoint SampleTthPhaseSpace(double partonic_energy,
                                       double top_mass,
                                       double higgs_mass,
                                       RandomStream& random) {
  const double m_min = 2.0 * top_mass;
  const double m_max = partonic_energy - higgs_mass;
  GOLDMINE_REQUIRE(
      m_max > m_min,
      "ttH phase space: sqrt(s_hat) = " + std::to_string(partonic_energy) +
          " GeV is below the threshold 2 m_t + m_H");
  const double m = random.Uniform(m_min, m_max);
  double p_outer = 0.0;
  double p_inner = 0.0;
  const auto outer =
      RestFrameDecay(partonic_energy, m, higgs_mass, random, &p_outer);
  const auto inner = RestFrameDecay(m, top_mass, top_mass, random, &p_inner);
  TthPhaseSpacePoint point;
  point.higgs = outer[1];
  point.top = BoostFromRest(inner[0], outer[0], m);
  point.antitop = BoostFromRest(inner[1], outer[0], m);
  point.weight = (m_max - m_min) * 2.0 * m / (2.0 * kPi) * p_outer /
                 (4.0 * kPi * partonic_energy) * p_inner / (4.0 * kPi * m);
  return point;
}

}  // namespace goldmine::generators
