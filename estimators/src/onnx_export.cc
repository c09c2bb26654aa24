// ONNX export (onnx_export.h). Torch-free: the weights come as plain arrays
// from LoadPlainModel, and the graph is built with onnx_graph.h.
#include "goldmine/estimators/onnx_export.h"

#include <nlohmann/json.hpp>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"
#include "onnx_graph.h"
#include "plain_model.h"

namespace goldmine::estimators {
namespace {

using internal::DenseLayer;
using internal::OnnxAttribute;
using internal::OnnxGraph;
using internal::PlainModel;
using internal::PlainNetwork;
using Json = nlohmann::ordered_json;

constexpr const char* kFormatName = "goldmine-onnx";
constexpr int kFormatVersion = 1;

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
    case Activation::kRelu:  // 1 where z > 0 (torch's relu' at 0 is 0 too)
      return graph.Node("Cast",
                        {graph.Node("Greater", {z, graph.Scalar(0.0)})},
                        {OnnxAttribute::Int("to", onnx::TensorProto::FLOAT)});
    case Activation::kSigmoid:  // h (1 − h)
      return graph.Node("Mul", {h, graph.Node("Sub", {graph.Scalar(1.0), h})});
    case Activation::kSoftplus:  // sigmoid(z)
      return graph.Node("Sigmoid", {z});
  }
  throw InternalError("ONNX export: unknown activation");
}

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

struct MeanAndStd {
  std::string mean, std;
};

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

Json InputJson(const std::string& name,
               std::int64_t columns,
               const std::string& meaning) {
  return {{"name", name},
          {"shape", Json::array({"batch", columns})},
          {"dtype", "float32"},
          {"meaning", meaning}};
}

// Builds the graph and returns the descriptions of its inputs and outputs.
std::pair<Json, Json> BuildScoreGraph(OnnxGraph& graph,
                                      const PlainModel& model) {
  const auto o = static_cast<std::int64_t>(model.observable_names.size());
  const auto p = static_cast<std::int64_t>(model.parameter_names.size());
  graph.AddInput("x", o);
  const std::string x_scaled =
      Standardise(graph, "x", model.x_mean, model.x_std);
  std::vector<std::string> scores;
  const std::string t_scale = graph.Constant(model.t_scale);
  for (const PlainNetwork& member : model.members) {
    const NetworkValues values = Network(
        graph, member, model.network.activation, x_scaled, /*gradient=*/false);
    scores.push_back(graph.Node("Mul", {values.output, t_scale}));
  }
  const MeanAndStd t = Summarise(graph, scores);
  graph.AddOutput(t.mean, "t_hat", p);
  graph.AddOutput(t.std, "t_hat_std", p);
  const Json inputs = Json::array(
      {InputJson("x",
                 o,
                 "raw observables, in the order and units of "
                 "goldmine.observables (standardised inside the graph)")});
  const Json outputs = Json::array(
      {InputJson("t_hat",
                 p,
                 "estimated score t(x|theta_ref) = grad_theta log p(x|theta) "
                 "at the reference point, per unit of each parameter in the "
                 "order of goldmine.parameters; ensemble mean"),
       InputJson("t_hat_std",
                 p,
                 "ensemble standard deviation of t_hat (N-1; 0 for one "
                 "network)")});
  return {inputs, outputs};
}

std::pair<Json, Json> BuildRatioGraph(OnnxGraph& graph,
                                      const PlainModel& model) {
  const auto o = static_cast<std::int64_t>(model.observable_names.size());
  const auto p = static_cast<std::int64_t>(model.parameter_names.size());
  const bool double_parameterized = model.network.double_parameterized;
  graph.AddInput("theta0", p);
  if (double_parameterized) graph.AddInput("theta1", p);
  graph.AddInput("x", o);
  const std::string x_scaled =
      Standardise(graph, "x", model.x_mean, model.x_std);
  const std::string theta0 =
      Standardise(graph, "theta0", model.theta_mean, model.theta_std);
  const std::string theta1 =
      double_parameterized
          ? Standardise(graph, "theta1", model.theta_mean, model.theta_std)
          : std::string();
  const std::string theta_std = graph.Constant(model.theta_std);
  const OnnxAttribute columns_axis = OnnxAttribute::Int("axis", 1);
  std::vector<std::string> log_ratios, scores;
  for (const PlainNetwork& member : model.members) {
    const auto run = [&](const std::vector<std::string>& parts) {
      return Network(graph,
                     member,
                     model.network.activation,
                     graph.Node("Concat", parts, {columns_axis}),
                     /*gradient=*/true);
    };
    if (!double_parameterized) {
      // log r̂(x|θ0, θ_ref) = f(θ0_s, x_s); t̂ = ∂f/∂θ0_s / θ_std.
      const NetworkValues f = run({theta0, x_scaled});
      log_ratios.push_back(f.output);
      scores.push_back(graph.Node(
          "Div", {graph.Columns(f.input_gradient, 0, p), theta_std}));
      continue;
    }
    // log r̂(x|θ0, θ1) = f(θ0_s, θ1_s, x_s) − f(θ1_s, θ0_s, x_s); θ0 enters
    // the first call in its first slot and the second call in its second.
    const NetworkValues forward = run({theta0, theta1, x_scaled});
    const NetworkValues swapped = run({theta1, theta0, x_scaled});
    log_ratios.push_back(graph.Node("Sub", {forward.output, swapped.output}));
    const std::string gradient =
        graph.Node("Sub",
                   {graph.Columns(forward.input_gradient, 0, p),
                    graph.Columns(swapped.input_gradient, p, 2 * p)});
    scores.push_back(graph.Node("Div", {gradient, theta_std}));
  }
  const MeanAndStd log_r = Summarise(graph, log_ratios);
  const MeanAndStd t = Summarise(graph, scores);
  graph.AddOutput(log_r.mean, "log_r_hat", 1);
  graph.AddOutput(log_r.std, "log_r_hat_std", 1);
  graph.AddOutput(t.mean, "t_hat", p);
  graph.AddOutput(t.std, "t_hat_std", p);
  Json inputs = Json::array(
      {InputJson("theta0",
                 p,
                 "parameter point theta0 per row, physical units, in the "
                 "order of goldmine.parameters")});
  if (double_parameterized) {
    inputs.push_back(InputJson("theta1", p, "parameter point theta1 per row"));
  }
  inputs.push_back(InputJson("x",
                             o,
                             "raw observables, in the order and units of "
                             "goldmine.observables"));
  const std::string reference =
      double_parameterized ? "theta1" : "the reference point of training";
  const Json outputs = Json::array(
      {InputJson("log_r_hat",
                 1,
                 "estimated log likelihood ratio log p(x|theta0) - "
                 "log p(x|" +
                     reference + "); ensemble mean"),
       InputJson("log_r_hat_std", 1, "ensemble standard deviation (N-1)"),
       InputJson("t_hat",
                 p,
                 "estimated score grad_theta0 log r_hat(x|theta0), per unit "
                 "of each parameter; ensemble mean"),
       InputJson("t_hat_std", p, "ensemble standard deviation (N-1)")});
  return {inputs, outputs};
}

}  // namespace

OnnxExportSummary ExportOnnx(const std::filesystem::path& model_prefix,
                             const std::filesystem::path& output,
                             const OnnxMetadata& extra) {
  const PlainModel model = internal::LoadPlainModel(model_prefix);
  const std::string what = model_prefix.string();
  if (model.network.morphing.enabled()) {
    throw InvalidInput(what +
                       ": morphing-aware ratio networks cannot be exported "
                       "to ONNX yet (train without --morphing-aware)");
  }
  OnnxGraph graph("goldmine_" + MethodName(model.method));
  const auto [inputs, outputs] = model.is_score()
                                     ? BuildScoreGraph(graph, model)
                                     : BuildRatioGraph(graph, model);
  const Json model_json = Json::parse(model.model_json);
  Json training = model_json.at("training");
  Json members = Json::array();
  for (const Json& member : model_json.at("members")) {
    members.push_back({{"seed", member.at("seed")},
                       {"best_epoch", member.at("best_epoch")},
                       {"stopped_early", member.at("stopped_early")}});
  }
  training["members"] = members;

  OnnxExportSummary summary;
  summary.method = MethodName(model.method);
  summary.ensemble_size = static_cast<int>(model.members.size());
  const auto add = [&](const std::string& key, const std::string& value) {
    graph.AddMetadata(key, value);
    summary.metadata_keys.push_back(key);
  };
  add("goldmine.format", kFormatName);
  add("goldmine.format_version", std::to_string(kFormatVersion));
  add("goldmine.version", VersionLine());
  add("goldmine.method", summary.method);
  add("goldmine.model_type", model_json.at("model_type").get<std::string>());
  add("goldmine.parameters", Json(model.parameter_names).dump());
  add("goldmine.observables", Json(model.observable_names).dump());
  add("goldmine.ensemble_size", std::to_string(summary.ensemble_size));
  add("goldmine.inputs", inputs.dump());
  add("goldmine.outputs", outputs.dump());
  add("goldmine.architecture", model_json.at("architecture").dump());
  add("goldmine.scaling", model_json.at("scaling").dump());
  add("goldmine.training", training.dump());
  for (const auto& [key, value] : extra) add(key, value);
  graph.SetDocString(
      "goldmine " + summary.method +
      " estimator; inputs and outputs are described in the metadata "
      "goldmine.inputs and goldmine.outputs");
  for (const Json& input : inputs) summary.inputs.push_back(input.at("name"));
  for (const Json& item : outputs) summary.outputs.push_back(item.at("name"));

  const std::string bytes = graph.Serialize(VersionLine());
  WriteTextFileAtomically(output, bytes);
  summary.bytes = bytes.size();
  return summary;
}

bool OnnxExportAvailable() { return true; }

}  // namespace goldmine::estimators
