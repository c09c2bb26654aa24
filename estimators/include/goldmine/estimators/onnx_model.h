// goldmine ONNX files (onnx_export.h) read back: `goldmine evaluate`,
// `fisher sally` and `limits` accept NAME.onnx wherever they accept a model
// DIR/NAME, so a published model closes the loop without its LibTorch
// archive. OpenCV's dnn module (Debian libopencv-dnn-dev, a maintained
// runtime) runs the graph; libonnx reads the metadata. Both stay private to
// estimators/src/onnx_* like torch.
#pragma once

#include <Eigen/Core>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/score_model.h"
#include "goldmine/estimators/estimator.h"

namespace goldmine::estimators {

// Whether this build reads ONNX files (libonnx-dev and libopencv-dnn-dev
// were found at configure time); without them every reader throws
// InvalidInput saying so.
bool OnnxReadAvailable();

// Paths ending in ".onnx" name ONNX files; anything else is a prefix
// DIR/NAME of a LibTorch model.
bool IsOnnxModelPath(const std::filesystem::path& path);

// The metadata that the readers need (docs/onnx.md).
struct OnnxModelInfo {
  Method method = Method::kSally;
  bool is_score = true;
  bool double_parameterized = false;
  int ensemble_size = 1;
  std::vector<std::string> parameter_names;
  std::vector<std::string> observable_names;
};

// Throws FileFormatError naming the file when it is not an ONNX file, not
// written by goldmine (no goldmine.format metadata) or of another format
// version, or when a metadata key the readers need is missing or malformed.
OnnxModelInfo ReadOnnxModelInfo(const std::filesystem::path& path);

class OnnxNetwork;  // estimators/src/onnx_backend.h

// SALLY / SALLINO from an ONNX file.
class OnnxScoreModel final : public core::ScoreModel {
 public:
  // Throws as ReadOnnxModelInfo, and InvalidInput for a ratio model.
  static OnnxScoreModel Load(const std::filesystem::path& path);

  Eigen::MatrixXd Score(const Eigen::MatrixXd& x) const override;
  // Ensemble mean and standard deviation, as stored in the graph.
  EnsemblePrediction ScoreEnsemble(const Eigen::MatrixXd& x) const;
  std::vector<std::string> parameter_names() const override;
  std::vector<std::string> observable_names() const override;
  const OnnxModelInfo& info() const { return info_; }

 private:
  OnnxScoreModel(OnnxModelInfo info, std::shared_ptr<OnnxNetwork> network);
  OnnxModelInfo info_;
  std::shared_ptr<OnnxNetwork> network_;
};

// Parameterized likelihood-ratio models from an ONNX file.
class OnnxRatioModel final : public core::LikelihoodRatioModel {
 public:
  // Throws as ReadOnnxModelInfo, and InvalidInput for a score model.
  static OnnxRatioModel Load(const std::filesystem::path& path);

  bool double_parameterized() const { return info_.double_parameterized; }
  Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x, const Eigen::VectorXd& theta0) const override;
  Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x,
      const Eigen::VectorXd& theta0,
      const Eigen::VectorXd& theta1) const override;
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x,
                        const Eigen::VectorXd& theta0) const override;
  // Per-row θ0 (and θ1 for double-parameterized models), as
  // RatioEstimator's functions of the same names.
  EnsemblePrediction LogLikelihoodRatioEnsemble(
      const Eigen::MatrixXd& x,
      const Eigen::MatrixXd& theta0,
      const Eigen::MatrixXd& theta1) const;
  EnsemblePrediction ScoreEnsemble(const Eigen::MatrixXd& x,
                                   const Eigen::MatrixXd& theta0,
                                   const Eigen::MatrixXd& theta1) const;
  std::vector<std::string> parameter_names() const override;
  std::vector<std::string> observable_names() const override;
  const OnnxModelInfo& info() const { return info_; }

 private:
  OnnxRatioModel(OnnxModelInfo info, std::shared_ptr<OnnxNetwork> network);
  OnnxModelInfo info_;
  std::shared_ptr<OnnxNetwork> network_;
};

}  // namespace goldmine::estimators
