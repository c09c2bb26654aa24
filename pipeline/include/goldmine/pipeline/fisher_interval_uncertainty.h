// Monte Carlo uncertainty of the 1σ Fisher intervals of the `goldmine run`
// report, from the per-element errors δI of `goldmine fisher`
// (docs/fisher_uncertainty.md, "Intervals"; issue 17, item 6).
#pragma once

#include <Eigen/Core>
#include <string>

namespace goldmine::pipeline {

// A half width σ and its Monte Carlo standard error δσ; `valid` is false
// when the information does not bound the parameter (σ would be infinite).
struct IntervalWidth {
  bool valid = false;
  double sigma = 0.0;
  double uncertainty = 0.0;
  bool approximate = false;  // see ProfiledWidth
};

// The others fixed: σ = 1/√I_ii depends on one element, so to first order
// δσ/σ = ½ δI_ii/I_ii exactly.
IntervalWidth FixedOthersWidth(const Eigen::MatrixXd& information,
                               const Eigen::MatrixXd& uncertainty,
                               int parameter);

// The others profiled: σ = √C_ii with C = I⁻¹, δσ = δC_ii/(2σ), and to
// first order δC_ii = −Σ_jk C_ij C_ik δI_jk over every ordered pair (j, k).
// With the elements' covariance `mc_covariance` (Cov(I_jk, I_lm) at
// (j·n + k, l·n + m), `goldmine fisher`'s fisher_information_mc_covariance)
// δC_ii² = aᵀ Cov a with a_jk = −C_ij C_ik: exact to first order, and
// `approximate` is false. Without it (empty) the per-element errors are
// taken as independent, δC_ii² = Σ_{j≤k} (∂C_ii/∂I_jk δI_jk)² with the
// derivative counted twice for j ≠ k: an approximation that ignores that all
// elements fluctuate with the same events, and overstates the error of a
// nearly degenerate information by orders of magnitude.
IntervalWidth ProfiledWidth(const Eigen::MatrixXd& information,
                            const Eigen::MatrixXd& uncertainty,
                            const Eigen::MatrixXd& mc_covariance,
                            int parameter);

// "12.35 ± 0.41"; without an uncertainty (negative or not finite) the value
// alone.
std::string ValueWithUncertainty(double value,
                                 double uncertainty,
                                 int digits = 4);

}  // namespace goldmine::pipeline
