// Fisher information of an ensemble of score estimators with its
// covariance (MadMiner's Ensemble.calculate_fisher_information, sum_events,
// equal estimator weights; MADMINER.md §6 Ensemble). Plain Eigen; the
// member scores come from ScoreEstimator::MemberScores.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace goldmine::estimators {

enum class FisherMode {
  // I from the ensemble mean score t̄: I = n_events Σ_n w_n t̄_n t̄_nᵀ (w
  // normalised to Σ w = 1). Covariance: the sample covariance (K − 1 in the
  // denominator) over k of the informations of the shifted scores
  // t̄ + (t_k − t̄)/√K, which have the spread of the mean of K members.
  // MadMiner's default mode "score".
  kScore,
  // I = mean over members of I_k = n_events Σ_n w_n t_k,n t_k,nᵀ; covariance:
  // the sample covariance of the I_k (the spread of single members).
  // MadMiner's mode "information".
  kInformation
};

// P × P information and its P² × P² covariance: covariance(i P + j, k P + l)
// = Cov(I_ij, I_kl) (MadMiner's (P, P, P, P) array, flattened row-major).
// Zero covariance for a single member.
struct FisherInformationWithCovariance {
  Eigen::MatrixXd information;
  Eigen::MatrixXd covariance;
};

// `member_scores`: K ≥ 1 matrices events × P, t̂ of each member.
// `weights`: one per event (empty: all equal), with a positive sum.
// Throws InvalidInput on empty or mismatched inputs.
FisherInformationWithCovariance EnsembleFisherInformation(
    const std::vector<Eigen::MatrixXd>& member_scores,
    const Eigen::VectorXd& weights,
    double n_events,
    FisherMode mode = FisherMode::kScore);

}  // namespace goldmine::estimators
