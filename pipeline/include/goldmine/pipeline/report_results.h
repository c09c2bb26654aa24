// The numbers of the `goldmine run` report, read back from the stages'
// outputs: Fisher information matrices (fisher stage), likelihood scans
// (limits stage), and the intervals derived from them.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/mining/madminer_file.h"
#include "goldmine/pipeline/pipeline_config.h"
#include "goldmine/pipeline/study_stages.h"

namespace goldmine::pipeline {

struct FisherEntry {
  std::string name;    // truth, rate, histogram_stxs_5bin, sally
  std::string label;   // "truth (parton level)", "STXS 5 bins", "SALLY"
  std::string source;  // how the matrix was obtained
  std::string events;  // which events it was computed on
  // Histograms: the bin edges per axis the command used (±∞ for the
  // underflow and overflow bins), from its `histogram_edges`.
  std::vector<std::vector<double>> edges;
  bool available = false;
  std::string reason;           // when not available
  Eigen::MatrixXd information;  // P × P at fisher.theta
  // Monte Carlo statistics of `goldmine fisher` (docs/fisher_uncertainty.md);
  // empty / NaN when the command did not output them (e.g. the SALLY
  // fallback from `goldmine evaluate` predictions).
  Eigen::MatrixXd uncertainty;           // per element, like information
  Eigen::MatrixXd ensemble_uncertainty;  // sally ensembles: spread of members
  // Cov(I_ij, I_kl) at (i·n + j, k·n + l), n² × n² (empty when absent).
  Eigen::MatrixXd mc_covariance;
  double effective_events = std::nan("");      // n_eff = (Σw)²/Σw²
  double expected_events = std::nan("");       // L σ(θ)
  std::vector<double> largest_event_fraction;  // per parameter
  std::vector<bool> exceeds_truth;             // sally, per parameter
  // sally: the command's truth_excess, when it exceeds beyond its error
  // along a direction that is no parameter axis ("" otherwise).
  std::string exceeds_truth_direction;
  std::vector<std::string> warnings;  // the command's, verbatim
};

struct LimitsEntry {
  std::string name;
  std::string label;
  std::string events;  // which events fill the templates and Asimov data
  std::vector<int> parameters;    // the scanned ones (indices), grid columns
  std::vector<int> profiled;      // profiled at every grid point
  std::string scan;               // limits.scans: what is fixed or profiled
  int profile_not_converged = 0;  // grid points whose profile fit failed
  std::vector<std::vector<double>> edges;  // as FisherEntry::edges
  bool available = false;
  std::string reason;
  Eigen::MatrixXd grid;  // points × scanned parameters, first slowest
  Eigen::VectorXd minus_two_dlnl;  // one per point
};

// A confidence interval of one parameter. `bounded` is false when the
// information does not constrain the parameter (a flat direction).
struct Interval {
  bool bounded = false;
  double lo = 0.0;
  double hi = 0.0;
  bool lo_at_edge = false;  // the region reaches the scanned range
  bool hi_at_edge = false;
};

// Δ(−2 ln L) thresholds: one parameter (profiled) at 68% and 95% CL, and two
// parameters jointly (contours).
inline constexpr double kOneDof68 = 1.0;
inline constexpr double kOneDof95 = 3.841458820694124;
inline constexpr double kTwoDof68 = 2.295748928898636;  // −2 ln(1 − 0.6827)
inline constexpr double kTwoDof95 = 5.991464547107979;

// Whether a Fisher information is singular (rank-deficient, e.g. the rate
// alone): its smallest eigenvalue is at most 1e-10 of the largest, so that
// its determinant is rounding noise (−6e−50) rather than a number to show.
bool IsSingular(const Eigen::MatrixXd& information);

// The Fisher information of the `scanned` parameters in a slice where the
// `profiled` ones are maximised over and all others fixed: with S = scanned
// ∪ profiled, the inverse of the scanned block of (I_SS)⁻¹ (I_SS itself
// when nothing is profiled). The asymptotic counterpart of a limits scan.
Eigen::MatrixXd SliceInformation(const Eigen::MatrixXd& information,
                                 const std::vector<int>& scanned,
                                 const std::vector<int>& profiled);

// The profiled interval from the Fisher information (asymptotic, centred
// at `center`): center ± sqrt(threshold (I⁻¹)_ii).
Interval FisherInterval(const Eigen::MatrixXd& information,
                        int parameter,
                        double threshold,
                        double center);

// The profiled interval from a scan: −2Δln L minimised over the other
// parameters at each grid value of `parameter`, crossings of `threshold`
// interpolated linearly between grid values.
Interval ScanInterval(const Eigen::MatrixXd& grid,
                      const Eigen::VectorXd& values,
                      int parameter,
                      double threshold);

// σ(θ) and ∇σ(θ) (pb) of an events file from its benchmark cross sections
// and morphing.
struct MorphedCrossSection {
  double sigma = 0.0;
  Eigen::VectorXd gradient;
};
MorphedCrossSection CrossSectionAt(const mining::MadminerSetup& setup,
                                   const Eigen::VectorXd& benchmark_xsecs,
                                   const Eigen::VectorXd& theta);
// Morphing weights w_b(θ) of the physics benchmarks.
Eigen::VectorXd MorphingWeights(const mining::MadminerSetup& setup,
                                const Eigen::VectorXd& theta);

// Fisher information of a score estimator from its predictions on events
// drawn at θ: I = L [σ E[t̂ t̂ᵀ] + ∇σ ∇σᵀ / σ] (the kinematic part plus the
// rate term, as `goldmine fisher sally` defines it).
Eigen::MatrixXd ScoreFisherInformation(const Eigen::MatrixXd& scores,
                                       const MorphedCrossSection& xsec,
                                       double luminosity);

// "(−∞, 50, 100, +∞)" per axis, axes joined by " × "; empty: "—".
std::string EdgesText(const std::vector<std::vector<double>>& edges);

// One `goldmine fisher` result: read from `path` or, when absent, not
// available with the reason `stage_record` (DIR/<stage>/stage.json) gives
// for the step labelled `step_label`.
FisherEntry LoadFisherEntry(const std::filesystem::path& path,
                            const std::filesystem::path& stage_record,
                            const std::string& name,
                            const std::string& label,
                            const std::string& step_label);

std::vector<FisherEntry> LoadFisherEntries(const PipelineConfig& config,
                                           const StudyFiles& files);
std::vector<LimitsEntry> LoadLimitsEntries(const PipelineConfig& config,
                                           const StudyFiles& files);

}  // namespace goldmine::pipeline
