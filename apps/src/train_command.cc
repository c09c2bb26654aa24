// goldmine train --method {sally,sallino,rascal,alices,alice,cascal,carl,rolr}
//   --samples S.h5 --output DIR/NAME [--hidden 100,100] [--activation tanh]
//   [--epochs 50] [--batch-size 128] [--lr 1e-3] [--lr-decay 0.1]
//   [--validation-split 0.25] [--early-stopping] [--alpha 1] [--ensemble K]
//   [--member K] [--seed S] [--threads T] [--double-parameterized]
//   [--morphing-aware F.h5]                                   (DESIGN.md §5.5)
#include <cstdint>
#include <iomanip>
#include <sstream>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/output_guard.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/training_samples.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/sample_file.h"
#include "output_options.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace est = goldmine::estimators;

namespace {

std::vector<int> ParseHidden(const std::string& text) {
  std::vector<int> widths;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    try {
      std::size_t used = 0;
      const int width = std::stoi(item, &used);
      if (used != item.size() || width <= 0) throw std::invalid_argument("");
      widths.push_back(width);
    } catch (const std::logic_error&) {
      throw InvalidInput("--hidden: \"" + item + "\" in \"" + text +
                         "\" is not a positive integer (example: 100,100)");
    }
  }
  return widths;
}

}  // namespace

Command TrainCommand() {
  Command command;
  command.name = "train";
  command.summary =
      "train a neural estimator (sally, sallino, rascal, alices, alice, "
      "cascal, carl, rolr) on a samples file";
  command.run = [](const std::vector<std::string>& arguments,
                   Streams streams) -> int {
    po::options_description options("Options");
    options.add_options()(
        "method",
        po::value<std::string>()->required(),
        "sally, sallino (score) or rascal, alices, alice, cascal, carl, rolr "
        "(likelihood ratio)")(
        "samples", po::value<std::string>()->required(), "samples file S.h5")(
        "output",
        po::value<std::string>()->required(),
        "model prefix DIR/NAME: writes DIR/NAME.json and DIR/NAME.pt")(
        "hidden",
        po::value<std::string>()->default_value("100,100"),
        "hidden layer widths")("activation",
                               po::value<std::string>()->default_value("tanh"),
                               "tanh, relu, sigmoid or softplus")(
        "dropout", po::value<double>()->default_value(0.0), "dropout prob.")(
        "epochs", po::value<int>()->default_value(50), "training epochs")(
        "batch-size", po::value<int>()->default_value(128), "batch size")(
        "lr",
        po::value<double>()->default_value(1e-3),
        "initial learning rate")(
        "lr-decay",
        po::value<double>()->default_value(0.1),
        "final / initial learning rate (exponential decay per epoch)")(
        "optimizer",
        po::value<std::string>()->default_value("amsgrad"),
        "amsgrad, adam or sgd")("validation-split",
                                po::value<double>()->default_value(0.25),
                                "fraction held out for validation (0: none)")(
        "validation-samples",
        po::value<std::string>(),
        "separate validation samples file (replaces the split)")(
        "early-stopping", "keep the epoch with the lowest validation loss")(
        "patience",
        po::value<int>()->default_value(0),
        "with --early-stopping: stop after this many epochs without "
        "improvement (0: never)")("clip-gradient",
                                  po::value<double>()->default_value(0.0),
                                  "maximum gradient norm (0: no clipping)")(
        "weight-decay", po::value<double>()->default_value(0.0), "L2 decay")(
        "alpha",
        po::value<double>()->default_value(1.0),
        "weight of the score term (rascal, cascal, alices)")(
        "double-parameterized",
        "ratio methods: network of (theta0, theta1, x) instead of (theta0, x)")(
        "morphing-aware",
        po::value<std::string>(),
        "ratio methods: F.h5, the events (or setup) file whose morphing "
        "gives the theta dependence exactly; the network learns only the x "
        "dependence (docs/estimators.md)")(
        "ensemble", po::value<int>()->default_value(1), "ensemble members K")(
        "member",
        po::value<int>()->default_value(0),
        "index of the first member trained (seed + index): train members "
        "as separate jobs and join them with `goldmine assemble`")(
        "seed", po::value<std::uint64_t>()->default_value(1), "random seed")(
        "threads", po::value<int>()->default_value(1), "LibTorch threads")(
        "quiet", "no per-epoch progress on stderr");
    po::variables_map values;
    if (!ParseCommandLine("train",
                          "--method M --samples S.h5 --output DIR/NAME "
                          "[options]",
                          "Trains a neural estimator on augmented samples "
                          "and saves it as DIR/NAME.json + DIR/NAME.pt.",
                          options,
                          arguments,
                          streams,
                          &values)) {
      return kSuccess;
    }
    const est::Method method =
        est::ParseMethod(values["method"].as<std::string>());
    est::NetworkConfig network;
    network.hidden = ParseHidden(values["hidden"].as<std::string>());
    network.activation =
        est::ParseActivation(values["activation"].as<std::string>());
    network.dropout = values["dropout"].as<double>();
    network.double_parameterized = values.count("double-parameterized") != 0;
    est::TrainingConfig training;
    training.optimizer =
        est::ParseOptimizer(values["optimizer"].as<std::string>());
    training.epochs = values["epochs"].as<int>();
    training.batch_size = values["batch-size"].as<int>();
    training.initial_lr = values["lr"].as<double>();
    training.final_lr = training.initial_lr * values["lr-decay"].as<double>();
    training.validation_split = values["validation-split"].as<double>();
    training.early_stopping = values.count("early-stopping") != 0;
    training.early_stopping_patience = values["patience"].as<int>();
    training.clip_gradient = values["clip-gradient"].as<double>();
    training.weight_decay = values["weight-decay"].as<double>();
    training.alpha = values["alpha"].as<double>();
    training.ensemble_size = values["ensemble"].as<int>();
    training.first_member = values["member"].as<int>();
    training.seed = values["seed"].as<std::uint64_t>();
    training.threads = values["threads"].as<int>();
    network.Validate();
    training.Validate();
    if (values.count("quiet") == 0) {
      training.progress = [&streams](const est::EpochProgress& p) {
        std::ostringstream line;
        line << "train: ";
        if (p.num_members > 1)
          line << "member " << p.member + 1 << "/" << p.num_members << " ";
        line << "epoch " << p.epoch + 1 << "/" << p.num_epochs
             << std::setprecision(5) << " loss " << p.training_loss;
        if (p.validation_loss == p.validation_loss)
          line << " validation " << p.validation_loss
               << (p.improved ? " *" : "");
        line << std::setprecision(3) << " lr " << p.learning_rate << " ("
             << std::fixed << std::setprecision(1) << p.elapsed_seconds
             << " s)\n";
        streams.err << line.str() << std::flush;
      };
    }
    for (const std::string& file :
         ModelFiles(values["output"].as<std::string>())) {
      RequireOutputIsNotAnInput(
          file, PathsOfOptions(values, {"samples", "validation-samples"}));
    }
    const std::string samples_path = values["samples"].as<std::string>();
    const mining::SampleData samples = mining::ReadSamples(samples_path);
    const est::TrainingData data = est::ToTrainingData(
        samples, method, network.double_parameterized, samples_path);
    if (values.count("morphing-aware") != 0) {
      if (est::IsScoreMethod(method)) {
        throw InvalidInput("--morphing-aware is for ratio methods, not " +
                           est::MethodName(method));
      }
      const std::string setup_path = values["morphing-aware"].as<std::string>();
      network.morphing = est::MorphingStructureOf(mining::ReadSetup(setup_path),
                                                  setup_path,
                                                  samples,
                                                  network.double_parameterized,
                                                  samples_path);
      network.Validate();
    }
    mining::SampleData validation_samples;
    est::TrainingData validation;
    const bool has_validation = values.count("validation-samples") != 0;
    if (has_validation) {
      const std::string path = values["validation-samples"].as<std::string>();
      validation_samples = mining::ReadSamples(path);
      validation = est::ToTrainingData(
          validation_samples, method, network.double_parameterized, path);
    }
    const std::string output = values["output"].as<std::string>();
    nlohmann::ordered_json result;
    result["model"] = output;
    result["method"] = est::MethodName(method);
    std::vector<est::TrainingHistory> histories;
    std::string description;
    if (est::IsScoreMethod(method)) {
      const auto estimator =
          est::ScoreEstimator::Train(method,
                                     data,
                                     network,
                                     training,
                                     has_validation ? &validation : nullptr);
      estimator.Save(output);
      histories = estimator.histories();
      description = estimator.Description();
    } else {
      const auto estimator =
          est::RatioEstimator::Train(method,
                                     data,
                                     network,
                                     training,
                                     has_validation ? &validation : nullptr);
      estimator.Save(output);
      histories = estimator.histories();
      description = estimator.Description();
    }
    result["description"] = description;
    result["files"] = {output + ".json", output + ".pt"};
    result["samples"] = data.num_samples();
    nlohmann::ordered_json members = nlohmann::ordered_json::array();
    for (const auto& h : histories) {
      nlohmann::ordered_json member;
      member["seed"] = h.seed;
      member["best_epoch"] = h.best_epoch;
      member["training_loss"] = h.training_loss.back();
      if (!h.validation_loss.empty()) {
        member["validation_loss"] =
            h.validation_loss[static_cast<std::size_t>(h.best_epoch)];
      }
      member["seconds"] = h.seconds;
      members.push_back(member);
    }
    result["members"] = members;
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
