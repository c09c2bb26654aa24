#include "goldmine/generators/wh_generator.h"

#include <cmath>
#include <sstream>

#include "goldmine/core/errors.h"
#include "goldmine/generators/lorentz.h"

namespace goldmine::generators {
namespace {

constexpr double kPi = 3.14159265358979323846;
// ħ²c² in pb GeV².
constexpr double kPicobarnGeV2 = 0.3893794e9;

std::string Format(double value) {
  std::ostringstream text;
  text.precision(10);
  text << value;
  return text.str();
}

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

FourMomentum Reversed(const FourMomentum& p, double energy) {
  return {energy, -p[1], -p[2], -p[3]};
}

// An isotropic massless pair from the decay of a particle of mass `mass`
// and momentum `parent`.
std::array<FourMomentum, 2> MasslessDecay(const FourMomentum& parent,
                                          double mass,
                                          RandomStream& random) {
  const double cos_theta = random.Uniform(-1.0, 1.0);
  const double phi = random.Uniform(0.0, 2.0 * kPi);
  const double e = mass / 2.0;
  const FourMomentum first = FromDirection(e, e, cos_theta, phi);
  return {BoostFromRest(first, parent, mass),
          BoostFromRest(Reversed(first, e), parent, mass)};
}

double TransverseMomentum(const FourMomentum& p) {
  return std::hypot(p[1], p[2]);
}

}  // namespace

const std::array<WhQuarkPair, 4>& WhQuarkPairs() {
  static const std::array<WhQuarkPair, 4> pairs = {{
      {+1, kUp, -kDown},
      {+1, kCharm, -kStrange},
      {-1, kDown, -kUp},
      {-1, kStrange, -kCharm},
  }};
  return pairs;
}

std::string ScaleChoiceName(ScaleChoice choice) {
  switch (choice) {
    case ScaleChoice::kFixed:
      return "fixed";
    case ScaleChoice::kHalfTransverse:
      return "ht2";
    case ScaleChoice::kPartonicMass:
      return "shat";
  }
  return "?";
}

ScaleChoice ParseScaleChoice(const std::string& name) {
  if (name == "fixed") return ScaleChoice::kFixed;
  if (name == "ht2") return ScaleChoice::kHalfTransverse;
  if (name == "shat") return ScaleChoice::kPartonicMass;
  throw InvalidInput("unknown factorisation scale choice \"" + name +
                     "\"; allowed: fixed, ht2, shat");
}

double WhGeneratorSettings::FixedScale() const {
  return fixed_scale > 0.0 ? fixed_scale
                           : parameters.w_mass + parameters.higgs_mass;
}

void WhGeneratorSettings::Validate() const {
  parameters.Validate();
  std::string problems;
  auto require = [&](bool ok, const std::string& what) {
    if (!ok) problems += (problems.empty() ? "" : "; ") + what;
  };
  require(std::isfinite(energy) &&
              energy > parameters.higgs_mass + minimum_lepton_mass,
          "energy must exceed m_H + minimum_lepton_mass, got " +
              Format(energy) + " GeV");
  require(!operators.empty(), "operators must not be empty");
  require(w_plus || w_minus, "at least one of w_plus, w_minus must be on");
  require(electrons || muons, "at least one of electrons, muons must be on");
  require(std::isfinite(fixed_scale), "fixed_scale must be finite");
  for (double k : scale_variations)
    require(std::isfinite(k) && k > 0.0,
            "scale variations must be > 0, got " + Format(k));
  require(
      std::isfinite(minimum_lepton_mass) && minimum_lepton_mass > 0.0,
      "minimum_lepton_mass must be > 0, got " + Format(minimum_lepton_mass));
  require(tail_fraction > 0.0 && tail_fraction <= 1.0,
          "tail_fraction must be in (0, 1], got " + Format(tail_fraction));
  require(std::isfinite(bulk_slope) && bulk_slope > 0.0,
          "bulk_slope must be > 0, got " + Format(bulk_slope));
  if (!problems.empty())
    throw InvalidInput("WH generator settings: " + problems);
}

std::string WhGeneratorSettings::Description() const {
  std::string channels;
  if (w_plus) channels += "W+";
  if (w_minus) channels += channels.empty() ? "W-" : ",W-";
  std::string leptons;
  if (electrons) leptons += "e";
  if (muons) leptons += leptons.empty() ? "mu" : ",mu";
  std::string scale_text = ScaleChoiceName(scale);
  if (scale == ScaleChoice::kFixed)
    scale_text += "(" + Format(FixedScale()) + " GeV)";
  std::string variations;
  for (double k : scale_variations)
    variations += (variations.empty() ? "" : ",") + Format(k);
  return "sqrt(s)=" + Format(energy) + " GeV, channels " + channels +
         ", leptons " + leptons + ", muF " + scale_text + " x {" + variations +
         "}, m_lnu > " + Format(minimum_lepton_mass) +
         " GeV, proposal tail_fraction=" + Format(tail_fraction) +
         " bulk_slope=" + Format(bulk_slope) + "; " + parameters.Description();
}

WhGenerator::WhGenerator(WhGeneratorSettings settings,
                         std::shared_ptr<const PartonDensity> pdf)
    : settings_(std::move(settings)),
      pdf_(std::move(pdf)),
      matrix_element_(settings_.parameters, settings_.operators) {
  settings_.Validate();
  GOLDMINE_REQUIRE(pdf_ != nullptr, "the WH generator needs a PDF");
}

WhGenerator::PartonicPoint WhGenerator::SamplePartonic(
    double partonic_energy, double rapidity, RandomStream& random) const {
  const ElectroweakParameters& ew = settings_.parameters;
  const double mw2 = ew.w_mass * ew.w_mass;
  const double mw_gw = ew.w_mass * ew.w_width;
  const double mh = ew.higgs_mass;
  const double s_hat = partonic_energy * partonic_energy;
  const double m_min = settings_.minimum_lepton_mass;
  const double m_max = partonic_energy - mh;

  PartonicPoint point;
  const double rho_min = std::atan((m_min * m_min - mw2) / mw_gw);
  const double rho_max = std::atan((m_max * m_max - mw2) / mw_gw);
  const double rho = random.Uniform(rho_min, rho_max);
  double m2 = mw2 + mw_gw * std::tan(rho);
  m2 = std::min(std::max(m2, m_min * m_min), m_max * m_max);
  const double m = std::sqrt(m2);
  const double jacobian_m =
      (rho_max - rho_min) * ((m2 - mw2) * (m2 - mw2) + mw_gw * mw_gw) / mw_gw;

  const double lambda = std::max(0.0, Kallen(s_hat, m2, mh * mh));
  const double p_star = std::sqrt(lambda) / (2.0 * partonic_energy);
  const double phase_space_wh = p_star / (4.0 * kPi * partonic_energy);
  const double phase_space_decay = 1.0 / (8.0 * kPi);  // Φ2(m²; 0, 0)
  point.weight = phase_space_wh * jacobian_m / (2.0 * kPi) * phase_space_decay;

  const double cos_theta = random.Uniform(-1.0, 1.0);
  const double phi = random.Uniform(0.0, 2.0 * kPi);
  const FourMomentum w =
      FromDirection(std::sqrt(p_star * p_star + m2), p_star, cos_theta, phi);
  const FourMomentum h = Reversed(w, std::sqrt(p_star * p_star + mh * mh));
  const auto leptons = MasslessDecay(w, m, random);
  const auto bottoms = MasslessDecay(h, mh, random);
  point.w = BoostAlongZ(w, rapidity);
  point.higgs = BoostAlongZ(h, rapidity);
  point.fermion = BoostAlongZ(leptons[0], rapidity);
  point.antifermion = BoostAlongZ(leptons[1], rapidity);
  point.bottom = BoostAlongZ(bottoms[0], rapidity);
  point.antibottom = BoostAlongZ(bottoms[1], rapidity);
  return point;
}

double WhGenerator::FactorisationScale(const FourMomentum& w,
                                       const FourMomentum& higgs,
                                       double s_hat) const {
  switch (settings_.scale) {
    case ScaleChoice::kFixed:
      return settings_.FixedScale();
    case ScaleChoice::kPartonicMass:
      return std::sqrt(s_hat);
    case ScaleChoice::kHalfTransverse: {
      const double m_lnu2 = Dot(w, w);
      const double mh = settings_.parameters.higgs_mass;
      const double pt_w = TransverseMomentum(w);
      const double pt_h = TransverseMomentum(higgs);
      return 0.5 * (std::sqrt(std::max(0.0, m_lnu2) + pt_w * pt_w) +
                    std::sqrt(mh * mh + pt_h * pt_h));
    }
  }
  return settings_.FixedScale();
}

WhEvent WhGenerator::Sample(RandomStream& random) const {
  const ElectroweakParameters& ew = settings_.parameters;
  const double s = settings_.energy * settings_.energy;
  const double threshold = ew.higgs_mass + settings_.minimum_lepton_mass;
  const double log_inverse_tau_min = std::log(s / (threshold * threshold));

  // 1. τ and y from the mixture proposal.
  const double f = settings_.tail_fraction;
  const double slope = settings_.bulk_slope;
  const double norm = -std::expm1(-slope);  // 1 − e^(−λ)
  const double branch = random.Uniform();
  const double r = random.Uniform();
  const double u = branch < f ? r : -std::log1p(-r * norm) / slope;
  const double density = f + (1.0 - f) * slope * std::exp(-slope * u) / norm;
  const double log_inverse_tau = (1.0 - u) * log_inverse_tau_min;
  const double tau = std::exp(-log_inverse_tau);
  const double y =
      random.Uniform(-0.5 * log_inverse_tau, 0.5 * log_inverse_tau);
  const double root_tau = std::sqrt(tau);
  const double x1 = root_tau * std::exp(y);
  const double x2 = root_tau * std::exp(-y);
  const double jacobian_x =
      tau * log_inverse_tau_min * log_inverse_tau / density;
  const double s_hat = tau * s;
  const double partonic_energy = std::sqrt(s_hat);

  // 2.-5. The W* H system, its decays, boosted to the lab.
  const PartonicPoint point = SamplePartonic(partonic_energy, y, random);
  const double factor = jacobian_x * point.weight / (2.0 * s_hat) *
                        ew.higgs_to_bb * kPicobarnGeV2;

  WhEvent event;
  event.x1 = x1;
  event.x2 = x2;
  const double beam_energy = 0.5 * settings_.energy;
  const FourMomentum beam1 = {x1 * beam_energy, 0.0, 0.0, x1 * beam_energy};
  const FourMomentum beam2 = {x2 * beam_energy, 0.0, 0.0, -x2 * beam_energy};
  event.partons = {beam1, beam2};
  event.w = point.w;
  event.higgs = point.higgs;
  event.bottom = point.bottom;
  event.antibottom = point.antibottom;
  const double mu = FactorisationScale(point.w, point.higgs, s_hat);
  event.factorisation_scale = mu;

  // Matrix elements for the two orientations (quark from beam 1 / beam 2);
  // W+ and W− share them through the roles.
  std::array<WhKinematics, 2> roles;
  roles[0] = {beam1, beam2, point.fermion, point.antifermion, point.higgs};
  roles[1] = {beam2, beam1, point.fermion, point.antifermion, point.higgs};
  const std::array<EftPolynomial, 2> polynomials = {
      matrix_element_.Evaluate(roles[0]), matrix_element_.Evaluate(roles[1])};

  // PDFs at μF and at the varied scales (number densities f = x f / x).
  const std::size_t num_scales = 1 + settings_.scale_variations.size();
  std::vector<PartonValues> pdf1(num_scales);
  std::vector<PartonValues> pdf2(num_scales);
  for (std::size_t k = 0; k < num_scales; ++k) {
    const double scale = k == 0 ? mu : mu * settings_.scale_variations[k - 1];
    pdf1[k] = pdf_->XfAll(x1, scale);
    pdf2[k] = pdf_->XfAll(x2, scale);
  }
  const int num_leptons =
      (settings_.electrons ? 1 : 0) + (settings_.muons ? 1 : 0);

  struct Channel {
    int pair;
    int orientation;
    double weight;
  };
  std::array<Channel, 8> channels{};
  int num_channels = 0;
  double total = 0.0;
  auto luminosity = [&](int pair, int orientation, std::size_t k) {
    const WhQuarkPair& c = WhQuarkPairs()[static_cast<std::size_t>(pair)];
    const int first = orientation == 0 ? c.quark : c.antiquark;
    const int second = orientation == 0 ? c.antiquark : c.quark;
    return pdf1[k][static_cast<std::size_t>(PartonIndex(first))] *
           pdf2[k][static_cast<std::size_t>(PartonIndex(second))] / (x1 * x2);
  };
  for (int pair = 0; pair < 4; ++pair) {
    const int charge = WhQuarkPairs()[static_cast<std::size_t>(pair)].charge;
    if ((charge > 0 && !settings_.w_plus) || (charge < 0 && !settings_.w_minus))
      continue;
    for (int orientation = 0; orientation < 2; ++orientation) {
      const double weight =
          luminosity(pair, orientation, 0) *
          polynomials[static_cast<std::size_t>(orientation)].sm * factor *
          num_leptons;
      const double usable =
          std::isfinite(weight) && weight > 0.0 ? weight : 0.0;
      channels[static_cast<std::size_t>(num_channels++)] = {
          pair, orientation, usable};
      total += usable;
    }
  }

  // Choose a channel with probability ∝ its SM weight.
  const double pick = random.Uniform() * total;
  const double flavour = random.Uniform();
  std::size_t chosen = 0;
  double cumulative = 0.0;
  for (int c = 0; c < num_channels; ++c) {
    cumulative += channels[static_cast<std::size_t>(c)].weight;
    chosen = static_cast<std::size_t>(c);
    if (pick < cumulative) break;
  }
  const Channel& channel = channels[chosen];
  const WhQuarkPair& pair =
      WhQuarkPairs()[static_cast<std::size_t>(channel.pair)];
  const auto orientation = static_cast<std::size_t>(channel.orientation);
  event.parton_ids = orientation == 0
                         ? std::array<int, 2>{pair.quark, pair.antiquark}
                         : std::array<int, 2>{pair.antiquark, pair.quark};
  event.roles = roles[orientation];
  event.parton_xf = {
      pdf1[0][static_cast<std::size_t>(PartonIndex(event.parton_ids[0]))],
      pdf2[0][static_cast<std::size_t>(PartonIndex(event.parton_ids[1]))]};
  const bool electron =
      settings_.electrons && (!settings_.muons || flavour < 0.5);
  const int charged = electron ? 11 : 13;
  event.w_charge = pair.charge;
  if (pair.charge > 0) {  // f = ν, f̄' = ℓ+
    event.neutrino = point.fermion;
    event.lepton = point.antifermion;
    event.neutrino_id = charged + 1;
    event.lepton_id = -charged;
  } else {  // f = ℓ−, f̄' = ν̄
    event.lepton = point.fermion;
    event.neutrino = point.antifermion;
    event.lepton_id = charged;
    event.neutrino_id = -(charged + 1);
  }

  event.polynomial = polynomials[orientation];
  event.polynomial.sm = total;
  event.scale_variation_factors.assign(settings_.scale_variations.size(), 0.0);
  if (total > 0.0) {
    const double nominal = luminosity(channel.pair, channel.orientation, 0);
    for (std::size_t k = 1; k < num_scales; ++k)
      event.scale_variation_factors[k - 1] =
          luminosity(channel.pair, channel.orientation, k) / nominal;
  } else {
    event.polynomial.linear.assign(event.polynomial.linear.size(), 0.0);
    event.polynomial.quadratic.assign(event.polynomial.quadratic.size(), 0.0);
  }
  return event;
}

WhGenerator::Estimate WhGenerator::PartonicCrossSection(
    double partonic_energy, std::int64_t num_points, std::uint64_t seed) const {
  GOLDMINE_REQUIRE(num_points > 1, "PartonicCrossSection needs > 1 point");
  GOLDMINE_REQUIRE(partonic_energy > settings_.parameters.higgs_mass +
                                         settings_.minimum_lepton_mass,
                   "partonic energy below the W H threshold: " +
                       Format(partonic_energy) + " GeV");
  RandomStream random(seed);
  const double s_hat = partonic_energy * partonic_energy;
  const double e = 0.5 * partonic_energy;
  double sum = 0.0;
  double sum2 = 0.0;
  for (std::int64_t i = 0; i < num_points; ++i) {
    const PartonicPoint point = SamplePartonic(partonic_energy, 0.0, random);
    const WhKinematics k = {{e, 0.0, 0.0, e},
                            {e, 0.0, 0.0, -e},
                            point.fermion,
                            point.antifermion,
                            point.higgs};
    const double value = matrix_element_.Evaluate(k).sm / (2.0 * s_hat) *
                         point.weight * kPicobarnGeV2;
    sum += value;
    sum2 += value * value;
  }
  const auto n = static_cast<double>(num_points);
  const double mean = sum / n;
  const double variance = std::max(0.0, sum2 / n - mean * mean);
  return {mean, std::sqrt(variance / (n - 1.0))};
}

std::string WhGenerator::Description() const {
  return "goldmine built-in LO SMEFT p p -> W(-> l nu) H(-> b bbar): " +
         settings_.Description() + "; PDF " + pdf_->Description() +
         "; matrix element " + matrix_element_.Description();
}

}  // namespace goldmine::generators
