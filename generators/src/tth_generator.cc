#include "goldmine/generators/tth_generator.h"

#include <cmath>
#include <sstream>

#include "goldmine/core/errors.h"
#include "goldmine/generators/tth_phase_space.h"

namespace goldmine::generators {
namespace {

// ħ²c² in pb GeV².
constexpr double kPicobarnGeV2 = 0.3893794e9;

std::string Format(double value) {
  std::ostringstream text;
  text.precision(10);
  text << value;
  return text.str();
}

double TransverseMass(const FourMomentum& p, double mass) {
  return std::sqrt(mass * mass + p[1] * p[1] + p[2] * p[2]);
}

// W decay products: charged lepton e/μ (ids for W+; W− is the conjugate).
struct WDecay {
  std::array<int, 2> ids_plus;  // W+ → ids_plus[0] ids_plus[1]
};
constexpr WDecay kLeptonic[] = {{{12, -11}}, {{14, -13}}};
constexpr WDecay kHadronic[] = {{{2, -1}}, {{4, -3}}};

}  // namespace

std::string TthScaleName(TthScale scale) {
  return scale == TthScale::kFixed ? "fixed" : "ht2";
}

TthScale ParseTthScale(const std::string& name) {
  if (name == "fixed") return TthScale::kFixed;
  if (name == "ht2") return TthScale::kHalfTransverse;
  throw InvalidInput("unknown ttH scale choice \"" + name +
                     "\"; allowed: fixed, ht2");
}

std::string TopDecaysName(TopDecays decays) {
  switch (decays) {
    case TopDecays::kSemileptonic:
      return "semileptonic";
    case TopDecays::kDileptonic:
      return "dileptonic";
    case TopDecays::kHadronic:
      return "hadronic";
  }
  return "?";
}

TopDecays ParseTopDecays(const std::string& name) {
  if (name == "semileptonic") return TopDecays::kSemileptonic;
  if (name == "dileptonic") return TopDecays::kDileptonic;
  if (name == "hadronic") return TopDecays::kHadronic;
  throw InvalidInput("unknown top decay mode \"" + name +
                     "\"; allowed: semileptonic, dileptonic, hadronic");
}

std::string HiggsDecayName(HiggsDecay decay) {
  return decay == HiggsDecay::kBottomPair ? "bb" : "aa";
}

HiggsDecay ParseHiggsDecay(const std::string& name) {
  if (name == "bb") return HiggsDecay::kBottomPair;
  if (name == "aa") return HiggsDecay::kDiphoton;
  throw InvalidInput("unknown Higgs decay \"" + name + "\"; allowed: bb, aa");
}

double TthGeneratorSettings::FixedScale() const {
  return fixed_scale > 0.0 ? fixed_scale
                           : parameters.top_mass + 0.5 * parameters.higgs_mass;
}

double TthGeneratorSettings::BranchingRatio() const {
  const double leptonic = 2.0 * parameters.w_to_lepton;  // e + μ
  const double hadronic = parameters.w_to_hadrons;
  double tops = 0.0;
  switch (top_decays) {
    case TopDecays::kSemileptonic:
      tops = 2.0 * leptonic * hadronic;
      break;
    case TopDecays::kDileptonic:
      tops = leptonic * leptonic;
      break;
    case TopDecays::kHadronic:
      tops = hadronic * hadronic;
      break;
  }
  const double higgs = higgs_decay == HiggsDecay::kBottomPair
                           ? parameters.higgs_to_bb
                           : parameters.higgs_to_photons;
  return tops * higgs;
}

void TthGeneratorSettings::Validate() const {
  parameters.Validate();
  std::string problems;
  auto require = [&](bool ok, const std::string& what) {
    if (!ok) problems += (problems.empty() ? "" : "; ") + what;
  };
  require(std::isfinite(energy) &&
              energy > 2.0 * parameters.top_mass + parameters.higgs_mass,
          "energy must exceed 2 m_t + m_H, got " + Format(energy) + " GeV");
  require(!operators.empty(), "operators must not be empty");
  require(std::isfinite(fixed_scale), "fixed_scale must be finite");
  for (double k : scale_variations)
    require(std::isfinite(k) && k > 0.0,
            "scale variations must be > 0, got " + Format(k));
  require(gluon_fusion || quark_annihilation,
          "at least one of gluon_fusion, quark_annihilation must be on");
  require(tail_fraction > 0.0 && tail_fraction <= 1.0,
          "tail_fraction must be in (0, 1], got " + Format(tail_fraction));
  require(std::isfinite(bulk_slope) && bulk_slope > 0.0,
          "bulk_slope must be > 0, got " + Format(bulk_slope));
  if (!problems.empty())
    throw InvalidInput("ttH generator settings: " + problems);
}

std::string TthGeneratorSettings::Description() const {
  std::string channels;
  if (gluon_fusion) channels += "gg";
  if (quark_annihilation) channels += channels.empty() ? "qqbar" : ",qqbar";
  std::string scale_text = TthScaleName(scale);
  if (scale == TthScale::kFixed)
    scale_text += "(" + Format(FixedScale()) + " GeV)";
  std::string variations;
  for (double k : scale_variations)
    variations += (variations.empty() ? "" : ",") + Format(k);
  return "sqrt(s)=" + Format(energy) + " GeV, channels " + channels +
         ", muR = muF = " + scale_text + " x {" + variations +
         "}, top decays " + TopDecaysName(top_decays) + ", H -> " +
         HiggsDecayName(higgs_decay) + " (BR product " +
         Format(BranchingRatio()) +
         "), proposal tail_fraction=" + Format(tail_fraction) +
         " bulk_slope=" + Format(bulk_slope);
}

TthGenerator::TthGenerator(TthGeneratorSettings settings,
                           std::shared_ptr<const PartonDensity> pdf)
    : settings_(std::move(settings)),
      pdf_(std::move(pdf)),
      matrix_element_(settings_.parameters, settings_.operators) {
  settings_.Validate();
  GOLDMINE_REQUIRE(pdf_ != nullptr, "the ttH generator needs a PDF");
}

double TthGenerator::Scale(const FourMomentum& top,
                           const FourMomentum& antitop,
                           const FourMomentum& higgs) const {
  if (settings_.scale == TthScale::kFixed) return settings_.FixedScale();
  const TthParameters& p = settings_.parameters;
  return 0.5 * (TransverseMass(top, p.top_mass) +
                TransverseMass(antitop, p.top_mass) +
                TransverseMass(higgs, p.higgs_mass));
}

void TthGenerator::Decay(TthEvent& event, RandomStream& random) const {
  const TthParameters& p = settings_.parameters;
  const auto top = IsotropicDecay(event.top, p.top_mass, p.w_mass, 0.0, random);
  const auto antitop =
      IsotropicDecay(event.antitop, p.top_mass, p.w_mass, 0.0, random);
  event.w_plus = top[0];
  event.bottom = top[1];
  event.w_minus = antitop[0];
  event.antibottom = antitop[1];
  event.w_plus_daughters =
      IsotropicDecay(event.w_plus, p.w_mass, 0.0, 0.0, random);
  event.w_minus_daughters =
      IsotropicDecay(event.w_minus, p.w_mass, 0.0, 0.0, random);
  // Which W decays leptonically, and the flavours.
  bool plus_leptonic = false;
  bool minus_leptonic = false;
  switch (settings_.top_decays) {
    case TopDecays::kSemileptonic:
      plus_leptonic = random.Uniform() < 0.5;
      minus_leptonic = !plus_leptonic;
      break;
    case TopDecays::kDileptonic:
      plus_leptonic = minus_leptonic = true;
      break;
    case TopDecays::kHadronic:
      break;
  }
  const auto plus = static_cast<std::size_t>(random.Index(2));
  const auto minus = static_cast<std::size_t>(random.Index(2));
  event.w_plus_ids =
      plus_leptonic ? kLeptonic[plus].ids_plus : kHadronic[plus].ids_plus;
  const std::array<int, 2> conjugate =
      minus_leptonic ? kLeptonic[minus].ids_plus : kHadronic[minus].ids_plus;
  // W− → conjugates, in the order (particle, antiparticle).
  event.w_minus_ids = {-conjugate[1], -conjugate[0]};
  event.higgs_daughters =
      IsotropicDecay(event.higgs, p.higgs_mass, 0.0, 0.0, random);
  event.higgs_ids = settings_.higgs_decay == HiggsDecay::kBottomPair
                        ? std::array<int, 2>{5, -5}
                        : std::array<int, 2>{22, 22};
}

TthEvent TthGenerator::Sample(RandomStream& random) const {
  const TthParameters& parameters = settings_.parameters;
  const double s = settings_.energy * settings_.energy;
  const double threshold = 2.0 * parameters.top_mass + parameters.higgs_mass;
  const double log_inverse_tau_min = std::log(s / (threshold * threshold));

  // 1. τ and y.
  const double f = settings_.tail_fraction;
  const double slope = settings_.bulk_slope;
  const double norm = -std::expm1(-slope);
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
  // Guard against rounding just below threshold.
  const double partonic_energy =
      std::max(std::sqrt(s_hat), threshold * (1.0 + 1e-12));

  // 2. t t̄ H, boosted to the lab.
  const TthPhaseSpacePoint point = SampleTthPhaseSpace(
      partonic_energy, parameters.top_mass, parameters.higgs_mass, random);
  TthEvent event;
  event.x1 = x1;
  event.x2 = x2;
  const double beam_energy = 0.5 * settings_.energy;
  const FourMomentum beam1 = {x1 * beam_energy, 0.0, 0.0, x1 * beam_energy};
  const FourMomentum beam2 = {x2 * beam_energy, 0.0, 0.0, -x2 * beam_energy};
  event.partons = {beam1, beam2};
  event.top = BoostAlongZ(point.top, y);
  event.antitop = BoostAlongZ(point.antitop, y);
  event.higgs = BoostAlongZ(point.higgs, y);
  const double mu = Scale(event.top, event.antitop, event.higgs);
  event.scale = mu;
  event.alpha_s = parameters.AlphaS(mu);
  const double factor = jacobian_x * point.weight / (2.0 * s_hat) *
                        settings_.BranchingRatio() * kPicobarnGeV2;

  // Matrix elements: g g, and q q̄ with the quark from beam 1 or beam 2.
  const double gg =
      settings_.gluon_fusion
          ? matrix_element_.GluonFusion(
                {beam1, beam2, event.top, event.antitop, event.higgs},
                event.alpha_s)
          : 0.0;
  std::array<double, 2> qq = {0.0, 0.0};
  if (settings_.quark_annihilation) {
    qq[0] = matrix_element_.QuarkAnnihilation(
        {beam1, beam2, event.top, event.antitop, event.higgs}, event.alpha_s);
    qq[1] = matrix_element_.QuarkAnnihilation(
        {beam2, beam1, event.top, event.antitop, event.higgs}, event.alpha_s);
  }

  // Channels: 0 = g g; 1 + 2(q−1) + o = q q̄ (o = 0: quark from beam 1).
  const std::size_t num_scales = 1 + settings_.scale_variations.size();
  std::vector<PartonValues> pdf1(num_scales);
  std::vector<PartonValues> pdf2(num_scales);
  for (std::size_t k = 0; k < num_scales; ++k) {
    const double scale = k == 0 ? mu : mu * settings_.scale_variations[k - 1];
    pdf1[k] = pdf_->XfAll(x1, scale);
    pdf2[k] = pdf_->XfAll(x2, scale);
  }
  constexpr int kNumChannels = 11;
  auto ids = [](int channel) {
    if (channel == 0) return std::array<int, 2>{kGluon, kGluon};
    const int quark = 1 + (channel - 1) / 2;
    return (channel - 1) % 2 == 0 ? std::array<int, 2>{quark, -quark}
                                  : std::array<int, 2>{-quark, quark};
  };
  auto squared = [&](int channel) {
    return channel == 0 ? gg : qq[static_cast<std::size_t>((channel - 1) % 2)];
  };
  auto luminosity = [&](int channel, std::size_t k) {
    const auto pair = ids(channel);
    return pdf1[k][static_cast<std::size_t>(PartonIndex(pair[0]))] *
           pdf2[k][static_cast<std::size_t>(PartonIndex(pair[1]))] / (x1 * x2);
  };
  std::array<double, kNumChannels> weights{};
  double total = 0.0;
  for (int c = 0; c < kNumChannels; ++c) {
    const double w = luminosity(c, 0) * squared(c) * factor;
    weights[static_cast<std::size_t>(c)] =
        std::isfinite(w) && w > 0.0 ? w : 0.0;
    total += weights[static_cast<std::size_t>(c)];
  }
  const double pick = random.Uniform() * total;
  int chosen = 0;
  double cumulative = 0.0;
  for (int c = 0; c < kNumChannels; ++c) {
    cumulative += weights[static_cast<std::size_t>(c)];
    chosen = c;
    if (pick < cumulative) break;
  }
  event.parton_ids = ids(chosen);
  event.parton_xf = {
      pdf1[0][static_cast<std::size_t>(PartonIndex(event.parton_ids[0]))],
      pdf2[0][static_cast<std::size_t>(PartonIndex(event.parton_ids[1]))]};
  event.gluon_fusion_weight = weights[0];
  event.polynomial = matrix_element_.Polynomial(total);
  event.scale_variation_factors.assign(settings_.scale_variations.size(), 0.0);
  if (total > 0.0) {
    for (std::size_t k = 1; k < num_scales; ++k) {
      const double ratio =
          parameters.AlphaS(mu * settings_.scale_variations[k - 1]) /
          event.alpha_s;
      double varied = 0.0;
      // Channels clipped at 0 as at the nominal scale (LO grids have
      // slightly negative x f at large x).
      for (int c = 0; c < kNumChannels; ++c) {
        const double w = luminosity(c, k) * squared(c) * factor;
        varied += std::isfinite(w) && w > 0.0 ? w : 0.0;
      }
      event.scale_variation_factors[k - 1] = ratio * ratio * varied / total;
    }
  } else {
    event.polynomial.linear.assign(event.polynomial.linear.size(), 0.0);
    event.polynomial.quadratic.assign(event.polynomial.quadratic.size(), 0.0);
  }

  // 3. Decays.
  Decay(event, random);
  return event;
}

std::string TthGenerator::Description() const {
  return "goldmine built-in LO p p -> t tbar H (kappa_t SMEFT): " +
         settings_.Description() + "; PDF " + pdf_->Description() +
         "; matrix element " + matrix_element_.Description();
}

}  // namespace goldmine::generators
