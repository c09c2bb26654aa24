// goldmine evaluate --model DIR/NAME --samples S.h5 --output E.h5
//                                                              (DESIGN.md §5.5)
// --model NAME.onnx evaluates a file written by `goldmine export onnx`.
// E.h5 (mining/predictions_file.h) holds one row per sample: score models write
// t_hat and t_hat_std (n × P); ratio models write log_r_hat and log_r_hat_std
// (n × 1) at each row's theta0 (and theta1 for double-parameterized networks)
// and the score t_hat, t_hat_std (n × P) at theta0. *_std is the ensemble
// standard deviation (0 for a single network). Root attributes: model, method.
// The samples stream through in chunks of --chunk-rows rows (model loaded
// once, predictions appended): memory does not grow with the number of
// samples (issue 20). Chunks are multiples of the rows a model evaluates in
// one pass (estimators::kEvaluationBatchRows), so the predictions are those
// of one call on the whole file, bit for bit.
#include <algorithm>
#include <cstdint>

#include "cli.h"
#include "goldmine/core/errors.h"
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
    const std::string chunk_rows_help =
        "samples read, evaluated and written at a time: a multiple of " +
        std::to_string(est::kEvaluationBatchRows);
    po::options_description options("Options");
    options.add_options()("model",
                          po::value<std::string>()->required(),
                          "model prefix DIR/NAME (DIR/NAME.json + .pt), or "
                          "NAME.onnx from `goldmine export onnx`")(
        "samples", po::value<std::string>()->required(), "samples file S.h5")(
        "output", po::value<std::string>()->required(), "HDF5 output E.h5")(
        "threads", po::value<int>()->default_value(1), "LibTorch threads")(
        "chunk-rows",
        po::value<std::int64_t>()->default_value(4 * est::kEvaluationBatchRows),
        chunk_rows_help.c_str());
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
    const std::int64_t chunk_rows = values["chunk-rows"].as<std::int64_t>();
    if (chunk_rows < 1 || chunk_rows % est::kEvaluationBatchRows != 0) {
      throw InvalidInput(
          "--chunk-rows " + std::to_string(chunk_rows) +
          ": expected a positive multiple of " +
          std::to_string(est::kEvaluationBatchRows) +
          " (the rows a model evaluates in one pass; other sizes would "
          "change the rounding of the predictions)");
    }
    const mining::SampleFileReader samples(samples_path);
    const est::SampleEvaluator evaluator(model, method);
    mining::PredictionsFileWriter writer(
        output, model, est::MethodName(method), chunk_rows);
    const std::int64_t total = samples.num_samples();
    std::vector<std::string> dataset_names;
    std::int64_t reported_tenths = 0;
    std::int64_t first = 0;
    // At least one chunk: an empty file still gets its (0 × k) datasets.
    do {
      const std::int64_t count = std::min(chunk_rows, total - first);
      const mining::SampleData chunk = samples.Read(first, count);
      const est::NamedPredictions predictions =
          evaluator.Evaluate(chunk.x, chunk.theta0, chunk.theta1, samples_path);
      writer.Append(predictions);
      if (dataset_names.empty()) {
        for (const auto& entry : predictions) {
          dataset_names.push_back(entry.first);
        }
      }
      first += count;
      // Progress every 10 % when the file takes more than one chunk.
      const std::int64_t tenths = first * 10 / std::max<std::int64_t>(1, total);
      if (total > chunk_rows && tenths > reported_tenths) {
        streams.err << "evaluate: " << first << " / " << total << " samples\n";
        reported_tenths = tenths;
      }
    } while (first < total);
    writer.Finish();
    nlohmann::ordered_json result;
    result["model"] = model;
    result["method"] = est::MethodName(method);
    result["samples"] = total;
    result["output"] = output;
    result["datasets"] = dataset_names;
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
