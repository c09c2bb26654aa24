// Networks, forward passes and losses. The training loop, persistence and the
// public classes are in estimator.cc.
#include <ATen/CPUGeneratorImpl.h>
#include <torch/autograd.h>

#include <cmath>

#include "goldmine/core/errors.h"
#include "goldmine/estimators/losses.h"
#include "model.h"

namespace goldmine::estimators::internal {

Mlp::Mlp(int num_inputs,
         int num_outputs,
         const NetworkConfig& config,
         int num_constants)
    : activation_(config.activation), dropout_(config.dropout) {
  int width = num_inputs;
  std::vector<int> widths = config.hidden;
  widths.push_back(num_outputs);
  for (std::size_t i = 0; i < widths.size(); ++i) {
    layers_.push_back(register_module("layer" + std::to_string(i),
                                      torch::nn::Linear(width, widths[i])));
    width = widths[i];
  }
  if (num_constants > 0) {
    constants_ = register_parameter("log_sigma", torch::zeros({num_constants}));
  }
}

torch::Tensor Mlp::Forward(torch::Tensor input,
                           at::Generator* dropout_generator) const {
  torch::Tensor h = std::move(input);
  for (std::size_t i = 0; i + 1 < layers_.size(); ++i) {
    h = layers_[i].ptr()->forward(h);
    switch (activation_) {
      case Activation::kTanh:
        h = torch::tanh(h);
        break;
      case Activation::kRelu:
        h = torch::relu(h);
        break;
      case Activation::kSigmoid:
        h = torch::sigmoid(h);
        break;
      case Activation::kSoftplus:
        h = torch::softplus(h);
        break;
    }
    if (dropout_ > 0.0 && dropout_generator != nullptr) {
      const torch::Tensor mask =
          torch::empty_like(h).bernoulli_(1.0 - dropout_, *dropout_generator);
      h = h * mask / (1.0 - dropout_);
    }
  }
  return layers_.back().ptr()->forward(h);
}

void Mlp::Initialize(RandomStream* random) {
  torch::NoGradGuard no_grad;
  for (auto& layer : layers_) {
    const double bound =
        1.0 / std::sqrt(static_cast<double>(layer->weight.size(1)));
    for (torch::Tensor* tensor : {&layer->weight, &layer->bias}) {
      std::vector<double> values(static_cast<std::size_t>(tensor->numel()));
      for (double& value : values) value = random->Uniform(-bound, bound);
      tensor->copy_(torch::tensor(values, torch::kFloat64)
                        .reshape(tensor->sizes())
                        .to(tensor->dtype()));
    }
  }
}

namespace {

// Cross-entropy of ŝ = 1/(1 + r̂) = sigmoid(−log r̂) against a target s in
// [0, 1], in log space: −log ŝ = softplus(log r̂), −log(1 − ŝ) =
// softplus(−log r̂). Finite for every log r̂ (torch's BCELoss clamps the
// logarithms at −100 instead).
torch::Tensor CrossEntropy(const torch::Tensor& log_r,
                           const torch::Tensor& target) {
  return (target * torch::softplus(log_r) +
          (1.0 - target) * torch::softplus(-log_r))
      .mean();
}

constexpr double kLogRatioClip = 10.0;

// ROLR: MSE((1−y)/r̂, (1−y)/r) + MSE(y r̂, y r), MadMiner's clamps.
torch::Tensor RatioMse(const Predictions& p, const Targets& t) {
  const torch::Tensor log_r = p.log_r.clamp(-kLogRatioClip, kLogRatioClip);
  const torch::Tensor r =
      t.r_xz.clamp(std::exp(-kLogRatioClip), std::exp(kLogRatioClip));
  const torch::Tensor numerator =
      ((1.0 - t.y) * (torch::exp(-log_r) - 1.0 / r)).pow(2).mean();
  const torch::Tensor denominator =
      (t.y * (torch::exp(log_r) - r)).pow(2).mean();
  return numerator + denominator;
}

// MadMiner's ratio_score_mse: MSE((1−y) t̂0, (1−y) t0) for samples drawn
// from θ0, plus, for double-parameterized networks, MSE(y t̂1, y t1) for
// samples drawn from θ1, whose joint score t(x,z|θ1) is known too. Each MSE
// averages over events and components, like torch's MSELoss.
//
// t̂1 is the network's score at θ1, −∇_θ1 log r̂. MadMiner compares
// +∇_θ1 log r̂ with t(x,z|θ1) instead, which pulls the θ1 dependence of
// log r̂ the wrong way; the loss values for given t̂1 are the same.
torch::Tensor ScoreMse(const Predictions& p, const Targets& t) {
  torch::Tensor mse =
      ((1.0 - t.y).unsqueeze(1) * (p.t_hat - t.t_xz)).pow(2).mean();
  if (t.t_xz1.defined()) {
    mse = mse + (t.y.unsqueeze(1) * (p.t_hat1 - t.t_xz1)).pow(2).mean();
  }
  return mse;
}

}  // namespace

torch::Tensor Loss(Method method,
                   double alpha,
                   const Predictions& p,
                   const Targets& t) {
  switch (method) {
    case Method::kSally:
    case Method::kSallino:
      return (p.t_hat - t.t_xz).pow(2).mean();
    case Method::kCarl:
      return CrossEntropy(p.log_r, t.y);
    case Method::kRolr:
      return RatioMse(p, t);
    case Method::kAlice:
      return CrossEntropy(p.log_r, 1.0 / (1.0 + t.r_xz));
    case Method::kRascal:
      return RatioMse(p, t) + alpha * ScoreMse(p, t);
    case Method::kCascal:
      return CrossEntropy(p.log_r, t.y) + alpha * ScoreMse(p, t);
    case Method::kAlices:
      return CrossEntropy(p.log_r, 1.0 / (1.0 + t.r_xz)) +
             alpha * ScoreMse(p, t);
  }
  throw InternalError("unknown method");
}

torch::Tensor ToTensor(const Eigen::MatrixXd& matrix, torch::Dtype dtype) {
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>
      row_major = matrix;
  return torch::from_blob(row_major.data(),
                          {static_cast<std::int64_t>(matrix.rows()),
                           static_cast<std::int64_t>(matrix.cols())},
                          torch::kFloat64)
      .to(dtype)
      .clone();
}

Eigen::MatrixXd ToEigen(const torch::Tensor& tensor) {
  torch::Tensor t = tensor.detach().to(torch::kFloat64).contiguous();
  if (t.dim() == 1) t = t.unsqueeze(1);
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>
      row_major(t.size(0), t.size(1));
  std::copy(
      t.data_ptr<double>(), t.data_ptr<double>() + t.numel(), row_major.data());
  return row_major;
}

torch::Dtype Model::dtype() const {
  return network.double_precision ? torch::kFloat64 : torch::kFloat32;
}

int Model::num_inputs() const {
  if (is_score() || morphing_aware()) return num_observables();
  return num_observables() +
         (network.double_parameterized ? 2 : 1) * num_parameters();
}

std::shared_ptr<Mlp> Model::MakeNetwork() const {
  auto net = std::make_shared<Mlp>(
      num_inputs(),
      num_outputs(),
      network,
      morphing_aware() ? network.morphing.num_outputs() : 0);
  net->to(dtype());
  return net;
}

void Model::PrepareScaling() {
  const auto row = [&](const Eigen::VectorXd& v) {
    return ToTensor(v.transpose(), dtype());
  };
  x_mean_ = row(x_mean);
  x_std_ = row(x_std);
  if (theta_mean.size() > 0) {
    theta_mean_ = row(theta_mean);
    theta_std_ = row(theta_std);
  }
  if (morphing_aware()) {
    const MorphingStructure& morphing = network.morphing;
    Eigen::MatrixXd matrix(morphing.matrix.size(), morphing.num_benchmarks());
    for (std::size_t c = 0; c < morphing.matrix.size(); ++c) {
      for (int b = 0; b < morphing.num_benchmarks(); ++b) {
        matrix(static_cast<Eigen::Index>(c), b) =
            morphing.matrix[c][static_cast<std::size_t>(b)];
      }
    }
    morphing_matrix_ = ToTensor(matrix, dtype());
    std::vector<std::int64_t> rows, columns;
    std::vector<double> diagonal;
    const int size = num_parameters() + 1;
    for (int i = 0; i < size; ++i) {
      for (int j = 0; j <= i; ++j) {
        rows.push_back(i);
        columns.push_back(j);
        diagonal.push_back(i == j ? 1.0 : 0.0);
      }
    }
    tril_rows_ = torch::tensor(rows, torch::kInt64);
    tril_columns_ = torch::tensor(columns, torch::kInt64);
    tril_diagonal_ = torch::tensor(diagonal, torch::kFloat64).to(dtype());
    if (!morphing.reference.empty()) {
      morphing_reference_ =
          row(Eigen::Map<const Eigen::VectorXd>(
                  morphing.reference.data(),
                  static_cast<Eigen::Index>(morphing.reference.size()))
                  .eval());
    }
  }
  if (is_score()) {
    t_scale_ = row(t_scale.size() > 0
                       ? t_scale
                       : Eigen::VectorXd::Ones(num_parameters()).eval());
  }
}

torch::Tensor Model::TrainingLoss(const Predictions& predictions,
                                  const Targets& targets) const {
  Predictions scaled = predictions;
  Targets scaled_targets = targets;
  if (is_score()) {
    scaled.t_hat = predictions.t_hat / t_scale_;
    scaled_targets.t_xz = targets.t_xz / t_scale_;
  } else if (predictions.t_hat.defined()) {
    // ∂/∂(θ/σ) = σ ∂/∂θ: the score term weighs every parameter alike
    // whatever its range, and α means what it means in MadMiner.
    scaled.t_hat = predictions.t_hat * theta_std_;
    scaled_targets.t_xz = targets.t_xz * theta_std_;
    if (targets.t_xz1.defined()) {
      scaled.t_hat1 = predictions.t_hat1 * theta_std_;
      scaled_targets.t_xz1 = targets.t_xz1 * theta_std_;
    }
  }
  return internal::Loss(method, settings.alpha, scaled, scaled_targets);
}

torch::Tensor Model::ScaleX(const torch::Tensor& x) const {
  return (x - x_mean_) / x_std_;
}

Predictions Model::Forward(const Mlp& net,
                           const torch::Tensor& x_scaled,
                           const torch::Tensor& theta0,
                           const torch::Tensor& theta1,
                           bool need_score,
                           bool create_graph,
                           at::Generator* dropout_generator) const {
  Predictions p;
  if (is_score()) {
    p.t_hat = net.Forward(x_scaled, dropout_generator) * t_scale_;
    return p;
  }
  const bool need_score1 = need_score && network.double_parameterized;
  torch::Tensor theta0_leaf = theta0;
  torch::Tensor theta1_leaf = theta1;
  if (need_score) theta0_leaf = theta0.detach().requires_grad_(true);
  if (need_score1) theta1_leaf = theta1.detach().requires_grad_(true);
  p.log_r =
      morphing_aware()
          ? MorphingAwareLogRatio(
                net, x_scaled, theta0_leaf, theta1_leaf, dropout_generator)
          : InputLogRatio(
                net, x_scaled, theta0_leaf, theta1_leaf, dropout_generator);
  if (need_score1) {
    const auto gradients = torch::autograd::grad({p.log_r},
                                                 {theta0_leaf, theta1_leaf},
                                                 {torch::ones_like(p.log_r)},
                                                 /*retain_graph=*/true,
                                                 create_graph);
    p.t_hat = gradients[0];
    p.t_hat1 = -gradients[1];
  } else if (need_score) {
    p.t_hat = torch::autograd::grad({p.log_r},
                                    {theta0_leaf},
                                    {torch::ones_like(p.log_r)},
                                    /*retain_graph=*/true,
                                    create_graph)[0];
  }
  return p;
}

namespace {

// Morphing-aware outputs are log h_b(x) and log s_b; the clip keeps exp()
// finite in float32 for an untrained or diverging network (MadMiner clips
// at 5, which caps benchmark ratios at e^5 ≈ 150: too tight for EFT tails).
constexpr double kLogComponentClip = 20.0;

// log Σ_b w_b v_b for weights n × B and values n × B (or B). The morphing
// weights have both signs, so a badly trained network can make the sum
// negative away from the training θ; it is floored at 1e-12 of Σ |w_b| v_b,
// which the loss then pushes away from, instead of giving NaN.
torch::Tensor LogMorphedSum(const torch::Tensor& weights,
                            const torch::Tensor& values) {
  const torch::Tensor sum = (weights * values).sum(1);
  const torch::Tensor floor = 1e-12 * (weights.abs() * values).sum(1);
  return torch::log(torch::maximum(sum, floor));
}

}  // namespace

torch::Tensor Model::ScaleTheta(const torch::Tensor& theta) const {
  return (theta - theta_mean_) / theta_std_;
}

torch::Tensor Model::InputLogRatio(const Mlp& net,
                                   const torch::Tensor& x_scaled,
                                   const torch::Tensor& theta0,
                                   const torch::Tensor& theta1,
                                   at::Generator* dropout_generator) const {
  const torch::Tensor theta0_scaled = ScaleTheta(theta0);
  if (!network.double_parameterized) {
    return net
        .Forward(torch::cat({theta0_scaled, x_scaled}, 1), dropout_generator)
        .squeeze(1);
  }
  const torch::Tensor theta1_scaled = ScaleTheta(theta1);
  return net.Forward(torch::cat({theta0_scaled, theta1_scaled, x_scaled}, 1),
                     dropout_generator)
             .squeeze(1) -
         net.Forward(torch::cat({theta1_scaled, theta0_scaled, x_scaled}, 1),
                     dropout_generator)
             .squeeze(1);
}

torch::Tensor Model::MorphingWeights(const torch::Tensor& theta) const {
  const auto& components = network.morphing.components;
  std::vector<torch::Tensor> monomials;
  monomials.reserve(components.size());
  for (const std::vector<int>& powers : components) {
    // Products, not pow(): the gradient of θ^0 at θ = 0 stays 0.
    torch::Tensor monomial = torch::ones({theta.size(0)}, theta.options());
    for (std::size_t k = 0; k < powers.size(); ++k) {
      const torch::Tensor column =
          theta.select(1, static_cast<std::int64_t>(k));
      for (int power = 0; power < powers[k]; ++power)
        monomial = monomial * column;
    }
    monomials.push_back(monomial);
  }
  return torch::stack(monomials, 1).matmul(morphing_matrix_);
}

torch::Tensor Model::QuadraticFormVector(const torch::Tensor& theta) const {
  // θ scaled as for the plain networks: an affine map keeps the form
  // quadratic and the entries of L of order one.
  return torch::cat(
      {torch::ones({theta.size(0), 1}, theta.options()), ScaleTheta(theta)}, 1);
}

torch::Tensor Model::LogQuadraticForm(const torch::Tensor& entries,
                                      const torch::Tensor& v) const {
  // u = Lᵀ v: u_j = Σ_{i ≥ j} L_ij v_i.
  const torch::Tensor terms =
      (entries + tril_diagonal_) * v.index_select(1, tril_rows_);
  const torch::Tensor u =
      torch::zeros({terms.size(0), v.size(1)}, terms.options())
          .index_add(1, tril_columns_, terms);
  // vᵀ L Lᵀ v = |u|² ≥ 0; the floor only guards log(0).
  return torch::log(u.pow(2).sum(1) + 1e-30);
}

torch::Tensor Model::MorphingAwareLogRatio(
    const Mlp& net,
    const torch::Tensor& x_scaled,
    const torch::Tensor& theta0,
    const torch::Tensor& theta1,
    at::Generator* dropout_generator) const {
  const torch::Tensor reference =
      network.double_parameterized ? theta1 : morphing_reference_;
  if (network.morphing.uses_quadratic_form()) {
    const torch::Tensor entries = net.Forward(x_scaled, dropout_generator);
    const torch::Tensor constants = net.constants().unsqueeze(0);
    const torch::Tensor v0 = QuadraticFormVector(theta0);
    const torch::Tensor v1 = QuadraticFormVector(reference);
    return LogQuadraticForm(entries, v0) - LogQuadraticForm(entries, v1) -
           LogQuadraticForm(constants, v0) + LogQuadraticForm(constants, v1);
  }
  const torch::Tensor h =
      torch::exp(net.Forward(x_scaled, dropout_generator)
                     .clamp(-kLogComponentClip, kLogComponentClip));
  const torch::Tensor s =
      torch::exp(net.constants().clamp(-kLogComponentClip, kLogComponentClip));
  const torch::Tensor w0 = MorphingWeights(theta0);
  // 1 × B for the fixed reference, broadcast over the batch.
  const torch::Tensor w1 = MorphingWeights(reference);
  return LogMorphedSum(w0, h) - LogMorphedSum(w1, h) - LogMorphedSum(w0, s) +
         LogMorphedSum(w1, s);
}

}  // namespace goldmine::estimators::internal

namespace goldmine::estimators {

double EvaluateLoss(Method method, double alpha, const LossBatch& batch) {
  using internal::ToTensor;
  const auto vector = [](const Eigen::VectorXd& v) {
    return ToTensor(v, torch::kFloat64).squeeze(1);
  };
  internal::Predictions p;
  internal::Targets t;
  Eigen::Index n = 0;
  if (IsScoreMethod(method)) {
    GOLDMINE_REQUIRE(batch.t_hat.size() > 0 && batch.t_xz.size() > 0,
                     MethodName(method) + " loss needs t_hat and t_xz");
    n = batch.t_hat.rows();
  } else {
    GOLDMINE_REQUIRE(batch.log_r_hat.size() > 0 && batch.y.size() > 0,
                     MethodName(method) + " loss needs log_r_hat and y");
    n = batch.log_r_hat.size();
    p.log_r = vector(batch.log_r_hat);
    t.y = vector(batch.y);
    GOLDMINE_REQUIRE(batch.y.size() == n, "y has the wrong length");
    if (NeedsJointRatio(method)) {
      GOLDMINE_REQUIRE(batch.r_xz.size() == n,
                       MethodName(method) + " loss needs r_xz of length " +
                           std::to_string(n));
      t.r_xz = vector(batch.r_xz);
    }
  }
  if (NeedsJointScore(method)) {
    GOLDMINE_REQUIRE(batch.t_hat.rows() == n && batch.t_xz.rows() == n &&
                         batch.t_hat.cols() == batch.t_xz.cols() &&
                         batch.t_hat.cols() > 0,
                     MethodName(method) +
                         " loss needs t_hat and t_xz with equal shapes and " +
                         std::to_string(n) + " rows");
    const Eigen::Index parameters = batch.t_hat.cols();
    Eigen::RowVectorXd scale = Eigen::RowVectorXd::Ones(parameters);
    if (batch.theta_scale.size() > 0 && !IsScoreMethod(method)) {
      GOLDMINE_REQUIRE(batch.theta_scale.size() == parameters &&
                           (batch.theta_scale.array() > 0.0).all(),
                       "theta_scale needs " + std::to_string(parameters) +
                           " positive entries");
      scale = batch.theta_scale.transpose();
    }
    const auto scaled = [&](const Eigen::MatrixXd& m) {
      return ToTensor(m.array().rowwise() * scale.array(), torch::kFloat64);
    };
    p.t_hat = scaled(batch.t_hat);
    t.t_xz = scaled(batch.t_xz);
    if (batch.t_hat1.size() > 0 || batch.t_xz1.size() > 0) {
      GOLDMINE_REQUIRE(!IsScoreMethod(method) && batch.t_hat1.rows() == n &&
                           batch.t_xz1.rows() == n &&
                           batch.t_hat1.cols() == parameters &&
                           batch.t_xz1.cols() == parameters,
                       MethodName(method) +
                           " loss: t_hat1 and t_xz1 need the shape of t_hat");
      p.t_hat1 = scaled(batch.t_hat1);
      t.t_xz1 = scaled(batch.t_xz1);
    }
  }
  return internal::Loss(method, alpha, p, t).item<double>();
}

}  // namespace goldmine::estimators
