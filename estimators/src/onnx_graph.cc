#include "onnx_graph.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include "goldmine/core/errors.h"

namespace goldmine::estimators::internal {
namespace {

// Opset 13: Unsqueeze/Squeeze/Slice take their axes as inputs, ReduceMean
// as an attribute; every operator used here exists with these signatures
// in onnxruntime and OpenCV's dnn importer.
constexpr std::int64_t kOpset = 13;
constexpr std::int64_t kIrVersion = 7;  // the IR of opset 13 (ONNX 1.8)

void SetFloatType(onnx::ValueInfoProto* info, std::int64_t columns) {
  auto* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  auto* shape = tensor->mutable_shape();
  shape->add_dim()->set_dim_param("batch");
  shape->add_dim()->set_dim_value(columns);
}

}  // namespace

OnnxGraph::OnnxGraph(const std::string& name) {
  model_.set_ir_version(kIrVersion);
  model_.set_producer_name("goldmine");
  auto* opset = model_.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpset);
  graph_ = model_.mutable_graph();
  graph_->set_name(name);
}

void OnnxGraph::AddInput(const std::string& name, std::int64_t columns) {
  auto* input = graph_->add_input();
  input->set_name(name);
  SetFloatType(input, columns);
}

void OnnxGraph::AddOutput(const std::string& value,
                          const std::string& name,
                          std::int64_t columns) {
  // Outputs carry fixed names: rename the value by an Identity node.
  auto* node = graph_->add_node();
  node->set_op_type("Identity");
  node->set_name("output_" + name);
  node->add_input(value);
  node->add_output(name);
  auto* output = graph_->add_output();
  output->set_name(name);
  SetFloatType(output, columns);
}

std::string OnnxGraph::FloatConstant(const std::vector<std::int64_t>& dims,
                                     const Eigen::MatrixXd& values) {
  const std::string name = FreshName("const");
  auto* tensor = graph_->add_initializer();
  tensor->set_name(name);
  tensor->set_data_type(onnx::TensorProto::FLOAT);
  for (std::int64_t dim : dims) tensor->add_dims(dim);
  // Row-major, as ONNX stores tensors.
  for (Eigen::Index r = 0; r < values.rows(); ++r) {
    for (Eigen::Index c = 0; c < values.cols(); ++c)
      tensor->add_float_data(static_cast<float>(values(r, c)));
  }
  return name;
}

std::string OnnxGraph::Constant(const Eigen::MatrixXd& matrix) {
  return FloatConstant({matrix.rows(), matrix.cols()}, matrix);
}

std::string OnnxGraph::Constant(const Eigen::VectorXd& vector) {
  return FloatConstant({vector.size()}, vector);
}

std::string OnnxGraph::Scalar(double value) {
  return FloatConstant({}, Eigen::MatrixXd::Constant(1, 1, value));
}

std::string OnnxGraph::Int64Constant(const std::vector<std::int64_t>& values) {
  const std::string name = FreshName("const");
  auto* tensor = graph_->add_initializer();
  tensor->set_name(name);
  tensor->set_data_type(onnx::TensorProto::INT64);
  tensor->add_dims(static_cast<std::int64_t>(values.size()));
  for (std::int64_t value : values) tensor->add_int64_data(value);
  return name;
}

std::string OnnxGraph::Node(const std::string& op,
                            const std::vector<std::string>& inputs,
                            const std::vector<OnnxAttribute>& attributes) {
  const std::string output = FreshName(op);
  auto* node = graph_->add_node();
  node->set_op_type(op);
  node->set_name(output);
  for (const std::string& input : inputs) node->add_input(input);
  node->add_output(output);
  for (const OnnxAttribute& attribute : attributes) {
    auto* proto = node->add_attribute();
    proto->set_name(attribute.name);
    if (attribute.is_list) {
      proto->set_type(onnx::AttributeProto::INTS);
      for (std::int64_t value : attribute.ints) proto->add_ints(value);
    } else {
      proto->set_type(onnx::AttributeProto::INT);
      proto->set_i(attribute.ints.at(0));
    }
  }
  return output;
}

void OnnxGraph::AddMetadata(const std::string& key, const std::string& value) {
  auto* entry = model_.add_metadata_props();
  entry->set_key(key);
  entry->set_value(value);
}

void OnnxGraph::SetDocString(const std::string& text) {
  model_.set_doc_string(text);
}

std::string OnnxGraph::Serialize(const std::string& producer_version) {
  model_.set_producer_version(producer_version);
  try {
    onnx::checker::check_model(model_);
    onnx::ModelProto inferred = model_;
    onnx::shape_inference::InferShapes(
        inferred,
        onnx::OpSchemaRegistry::Instance(),
        onnx::ShapeInferenceOptions(/*check_type=*/true, /*strict=*/1));
  } catch (const std::exception& error) {
    throw Error(std::string("ONNX export: the graph fails the ONNX checker: ") +
                error.what());
  }
  std::string bytes;
  if (!model_.SerializeToString(&bytes)) {
    throw Error("ONNX export: cannot serialise the model");
  }
  return bytes;
}

std::string OnnxGraph::FreshName(const std::string& stem) {
  return stem + "_" + std::to_string(counter_++);
}

}  // namespace goldmine::estimators::internal
