// Trained neural estimators of the score and of the likelihood ratio
// (MadMiner's ScoreEstimator, ParameterizedRatioEstimator,
// DoubleParameterizedRatioEstimator and Ensemble; arXiv 1805.00020,
// 1805.12244). Every estimator is an ensemble of K ≥ 1 networks trained with
// seeds seed, seed+1, …; predictions are the ensemble mean, and the
// *Ensemble() functions also give the standard deviation over members.
//
// Model files (DESIGN.md §3): DIR/NAME.json (method, architecture, scaling,
// names, settings, loss history, format version) and DIR/NAME.pt (a LibTorch
// archive with one entry per member); functions take the prefix DIR/NAME.
//
// LibTorch stays behind this header (STYLE.md §5): the networks live in an
// internal::Model that only estimators/src sees.
#pragma once

#include <Eigen/Core>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/score_model.h"
#include "goldmine/estimators/config.h"
#include "goldmine/estimators/fisher.h"

namespace goldmine::estimators {

namespace internal {
class Model;  // estimators/src/model.h
}

// Training samples, with the meaning and shapes of the samples file
// (mining/sample_file.h): n rows, O observables, P parameters.
struct TrainingData {
  Eigen::MatrixXd x;       // n × O
  Eigen::MatrixXd theta0;  // n × P: θ0 (ratio methods)
  Eigen::MatrixXd theta1;  // n × P: θ1 (double-parameterized ratios only)
  Eigen::MatrixXd y;       // n × 1: 0 drawn from θ0, 1 drawn from θ1
  Eigen::MatrixXd r_xz;    // n × 1: joint likelihood ratio
  // n × P: joint score t(x,z|θ0); score methods learn every column (physics
  // and nuisance parameters).
  Eigen::MatrixXd t_xz;
  // n × P: joint score t(x,z|θ1), for the θ1 score term of
  // double-parameterized RASCAL, ALICES and CASCAL (MadMiner's t_xz1).
  Eigen::MatrixXd t_xz1;
  std::vector<std::string> parameter_names;  // one per score component
  std::vector<std::string> observable_names;

  Eigen::Index num_samples() const { return x.rows(); }
};

// Ensemble mean and standard deviation over members (zero for K = 1);
// both have the shape of a single prediction.
struct EnsemblePrediction {
  Eigen::MatrixXd mean;
  Eigen::MatrixXd std;
};

// Sets LibTorch's intra-op thread count (process-wide). Training sets it
// from TrainingConfig::threads; call this before evaluating.
void SetNumThreads(int threads);

// The method a model file was trained with (reads DIR/NAME.json only).
// Throws FileFormatError when the file is missing or not a goldmine model.
Method ReadModelMethod(const std::filesystem::path& prefix);
// The observable names a model takes, in input order (DIR/NAME.json only;
// throws as ReadModelMethod).
std::vector<std::string> ReadModelObservables(
    const std::filesystem::path& prefix);

// Joins models trained as separate jobs (`train --member K`: one member
// each, seeds seed + K) into one ensemble at `output` (DIR/NAME.json +
// .pt), members ordered by seed: the ensemble `train --ensemble K` trains
// in one run, weight for weight. Throws FileFormatError for unreadable
// parts, InvalidInput when the parts differ in anything but their members
// (method, architecture, scaling, training settings; naming the part and
// the key) or repeat a seed.
void AssembleEnsemble(const std::vector<std::filesystem::path>& parts,
                      const std::filesystem::path& output);

// Common part of every estimator: method, members, history, persistence.
class Estimator {
 public:
  virtual ~Estimator();
  Estimator(Estimator&&) noexcept;
  Estimator& operator=(Estimator&&) noexcept;

  Method method() const;
  const NetworkConfig& network() const;
  int ensemble_size() const;
  // One history per ensemble member.
  std::vector<TrainingHistory> histories() const;
  // Writes DIR/NAME.json and DIR/NAME.pt (each atomically). The folder must
  // exist. Throws InvalidInput otherwise.
  void Save(const std::filesystem::path& prefix) const;
  // One line: method, architecture, members, inputs.
  std::string Description() const;
  // For tests: every weight of member `member`, flattened in parameter order
  // (as double).
  Eigen::VectorXd FlatWeights(int member = 0) const;

 protected:
  explicit Estimator(std::unique_ptr<internal::Model> model);
  std::unique_ptr<internal::Model> model_;
};

// SALLY / SALLINO: a network x → t̂(x|θ_ref).
class ScoreEstimator final : public Estimator, public core::ScoreModel {
 public:
  // Trains `training.ensemble_size` networks on `data` (method sally or
  // sallino; needs x and t_xz). Validation data, when given, replaces the
  // validation split. Throws InvalidInput on bad data (shapes, NaN or inf
  // entries, missing t_xz) or settings, and Error when the loss becomes NaN
  // or infinite during training.
  static ScoreEstimator Train(Method method,
                              const TrainingData& data,
                              const NetworkConfig& network,
                              const TrainingConfig& training,
                              const TrainingData* validation = nullptr);
  // Throws FileFormatError for missing, corrupted or incompatible files and
  // InvalidInput when the model is not a score model.
  static ScoreEstimator Load(const std::filesystem::path& prefix);

  // Ensemble mean of t̂(x): events × parameters.
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x) const override;
  EnsemblePrediction ScoreEnsemble(const Eigen::MatrixXd& x) const;
  // Fisher information from the estimated score (MadMiner
  // Estimator.calculate_fisher_information):
  //   I = n_events Σ_n w_n t̂_n t̂_nᵀ / Σ_n w_n,
  // with n_events = L σ for the expected information at luminosity L.
  // `weights` has one entry per row of x (empty: all equal). The ensemble
  // version gives the mean over members and, in `std`, their standard
  // deviation element by element.
  EnsemblePrediction FisherInformation(const Eigen::MatrixXd& x,
                                       const Eigen::VectorXd& weights,
                                       double n_events) const;
  // The same with the covariance of the information over the ensemble
  // (fisher.h; MadMiner Ensemble.calculate_fisher_information, mode "score"
  // by default).
  FisherInformationWithCovariance FisherInformationCovariance(
      const Eigen::MatrixXd& x,
      const Eigen::VectorXd& weights,
      double n_events,
      FisherMode mode = FisherMode::kScore) const;
  // t̂(x) of every member: K matrices events × parameters.
  std::vector<Eigen::MatrixXd> MemberScores(const Eigen::MatrixXd& x) const;

  std::vector<std::string> parameter_names() const override;
  std::vector<std::string> observable_names() const override;

 private:
  using Estimator::Estimator;
};

// CARL, ROLR, ALICE, RASCAL, CASCAL, ALICES: a network (θ, x) → log r̂(x|θ,
// θ_ref), or with NetworkConfig::double_parameterized (θ0, θ1, x) →
// log r̂(x|θ0, θ1). The score t̂(x|θ0) = ∇_θ0 log r̂ comes from autograd.
class RatioEstimator final : public Estimator,
                             public core::LikelihoodRatioModel {
 public:
  // Needs x, theta0, y and, depending on the method, r_xz and t_xz; theta1
  // for double-parameterized networks. Throws like ScoreEstimator::Train.
  static RatioEstimator Train(Method method,
                              const TrainingData& data,
                              const NetworkConfig& network,
                              const TrainingConfig& training,
                              const TrainingData* validation = nullptr);
  static RatioEstimator Load(const std::filesystem::path& prefix);

  bool double_parameterized() const;

  // log r̂(x|θ0, θ_ref) (single-parameterized) with one θ0 for all events.
  // Double-parameterized networks need the two-point overload.
  Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x, const Eigen::VectorXd& theta0) const override;
  Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x,
      const Eigen::VectorXd& theta0,
      const Eigen::VectorXd& theta1) const override;
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x,
                        const Eigen::VectorXd& theta0) const override;

  // Per-event parameter points (rows of theta0, theta1; theta1 is ignored
  // by single-parameterized networks and may be empty): log r̂ (n × 1) and
  // t̂(x|θ0) (n × P), ensemble mean and standard deviation.
  EnsemblePrediction LogLikelihoodRatioEnsemble(
      const Eigen::MatrixXd& x,
      const Eigen::MatrixXd& theta0,
      const Eigen::MatrixXd& theta1) const;
  EnsemblePrediction ScoreEnsemble(const Eigen::MatrixXd& x,
                                   const Eigen::MatrixXd& theta0,
                                   const Eigen::MatrixXd& theta1) const;

  std::vector<std::string> parameter_names() const override;
  std::vector<std::string> observable_names() const override;

 private:
  using Estimator::Estimator;
};

}  // namespace goldmine::estimators
