// ONNX export of trained estimators (issue 18): a file that any ONNX runtime
// evaluates without goldmine or LibTorch, with the input standardisation in
// the graph (it takes raw observables and physical θ) and everything a
// reader needs in its metadata_props. docs/onnx.md documents the graph,
// its inputs and outputs, and every metadata key.
//
// Graph (opset 13, float32, a symbolic batch dimension):
//   score models (SALLY, SALLINO): x [batch, O] → t_hat, t_hat_std [batch, P];
//   ratio models: theta0 [batch, P] (and theta1 for double-parameterized
//   ones), x → log_r_hat, log_r_hat_std [batch, 1] and the score
//   t_hat = ∇_θ0 log r̂, t_hat_std [batch, P]; the gradient is written out
//   as the network's backward pass, since ONNX has no autograd; morphing-
//   aware networks (quadratic form) get their exact θ dependence in the
//   graph.
// *_std is the ensemble's standard deviation over members (N − 1), zero for
// a single network: the same numbers as `goldmine evaluate`.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace goldmine::estimators {

// Whether this build writes ONNX (libonnx-dev was found at configure time).
bool OnnxExportAvailable();

// key → value pairs added to the file's metadata_props besides the model
// file's own (values are plain text or JSON text).
using OnnxMetadata = std::vector<std::pair<std::string, std::string>>;

struct OnnxExportSummary {
  std::string method;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<std::string> metadata_keys;
  int ensemble_size = 0;
  std::size_t bytes = 0;
};

// Writes the model DIR/NAME (`model_prefix`) to `output` (atomically), with
// `extra` metadata after the model's own. Throws FileFormatError for an
// unreadable model, InvalidInput for a model the export does not cover
// (morphing-aware networks with benchmark densities, for now) or a build
// without ONNX, and Error when the graph fails the ONNX checker.
OnnxExportSummary ExportOnnx(const std::filesystem::path& model_prefix,
                             const std::filesystem::path& output,
                             const OnnxMetadata& extra = {});

}  // namespace goldmine::estimators
