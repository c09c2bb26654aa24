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
//
// Several minima: where an expected rate is not monotonic in a nuisance
// parameter (Model::non_monotonic_parameters(), e.g. a histosys with both
// variations below the nominal), the likelihood can have a minimum on each
// side of the rate's extremum, and a local minimiser stops in whichever basin
// it starts in. After the first minimisation the fit therefore scans
// twice_nll along each such free parameter (a coarse 1D slice through the
// minimum, others held) and restarts the minimiser from every slice minimum
// separated from the current one by a barrier, lowest slice value first,
// keeping the lowest minimum (at most max_basin_starts restarts per fit;
// repeated while a restart finds a lower minimum). Distinct minima found on
// the way are reported in FitResult::other_minima (docs/histfactory.md).
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
  // Search the other basins of non-monotonic parameters (see above).
  bool search_basins = true;
  int max_basin_starts = 8;

  // Lists every problem at once; empty when the options are usable.
  std::string Validate() const;
  std::string Description() const;
};

// A local minimum of twice_nll other than the reported one.
struct LocalMinimum {
  double twice_nll = 0.0;
  Eigen::VectorXd parameters;
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
  // Distinct local minima above the reported one, lowest first; empty when
  // the basin search found only one minimum.
  std::vector<LocalMinimum> other_minima;
  int num_basin_starts = 0;  // restarts made by the basin search
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
