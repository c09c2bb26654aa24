// Maximum-likelihood fits of a HistFactory Model: minimise twice_nll =
// −2 ln L within the parameter bounds, holding fixed parameters at their
// values, as pyhf.infer.mle.fit / fixed_poi_fit do (docs/HISTFACTORY.md §7).
//
// The minimiser is NLopt's L-BFGS (or SLSQP) with the model's analytic
// gradient, run in parameters scaled by their constraint widths (σ, or
// 1/√τ for Poisson constraints): stock pyhf's unscaled SLSQP stalls on
// workspaces with τ ~ 1e11 (HISTFACTORY.md §15.2). Rounds are repeated from
// the best point until twice_nll stops improving. Uncertainties come from the
// inverse Hessian of ½ twice_nll at the minimum (finite differences of the
// analytic gradient).
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "goldmine/inference/model.h"

namespace goldmine::inference {

enum class FitAlgorithm { kLbfgs, kSlsqp };

struct FitOptions {
  FitAlgorithm algorithm = FitAlgorithm::kLbfgs;
  // Converged when no free parameter, in units of its constraint width, has
  // a projected gradient of twice_nll larger than this.
  double gradient_tolerance = 1e-3;
  int max_evaluations = 20000;  // per minimisation round
  int max_rounds = 8;
  bool compute_uncertainties = true;

  // Lists every problem at once; empty when the options are usable.
  std::string Validate() const;
  std::string Description() const;
};

struct FitResult {
  Eigen::VectorXd parameters;  // best point, in model order
  double twice_nll = 0.0;
  // √(covariance diagonal); 0 for fixed parameters, NaN when the Hessian
  // is not positive definite. Empty when not computed.
  Eigen::VectorXd uncertainties;
  Eigen::MatrixXd covariance;  // num_parameters² (zero rows for fixed ones)
  bool converged = false;
  std::string message;  // why it stopped; the problem when not converged
  int num_evaluations = 0;
};

// The general fit: start at `init`, bounds [lower, upper], parameters with
// fixed[i] held at init(i). Throws InvalidInput for mismatched sizes or an
// init outside its bounds; a fit that fails to converge is reported in the
// result, not thrown.
FitResult MinimizeTwiceNll(const Model& model,
                           const Eigen::VectorXd& data,
                           const Eigen::VectorXd& init,
                           const Eigen::VectorXd& lower,
                           const Eigen::VectorXd& upper,
                           const std::vector<bool>& fixed,
                           const FitOptions& options = {});

// Global fit with the model's suggested inits, bounds and fixed flags.
FitResult Fit(const Model& model,
              const Eigen::VectorXd& data,
              const FitOptions& options = {});

// Conditional fit with the POI fixed at poi_value (which must lie inside its
// bounds). Throws InvalidInput for a model without a POI.
FitResult FixedPoiFit(const Model& model,
                      const Eigen::VectorXd& data,
                      double poi_value,
                      const FitOptions& options = {});

}  // namespace goldmine::inference
