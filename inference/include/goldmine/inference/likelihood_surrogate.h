// Neural likelihood surrogates of HistFactory workspaces (issue 18,
// docs/surrogates.md): a network Δ̂(s) of the signal yields s in the bins of
// the signal channels, trained on the profiled −2 ln L differences of
// yield_likelihood.h,
//   output 0: Δ_obs(s) = −2 ln L(s | observed) + 2 ln L(0 | observed),
//   output 1: Δ_A(s)   = the same for the background-only Asimov data,
// gives CLs and upper limits without a single fit. The signal at POI value μ
// is μ s, so with μ̂ the minimum of Δ(μ s) over the POI's bounds
// (restricted to the surrogate's validity range),
//   q̃_μ   = Δ_obs(μ s) − Δ_obs(μ̂ s)   (0 when μ̂ > μ),
//   q̃_μ,A = Δ_A(μ s) − Δ_A(μ̂_A s),
// and the asymptotic CLs of hypotest.h follow (pyhf's qtilde; the Asimov
// data are those pyhf's hypotest builds).
//
// The surrogate is valid where it was trained: every input within [0, upper]
// of its training set. A test outside that range is refused, and an upper
// limit that lies outside it is reported as not converged.
#pragma once

#include <Eigen/Core>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/core/regression_function.h"
#include "goldmine/inference/hypotest.h"
#include "goldmine/inference/surrogate_signals.h"
#include "goldmine/inference/surrogate_training_set.h"

namespace goldmine::inference {

// What a reader of a surrogate file needs besides the network: its inputs,
// POI and validity range, stored as ONNX metadata_props (docs/surrogates.md
// lists the keys).
struct SurrogateDescription {
  std::vector<std::pair<std::string, int>> channels;  // input layout
  std::string poi;
  std::pair<double, double> poi_bounds{0.0, 10.0};
  Eigen::VectorXd lower, upper;  // validity range per input
  // Provenance, free text or JSON: workspace digest, signal points, training
  // settings and quality. Stored as given.
  std::vector<std::pair<std::string, std::string>> provenance;

  int num_inputs() const;
  // The Asimov test statistic the training points reached at the top of
  // each signal point's range (goldmine.surrogate.training max_test_stat;
  // 30, the default, when absent): validation signals span the same range.
  double TrainedMaxTestStatistic() const;
  // "SR_meff[2]" for each input, in order.
  std::vector<std::string> InputNames() const;

  // metadata_props entries (the format name and version first).
  std::vector<std::pair<std::string, std::string>> ToMetadata() const;
  // Throws FileFormatError naming `what` when the metadata is not a goldmine
  // likelihood surrogate of this format version, or a key is missing or
  // malformed.
  static SurrogateDescription FromMetadata(
      const std::map<std::string, std::string>& metadata,
      const std::string& what);
};

// The format name stored under goldmine.format, for readers that must tell
// surrogates from estimators.
const char* SurrogateFormatName();

// Throws FileFormatError "<what>: the network's inputs and outputs do not
// match its description (was the file edited?)" unless `network` takes
// description.num_inputs() inputs and gives the two outputs Δ_obs, Δ_A.
void RequireNetworkMatchesDescription(const core::RegressionFunction& network,
                                      const SurrogateDescription& description,
                                      const std::string& what);

// How the surrogate's network was trained (estimators/regression.h:
// RegressionConfig and RegressionResult), for its provenance.
struct SurrogateNetworkTraining {
  std::vector<int> hidden;  // hidden layer widths
  std::string activation;   // "softplus", ...
  int epochs = 0;           // the maximum
  std::size_t epochs_run = 0;
  int best_epoch = 0;  // 0-based
  int batch_size = 0;
  double learning_rate = 0.0;  // peak
  double warmup_fraction = 0.0;
  double validation_fraction = 0.0;
  Eigen::VectorXd validation_rmse;  // per output, in the targets' units
};

// The description of a surrogate trained on `set`, sampled with `sampling`
// around the points of `signals`, from the workspace file `workspace_path`
// with measurement `measurement` ("" for the first): inputs, POI and POI
// bounds of signals.likelihood, the validity range of `set`, and as
// provenance (JSON texts; docs/surrogates.md)
//   goldmine.surrogate.workspace      file name, SHA-256, measurement;
//   goldmine.surrogate.signal_points  source, yields and scale per point;
//   goldmine.surrogate.training       the sampling and network settings,
//                                     epochs run and validation RMSE.
// Throws InvalidInput when the workspace file cannot be read for its digest.
SurrogateDescription BuildSurrogateDescription(
    const SurrogateSignals& signals,
    const SurrogateTrainingSet& set,
    const SurrogateSamplingOptions& sampling,
    const SurrogateNetworkTraining& network,
    const std::string& workspace_path,
    const std::string& measurement);

// The yields of a JSON document {"channel": [yields...], ...} in the input
// order of `description`. Throws InvalidInput naming `what` and the channel
// when a channel is missing, unknown or of the wrong length, or a yield is
// not a finite number >= 0; FileFormatError when the text is not JSON.
Eigen::VectorXd ParseSignalYields(const std::string& text,
                                  const SurrogateDescription& description,
                                  const std::string& what);

// The largest μ with μ s inside the validity range (infinity when s = 0).
double ValidityLimit(const SurrogateDescription& description,
                     const Eigen::VectorXd& signal);

// CLs of μ s from the surrogate (q̃ and asymptotics as above). poi_hat is
// μ̂. Throws InvalidInput when μ s lies outside the validity range, the
// yields have the wrong length, or the surrogate has not two outputs.
HypotestResult SurrogateHypotest(const core::RegressionFunction& surrogate,
                                 const SurrogateDescription& description,
                                 const Eigen::VectorXd& signal,
                                 double mu);

// Observed and expected CLs upper limits on μ (roots of CLs(μ) = level,
// to relative 1e-6). A limit above the validity range is reported with
// converged = false and a message, and set to the range's end.
UpperLimitResult SurrogateUpperLimit(const core::RegressionFunction& surrogate,
                                     const SurrogateDescription& description,
                                     const Eigen::VectorXd& signal,
                                     double level = 0.05);

}  // namespace goldmine::inference
