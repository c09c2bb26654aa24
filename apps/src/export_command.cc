// goldmine export onnx --model DIR/NAME --output NAME.onnx [--events F.h5]
//   [--samples S.h5] [--metadata KEY=VALUE ...]              (issue 18)
// Writes a trained estimator as an ONNX file that any ONNX runtime evaluates
// (estimators/onnx_export.h; docs/onnx.md), and prints what it wrote as JSON.
#include <nlohmann/json.hpp>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/onnx_export.h"
#include "goldmine/mining/events_provenance.h"
#include "output_options.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace est = goldmine::estimators;

namespace {

// "KEY=VALUE" → user metadata under goldmine.user.KEY.
std::pair<std::string, std::string> UserMetadata(const std::string& item) {
  const auto equals = item.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw InvalidInput("export onnx: --metadata \"" + item +
                       "\": expected KEY=VALUE, e.g. lambda_gev=1000");
  }
  return {"goldmine.user." + item.substr(0, equals), item.substr(equals + 1)};
}

}  // namespace

Command ExportCommand() {
  Command command;
  command.name = "export";
  command.summary = "export a trained estimator (onnx)";
  command.run = [](const std::vector<std::string>& arguments,
                   Streams streams) -> int {
    po::options_description options("Options");
    options.add_options()(
        "format", po::value<std::string>()->required(), "onnx (positional)")(
        "model",
        po::value<std::string>()->required(),
        "model prefix DIR/NAME (DIR/NAME.json + .pt)")(
        "output", po::value<std::string>()->required(), "ONNX file NAME.onnx")(
        "events",
        po::value<std::string>(),
        "events file of the training samples: adds the observables' "
        "definitions, the parameters' ranges, the morphing basis and the "
        "file's SHA-256 to the metadata")(
        "samples",
        po::value<std::string>(),
        "samples file the model was trained on: adds its SHA-256")(
        "metadata",
        po::value<std::vector<std::string>>(),
        "KEY=VALUE stored as goldmine.user.KEY (repeatable), e.g. "
        "lambda_gev=1000");
    po::positional_options_description positional;
    positional.add("format", 1);
    po::variables_map values;
    if (!ParseCommandLine(
            "export",
            "onnx --model DIR/NAME --output NAME.onnx [--events F.h5] "
            "[--samples S.h5] [--metadata KEY=VALUE ...]",
            "Writes the estimator as ONNX (opset 13, float32): inputs x "
            "(and theta0, theta1 for ratio models) in raw units, outputs "
            "t_hat, t_hat_std (and log_r_hat, log_r_hat_std), with the "
            "input standardisation in the graph and the metadata of "
            "docs/onnx.md. Prints {\"output\", \"method\", \"inputs\", "
            "\"outputs\", \"ensemble_size\", \"bytes\", \"metadata_keys\"}.",
            options,
            arguments,
            streams,
            &values,
            &positional)) {
      return kSuccess;
    }
    const std::string format = values["format"].as<std::string>();
    if (format != "onnx") {
      throw InvalidInput("export: format \"" + format +
                         "\" unknown; expected onnx");
    }
    const std::string model = values["model"].as<std::string>();
    const std::string output = values["output"].as<std::string>();
    std::vector<std::string> inputs = ModelFiles(model);
    for (const std::string& path :
         PathsOfOptions(values, {"events", "samples"}))
      inputs.push_back(path);
    RequireOutputOptionIsNotAnInput(values, "output", inputs);
    if (!est::OnnxExportAvailable()) {
      throw InvalidInput(
          "export onnx: this goldmine was built without ONNX support; "
          "install libonnx-dev (scripts/setup.sh does) and configure again");
    }

    est::OnnxMetadata metadata;
    if (values.count("events") != 0) {
      for (auto& entry :
           mining::EventsProvenance(values["events"].as<std::string>(),
                                    est::ReadModelObservables(model)))
        metadata.push_back(std::move(entry));
    }
    if (values.count("samples") != 0) {
      metadata.push_back(
          mining::SamplesFileProvenance(values["samples"].as<std::string>()));
    }
    if (values.count("metadata") != 0) {
      for (const std::string& item :
           values["metadata"].as<std::vector<std::string>>())
        metadata.push_back(UserMetadata(item));
    }
    const est::OnnxExportSummary summary =
        est::ExportOnnx(model, output, metadata);
    nlohmann::ordered_json result;
    result["output"] = output;
    result["method"] = summary.method;
    result["inputs"] = summary.inputs;
    result["outputs"] = summary.outputs;
    result["ensemble_size"] = summary.ensemble_size;
    result["bytes"] = summary.bytes;
    result["metadata_keys"] = summary.metadata_keys;
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
