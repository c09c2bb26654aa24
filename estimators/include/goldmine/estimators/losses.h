// The training losses of estimator.h evaluated on plain matrices, for tests
// and for diagnostics (the same code that training runs, in float64).
#pragma once

#include <Eigen/Core>

#include "goldmine/estimators/config.h"

namespace goldmine::estimators {

// One batch of predictions and targets; fields a method does not use may be
// empty. n events, P parameters.
// Scores are in physical units (per unit of θ).
struct LossBatch {
  Eigen::VectorXd log_r_hat;  // n, ratio methods
  Eigen::MatrixXd t_hat;  // n × P: score network output, or ∇_θ0 log r̂
  Eigen::VectorXd y;      // n, 0 (drawn from θ0) or 1 (from θ1)
  Eigen::VectorXd r_xz;   // n, joint likelihood ratio r(x,z|θ0,θ1)
  Eigen::MatrixXd t_xz;   // n × P, joint score t(x,z|θ0)
  // Double-parameterized ratio networks: their score at θ1, −∇_θ1 log r̂,
  // and the joint score t(x,z|θ1). Empty: no θ1 score term.
  Eigen::MatrixXd t_hat1;
  Eigen::MatrixXd t_xz1;
  // P standard deviations σ of the training θ (the parameter scaling);
  // empty means no scaling (all 1).
  Eigen::VectorXd theta_scale;
};

// The loss of `method` (config.h), averaged over the batch (and, for mean
// squared errors of the score, over its components, like torch's MSELoss).
// Cross-entropies are computed from log r̂ with softplus, never from ŝ, so
// they stay finite for any log r̂. ROLR and RASCAL clamp log r̂ to [−10, 10]
// and r to [e⁻¹⁰, e¹⁰] as MadMiner does.
//
// RASCAL, ALICES and CASCAL add α times MadMiner's ratio_score_mse in the
// units of the scaled parameters θ/σ (its _transform_score): the mean of
// ((1−y)(t̂ − t_xz)·σ)², plus, with t_hat1, the mean of (y(t̂1 − t_xz1)·σ)².
// Throws InvalidInput on missing or mismatched inputs.
double EvaluateLoss(Method method, double alpha, const LossBatch& batch);

}  // namespace goldmine::estimators
