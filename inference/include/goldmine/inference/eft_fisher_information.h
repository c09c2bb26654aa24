// Expected Fisher information of a binned EFT model including its nuisance
// parameters and their constraint terms, and its profile over the nuisance
// parameters (MadMiner's profile_information, MADMINER.md §7).
//
// At θ with nominal nuisance parameters φ⁰ (α = 0, γ = 1, lumi = 1), for the
// Poisson bins and the Gaussian constraints N(a | φ, σ) of the model,
//
//   I_ij = Σ_b ∂_i ν_b ∂_j ν_b / ν_b  +  δ_ij / σ_i²   (constrained φ_i),
//
// with ∂ν/∂θ from the morphing polynomials and ∂ν/∂φ the derivatives of the
// HistFactory modifiers at φ⁰ (interpolation.h): histosys Δ′(0), normsys
// f′(0) ν, lumi ν, staterror γ_b ν_b. Bins with ν_b ≤ 0 are skipped. The
// profiled information on θ is the Schur complement
//   I_θθ − I_θφ I_φφ⁻¹ I_φθ.
// For Asimov data at θ, −2Δ ln L_profile(θ + δ) = δᵀ I_profiled δ + O(δ³).
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "goldmine/inference/eft_binned_model.h"

namespace goldmine::inference {

struct EftFisherInformation {
  // (P + K) × (P + K): θ first, then the K free engine parameters.
  Eigen::MatrixXd information;
  std::vector<std::string> parameters;  // P θ names, then K nuisance names
  // P × P: nuisance parameters profiled.
  Eigen::MatrixXd profiled;
};

// Throws InvalidInput for a wrong θ size.
EftFisherInformation ComputeEftFisherInformation(const BinnedEftModel& model,
                                                 const Eigen::VectorXd& theta);

// Schur complement keeping `remaining` (indices into information):
// I_rr − I_ro I_oo⁻¹ I_or, with a pseudo-inverse for a singular I_oo.
Eigen::MatrixXd ProfileFisherInformation(const Eigen::MatrixXd& information,
                                         const std::vector<int>& remaining);

}  // namespace goldmine::inference
