#include "goldmine/pipeline/fisher_interval_uncertainty.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <sstream>

#include "goldmine/pipeline/report_results.h"

namespace goldmine::pipeline {

IntervalWidth FixedOthersWidth(const Eigen::MatrixXd& information,
                               const Eigen::MatrixXd& uncertainty,
                               int parameter) {
  IntervalWidth width;
  const double value = information(parameter, parameter);
  if (!(value > 0.0)) return width;
  width.valid = true;
  width.sigma = 1.0 / std::sqrt(value);
  width.uncertainty =
      0.5 * width.sigma * uncertainty(parameter, parameter) / value;
  return width;
}

IntervalWidth ProfiledWidth(const Eigen::MatrixXd& information,
                            const Eigen::MatrixXd& uncertainty,
                            const Eigen::MatrixXd& mc_covariance,
                            int parameter) {
  IntervalWidth width;
  if (IsSingular(information)) return width;  // a flat direction
  const Eigen::MatrixXd covariance = information.inverse();
  const double variance = covariance(parameter, parameter);
  if (!(variance > 0.0) || !std::isfinite(variance)) return width;
  const Eigen::Index n = information.rows();
  width.valid = true;
  width.sigma = std::sqrt(variance);
  if (mc_covariance.rows() == n * n && mc_covariance.cols() == n * n) {
    Eigen::VectorXd a(n * n);  // ∂C_ii/∂I_jk at j·n + k
    for (Eigen::Index j = 0; j < n; ++j) {
      for (Eigen::Index k = 0; k < n; ++k) {
        a(j * n + k) = -covariance(parameter, j) * covariance(parameter, k);
      }
    }
    const double squared = std::max(0.0, a.dot(mc_covariance * a));
    width.uncertainty = std::sqrt(squared) / (2.0 * width.sigma);
    return width;
  }
  width.approximate = true;
  double squared = 0.0;  // δC_ii²
  for (Eigen::Index j = 0; j < information.rows(); ++j) {
    for (Eigen::Index k = j; k < information.cols(); ++k) {
      const double derivative = (j == k ? -1.0 : -2.0) *
                                covariance(parameter, j) *
                                covariance(parameter, k);
      squared += std::pow(derivative * uncertainty(j, k), 2);
    }
  }
  width.uncertainty = std::sqrt(squared) / (2.0 * width.sigma);
  return width;
}

std::string ValueWithUncertainty(double value, double uncertainty, int digits) {
  std::ostringstream text;
  text.precision(digits);
  text << value;
  if (uncertainty >= 0.0 && std::isfinite(uncertainty)) {
    std::ostringstream error;
    error.precision(2);
    error << uncertainty;
    text << " ± " << error.str();
  }
  return text.str();
}

}  // namespace goldmine::pipeline
