// Events files (MadMiner layout) of the analytic toy (generators/toy_model.h)
// for the limit tests and benchmarks, and the toy's exact score and
// likelihood ratio behind the core model interfaces:
//  - SampledToyFile: N events sampled at the SM, weights per benchmark
//    w_b = (σ_SM/N) R(z; θ_b) (exact morphing);
//  - QuadratureToyFile: the one-parameter c2 toy, whose density depends on
//    dphi only (toy_model.h): J midpoint nodes in dphi with weights
//    σ(θ_b) p(dphi_j|θ_b)/Σ_j p(dphi_j|θ_b), repeated `copies` times so
//    that each partition holds whole copies. p(dphi|θ) is a trigonometric
//    polynomial of degree 2, so the node sums are exact integrals of it
//    (and converge exponentially for smooth periodic integrands): the
//    Asimov data of such a file is the exact distribution.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/random.h"
#include "goldmine/core/score_model.h"
#include "goldmine/generators/toy_model.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/morphing/components.h"

namespace goldmine::inference::toy {

inline generators::ToyObservation Observation(const Eigen::MatrixXd& x,
                                              Eigen::Index row) {
  generators::ToyObservation observation;
  observation.pt = x(row, 0);
  observation.dphi = x(row, 1);
  observation.eta = x(row, 2);
  return observation;
}

// Setup with the model's parameters, a morphing basis and observables
// pt, dphi, eta.
inline mining::MadminerSetup ToySetup(const generators::ToyModel& model) {
  const int p = model.num_parameters();
  const morphing::Components components =
      morphing::Components::FromMaxPowers(std::vector<int>(p, 2), 2);
  mining::MadminerSetup setup;
  for (const std::string& name : model.parameters()) {
    mining::MadminerParameter parameter;
    parameter.name = name;
    parameter.lha_block = "toy";
    parameter.lha_id = static_cast<int>(setup.parameters.size()) + 1;
    parameter.range = {-1.0, 1.0};
    setup.parameters.push_back(parameter);
  }
  Eigen::MatrixXd basis(components.num_components(), p);
  if (p == 1) {
    basis << 0.0, 1.0, -1.0;
  } else {
    basis << 0.0, 0.0, 1.0, 0.0, -1.0, 0.0, 0.0, 1.0, 0.0, -1.0, 1.0, 1.0;
  }
  for (Eigen::Index b = 0; b < basis.rows(); ++b) {
    setup.benchmarks.names.push_back(b == 0 ? "sm" : "b" + std::to_string(b));
  }
  setup.benchmarks.values = basis;
  Eigen::MatrixXd a(basis.rows(), components.num_components());
  for (Eigen::Index b = 0; b < basis.rows(); ++b)
    a.row(b) = components.Evaluate(basis.row(b).transpose()).transpose();
  setup.morphing = mining::MadminerMorphing{components.powers(), a.inverse()};
  for (const char* name : {"pt", "dphi", "eta"})
    setup.observables.push_back({name, name});
  return setup;
}

inline void SampledToyFile(const std::filesystem::path& path,
                           const generators::ToyModel& model,
                           std::int64_t num_events,
                           std::uint64_t seed) {
  const mining::MadminerSetup setup = ToySetup(model);
  mining::MadminerEventsWriter writer(path, setup);
  RandomStream random(seed);
  const std::int64_t batch_size = 100000;
  for (std::int64_t done = 0; done < num_events;) {
    const std::int64_t n = std::min(batch_size, num_events - done);
    mining::MadminerEventBatch batch;
    batch.observations.resize(n, 3);
    batch.weights.resize(n, setup.num_benchmarks());
    batch.sampling_benchmarks.assign(static_cast<std::size_t>(n), 0);
    for (std::int64_t i = 0; i < n; ++i) {
      const generators::ToyEvent event = model.Sample(random);
      batch.observations.row(i) << event.observation.pt, event.observation.dphi,
          event.observation.eta;
      for (int b = 0; b < setup.num_benchmarks(); ++b) {
        batch.weights(i, b) = event.polynomial.Evaluate(
                                  setup.benchmarks.values.row(b).transpose()) /
                              static_cast<double>(num_events);
      }
    }
    writer.Append(batch);
    done += n;
  }
  writer.Finish();
}

// The dphi of node j of J (midpoint rule on (−π, π)).
inline double Node(int j, int num_nodes) {
  return -M_PI + (j + 0.5) * 2.0 * M_PI / num_nodes;
}

inline void QuadratureToyFile(const std::filesystem::path& path,
                              int num_nodes,
                              int copies) {
  const generators::ToyModel model({"c2"});
  const mining::MadminerSetup setup = ToySetup(model);
  const int num_benchmarks = setup.num_benchmarks();
  const double pt = 50.0;  // p(x|c2) ∝ M_0(pt) g(dphi; c2): pt is irrelevant
  Eigen::MatrixXd weights(num_nodes, num_benchmarks);
  for (int b = 0; b < num_benchmarks; ++b) {
    const Eigen::VectorXd theta = setup.benchmarks.values.row(b).transpose();
    for (int j = 0; j < num_nodes; ++j)
      weights(j, b) = model.MarginalDensity(pt, Node(j, num_nodes), theta);
    weights.col(b) *= model.CrossSection(theta) / weights.col(b).sum() /
                      static_cast<double>(copies);
  }
  mining::MadminerEventBatch batch;
  batch.observations.resize(num_nodes, 3);
  for (int j = 0; j < num_nodes; ++j)
    batch.observations.row(j) << pt, Node(j, num_nodes), 0.0;
  batch.weights = weights;
  batch.sampling_benchmarks.assign(static_cast<std::size_t>(num_nodes), 0);
  mining::MadminerEventsWriter writer(path, setup);
  for (int copy = 0; copy < copies; ++copy) writer.Append(batch);
  writer.Finish();
}

// Exact log r(x|θ, 0) of the toy.
class ExactRatio : public core::LikelihoodRatioModel {
 public:
  explicit ExactRatio(generators::ToyModel model) : model_(std::move(model)) {}
  using core::LikelihoodRatioModel::LogLikelihoodRatio;
  Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x, const Eigen::VectorXd& theta0) const override {
    const Eigen::VectorXd sm = Eigen::VectorXd::Zero(theta0.size());
    Eigen::VectorXd log_r(x.rows());
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      log_r(i) = model_.LogLikelihoodRatio(Observation(x, i), theta0, sm);
    return log_r;
  }
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x,
                        const Eigen::VectorXd& theta0) const override {
    Eigen::MatrixXd score(x.rows(), model_.num_parameters());
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      score.row(i) = model_.Score(Observation(x, i), theta0).transpose();
    return score;
  }
  std::vector<std::string> parameter_names() const override {
    return model_.parameters();
  }
  std::vector<std::string> observable_names() const override {
    return {"pt", "dphi", "eta"};
  }

 private:
  generators::ToyModel model_;
};

// Exact t(x|θ_ref) of the toy (θ_ref = SM by default).
class ExactScore : public core::ScoreModel {
 public:
  explicit ExactScore(generators::ToyModel model,
                      Eigen::VectorXd theta_ref = {})
      : model_(std::move(model)),
        theta_ref_(theta_ref.size() == 0
                       ? Eigen::VectorXd::Zero(model_.num_parameters())
                       : theta_ref) {}
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x) const override {
    Eigen::MatrixXd score(x.rows(), model_.num_parameters());
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      score.row(i) = model_.Score(Observation(x, i), theta_ref_).transpose();
    return score;
  }
  std::vector<std::string> parameter_names() const override {
    return model_.parameters();
  }
  std::vector<std::string> observable_names() const override {
    return {"pt", "dphi", "eta"};
  }

 private:
  generators::ToyModel model_;
  Eigen::VectorXd theta_ref_;
};

}  // namespace goldmine::inference::toy
