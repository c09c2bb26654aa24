// goldmine evaluate --model DIR/NAME --samples S.h5 --output E.h5
//                                                              (DESIGN.md §5.5)
// --model NAME.onnx evaluates a file written by `goldmine export onnx`.
// E.h5 (mining/predictions_file.h) holds one row per sample: score models write
// t_hat and t_hat_std (n × P); ratio models write log_r_hat and log_r_hat_std
// (n × 1) at each row's theta0 (and theta1 for double-parameterized networks)
// and the score t_hat, t_hat_std (n × P) at theta0. *_std is the ensemble
// standard deviation (0 for a single network). Root attributes: model, method.
#include "cli.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/model_evaluation.h"
#include "goldmine/estimators/onnx_model.h"
#include "goldmine/mining/predictions_file.h"
#include "goldmine/mining/sample_file.h"
#include "output_options.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace est = goldmine::estimators;

Command EvaluateCommand() {
  Command command;
  command.name = "evaluate";
  command.summary =
      "evaluate a trained estimator (score or log likelihood ratio) on a "
      "samples file";
  command.run = [](const std::vector<std::string>& arguments,
                   Streams streams) -> int {
    po::options_description options("Options");
    options.add_options()("model",
                          po::value<std::string>()->required(),
                          "model prefix DIR/NAME (DIR/NAME.json + .pt), or "
                          "NAME.onnx from `goldmine export onnx`")(
        "samples", po::value<std::string>()->required(), "samples file S.h5")(
        "output", po::value<std::string>()->required(), "HDF5 output E.h5")(
        "threads", po::value<int>()->default_value(1), "LibTorch threads");
    po::variables_map values;
    if (!ParseCommandLine("evaluate",
                          "--model DIR/NAME --samples S.h5 --output E.h5",
                          "Evaluates a trained estimator on every sample and "
                          "writes the predictions to E.h5.",
                          options,
                          arguments,
                          streams,
                          &values)) {
      return kSuccess;
    }
    const std::string model = values["model"].as<std::string>();
    const std::string samples_path = values["samples"].as<std::string>();
    const std::string output = values["output"].as<std::string>();
    std::vector<std::string> inputs = ModelFiles(model);
    inputs.push_back(samples_path);
    RequireOutputOptionIsNotAnInput(values, "output", inputs);
    est::SetNumThreads(values["threads"].as<int>());
    const bool onnx = est::IsOnnxModelPath(model);
    const est::Method method = onnx ? est::ReadOnnxModelInfo(model).method
                                    : est::ReadModelMethod(model);
    const mining::SampleData samples = mining::ReadSamples(samples_path);
    const est::NamedPredictions datasets = est::EvaluateOnSamples(
        model, method, samples.x, samples.theta0, samples.theta1, samples_path);
    mining::WritePredictionsFile(
        output, datasets, model, est::MethodName(method));
    nlohmann::ordered_json result;
    result["model"] = model;
    result["method"] = est::MethodName(method);
    result["samples"] = samples.num_samples();
    result["output"] = output;
    nlohmann::ordered_json names = nlohmann::ordered_json::array();
    for (const auto& entry : datasets) names.push_back(entry.first);
    result["datasets"] = names;
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
