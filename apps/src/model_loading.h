// Trained models for the commands that live in both binaries (fisher sally,
// limits with --model). `goldmine` has no LibTorch, so it has no loaders: a
// command that needs a model re-runs itself in goldmine-torch, whose main()
// installs loaders backed by the estimators library. The commands themselves
// see only the core interfaces (ScoreModel, LikelihoodRatioModel), so the same
// code serves analytic models in tests.
#pragma once

#include <Eigen/Core>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/score_model.h"

namespace goldmine::cli {

struct ModelLoaders {
  // DIR/NAME → the trained model; throw FileFormatError / InvalidInput.
  std::function<std::unique_ptr<core::ScoreModel>(const std::filesystem::path&)>
      score;
  std::function<std::unique_ptr<core::LikelihoodRatioModel>(
      const std::filesystem::path&)>
      ratio;
  // DIR/NAME → t̂(x) of every ensemble member (K matrices events ×
  // parameters), for the ensemble spread of `fisher sally`. Optional.
  std::function<std::function<std::vector<Eigen::MatrixXd>(
      const Eigen::MatrixXd&)>(const std::filesystem::path&)>
      member_scores;

  bool available() const { return score && ratio; }
};

// The loaders of this process: empty in goldmine, set in goldmine-torch (and
// by tests that inject analytic models).
ModelLoaders& Models();

// Runs `goldmine-torch NAME ARGUMENTS...` in place of this process (exec), so
// that its output and exit code become the command's. Returns only on failure
// (kInternalFailure, with a message); throws InvalidInput when this build has
// no LibTorch.
int RunInTorchHelper(const std::string& name,
                     const std::vector<std::string>& arguments,
                     Streams streams);

// The score model DIR/NAME: loaded here when loaders are installed. Throws
// InvalidInput when there are none (callers check Models().available() first
// and use RunInTorchHelper instead).
std::unique_ptr<core::ScoreModel> LoadScoreModel(const std::string& prefix);
std::unique_ptr<core::LikelihoodRatioModel> LoadRatioModel(
    const std::string& prefix);

}  // namespace goldmine::cli
