// ExportRegressionOnnx (regression.h): the regression networks of the
// likelihood surrogates as ONNX graphs, built with onnx_graph.h. Torch-free.
#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"
#include "goldmine/estimators/regression.h"
#include "onnx_graph.h"
#include "onnx_layers.h"

namespace goldmine::estimators {

void ExportRegressionOnnx(
    const RegressionNetwork& network,
    const std::vector<std::pair<std::string, std::string>>& metadata,
    const std::string& doc_string,
    const std::filesystem::path& output) {
  internal::PlainNetwork plain;
  for (const RegressionNetwork::Layer& layer : network.layers()) {
    plain.layers.push_back({layer.weight, layer.bias});
  }
  internal::OnnxGraph graph("goldmine_regression");
  graph.AddInput("x", network.num_inputs());
  const std::string scaled =
      internal::Standardise(graph, "x", network.x_mean(), network.x_std());
  const std::string raw =
      internal::Network(graph, plain, network.activation(), scaled, false)
          .output;
  // y = raw ∘ y_std + y_mean.
  const std::string y =
      graph.Node("Add",
                 {graph.Node("Mul", {raw, graph.Constant(network.y_std())}),
                  graph.Constant(network.y_mean())});
  graph.AddOutput(y, "y", network.num_outputs());
  graph.AddMetadata("goldmine.network.inputs",
                    std::to_string(network.num_inputs()));
  graph.AddMetadata("goldmine.network.outputs",
                    std::to_string(network.num_outputs()));
  graph.AddMetadata("goldmine.network.activation",
                    ActivationName(network.activation()));
  graph.AddMetadata("goldmine.version", VersionLine());
  for (const auto& [key, value] : metadata) graph.AddMetadata(key, value);
  graph.SetDocString(doc_string);
  WriteTextFileAtomically(output, graph.Serialize(VersionLine()));
}

}  // namespace goldmine::estimators
