// Simplified likelihoods of HistFactory models (issue 18; CMS-NOTE-2017-001,
// arXiv:1809.05548 "v1"): what a full likelihood reduces to when only the
// per-bin background expectations b, their covariance V, the signal yields s
// and the observed counts are published:
//   L(μ, θ) = Π_i Pois(n_i | μ s_i + b_i + θ_i) · N(θ | 0, V).
// goldmine evaluates it with its own HistFactory engine: V = Σ_k λ_k e_k e_kᵀ
// becomes one histosys modifier per eigenvector, b ± √λ_k e_k, with a unit
// Gaussian constraint. Symmetric histosys variations interpolate linearly
// (code 4p and code 0 alike), so that workspace is exactly the likelihood
// above. docs/simplified_likelihood.md says where the approximation holds.
#pragma once

#include <Eigen/Core>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/inference/fit.h"
#include "goldmine/inference/model.h"

namespace goldmine::inference {

struct SimplifiedLikelihood {
  // Channels in data order and their numbers of bins; the vectors below
  // run over all their bins.
  std::vector<std::pair<std::string, int>> channels;
  Eigen::VectorXd observed;
  Eigen::VectorXd background;
  Eigen::VectorXd signal;      // at μ = 1
  Eigen::MatrixXd covariance;  // of the background expectations
  std::string poi_name;
  double poi_lower = 0.0;
  double poi_upper = 10.0;
  // "postfit": b and V at the background-only fit to the observations;
  // "prefit": at the suggested parameters, V from the constraint widths.
  std::string source = "postfit";
  bool fit_converged = true;  // postfit only
};

// From a model with a POI. Postfit: the fit at μ = 0 gives θ̂, b = ν(0, θ̂),
// s = ν(1, θ̂) − b and V = J C Jᵀ, with C the fit's covariance and
// J = ∂b/∂θ at θ̂ (central differences). Prefit: the same at the suggested
// parameters, with C diagonal from the constraint widths (σ for Gaussian,
// 1/√τ for Poisson constraints). Throws InvalidInput for a model without a
// POI or when the fit's covariance is not positive definite.
SimplifiedLikelihood Simplify(const Model& model,
                              bool prefit,
                              const FitOptions& options = {});

// The JSON document (`goldmine histfactory simplify`), and back. The reader
// throws FileFormatError naming `what` and the key on malformed input.
std::string SimplifiedLikelihoodJson(const SimplifiedLikelihood& likelihood);
bool IsSimplifiedLikelihoodJson(const std::string& text);
SimplifiedLikelihood ParseSimplifiedLikelihood(const std::string& text,
                                               const std::string& what);

// The equivalent pyhf workspace (JSON text): one channel "simplified" with
// samples "signal" (normfactor POI) and "background" (histosys per
// eigenvector of V above 1e-12 of the largest).
std::string SimplifiedLikelihoodWorkspace(
    const SimplifiedLikelihood& likelihood);

}  // namespace goldmine::inference
