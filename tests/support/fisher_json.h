// Fisher-information JSON of `goldmine fisher` in tests: matrices and the
// information inequality between two methods.
#pragma once

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace goldmine::testing {

inline Eigen::MatrixXd JsonMatrix(const nlohmann::json& rows) {
  Eigen::MatrixXd matrix(rows.size(), rows.at(0).size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j)
      matrix(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          rows[i][j].get<double>();
  return matrix;
}

// I_larger ≥ I_smaller as matrices: vᵀ(A − B)v ≥ −3 σ along the eigenvector
// v of the smallest eigenvalue of A − B, σ from the elements' Monte Carlo
// errors (fisher_information_uncertainty), taken as independent between A
// and B, which overstates σ for estimates from the same events.
inline void ExpectInformationAtLeast(const nlohmann::json& larger,
                                     const nlohmann::json& smaller,
                                     const std::string& what) {
  const Eigen::MatrixXd a = JsonMatrix(larger.at("fisher_information"));
  const Eigen::MatrixXd b = JsonMatrix(smaller.at("fisher_information"));
  const Eigen::MatrixXd ua =
      JsonMatrix(larger.at("fisher_information_uncertainty"));
  const Eigen::MatrixXd ub =
      JsonMatrix(smaller.at("fisher_information_uncertainty"));
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(a - b);
  const Eigen::VectorXd v = solver.eigenvectors().col(0);
  const Eigen::MatrixXd vv = v * v.transpose();
  const double sigma = std::sqrt(
      (vv.cwiseAbs2().cwiseProduct(ua.cwiseAbs2() + ub.cwiseAbs2())).sum());
  EXPECT_GE(solver.eigenvalues()(0), -3.0 * sigma) << what;
}

}  // namespace goldmine::testing
