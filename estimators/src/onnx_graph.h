// A small builder of ONNX graphs (opset 13) over libonnx's protobuf classes:
// float tensors of shape [batch, columns], constants, nodes and metadata.
// Every value gets a fresh name, so callers pass names around and never
// invent them. Private to estimators/ and the only header that includes
// libonnx (DESIGN.md §6: the ONNX writer is confined like LibTorch).
#pragma once

#include <onnx/onnx_pb.h>

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace goldmine::estimators::internal {

// A node attribute: an integer or a list of integers (all this graph needs).
struct OnnxAttribute {
  std::string name;
  std::vector<std::int64_t> ints;  // one value for an INT attribute
  bool is_list = false;

  static OnnxAttribute Int(const std::string& name, std::int64_t value) {
    return {name, {value}, false};
  }
  static OnnxAttribute Ints(const std::string& name,
                            std::vector<std::int64_t> values) {
    return {name, std::move(values), true};
  }
};

class OnnxGraph {
 public:
  explicit OnnxGraph(const std::string& name);

  // A float input or output of shape [batch, columns]; "batch" is symbolic.
  void AddInput(const std::string& name, std::int64_t columns);
  void AddOutput(const std::string& value,
                 const std::string& name,
                 std::int64_t columns);

  // Float constants: a matrix keeps its shape (rows × columns); a vector is
  // one-dimensional and broadcasts over rows.
  std::string Constant(const Eigen::MatrixXd& matrix);
  std::string Constant(const Eigen::VectorXd& vector);
  std::string Scalar(double value);
  std::string Int64Constant(const std::vector<std::int64_t>& values);

  // Adds a node with one output and returns the output's name.
  std::string Node(const std::string& op,
                   const std::vector<std::string>& inputs,
                   const std::vector<OnnxAttribute>& attributes = {});

  void AddMetadata(const std::string& key, const std::string& value);
  void SetDocString(const std::string& text);

  // The serialised ModelProto, after onnx::checker::check_model and shape
  // inference (strict) have accepted it; throws Error otherwise.
  std::string Serialize(const std::string& producer_version);

 private:
  std::string FreshName(const std::string& stem);
  // A float initializer of shape `dims` holding `values` row by row.
  std::string FloatConstant(const std::vector<std::int64_t>& dims,
                            const Eigen::MatrixXd& values);

  onnx::ModelProto model_;
  onnx::GraphProto* graph_;
  int counter_ = 0;
};

}  // namespace goldmine::estimators::internal
