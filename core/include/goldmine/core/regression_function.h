// A trained function y(x) of a few real inputs: what a neural likelihood
// surrogate is (inference/likelihood_surrogate.h). inference/ evaluates it
// through this interface; estimators/ implements it for trained regression
// networks, in memory or read back from ONNX, so that inference/ needs
// neither LibTorch nor an ONNX runtime.
#pragma once

#include <Eigen/Core>

namespace goldmine::core {

class RegressionFunction {
 public:
  virtual ~RegressionFunction() = default;

  virtual int num_inputs() const = 0;
  virtual int num_outputs() const = 0;

  // y for every row of `x` (num_inputs() columns); one row per input row and
  // num_outputs() columns. Throws InvalidInput when the column count of `x`
  // is wrong.
  virtual Eigen::MatrixXd Evaluate(const Eigen::MatrixXd& x) const = 0;
};

}  // namespace goldmine::core
