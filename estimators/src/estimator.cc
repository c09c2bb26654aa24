// Training, evaluation and persistence of the estimators (estimator.h).
#include "goldmine/estimators/estimator.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/types.h>
// clip_grad.h needs torch/types.h first.
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/strict_json.h"
#include "goldmine/core/version.h"
#include "goldmine/estimators/model_evaluation.h"
#include "model.h"
#include "plain_model.h"

namespace goldmine::estimators {
namespace {

using internal::Member;
using internal::Mlp;
using internal::Model;
using internal::Predictions;
using internal::Targets;
using internal::ToEigen;
using internal::ToTensor;
using Json = nlohmann::ordered_json;

constexpr int kFormatVersion = 1;
constexpr const char* kFormatName = "goldmine-estimator";
// Rows per forward pass when evaluating (model_evaluation.h).
constexpr std::int64_t kEvaluationChunk = kEvaluationBatchRows;

// ---------------------------------------------------------------- data checks

std::string Shape(const Eigen::MatrixXd& m) {
  return std::to_string(m.rows()) + "x" + std::to_string(m.cols());
}

void RequireFinite(const Eigen::MatrixXd& m,
                   const std::string& what,
                   const std::string& name) {
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
      if (!std::isfinite(m(r, c))) {
        std::ostringstream text;
        text << what << ": " << name << " row " << r << " column " << c
             << " is " << m(r, c)
             << "; remove or fix non-finite samples before training";
        throw InvalidInput(text.str());
      }
    }
  }
}

void RequireDataset(const Eigen::MatrixXd& m,
                    Eigen::Index rows,
                    Eigen::Index cols,
                    const std::string& what,
                    const std::string& name,
                    Method method) {
  if (m.size() == 0) {
    throw InvalidInput(what + ": no " + name + "; method " +
                       MethodName(method) + " needs it");
  }
  if (m.rows() != rows || (cols >= 0 && m.cols() < cols)) {
    throw InvalidInput(what + ": " + name + " has shape " + Shape(m) +
                       ", expected " + std::to_string(rows) + " rows" +
                       (cols >= 0 ? " and " + std::to_string(cols) + " columns"
                                  : std::string()));
  }
  RequireFinite(m, what, name);
}

// Checks `data` for `method` and returns P (parameters the network sees).
int CheckData(const TrainingData& data,
              Method method,
              const NetworkConfig& network,
              const std::string& what) {
  const Eigen::Index n = data.x.rows();
  if (n == 0 || data.x.cols() == 0) {
    throw InvalidInput(what + ": x is empty (shape " + Shape(data.x) + ")");
  }
  RequireFinite(data.x, what, "x");
  int p = 0;
  if (IsScoreMethod(method)) {
    RequireDataset(data.t_xz, n, -1, what, "t_xz", method);
    p = static_cast<int>(data.t_xz.cols());
  } else {
    RequireDataset(data.theta0, n, -1, what, "theta0", method);
    p = static_cast<int>(data.theta0.cols());
    if (network.double_parameterized) {
      RequireDataset(data.theta1, n, p, what, "theta1", method);
    }
    RequireDataset(data.y, n, 1, what, "y", method);
    for (Eigen::Index r = 0; r < n; ++r) {
      if (data.y(r, 0) != 0.0 && data.y(r, 0) != 1.0) {
        throw InvalidInput(what + ": y row " + std::to_string(r) + " is " +
                           std::to_string(data.y(r, 0)) +
                           "; labels must be 0 or 1");
      }
    }
    if (NeedsJointRatio(method)) {
      RequireDataset(data.r_xz, n, 1, what, "r_xz", method);
      if ((data.r_xz.col(0).array() < 0.0).any()) {
        throw InvalidInput(what + ": r_xz has negative entries");
      }
    }
    if (NeedsJointScore(method)) {
      RequireDataset(data.t_xz, n, p, what, "t_xz", method);
      if (network.double_parameterized) {
        RequireDataset(data.t_xz1, n, p, what, "t_xz1", method);
      }
    }
  }
  return p;
}

std::vector<std::string> NamesOrDefault(const std::vector<std::string>& names,
                                        int count,
                                        const std::string& stem,
                                        const std::string& what) {
  if (names.empty()) {
    std::vector<std::string> made;
    for (int i = 0; i < count; ++i) made.push_back(stem + std::to_string(i));
    return made;
  }
  if (static_cast<int>(names.size()) < count) {
    throw InvalidInput(what + ": " + std::to_string(names.size()) + " " + stem +
                       " names for " + std::to_string(count) + " columns");
  }
  return {names.begin(), names.begin() + count};
}

void Standardise(const Eigen::MatrixXd& m,
                 bool enabled,
                 Eigen::VectorXd* mean,
                 Eigen::VectorXd* std) {
  *mean = Eigen::VectorXd::Zero(m.cols());
  *std = Eigen::VectorXd::Ones(m.cols());
  if (!enabled) return;
  *mean = m.colwise().mean().transpose();
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    const double sd = std::sqrt((m.col(c).array() - (*mean)(c)).square().sum() /
                                static_cast<double>(m.rows()));
    // A constant column (a fixed θ, say) is centred but not scaled.
    (*std)(c) = sd > 1e-6 ? sd : 1.0;
  }
}

// The standard deviation of each score component over the training samples
// (ones when disabled). A component that never varies keeps scale 1.
Eigen::VectorXd ScoreScale(const Eigen::MatrixXd& t_xz, bool enabled) {
  Eigen::VectorXd scale = Eigen::VectorXd::Ones(t_xz.cols());
  if (!enabled || t_xz.rows() == 0) return scale;
  for (Eigen::Index c = 0; c < t_xz.cols(); ++c) {
    const double mean = t_xz.col(c).mean();
    const double sd = std::sqrt((t_xz.col(c).array() - mean).square().sum() /
                                static_cast<double>(t_xz.rows()));
    if (std::isfinite(sd) && sd > std::numeric_limits<double>::min()) {
      scale(c) = sd;
    }
  }
  return scale;
}

// ------------------------------------------------------------ tensors of data

struct DataTensors {
  torch::Tensor x_scaled, theta0, theta1, y, r_xz, t_xz, t_xz1;
  std::int64_t rows = 0;

  DataTensors Select(const torch::Tensor& index) const {
    DataTensors out;
    const auto pick = [&](const torch::Tensor& t) {
      return t.defined() ? t.index_select(0, index) : t;
    };
    out.x_scaled = pick(x_scaled);
    out.theta0 = pick(theta0);
    out.theta1 = pick(theta1);
    out.y = pick(y);
    out.r_xz = pick(r_xz);
    out.t_xz = pick(t_xz);
    out.t_xz1 = pick(t_xz1);
    out.rows = index.size(0);
    return out;
  }
  DataTensors Slice(std::int64_t first, std::int64_t last) const {
    DataTensors out;
    const auto cut = [&](const torch::Tensor& t) {
      return t.defined() ? t.slice(0, first, last) : t;
    };
    out.x_scaled = cut(x_scaled);
    out.theta0 = cut(theta0);
    out.theta1 = cut(theta1);
    out.y = cut(y);
    out.r_xz = cut(r_xz);
    out.t_xz = cut(t_xz);
    out.t_xz1 = cut(t_xz1);
    out.rows = last - first;
    return out;
  }
  Targets targets() const { return Targets{y, r_xz, t_xz, t_xz1}; }
};

DataTensors MakeTensors(const Model& model, const TrainingData& data) {
  const torch::Dtype dtype = model.dtype();
  const int p = model.num_parameters();
  DataTensors t;
  t.rows = data.x.rows();
  t.x_scaled = model.ScaleX(ToTensor(data.x, dtype));
  if (data.t_xz.size() > 0 && NeedsJointScore(model.method)) {
    t.t_xz = ToTensor(data.t_xz.leftCols(p), dtype);
  }
  if (!model.is_score()) {
    t.theta0 = ToTensor(data.theta0, dtype);
    if (model.network.double_parameterized) {
      t.theta1 = ToTensor(data.theta1, dtype);
      if (NeedsJointScore(model.method)) {
        t.t_xz1 = ToTensor(data.t_xz1.leftCols(p), dtype);
      }
    }
    t.y = ToTensor(data.y, dtype).squeeze(1);
    if (NeedsJointRatio(model.method)) {
      t.r_xz = ToTensor(data.r_xz, dtype).squeeze(1);
    }
  }
  return t;
}

bool UsesScoreTerm(Method method) {
  return !IsScoreMethod(method) && NeedsJointScore(method);
}

// Mean loss over `data` in chunks (eval mode, no dropout).
double MeanLoss(const Model& model, const Mlp& net, const DataTensors& data) {
  const bool need_score = UsesScoreTerm(model.method);
  double sum = 0.0;
  for (std::int64_t first = 0; first < data.rows; first += kEvaluationChunk) {
    const std::int64_t last = std::min(data.rows, first + kEvaluationChunk);
    const DataTensors chunk = data.Slice(first, last);
    std::unique_ptr<torch::NoGradGuard> no_grad;
    if (!need_score) no_grad = std::make_unique<torch::NoGradGuard>();
    const Predictions p = model.Forward(net,
                                        chunk.x_scaled,
                                        chunk.theta0,
                                        chunk.theta1,
                                        need_score,
                                        false,
                                        nullptr);
    sum += model.TrainingLoss(p, chunk.targets()).item<double>() *
           static_cast<double>(chunk.rows);
  }
  return sum / static_cast<double>(data.rows);
}

std::vector<std::int64_t> Shuffled(std::vector<std::int64_t> values,
                                   RandomStream* random) {
  for (std::size_t i = values.size(); i > 1; --i) {
    const std::size_t j = random->Index(i);
    std::swap(values[i - 1], values[j]);
  }
  return values;
}

torch::Tensor IndexTensor(const std::vector<std::int64_t>& values) {
  return torch::tensor(values, torch::kInt64);
}

std::string Format(double value) {
  std::ostringstream text;
  text.precision(6);
  text << value;
  return text.str();
}

// ---------------------------------------------------------------- training

void TrainMember(Model* model,
                 int member_index,
                 const DataTensors& all,
                 const DataTensors* validation_data,
                 const TrainingConfig& config) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  Member member;
  member.history.seed = config.seed +
                        static_cast<std::uint64_t>(config.first_member) +
                        static_cast<std::uint64_t>(member_index);
  RandomStream random(member.history.seed);
  member.net = model->MakeNetwork();
  member.net->Initialize(&random);
  at::Generator dropout_generator =
      at::detail::createCPUGenerator(member.history.seed ^ 0x5deece66dULL);
  Mlp& net = *member.net;

  // Validation split: a seeded permutation of the rows.
  std::vector<std::int64_t> rows(static_cast<std::size_t>(all.rows));
  std::iota(rows.begin(), rows.end(), std::int64_t{0});
  DataTensors train = all;
  DataTensors held_out;
  const DataTensors* validation = validation_data;
  if (validation == nullptr && config.validation_split > 0.0) {
    rows = Shuffled(rows, &random);
    const auto n_validation = static_cast<std::int64_t>(
        std::floor(config.validation_split * static_cast<double>(all.rows)));
    if (n_validation < 1 || n_validation >= all.rows) {
      throw InvalidInput("validation split " + Format(config.validation_split) +
                         " of " + std::to_string(all.rows) +
                         " samples leaves an empty training or validation set");
    }
    held_out =
        all.Select(IndexTensor({rows.begin(), rows.begin() + n_validation}));
    std::vector<std::int64_t> train_rows(rows.begin() + n_validation,
                                         rows.end());
    std::sort(train_rows.begin(), train_rows.end());
    train = all.Select(IndexTensor(train_rows));
    validation = &held_out;
  }
  std::vector<std::int64_t> order(static_cast<std::size_t>(train.rows));
  std::iota(order.begin(), order.end(), std::int64_t{0});

  std::unique_ptr<torch::optim::Optimizer> optimizer;
  if (config.optimizer == Optimizer::kSgd) {
    optimizer = std::make_unique<torch::optim::SGD>(
        net.parameters(),
        torch::optim::SGDOptions(config.initial_lr)
            .momentum(config.sgd_momentum)
            .weight_decay(config.weight_decay));
  } else {
    optimizer = std::make_unique<torch::optim::Adam>(
        net.parameters(),
        torch::optim::AdamOptions(config.initial_lr)
            .amsgrad(config.optimizer == Optimizer::kAmsgrad)
            .weight_decay(config.weight_decay));
  }

  const bool need_score = UsesScoreTerm(model->method);
  const bool restore_best = config.early_stopping && validation != nullptr;
  double best_loss = std::numeric_limits<double>::infinity();
  std::vector<torch::Tensor> best_weights;
  TrainingHistory& history = member.history;
  const auto fail = [&](int epoch, const std::string& which, double value) {
    throw Error(MethodName(model->method) + " training, member " +
                std::to_string(member_index) + ", epoch " +
                std::to_string(epoch + 1) + ": " + which + " loss is " +
                Format(value) +
                "; training stopped. Lower the learning rate (--lr), enable "
                "gradient clipping, or check the samples for extreme values");
  };

  for (int epoch = 0; epoch < config.epochs; ++epoch) {
    const double lr =
        config.epochs > 1
            ? config.initial_lr *
                  std::pow(config.final_lr / config.initial_lr,
                           static_cast<double>(epoch) /
                               static_cast<double>(config.epochs - 1))
            : config.initial_lr;
    for (auto& group : optimizer->param_groups()) group.options().set_lr(lr);
    net.train();
    order = Shuffled(std::move(order), &random);
    const torch::Tensor order_tensor = IndexTensor(order);
    double sum = 0.0;
    for (std::int64_t first = 0; first < train.rows;
         first += config.batch_size) {
      const std::int64_t last = std::min(train.rows, first + config.batch_size);
      const DataTensors batch =
          train.Select(order_tensor.slice(0, first, last));
      const Predictions p = model->Forward(net,
                                           batch.x_scaled,
                                           batch.theta0,
                                           batch.theta1,
                                           need_score,
                                           /*create_graph=*/true,
                                           &dropout_generator);
      torch::Tensor loss = model->TrainingLoss(p, batch.targets());
      const double value = loss.item<double>();
      if (!std::isfinite(value)) fail(epoch, "training", value);
      optimizer->zero_grad();
      loss.backward();
      if (config.clip_gradient > 0.0) {
        torch::nn::utils::clip_grad_norm_(net.parameters(),
                                          config.clip_gradient);
      }
      optimizer->step();
      sum += value * static_cast<double>(last - first);
    }
    history.training_loss.push_back(sum / static_cast<double>(train.rows));
    history.learning_rate.push_back(lr);
    net.eval();
    double validation_loss = std::numeric_limits<double>::quiet_NaN();
    bool improved = false;
    if (validation != nullptr) {
      validation_loss = MeanLoss(*model, net, *validation);
      if (!std::isfinite(validation_loss)) {
        fail(epoch, "validation", validation_loss);
      }
      history.validation_loss.push_back(validation_loss);
      if (validation_loss < best_loss) {
        improved = true;
        best_loss = validation_loss;
        history.best_epoch = epoch;
        if (restore_best) {
          // Copies, not aliases: MadMiner kept references to the live
          // weights and so "restored" the last epoch (MADMINER.md §6).
          best_weights.clear();
          for (const auto& w : net.parameters())
            best_weights.push_back(w.detach().clone());
        }
      }
    } else {
      history.best_epoch = epoch;
    }
    if (config.progress) {
      EpochProgress progress;
      progress.member = member_index;
      progress.num_members = config.ensemble_size;
      progress.epoch = epoch;
      progress.num_epochs = config.epochs;
      progress.training_loss = history.training_loss.back();
      progress.validation_loss = validation_loss;
      progress.learning_rate = lr;
      progress.elapsed_seconds =
          std::chrono::duration<double>(Clock::now() - start).count();
      progress.improved = improved;
      config.progress(progress);
    }
    if (validation != nullptr && config.early_stopping_patience > 0 &&
        epoch - history.best_epoch >= config.early_stopping_patience) {
      history.stopped_early = true;
      break;
    }
  }
  if (restore_best && !best_weights.empty()) {
    torch::NoGradGuard no_grad;
    auto parameters = net.parameters();
    for (std::size_t i = 0; i < parameters.size(); ++i)
      parameters[i].copy_(best_weights[i]);
  } else {
    history.best_epoch = static_cast<int>(history.training_loss.size()) - 1;
  }
  history.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  model->members.push_back(std::move(member));
}

std::unique_ptr<Model> TrainModel(Method method,
                                  const TrainingData& data,
                                  const NetworkConfig& network,
                                  const TrainingConfig& training,
                                  const TrainingData* validation) {
  network.Validate();
  training.Validate();
  GOLDMINE_REQUIRE(!(IsScoreMethod(method) && network.double_parameterized),
                   "double-parameterized networks are for ratio methods, not " +
                       MethodName(method));
  const int p = CheckData(data, method, network, "training samples");
  if (network.morphing.enabled()) {
    GOLDMINE_REQUIRE(!IsScoreMethod(method),
                     "morphing-aware networks are for ratio methods, not " +
                         MethodName(method));
    const auto powers = network.morphing.components.front().size();
    if (powers != static_cast<std::size_t>(p)) {
      throw InvalidInput(
          "morphing: the components have " + std::to_string(powers) +
          " parameters, the training samples " + std::to_string(p));
    }
  }
  if (validation != nullptr) {
    const int pv =
        CheckData(*validation, method, network, "validation samples");
    if (pv != p || validation->x.cols() != data.x.cols()) {
      throw InvalidInput(
          "validation samples: " + std::to_string(pv) + " parameters and " +
          std::to_string(validation->x.cols()) +
          " observables, training samples have " + std::to_string(p) + " and " +
          std::to_string(data.x.cols()));
    }
  }
  auto model = std::make_unique<Model>();
  model->method = method;
  model->network = network;
  model->settings = training;
  model->settings.progress = nullptr;
  model->parameter_names =
      NamesOrDefault(data.parameter_names, p, "theta", "training samples");
  model->observable_names = NamesOrDefault(data.observable_names,
                                           static_cast<int>(data.x.cols()),
                                           "x",
                                           "training samples");
  Standardise(data.x, training.scale_inputs, &model->x_mean, &model->x_std);
  if (!model->is_score()) {
    Eigen::MatrixXd thetas = data.theta0;
    if (network.double_parameterized) {
      thetas.resize(data.theta0.rows() * 2, p);
      thetas << data.theta0, data.theta1;
    }
    Standardise(thetas,
                training.scale_parameters,
                &model->theta_mean,
                &model->theta_std);
  }
  if (model->is_score()) {
    model->t_scale = ScoreScale(data.t_xz.leftCols(p), training.scale_scores);
  }
  model->PrepareScaling();
  SetNumThreads(training.threads);
  const DataTensors all = MakeTensors(*model, data);
  DataTensors validation_tensors;
  if (validation != nullptr)
    validation_tensors = MakeTensors(*model, *validation);
  for (int k = 0; k < training.ensemble_size; ++k) {
    TrainMember(model.get(),
                k,
                all,
                validation != nullptr ? &validation_tensors : nullptr,
                training);
  }
  return model;
}

// ---------------------------------------------------------------- evaluation

void RequireColumns(const Eigen::MatrixXd& m,
                    int cols,
                    const std::string& name) {
  if (m.cols() != cols) {
    throw InvalidInput(name + " has " + std::to_string(m.cols()) +
                       " columns, the model expects " + std::to_string(cols));
  }
}

// Per-member predictions: log r̂ (n × 1) or t̂ (n × P).
std::vector<Eigen::MatrixXd> MemberPredictions(const Model& model,
                                               const Eigen::MatrixXd& x,
                                               const Eigen::MatrixXd& theta0,
                                               const Eigen::MatrixXd& theta1,
                                               bool score) {
  RequireColumns(x, model.num_observables(), "x");
  const bool ratio = !model.is_score();
  if (ratio) {
    RequireColumns(theta0, model.num_parameters(), "theta0");
    GOLDMINE_REQUIRE(theta0.rows() == x.rows(),
                     "theta0 has " + std::to_string(theta0.rows()) +
                         " rows, x has " + std::to_string(x.rows()));
    if (model.network.double_parameterized) {
      RequireColumns(theta1, model.num_parameters(), "theta1");
      GOLDMINE_REQUIRE(theta1.rows() == x.rows(),
                       "theta1 has " + std::to_string(theta1.rows()) +
                           " rows, x has " + std::to_string(x.rows()));
    }
  }
  const torch::Dtype dtype = model.dtype();
  std::vector<Eigen::MatrixXd> out;
  for (const Member& member : model.members) {
    member.net->eval();
    Eigen::MatrixXd result(x.rows(),
                           score ? model.num_parameters() : Eigen::Index{1});
    for (Eigen::Index first = 0; first < x.rows(); first += kEvaluationChunk) {
      const Eigen::Index count =
          std::min<Eigen::Index>(kEvaluationChunk, x.rows() - first);
      const torch::Tensor xs =
          model.ScaleX(ToTensor(x.middleRows(first, count), dtype));
      torch::Tensor t0, t1;
      if (ratio) t0 = ToTensor(theta0.middleRows(first, count), dtype);
      if (ratio && model.network.double_parameterized)
        t1 = ToTensor(theta1.middleRows(first, count), dtype);
      const bool need_grad = ratio && score;
      std::unique_ptr<torch::NoGradGuard> no_grad;
      if (!need_grad) no_grad = std::make_unique<torch::NoGradGuard>();
      const Predictions p =
          model.Forward(*member.net, xs, t0, t1, need_grad, false, nullptr);
      result.middleRows(first, count) = ToEigen(score ? p.t_hat : p.log_r);
    }
    out.push_back(std::move(result));
  }
  return out;
}

EnsemblePrediction Summarise(const std::vector<Eigen::MatrixXd>& members) {
  EnsemblePrediction result;
  result.mean = Eigen::MatrixXd::Zero(members[0].rows(), members[0].cols());
  for (const auto& m : members) result.mean += m;
  result.mean /= static_cast<double>(members.size());
  result.std = Eigen::MatrixXd::Zero(result.mean.rows(), result.mean.cols());
  if (members.size() > 1) {
    for (const auto& m : members)
      result.std += (m - result.mean).array().square().matrix();
    result.std =
        (result.std / static_cast<double>(members.size() - 1)).cwiseSqrt();
  }
  return result;
}

Eigen::MatrixXd Repeat(const Eigen::VectorXd& theta, Eigen::Index rows) {
  return theta.transpose().replicate(rows, 1);
}

// ---------------------------------------------------------------- persistence

Json ToJson(const Eigen::VectorXd& v) {
  Json array = Json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) array.push_back(v(i));
  return array;
}

Eigen::VectorXd VectorFromJson(const Json& array, std::size_t size) {
  if (!array.is_array() || array.size() != size) {
    throw FileFormatError("expected an array of " + std::to_string(size) +
                          " numbers, got " + array.dump());
  }
  Eigen::VectorXd v(static_cast<Eigen::Index>(size));
  for (std::size_t i = 0; i < size; ++i)
    v(static_cast<Eigen::Index>(i)) = array.at(i).get<double>();
  return v;
}

std::filesystem::path WithSuffix(const std::filesystem::path& prefix,
                                 const std::string& suffix) {
  return prefix.string() + suffix;
}

Json ModelJson(const Model& model) {
  Json j;
  j["format"] = kFormatName;
  j["format_version"] = kFormatVersion;
  j["goldmine_version"] = VersionLine();
  j["method"] = MethodName(model.method);
  j["model_type"] = model.is_score() ? "score"
                    : model.network.double_parameterized
                        ? "double_parameterized_ratio"
                        : "parameterized_ratio";
  j["architecture"] = {
      {"hidden", model.network.hidden},
      {"activation", ActivationName(model.network.activation)},
      {"dropout", model.network.dropout},
      {"double_parameterized", model.network.double_parameterized},
      {"dtype", model.network.double_precision ? "float64" : "float32"},
      {"n_inputs", model.num_inputs()},
      {"n_outputs", model.num_outputs()}};
  if (model.morphing_aware()) {
    const MorphingStructure& morphing = model.network.morphing;
    j["architecture"]["morphing"] = {
        {"components", morphing.components},
        {"morphing_matrix", morphing.matrix},
        {"reference_theta", morphing.reference},
        {"form",
         morphing.uses_quadratic_form() ? "quadratic" : "benchmark_densities"}};
  }
  j["parameters"] = model.parameter_names;
  j["observables"] = model.observable_names;
  j["scaling"] = {{"x_mean", ToJson(model.x_mean)},
                  {"x_std", ToJson(model.x_std)},
                  {"theta_mean", ToJson(model.theta_mean)},
                  {"theta_std", ToJson(model.theta_std)}};
  if (model.is_score()) j["scaling"]["t_scale"] = ToJson(model.t_scale);
  const TrainingConfig& s = model.settings;
  j["training"] = {{"optimizer", OptimizerName(s.optimizer)},
                   {"epochs", s.epochs},
                   {"batch_size", s.batch_size},
                   {"initial_lr", s.initial_lr},
                   {"final_lr", s.final_lr},
                   {"sgd_momentum", s.sgd_momentum},
                   {"weight_decay", s.weight_decay},
                   {"clip_gradient", s.clip_gradient},
                   {"validation_split", s.validation_split},
                   {"early_stopping", s.early_stopping},
                   {"early_stopping_patience", s.early_stopping_patience},
                   {"alpha", s.alpha},
                   {"scale_inputs", s.scale_inputs},
                   {"scale_parameters", s.scale_parameters},
                   {"scale_scores", s.scale_scores},
                   {"seed", s.seed},
                   {"threads", s.threads}};
  j["ensemble_size"] = model.members.size();
  Json members = Json::array();
  for (std::size_t k = 0; k < model.members.size(); ++k) {
    const TrainingHistory& h = model.members[k].history;
    members.push_back({{"archive_key", "member_" + std::to_string(k)},
                       {"seed", h.seed},
                       {"training_loss", h.training_loss},
                       {"validation_loss", h.validation_loss},
                       {"learning_rate", h.learning_rate},
                       {"best_epoch", h.best_epoch},
                       {"stopped_early", h.stopped_early},
                       {"seconds", h.seconds}});
  }
  j["members"] = members;
  return j;
}

Json ReadModelJson(const std::filesystem::path& prefix) {
  const auto path = WithSuffix(prefix, ".json");
  std::ifstream in(path);
  if (!in) {
    throw FileFormatError(path.string() +
                          ": cannot open the model file (give the prefix "
                          "DIR/NAME of DIR/NAME.json and DIR/NAME.pt)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  // Strict (core/strict_json.h): a repeated key is an error, not a choice.
  const Json j = ParseStrictOrderedJson(text.str(), path.string());
  if (!j.is_object() || j.value("format", std::string()) != kFormatName) {
    throw FileFormatError(path.string() +
                          ": not a goldmine model file (no "
                          "\"format\": \"" +
                          kFormatName + "\")");
  }
  const int version = j.value("format_version", -1);
  if (version != kFormatVersion) {
    throw FileFormatError(path.string() + ": model format version " +
                          std::to_string(version) + ", this build reads " +
                          std::to_string(kFormatVersion));
  }
  return j;
}

std::unique_ptr<Model> LoadModel(const std::filesystem::path& prefix) {
  const Json j = ReadModelJson(prefix);
  const auto json_path = WithSuffix(prefix, ".json").string();
  auto model = std::make_unique<Model>();
  try {
    model->method = ParseMethod(j.at("method").get<std::string>());
    const Json& a = j.at("architecture");
    model->network.hidden = a.at("hidden").get<std::vector<int>>();
    model->network.activation =
        ParseActivation(a.at("activation").get<std::string>());
    model->network.dropout = a.at("dropout").get<double>();
    model->network.double_parameterized =
        a.at("double_parameterized").get<bool>();
    model->network.double_precision =
        a.at("dtype").get<std::string>() == "float64";
    if (a.contains("morphing")) {
      const Json& m = a.at("morphing");
      MorphingStructure& morphing = model->network.morphing;
      morphing.components =
          m.at("components").get<std::vector<std::vector<int>>>();
      morphing.matrix =
          m.at("morphing_matrix").get<std::vector<std::vector<double>>>();
      morphing.reference = m.at("reference_theta").get<std::vector<double>>();
      const std::string form = m.at("form").get<std::string>();
      morphing.benchmark_densities = form == "benchmark_densities";
      if (morphing.uses_quadratic_form() != (form == "quadratic")) {
        throw FileFormatError(
            "architecture.morphing.form \"" + form +
            "\": expected \"benchmark_densities\", or \"quadratic\" for "
            "components that are the monomials of degree ≤ 2");
      }
      if (!morphing.enabled()) {
        throw FileFormatError("architecture.morphing has no components");
      }
    }
    model->network.Validate();
    model->parameter_names = j.at("parameters").get<std::vector<std::string>>();
    model->observable_names =
        j.at("observables").get<std::vector<std::string>>();
    const Json& s = j.at("scaling");
    const std::size_t o = model->observable_names.size();
    const std::size_t p = model->parameter_names.size();
    model->x_mean = VectorFromJson(s.at("x_mean"), o);
    model->x_std = VectorFromJson(s.at("x_std"), o);
    if (!model->is_score()) {
      model->theta_mean = VectorFromJson(s.at("theta_mean"), p);
      model->theta_std = VectorFromJson(s.at("theta_std"), p);
    }
    // Models saved before scores were scaled have no t_scale: scale 1.
    model->t_scale = s.contains("t_scale") ? VectorFromJson(s.at("t_scale"), p)
                                           : Eigen::VectorXd::Ones(p).eval();
    if ((model->t_scale.array() <= 0.0).any()) {
      throw FileFormatError("scaling.t_scale: expected positive numbers");
    }
    if (model->morphing_aware() &&
        model->network.morphing.components.front().size() != p) {
      throw FileFormatError(
          "architecture.morphing.components: one power per parameter (" +
          std::to_string(p) + ") expected");
    }
    if (a.at("n_inputs").get<int>() != model->num_inputs() ||
        a.at("n_outputs").get<int>() != model->num_outputs()) {
      throw FileFormatError(
          "architecture n_inputs/n_outputs do not match "
          "the parameters and observables");
    }
    const Json& t = j.at("training");
    TrainingConfig& c = model->settings;
    c.optimizer = ParseOptimizer(t.at("optimizer").get<std::string>());
    c.epochs = t.at("epochs").get<int>();
    c.batch_size = t.at("batch_size").get<int>();
    c.initial_lr = t.at("initial_lr").get<double>();
    c.final_lr = t.at("final_lr").get<double>();
    c.sgd_momentum = t.at("sgd_momentum").get<double>();
    c.weight_decay = t.at("weight_decay").get<double>();
    c.clip_gradient = t.at("clip_gradient").get<double>();
    c.validation_split = t.at("validation_split").get<double>();
    c.early_stopping = t.at("early_stopping").get<bool>();
    c.early_stopping_patience = t.at("early_stopping_patience").get<int>();
    c.alpha = t.at("alpha").get<double>();
    c.scale_inputs = t.at("scale_inputs").get<bool>();
    c.scale_parameters = t.at("scale_parameters").get<bool>();
    c.scale_scores = t.value("scale_scores", false);
    c.seed = t.at("seed").get<std::uint64_t>();
    c.threads = t.at("threads").get<int>();
    const Json& members = j.at("members");
    c.ensemble_size = static_cast<int>(members.size());
    if (members.empty() ||
        j.at("ensemble_size").get<std::size_t>() != members.size()) {
      throw FileFormatError("ensemble_size does not match members");
    }
    for (const Json& m : members) {
      Member member;
      member.history.seed = m.at("seed").get<std::uint64_t>();
      member.history.training_loss =
          m.at("training_loss").get<std::vector<double>>();
      member.history.validation_loss =
          m.at("validation_loss").get<std::vector<double>>();
      member.history.learning_rate =
          m.at("learning_rate").get<std::vector<double>>();
      member.history.best_epoch = m.at("best_epoch").get<int>();
      member.history.stopped_early = m.at("stopped_early").get<bool>();
      member.history.seconds = m.at("seconds").get<double>();
      model->members.push_back(std::move(member));
    }
  } catch (const nlohmann::json::exception& error) {
    throw FileFormatError(json_path + ": " + error.what());
  } catch (const InvalidInput& error) {
    throw FileFormatError(json_path + ": " + error.what());
  } catch (const FileFormatError& error) {
    throw FileFormatError(json_path + ": " + error.what());
  }
  model->PrepareScaling();

  const auto pt_path = WithSuffix(prefix, ".pt").string();
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(pt_path);
  } catch (const std::exception& error) {
    throw FileFormatError(pt_path + ": cannot read the weights archive (" +
                          std::string(error.what()).substr(0, 200) + ")");
  }
  for (std::size_t k = 0; k < model->members.size(); ++k) {
    Member& member = model->members[k];
    member.net = model->MakeNetwork();
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> expected;
    for (const auto& item : member.net->named_parameters())
      expected.emplace_back(item.key(), item.value().sizes().vec());
    const std::string key = "member_" + std::to_string(k);
    try {
      torch::serialize::InputArchive sub;
      if (!archive.try_read(key, sub)) {
        throw FileFormatError("no entry \"" + key + "\"");
      }
      member.net->load(sub);
    } catch (const FileFormatError& error) {
      throw FileFormatError(pt_path + ": " + error.what());
    } catch (const std::exception& error) {
      throw FileFormatError(pt_path + ": " + key + " does not fit the " +
                            "architecture in the .json (" +
                            std::string(error.what()).substr(0, 200) + ")");
    }
    const auto loaded = member.net->named_parameters();
    for (const auto& [name, shape] : expected) {
      const torch::Tensor* tensor = loaded.find(name);
      if (tensor == nullptr || tensor->sizes().vec() != shape ||
          tensor->scalar_type() != model->dtype()) {
        throw FileFormatError(pt_path + ": " + key + "." + name +
                              " has the wrong shape or type for the "
                              "architecture in the .json");
      }
    }
  }
  return model;
}

void SaveModel(const Model& model, const std::filesystem::path& prefix) {
  torch::serialize::OutputArchive archive;
  for (std::size_t k = 0; k < model.members.size(); ++k) {
    torch::serialize::OutputArchive sub;
    model.members[k].net->save(sub);
    archive.write("member_" + std::to_string(k), sub);
  }
  AtomicOutputFile pt(WithSuffix(prefix, ".pt"));
  archive.save_to(pt.temporary_path().string());
  pt.Commit();
  WriteTextFileAtomically(WithSuffix(prefix, ".json"),
                          ModelJson(model).dump(2) + "\n");
}

void RequireKind(const Model& model, bool score, const std::string& where) {
  if (model.is_score() != score) {
    throw InvalidInput(where + ": method " + MethodName(model.method) +
                       " is a " +
                       (model.is_score() ? "score" : "likelihood-ratio") +
                       " method; expected a " +
                       (score ? "score method (sally, sallino)"
                              : "likelihood-ratio method (carl, rolr, alice, "
                                "rascal, cascal, alices)"));
  }
}

}  // namespace

// ------------------------------------------------------------------ public

void SetNumThreads(int threads) {
  GOLDMINE_REQUIRE(threads > 0,
                   "threads must be positive, got " + std::to_string(threads));
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
}

Method ReadModelMethod(const std::filesystem::path& prefix) {
  const Json j = ReadModelJson(prefix);
  try {
    return ParseMethod(j.at("method").get<std::string>());
  } catch (const std::exception& error) {
    throw FileFormatError(WithSuffix(prefix, ".json").string() + ": " +
                          error.what());
  }
}

std::vector<std::string> ReadModelObservables(
    const std::filesystem::path& prefix) {
  const Json j = ReadModelJson(prefix);
  try {
    return j.at("observables").get<std::vector<std::string>>();
  } catch (const std::exception& error) {
    throw FileFormatError(WithSuffix(prefix, ".json").string() + ": " +
                          error.what());
  }
}

void AssembleEnsemble(const std::vector<std::filesystem::path>& parts,
                      const std::filesystem::path& output) {
  if (parts.empty()) throw InvalidInput("assemble: no model given");
  std::vector<std::unique_ptr<Model>> models;
  for (const auto& part : parts) models.push_back(LoadModel(part));
  // Everything but the members must agree.
  const auto shared = [](const Model& model) {
    Json j = ModelJson(model);
    j.erase("members");
    j.erase("ensemble_size");
    return j;
  };
  const Json reference = shared(*models.front());
  for (std::size_t i = 1; i < models.size(); ++i) {
    const Json other = shared(*models[i]);
    for (auto it = reference.begin(); it != reference.end(); ++it) {
      if (!other.contains(it.key()) || other.at(it.key()) != it.value()) {
        throw InvalidInput(
            "assemble: " + parts[i].string() + " differs from " +
            parts.front().string() + " in \"" + it.key() +
            "\"; only members of one training configuration can be joined");
      }
    }
  }
  Model& ensemble = *models.front();
  for (std::size_t i = 1; i < models.size(); ++i) {
    for (Member& member : models[i]->members) {
      ensemble.members.push_back(std::move(member));
    }
  }
  std::stable_sort(ensemble.members.begin(),
                   ensemble.members.end(),
                   [](const Member& a, const Member& b) {
                     return a.history.seed < b.history.seed;
                   });
  for (std::size_t k = 1; k < ensemble.members.size(); ++k) {
    if (ensemble.members[k].history.seed ==
        ensemble.members[k - 1].history.seed) {
      throw InvalidInput("assemble: two members have seed " +
                         std::to_string(ensemble.members[k].history.seed) +
                         "; give each member once");
    }
  }
  ensemble.settings.ensemble_size = static_cast<int>(ensemble.members.size());
  SaveModel(ensemble, output);
}

Estimator::Estimator(std::unique_ptr<internal::Model> model)
    : model_(std::move(model)) {}
Estimator::~Estimator() = default;
Estimator::Estimator(Estimator&&) noexcept = default;
Estimator& Estimator::operator=(Estimator&&) noexcept = default;

Method Estimator::method() const { return model_->method; }
const NetworkConfig& Estimator::network() const { return model_->network; }
int Estimator::ensemble_size() const {
  return static_cast<int>(model_->members.size());
}
std::vector<TrainingHistory> Estimator::histories() const {
  std::vector<TrainingHistory> out;
  for (const Member& m : model_->members) out.push_back(m.history);
  return out;
}
void Estimator::Save(const std::filesystem::path& prefix) const {
  SaveModel(*model_, prefix);
}
std::string Estimator::Description() const {
  std::ostringstream text;
  text << MethodName(model_->method) << ": " << model_->network.Description()
       << ", " << model_->members.size() << " member(s), "
       << model_->num_observables() << " observables, "
       << model_->num_parameters() << " parameters";
  return text.str();
}
Eigen::VectorXd Estimator::FlatWeights(int member) const {
  GOLDMINE_REQUIRE(member >= 0 && member < ensemble_size(),
                   "member " + std::to_string(member) + " out of range");
  std::vector<torch::Tensor> flat;
  for (const auto& w :
       model_->members[static_cast<std::size_t>(member)].net->parameters())
    flat.push_back(w.detach().flatten());
  return ToEigen(torch::cat(flat));
}

ScoreEstimator ScoreEstimator::Train(Method method,
                                     const TrainingData& data,
                                     const NetworkConfig& network,
                                     const TrainingConfig& training,
                                     const TrainingData* validation) {
  GOLDMINE_REQUIRE(
      IsScoreMethod(method),
      "ScoreEstimator trains sally or sallino, not " + MethodName(method));
  return ScoreEstimator(
      TrainModel(method, data, network, training, validation));
}

ScoreEstimator ScoreEstimator::Load(const std::filesystem::path& prefix) {
  auto model = LoadModel(prefix);
  RequireKind(*model, true, WithSuffix(prefix, ".json").string());
  return ScoreEstimator(std::move(model));
}

Eigen::MatrixXd ScoreEstimator::Score(const Eigen::MatrixXd& x) const {
  return ScoreEnsemble(x).mean;
}

EnsemblePrediction ScoreEstimator::ScoreEnsemble(
    const Eigen::MatrixXd& x) const {
  return Summarise(MemberPredictions(*model_, x, {}, {}, true));
}

EnsemblePrediction ScoreEstimator::FisherInformation(
    const Eigen::MatrixXd& x,
    const Eigen::VectorXd& weights,
    double n_events) const {
  GOLDMINE_REQUIRE(weights.size() == 0 || weights.size() == x.rows(),
                   "weights has " + std::to_string(weights.size()) +
                       " entries for " + std::to_string(x.rows()) + " events");
  const Eigen::VectorXd w =
      weights.size() == 0 ? Eigen::VectorXd::Ones(x.rows()) : weights;
  const double total = w.sum();
  GOLDMINE_REQUIRE(total > 0.0, "the event weights sum to " + Format(total));
  std::vector<Eigen::MatrixXd> informations;
  for (const Eigen::MatrixXd& t : MemberPredictions(*model_, x, {}, {}, true))
    informations.push_back(n_events * (t.transpose() * w.asDiagonal() * t) /
                           total);
  return Summarise(informations);
}

FisherInformationWithCovariance ScoreEstimator::FisherInformationCovariance(
    const Eigen::MatrixXd& x,
    const Eigen::VectorXd& weights,
    double n_events,
    FisherMode mode) const {
  return EnsembleFisherInformation(MemberScores(x), weights, n_events, mode);
}

std::vector<Eigen::MatrixXd> ScoreEstimator::MemberScores(
    const Eigen::MatrixXd& x) const {
  return MemberPredictions(*model_, x, {}, {}, true);
}

std::vector<std::string> ScoreEstimator::parameter_names() const {
  return model_->parameter_names;
}
std::vector<std::string> ScoreEstimator::observable_names() const {
  return model_->observable_names;
}

RatioEstimator RatioEstimator::Train(Method method,
                                     const TrainingData& data,
                                     const NetworkConfig& network,
                                     const TrainingConfig& training,
                                     const TrainingData* validation) {
  GOLDMINE_REQUIRE(!IsScoreMethod(method),
                   "RatioEstimator trains carl, rolr, alice, rascal, cascal "
                   "or alices, not " +
                       MethodName(method));
  return RatioEstimator(
      TrainModel(method, data, network, training, validation));
}

RatioEstimator RatioEstimator::Load(const std::filesystem::path& prefix) {
  auto model = LoadModel(prefix);
  RequireKind(*model, false, WithSuffix(prefix, ".json").string());
  return RatioEstimator(std::move(model));
}

bool RatioEstimator::double_parameterized() const {
  return model_->network.double_parameterized;
}

Eigen::VectorXd RatioEstimator::LogLikelihoodRatio(
    const Eigen::MatrixXd& x, const Eigen::VectorXd& theta0) const {
  GOLDMINE_REQUIRE(!double_parameterized(),
                   "a double-parameterized ratio needs both theta0 and "
                   "theta1");
  RequireColumns(theta0.transpose(), model_->num_parameters(), "theta0");
  return LogLikelihoodRatioEnsemble(x, Repeat(theta0, x.rows()), {})
      .mean.col(0);
}

Eigen::VectorXd RatioEstimator::LogLikelihoodRatio(
    const Eigen::MatrixXd& x,
    const Eigen::VectorXd& theta0,
    const Eigen::VectorXd& theta1) const {
  if (!double_parameterized()) {
    return LogLikelihoodRatio(x, theta0) - LogLikelihoodRatio(x, theta1);
  }
  RequireColumns(theta0.transpose(), model_->num_parameters(), "theta0");
  RequireColumns(theta1.transpose(), model_->num_parameters(), "theta1");
  return LogLikelihoodRatioEnsemble(
             x, Repeat(theta0, x.rows()), Repeat(theta1, x.rows()))
      .mean.col(0);
}

Eigen::MatrixXd RatioEstimator::Score(const Eigen::MatrixXd& x,
                                      const Eigen::VectorXd& theta0) const {
  RequireColumns(theta0.transpose(), model_->num_parameters(), "theta0");
  // The score does not depend on θ1 for a single-parameterized network; for
  // a double-parameterized one, use θ1 = θ0 (the local score).
  return ScoreEnsemble(x, Repeat(theta0, x.rows()), Repeat(theta0, x.rows()))
      .mean;
}

EnsemblePrediction RatioEstimator::LogLikelihoodRatioEnsemble(
    const Eigen::MatrixXd& x,
    const Eigen::MatrixXd& theta0,
    const Eigen::MatrixXd& theta1) const {
  return Summarise(MemberPredictions(*model_, x, theta0, theta1, false));
}

EnsemblePrediction RatioEstimator::ScoreEnsemble(
    const Eigen::MatrixXd& x,
    const Eigen::MatrixXd& theta0,
    const Eigen::MatrixXd& theta1) const {
  return Summarise(MemberPredictions(*model_, x, theta0, theta1, true));
}

std::vector<std::string> RatioEstimator::parameter_names() const {
  return model_->parameter_names;
}
std::vector<std::string> RatioEstimator::observable_names() const {
  return model_->observable_names;
}

}  // namespace goldmine::estimators

namespace goldmine::estimators::internal {

PlainModel LoadPlainModel(const std::filesystem::path& prefix) {
  const auto model = LoadModel(prefix);
  PlainModel plain;
  plain.method = model->method;
  plain.network = model->network;
  plain.parameter_names = model->parameter_names;
  plain.observable_names = model->observable_names;
  plain.x_mean = model->x_mean;
  plain.x_std = model->x_std;
  plain.theta_mean = model->theta_mean;
  plain.theta_std = model->theta_std;
  plain.t_scale = model->t_scale;
  torch::NoGradGuard no_grad;
  for (const Member& member : model->members) {
    PlainNetwork network;
    for (const torch::nn::Linear& layer : member.net->layers()) {
      network.layers.push_back({ToEigen(layer->weight.to(torch::kFloat64)),
                                ToEigen(layer->bias.to(torch::kFloat64))});
    }
    if (member.net->constants().defined()) {
      network.constants = ToEigen(member.net->constants().to(torch::kFloat64));
    }
    plain.members.push_back(std::move(network));
  }
  plain.model_json = ModelJson(*model).dump();
  return plain;
}

}  // namespace goldmine::estimators::internal
