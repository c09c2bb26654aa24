// ONNX export in a build without libonnx-dev (onnx_export.h): every call
// says how to get it.
#include "goldmine/core/errors.h"
#include "goldmine/estimators/onnx_export.h"
#include "goldmine/estimators/regression.h"

namespace goldmine::estimators {

bool OnnxExportAvailable() { return false; }

OnnxExportSummary ExportOnnx(const std::filesystem::path&,
                             const std::filesystem::path&,
                             const OnnxMetadata&) {
  throw InvalidInput(
      "export onnx: this goldmine was built without ONNX support; install "
      "libonnx-dev (scripts/setup.sh does) and configure again");
}

void ExportRegressionOnnx(
    const RegressionNetwork&,
    const std::vector<std::pair<std::string, std::string>>&,
    const std::string&,
    const std::filesystem::path&) {
  throw InvalidInput(
      "surrogate train: this goldmine was built without ONNX support; "
      "install libonnx-dev (scripts/setup.sh does) and configure again");
}

}  // namespace goldmine::estimators
