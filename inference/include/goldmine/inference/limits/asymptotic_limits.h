// Asymptotic limits on EFT parameters over a θ grid: the counterpart of
// MadMiner's AsymptoticLimits (MADMINER.md §8) for the methods rate, histo,
// sally, adaptive-sally, sallino and ml.
//
// For observed (or Asimov) data with event weights w_k (Σ w_k = 1) standing
// for n events, at every θ
//   log L(θ) = n Σ_k w_k log p̂(x_k|θ)            (kinematic term)
//            + log Poisson(round(n) | L σ(θ))      (rate term, when included)
// and −2Δ log L(θ) = −2 [log L(θ) − max_grid log L], whose p-value is the χ²
// survival function with as many degrees of freedom as grid axes with more
// than one point (Wilks). p̂ is a histogram of summary statistics (observables,
// the estimated score t̂(x), or h = t̂·(θ−θ_ref)/|θ−θ_ref|) filled with the
// weighted train-partition events reweighted to θ by morphing, or, for ml, the
// estimated ratio r̂(x|θ, θ_ref) (the θ_ref part cancels in Δ).
// Expected limits use Asimov data: the weighted test-partition events at
// θ_true and n = L σ(θ_true).
//
// MadMiner's conventions are kept so that its numbers are reproduced
// (histogram.h for the histograms): partitions with its skipped boundary
// events, weights at θ from the events file's morphing, the sampling factor of
// every event, ε = 1e-12, one adaptive binning for histo and sally from the
// grid-averaged weights, per-θ adaptive binning for adaptive-sally and
// sallino, events (or bins) with a non-finite log likelihood anywhere on the
// grid dropped from the kinematic term. Unlike MadMiner, all train events
// fill the histograms (its n_histo_toys = n_binning_toys = None): the result
// is deterministic.
//
// Speed: for histo and sally, every train event is binned once and the
// per-benchmark histograms H (bins × benchmarks) are filled once; the
// histogram at θ is H w(θ), so a grid point costs O(bins × benchmarks).
//
// Memory (issue 20): no event is held by AsymptoticLimits. rate, histo and
// sally with one binning read the events file in batches
// (LimitOptions::batch_size rows; sally's scores in chunks that give the
// in-memory scores bit for bit) and hold O(bins × benchmarks); exact
// quantiles for adaptive bins are sorted in bounded memory
// (mining::SortedColumn). adaptive-sally and sallino, whose binning depends
// on θ, and ml and mem, which evaluate every observed event at every grid
// point, write the numbers they need per event (scores and weights, or the
// model's observables) once to scratch files (mining::RowStore) and read
// them back a chunk at a time at every point. Sums keep the order of the
// former in-memory ones, so the numbers are the same bit for bit.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/inference/limits/theta_grid.h"

namespace goldmine::core {
class ScoreModel;
class LikelihoodRatioModel;
}  // namespace goldmine::core

namespace goldmine::inference {

// kMem: the Matrix Element Method's exact likelihood (mem/mem_ratio_model.h)
// through the ratio-model path of kMl.
enum class LimitMethod {
  kRate,
  kHisto,
  kSally,
  kAdaptiveSally,
  kSallino,
  kMl,
  kMem
};

// "rate", "histo", "sally", "adaptive-sally", "sallino", "ml", "mem"; throws
// InvalidInput naming the accepted names.
LimitMethod ParseLimitMethod(const std::string& name);
std::string LimitMethodName(LimitMethod method);
bool NeedsScoreModel(LimitMethod method);

// One dimension of a histogram: explicit edges, or a number of adaptive
// (weighted-quantile) bins. Both empty/0: MadMiner's default (25 bins for
// one dimension, 8 × 8 for two, 5 each for more; adaptive-sally 15 × 5 and
// 12 × 5 × …).
struct AxisBinning {
  std::vector<double> edges;
  int num_bins = 0;
};

struct LimitOptions {
  double luminosity = 300000.0;  // pb⁻¹
  // Rate term in histogram and ml methods (always on for rate).
  bool include_xsec = true;
  // Histograms are filled from the events before the test partition (train
  // and validation together), as MadMiner's _train_test_split: with
  // test_split 0.2, events [0, round(0.8 N)) fill, [round(0.8 N) + 1, N)
  // give the Asimov data and σ.
  double test_split = 0.2;
  // MadMiner's partition boundaries (mining/augmenter.h).
  bool madminer_partitions = true;
  // Asimov data from the events generated at the benchmark closest to
  // θ_true (plus background), as MadMiner's default.
  bool sample_only_from_closest_benchmark = true;
  // Asimov data from the events that fill the histograms (train and
  // validation partitions) instead of the independent test partition
  // (MadMiner). The Asimov histogram is then exactly the template at θ_true,
  // free of the test sample's MC fluctuations, which otherwise pull the best
  // fit away from θ_true when the histograms have many bins.
  bool asimov_from_templates = false;
  // histo and sally: values outside the adaptive range (below the 0.1 % or
  // above the 99.9 % quantile) fill the first / last bin, as the likelihood
  // evaluates them, instead of being left out of the templates (MadMiner;
  // histogram.h). adaptive-sally and sallino keep MadMiner's convention.
  bool fill_overflow = false;
  // Every histogram axis gets an underflow and an overflow bin, with the bin
  // rule of `goldmine fisher histogram` (histogram.h, OutOfRange::
  // kOverflowBins): the same edge list means the same bins in every stage,
  // and no event is left out or merged into an outer bin. Overrides
  // fill_overflow. false: MadMiner's edges.
  bool overflow_bins = false;
  // With overflow_bins, histo with a bin count N takes the dynamic bins of
  // `goldmine fisher histogram --bins N` instead of MadMiner's adaptive
  // ones: interior edges at the weighted quantiles k/N of every event read
  // (train and test partitions) at this θ (empty: the SM), N bins in all.
  Eigen::VectorXd binning_theta;
  // sally with adaptive bins: quantiles of the information Σ w t̂_i² of each
  // score component instead of the event weights (MadMiner), so that every
  // bin carries a similar share of the Fisher information.
  bool information_binning = false;
  double epsilon = 1e-12;  // added to every normalised histogram bin
  int dof = 0;  // 0: the grid axes with more than one point (at least 1)
  std::int64_t batch_size = 100000;
  // Grid points evaluated in parallel (histogram methods; ml and mem run on
  // one thread). The result does not depend on it.
  int threads = 1;
  // Only the points of this chunk of the grid (`limits --chunk I/N`;
  // limit_chunks.h joins the chunks). Not with profiled parameters.
  GridChunk chunk;
  // Units (bins or events) left out at every point in addition to those
  // whose log likelihood is not finite somewhere on the (chunk's) grid
  // (`limits --drop-units`, for chunks that must leave out the same units).
  std::vector<std::int64_t> drop_units;
  // Called after each evaluated grid point (done, total), e.g. for progress
  // on stderr; may be empty.
  std::function<void(Eigen::Index, Eigen::Index)> progress;
};

// What the kinematic term is made of.
struct KinematicSetup {
  LimitMethod method = LimitMethod::kRate;
  std::vector<std::string> observables;  // histo: names in the events file
  // One entry per summary dimension, or empty for the defaults.
  std::vector<AxisBinning> binning;
  // sally, adaptive-sally, sallino: the score model (not owned); its
  // observables are taken from the events file by name.
  const core::ScoreModel* score_model = nullptr;
  std::vector<int> score_components;  // subset of the score; empty = all
  Eigen::VectorXd theta_ref;          // adaptive-sally, sallino; empty = 0
  // ml: log r̂(x|θ, θ_ref) (not owned).
  const core::LikelihoodRatioModel* ratio_model = nullptr;
};

// Events that Compute reads in passes over a file instead of holding them
// (AsymptoticLimits::Asimov, ObservedEventsFile); defined in
// asymptotic_limits.cc.
struct EventsDescription;

// Observed data: events (rows over the events file's observables) with
// weights (any normalisation, negative ones allowed as from NLO samples, a
// positive sum), standing for n_events events. Either in memory (x and
// weights) or, from AsymptoticLimits::Asimov and ObservedEventsFile,
// described by `events` with x and weights empty: rate, histo and sally
// then read the events in batches (the other methods load them).
struct ObservedData {
  Eigen::MatrixXd x;
  Eigen::VectorXd weights;
  double n_events = 0.0;
  std::shared_ptr<const EventsDescription> events;
};

// Parameters not on the grid: fixed at a value (default 0) or profiled
// (maximised over within bounds at every grid point).
struct OtherParameters {
  std::map<std::string, double> fixed;
  std::map<std::string, std::pair<double, double>> profiled;
};

// A range of a parameter allowed at a confidence level (from the 1D profile
// of −2Δ log L over the grid, crossings linearly interpolated); `closed_*`
// false when the range reaches the grid's edge.
struct ParameterInterval {
  double lower = 0.0;
  double upper = 0.0;
  bool closed_lower = true;
  bool closed_upper = true;
};

struct ParameterIntervals {
  std::string parameter;
  double confidence_level = 0.0;
  double threshold = 0.0;  // χ²₁ quantile
  std::vector<ParameterInterval> ranges;
};

struct LimitResult {
  std::vector<std::string> parameters;  // scanned, grid order
  Eigen::MatrixXd grid;                 // points × scanned parameters
  // points × all parameters of the events file (fixed and profiled values
  // filled in).
  Eigen::MatrixXd thetas;
  std::vector<std::string> all_parameters;
  Eigen::VectorXd log_likelihood_kin;   // per point
  Eigen::VectorXd log_likelihood_rate;  // per point (0 without rate term)
  Eigen::VectorXd minus_two_delta_log_l;
  Eigen::VectorXd p_values;
  Eigen::Index best_fit_index = 0;
  int dof = 0;
  double n_observed = 0.0;
  // Histogram edges per summary dimension (at the first grid point for the
  // per-θ binnings); empty for rate and ml.
  std::vector<std::vector<double>> histogram_edges;
  // Bins or events left out because their log likelihood was not finite
  // (or because LimitOptions::drop_units named them), and which (sorted).
  std::int64_t dropped_units = 0;
  std::vector<std::int64_t> dropped_unit_ids;
  // With profiled parameters: per grid point, whether their fit converged
  // (NLopt finished without reaching its evaluation limit and the objective
  // never failed, e.g. on an empty histogram at some θ), why not, and the
  // number of points that did not. Empty / 0 without profiled parameters.
  std::vector<bool> profile_converged;
  std::vector<std::string> profile_problems;
  int profile_fits_not_converged = 0;
};

class AsymptoticLimits {
 public:
  // Reads the setup of an events file (MadMiner layout) with morphing and,
  // in one pass over the test partition, σ per benchmark; no event is kept
  // (Compute reads the train partition in passes). Throws FileFormatError,
  // InvalidInput (no morphing, too few events for the partitions).
  explicit AsymptoticLimits(const std::filesystem::path& events_file,
                            LimitOptions options = {});
  ~AsymptoticLimits();
  AsymptoticLimits(const AsymptoticLimits&) = delete;
  AsymptoticLimits& operator=(const AsymptoticLimits&) = delete;

  const LimitOptions& options() const;
  std::vector<std::string> parameter_names() const;
  std::vector<std::string> observable_names() const;

  // σ(θ) in pb from the test partition (× 1/test_split), as MadMiner.
  double CrossSection(const Eigen::VectorXd& theta) const;
  // Asimov data at θ_true: test-partition events (or, with
  // asimov_from_templates, the histogram events) weighted by w(θ_true),
  // n_events = L σ(θ_true), as a description (ObservedData::events; one
  // pass over the events for the sum of their weights). Throws InvalidInput
  // for a wrong size or σ ≤ 0.
  ObservedData Asimov(const Eigen::VectorXd& theta_true) const;

  // The limits on `grid` (a subset of the parameters, in any order; the
  // others as in `others`). Throws InvalidInput for unknown or missing
  // parameters, missing models or observables, binning mismatches, a grid
  // point with σ(θ) ≤ 0 or an empty histogram, and observed events in a bin
  // that no simulated event fills.
  LimitResult Compute(const KinematicSetup& kinematics,
                      const ThetaGrid& grid,
                      const ObservedData& observed,
                      const OtherParameters& others = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// p-value of q = −2Δ log L for `dof` degrees of freedom: the χ² survival
// function Q(dof/2, q/2) (regularised upper incomplete gamma function).
double WilksPValue(double q, int dof);
// The χ² quantile with `dof` degrees of freedom at `confidence_level`.
double ChiSquaredQuantile(double confidence_level, int dof);

// Whether the best-fit grid point `best` (grid order) is where Asimov data
// at `truth` (the grid parameters' true values, grid order) should put it:
// on every axis with more than one point, at the true value when that is a
// grid value, else at one of the two grid values around it. False hints at
// Asimov data that are not the model's own prediction (e.g. MadMiner's test
// partition, whose MC fluctuations pull the fit).
bool BestFitMatchesTruth(const ThetaGrid& grid,
                         const Eigen::VectorXd& best,
                         const Eigen::VectorXd& truth);

// Whether the best fit of `result`, computed on Asimov data at `theta_true`
// (one value per parameter of the events file, result.all_parameters
// order), sits where BestFitMatchesTruth expects it on the grid axes.
// std::nullopt when a parameter off the grid is fixed (others.fixed) at a
// value other than its true one: the Asimov data are then not the model's
// own prediction at any grid point, and no position is expected. Throws
// InvalidInput when theta_true has the wrong size or a grid parameter is not
// in result.all_parameters.
std::optional<bool> AsimovBestFitAtTruth(const ThetaGrid& grid,
                                         const LimitResult& result,
                                         const Eigen::VectorXd& theta_true,
                                         const OtherParameters& others);

// Observed data from an events file (MadMiner layout) with the observables
// `observables` (names, in this order): every event counts once (n = number
// of events), or, with a non-empty `weights_benchmark`, carries its weight of
// that benchmark (pb) and n = luminosity (pb⁻¹) · Σ w. Messages name the file
// and benchmark as `goldmine limits --observed`/`--observed-weights` does.
// Throws FileFormatError for an unreadable file and InvalidInput for other
// observables, no events, an unknown benchmark, or Σ w ≤ 0.
ObservedData ReadObservedData(const std::string& events_file,
                              const std::vector<std::string>& observables,
                              const std::string& weights_benchmark,
                              double luminosity);
// The same as a description (ObservedData::events, x and weights empty):
// one pass over the file for Σ w with `weights_benchmark`, none without;
// Compute reads the events in batches. The same exceptions and messages.
ObservedData ObservedEventsFile(const std::string& events_file,
                                const std::vector<std::string>& observables,
                                const std::string& weights_benchmark,
                                double luminosity);

// The table of `goldmine limits --csv`: a header line with the scanned
// parameters followed by "minus_two_delta_log_l,p_value,log_likelihood_kin,
// log_likelihood_rate", then one line per grid point in the same columns,
// numbers with 17 significant digits (they read back to the same doubles).
std::string LimitResultCsv(const LimitResult& result);

// Intervals per scanned parameter at the given confidence levels from the
// profile of −2Δ log L over the other grid axes.
std::vector<ParameterIntervals> ProfileIntervals(
    const ThetaGrid& grid,
    const Eigen::VectorXd& minus_two_delta_log_l,
    const std::vector<double>& confidence_levels);

}  // namespace goldmine::inference
