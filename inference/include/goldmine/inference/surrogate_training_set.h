// Training data of a neural likelihood surrogate (issue 18,
// docs/surrogates.md): signal yields s sampled around a workspace's signal
// points, each labelled with the profiled −2 ln L differences of
// yield_likelihood.h (observed and Asimov data), computed by goldmine's own
// fits in parallel.
//
// Where the points go. Signal point k has yields s_k; its scale μ_k is where
// the Asimov test statistic of μ s_k reaches max_test_statistic, so that
// every signal point is covered from "no signal" to well beyond its limit
// whatever its cross section. A point is
//   s = μ · s_k ∘ exp(σ z − σ²/2),   z ~ N(0, 1) per bin,
// a signal point with its overall size and, by σ = shape_spread, its shape
// varied: the neighbourhood in which other signal models of the same
// analysis lie.
//   - random points: k uniform, μ uniform in [0, 1.2 μ_k];
//   - MCMC points: Metropolis chains in (z, μ) with target density
//     N(z; 0, 1) · exp(−Δ_obs(s) / (2 T)), T = temperature, which
//     concentrate points where the observed likelihood is large (small test
//     statistics, where CLs changes fastest); every proposal is labelled and
//     kept, accepted or not.
//
// Reproducible: random blocks and chains are units of work with seeds
// derived from `seed` and their index, so the set depends on the seed only,
// not on the number of threads.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "goldmine/inference/yield_likelihood.h"

namespace goldmine::inference {

struct SurrogateSamplingOptions {
  int num_points = 6000;
  double mcmc_fraction = 0.5;  // the rest are random points
  double shape_spread = 0.3;   // σ above
  double max_test_statistic = 30.0;
  double temperature = 4.0;
  int chain_length = 40;
  std::uint64_t seed = 1;
  int threads = 1;
  // Called with (points labelled, total) as work completes.
  std::function<void(int, int)> progress;

  // Lists every problem at once; empty when the options are usable.
  std::string Validate() const;
};

struct SurrogateTrainingSet {
  Eigen::MatrixXd signal;   // points × inputs
  Eigen::MatrixXd targets;  // points × 2: Δ(−2 ln L) observed, Asimov
  // Per signal point, μ_k above.
  std::vector<double> scales;
  // Per input, the smallest and largest yield in the set: the validity range
  // of a surrogate trained on it.
  Eigen::VectorXd lower, upper;
  // Points whose fits did not converge (left out of signal and targets).
  int num_dropped = 0;
};

// The scale μ_k of a signal point (see above). Throws InvalidInput when the
// point has no yield or its test statistic does not grow with μ.
double SignalScale(const YieldLikelihood& likelihood,
                   const Eigen::VectorXd& signal_point,
                   double max_test_statistic);

// Weights of the points' squared errors in the regression: 1 / (0.5 + Δ_A).
// CLs depends on √q, so an error δ in Δ moves it by about δ / (2 √q): a
// network whose squared errors are weighted so is about equally precise in
// CLs over the whole range, instead of spending its precision on the large
// Δ that no CLs in [0.01, 0.5] depends on.
Eigen::VectorXd SurrogateTrainingWeights(const SurrogateTrainingSet& set);

// Samples and labels options.num_points points around `signal_points`.
// Throws InvalidInput for invalid options or no signal point.
SurrogateTrainingSet SampleSurrogateTrainingSet(
    const YieldLikelihood& likelihood,
    const std::vector<Eigen::VectorXd>& signal_points,
    const SurrogateSamplingOptions& options);

}  // namespace goldmine::inference
