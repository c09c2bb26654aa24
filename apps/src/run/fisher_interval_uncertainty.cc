#include "run/fisher_interval_uncertainty.h"

#include <Eigen/Dense>
#include <cmath>
#include <sstream>

#include "run/report_results.h"

namespace goldmine::cli::run {

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
                            int parameter) {
  IntervalWidth width;
  if (IsSingular(information)) return width;  // a flat direction
  const Eigen::MatrixXd covariance = information.inverse();
  const double variance = covariance(parameter, parameter);
  if (!(variance > 0.0) || !std::isfinite(variance)) return width;
  double squared = 0.0;  // δC_ii²
  for (Eigen::Index j = 0; j < information.rows(); ++j) {
    for (Eigen::Index k = j; k < information.cols(); ++k) {
      const double derivative = (j == k ? -1.0 : -2.0) *
                                covariance(parameter, j) *
                                covariance(parameter, k);
      squared += std::pow(derivative * uncertainty(j, k), 2);
    }
  }
  width.valid = true;
  width.sigma = std::sqrt(variance);
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

}  // namespace goldmine::cli::run
