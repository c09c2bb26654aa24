// Fisher information on θ (and nuisance parameters ν) from an events file:
// the counterpart of MadMiner's FisherInformation (MADMINER.md §7).
//
// For "bins" b with cross sections σ_b(θ) (single events for the truth
// information, the whole sample for the rate, histogram bins otherwise),
//   I_ij = L Σ_b ∂_iσ_b ∂_jσ_b / σ_b,
// and with nuisance parameters (NuisanceMorpher a_b at ν = 0)
//   I_νν' = L Σ_b σ_b a_bν a_bν',  I_iν = L Σ_b ∂_iσ_b a_bν.
// The covariance of I comes from linear error propagation with fully
// correlated benchmark weights per bin (MadMiner's convention; its nuisance
// block is zero). L is the luminosity in pb⁻¹, σ in pb.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/core/score_model.h"

namespace goldmine::mining {

struct FisherOptions {
  double luminosity = 300000.0;  // pb⁻¹ (300 fb⁻¹)
  // Expressions over the observable names (expression.h): an event is kept
  // when every cut is true; its weights are multiplied by every efficiency.
  std::vector<std::string> cuts;
  std::vector<std::string> efficiencies;
  bool include_nuisance_parameters = true;
  std::int64_t batch_size = 100000;
  // MadMiner adds (instead of subtracting) the ∂/∂w of 1/σ term in the
  // Jacobian of its covariance; true reproduces its numbers.
  bool madminer_covariance = true;
  // Threads for the per-event terms of truth and histogram (the events file
  // is read by one thread). Every batch is cut into chunks of a fixed number
  // of events whose sums are added in order, so the numbers do not depend on
  // the thread count.
  int threads = 1;
};

// Histogram binning of one observable (MadMiner's conventions):
//  - edges given: the bins are (−∞, e0], (e0, e1], ..., (e_last, ∞);
//  - num_bins with range: num_bins equal bins in range plus 2 overflow bins;
//  - num_bins without range: dynamic, boundaries at the weighted quantiles
//    k/num_bins of the observable at θ (num_bins bins in total).
// An event falls in bin i where i = #(boundaries < value); an undefined or
// NaN value falls in the overflow bin, and takes no part in dynamic
// quantiles (histogram_bins.h, MadMiner's rule).
struct HistogramBinning {
  std::vector<double> edges;
  int num_bins = 0;
  std::optional<std::pair<double, double>> range;
};

// Where an estimated information most exceeds the truth on the same events
// (fisher_uncertainty.h, LargestTruthExcess).
struct TruthExcess {
  Eigen::VectorXd direction;  // unit vector v in parameter space
  double ratio = 0.0;         // vᵀ I v / vᵀ I_truth v, the largest such
  double excess = 0.0;        // vᵀ (I − I_truth) v
  double uncertainty = 0.0;   // its Monte Carlo standard error
};

struct FisherResult {
  Eigen::MatrixXd information;  // n × n, n = P (+ K)
  // covariance[i * n + j](k, l) = Cov(I_ij, I_kl).
  std::vector<Eigen::MatrixXd> covariance;
  std::vector<std::string> parameters;  // P physics (+ K nuisance) names
  std::vector<double> boundaries;       // histogram bin boundaries used
  // Histograms: per axis the edges of every bin including the underflow and
  // overflow bins, −∞, b_0, …, b_last, +∞.
  std::vector<std::vector<double>> histogram_edges;

  // Monte Carlo statistical standard error of every element of
  // `information`, from the event weights (fisher_uncertainty.h); same shape.
  // Unlike `covariance` (MadMiner's convention: fully correlated benchmark
  // weights, Poisson per bin) it is the delta-method variance for a fixed
  // number of simulated events, and it covers the nuisance block.
  Eigen::MatrixXd information_uncertainty;
  // The full Monte Carlo covariance of those elements, Cov(I_ij, I_kl) at
  // (i·n + j, k·n + l), n² × n² (same delta method; its diagonal is the
  // square of information_uncertainty). A function of several elements,
  // such as a profiled interval √(I⁻¹)_ii, needs their correlations. Empty
  // when n > kMaxMcCovarianceParameters (fisher_uncertainty.h).
  Eigen::MatrixXd information_mc_covariance;
  // (Σw)²/Σw² of the weights at θ of the kept events, and L σ(θ).
  double effective_number_of_events = 0.0;
  double expected_number_of_events = 0.0;
  // Per diagonal element, the largest share of it that one event carries
  // (truth: its exact term; rate, histograms: its largest |linearised
  // contribution| J_b · w_e; sally: of the kinematic term).
  Eigen::VectorXd largest_event_fraction;
  // sally on a file without nuisance components: the truth information
  // L σ E_p[t tᵀ] (+ rate) on the same partition from the events' joint
  // scores t = ∇σ_e/σ_e − ∇σ/σ, and the standard error of
  // information − truth_information. Empty otherwise.
  Eigen::MatrixXd truth_information;
  Eigen::MatrixXd truth_difference_uncertainty;
  // The direction of the largest excess over truth_information, with the
  // Monte Carlo error of the excess: the diagonal comparison (ExceedsTruth)
  // looks only along the parameter axes, and a nearly degenerate truth is
  // exceeded first along its flattest direction. Empty without the truth
  // comparison or above kMaxMcCovarianceParameters.
  std::optional<TruthExcess> truth_excess;
  // With a reference score (e.g. the Matrix Element Method's exact one):
  // its information on the same events (+ the same rate term), the MC
  // standard error of its kinematic part, and that of information −
  // reference_information, which is far below either's when the two scores
  // are close (the same events enter both). Empty otherwise.
  Eigen::MatrixXd reference_information;
  Eigen::MatrixXd reference_uncertainty;
  Eigen::MatrixXd reference_difference_uncertainty;
  // sally with an ensemble of K ≥ 2 members: the standard deviation over
  // members of each member's information (same events, same weights).
  // Empty otherwise.
  Eigen::MatrixXd ensemble_uncertainty;
};

// t̂(x) of every member of an ensemble: K matrices events × parameters
// (the rows of x are events, as for core::ScoreModel::Score).
using MemberScores =
    std::function<std::vector<Eigen::MatrixXd>(const Eigen::MatrixXd&)>;
// t̂ of a batch of kept events: the rows of x are the events (all the
// file's observables), `rows` their row numbers in the events file; returns
// events × score components.
using EventScorer = std::function<Eigen::MatrixXd(
    const Eigen::MatrixXd& x, const std::vector<std::int64_t>& rows)>;

class FisherInformation {
 public:
  // Throws FileFormatError; InvalidInput for bad cut/efficiency expressions
  // or a file without morphing.
  explicit FisherInformation(const std::filesystem::path& events_file,
                             FisherOptions options = {});
  ~FisherInformation();
  FisherInformation(const FisherInformation&) = delete;
  FisherInformation& operator=(const FisherInformation&) = delete;

  int num_parameters() const;
  int num_nuisance_parameters() const;  // 0 unless included

  // Parton-level information: every event is its own bin.
  FisherResult Truth(const Eigen::VectorXd& theta) const;
  // Total rate only.
  FisherResult Rate(const Eigen::VectorXd& theta) const;
  // 1D histogram of an observable expression.
  FisherResult Histogram(const Eigen::VectorXd& theta,
                         const std::string& observable,
                         const HistogramBinning& binning) const;
  // 2D histogram; bin (i, j) → i · n2 + j.
  FisherResult Histogram2D(const Eigen::VectorXd& theta,
                           const std::string& observable1,
                           const HistogramBinning& binning1,
                           const std::string& observable2,
                           const HistogramBinning& binning2) const;

  // Kinematic information from an estimated score t̂(x) (SALLY; MadMiner's
  // full_information in "score" mode): I = L σ(θ) Σ_n w_n t̂_n t̂_nᵀ / Σ_n w_n
  // over the events of `partition` ("test" by default, as MadMiner), with
  // w_n the weights at θ after cuts and efficiencies and σ(θ) the cross
  // section of all events; plus the rate information when `include_rate`.
  // The model's observables are matched to the file's by name; its score
  // components must be the file's parameters (then nuisance parameters are
  // left out) or parameters + nuisance parameters. Throws InvalidInput on a
  // mismatch or an empty partition.
  // With `members` (an ensemble whose mean is `model`), the result also
  // has the ensemble spread (ensemble_uncertainty).
  // With `reference`, the result also compares the model with that score
  // on the same events (reference_information, ...).
  FisherResult Score(const Eigen::VectorXd& theta,
                     const core::ScoreModel& model,
                     const std::string& partition = "test",
                     bool include_rate = true,
                     const MemberScores& members = {},
                     const EventScorer& reference = {}) const;

  // The same for any per-event score, e.g. the exact observable-level
  // score of the Matrix Element Method (mem/): `components` names the
  // score's columns (the file's parameters, optionally + nuisance), and
  // `members` receive the whole observation rows.
  FisherResult EventScores(const Eigen::VectorXd& theta,
                           const std::vector<std::string>& components,
                           const EventScorer& scorer,
                           const std::string& partition = "test",
                           bool include_rate = true,
                           const MemberScores& members = {},
                           const EventScorer& reference = {}) const;

  // Cross section at θ after cuts and efficiencies (pb), and ∇_θ of it
  // (physics parameters).
  double CrossSection(const Eigen::VectorXd& theta) const;
  Eigen::VectorXd CrossSectionGradient(const Eigen::VectorXd& theta) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Kinematic information from an estimated score (SALLY): events with
// weights w_n (any normalisation) and estimated scores t̂_n (rows),
//   I = L σ Σ_n w_n t̂_n t̂_nᵀ / Σ_n w_n.
Eigen::MatrixXd ScoreFisherInformation(const Eigen::MatrixXd& scores,
                                       const Eigen::VectorXd& weights,
                                       double xsec,
                                       double luminosity);

// The sub-matrix of the remaining components (MadMiner project_information).
Eigen::MatrixXd ProjectInformation(const Eigen::MatrixXd& information,
                                   const std::vector<int>& remaining);
// Profiles the other components: I_rr − I_ro I_oo⁻¹ I_or (Schur complement).
Eigen::MatrixXd ProfileInformation(const Eigen::MatrixXd& information,
                                   const std::vector<int>& remaining);
// Unit-Gaussian constraints of K nuisance parameters: diag(0…0, 1…1).
Eigen::MatrixXd NuisanceConstraintInformation(int num_parameters,
                                              int num_nuisance_parameters);

}  // namespace goldmine::mining
