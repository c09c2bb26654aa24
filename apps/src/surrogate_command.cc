// goldmine surrogate train|cls|upper-limit|validate              (issue 18)
// Neural likelihood surrogates of HistFactory workspaces
// (inference/likelihood_surrogate.h, docs/surrogates.md):
//   train WS.json [--patchset PS.json | --patch P.json ...] --output S.onnx
//     samples and labels signal yields (inference), trains the regression
//     network (estimators) and writes it as ONNX with its description;
//   cls S.onnx --signal YIELDS.json [--poi-value MU]
//   upper-limit S.onnx --signal YIELDS.json [--level 0.05]
//     CLs and limits from the surrogate alone, with the keys of
//     `histfactory cls` and `histfactory upper-limit`;
//   validate S.onnx WS.json [patches]: the surrogate against the full
//     likelihood on signals it was not trained on.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"
#include "goldmine/estimators/onnx_export.h"
#include "goldmine/estimators/onnx_model.h"
#include "goldmine/estimators/regression.h"
#include "goldmine/inference/likelihood_surrogate.h"
#include "goldmine/inference/surrogate_signals.h"
#include "goldmine/inference/surrogate_training_set.h"
#include "goldmine/inference/surrogate_validation.h"
#include "goldmine/inference/yield_likelihood.h"
#include "histfactory_io.h"
#include "output_options.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace est = goldmine::estimators;
namespace hf = goldmine::inference;
using ordered_json = nlohmann::ordered_json;

namespace {

using Clock = std::chrono::steady_clock;

po::options_description WorkspaceOptions() {
  po::options_description options("Workspace and signal points");
  options.add_options()("patchset",
                        po::value<std::string>(),
                        "pyhf PatchSet: every patch is a signal point")(
      "patch",
      po::value<std::vector<std::string>>(),
      "JSON Patch of the model (pyhf --patch), one signal point each "
      "(repeatable)")("measurement",
                      po::value<std::string>()->default_value(""),
                      "measurement (default: the first)")(
      "threads", po::value<int>()->default_value(1), "fitting threads");
  return options;
}

// The signal points of the command line (inference/surrogate_signals.h).
hf::SurrogateSignals LoadSignals(const po::variables_map& values) {
  const std::string path = values["workspace"].as<std::string>();
  std::optional<hf::SourcedText> patchset;
  if (values.count("patchset") != 0) {
    const std::string patchset_path = values["patchset"].as<std::string>();
    patchset = hf::SourcedText{
        ReadHistFactoryDocument(patchset_path, "PatchSet"), patchset_path};
  }
  std::vector<hf::SourcedText> patches;
  if (values.count("patch") != 0) {
    for (const std::string& patch_path :
         values["patch"].as<std::vector<std::string>>()) {
      patches.push_back(
          {ReadHistFactoryDocument(patch_path, "patch"), patch_path});
    }
  }
  return hf::LoadSurrogateSignals(
      {ReadHistFactoryDocument(path, "workspace"), path},
      patchset,
      patches,
      values["measurement"].as<std::string>());
}

// "128,128,128" → {128, 128, 128}.
std::vector<int> ParseWidths(const std::string& text) {
  std::vector<int> widths;
  std::stringstream stream(text);
  for (std::string word; std::getline(stream, word, ',');) {
    std::size_t used = 0;
    int width = 0;
    try {
      width = std::stoi(word, &used);
    } catch (const std::logic_error&) {
      used = 0;
    }
    if (used == 0 || used != word.size() || width < 1) {
      throw InvalidInput("--hidden \"" + text +
                         "\": expected widths like 128,128,128");
    }
    widths.push_back(width);
  }
  if (widths.empty()) throw InvalidInput("--hidden: no width given");
  return widths;
}

std::vector<double> AsVector(const Eigen::VectorXd& v) {
  return {v.data(), v.data() + v.size()};
}

// A goldmine likelihood surrogate from an ONNX file, with its description.
struct LoadedSurrogate {
  est::OnnxRegressionFunction network;
  hf::SurrogateDescription description;
};

LoadedSurrogate LoadSurrogate(const std::string& path) {
  if (!est::OnnxReadAvailable()) {
    throw InvalidInput(
        "surrogate: this goldmine was built without ONNX reading; install "
        "libonnx-dev and libopencv-dnn-dev (scripts/setup.sh does) and "
        "configure again");
  }
  est::OnnxRegressionFunction network = est::OnnxRegressionFunction::Load(path);
  hf::SurrogateDescription description =
      hf::SurrogateDescription::FromMetadata(network.metadata(), path);
  hf::RequireNetworkMatchesDescription(network, description, path);
  return {std::move(network), std::move(description)};
}

ordered_json ClsJson(const hf::HypotestResult& test) {
  ordered_json result;
  result["CLs_obs"] = test.cls_obs;
  result["CLs_exp"] = test.cls_expected;
  result["CLsb_obs"] = test.clsb_obs;
  result["CLb_obs"] = test.clb_obs;
  result["test_stat"] = "qtilde";
  result["calctype"] = "asymptotics";
  result["poi_value"] = test.poi_value;
  result["teststat_obs"] = test.test_statistic_obs;
  result["teststat_asimov"] = test.test_statistic_asimov;
  result["poi_hat"] = test.poi_hat;
  result["converged"] = test.converged;
  result["several_minima"] = false;
  result["surrogate"] = true;
  return result;
}

int Train(const std::vector<std::string>& arguments, Streams streams) {
  po::options_description options = WorkspaceOptions();
  po::options_description sampling("Training points");
  sampling.add_options()(
      "output", po::value<std::string>()->required(), "surrogate S.onnx")(
      "points", po::value<int>()->default_value(6000), "labelled points")(
      "mcmc-fraction",
      po::value<double>()->default_value(0.5),
      "share of points from Metropolis chains")(
      "shape-spread",
      po::value<double>()->default_value(0.3),
      "log-normal width of the per-bin variation of the signal shapes")(
      "max-test-stat",
      po::value<double>()->default_value(30.0),
      "Asimov test statistic at the top of each point's range")(
      "seed", po::value<std::uint64_t>()->default_value(1), "seed");
  po::options_description network("Network and training");
  network.add_options()("hidden",
                        po::value<std::string>()->default_value("128,128,128"),
                        "hidden layer widths")(
      "activation",
      po::value<std::string>()->default_value("softplus"),
      "tanh, relu, sigmoid or softplus")(
      "epochs", po::value<int>()->default_value(1000), "maximum epochs")(
      "batch-size", po::value<int>()->default_value(128), "batch size")(
      "lr", po::value<double>()->default_value(2e-3), "peak learning rate")(
      "warmup", po::value<double>()->default_value(0.05), "warm-up fraction")(
      "patience",
      po::value<int>()->default_value(150),
      "early stopping patience in epochs (0: none)")(
      "validation-fraction",
      po::value<double>()->default_value(0.2),
      "held-out share of the points")(
      "quiet", po::bool_switch(), "no progress on stderr");
  options.add(sampling).add(network);
  po::options_description all = options;
  all.add_options()("workspace", po::value<std::string>()->required(), "");
  po::positional_options_description positional;
  positional.add("workspace", 1);
  po::variables_map values;
  if (!ParseCommandLine(
          "surrogate train",
          "WS.json [--patchset PS.json | --patch P.json ...] --output S.onnx "
          "[--points N] [--seed S] [--threads T] [...]",
          "Learns the profiled -2 ln L of the workspace as a function of the "
          "signal yields\nin every bin of the signal channels (observed and "
          "Asimov data) and writes it as\nONNX with its description "
          "(docs/surrogates.md). Prints the training summary.",
          all,
          arguments,
          streams,
          &values,
          &positional)) {
    return kSuccess;
  }
  const std::string output = values["output"].as<std::string>();
  std::vector<std::string> inputs = {values["workspace"].as<std::string>()};
  for (const std::string& path : PathsOfOptions(values, {"patchset", "patch"}))
    inputs.push_back(path);
  RequireOutputOptionIsNotAnInput(values, "output", inputs);
  if (std::filesystem::path(output).extension() != ".onnx") {
    throw InvalidInput("--output " + output + ": expected a NAME.onnx file");
  }
  const bool quiet = values["quiet"].as<bool>();

  hf::SurrogateSamplingOptions sampling_options;
  sampling_options.num_points = values["points"].as<int>();
  sampling_options.mcmc_fraction = values["mcmc-fraction"].as<double>();
  sampling_options.shape_spread = values["shape-spread"].as<double>();
  sampling_options.max_test_statistic = values["max-test-stat"].as<double>();
  sampling_options.seed = values["seed"].as<std::uint64_t>();
  sampling_options.threads = values["threads"].as<int>();
  const std::string sampling_problems = sampling_options.Validate();
  if (!sampling_problems.empty()) {
    throw InvalidInput("surrogate train: " + sampling_problems);
  }
  est::RegressionConfig config;
  config.hidden = ParseWidths(values["hidden"].as<std::string>());
  config.activation =
      est::ParseActivation(values["activation"].as<std::string>());
  config.epochs = values["epochs"].as<int>();
  config.batch_size = values["batch-size"].as<int>();
  config.learning_rate = values["lr"].as<double>();
  config.warmup_fraction = values["warmup"].as<double>();
  config.early_stopping_patience = values["patience"].as<int>();
  config.validation_fraction = values["validation-fraction"].as<double>();
  config.seed = sampling_options.seed;
  const std::string config_problems = config.Validate();
  if (!config_problems.empty()) {
    throw InvalidInput("surrogate train: " + config_problems);
  }
  if (!est::OnnxExportAvailable()) {
    throw InvalidInput(
        "surrogate train: this goldmine was built without ONNX support; "
        "install libonnx-dev (scripts/setup.sh does) and configure again");
  }

  const hf::SurrogateSignals setup = LoadSignals(values);
  const auto labelling_start = Clock::now();
  if (!quiet) {
    sampling_options.progress = [&streams](int done, int total) {
      streams.err << "\rsurrogate train: labelled " << done << "/" << total
                  << " points" << (done == total ? "\n" : "") << std::flush;
    };
  }
  const hf::SurrogateTrainingSet set = hf::SampleSurrogateTrainingSet(
      *setup.likelihood, setup.points, sampling_options);
  const double labelling_seconds =
      std::chrono::duration<double>(Clock::now() - labelling_start).count();
  if (set.signal.rows() < 10) {
    throw InvalidInput("surrogate train: only " +
                       std::to_string(set.signal.rows()) +
                       " points have converged fits; the workspace's fits "
                       "fail for these signals");
  }
  if (!quiet) {
    config.progress = [&streams](const est::RegressionConfig::Progress& p) {
      if ((p.epoch + 1) % 20 == 0 || p.epoch + 1 == p.num_epochs) {
        streams.err << "surrogate train: epoch " << (p.epoch + 1) << "/"
                    << p.num_epochs << " training loss " << p.training_loss
                    << " validation loss " << p.validation_loss << " lr "
                    << p.learning_rate << "\n";
      }
    };
  }
  const est::RegressionResult trained = est::TrainRegression(
      set.signal, set.targets, config, hf::SurrogateTrainingWeights(set));

  hf::SurrogateNetworkTraining network_training;
  network_training.hidden = config.hidden;
  network_training.activation = est::ActivationName(config.activation);
  network_training.epochs = config.epochs;
  network_training.epochs_run = trained.training_loss.size();
  network_training.best_epoch = trained.best_epoch;
  network_training.batch_size = config.batch_size;
  network_training.learning_rate = config.learning_rate;
  network_training.warmup_fraction = config.warmup_fraction;
  network_training.validation_fraction = config.validation_fraction;
  network_training.validation_rmse = trained.validation_rmse;
  const hf::SurrogateDescription description =
      hf::BuildSurrogateDescription(setup,
                                    set,
                                    sampling_options,
                                    network_training,
                                    values["workspace"].as<std::string>(),
                                    values["measurement"].as<std::string>());
  est::ExportRegressionOnnx(
      trained.network,
      description.ToMetadata(),
      "goldmine likelihood surrogate: signal yields x -> profiled -2 ln L "
      "differences y (observed, Asimov); see the metadata "
      "goldmine.surrogate.*",
      output);

  ordered_json result;
  result["output"] = output;
  result["inputs"] = description.InputNames();
  result["signal_points"] = setup.points.size();
  result["training_points"] = set.signal.rows();
  result["dropped_points"] = set.num_dropped;
  result["validation_rmse"] = {
      {"delta_twice_nll_obs", trained.validation_rmse(0)},
      {"delta_twice_nll_asimov", trained.validation_rmse(1)}};
  result["best_epoch"] = trained.best_epoch;
  result["epochs_run"] = trained.training_loss.size();
  result["stopped_early"] = trained.stopped_early;
  result["labelling_seconds"] = labelling_seconds;
  result["training_seconds"] = trained.seconds;
  result["validity"] = {{"lower", AsVector(set.lower)},
                        {"upper", AsVector(set.upper)}};
  WriteJsonResult(result, std::nullopt, streams);
  return kSuccess;
}

po::options_description UseOptions() {
  po::options_description options("Options");
  options.add_options()(
      "signal",
      po::value<std::string>()->required(),
      "signal yields {\"channel\": [yields per bin], ...} at POI value 1")(
      "output", po::value<std::string>(), "write the result here");
  return options;
}

int UseCommand(const std::string& name,
               const std::vector<std::string>& arguments,
               Streams streams) {
  const bool cls = name == "cls";
  po::options_description options = UseOptions();
  if (cls) {
    options.add_options()("poi-value",
                          po::value<double>()->default_value(1.0),
                          "POI value tested (the signal is poi-value × "
                          "yields)");
  } else {
    options.add_options()("level",
                          po::value<double>()->default_value(0.05),
                          "CLs level (0.05: 95% CL)");
  }
  po::options_description all = options;
  all.add_options()("surrogate", po::value<std::string>()->required(), "");
  po::positional_options_description positional;
  positional.add("surrogate", 1);
  po::variables_map values;
  if (!ParseCommandLine(
          "surrogate " + name,
          "S.onnx --signal YIELDS.json " +
              std::string(cls ? "[--poi-value 1.0]" : "[--level 0.05]") +
              " [--output F.json]",
          cls ? "CLs (asymptotic qtilde) of the signal from the surrogate. "
                "Keys as `histfactory cls`:\nCLs_obs, CLs_exp (-2..+2 "
                "sigma), CLsb_obs, CLb_obs, test_stat, calctype, poi_value,\n"
                "teststat_obs, teststat_asimov, poi_hat, converged."
              : "CLs upper limit on the POI from the surrogate. Keys as "
                "`histfactory upper-limit`:\nobs, exp (-2..+2 sigma), "
                "poi_bounds_used (the validity range), n_hypotests, level,\n"
                "poi, converged (false: a limit lies beyond the validity "
                "range).",
          all,
          arguments,
          streams,
          &values,
          &positional)) {
    return kSuccess;
  }
  RequireOutputOptionIsNotAnInput(
      values, "output", PathsOfOptions(values, {"surrogate", "signal"}));
  const std::string path = values["surrogate"].as<std::string>();
  const LoadedSurrogate surrogate = LoadSurrogate(path);
  const std::string signal_path = values["signal"].as<std::string>();
  const Eigen::VectorXd signal = hf::ParseSignalYields(
      ReadHistFactoryDocument(signal_path, "signal yields"),
      surrogate.description,
      signal_path);
  std::optional<std::string> output;
  if (values.count("output") != 0) output = values["output"].as<std::string>();
  if (cls) {
    const double mu = values["poi-value"].as<double>();
    if (!std::isfinite(mu) || mu < 0) {
      throw InvalidInput("--poi-value must be a finite number >= 0");
    }
    const hf::HypotestResult test = hf::SurrogateHypotest(
        surrogate.network, surrogate.description, signal, mu);
    WriteJsonResult(ClsJson(test), output, streams);
    return kSuccess;
  }
  const double level = values["level"].as<double>();
  if (!(level > 0 && level < 1)) {
    throw InvalidInput("--level must lie in (0, 1)");
  }
  const hf::UpperLimitResult limit = hf::SurrogateUpperLimit(
      surrogate.network, surrogate.description, signal, level);
  ordered_json result;
  result["obs"] = limit.observed;
  result["exp"] = limit.expected;
  result["poi_bounds_used"] = {limit.poi_bounds_used.first,
                               limit.poi_bounds_used.second};
  result["n_hypotests"] = limit.num_hypotests;
  result["level"] = level;
  result["poi"] = surrogate.description.poi;
  result["converged"] = limit.converged;
  result["surrogate"] = true;
  if (!limit.message.empty()) {
    result["message"] = limit.message;
    streams.err << "surrogate upper-limit: warning: " << limit.message << "\n";
  }
  WriteJsonResult(result, output, streams);
  return kSuccess;
}

int Validate(const std::vector<std::string>& arguments, Streams streams) {
  po::options_description options = WorkspaceOptions();
  options.add_options()(
      "points", po::value<int>()->default_value(200), "test signals")(
      "limits",
      po::value<int>()->default_value(20),
      "test signals whose upper limits are compared too")(
      "shape-spread", po::value<double>()->default_value(0.3), "as in train")(
      "seed",
      po::value<std::uint64_t>()->default_value(1001),
      "seed of the test signals (use one that training did not)")(
      "output", po::value<std::string>(), "write the result here")(
      "quiet", po::bool_switch(), "no progress on stderr");
  po::options_description all = options;
  all.add_options()("surrogate", po::value<std::string>()->required(), "")(
      "workspace", po::value<std::string>()->required(), "");
  po::positional_options_description positional;
  positional.add("surrogate", 1).add("workspace", 1);
  po::variables_map values;
  if (!ParseCommandLine(
          "surrogate validate",
          "S.onnx WS.json [--patchset PS.json | --patch P.json ...] "
          "[--points 200] [--limits 20] [--seed S] [--threads T]",
          "Compares the surrogate's CLs and upper limits with those of the "
          "full likelihood\non signals drawn around the signal points. "
          "Prints n_points, n_in_range,\nmax_abs_delta_cls and "
          "fraction_within_0_02 (CLs in [0.01, 0.5]),\ndecision_agreement, "
          "limit differences, seconds per CLs and their ratio.",
          all,
          arguments,
          streams,
          &values,
          &positional)) {
    return kSuccess;
  }
  RequireOutputOptionIsNotAnInput(
      values,
      "output",
      PathsOfOptions(values, {"surrogate", "workspace", "patchset", "patch"}));
  const LoadedSurrogate surrogate =
      LoadSurrogate(values["surrogate"].as<std::string>());
  const hf::SurrogateSignals setup = LoadSignals(values);
  hf::SurrogateValidationOptions validation_options;
  validation_options.num_points = values["points"].as<int>();
  validation_options.num_limits = values["limits"].as<int>();
  validation_options.shape_spread = values["shape-spread"].as<double>();
  validation_options.seed = values["seed"].as<std::uint64_t>();
  validation_options.threads = values["threads"].as<int>();
  if (!values["quiet"].as<bool>()) {
    validation_options.progress = [&streams](int done, int total) {
      streams.err << "\rsurrogate validate: " << done << "/" << total
                  << " full fits" << (done == total ? "\n" : "") << std::flush;
    };
  }
  const hf::SurrogateValidation validation =
      hf::ValidateSurrogate(surrogate.network,
                            surrogate.description,
                            *setup.likelihood,
                            setup.points,
                            validation_options,
                            values["surrogate"].as<std::string>(),
                            values["workspace"].as<std::string>());
  ordered_json result;
  result["n_points"] = validation.points.size();
  result["n_unconverged"] = validation.num_unconverged;
  result["n_in_range"] = validation.num_in_range;
  result["max_abs_delta_cls"] = validation.max_abs_delta_cls;
  result["fraction_within_0_02"] = validation.fraction_within_0_02;
  result["decision_agreement"] = validation.decision_agreement;
  result["max_relative_limit_difference"] =
      validation.max_relative_limit_difference;
  result["median_relative_limit_difference"] =
      validation.median_relative_limit_difference;
  result["fraction_limits_within_5_percent"] =
      validation.fraction_limits_within_5_percent;
  result["seconds_per_full_cls"] = validation.seconds_per_full_cls;
  result["seconds_per_surrogate_cls"] = validation.seconds_per_surrogate_cls;
  result["speedup"] = validation.seconds_per_surrogate_cls > 0
                          ? validation.seconds_per_full_cls /
                                validation.seconds_per_surrogate_cls
                          : 0.0;
  result["seconds_per_profiled_fit"] = validation.seconds_per_profiled_fit;
  result["seconds_per_surrogate_evaluation"] =
      validation.seconds_per_surrogate_evaluation;
  result["speedup_per_evaluation"] =
      validation.seconds_per_surrogate_evaluation > 0
          ? validation.seconds_per_profiled_fit /
                validation.seconds_per_surrogate_evaluation
          : 0.0;
  ordered_json points = ordered_json::array();
  for (const hf::SurrogateValidationPoint& point : validation.points) {
    ordered_json entry;
    entry["signal"] = AsVector(point.signal);
    entry["CLs_full"] = point.cls_full;
    entry["CLs_surrogate"] = point.cls_surrogate;
    entry["CLs_exp_full"] = point.cls_expected_full;
    entry["CLs_exp_surrogate"] = point.cls_expected_surrogate;
    if (point.has_limit) {
      entry["limit_full"] = point.limit_full;
      entry["limit_surrogate"] = point.limit_surrogate;
      entry["exp_limit_full"] = point.expected_limit_full;
      entry["exp_limit_surrogate"] = point.expected_limit_surrogate;
    }
    entry["converged"] = point.converged;
    points.push_back(entry);
  }
  result["points"] = points;
  std::optional<std::string> output;
  if (values.count("output") != 0) output = values["output"].as<std::string>();
  WriteJsonResult(result, output, streams);
  return kSuccess;
}

}  // namespace

Command SurrogateCommand() {
  Command command;
  command.name = "surrogate";
  command.summary =
      "neural likelihood surrogates of a workspace (train, cls, upper-limit, "
      "validate)";
  command.run = [](const std::vector<std::string>& arguments,
                   Streams streams) -> int {
    const std::string usage =
        "usage: goldmine surrogate train|cls|upper-limit|validate ... "
        "(--help after a subcommand for its options)";
    if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h") {
      if (arguments.empty()) throw InvalidInput(usage);
      streams.out << usage << "\n";
      return kSuccess;
    }
    const std::string sub = arguments[0];
    const std::vector<std::string> rest(arguments.begin() + 1, arguments.end());
    if (sub == "train") return Train(rest, streams);
    if (sub == "cls" || sub == "upper-limit") {
      return UseCommand(sub, rest, streams);
    }
    if (sub == "validate") return Validate(rest, streams);
    throw InvalidInput("surrogate: unknown subcommand \"" + sub + "\"; " +
                       usage);
  };
  return command;
}

}  // namespace goldmine::cli
