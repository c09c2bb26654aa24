// Monte Carlo statistical uncertainty of Fisher information estimates
// (docs/fisher_uncertainty.md; issue 17 item 6).
//
// Every estimator here is a function F of sums over the N simulated events
// of the file, homogeneous of degree 1 in the event weights. Its linearised
// per-event contributions y_e = ∇F · (event e's weights) then sum to F
// itself (Euler), and for N events drawn independently (a fixed number N, as
// a generator run produces them; events removed by cuts contribute y_e = 0)
//   Var F ≈ N/(N−1) [Σ_e y_e² − (Σ_e y_e)²/N]            (delta method).
// For the truth information each event is its own bin and y_e is its exact
// contribution L ∂σ_e ∂σ_eᵀ/σ_e; for binned information (rate, histograms)
// y_e = J_b · w_e with J_b the gradient of the bin's term with respect to the
// bin's benchmark weights, so Σ_e∈b y_e² = J_bᵀ (Σ_e∈b w_e w_eᵀ) J_b; for the
// score (SALLY) information see WeightedMeanInformation.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/mining/fisher_information.h"

namespace goldmine::mining {

// Warn when the simulation has fewer effective events than the data it
// models: n_eff = (Σw)²/Σw² < kEffectiveEventsRatio · L σ(θ).
inline constexpr double kEffectiveEventsRatio = 1.0;
// Warn when one event holds more than this share of a diagonal element.
inline constexpr double kLargestEventFractionLimit = 0.1;
// Flag a trained estimator whose diagonal element exceeds the truth on the
// same events by more than this many standard errors of the difference.
inline constexpr double kExcessOverTruthSigmas = 2.0;

// The full Monte Carlo covariance of the elements (FisherResult::
// information_mc_covariance) costs (n(n+1)/2)² per event for n parameters
// (physics + nuisance); above this n it is not computed.
inline constexpr int kMaxMcCovarianceParameters = 10;

// The elements (i, j), i ≤ j, of a symmetric n × n matrix, row by row:
// n(n+1)/2 values.
Eigen::VectorXd PackUpper(const Eigen::MatrixXd& symmetric);

// Cov(F_ij, F_kl) for every ordered pair of elements, n² × n² with index
// i·n + j, from the sum F = Σ_e y_e (n × n) of the per-event contributions
// of N events and the sum of the outer products of their packed forms,
// S2 = Σ_e PackUpper(y_e) PackUpper(y_e)ᵀ:
//   Cov = N/(N−1) [S2 − PackUpper(F) PackUpper(F)ᵀ / N],
// the covariance version of ContributionStandardError (its diagonal is the
// square of that, before clipping). Zero for N < 2.
Eigen::MatrixXd ContributionCovariance(const Eigen::MatrixXd& sum,
                                       const Eigen::MatrixXd& packed_squares,
                                       std::int64_t num_events);

// sqrt(N/(N−1) [S2 − S²/N]) element-wise, clipped at 0, from the sum S and
// the sum of squares S2 of the per-event contributions of N events (N ≥ 2;
// zero for N < 2).
Eigen::MatrixXd ContributionStandardError(const Eigen::MatrixXd& sum,
                                          const Eigen::MatrixXd& squares,
                                          std::int64_t num_events);

// M = L σ Σ_p w_e T_e / Σ_p w_e: the score information (T_e = t̂ t̂ᵀ) or
// its difference from the truth (T_e = t̂ t̂ᵀ − t tᵀ) over the events p of a
// partition, with σ = Σ w over all kept events. With W_p = Σ_p w, R = M/(Lσ)
// and k = σ/W_p, event e contributes y_e = L w_e [R + 1_p(e) k (T_e − R)], so
//   Σ y² = L² [R² Σ_all w² + 2 R k (Q − R P2) + k² (Q2 − 2 R Q + R² P2)]
// with P2 = Σ_p w², Q = Σ_p w² T, Q2 = Σ_p w² T∘T (element-wise).
// With equal weights and every event in the partition this is the standard
// error of the mean, L σ sd(T)/√N, exactly.
class WeightedMeanInformation {
 public:
  explicit WeightedMeanInformation(int n);
  // Every kept event of the file (partition or not): its weight at θ.
  void AddAnyEvent(double w);
  // An event of the partition (call AddAnyEvent for it too).
  void AddPartitionEvent(double w, const Eigen::MatrixXd& t);

  double partition_weight() const { return partition_weight_; }
  Eigen::MatrixXd Information(double luminosity) const;
  // num_events: every simulated event of the file, kept or not.
  Eigen::MatrixXd StandardError(double luminosity,
                                std::int64_t num_events) const;
  // Cov(M_ij, M_kl) (ContributionCovariance), the same formula with outer
  // products of the packed T_e; empty when n > kMaxMcCovarianceParameters.
  Eigen::MatrixXd Covariance(double luminosity, std::int64_t num_events) const;
  // max_e w_e T_e,ii / Σ_p w T_ii per diagonal element (0 when the sum is 0).
  Eigen::VectorXd LargestEventFraction() const;

 private:
  double total_ = 0.0;
  double total_squares_ = 0.0;
  double partition_weight_ = 0.0;
  double partition_squares_ = 0.0;
  Eigen::MatrixXd sum_;  // Σ_p w T
  Eigen::MatrixXd q_;    // Σ_p w² T
  Eigen::MatrixXd q2_;   // Σ_p w² T∘T
  // Σ_p w² PackUpper(T) PackUpper(T)ᵀ (empty above the covariance limit)
  Eigen::MatrixXd q2_packed_;
  Eigen::VectorXd largest_;  // max_p w T_ii
};

// The warnings of a result: too few effective events, one event holding a
// large share of a diagonal element, an estimator above the truth. One line
// each, naming the parameter and the numbers.
std::vector<std::string> FisherWarnings(const FisherResult& result);

// Standard error of information(i, i) − truth_information(i, i): the Monte
// Carlo error of the difference and the ensemble spread (when there is one)
// in quadrature.
double ExcessUncertainty(const FisherResult& result, Eigen::Index i);

// information(i, i) / reference_information(i, i) with its Monte Carlo
// error. R = 1 + D/B with D = I − I_ref and B = I_ref, so to first order
// δR² = δD²/B² + D² δB²/B⁴: close scores on the same events share their
// fluctuations, and δD (reference_difference_uncertainty) is small.
struct Fraction {
  double value = 0.0;
  double uncertainty = 0.0;
};
Fraction FractionOfReference(const FisherResult& result, Eigen::Index i);

// The largest λ of I v = λ I_truth v (the generalised eigenproblem of two
// symmetric matrices, I_truth positive definite) and its eigenvector v,
// normalised: the direction in which `information` most exceeds `truth`
// relative to it. The excess vᵀ (I − I_truth) v gets the standard error
// √(aᵀ Cov a), a = vec(v vᵀ), from `difference_covariance` (Cov of the
// elements of I − I_truth, n² × n², as FisherResult::
// information_mc_covariance); v is taken as fixed (first order). nullopt
// when I_truth is not positive definite or the covariance is missing.
std::optional<TruthExcess> LargestTruthExcess(
    const Eigen::MatrixXd& information,
    const Eigen::MatrixXd& truth,
    const Eigen::MatrixXd& difference_covariance);

// The truth excess of a result exceeds kExcessOverTruthSigmas × its error
// (the ensemble spread projected on v, √Σ_ij (v_i v_j e_ij)², added in
// quadrature). False without a truth excess.
bool ExceedsTruthInSomeDirection(const FisherResult& result);

// Per diagonal element: (information − truth_information) exceeds
// kExcessOverTruthSigmas × ExcessUncertainty. Empty without a truth
// comparison.
std::vector<bool> ExceedsTruth(const FisherResult& result);

}  // namespace goldmine::mining
