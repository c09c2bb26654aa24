// A small HELAS-like helicity engine for the built-in t t̄ H generator:
// explicit Dirac matrices, massive and massless external spinors, gluon
// polarisation vectors and fermion propagators, from which the tree
// amplitudes of tth_amplitudes.h are built numerically.
//
// Conventions: metric (+, −, −, −); chiral (Weyl) representation
//   γ^0 = [[0, 1], [1, 0]],  γ^i = [[0, σ^i], [−σ^i, 0]],
//   γ5 = diag(−1, −1, 1, 1)  (upper two components left-handed);
// helicity spinors (HELAS, Murayama et al. KEK-91-11) with the two-component
// helicity eigenstates χ_λ(p̂) of σ·p̂, λ = ±1 (helicity ±1/2):
//   u(p, λ) = ( √(E − λ|p|) χ_λ,  √(E + λ|p|) χ_λ ),
//   v(p, λ) = ( −λ √(E + λ|p|) χ_−λ,  λ √(E − λ|p|) χ_−λ ).
// They satisfy (p̸ − m) u = 0, (p̸ + m) v = 0, Σ_λ u ū = p̸ + m and
// Σ_λ v v̄ = p̸ − m (checked in tests). Only helicity sums of |M|² are used,
// so the phase conventions cancel.
#pragma once

#include <Eigen/Core>
#include <array>
#include <complex>

#include "goldmine/generators/wh_matrix_element.h"

namespace goldmine::generators::helicity {

using Complex = std::complex<double>;
using Spinor = Eigen::Vector4cd;        // column: u or v
using BarSpinor = Eigen::RowVector4cd;  // row: ū = u† γ^0
using DiracMatrix = Eigen::Matrix4cd;   // 4 × 4 in Dirac space
// A complex Lorentz vector with upper index (polarisations, currents).
using LorentzVector = std::array<Complex, 4>;

// γ^μ (upper index), μ = 0..3.
const DiracMatrix& Gamma(int mu);
// a̸ = γ^μ a_μ = γ^0 a^0 − γ^i a^i for a vector with upper indices.
DiracMatrix Slash(const FourMomentum& a);
DiracMatrix Slash(const LorentzVector& a);

// Minkowski products with complex vectors (no complex conjugation).
Complex Dot(const LorentzVector& a, const LorentzVector& b);
Complex Dot(const LorentzVector& a, const FourMomentum& b);
LorentzVector ToComplex(const FourMomentum& p);

// Two-component helicity eigenstate χ_λ(p̂) of σ·p̂ with eigenvalue λ = ±1.
std::array<Complex, 2> HelicityEigenstate(const FourMomentum& p, int lambda);

// External spinors of an on-shell fermion of mass m (E² = |p|² + m²) and
// helicity λ = ±1 (see the top of this file).
Spinor SpinorU(const FourMomentum& p, double mass, int lambda);
Spinor SpinorV(const FourMomentum& p, double mass, int lambda);
// ψ̄ = ψ† γ^0.
BarSpinor Bar(const Spinor& spinor);

// Polarisation vector ε^μ(k, λ) of a massless vector boson (gluon) with
// momentum k and helicity λ = ±1 (HELAS VXXXXX for an incoming boson):
//   ε(k, λ) = (−λ e1 − i e2)/√2 with e1, e2 real, orthonormal, transverse
// (e·k = 0, e^0 = 0); e1 lies in the plane of k and the z axis, e2 = ẑ × k̂
// normalised (e1 = x̂, e2 = sign(k_z) ŷ when k is along z).
LorentzVector GluonPolarisation(const FourMomentum& k, int lambda);

// Numerator and denominator of a fermion propagator, (q̸ + m)/(q² − m²),
// without the factor i (the amplitude code keeps the i's separately).
DiracMatrix FermionPropagator(const FourMomentum& q, double mass);

// Vector arithmetic on four-momenta.
FourMomentum Add(const FourMomentum& a, const FourMomentum& b);
FourMomentum Subtract(const FourMomentum& a, const FourMomentum& b);
FourMomentum Negate(const FourMomentum& a);

}  // namespace goldmine::generators::helicity
