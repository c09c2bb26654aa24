// Private: the morphing components comp_c(θ) = Π_p θ_p^k_cp and their
// gradients, for a C × P matrix of powers (morphing/components.h has the
// same monomials; inference keeps a copy to stay independent of morphing/).
#pragma once

#include <Eigen/Core>

namespace goldmine::inference {

// comp(θ), size C.
inline Eigen::VectorXd EvaluateComponents(const Eigen::MatrixXi& powers,
                                          const Eigen::VectorXd& theta) {
  Eigen::VectorXd values = Eigen::VectorXd::Ones(powers.rows());
  for (Eigen::Index c = 0; c < powers.rows(); ++c) {
    for (Eigen::Index p = 0; p < powers.cols(); ++p) {
      for (int k = 0; k < powers(c, p); ++k) values(c) *= theta(p);
    }
  }
  return values;
}

// ∂comp_c/∂θ_p, P × C.
inline Eigen::MatrixXd ComponentGradients(const Eigen::MatrixXi& powers,
                                          const Eigen::VectorXd& theta) {
  Eigen::MatrixXd gradient =
      Eigen::MatrixXd::Zero(powers.cols(), powers.rows());
  for (Eigen::Index c = 0; c < powers.rows(); ++c) {
    for (Eigen::Index p = 0; p < powers.cols(); ++p) {
      if (powers(c, p) == 0) continue;
      double value = powers(c, p);
      for (Eigen::Index q = 0; q < powers.cols(); ++q) {
        const int k = q == p ? powers(c, q) - 1 : powers(c, q);
        for (int i = 0; i < k; ++i) value *= theta(q);
      }
      gradient(p, c) = value;
    }
  }
  return gradient;
}

}  // namespace goldmine::inference
