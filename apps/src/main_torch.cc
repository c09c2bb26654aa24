// goldmine-torch: the commands that need LibTorch (train, evaluate, and
// fisher / limits with a trained model), executed by `goldmine` so that the
// other commands do not pay LibTorch's start-up. Users run `goldmine`, not
// this binary.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "goldmine/estimators/estimator.h"
#include "model_loading.h"

namespace {

void InstallModelLoaders() {
  namespace est = goldmine::estimators;
  goldmine::cli::ModelLoaders& loaders = goldmine::cli::Models();
  loaders.score = [](const std::filesystem::path& prefix) {
    return std::unique_ptr<goldmine::core::ScoreModel>(
        std::make_unique<est::ScoreEstimator>(
            est::ScoreEstimator::Load(prefix)));
  };
  loaders.member_scores = [](const std::filesystem::path& prefix) {
    const auto estimator = std::make_shared<est::ScoreEstimator>(
        est::ScoreEstimator::Load(prefix));
    return [estimator](const Eigen::MatrixXd& x) {
      return estimator->MemberScores(x);
    };
  };
  loaders.ratio = [](const std::filesystem::path& prefix) {
    return std::unique_ptr<goldmine::core::LikelihoodRatioModel>(
        std::make_unique<est::RatioEstimator>(
            est::RatioEstimator::Load(prefix)));
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
      goldmine::cli::FisherCommand(),
      goldmine::cli::LimitsCommand(),
  };
  return goldmine::cli::RunCli(commands, arguments, {std::cout, std::cerr});
}
