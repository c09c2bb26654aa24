// onnx_backend.h in a build without libonnx-dev or libopencv-dnn-dev: every
// attempt to read an ONNX file says how to get them.
#include "goldmine/core/errors.h"
#include "goldmine/estimators/onnx_model.h"
#include "onnx_backend.h"

namespace goldmine::estimators {
namespace {

[[noreturn]] void Unavailable(const std::string& what) {
  throw InvalidInput(what +
                     ": this goldmine was built without ONNX support; "
                     "install libonnx-dev and libopencv-dnn-dev "
                     "(scripts/setup.sh does) and configure again");
}

}  // namespace

namespace internal {

std::map<std::string, std::string> ReadOnnxMetadata(const std::string&,
                                                    const std::string& what) {
  Unavailable(what);
}

}  // namespace internal

bool OnnxReadAvailable() { return false; }

struct OnnxNetwork::Runtime {};

OnnxNetwork::OnnxNetwork(const std::string&, std::string what)
    : what_(std::move(what)) {
  Unavailable(what_);
}

OnnxNetwork::~OnnxNetwork() = default;

std::map<std::string, Eigen::MatrixXd> OnnxNetwork::Run(
    const std::vector<std::pair<std::string, const Eigen::MatrixXd*>>&) const {
  Unavailable(what_);
}

}  // namespace goldmine::estimators
