// ONNX export (onnx_export.h). Torch-free: the weights come as plain arrays
// from LoadPlainModel, and the graph is built with onnx_graph.h.
#include "goldmine/estimators/onnx_export.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"
#include "onnx_graph.h"
#include "onnx_layers.h"
#include "plain_model.h"

namespace goldmine::estimators {
namespace {

using internal::DenseLayer;
using internal::MeanAndStd;
using internal::Network;
using internal::NetworkValues;
using internal::OnnxAttribute;
using internal::OnnxGraph;
using internal::PlainModel;
using internal::PlainNetwork;
using internal::Standardise;
using internal::Summarise;
using Json = nlohmann::ordered_json;

constexpr const char* kFormatName = "goldmine-onnx";
constexpr int kFormatVersion = 1;

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

// The quadratic form of a morphing-aware network (config.h,
// MorphingStructure; model.h, LogQuadraticForm): with v(θ) = (1, θ_s) and
// the lower-triangular L of the network's entries plus the identity,
//   log Q(L, v) = log(|Lᵀ v|² + 1e-30),
//   ∂ log Q / ∂v = 2 L Lᵀ v / |Lᵀ v|².
// The entries are in row-major lower-triangular order; L's row and column
// of entry k are picked by constant one-hot matrices R (D × K) and
// C (K × D), so that v_{row_k} = (v R)_k and Lᵀv = (L ∘ v R) C.
class QuadraticFormGraph {
 public:
  QuadraticFormGraph(OnnxGraph& graph, const PlainModel& model)
      : graph_(graph) {
    const auto p = static_cast<Eigen::Index>(model.parameter_names.size());
    const Eigen::Index d = p + 1;
    const Eigen::Index k = d * (d + 1) / 2;
    Eigen::MatrixXd rows = Eigen::MatrixXd::Zero(d, k);
    Eigen::MatrixXd columns = Eigen::MatrixXd::Zero(k, d);
    diagonal_ = Eigen::VectorXd::Zero(k);
    Eigen::Index entry = 0;
    for (Eigen::Index i = 0; i < d; ++i) {
      for (Eigen::Index j = 0; j <= i; ++j, ++entry) {
        rows(i, entry) = 1.0;
        columns(entry, j) = 1.0;
        diagonal_(entry) = i == j ? 1.0 : 0.0;
      }
    }
    rows_matrix_ = rows;
    columns_matrix_ = columns;
    rows_ = graph.Constant(rows);
    rows_t_ = graph.Constant(Eigen::MatrixXd(rows.transpose()));
    columns_ = graph.Constant(columns);
    columns_t_ = graph.Constant(Eigen::MatrixXd(columns.transpose()));
    sum_ = graph.Constant(Eigen::MatrixXd(Eigen::MatrixXd::Ones(d, 1)));
    diagonal_name_ = graph.Constant(diagonal_);
    // v = θ_s A + b with A = [0 | I] and b = (1, 0, …).
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(p, d);
    a.rightCols(p).setIdentity();
    Eigen::VectorXd b = Eigen::VectorXd::Zero(d);
    b(0) = 1.0;
    embed_ = graph.Constant(a);
    offset_ = graph.Constant(b);
    // t̂ from ∂/∂v: drop v_0 and divide by θ_std.
    Eigen::MatrixXd select = Eigen::MatrixXd::Zero(d, p);
    for (Eigen::Index q = 0; q < p; ++q)
      select(q + 1, q) = 1.0 / model.theta_std(q);
    score_select_ = graph.Constant(select);
  }

  // v(θ) for standardised θ (n × P, or a constant 1 × P).
  std::string Vector(const std::string& theta_scaled) {
    return graph_.Node(
        "Add", {graph_.Node("MatMul", {theta_scaled, embed_}), offset_});
  }
  // L's entries with the identity added: the network's (n × K) ...
  std::string Entries(const std::string& network_output) {
    return graph_.Node("Add", {network_output, diagonal_name_});
  }
  // ... or the member's constants (1 × K).
  std::string Entries(const Eigen::VectorXd& constants) {
    return graph_.Constant(
        Eigen::MatrixXd((constants + diagonal_).transpose()));
  }

  struct Value {
    std::string log_q;     // n × 1
    std::string gradient;  // ∂ log Q / ∂v, n × D (empty unless asked)
  };
  // v R (n × K): v_{row_k} for every entry k.
  std::string RowValues(const std::string& v) {
    return graph_.Node("MatMul", {v, rows_});
  }
  // The same for a constant v (1 × K): OpenCV's dnn importer takes no
  // constant as the first factor of MatMul, so it is computed here.
  std::string RowValues(const Eigen::VectorXd& v) {
    return graph_.Constant(Eigen::MatrixXd(v.transpose() * rows_matrix_));
  }
  // log Q of constant entries at a constant v, computed here.
  double LogQ(const Eigen::VectorXd& constants, const Eigen::VectorXd& v) {
    const Eigen::VectorXd l = constants + diagonal_;
    const Eigen::VectorXd u = columns_matrix_.transpose() *
                              l.cwiseProduct(rows_matrix_.transpose() * v);
    return std::log(u.squaredNorm() + 1e-30);
  }
  Value LogQ(const std::string& entries,
             const std::string& row_values,
             bool gradient) {
    const std::string u = graph_.Node(
        "MatMul", {graph_.Node("Mul", {entries, row_values}), columns_});
    const std::string q =
        graph_.Node("MatMul", {graph_.Node("Mul", {u, u}), sum_});
    Value value;
    value.log_q =
        graph_.Node("Log", {graph_.Node("Add", {q, graph_.Scalar(1e-30)})});
    if (!gradient) return value;
    // (L u)_i = Σ_k L_k u_{col_k} [row_k = i].
    const std::string l_u = graph_.Node(
        "MatMul",
        {graph_.Node("Mul", {entries, graph_.Node("MatMul", {u, columns_t_})}),
         rows_t_});
    value.gradient =
        graph_.Node("Div", {graph_.Node("Mul", {l_u, graph_.Scalar(2.0)}), q});
    return value;
  }
  // t̂ (n × P) from ∂ log r̂ / ∂v0.
  std::string Score(const std::string& gradient_v0) {
    return graph_.Node("MatMul", {gradient_v0, score_select_});
  }

 private:
  OnnxGraph& graph_;
  Eigen::VectorXd diagonal_;
  Eigen::MatrixXd rows_matrix_, columns_matrix_;
  std::string rows_, rows_t_, columns_, columns_t_, sum_, diagonal_name_;
  std::string embed_, offset_, score_select_;
};

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
  // ∂f/∂θ_s of the θ slot starting at input column `begin`, divided by
  // θ_std (the chain rule through the standardisation), as one product
  // with a constant selection matrix: simpler for runtimes than Slice and
  // Div (OpenCV's dnn mis-evaluated the Slice form in ensembles).
  const std::int64_t num_inputs = (double_parameterized ? 2 * p : p) + o;
  const auto theta_slot = [&](const std::string& gradient, std::int64_t begin) {
    Eigen::MatrixXd select = Eigen::MatrixXd::Zero(num_inputs, p);
    for (std::int64_t k = 0; k < p; ++k)
      select(begin + k, k) = 1.0 / model.theta_std(k);
    return graph.Node("MatMul", {gradient, graph.Constant(select)});
  };
  const OnnxAttribute columns_axis = OnnxAttribute::Int("axis", 1);
  std::vector<std::string> log_ratios, scores;
  std::optional<QuadraticFormGraph> quadratic;
  std::string v0_rows, v1_rows;
  Eigen::VectorXd v1_constant;  // single-parameterized: v(θ_ref)
  if (model.network.morphing.enabled()) {
    quadratic.emplace(graph, model);
    v0_rows = quadratic->RowValues(quadratic->Vector(theta0));
    if (double_parameterized) {
      v1_rows = quadratic->RowValues(quadratic->Vector(theta1));
    } else {
      const std::vector<double>& reference = model.network.morphing.reference;
      v1_constant = Eigen::VectorXd::Ones(p + 1);
      v1_constant.tail(p) =
          (Eigen::Map<const Eigen::VectorXd>(
               reference.data(), static_cast<Eigen::Index>(reference.size())) -
           model.theta_mean)
              .cwiseQuotient(model.theta_std);
      v1_rows = quadratic->RowValues(v1_constant);
    }
  }
  for (const PlainNetwork& member : model.members) {
    if (quadratic) {
      // log r̂ = log Q(L(x), v0) − log Q(L(x), v1) − log Q(S, v0)
      //         + log Q(S, v1), S the member's constant factor (model.h).
      const std::string entries = quadratic->Entries(
          Network(graph, member, model.network.activation, x_scaled, false)
              .output);
      const std::string constants = quadratic->Entries(member.constants);
      const auto e0 = quadratic->LogQ(entries, v0_rows, true);
      const auto e1 = quadratic->LogQ(entries, v1_rows, false);
      const auto c0 = quadratic->LogQ(constants, v0_rows, true);
      const std::string c1 =
          double_parameterized
              ? quadratic->LogQ(constants, v1_rows, false).log_q
              : graph.Scalar(quadratic->LogQ(member.constants, v1_constant));
      log_ratios.push_back(graph.Node("Add",
                                      {graph.Node("Sub", {e0.log_q, e1.log_q}),
                                       graph.Node("Sub", {c1, c0.log_q})}));
      scores.push_back(
          quadratic->Score(graph.Node("Sub", {e0.gradient, c0.gradient})));
      continue;
    }
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
      scores.push_back(theta_slot(f.input_gradient, 0));
      continue;
    }
    // log r̂(x|θ0, θ1) = f(θ0_s, θ1_s, x_s) − f(θ1_s, θ0_s, x_s); θ0 enters
    // the first call in its first slot and the second call in its second.
    const NetworkValues forward = run({theta0, theta1, x_scaled});
    const NetworkValues swapped = run({theta1, theta0, x_scaled});
    log_ratios.push_back(graph.Node("Sub", {forward.output, swapped.output}));
    scores.push_back(graph.Node("Sub",
                                {theta_slot(forward.input_gradient, 0),
                                 theta_slot(swapped.input_gradient, p)}));
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
  if (model.network.morphing.enabled() &&
      !model.network.morphing.uses_quadratic_form()) {
    throw InvalidInput(what +
                       ": morphing-aware networks with benchmark densities "
                       "cannot be exported to ONNX yet (the quadratic form, "
                       "the default for quadratic morphings, can)");
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
