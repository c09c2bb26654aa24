// The monomials of a quadratic EFT polynomial (generators' EftPolynomial:
// |M(θ)|² = sm (1 + Σ_i a_i θ_i + Σ_{i≤j} b_ij θ_i θ_j)) as morphing
// components, and the conversion of such a polynomial into per-monomial
// coefficients, which is what the Matrix Element Method integrates.
#pragma once

#include <Eigen/Core>

#include "goldmine/generators/wh_matrix_element.h"

namespace goldmine::mem {

// 1 + n + n(n+1)/2.
int NumQuadraticMonomials(int num_parameters);
// Rows: 1; θ_0 … θ_{n−1}; then θ_i θ_j for i ≤ j in EftPolynomial's order
// (QuadraticIndex). Columns: parameters.
Eigen::MatrixXi QuadraticMonomials(int num_parameters);
// out[c] = factor · (coefficient of monomial c in polynomial.Evaluate(θ)):
// factor · sm, factor · sm · a_i, factor · sm · b_ij.
void WriteMonomialCoefficients(const generators::EftPolynomial& polynomial,
                               double factor,
                               double* out);
// m_c(θ) = Π_p θ_p^k_cp for every row of `monomials`.
Eigen::VectorXd EvaluateMonomials(const Eigen::MatrixXi& monomials,
                                  const Eigen::VectorXd& theta);
// ∂m_c/∂θ_p: C × P.
Eigen::MatrixXd MonomialGradients(const Eigen::MatrixXi& monomials,
                                  const Eigen::VectorXd& theta);

}  // namespace goldmine::mem
