#include "goldmine/generators/tth_helicity.h"

#include <cmath>

namespace goldmine::generators::helicity {
namespace {

std::array<DiracMatrix, 4> MakeGammas() {
  const Complex i(0.0, 1.0);
  // Pauli matrices, entries (00, 01, 10, 11).
  const std::array<std::array<Complex, 4>, 3> sigma = {{
      {0.0, 1.0, 1.0, 0.0},
      {0.0, -i, i, 0.0},
      {1.0, 0.0, 0.0, -1.0},
  }};
  std::array<DiracMatrix, 4> g;
  for (DiracMatrix& m : g) m.setZero();
  // γ^0: off-diagonal identity blocks.
  g[0](0, 2) = g[0](1, 3) = g[0](2, 0) = g[0](3, 1) = 1.0;
  // γ^k = [[0, σ^k], [−σ^k, 0]].
  for (std::size_t k = 0; k < 3; ++k) {
    DiracMatrix& m = g[k + 1];
    for (int r = 0; r < 2; ++r) {
      for (int c = 0; c < 2; ++c) {
        const Complex value = sigma[k][static_cast<std::size_t>(2 * r + c)];
        m(r, 2 + c) = value;
        m(2 + r, c) = -value;
      }
    }
  }
  return g;
}

}  // namespace

const DiracMatrix& Gamma(int mu) {
  static const std::array<DiracMatrix, 4> gammas = MakeGammas();
  return gammas[static_cast<std::size_t>(mu)];
}

DiracMatrix Slash(const FourMomentum& a) {
  DiracMatrix m;
  // Explicit chiral-representation form: [[0, a^0 − a·σ], [a^0 + a·σ, 0]].
  const Complex a0 = a[0];
  const Complex ax = a[1];
  const Complex ay = a[2];
  const Complex az = a[3];
  const Complex i(0.0, 1.0);
  m.setZero();
  m(0, 2) = a0 - az;
  m(0, 3) = -(ax - i * ay);
  m(1, 2) = -(ax + i * ay);
  m(1, 3) = a0 + az;
  m(2, 0) = a0 + az;
  m(2, 1) = ax - i * ay;
  m(3, 0) = ax + i * ay;
  m(3, 1) = a0 - az;
  return m;
}

DiracMatrix Slash(const LorentzVector& a) {
  DiracMatrix m;
  const Complex i(0.0, 1.0);
  m.setZero();
  m(0, 2) = a[0] - a[3];
  m(0, 3) = -(a[1] - i * a[2]);
  m(1, 2) = -(a[1] + i * a[2]);
  m(1, 3) = a[0] + a[3];
  m(2, 0) = a[0] + a[3];
  m(2, 1) = a[1] - i * a[2];
  m(3, 0) = a[1] + i * a[2];
  m(3, 1) = a[0] - a[3];
  return m;
}

Complex Dot(const LorentzVector& a, const LorentzVector& b) {
  return a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
}

Complex Dot(const LorentzVector& a, const FourMomentum& b) {
  return a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
}

LorentzVector ToComplex(const FourMomentum& p) {
  return {p[0], p[1], p[2], p[3]};
}

std::array<Complex, 2> HelicityEigenstate(const FourMomentum& p, int lambda) {
  const double momentum = std::sqrt(p[1] * p[1] + p[2] * p[2] + p[3] * p[3]);
  const double plus = momentum + p[3];
  // Along −z (or at rest: any basis works, pick the −z form consistently).
  if (momentum <= 0.0 || plus <= 1e-14 * std::max(1.0, momentum)) {
    if (momentum <= 0.0) {
      return lambda > 0 ? std::array<Complex, 2>{1.0, 0.0}
                        : std::array<Complex, 2>{0.0, 1.0};
    }
    return lambda > 0 ? std::array<Complex, 2>{0.0, 1.0}
                      : std::array<Complex, 2>{-1.0, 0.0};
  }
  const double norm = 1.0 / std::sqrt(2.0 * momentum * plus);
  if (lambda > 0) return {norm * plus, Complex(norm * p[1], norm * p[2])};
  return {Complex(-norm * p[1], norm * p[2]), norm * plus};
}

Spinor SpinorU(const FourMomentum& p, double mass, int lambda) {
  const double momentum = std::sqrt(p[1] * p[1] + p[2] * p[2] + p[3] * p[3]);
  const double energy = std::sqrt(momentum * momentum + mass * mass);
  const auto chi = HelicityEigenstate(p, lambda);
  const double lower = std::sqrt(std::max(0.0, energy - lambda * momentum));
  const double upper = std::sqrt(energy + lambda * momentum);
  Spinor u;
  u << lower * chi[0], lower * chi[1], upper * chi[0], upper * chi[1];
  return u;
}

Spinor SpinorV(const FourMomentum& p, double mass, int lambda) {
  const double momentum = std::sqrt(p[1] * p[1] + p[2] * p[2] + p[3] * p[3]);
  const double energy = std::sqrt(momentum * momentum + mass * mass);
  const auto chi = HelicityEigenstate(p, -lambda);
  const double a = -lambda * std::sqrt(energy + lambda * momentum);
  const double b =
      lambda * std::sqrt(std::max(0.0, energy - lambda * momentum));
  Spinor v;
  v << a * chi[0], a * chi[1], b * chi[0], b * chi[1];
  return v;
}

BarSpinor Bar(const Spinor& spinor) { return spinor.adjoint() * Gamma(0); }

LorentzVector GluonPolarisation(const FourMomentum& k, int lambda) {
  const double momentum = std::sqrt(k[1] * k[1] + k[2] * k[2] + k[3] * k[3]);
  const double kt = std::hypot(k[1], k[2]);
  std::array<double, 4> e1 = {0.0, 1.0, 0.0, 0.0};
  std::array<double, 4> e2 = {0.0, 0.0, k[3] < 0.0 ? -1.0 : 1.0, 0.0};
  if (kt > 1e-14 * momentum) {
    e1 = {0.0,
          k[1] * k[3] / (momentum * kt),
          k[2] * k[3] / (momentum * kt),
          -kt / momentum};
    e2 = {0.0, -k[2] / kt, k[1] / kt, 0.0};
  }
  const double r = 1.0 / std::sqrt(2.0);
  LorentzVector eps;
  for (std::size_t mu = 0; mu < 4; ++mu)
    eps[mu] = Complex(-lambda * r * e1[mu], -r * e2[mu]);
  return eps;
}

DiracMatrix FermionPropagator(const FourMomentum& q, double mass) {
  const double denominator = generators::Dot(q, q) - mass * mass;
  DiracMatrix m = Slash(q);
  for (int d = 0; d < 4; ++d) m(d, d) += mass;
  return m / denominator;
}

FourMomentum Add(const FourMomentum& a, const FourMomentum& b) {
  return {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]};
}

FourMomentum Subtract(const FourMomentum& a, const FourMomentum& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]};
}

FourMomentum Negate(const FourMomentum& a) {
  return {-a[0], -a[1], -a[2], -a[3]};
}

}  // namespace goldmine::generators::helicity
