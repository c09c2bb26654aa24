#include "goldmine/generators/wh_matrix_element.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::generators {
namespace {

using Complex = std::complex<double>;
using ComplexVector = std::array<Complex, 4>;

constexpr double kPi = 3.14159265358979323846;

Complex ComplexDot(const ComplexVector& a, const ComplexVector& b) {
  return a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
}

ComplexVector ToComplex(const FourMomentum& p) {
  return {Complex(p[0]), Complex(p[1]), Complex(p[2]), Complex(p[3])};
}

FourMomentum Sum(const FourMomentum& a, const FourMomentum& b) {
  return {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]};
}

// ε_{μνρσ} a^μ b^ν c^ρ d^σ with ε_{0123} = +1: the determinant of the rows
// a, b, c, d (Laplace expansion along a).
Complex Epsilon(const ComplexVector& a,
                const ComplexVector& b,
                const ComplexVector& c,
                const ComplexVector& d) {
  auto minor3 = [&](int skip) {
    int cols[3];
    int n = 0;
    for (int k = 0; k < 4; ++k)
      if (k != skip) cols[n++] = k;
    return b[cols[0]] * (c[cols[1]] * d[cols[2]] - c[cols[2]] * d[cols[1]]) -
           b[cols[1]] * (c[cols[0]] * d[cols[2]] - c[cols[2]] * d[cols[0]]) +
           b[cols[2]] * (c[cols[0]] * d[cols[1]] - c[cols[1]] * d[cols[0]]);
  };
  return a[0] * minor3(0) - a[1] * minor3(1) + a[2] * minor3(2) -
         a[3] * minor3(3);
}

// Helicity −1/2 two-spinor along the direction of p (§2.6).
std::array<Complex, 2> NegativeHelicity(const FourMomentum& p) {
  const double modulus = std::sqrt(p[1] * p[1] + p[2] * p[2] + p[3] * p[3]);
  const double cos_theta =
      modulus > 0.0 ? std::clamp(p[3] / modulus, -1.0, 1.0) : 1.0;
  const double theta = std::acos(cos_theta);
  const double phi = std::atan2(p[2], p[1]);
  return {-std::polar(1.0, -phi) * std::sin(theta / 2.0),
          Complex(std::cos(theta / 2.0))};
}

// 2 √(E_a E_b) ξ(a)† σ̄^μ ξ(b), σ̄ = (1, −σ_x, −σ_y, −σ_z).
ComplexVector Current(const FourMomentum& a, const FourMomentum& b) {
  const auto xa = NegativeHelicity(a);
  const auto xb = NegativeHelicity(b);
  const Complex a0 = std::conj(xa[0]);
  const Complex a1 = std::conj(xa[1]);
  const Complex identity = a0 * xb[0] + a1 * xb[1];
  const Complex sigma_x = a0 * xb[1] + a1 * xb[0];
  const Complex sigma_y =
      a0 * (Complex(0, -1) * xb[1]) + a1 * (Complex(0, 1) * xb[0]);
  const Complex sigma_z = a0 * xb[0] - a1 * xb[1];
  const double norm = 2.0 * std::sqrt(a[0] * b[0]);
  return {norm * identity, -norm * sigma_x, -norm * sigma_y, -norm * sigma_z};
}

// T(w,x,y,z) = (w·x)(y·z) − (w·y)(x·z) + (w·z)(x·y).
double FourTrace(const FourMomentum& w,
                 const FourMomentum& x,
                 const FourMomentum& y,
                 const FourMomentum& z) {
  return Dot(w, x) * Dot(y, z) - Dot(w, y) * Dot(x, z) + Dot(w, z) * Dot(x, y);
}

// Tr[a b c d e f] / 4 of slashed momenta.
double SixTraceOverFour(const FourMomentum& a,
                        const FourMomentum& b,
                        const FourMomentum& c,
                        const FourMomentum& d,
                        const FourMomentum& e,
                        const FourMomentum& f) {
  return Dot(a, b) * FourTrace(c, d, e, f) - Dot(a, c) * FourTrace(b, d, e, f) +
         Dot(a, d) * FourTrace(b, c, e, f) - Dot(a, e) * FourTrace(b, c, d, f) +
         Dot(a, f) * FourTrace(b, c, d, e);
}

std::string Format(double value) {
  std::ostringstream text;
  text.precision(10);
  text << value;
  return text.str();
}

}  // namespace

double Dot(const FourMomentum& a, const FourMomentum& b) {
  return a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
}

std::string OperatorName(WhOperator op) {
  switch (op) {
    case WhOperator::kHBox:
      return "cHbox";
    case WhOperator::kHD:
      return "cHDD";
    case WhOperator::kHW:
      return "cHW";
    case WhOperator::kHq3:
      return "cHq3";
    case WhOperator::kHWtilde:
      return "cHWtil";
  }
  return "?";
}

WhOperator ParseOperator(const std::string& name) {
  if (name == "cHbox" || name == "cHBox") return WhOperator::kHBox;
  if (name == "cHDD" || name == "cHD") return WhOperator::kHD;
  if (name == "cHW") return WhOperator::kHW;
  if (name == "cHq3") return WhOperator::kHq3;
  if (name == "cHWtil" || name == "cHWt" || name == "cHWtilde")
    return WhOperator::kHWtilde;
  throw InvalidInput("unknown operator \"" + name +
                     "\"; allowed: cHbox, cHDD, cHW, cHq3, cHWtil");
}

std::vector<WhOperator> DefaultOperators() {
  return {
      WhOperator::kHBox, WhOperator::kHD, WhOperator::kHW, WhOperator::kHq3};
}

double ElectroweakParameters::vev() const {
  return 1.0 / std::sqrt(std::sqrt(2.0) * fermi_constant);
}

double ElectroweakParameters::weak_coupling() const {
  return 2.0 * w_mass / vev();
}

double ElectroweakParameters::w_to_lepton_width() const {
  const double g = weak_coupling();
  return g * g * w_mass / (48.0 * kPi);
}

void ElectroweakParameters::Validate() const {
  std::string problems;
  auto require = [&](bool ok, const std::string& what) {
    if (!ok) problems += (problems.empty() ? "" : "; ") + what;
  };
  require(std::isfinite(fermi_constant) && fermi_constant > 0.0,
          "fermi_constant must be > 0, got " + Format(fermi_constant));
  require(std::isfinite(w_mass) && w_mass > 0.0,
          "w_mass must be > 0, got " + Format(w_mass));
  require(std::isfinite(w_width) && w_width > 0.0,
          "w_width must be > 0, got " + Format(w_width));
  require(std::isfinite(higgs_mass) && higgs_mass > 0.0,
          "higgs_mass must be > 0, got " + Format(higgs_mass));
  require(std::isfinite(higgs_to_bb) && higgs_to_bb > 0.0 && higgs_to_bb <= 1.0,
          "higgs_to_bb must be in (0, 1], got " + Format(higgs_to_bb));
  require(std::isfinite(lambda) && lambda > 0.0,
          "lambda must be > 0, got " + Format(lambda));
  require(hbb_eft == 0 || hbb_eft == 1,
          "hbb_eft must be 0 or 1, got " + std::to_string(hbb_eft));
  if (!problems.empty())
    throw InvalidInput("electroweak parameters: " + problems);
}

std::string ElectroweakParameters::Description() const {
  return "G_F=" + Format(fermi_constant) + " GeV^-2, m_W=" + Format(w_mass) +
         " GeV, Gamma_W=" + Format(w_width) +
         " GeV, m_H=" + Format(higgs_mass) +
         " GeV, BR(H->bb)=" + Format(higgs_to_bb) +
         ", Lambda=" + Format(lambda) +
         " GeV, hbb_eft=" + std::to_string(hbb_eft) + " (v=" + Format(vev()) +
         " GeV, g=" + Format(weak_coupling()) + ")";
}

MasslessSpinor SpinorOf(const FourMomentum& p) {
  const double plus = p[0] + p[3];
  const double minus = p[0] - p[3];
  if (plus >= minus) {
    const double root = std::sqrt(plus);
    return {Complex(root), Complex(p[1], p[2]) / root};
  }
  const double root = std::sqrt(minus);
  return {Complex(p[1], -p[2]) / root, Complex(root)};
}

Complex Angle(const MasslessSpinor& i, const MasslessSpinor& j) {
  return i.lower * j.upper - i.upper * j.lower;
}

Complex Square(const MasslessSpinor& i, const MasslessSpinor& j) {
  return std::conj(Angle(j, i));
}

SpinorStructures ComputeSpinorStructures(const WhKinematics& k) {
  const MasslessSpinor q = SpinorOf(k.quark);
  const MasslessSpinor qb = SpinorOf(k.antiquark);
  const MasslessSpinor f = SpinorOf(k.fermion);
  const MasslessSpinor fb = SpinorOf(k.antifermion);
  const Complex qb_f = Angle(qb, f);
  const Complex fb_q = Square(fb, q);
  const Complex quark_h = -qb_f * Square(f, q) - Angle(qb, fb) * fb_q;
  const Complex lepton_h =
      Angle(f, q) * Square(q, fb) + Angle(f, qb) * Square(qb, fb);
  return {2.0 * qb_f * fb_q, quark_h * lepton_h};
}

DiracCurrents ComputeDiracCurrents(const WhKinematics& k) {
  return {Current(k.antiquark, k.quark), Current(k.fermion, k.antifermion)};
}

double DotProductSquaredAmplitude(const WhKinematics& k,
                                  double alpha,
                                  double beta) {
  const FourMomentum& q = k.quark;
  const FourMomentum& qb = k.antiquark;
  const FourMomentum& f = k.fermion;
  const FourMomentum& fb = k.antifermion;
  const FourMomentum& h = k.higgs;
  const double mh2 = Dot(h, h);
  const double sm = 16.0 * Dot(q, fb) * Dot(qb, f);
  const double mixed = 4.0 * SixTraceOverFour(fb, q, h, qb, f, h);
  const double bsm = 4.0 * (2.0 * Dot(q, h) * Dot(qb, h) - mh2 * Dot(q, qb)) *
                     (2.0 * Dot(f, h) * Dot(fb, h) - mh2 * Dot(f, fb));
  return alpha * alpha * sm + 2.0 * alpha * beta * mixed + beta * beta * bsm;
}

double EftPolynomial::Ratio(const Eigen::VectorXd& theta) const {
  const int n = static_cast<int>(linear.size());
  GOLDMINE_REQUIRE(theta.size() == n,
                   "EFT polynomial of " + std::to_string(n) +
                       " operators evaluated at " +
                       std::to_string(theta.size()) + " values");
  double ratio = 1.0;
  int k = 0;
  for (int i = 0; i < n; ++i) {
    ratio += linear[static_cast<std::size_t>(i)] * theta[i];
    for (int j = i; j < n; ++j)
      ratio += quadratic[static_cast<std::size_t>(k++)] * theta[i] * theta[j];
  }
  return ratio;
}

int QuadraticIndex(int i, int j, int num_operators) {
  if (i > j) std::swap(i, j);
  return i * num_operators - i * (i - 1) / 2 + (j - i);
}

WhMatrixElement::WhMatrixElement(ElectroweakParameters parameters,
                                 std::vector<WhOperator> operators)
    : parameters_(parameters), operators_(std::move(operators)) {
  parameters_.Validate();
  GOLDMINE_REQUIRE(!operators_.empty(),
                   "the WH matrix element needs at least one operator");
  for (std::size_t i = 0; i < operators_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      GOLDMINE_REQUIRE(
          operators_[i] != operators_[j],
          "operator " + OperatorName(operators_[i]) + " is listed twice");
    if (operators_[i] == WhOperator::kHWtilde) cp_odd_ = true;
  }
}

double WhMatrixElement::Normalisation(const WhKinematics& k) const {
  const FourMomentum big_q = Sum(k.quark, k.antiquark);
  const FourMomentum q_w = Sum(k.fermion, k.antifermion);
  const double s_hat = Dot(big_q, big_q);
  const double m_lnu2 = Dot(q_w, q_w);
  const double mw = parameters_.w_mass;
  const double mw2 = mw * mw;
  const double g = parameters_.weak_coupling();
  const double g2 = g * g;
  const double g6 = g2 * g2 * g2;
  const double s_channel = s_hat - mw2;
  const double decay = (m_lnu2 - mw2) * (m_lnu2 - mw2) +
                       mw2 * parameters_.w_width * parameters_.w_width;
  return g6 * mw2 / (48.0 * s_channel * s_channel * decay);
}

std::vector<Complex> WhMatrixElement::AmplitudeComponents(
    const WhKinematics& k) const {
  const FourMomentum big_q = Sum(k.quark, k.antiquark);
  const FourMomentum q_w = Sum(k.fermion, k.antifermion);
  const double s_hat = Dot(big_q, big_q);
  const double mw2 = parameters_.w_mass * parameters_.w_mass;
  const double v = parameters_.vev();
  const double r = v * v / (parameters_.lambda * parameters_.lambda);
  const double kin = 1.0 + parameters_.hbb_eft;

  Complex t1;
  Complex t2;
  Complex epsilon_term;
  if (cp_odd_) {
    const DiracCurrents currents = ComputeDiracCurrents(k);
    const ComplexVector h = ToComplex(k.higgs);
    t1 = ComplexDot(currents.quark, currents.lepton);
    t2 = ComplexDot(currents.quark, h) * ComplexDot(currents.lepton, h);
    epsilon_term = Epsilon(
        ToComplex(q_w), currents.lepton, ToComplex(big_q), currents.quark);
  } else {
    const SpinorStructures s = ComputeSpinorStructures(k);
    t1 = s.t1;
    t2 = s.t2;
  }
  std::vector<Complex> components(operators_.size() + 1);
  components[0] = t1;
  for (std::size_t i = 0; i < operators_.size(); ++i) {
    Complex& a = components[i + 1];
    switch (operators_[i]) {
      case WhOperator::kHBox:
        a = kin * r * t1;
        break;
      case WhOperator::kHD:
        a = -0.25 * kin * r * t1;
        break;
      case WhOperator::kHq3:
        a = r * (s_hat / mw2) * t1;
        break;
      case WhOperator::kHW:
        a = r * (2.0 * Dot(big_q, q_w) / mw2 * t1 + (2.0 / mw2) * t2);
        break;
      case WhOperator::kHWtilde:
        a = r * (2.0 / mw2) * epsilon_term;
        break;
    }
  }
  return components;
}

EftPolynomial WhMatrixElement::Evaluate(const WhKinematics& k) const {
  const std::vector<Complex> a = AmplitudeComponents(k);
  const int n = num_operators();
  EftPolynomial polynomial;
  polynomial.linear.assign(static_cast<std::size_t>(n), 0.0);
  polynomial.quadratic.assign(static_cast<std::size_t>(n * (n + 1) / 2), 0.0);
  const double sm2 = std::norm(a[0]);
  if (!(sm2 > 0.0)) return polynomial;
  polynomial.sm = Normalisation(k) * sm2;
  int index = 0;
  for (int i = 0; i < n; ++i) {
    const Complex& ai = a[static_cast<std::size_t>(i + 1)];
    polynomial.linear[static_cast<std::size_t>(i)] =
        2.0 * std::real(std::conj(a[0]) * ai) / sm2;
    for (int j = i; j < n; ++j) {
      const Complex& aj = a[static_cast<std::size_t>(j + 1)];
      polynomial.quadratic[static_cast<std::size_t>(index++)] =
          (i == j ? std::norm(ai) : 2.0 * std::real(std::conj(ai) * aj)) / sm2;
    }
  }
  return polynomial;
}

double WhMatrixElement::SquaredMatrixElement(
    const WhKinematics& k, const Eigen::VectorXd& theta) const {
  GOLDMINE_REQUIRE(theta.size() == num_operators(),
                   "expected " + std::to_string(num_operators()) +
                       " Wilson coefficients, got " +
                       std::to_string(theta.size()));
  const std::vector<Complex> a = AmplitudeComponents(k);
  Complex total = a[0];
  for (int i = 0; i < num_operators(); ++i)
    total += theta[i] * a[static_cast<std::size_t>(i + 1)];
  return Normalisation(k) * std::norm(total);
}

std::string WhMatrixElement::Description() const {
  std::string names;
  for (WhOperator op : operators_)
    names += (names.empty() ? "" : ",") + OperatorName(op);
  return "LO SMEFT q qbar' -> l nu H (W decay in the amplitude), operators " +
         names + "; " + parameters_.Description();
}

}  // namespace goldmine::generators
