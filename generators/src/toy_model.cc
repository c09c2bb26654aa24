#include "goldmine/generators/toy_model.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::generators {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kPtMinimum = 20.0;    // GeV
constexpr double kPtMean = 50.0;       // GeV, above kPtMinimum
constexpr double kPtUnit = 100.0;      // a1 = pt_true / kPtUnit
constexpr double kCosAmplitude = 0.8;  // a2 = kCosAmplitude cos phi_true
constexpr double kIncoherent = 0.3;    // b2 = kIncoherent (1 + sin² phi)
constexpr double kEtaWidth = 1.5;
constexpr double kPtResolution = 0.1;   // relative
constexpr double kPhiResolution = 0.2;  // rad
constexpr double kNoiseFloor = -9.5;    // n1 > kNoiseFloor: pt > 1 GeV
constexpr double kNoiseCeiling = 9.0;   // φ(9)/φ(0) = 2.6e-18

// E_SM[a1] = (20 + 50)/100, E_SM[a1²] = (50² + 70²)/100², E_SM[a2² + b2] =
// 0.64/2 + 0.3 · 3/2.
constexpr double kMeanA1 = (kPtMinimum + kPtMean) / kPtUnit;
constexpr double kMeanA1Squared =
    (kPtMean * kPtMean + (kPtMinimum + kPtMean) * (kPtMinimum + kPtMean)) /
    (kPtUnit * kPtUnit);
constexpr double kMeanC2Squared =
    kCosAmplitude * kCosAmplitude / 2.0 + kIncoherent * 1.5;

using Components = ToyModel::Components;

// Monomials (1, c1, c2, c1², c1 c2, c2²) and their derivatives.
Components Monomials(const Eigen::Vector2d& c) {
  return {1.0, c[0], c[1], c[0] * c[0], c[0] * c[1], c[1] * c[1]};
}
Components MonomialDerivatives(const Eigen::Vector2d& c, int full_index) {
  if (full_index == 0) return {0.0, 1.0, 0.0, 2.0 * c[0], c[1], 0.0};
  return {0.0, 0.0, 1.0, 0.0, c[0], 2.0 * c[1]};
}
double Contract(const Components& a, const Components& b) {
  double sum = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) sum += a[k] * b[k];
  return sum;
}

// Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_n).
struct GaussLegendre {
  static constexpr int kOrder = 10;
  std::array<double, kOrder> nodes{};
  std::array<double, kOrder> weights{};
  GaussLegendre() {
    for (int i = 0; i < kOrder; ++i) {
      double x = std::cos(kPi * (i + 0.75) / (kOrder + 0.5));
      double derivative = 0.0;
      for (int iteration = 0; iteration < 100; ++iteration) {
        double p0 = 1.0;
        double p1 = x;
        for (int k = 2; k <= kOrder; ++k) {
          const double p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        derivative = kOrder * (x * p1 - p0) / (x * x - 1.0);
        const double step = p1 / derivative;
        x -= step;
        if (std::abs(step) < 1e-16) break;
      }
      nodes[static_cast<std::size_t>(i)] = x;
      weights[static_cast<std::size_t>(i)] =
          2.0 / ((1.0 - x * x) * derivative * derivative);
    }
  }
};

double WrapAngle(double phi) {
  double wrapped = std::fmod(phi + kPi, 2.0 * kPi);
  if (wrapped < 0.0) wrapped += 2.0 * kPi;
  return wrapped - kPi;
}

}  // namespace

double ToyObservation::ptcos() const { return pt * std::cos(dphi); }

ToyModel::ToyModel(std::vector<std::string> parameters, double sm_cross_section)
    : parameters_(std::move(parameters)), sm_cross_section_(sm_cross_section) {
  GOLDMINE_REQUIRE(!parameters_.empty(),
                   "the toy model needs at least one parameter (c1, c2)");
  for (const std::string& name : parameters_) {
    int index = -1;
    if (name == "c1") index = 0;
    if (name == "c2") index = 1;
    if (index < 0)
      throw InvalidInput("toy model: unknown parameter \"" + name +
                         "\"; available: c1, c2");
    if (std::find(full_index_.begin(), full_index_.end(), index) !=
        full_index_.end())
      throw InvalidInput("toy model: parameter \"" + name + "\" repeated");
    full_index_.push_back(index);
  }
  GOLDMINE_REQUIRE(sm_cross_section_ > 0.0 && std::isfinite(sm_cross_section_),
                   "toy model: the SM cross section must be > 0 pb, got " +
                       std::to_string(sm_cross_section_));
}

void ToyModel::CheckTheta(const Eigen::VectorXd& theta,
                          const char* what) const {
  GOLDMINE_REQUIRE(theta.size() == num_parameters(),
                   std::string("toy model: ") + what + " has " +
                       std::to_string(theta.size()) + " values for " +
                       std::to_string(num_parameters()) + " parameters");
}

Eigen::Vector2d ToyModel::Full(const Eigen::VectorXd& theta) const {
  CheckTheta(theta, "theta");
  Eigen::Vector2d full = Eigen::Vector2d::Zero();
  for (std::size_t i = 0; i < full_index_.size(); ++i)
    full[full_index_[i]] = theta[static_cast<Eigen::Index>(i)];
  return full;
}

ToyEvent ToyModel::Sample(RandomStream& random) const {
  ToyEvent event;
  ToyLatent& z = event.latent;
  z.pt = kPtMinimum - kPtMean * std::log1p(-random.Uniform());
  z.phi = random.Uniform(-kPi, kPi);
  z.eta = kEtaWidth * random.Normal();
  double n1 = random.Normal();
  while (n1 <= kNoiseFloor) n1 = random.Normal();
  const double n2 = random.Normal();
  ToyObservation& x = event.observation;
  x.pt = z.pt * (1.0 + kPtResolution * n1);
  x.dphi = WrapAngle(z.phi + kPhiResolution * n2);
  x.eta = z.eta;
  event.polynomial = JointPolynomial(z);
  return event;
}

EftPolynomial ToyModel::JointPolynomial(const ToyLatent& latent) const {
  const double a1 = latent.pt / kPtUnit;
  const double a2 = kCosAmplitude * std::cos(latent.phi);
  const double sin_phi = std::sin(latent.phi);
  const double b2 = kIncoherent * (1.0 + sin_phi * sin_phi);
  // Full-model coefficients: linear (c1, c2), quadratic (c1², c1 c2, c2²).
  const double linear[2] = {2.0 * a1, 2.0 * a2};
  const double quadratic[2][2] = {{a1 * a1, 2.0 * a1 * a2},
                                  {2.0 * a1 * a2, a2 * a2 + b2}};
  EftPolynomial polynomial;
  polynomial.sm = sm_cross_section_;
  const int n = num_parameters();
  for (int i = 0; i < n; ++i) {
    const int fi = full_index_[static_cast<std::size_t>(i)];
    polynomial.linear.push_back(linear[fi]);
    for (int j = i; j < n; ++j) {
      const int fj = full_index_[static_cast<std::size_t>(j)];
      // quadratic[fi][fj] holds the full coefficient of c_fi c_fj (fi ≠ fj)
      // or c_fi² (fi = fj).
      polynomial.quadratic.push_back(quadratic[fi][fj]);
    }
  }
  return polynomial;
}

double ToyModel::JointLikelihoodRatio(const ToyLatent& latent,
                                      const Eigen::VectorXd& theta0,
                                      const Eigen::VectorXd& theta1) const {
  const EftPolynomial polynomial = JointPolynomial(latent);
  CheckTheta(theta0, "theta0");
  CheckTheta(theta1, "theta1");
  return polynomial.Ratio(theta0) / polynomial.Ratio(theta1) *
         CrossSection(theta1) / CrossSection(theta0);
}

Eigen::VectorXd ToyModel::JointScore(const ToyLatent& latent,
                                     const Eigen::VectorXd& theta) const {
  const EftPolynomial polynomial = JointPolynomial(latent);
  CheckTheta(theta, "theta");
  const int n = num_parameters();
  Eigen::VectorXd gradient = Eigen::VectorXd::Zero(n);
  int k = 0;
  for (int i = 0; i < n; ++i) {
    gradient[i] += polynomial.linear[static_cast<std::size_t>(i)];
    for (int j = i; j < n; ++j) {
      const double b = polynomial.quadratic[static_cast<std::size_t>(k++)];
      gradient[i] += b * theta[j];
      gradient[j] += b * theta[i];
    }
  }
  return gradient / polynomial.Ratio(theta) -
         CrossSectionGradient(theta) / CrossSection(theta);
}

ToyModel::Components ToyModel::ComponentIntegrals() {
  return {1.0, 2.0 * kMeanA1, 0.0, kMeanA1Squared, 0.0, kMeanC2Squared};
}

double ToyModel::CrossSection(const Eigen::VectorXd& theta) const {
  return sm_cross_section_ *
         Contract(Monomials(Full(theta)), ComponentIntegrals());
}

Eigen::VectorXd ToyModel::CrossSectionGradient(
    const Eigen::VectorXd& theta) const {
  const Eigen::Vector2d full = Full(theta);
  Eigen::VectorXd gradient(num_parameters());
  for (int i = 0; i < num_parameters(); ++i)
    gradient[i] = sm_cross_section_ *
                  Contract(MonomialDerivatives(
                               full, full_index_[static_cast<std::size_t>(i)]),
                           ComponentIntegrals());
  return gradient;
}

double ToyModel::LatentDensity(const ToyLatent& latent) {
  if (!(latent.pt >= kPtMinimum)) return 0.0;
  const double pt_density =
      std::exp(-(latent.pt - kPtMinimum) / kPtMean) / kPtMean;
  const double eta_density =
      std::exp(-0.5 * latent.eta * latent.eta / (kEtaWidth * kEtaWidth)) /
      (kEtaWidth * std::sqrt(2.0 * kPi));
  return pt_density / (2.0 * kPi) * eta_density;
}

double ToyModel::RelativePtResolution() { return kPtResolution; }

double ToyModel::PhiResolution() { return kPhiResolution; }

std::array<double, 3> ToyModel::TransverseMomentumMoments(double pt) {
  // Substituting pt_true = pt/(1 + 0.1 n), the smearing density times
  // dpt_true becomes φ(n) dn/(1 + 0.1 n): integrate over the noise n from
  // the truncation to where pt_true reaches 20 GeV (the integrand is smooth
  // inside), with 10-point Gauss–Legendre on panels of width ≤ 0.25.
  static const GaussLegendre rule;
  std::array<double, 3> moments = {0.0, 0.0, 0.0};
  if (!(pt > 0.0)) return moments;
  const double upper =
      std::min(kNoiseCeiling, (pt / kPtMinimum - 1.0) / kPtResolution);
  const double lower = kNoiseFloor;
  if (upper <= lower) return moments;
  const int panels = static_cast<int>(std::ceil((upper - lower) / 0.25));
  const double width = (upper - lower) / panels;
  const double normal = 1.0 / std::sqrt(2.0 * kPi);
  for (int p = 0; p < panels; ++p) {
    const double centre = lower + (p + 0.5) * width;
    for (int q = 0; q < GaussLegendre::kOrder; ++q) {
      const double n =
          centre + 0.5 * width * rule.nodes[static_cast<std::size_t>(q)];
      const double scale = 1.0 + kPtResolution * n;
      const double pt_true = pt / scale;
      const double value =
          0.5 * width * rule.weights[static_cast<std::size_t>(q)] * normal *
          std::exp(-0.5 * n * n - (pt_true - kPtMinimum) / kPtMean) /
          (kPtMean * scale);
      const double a1 = pt_true / kPtUnit;
      moments[0] += value;
      moments[1] += value * a1;
      moments[2] += value * a1 * a1;
    }
  }
  return moments;
}

ToyModel::Components ToyModel::ComponentDensities(double pt, double dphi) {
  return ComponentDensities(TransverseMomentumMoments(pt), dphi);
}

ToyModel::Components ToyModel::ComponentDensities(
    const std::array<double, 3>& m, double dphi) {
  const double c0 = 1.0 / (2.0 * kPi);
  const double damping1 = std::exp(-0.5 * kPhiResolution * kPhiResolution);
  const double damping2 = std::exp(-2.0 * kPhiResolution * kPhiResolution);
  const double c_cos = damping1 * std::cos(dphi) / (2.0 * kPi);
  const double cos2 = damping2 * std::cos(2.0 * dphi);
  const double c_cos_squared = (1.0 + cos2) / (4.0 * kPi);
  const double c_sin_squared = (1.0 - cos2) / (4.0 * kPi);
  return {m[0] * c0,
          2.0 * m[1] * c0,
          2.0 * kCosAmplitude * m[0] * c_cos,
          m[2] * c0,
          2.0 * kCosAmplitude * m[1] * c_cos,
          m[0] * (kCosAmplitude * kCosAmplitude * c_cos_squared +
                  kIncoherent * (c0 + c_sin_squared))};
}

double ToyModel::MarginalDensity(double pt,
                                 double dphi,
                                 const Eigen::VectorXd& theta) const {
  const Components monomials = Monomials(Full(theta));
  return Contract(monomials, ComponentDensities(pt, dphi)) /
         Contract(monomials, ComponentIntegrals());
}

double ToyModel::Density(const ToyObservation& x,
                         const Eigen::VectorXd& theta) const {
  const double eta_density =
      std::exp(-0.5 * x.eta * x.eta / (kEtaWidth * kEtaWidth)) /
      (kEtaWidth * std::sqrt(2.0 * kPi));
  return eta_density * MarginalDensity(x.pt, x.dphi, theta);
}

double ToyModel::LogLikelihoodRatio(const ToyObservation& x,
                                    const Eigen::VectorXd& theta0,
                                    const Eigen::VectorXd& theta1) const {
  const Components h = ComponentDensities(x.pt, x.dphi);
  const Components s = ComponentIntegrals();
  const Components m0 = Monomials(Full(theta0));
  const Components m1 = Monomials(Full(theta1));
  return std::log(Contract(m0, h)) - std::log(Contract(m1, h)) +
         std::log(Contract(m1, s)) - std::log(Contract(m0, s));
}

double ToyModel::LikelihoodRatio(const ToyObservation& x,
                                 const Eigen::VectorXd& theta0,
                                 const Eigen::VectorXd& theta1) const {
  const Components h = ComponentDensities(x.pt, x.dphi);
  const Components s = ComponentIntegrals();
  const Components m0 = Monomials(Full(theta0));
  const Components m1 = Monomials(Full(theta1));
  return Contract(m0, h) / Contract(m1, h) * Contract(m1, s) / Contract(m0, s);
}

Eigen::VectorXd ToyModel::Score(const ToyObservation& x,
                                const Eigen::VectorXd& theta) const {
  const Eigen::Vector2d full = Full(theta);
  const Components h = ComponentDensities(x.pt, x.dphi);
  const Components s = ComponentIntegrals();
  const Components m = Monomials(full);
  const double density = Contract(m, h);
  const double normalisation = Contract(m, s);
  Eigen::VectorXd score(num_parameters());
  for (int i = 0; i < num_parameters(); ++i) {
    const Components dm =
        MonomialDerivatives(full, full_index_[static_cast<std::size_t>(i)]);
    score[i] = Contract(dm, h) / density - Contract(dm, s) / normalisation;
  }
  return score;
}

std::string ToyModel::Description() const {
  std::ostringstream text;
  text << "analytic toy (MadMiner's): parameters";
  for (const std::string& name : parameters_) text << " " << name;
  text << "; R = (1 + c1 pt_true/100 + 0.8 c2 cos phi_true)^2 + 0.3 c2^2 (1 + "
          "sin^2 phi_true); pt_true = 20 + Exp(50) GeV, eta ~ N(0, 1.5); "
          "pt smeared 10 %, dphi 0.2; sigma_SM = "
       << sm_cross_section_ << " pb";
  return text.str();
}

}  // namespace goldmine::generators
