// Layers of goldmine's ONNX graphs shared by the estimator export
// (onnx_export.cc) and the regression networks of the likelihood surrogates
// (onnx_regression_export.cc): activations and their derivatives, the MLP of
// estimators/src/model.h with its backward pass, ensemble summaries and
// standardisation. Private, like onnx_graph.h.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "goldmine/estimators/config.h"
#include "onnx_graph.h"
#include "plain_model.h"

namespace goldmine::estimators::internal {

// σ(z) as one node.
std::string Activate(OnnxGraph& graph,
                     Activation activation,
                     const std::string& z);

// σ'(z), given z and h = σ(z).
std::string ActivationDerivative(OnnxGraph& graph,
                                 Activation activation,
                                 const std::string& z,
                                 const std::string& h);

struct NetworkValues {
  std::string output;  // [batch, outputs]
  // ∂ output_0 / ∂ input, [batch, inputs]; empty unless asked for.
  std::string input_gradient;
};

// The MLP of estimators/src/model.h on `input` and, with `gradient`, its
// backward pass for the first output: δ_L = W_out[0] σ'(z_L), δ_l =
// (δ_{l+1} W_{l+1}) σ'(z_l), ∂y/∂input = δ_1 W_1.
NetworkValues Network(OnnxGraph& graph,
                      const PlainNetwork& network,
                      Activation activation,
                      const std::string& input,
                      bool gradient);

struct MeanAndStd {
  std::string mean, std;
};

// Mean and standard deviation (N − 1) over the members' values, each
// [batch, columns]; std = 0 for one member, as in estimator.cc's Summarise.
MeanAndStd Summarise(OnnxGraph& graph, const std::vector<std::string>& members);

// (value − mean) / std, column by column.
std::string Standardise(OnnxGraph& graph,
                        const std::string& value,
                        const Eigen::VectorXd& mean,
                        const Eigen::VectorXd& std);

}  // namespace goldmine::estimators::internal
