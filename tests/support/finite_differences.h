// The one helper that checks analytic derivatives against central finite
// differences (Ceres' AssertLossFunctionIsValid idea). Used for morphing
// gradients, the basis objective, and later the joint score.
#pragma once

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <functional>

namespace goldmine::testing {

// Central differences of a vector function f: R^n -> R^m at x, with a step
// relative to |x_i| (absolute near zero); returns the n × m Jacobian
// transposed as gradient rows, matching "parameters × outputs" layouts.
inline Eigen::MatrixXd FiniteDifferenceGradient(
    const std::function<Eigen::VectorXd(const Eigen::VectorXd&)>& f,
    const Eigen::VectorXd& x,
    double relative_step = 1e-6) {
  const Eigen::Index m = f(x).size();
  Eigen::MatrixXd gradient(x.size(), m);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double h = relative_step * std::max(1.0, std::abs(x(i)));
    Eigen::VectorXd up = x;
    Eigen::VectorXd down = x;
    up(i) += h;
    down(i) -= h;
    gradient.row(i) = ((f(up) - f(down)) / (2.0 * h)).transpose();
  }
  return gradient;
}

// Elementwise |a - b| <= tolerance * max(1, |a|, |b|).
inline ::testing::AssertionResult AllClose(const Eigen::MatrixXd& actual,
                                           const Eigen::MatrixXd& expected,
                                           double tolerance) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) {
    return ::testing::AssertionFailure()
           << "shape " << actual.rows() << "x" << actual.cols() << " vs "
           << expected.rows() << "x" << expected.cols();
  }
  for (Eigen::Index r = 0; r < actual.rows(); ++r) {
    for (Eigen::Index c = 0; c < actual.cols(); ++c) {
      const double scale =
          std::max({1.0, std::abs(actual(r, c)), std::abs(expected(r, c))});
      if (!(std::abs(actual(r, c) - expected(r, c)) <= tolerance * scale)) {
        return ::testing::AssertionFailure()
               << "element (" << r << ", " << c << "): " << actual(r, c)
               << " vs " << expected(r, c) << " (tolerance " << tolerance
               << " relative)";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace goldmine::testing
