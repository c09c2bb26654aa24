// Adaptive Monte Carlo integration over the unit hypercube: VEGAS
// (G. P. Lepage, J. Comput. Phys. 27 (1978) 192), for an integrand with
// several outputs that share every sample point.
//
// The Matrix Element Method integrates, per event, one density per
// morphing component over the same unobserved variables. The components
// are strongly correlated, and the ratios between them (the score, the
// likelihood ratio) are what matters; sampling them at the same points keeps
// those ratios far more precise than separate integrations would (GSL's
// gsl_monte_vegas integrates one scalar function, hence this small
// implementation).
//
// Algorithm: a separable grid of `bins` intervals per axis maps uniform
// points to the integration variables with a piecewise-constant density.
// Each iteration draws `calls_per_iteration` points, estimates every output
// with its variance, and refines the grid so that every interval carries
// the same share of Σ (guide · Jacobian)² (smoothed, damped by `damping`).
// The guide is Σ_k |f_k| / s_k with s_k the mean |f_k| of the previous
// iteration, so that no output is neglected. After `warmup_iterations`
// (grid training only), iterations are combined with the inverse variance
// of the first output as weights, the same for every output, so that linear
// relations between outputs hold exactly in the combination. The loop stops
// once the first output's relative error is below `relative_precision`
// (and at least `min_iterations` were combined), or after `max_iterations`.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>

#include "goldmine/core/random.h"

namespace goldmine::mem {

// f(u, out): u holds `dimension` coordinates in (0, 1); the integrand writes
// `num_outputs` values to out. It must be thread-compatible (one call at a
// time per integration).
using VectorIntegrand = std::function<void(const double* u, double* out)>;

struct VegasSettings {
  int bins = 64;
  std::int64_t calls_per_iteration = 2000;
  int warmup_iterations = 3;
  int min_iterations = 2;
  int max_iterations = 20;
  double relative_precision = 1e-3;
  double damping = 1.5;

  // Throws InvalidInput naming the first value out of range.
  void Validate() const;
};

struct VegasResult {
  Eigen::VectorXd value;  // per output
  Eigen::VectorXd error;  // its standard error
  std::int64_t calls = 0;
  int iterations = 0;  // combined (after the warm-up)
  // χ² per degree of freedom of the first output between the combined
  // iterations (≈ 1 when the error estimates are sound).
  double chi2_per_dof = 0.0;
  // The first output reached relative_precision.
  bool converged = false;
};

// Integrates f over [0, 1)^dimension. Deterministic for a given `random`
// state. Throws InvalidInput for bad settings, dimension < 1 or
// num_outputs < 1.
VegasResult IntegrateVegas(const VectorIntegrand& f,
                           int dimension,
                           int num_outputs,
                           const VegasSettings& settings,
                           RandomStream& random);

}  // namespace goldmine::mem
