// TrainRegression (regression.h): the LibTorch side of the regression
// networks. Everything else about them is torch-free
// (regression_network.cc, onnx_regression_export.cc).
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/estimators/regression.h"
#include "model.h"

namespace goldmine::estimators {
namespace {

using internal::Mlp;
using internal::ToEigen;
using internal::ToTensor;

// Mean and standard deviation of each column; a constant column gets
// std 1, so that it passes through standardisation unchanged.
std::pair<Eigen::VectorXd, Eigen::VectorXd> ColumnScales(
    const Eigen::MatrixXd& values) {
  const Eigen::VectorXd mean = values.colwise().mean().transpose();
  Eigen::VectorXd std =
      ((values.rowwise() - mean.transpose()).array().square().colwise().sum() /
       static_cast<double>(std::max<Eigen::Index>(values.rows() - 1, 1)))
          .sqrt()
          .matrix()
          .transpose();
  for (Eigen::Index i = 0; i < std.size(); ++i) {
    if (!(std(i) > 1e-12 * std::max(1.0, std::abs(mean(i))))) std(i) = 1.0;
  }
  return {mean, std};
}

Eigen::MatrixXd Standardised(const Eigen::MatrixXd& values,
                             const Eigen::VectorXd& mean,
                             const Eigen::VectorXd& std) {
  return ((values.rowwise() - mean.transpose()).array().rowwise() /
          std.transpose().array())
      .matrix();
}

// Warm-up from 0 to the peak, then cosine decay to final_lr_fraction × peak.
double LearningRate(const RegressionConfig& config, int epoch) {
  const int warmup = static_cast<int>(
      std::ceil(config.warmup_fraction * static_cast<double>(config.epochs)));
  if (epoch < warmup) {
    return config.learning_rate * static_cast<double>(epoch + 1) /
           static_cast<double>(warmup);
  }
  const double progress =
      static_cast<double>(epoch - warmup) /
      static_cast<double>(std::max(config.epochs - warmup - 1, 1));
  const double floor = config.final_lr_fraction;
  return config.learning_rate *
         (floor + (1.0 - floor) * 0.5 * (1.0 + std::cos(M_PI * progress)));
}

}  // namespace

RegressionResult TrainRegression(const Eigen::MatrixXd& x,
                                 const Eigen::MatrixXd& y,
                                 const RegressionConfig& config,
                                 const Eigen::VectorXd& weights) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const std::string problems = config.Validate();
  if (!problems.empty()) throw InvalidInput("regression: " + problems);
  if (x.rows() != y.rows() || x.cols() < 1 || y.cols() < 1) {
    throw InvalidInput("regression: inputs and targets need the same rows");
  }
  if (!x.allFinite() || !y.allFinite()) {
    throw InvalidInput("regression: inputs and targets must be finite");
  }
  if (weights.size() != 0 &&
      (weights.size() != x.rows() || !weights.allFinite() ||
       !(weights.array() > 0).all())) {
    throw InvalidInput("regression: expected one weight > 0 per row");
  }
  const auto n = static_cast<std::int64_t>(x.rows());
  const auto n_validation = static_cast<std::int64_t>(
      std::floor(config.validation_fraction * static_cast<double>(n)));
  if (n_validation < 1 || n - n_validation < 2) {
    throw InvalidInput("regression: " + std::to_string(n) +
                       " points leave an empty training or validation set");
  }
  if (at::get_num_threads() != config.threads) {
    at::set_num_threads(config.threads);
  }

  RandomStream random(config.seed);
  std::vector<std::int64_t> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), std::int64_t{0});
  for (std::size_t i = rows.size(); i > 1; --i) {
    std::swap(rows[i - 1], rows[random.Index(i)]);
  }
  std::vector<std::int64_t> validation_rows(rows.begin(),
                                            rows.begin() + n_validation);
  std::vector<std::int64_t> training_rows(rows.begin() + n_validation,
                                          rows.end());
  std::sort(validation_rows.begin(), validation_rows.end());
  std::sort(training_rows.begin(), training_rows.end());
  const auto select = [](const Eigen::MatrixXd& m,
                         const std::vector<std::int64_t>& r) {
    Eigen::MatrixXd out(static_cast<Eigen::Index>(r.size()), m.cols());
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.row(static_cast<Eigen::Index>(i)) = m.row(r[i]);
    }
    return out;
  };
  const Eigen::MatrixXd x_train = select(x, training_rows);
  const Eigen::MatrixXd y_train = select(y, training_rows);
  // Standardisations from the training rows only.
  const auto [x_mean, x_std] = ColumnScales(x_train);
  const auto [y_mean, y_std] = ColumnScales(y_train);
  const torch::Tensor xt =
      ToTensor(Standardised(x_train, x_mean, x_std), torch::kFloat32);
  const torch::Tensor yt =
      ToTensor(Standardised(y_train, y_mean, y_std), torch::kFloat32);
  const torch::Tensor xv = ToTensor(
      Standardised(select(x, validation_rows), x_mean, x_std), torch::kFloat32);
  const torch::Tensor yv = ToTensor(
      Standardised(select(y, validation_rows), y_mean, y_std), torch::kFloat32);
  Eigen::MatrixXd row_weights = weights.size() == 0
                                    ? Eigen::MatrixXd(Eigen::VectorXd::Ones(n))
                                    : Eigen::MatrixXd(weights / weights.mean());
  const torch::Tensor wt =
      ToTensor(select(row_weights, training_rows), torch::kFloat32);
  const torch::Tensor wv =
      ToTensor(select(row_weights, validation_rows), torch::kFloat32);
  // Σ_rows w (ŷ − y)² averaged over rows and columns.
  const auto loss_of = [](const torch::Tensor& prediction,
                          const torch::Tensor& target,
                          const torch::Tensor& weight) {
    return ((prediction - target).pow(2) * weight).mean();
  };

  NetworkConfig network_config;
  network_config.hidden = config.hidden;
  network_config.activation = config.activation;
  network_config.dropout = 0.0;
  Mlp net(
      static_cast<int>(x.cols()), static_cast<int>(y.cols()), network_config);
  net.Initialize(&random);
  torch::optim::Adam optimizer(net.parameters(),
                               torch::optim::AdamOptions(config.learning_rate));

  RegressionResult result;
  result.num_training = static_cast<int>(training_rows.size());
  result.num_validation = static_cast<int>(validation_rows.size());
  double best = std::numeric_limits<double>::infinity();
  std::vector<torch::Tensor> best_weights;
  std::vector<std::int64_t> order(training_rows.size());
  std::iota(order.begin(), order.end(), std::int64_t{0});
  for (int epoch = 0; epoch < config.epochs; ++epoch) {
    const double lr = LearningRate(config, epoch);
    for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
    for (std::size_t i = order.size(); i > 1; --i) {
      std::swap(order[i - 1], order[random.Index(i)]);
    }
    const torch::Tensor permutation = torch::tensor(order, torch::kInt64);
    double sum = 0.0;
    for (std::int64_t first = 0; first < xt.size(0);
         first += config.batch_size) {
      const std::int64_t last =
          std::min<std::int64_t>(xt.size(0), first + config.batch_size);
      const torch::Tensor index = permutation.slice(0, first, last);
      const torch::Tensor loss =
          loss_of(net.Forward(xt.index_select(0, index), nullptr),
                  yt.index_select(0, index),
                  wt.index_select(0, index));
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      sum += loss.item<double>() * static_cast<double>(last - first);
    }
    const double training_loss = sum / static_cast<double>(xt.size(0));
    double validation_loss;
    {
      torch::NoGradGuard no_grad;
      validation_loss =
          loss_of(net.Forward(xv, nullptr), yv, wv).item<double>();
    }
    if (!std::isfinite(training_loss) || !std::isfinite(validation_loss)) {
      throw Error("regression training, epoch " + std::to_string(epoch + 1) +
                  ": the loss is not finite; lower the learning rate");
    }
    result.training_loss.push_back(training_loss);
    result.validation_loss.push_back(validation_loss);
    const bool improved = validation_loss < best;
    if (improved) {
      best = validation_loss;
      result.best_epoch = epoch;
      best_weights.clear();
      for (const auto& w : net.parameters()) {
        best_weights.push_back(w.detach().clone());
      }
    }
    if (config.progress) {
      RegressionConfig::Progress progress;
      progress.epoch = epoch;
      progress.num_epochs = config.epochs;
      progress.training_loss = training_loss;
      progress.validation_loss = validation_loss;
      progress.learning_rate = lr;
      progress.improved = improved;
      config.progress(progress);
    }
    if (config.early_stopping_patience > 0 &&
        epoch - result.best_epoch >= config.early_stopping_patience) {
      result.stopped_early = true;
      break;
    }
  }
  {
    torch::NoGradGuard no_grad;
    auto parameters = net.parameters();
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      parameters[i].copy_(best_weights[i]);
    }
  }
  std::vector<RegressionNetwork::Layer> layers;
  for (const auto& layer : net.layers()) {
    layers.push_back({ToEigen(layer->weight), ToEigen(layer->bias)});
  }
  result.network = RegressionNetwork(
      config.activation, std::move(layers), x_mean, x_std, y_mean, y_std);
  const Eigen::MatrixXd residual =
      result.network.Evaluate(select(x, validation_rows)) -
      select(y, validation_rows);
  result.validation_rmse =
      (residual.array().square().colwise().mean().sqrt()).matrix().transpose();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace goldmine::estimators
