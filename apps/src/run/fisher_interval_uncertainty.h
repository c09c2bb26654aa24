// Monte Carlo uncertainty of the 1σ Fisher intervals of the `goldmine run`
// report, from the per-element errors δI of `goldmine fisher`
// (docs/fisher_uncertainty.md, "Intervals"; issue 17, item 6).
#pragma once

#include <Eigen/Core>
#include <string>

namespace goldmine::cli::run {

// A half width σ and its Monte Carlo standard error δσ; `valid` is false
// when the information does not bound the parameter (σ would be infinite).
struct IntervalWidth {
  bool valid = false;
  double sigma = 0.0;
  double uncertainty = 0.0;
};

// The others fixed: σ = 1/√I_ii depends on one element, so to first order
// δσ/σ = ½ δI_ii/I_ii exactly.
IntervalWidth FixedOthersWidth(const Eigen::MatrixXd& information,
                               const Eigen::MatrixXd& uncertainty,
                               int parameter);

// The others profiled: σ = √C_ii with C = I⁻¹. With ∂C_ii/∂I_jk =
// −C_ij C_ik (counted twice for j ≠ k, I symmetric), δσ = δC_ii/(2σ) and
// δC_ii² = Σ_{j≤k} (∂C_ii/∂I_jk δI_jk)²: the elements' errors taken as
// independent, because their correlations are not output (an approximation).
IntervalWidth ProfiledWidth(const Eigen::MatrixXd& information,
                            const Eigen::MatrixXd& uncertainty,
                            int parameter);

// "12.35 ± 0.41"; without an uncertainty (negative or not finite) the value
// alone.
std::string ValueWithUncertainty(double value,
                                 double uncertainty,
                                 int digits = 4);

}  // namespace goldmine::cli::run
