// onnx_backend.h with libonnx (metadata) and OpenCV's dnn module (runtime).
#include "onnx_backend.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <mutex>
#include <opencv2/dnn.hpp>

#include "goldmine/core/errors.h"
#include "goldmine/estimators/model_evaluation.h"
#include "goldmine/estimators/onnx_model.h"

namespace goldmine::estimators {
namespace {

// Rows per forward pass: bounds the memory of the float32 buffers. The
// same as LibTorch's (model_evaluation.h).
constexpr Eigen::Index kChunk = kEvaluationBatchRows;

Eigen::MatrixXd FromBlob(const cv::Mat& blob,
                         Eigen::Index rows,
                         const std::string& what) {
  if (blob.type() != CV_32F ||
      blob.total() % static_cast<std::size_t>(rows) != 0) {
    throw InternalError(what + ": unexpected output blob from OpenCV");
  }
  const auto cols = static_cast<Eigen::Index>(blob.total()) / rows;
  Eigen::MatrixXd out(rows, cols);
  const float* data = blob.ptr<float>();
  for (Eigen::Index r = 0; r < rows; ++r) {
    for (Eigen::Index c = 0; c < cols; ++c) out(r, c) = data[r * cols + c];
  }
  return out;
}

}  // namespace

namespace internal {

std::map<std::string, std::string> ReadOnnxMetadata(const std::string& bytes,
                                                    const std::string& what) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    throw FileFormatError(what + ": not an ONNX file (protobuf parse failed)");
  }
  std::map<std::string, std::string> metadata;
  for (const auto& entry : model.metadata_props())
    metadata[entry.key()] = entry.value();
  return metadata;
}

}  // namespace internal

bool OnnxReadAvailable() { return true; }

// cv::dnn::Net::forward is neither const nor thread-safe: one mutex.
struct OnnxNetwork::Runtime {
  cv::dnn::Net net;
  std::vector<cv::String> output_names;
  std::mutex mutex;
};

OnnxNetwork::OnnxNetwork(const std::string& bytes, std::string what)
    : what_(std::move(what)), runtime_(std::make_unique<Runtime>()) {
  try {
    runtime_->net = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
    runtime_->output_names = runtime_->net.getUnconnectedOutLayersNames();
  } catch (const cv::Exception& error) {
    throw FileFormatError(what_ + ": OpenCV cannot read the graph (" +
                          error.msg + ")");
  }
}

OnnxNetwork::~OnnxNetwork() = default;

std::map<std::string, Eigen::MatrixXd> OnnxNetwork::Run(
    const std::vector<std::pair<std::string, const Eigen::MatrixXd*>>& inputs)
    const {
  const Eigen::Index rows = inputs.front().second->rows();
  std::map<std::string, Eigen::MatrixXd> outputs;
  const std::lock_guard<std::mutex> lock(runtime_->mutex);
  for (Eigen::Index begin = 0; begin < rows; begin += kChunk) {
    const Eigen::Index n = std::min(kChunk, rows - begin);
    for (const auto& [name, matrix] : inputs) {
      cv::Mat blob(
          static_cast<int>(n), static_cast<int>(matrix->cols()), CV_32F);
      for (Eigen::Index r = 0; r < n; ++r) {
        for (Eigen::Index c = 0; c < matrix->cols(); ++c) {
          blob.at<float>(static_cast<int>(r), static_cast<int>(c)) =
              static_cast<float>((*matrix)(begin + r, c));
        }
      }
      runtime_->net.setInput(blob, name);
    }
    std::vector<cv::Mat> results;
    try {
      runtime_->net.forward(results, runtime_->output_names);
    } catch (const cv::Exception& error) {
      throw InternalError(what_ + ": OpenCV failed to run the graph (" +
                          error.msg + ")");
    }
    for (std::size_t k = 0; k < results.size(); ++k) {
      Eigen::MatrixXd& out = outputs[runtime_->output_names[k]];
      const Eigen::MatrixXd chunk = FromBlob(results[k], n, what_);
      if (out.size() == 0) out.resize(rows, chunk.cols());
      out.middleRows(begin, n) = chunk;
    }
  }
  return outputs;
}

}  // namespace goldmine::estimators
