#include "goldmine/generators/tth_matrix_element.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::generators {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::string Format(double value) {
  std::ostringstream text;
  text.precision(10);
  text << value;
  return text.str();
}

}  // namespace

std::string TthOperatorName(TthOperator op) {
  switch (op) {
    case TthOperator::kuH:
      return "cuH";
    case TthOperator::kHBox:
      return "cHbox";
    case TthOperator::kHD:
      return "cHDD";
  }
  return "?";
}

TthOperator ParseTthOperator(const std::string& name) {
  if (name == "cuH") return TthOperator::kuH;
  if (name == "cHbox" || name == "cHBox") return TthOperator::kHBox;
  if (name == "cHDD" || name == "cHD") return TthOperator::kHD;
  throw InvalidInput("unknown ttH operator \"" + name +
                     "\"; allowed: cuH, cHbox, cHDD");
}

std::vector<TthOperator> DefaultTthOperators() { return {TthOperator::kuH}; }

double TthParameters::vev() const {
  return 1.0 / std::sqrt(std::sqrt(2.0) * fermi_constant);
}

double TthParameters::top_yukawa_coupling() const { return top_mass / vev(); }

double TthParameters::AlphaS(double scale) const {
  const double b0 = (33.0 - 2.0 * 5.0) / (12.0 * kPi);
  return alpha_s_mz /
         (1.0 + alpha_s_mz * b0 * std::log(scale * scale / (z_mass * z_mass)));
}

void TthParameters::Validate() const {
  std::string problems;
  auto require = [&](bool ok, const std::string& what) {
    if (!ok) problems += (problems.empty() ? "" : "; ") + what;
  };
  auto positive = [](double x) { return std::isfinite(x) && x > 0.0; };
  auto fraction = [](double x) {
    return std::isfinite(x) && x > 0.0 && x <= 1.0;
  };
  require(positive(fermi_constant), "fermi_constant must be > 0");
  require(positive(top_mass), "top_mass must be > 0");
  require(positive(higgs_mass), "higgs_mass must be > 0");
  require(positive(w_mass) && w_mass < top_mass,
          "w_mass must be in (0, top_mass), got " + Format(w_mass));
  require(positive(z_mass), "z_mass must be > 0");
  require(alpha_s_mz > 0.0 && alpha_s_mz < 0.5,
          "alpha_s_mz must be in (0, 0.5), got " + Format(alpha_s_mz));
  require(positive(lambda), "lambda must be > 0");
  require(fraction(higgs_to_bb), "higgs_to_bb must be in (0, 1]");
  require(fraction(higgs_to_photons), "higgs_to_photons must be in (0, 1]");
  require(fraction(w_to_lepton), "w_to_lepton must be in (0, 1]");
  require(fraction(w_to_hadrons), "w_to_hadrons must be in (0, 1]");
  if (!problems.empty()) throw InvalidInput("ttH parameters: " + problems);
}

std::string TthParameters::Description() const {
  return "G_F=" + Format(fermi_constant) + " m_t=" + Format(top_mass) +
         " m_H=" + Format(higgs_mass) + " m_W=" + Format(w_mass) +
         " v=" + Format(vev()) + " alpha_s(M_Z)=" + Format(alpha_s_mz) +
         " (1-loop, nf=5) Lambda=" + Format(lambda) +
         " BR(H->bb)=" + Format(higgs_to_bb) +
         " BR(H->aa)=" + Format(higgs_to_photons) +
         " BR(W->lnu)=" + Format(w_to_lepton) +
         " BR(W->qq)=" + Format(w_to_hadrons);
}

TthMatrixElement::TthMatrixElement(TthParameters parameters,
                                   std::vector<TthOperator> operators)
    : parameters_(parameters), operators_(std::move(operators)) {
  parameters_.Validate();
  GOLDMINE_REQUIRE(!operators_.empty(), "ttH: the operator list is empty");
  for (std::size_t i = 0; i < operators_.size(); ++i)
    for (std::size_t j = i + 1; j < operators_.size(); ++j)
      GOLDMINE_REQUIRE(operators_[i] != operators_[j],
                       "ttH: operator " + TthOperatorName(operators_[i]) +
                           " is listed twice");
  const double v = parameters_.vev();
  const double v2 = v * v / (parameters_.lambda * parameters_.lambda);
  for (TthOperator op : operators_) {
    switch (op) {
      case TthOperator::kuH:
        kappa_.push_back(-v2 * v / (std::sqrt(2.0) * parameters_.top_mass));
        break;
      case TthOperator::kHBox:
        kappa_.push_back(v2);
        break;
      case TthOperator::kHD:
        kappa_.push_back(-0.25 * v2);
        break;
    }
  }
}

double TthMatrixElement::KappaT(const Eigen::VectorXd& theta) const {
  GOLDMINE_REQUIRE(theta.size() == static_cast<Eigen::Index>(kappa_.size()),
                   "ttH: theta has " + std::to_string(theta.size()) +
                       " entries, expected " + std::to_string(kappa_.size()));
  double kappa = 1.0;
  for (std::size_t i = 0; i < kappa_.size(); ++i)
    kappa += kappa_[i] * theta[static_cast<Eigen::Index>(i)];
  return kappa;
}

EftPolynomial TthMatrixElement::Polynomial(double sm) const {
  const int n = static_cast<int>(kappa_.size());
  EftPolynomial polynomial;
  polynomial.sm = sm;
  for (double k : kappa_) polynomial.linear.push_back(2.0 * k);
  polynomial.quadratic.assign(static_cast<std::size_t>(n * (n + 1) / 2), 0.0);
  for (int i = 0; i < n; ++i) {
    for (int j = i; j < n; ++j) {
      const double kk = kappa_[static_cast<std::size_t>(i)] *
                        kappa_[static_cast<std::size_t>(j)];
      polynomial.quadratic[static_cast<std::size_t>(QuadraticIndex(i, j, n))] =
          i == j ? kk : 2.0 * kk;
    }
  }
  return polynomial;
}

double TthMatrixElement::GluonFusion(const TthKinematics& kinematics,
                                     double alpha_s) const {
  const double gs2 = 4.0 * kPi * alpha_s;
  const double y = parameters_.top_yukawa_coupling();
  return gs2 * gs2 * y * y *
         GluonFusionTtHSquared(kinematics, parameters_.top_mass);
}

double TthMatrixElement::QuarkAnnihilation(const TthKinematics& kinematics,
                                           double alpha_s) const {
  const double gs2 = 4.0 * kPi * alpha_s;
  const double y = parameters_.top_yukawa_coupling();
  return gs2 * gs2 * y * y *
         QuarkAnnihilationTtHSquared(kinematics, parameters_.top_mass);
}

std::string TthMatrixElement::Description() const {
  std::string kappa = "kappa_t = 1";
  for (std::size_t i = 0; i < kappa_.size(); ++i)
    kappa += (kappa_[i] < 0 ? " - " : " + ") + Format(std::abs(kappa_[i])) +
             " " + TthOperatorName(operators_[i]);
  return "LO QCD g g, q qbar -> t tbar H (helicity amplitudes, massive top), " +
         kappa + " (|M|^2 = kappa_t^2 |M_SM|^2); " + parameters_.Description();
}

}  // namespace goldmine::generators
