#include "onnx_layers.h"

#include "goldmine/core/errors.h"

namespace goldmine::estimators::internal {

std::string Activate(OnnxGraph& graph,
                     Activation activation,
                     const std::string& z) {
  switch (activation) {
    case Activation::kTanh:
      return graph.Node("Tanh", {z});
    case Activation::kRelu:
      return graph.Node("Relu", {z});
    case Activation::kSigmoid:
      return graph.Node("Sigmoid", {z});
    case Activation::kSoftplus:
      return graph.Node("Softplus", {z});
  }
  throw InternalError("ONNX export: unknown activation");
}

// σ'(z), given z and h = σ(z).
std::string ActivationDerivative(OnnxGraph& graph,
                                 Activation activation,
                                 const std::string& z,
                                 const std::string& h) {
  switch (activation) {
    case Activation::kTanh:  // 1 − h²
      return graph.Node("Sub", {graph.Scalar(1.0), graph.Node("Mul", {h, h})});
    case Activation::kRelu:
      // sign(h): 1 where z > 0, else 0 (torch's relu' at 0 is 0 too). Sign
      // rather than Greater + Cast, which OpenCV's dnn importer lacks.
      return graph.Node("Sign", {h});
    case Activation::kSigmoid:
      // σ(z) σ(−z) = h (1 − h). OpenCV's dnn importer evaluated
      // Sub(1, σ(z)) wrongly, so this form avoids it.
      return graph.Node(
          "Mul",
          {h,
           graph.Node("Sigmoid",
                      {graph.Node("Mul", {z, graph.Scalar(-1.0)})})});
    case Activation::kSoftplus:  // sigmoid(z)
      return graph.Node("Sigmoid", {z});
  }
  throw InternalError("ONNX export: unknown activation");
}

// The MLP of estimators/src/model.h on `input` and, with `gradient`, its
// backward pass for the first output: δ_L = W_out[0] σ'(z_L), δ_l =
// (δ_{l+1} W_{l+1}) σ'(z_l), ∂y/∂input = δ_1 W_1.
NetworkValues Network(OnnxGraph& graph,
                      const PlainNetwork& network,
                      Activation activation,
                      const std::string& input,
                      bool gradient) {
  std::vector<std::string> pre_activations, activations;
  std::string h = input;
  const auto gemm = [&](const DenseLayer& layer, const std::string& value) {
    return graph.Node(
        "Gemm",
        {value, graph.Constant(layer.weight), graph.Constant(layer.bias)},
        {OnnxAttribute::Int("transB", 1)});
  };
  for (std::size_t l = 0; l + 1 < network.layers.size(); ++l) {
    pre_activations.push_back(gemm(network.layers[l], h));
    h = Activate(graph, activation, pre_activations.back());
    activations.push_back(h);
  }
  NetworkValues values;
  values.output = gemm(network.layers.back(), h);
  if (!gradient) return values;
  const Eigen::MatrixXd first_output = network.layers.back().weight.row(0);
  // 1 × width: broadcast over the batch by the first product below.
  std::string delta = graph.Constant(first_output);
  for (std::size_t l = pre_activations.size(); l-- > 0;) {
    delta = graph.Node(
        "Mul",
        {delta,
         ActivationDerivative(
             graph, activation, pre_activations[l], activations[l])});
    delta =
        graph.Node("MatMul", {delta, graph.Constant(network.layers[l].weight)});
  }
  if (pre_activations.empty()) {
    // A linear model: the gradient is the weight row, for every row.
    delta = graph.Node("Add",
                       {graph.Node("Mul", {input, graph.Scalar(0.0)}), delta});
  }
  values.input_gradient = delta;
  return values;
}

// Mean and standard deviation (N − 1) over the members' values, each
// [batch, columns]; std = 0 for one member, as in estimator.cc's Summarise.
MeanAndStd Summarise(OnnxGraph& graph,
                     const std::vector<std::string>& members) {
  if (members.size() == 1) {
    return {members.front(),
            graph.Node("Sub", {members.front(), members.front()})};
  }
  std::vector<std::string> stacked;
  const std::string axis0 = graph.Int64Constant({0});
  for (const std::string& member : members)
    stacked.push_back(graph.Node("Unsqueeze", {member, axis0}));
  const std::string stack =
      graph.Node("Concat", stacked, {OnnxAttribute::Int("axis", 0)});
  const std::vector<OnnxAttribute> over_members = {
      OnnxAttribute::Ints("axes", {0}), OnnxAttribute::Int("keepdims", 0)};
  const std::string mean = graph.Node("ReduceMean", {stack}, over_members);
  const std::string deviation = graph.Node("Sub", {stack, mean});
  const std::string mean_square = graph.Node(
      "ReduceMean", {graph.Node("Mul", {deviation, deviation})}, over_members);
  const double k = static_cast<double>(members.size());
  const std::string variance =
      graph.Node("Mul", {mean_square, graph.Scalar(k / (k - 1.0))});
  return {mean, graph.Node("Sqrt", {variance})};
}

std::string Standardise(OnnxGraph& graph,
                        const std::string& value,
                        const Eigen::VectorXd& mean,
                        const Eigen::VectorXd& std) {
  return graph.Node(
      "Div",
      {graph.Node("Sub", {value, graph.Constant(mean)}), graph.Constant(std)});
}

}  // namespace goldmine::estimators::internal
