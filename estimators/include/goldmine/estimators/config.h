// Methods, network architectures and training settings of the neural
// estimators (MadMiner's madminer.ml, arXiv 1805.00020, 1805.12244,
// 1907.10621). Plain structs without torch types; estimator.h trains and
// evaluates with them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace goldmine::estimators {

// What a network learns and with which loss (MADMINER.md §6; y = 0 marks
// samples drawn from the numerator θ0, y = 1 from the denominator θ1):
//   sally, sallino  x → t̂(x|θ_ref); MSE(t̂, t(x,z))
//   carl            (θ, x) → log r̂; cross-entropy of ŝ = 1/(1+r̂) against y
//   rolr            MSE((1−y)/r̂, (1−y)/r) + MSE(y r̂, y r)
//   alice           cross-entropy of ŝ against s(x,z) = 1/(1+r(x,z))
//   rascal          rolr + α MSE((1−y) t̂, (1−y) t)
//   cascal          carl + α MSE((1−y) t̂, (1−y) t)
//   alices          alice + α MSE((1−y) t̂, (1−y) t)
// with t̂ = ∇_θ log r̂ by automatic differentiation.
enum class Method {
  kSally,
  kSallino,
  kCarl,
  kRolr,
  kAlice,
  kRascal,
  kCascal,
  kAlices
};

// "sally", …; ParseMethod throws InvalidInput listing the allowed names.
std::string MethodName(Method method);
Method ParseMethod(const std::string& name);
// sally and sallino: score networks; the others are likelihood-ratio networks.
bool IsScoreMethod(Method method);
// Which augmented data a method trains on.
bool NeedsJointScore(Method method);  // t(x,z|θ0)
bool NeedsJointRatio(Method method);  // r(x,z|θ0,θ1)
bool NeedsLabels(Method method);      // y

// Each name means exactly that function (MadMiner's "sigmoid" was a ReLU).
enum class Activation { kTanh, kRelu, kSigmoid, kSoftplus };
std::string ActivationName(Activation activation);
Activation ParseActivation(const std::string& name);

enum class Optimizer { kAmsgrad, kAdam, kSgd };
std::string OptimizerName(Optimizer optimizer);
Optimizer ParseOptimizer(const std::string& name);

// The morphing structure of a process (MadMiner's morphing-aware ratio
// model, madminer.ml.models.ratio.DenseMorphingAwareRatioModel): with the
// basis benchmarks θ_b, dσ(x|θ) = Σ_b w_b(θ) dσ(x|θ_b) with the morphing
// weights w_b(θ) = Σ_c M_cb Π_p θ_p^k_cp (morphing/). A morphing-aware ratio
// network learns only the x dependence, h_b(x) ∝ dσ(x|θ_b)/dx (one positive
// output per benchmark), and the σ(θ_b) up to one common factor; θ enters
// exactly:
//   r̂(x|θ0,θ1) = [Σ_b w_b(θ0) h_b(x) / Σ_b w_b(θ1) h_b(x)]
//               · [Σ_b w_b(θ1) s_b / Σ_b w_b(θ0) s_b].
// So r̂(x|θ,θ) = 1 for every network, and the estimate at θ points far from
// the training θ0 is as good as the h_b are. Quadratic morphings use the
// positive form of quadratic() instead.
struct MorphingStructure {
  std::vector<std::vector<int>> components;  // C × P powers k_cp
  std::vector<std::vector<double>> matrix;   // C × B, M_cb
  // Single-parameterized networks: the fixed denominator θ1 (P entries).
  std::vector<double> reference;
  // Learn benchmark densities even when quadratic() (MadMiner's form).
  bool benchmark_densities = false;

  bool enabled() const { return !components.empty(); }
  // The components are exactly the monomials of total degree ≤ 2 (one
  // insertion of the operators in the amplitude, |M0 + Σ θ_i M_i|²): then
  // dσ(x|θ) = vᵀ Q(x) v with v = (1, θ) and Q positive semi-definite, and
  // the network learns Q = L Lᵀ (a Cholesky factor per x) instead of
  // benchmark densities whose signed morphing sum can turn negative.
  bool quadratic() const;
  // The form a network uses: quadratic() unless benchmark_densities.
  bool uses_quadratic_form() const {
    return !benchmark_densities && quadratic();
  }
  // Network outputs (and free constants): the entries of L, or one per
  // benchmark.
  int num_outputs() const;
  int num_benchmarks() const {
    return matrix.empty() ? 0 : static_cast<int>(matrix.front().size());
  }
};

struct NetworkConfig {
  // Widths of the hidden layers, input side first.
  std::vector<int> hidden = {100};
  Activation activation = Activation::kTanh;
  // Dropout probability after every hidden activation, in [0, 1).
  double dropout = 0.0;
  // Ratio methods only: log r̂ = f(θ0, θ1, x) − f(θ1, θ0, x), with θ1 taken
  // from the samples instead of a fixed reference (MadMiner's
  // DoubleParameterizedRatioEstimator).
  bool double_parameterized = false;
  // float64 weights and arithmetic (slower; for tests and derivative checks).
  bool double_precision = false;
  // Ratio methods only: a morphing-aware network (see MorphingStructure);
  // disabled when empty.
  MorphingStructure morphing;

  // Throws InvalidInput naming every problem.
  void Validate() const;
  std::string Description() const;
};

// Reported once per epoch and ensemble member during training.
struct EpochProgress {
  int member = 0;  // 0-based ensemble member
  int num_members = 1;
  int epoch = 0;  // 0-based
  int num_epochs = 0;
  double training_loss = 0.0;
  double validation_loss = 0.0;  // NaN without validation data
  double learning_rate = 0.0;
  double elapsed_seconds = 0.0;  // since this member's training started
  bool improved = false;         // new best validation loss
};

struct TrainingConfig {
  Optimizer optimizer = Optimizer::kAmsgrad;
  int epochs = 50;
  int batch_size = 128;
  // Learning rate of epoch e (0-based, E epochs), MadMiner's exponential
  // decay: lr_e = initial_lr (final_lr / initial_lr)^(e / (E − 1)).
  double initial_lr = 1e-3;
  double final_lr = 1e-4;
  double sgd_momentum = 0.9;  // optimizer sgd
  double weight_decay = 0.0;  // L2 term of the optimizer
  // Maximum L2 norm of the gradient of all weights; 0 disables clipping.
  double clip_gradient = 0.0;
  // Fraction of the training samples held out for validation (ignored when
  // separate validation samples are given); 0 disables validation.
  double validation_split = 0.25;
  // Keep the weights of the epoch with the lowest validation loss.
  bool early_stopping = true;
  // Stop after this many epochs without improvement; 0 never stops early.
  int early_stopping_patience = 0;
  // Weight of the score term (rascal, cascal, alices).
  double alpha = 1.0;
  // Standardise x and θ with the training means and standard deviations
  // (stored with the model).
  bool scale_inputs = true;
  bool scale_parameters = true;
  // SALLY and SALLINO: fit each score component in units of its standard
  // deviation over the samples handed to training, validation split
  // included (stored with the model, undone when
  // the model predicts). Score components of different operators differ by
  // orders of magnitude; a plain mean squared error then neglects the small
  // ones (issue 17 item 5).
  bool scale_scores = true;
  // Member k of an ensemble uses seed + first_member + k: weights, dropout,
  // validation split and batch order follow from it. Same seed and threads
  // → same weights, bit for bit.
  std::uint64_t seed = 1;
  // Intra-op threads of LibTorch (process-wide).
  int threads = 1;
  int ensemble_size = 1;
  // Index of the first member trained: members of one ensemble can train as
  // separate jobs (first_member = k, ensemble_size = 1) and be joined with
  // AssembleEnsemble() into the ensemble one run would have trained.
  int first_member = 0;
  // Called after every epoch; the library itself never prints.
  std::function<void(const EpochProgress&)> progress;

  // Throws InvalidInput naming every problem.
  void Validate() const;
};

// Loss per epoch of one trained network: the loss that is minimised, so for
// SALLY and SALLINO with scale_scores the mean squared error of t̂_k / s_k,
// s_k the standard deviation of t_xz_k over the training samples.
struct TrainingHistory {
  std::vector<double> training_loss;
  std::vector<double> validation_loss;  // empty without validation data
  std::vector<double> learning_rate;
  int best_epoch = -1;  // restored epoch (early stopping), else the last
  bool stopped_early = false;
  double seconds = 0.0;
  std::uint64_t seed = 0;
};

}  // namespace goldmine::estimators
