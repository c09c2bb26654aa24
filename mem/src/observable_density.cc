#include "goldmine/mem/observable_density.h"

#include "goldmine/core/errors.h"
#include "goldmine/mem/monomials.h"

namespace goldmine::mem {

ObservableDensity::ObservableDensity(Eigen::MatrixXi monomials)
    : monomials_(std::move(monomials)) {}

Eigen::VectorXd ObservableDensity::DifferentialCrossSection(
    const Eigen::MatrixXd& coefficients, const Eigen::VectorXd& theta) const {
  GOLDMINE_REQUIRE(coefficients.cols() == monomials_.rows() &&
                       theta.size() == monomials_.cols(),
                   "MEM coefficients or theta do not match the monomials");
  return coefficients * EvaluateMonomials(monomials_, theta);
}

Eigen::MatrixXd ObservableDensity::LogGradient(
    const Eigen::MatrixXd& coefficients,
    const Eigen::VectorXd& theta,
    std::int64_t first_row) const {
  const Eigen::VectorXd density = DifferentialCrossSection(coefficients, theta);
  const Eigen::MatrixXd gradient =
      coefficients * MonomialGradients(monomials_, theta);
  for (Eigen::Index e = 0; e < density.size(); ++e) {
    if (!(density(e) > 0.0)) {
      throw InvalidInput(
          "event " + std::to_string(first_row + e) +
          ": the MEM density dsigma(x|theta)/dx is " +
          std::to_string(density(e)) +
          ", not positive, at this theta (outside the process's physical "
          "region, or an integration that did not converge)");
    }
  }
  return gradient.array().colwise() / density.array();
}

}  // namespace goldmine::mem
