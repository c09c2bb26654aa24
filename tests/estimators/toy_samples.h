// Training and test samples for the neural estimators drawn from the
// analytic toy (generators/toy_model.h), with the augmented data MadMiner's
// SampleAugmenter would attach: the joint score t(x,z|θ0) and the joint
// likelihood ratio r(x,z|θ0,θ1) from the toy's Joint* functions; and the
// exact t(x|θ) and log r(x|θ0,θ1) to compare the estimators with.
// Used by tests/estimators/toy_accuracy_test.cc, toy_limits_test.cc and
// bench/estimators_toy_benchmark.cc.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <vector>

#include "goldmine/core/random.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/generators/toy_model.h"

namespace goldmine::estimators::toy {

// Small networks and few epochs, one thread: what the toy tests train.
inline TrainingConfig ToyTraining(int epochs) {
  TrainingConfig training;
  training.epochs = epochs;
  training.batch_size = 64;
  training.initial_lr = 3e-3;
  training.final_lr = 3e-4;
  training.validation_split = 0.2;
  training.seed = 11;
  training.threads = 1;
  return training;
}

inline NetworkConfig ToyNetwork() {
  NetworkConfig network;
  network.hidden = {32, 32};
  network.activation = Activation::kTanh;
  return network;
}

// x = (pt, dphi, eta): the independent observables of the toy.
inline Eigen::RowVector3d ToyObservables(
    const generators::ToyObservation& observation) {
  return {observation.pt, observation.dphi, observation.eta};
}

inline generators::ToyObservation ToyObservationOf(const Eigen::MatrixXd& x,
                                                   Eigen::Index row) {
  generators::ToyObservation observation;
  observation.pt = x(row, 0);
  observation.dphi = x(row, 1);
  observation.eta = x(row, 2);
  return observation;
}

// SALLY samples at the reference point θ_ref = SM (where the toy samples
// directly): x and the joint score t(x,z|0) of every parameter of `model`.
inline TrainingData ToyScoreSamples(const generators::ToyModel& model,
                                    int n,
                                    std::uint64_t seed) {
  RandomStream random(seed);
  const int p = model.num_parameters();
  const Eigen::VectorXd sm = Eigen::VectorXd::Zero(p);
  TrainingData data;
  data.x.resize(n, 3);
  data.t_xz.resize(n, p);
  for (int i = 0; i < n; ++i) {
    const generators::ToyEvent event = model.Sample(random);
    data.x.row(i) = ToyObservables(event.observation);
    data.t_xz.row(i) = model.JointScore(event.latent, sm).transpose();
  }
  data.parameter_names = model.parameters();
  data.observable_names = {"pt", "dphi", "eta"};
  return data;
}

// Exact t(x|θ) at every row of x: n × P.
inline Eigen::MatrixXd ToyExactScore(const generators::ToyModel& model,
                                     const Eigen::MatrixXd& x,
                                     const Eigen::VectorXd& theta) {
  Eigen::MatrixXd score(x.rows(), model.num_parameters());
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    score.row(i) = model.Score(ToyObservationOf(x, i), theta).transpose();
  return score;
}

// The one-parameter toy in c2, whose squared-amplitude ratio is bounded in
// z: R(z; c2) = (1 + 0.8 c2 cos φ)² + 0.3 c2² (1 + sin² φ)
//             ≤ (1 + 0.8 |c2|)² + 0.6 c2²,
// so events at any c2 follow exactly from SM events by rejection (accept
// with probability R/R_max). Its likelihood ratio depends on dphi only; pt
// and eta are inputs without information the networks must learn to ignore.
inline generators::ToyModel RatioToyModel() {
  return generators::ToyModel({"c2"});
}

// An event at θ (one-parameter c2 toy) by rejection from SM events.
inline generators::ToyEvent SampleToyAt(const generators::ToyModel& model,
                                        const Eigen::VectorXd& theta,
                                        RandomStream& random) {
  const double c2 = theta(0);
  const double r_max =
      (1.0 + 0.8 * std::abs(c2)) * (1.0 + 0.8 * std::abs(c2)) + 0.6 * c2 * c2;
  const Eigen::VectorXd sm = Eigen::VectorXd::Zero(1);
  // R(z;θ) = r(x,z|θ,0) σ(θ)/σ(0).
  const double sigma_ratio = model.CrossSection(theta) / model.CrossSection(sm);
  while (true) {
    generators::ToyEvent event = model.Sample(random);
    const double r =
        model.JointLikelihoodRatio(event.latent, theta, sm) * sigma_ratio;
    if (random.Uniform(0.0, 1.0) * r_max < r) return event;
  }
}

// Parameterized-ratio samples as MadMiner's SampleAugmenter.
// sample_train_ratio makes them for θ1 = SM: every row has its θ0 ~ U(−1, 1);
// even rows are drawn from θ0 (y = 0), odd rows from θ1 (y = 1); r_xz =
// r(x,z|θ0,θ1) and t_xz = t(x,z|θ0).
inline TrainingData ToyRatioSamples(const generators::ToyModel& model,
                                    int n,
                                    std::uint64_t seed) {
  RandomStream random(seed);
  const Eigen::VectorXd sm = Eigen::VectorXd::Zero(1);
  TrainingData data;
  data.x.resize(n, 3);
  data.theta0.resize(n, 1);
  data.y.resize(n, 1);
  data.r_xz.resize(n, 1);
  data.t_xz.resize(n, 1);
  for (int i = 0; i < n; ++i) {
    const Eigen::VectorXd theta0 =
        Eigen::VectorXd::Constant(1, random.Uniform(-1.0, 1.0));
    const bool numerator = i % 2 == 0;
    const generators::ToyEvent event =
        numerator ? SampleToyAt(model, theta0, random) : model.Sample(random);
    data.x.row(i) = ToyObservables(event.observation);
    data.theta0(i, 0) = theta0(0);
    data.y(i, 0) = numerator ? 0.0 : 1.0;
    data.r_xz(i, 0) = model.JointLikelihoodRatio(event.latent, theta0, sm);
    data.t_xz.row(i) = model.JointScore(event.latent, theta0).transpose();
  }
  data.parameter_names = model.parameters();
  data.observable_names = {"pt", "dphi", "eta"};
  return data;
}

// Exact log r(x|θ0 of the row, SM) for every row of samples.
inline Eigen::VectorXd ToyExactLogRatio(const generators::ToyModel& model,
                                        const TrainingData& samples) {
  const Eigen::VectorXd sm = Eigen::VectorXd::Zero(1);
  Eigen::VectorXd log_r(samples.x.rows());
  for (Eigen::Index i = 0; i < samples.x.rows(); ++i) {
    log_r(i) = model.LogLikelihoodRatio(
        ToyObservationOf(samples.x, i), samples.theta0.row(i).transpose(), sm);
  }
  return log_r;
}

// Mean squared error of log r̂ against the exact log r on `test`.
inline double LogRatioMse(const RatioEstimator& estimator,
                          const TrainingData& test,
                          const Eigen::VectorXd& exact_log_r) {
  const Eigen::VectorXd log_r =
      estimator.LogLikelihoodRatioEnsemble(test.x, test.theta0, {}).mean.col(0);
  return (log_r - exact_log_r).squaredNorm() /
         static_cast<double>(test.x.rows());
}

inline double Variance(const Eigen::VectorXd& v) {
  return (v.array() - v.mean()).square().sum() / static_cast<double>(v.size());
}

}  // namespace goldmine::estimators::toy
