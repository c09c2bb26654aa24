// Torch side of the estimators (private; included only by estimators/src/*.cc).
// An internal::Model is an ensemble of MLPs with the input standardisation
// and names they were trained with.
#pragma once

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "goldmine/core/random.h"
#include "goldmine/estimators/config.h"

namespace goldmine::estimators::internal {

// Fully connected network: Linear → activation → dropout for every hidden
// layer, then a linear output layer. `num_constants` free parameters
// ("log_sigma", initially 0) are trained with the weights: the log s_b of a
// morphing-aware network.
class Mlp : public torch::nn::Module {
 public:
  Mlp(int num_inputs,
      int num_outputs,
      const NetworkConfig& config,
      int num_constants = 0);
  // `dropout_generator` may be null (then no dropout, as in eval mode).
  torch::Tensor Forward(torch::Tensor input,
                        at::Generator* dropout_generator) const;
  // PyTorch's default Linear initialisation, U(−1/√fan_in, 1/√fan_in) for
  // weights and biases, drawn from `random` so that a seed fixes it.
  void Initialize(RandomStream* random);
  // The free parameters (undefined when there are none).
  const torch::Tensor& constants() const { return constants_; }
  // Hidden layers, then the output layer.
  const std::vector<torch::nn::Linear>& layers() const { return layers_; }

 private:
  std::vector<torch::nn::Linear> layers_;
  torch::Tensor constants_;
  Activation activation_;
  double dropout_;
};

// What a network predicts on a batch: log r̂ (n) for ratio networks, and t̂
// (n × P): the score network output or ∇_θ0 log r̂. Double-parameterized
// networks also give t̂1 = −∇_θ1 log r̂, their estimate of the score at θ1
// (log r = log p(x|θ0) − log p(x|θ1)).
struct Predictions {
  torch::Tensor log_r;
  torch::Tensor t_hat;
  torch::Tensor t_hat1;
};
struct Targets {
  torch::Tensor y;      // n
  torch::Tensor r_xz;   // n
  torch::Tensor t_xz;   // n × P
  torch::Tensor t_xz1;  // n × P, double-parameterized: score at θ1
};

// The losses of config.h (documented in losses.h), as a scalar tensor.
// Scores enter in the units they are given in; Model::TrainingLoss passes
// them in the units of the scaled parameters. The θ1 score term is added
// when targets.t_xz1 is defined.
torch::Tensor Loss(Method method,
                   double alpha,
                   const Predictions& predictions,
                   const Targets& targets);

// Row-major copy of an Eigen matrix into a tensor of `dtype`.
torch::Tensor ToTensor(const Eigen::MatrixXd& matrix, torch::Dtype dtype);
Eigen::MatrixXd ToEigen(const torch::Tensor& tensor);

struct Member {
  std::shared_ptr<Mlp> net;
  TrainingHistory history;
};

class Model {
 public:
  Method method = Method::kSally;
  NetworkConfig network;
  TrainingConfig settings;  // progress callback cleared
  std::vector<std::string> parameter_names;
  std::vector<std::string> observable_names;
  // Standardisation (identity when disabled): x_s = (x − mean) / std.
  Eigen::VectorXd x_mean, x_std, theta_mean, theta_std;
  // Score models: the network predicts t̂_k / t_scale_k (ones when
  // disabled); Forward returns t̂ in physical units.
  Eigen::VectorXd t_scale;
  std::vector<Member> members;

  int num_parameters() const {
    return static_cast<int>(parameter_names.size());
  }
  int num_observables() const {
    return static_cast<int>(observable_names.size());
  }
  bool is_score() const { return IsScoreMethod(method); }
  torch::Dtype dtype() const;
  int num_inputs() const;
  bool morphing_aware() const { return network.morphing.enabled(); }
  int num_outputs() const {
    if (is_score()) return num_parameters();
    return morphing_aware() ? network.morphing.num_outputs() : 1;
  }
  std::shared_ptr<Mlp> MakeNetwork() const;
  // Caches the scaling and morphing tensors; call after they change.
  void PrepareScaling();
  torch::Tensor ScaleX(const torch::Tensor& x) const;
  // The training loss: for score models the mean squared error of
  // t̂_k / t_scale_k, so that every component weighs alike; for ratio
  // models the score term is in the units of the scaled parameters,
  // t_k · theta_std_k, as MadMiner's _transform_score makes it.
  torch::Tensor TrainingLoss(const Predictions& predictions,
                             const Targets& targets) const;

  // One network's predictions. x_scaled: n × O (already standardised);
  // morphing-aware networks give log r̂ of config.h's MorphingStructure;
  // theta0, theta1: n × P in physical units (theta1 only for
  // double-parameterized networks). With `need_score`, t̂ = ∇_θ0 log r̂ (and
  // for double-parameterized networks t̂1 = −∇_θ1 log r̂) is computed by
  // autograd, keeping the graph when `create_graph`.
  Predictions Forward(const Mlp& net,
                      const torch::Tensor& x_scaled,
                      const torch::Tensor& theta0,
                      const torch::Tensor& theta1,
                      bool need_score,
                      bool create_graph,
                      at::Generator* dropout_generator) const;

 private:
  // (θ − mean) / std with the training scaling.
  torch::Tensor ScaleTheta(const torch::Tensor& theta) const;
  // log r̂ of a network that takes θ0 (and θ1) as inputs.
  torch::Tensor InputLogRatio(const Mlp& net,
                              const torch::Tensor& x_scaled,
                              const torch::Tensor& theta0,
                              const torch::Tensor& theta1,
                              at::Generator* dropout_generator) const;
  // log r̂ of a morphing-aware network (config.h).
  torch::Tensor MorphingAwareLogRatio(const Mlp& net,
                                      const torch::Tensor& x_scaled,
                                      const torch::Tensor& theta0,
                                      const torch::Tensor& theta1,
                                      at::Generator* dropout_generator) const;
  // w_b(θ) for every row of theta (n × P): n × B.
  torch::Tensor MorphingWeights(const torch::Tensor& theta) const;
  // v = (1, θ_scaled) for every row of theta (n × P or 1 × P, physical).
  torch::Tensor QuadraticFormVector(const torch::Tensor& theta) const;
  // log vᵀ L Lᵀ v for the lower-triangular entries of L (n × K or 1 × K,
  // row-major order) and v from QuadraticFormVector.
  torch::Tensor LogQuadraticForm(const torch::Tensor& entries,
                                 const torch::Tensor& v) const;

  torch::Tensor x_mean_, x_std_, theta_mean_, theta_std_, t_scale_;
  torch::Tensor morphing_matrix_, morphing_reference_;
  // Quadratic form: row and column of every entry of L, and 1 on its
  // diagonal entries (so that L starts near the identity).
  torch::Tensor tril_rows_, tril_columns_, tril_diagonal_;
};

}  // namespace goldmine::estimators::internal
