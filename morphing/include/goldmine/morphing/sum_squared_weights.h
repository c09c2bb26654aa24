// How good is a morphing basis? At θ, the morphed weight of an event is
// Σ_b w_b(θ) w(z|θ_b); if the benchmark samples fluctuate independently, the
// variance at θ grows like Σ_b w_b(θ)². The basis-quality measure is the
// expectation of that sum over θ uniform in the parameter ranges,
//
//   E[Σ_b w_b(θ)²] = tr(Mᵀ G M),   G_cc' = E[c_c(θ) c_c'(θ)] = Π_p E[θ_p^(k_cp
//   + k_c'p)],
//
// computed exactly from the moments of the uniform distribution. MadMiner
// estimates the same quantity (with the opposite sign) from 100 random θ in
// evaluate_morphing(); the exact value has no Monte Carlo noise, so
// optimisers compare bases fairly.
#pragma once

#include <Eigen/Core>

#include "goldmine/core/parameter.h"
#include "goldmine/morphing/components.h"

namespace goldmine::morphing {

class ExpectedSumSquaredWeights {
 public:
  // One range per parameter, each with lower < upper. Throws InvalidInput.
  ExpectedSumSquaredWeights(Components components, ParameterRanges ranges);

  // E[Σ_b w_b(θ)²] for the basis (benchmarks × parameters, at least as many
  // rows as components); +infinity when the basis is (numerically) singular,
  // so that an optimiser simply rejects it.
  double Value(const Eigen::MatrixXd& basis) const;

  // Value and its gradient with respect to every basis entry (same shape as
  // basis). Square bases only (as many benchmarks as components). The
  // gradient is left unchanged when the value is infinite.
  double ValueAndGradient(const Eigen::MatrixXd& basis,
                          Eigen::MatrixXd* gradient) const;

  const Components& components() const { return components_; }
  const ParameterRanges& ranges() const { return ranges_; }
  // G, num_components() × num_components().
  const Eigen::MatrixXd& second_moments() const { return second_moments_; }

 private:
  Components components_;
  ParameterRanges ranges_;
  Eigen::MatrixXd second_moments_;
};

}  // namespace goldmine::morphing
