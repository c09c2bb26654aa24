// A model of the likelihood ratio r(x|θ0, θ1) = p(x|θ0) / p(x|θ1) as a function
// of the observables x and the parameter points (arXiv 1805.00020,
// 1805.12244). Parameterized estimators (CARL, ROLR, ALICE, RASCAL, CASCAL,
// ALICES) learn log r̂(x|θ0, θ_ref) against one reference hypothesis; ratios
// between two arbitrary points then follow as a difference,
//   log r̂(x|θ0, θ1) = log r̂(x|θ0, θ_ref) − log r̂(x|θ1, θ_ref),
// which is what the default two-point overload computes.
//
// The score t̂(x|θ0) = ∇_θ0 log r̂(x|θ0, θ1) does not depend on θ1; every
// differentiable model provides it.
//
// Implemented by the trained ratio networks (estimators/) and by analytic
// toys in tests; inference/ sees only this interface.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

namespace goldmine::core {

class LikelihoodRatioModel {
 public:
  virtual ~LikelihoodRatioModel() = default;

  // log r̂(x|θ0, θ_ref) for each event: `x` is events × observables, `theta0`
  // has num_parameters() entries; the result has one entry per event. Throws
  // InvalidInput on wrong sizes.
  virtual Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x, const Eigen::VectorXd& theta0) const = 0;

  // log r̂(x|θ0, θ1) for each event; by default the difference of the two
  // reference ratios (see the top of this file).
  virtual Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x,
      const Eigen::VectorXd& theta0,
      const Eigen::VectorXd& theta1) const {
    return LogLikelihoodRatio(x, theta0) - LogLikelihoodRatio(x, theta1);
  }

  // t̂(x|θ0) = ∇_θ0 log r̂(x|θ0, θ1): events × parameters.
  virtual Eigen::MatrixXd Score(const Eigen::MatrixXd& x,
                                const Eigen::VectorXd& theta0) const = 0;

  virtual std::vector<std::string> parameter_names() const = 0;
  virtual std::vector<std::string> observable_names() const = 0;

  int num_parameters() const {
    return static_cast<int>(parameter_names().size());
  }
  int num_observables() const {
    return static_cast<int>(observable_names().size());
  }
};

}  // namespace goldmine::core
