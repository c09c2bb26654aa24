#include "goldmine/mem/monomials.h"

#include <cmath>

namespace goldmine::mem {

int NumQuadraticMonomials(int num_parameters) {
  return 1 + num_parameters + num_parameters * (num_parameters + 1) / 2;
}

Eigen::MatrixXi QuadraticMonomials(int num_parameters) {
  Eigen::MatrixXi monomials = Eigen::MatrixXi::Zero(
      NumQuadraticMonomials(num_parameters), num_parameters);
  for (int i = 0; i < num_parameters; ++i) monomials(1 + i, i) = 1;
  for (int i = 0; i < num_parameters; ++i) {
    for (int j = i; j < num_parameters; ++j) {
      const int row =
          1 + num_parameters + generators::QuadraticIndex(i, j, num_parameters);
      monomials(row, i) += 1;
      monomials(row, j) += 1;
    }
  }
  return monomials;
}

void WriteMonomialCoefficients(const generators::EftPolynomial& polynomial,
                               double factor,
                               double* out) {
  const double base = factor * polynomial.sm;
  out[0] = base;
  const std::size_t n = polynomial.linear.size();
  for (std::size_t i = 0; i < n; ++i) out[1 + i] = base * polynomial.linear[i];
  for (std::size_t k = 0; k < polynomial.quadratic.size(); ++k)
    out[1 + n + k] = base * polynomial.quadratic[k];
}

Eigen::VectorXd EvaluateMonomials(const Eigen::MatrixXi& monomials,
                                  const Eigen::VectorXd& theta) {
  Eigen::VectorXd values = Eigen::VectorXd::Ones(monomials.rows());
  for (Eigen::Index c = 0; c < monomials.rows(); ++c) {
    for (Eigen::Index p = 0; p < monomials.cols(); ++p) {
      const int power = monomials(c, p);
      if (power > 0) values(c) *= std::pow(theta(p), power);
    }
  }
  return values;
}

Eigen::MatrixXd MonomialGradients(const Eigen::MatrixXi& monomials,
                                  const Eigen::VectorXd& theta) {
  Eigen::MatrixXd gradients =
      Eigen::MatrixXd::Zero(monomials.rows(), monomials.cols());
  for (Eigen::Index c = 0; c < monomials.rows(); ++c) {
    for (Eigen::Index q = 0; q < monomials.cols(); ++q) {
      const int power_q = monomials(c, q);
      if (power_q == 0) continue;
      double value = power_q * std::pow(theta(q), power_q - 1);
      for (Eigen::Index p = 0; p < monomials.cols(); ++p) {
        if (p != q && monomials(c, p) > 0)
          value *= std::pow(theta(p), monomials(c, p));
      }
      gradients(c, q) = value;
    }
  }
  return gradients;
}

}  // namespace goldmine::mem
