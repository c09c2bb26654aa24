// goldmine-torch: the commands that need LibTorch (train, evaluate, and
// fisher / limits with a trained model), executed by `goldmine` so that the
// other commands do not pay LibTorch's start-up. Users run `goldmine`, not
// this binary.
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/onnx_model.h"
#include "model_loading.h"

namespace {

// DIR/NAME loads a LibTorch model, NAME.onnx a published one
// (estimators/onnx_model.h); the commands see only the core interfaces.
void InstallModelLoaders() {
  namespace est = goldmine::estimators;
  goldmine::cli::ModelLoaders& loaders = goldmine::cli::Models();
  loaders.score = [](const std::filesystem::path& prefix)
      -> std::unique_ptr<goldmine::core::ScoreModel> {
    if (est::IsOnnxModelPath(prefix)) {
      return std::make_unique<est::OnnxScoreModel>(
          est::OnnxScoreModel::Load(prefix));
    }
    return std::make_unique<est::ScoreEstimator>(
        est::ScoreEstimator::Load(prefix));
  };
  loaders.member_scores = [](const std::filesystem::path& prefix)
      -> std::function<std::vector<Eigen::MatrixXd>(const Eigen::MatrixXd&)> {
    // An ONNX file holds the ensemble's mean and spread, not its members.
    if (est::IsOnnxModelPath(prefix)) return {};
    const auto estimator = std::make_shared<est::ScoreEstimator>(
        est::ScoreEstimator::Load(prefix));
    return [estimator](const Eigen::MatrixXd& x) {
      return estimator->MemberScores(x);
    };
  };
  loaders.ratio = [](const std::filesystem::path& prefix)
      -> std::unique_ptr<goldmine::core::LikelihoodRatioModel> {
    if (est::IsOnnxModelPath(prefix)) {
      return std::make_unique<est::OnnxRatioModel>(
          est::OnnxRatioModel::Load(prefix));
    }
    return std::make_unique<est::RatioEstimator>(
        est::RatioEstimator::Load(prefix));
  };
}

}  // namespace

int main(int argc, char** argv) {
  InstallModelLoaders();
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  const std::vector<goldmine::cli::Command> commands = {
      goldmine::cli::TrainCommand(),
      goldmine::cli::EvaluateCommand(),
      goldmine::cli::ExportCommand(),
      goldmine::cli::SurrogateCommand(),
      goldmine::cli::AssembleCommand(),
      goldmine::cli::FisherCommand(),
      goldmine::cli::LimitsCommand(),
  };
  return goldmine::cli::RunCli(commands, arguments, {std::cout, std::cerr});
}
