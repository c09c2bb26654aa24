// Small binned EFT models for the eft_*_test.cc files.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "goldmine/inference/eft_binned_model.h"

namespace goldmine::inference::testing {

// One parameter θ, components 1, θ, θ²: ν_b = L (Y_b0 + Y_b1 θ + Y_b2 θ²).
inline BinnedEftInput QuadraticInput(const Eigen::MatrixXd& yields) {
  BinnedEftInput input;
  input.parameter_names = {"c_w"};
  input.component_powers.resize(3, 1);
  input.component_powers << 0, 1, 2;
  input.component_yields = yields;
  return input;
}

// A one-bin rate-only model: σ(θ) = 1 + 0.5 θ + 0.3 θ² (pb).
inline BinnedEftInput OneBinInput() {
  Eigen::MatrixXd yields(1, 3);
  yields << 1.0, 0.5, 0.3;
  return QuadraticInput(yields);
}

// Three bins with a shape effect of θ and one histosys "jes" whose ±1σ
// templates shift events between bins (asymmetric), plus second moments
// for staterror from three pseudo-events per bin.
inline BinnedEftInput ThreeBinInput(bool with_staterror) {
  Eigen::MatrixXd yields(3, 3);
  yields << 2.0, 0.3, 0.10,  //
      1.0, 0.6, 0.20,        //
      0.5, 0.5, 0.40;
  BinnedEftInput input = QuadraticInput(yields);
  Eigen::MatrixXd up = yields;
  up.row(0) *= 0.93;
  up.row(1) *= 1.02;
  up.row(2) *= 1.12;
  Eigen::MatrixXd down = yields;
  down.row(0) *= 1.05;
  down.row(1) *= 0.99;
  down.row(2) *= 0.90;
  input.histosys.push_back({"jes", down, up});
  if (with_staterror) {
    for (Eigen::Index b = 0; b < 3; ++b) {
      // Events with component weights (Y_b / 3) scaled by 0.5, 1, 1.5.
      Eigen::MatrixXd q = Eigen::MatrixXd::Zero(3, 3);
      for (double scale : {0.5, 1.0, 1.5}) {
        const Eigen::VectorXd w = scale * yields.row(b).transpose() / 3.0;
        q += w * w.transpose();
      }
      input.component_sum_squared_weights.push_back(q);
    }
  }
  return input;
}

}  // namespace goldmine::inference::testing
