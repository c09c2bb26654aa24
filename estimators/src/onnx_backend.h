// What reading a goldmine ONNX file needs of outside libraries: the metadata
// (libonnx's protobuf classes) and a runtime for the graph (OpenCV's dnn
// module). onnx_backend.cc implements it; onnx_backend_unavailable.cc, in a
// build without those libraries, says how to get them. Private; the
// libraries' headers stay in the .cc files.
#pragma once

#include <Eigen/Core>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace goldmine::estimators::internal {

// The file's metadata_props. Throws FileFormatError naming `what` when the
// bytes are not an ONNX model, InvalidInput in a build without ONNX.
std::map<std::string, std::string> ReadOnnxMetadata(const std::string& bytes,
                                                    const std::string& what);

}  // namespace goldmine::estimators::internal

namespace goldmine::estimators {

// The graph of one file, ready to run.
class OnnxNetwork {
 public:
  // Throws FileFormatError when the runtime cannot read the graph,
  // InvalidInput in a build without ONNX.
  OnnxNetwork(const std::string& bytes, std::string what);
  ~OnnxNetwork();
  OnnxNetwork(const OnnxNetwork&) = delete;
  OnnxNetwork& operator=(const OnnxNetwork&) = delete;

  // Every output on the named inputs (rows × columns each, the same rows);
  // thread-safe (calls are serialised), chunked to bound memory.
  std::map<std::string, Eigen::MatrixXd> Run(
      const std::vector<std::pair<std::string, const Eigen::MatrixXd*>>& inputs)
      const;
  // The file, for messages.
  const std::string& what() const { return what_; }

 private:
  struct Runtime;
  std::string what_;
  std::unique_ptr<Runtime> runtime_;
};

}  // namespace goldmine::estimators
