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

// The columns of a samples file that `method` trains on.
est::TrainingData ToTrainingData(const mining::SampleData& samples,
                                 est::Method method,
                                 bool double_parameterized,
                                 const std::string& path) {
  const std::string name = est::MethodName(method);
  const auto require = [&](const Eigen::MatrixXd& m,
                           const char* dataset,
                           const char* hint) {
    if (m.size() == 0) {
      throw InvalidInput(path + ": no " + dataset + " (a '" + samples.method +
                         "' sample); " + name + " needs it: " + hint);
    }
  };
  est::TrainingData data;
  data.x = samples.x;
  data.observable_names = samples.observables;
  if (est::IsScoreMethod(method)) {
    require(
        samples.t_xz, "t_xz", "draw the samples with `goldmine augment local`");
    data.t_xz = samples.t_xz;
    data.parameter_names = samples.parameters;
    data.parameter_names.insert(data.parameter_names.end(),
                                samples.nuisance_parameters.begin(),
                                samples.nuisance_parameters.end());
    return data;
  }
  const char* ratio_hint = "draw the samples with `goldmine augment ratio`";
  require(samples.theta0, "theta0", ratio_hint);
  require(samples.y, "y", ratio_hint);
  data.theta0 = samples.theta0;
  data.y = samples.y;
  data.parameter_names = samples.parameters;
  if (double_parameterized) {
    require(samples.theta1, "theta1", ratio_hint);
    data.theta1 = samples.theta1;
  }
  if (est::NeedsJointRatio(method)) {
    require(samples.r_xz, "r_xz", ratio_hint);
    data.r_xz = samples.r_xz;
  }
  if (est::NeedsJointScore(method)) {
    require(samples.t_xz, "t_xz", ratio_hint);
    if (samples.t_xz.cols() < samples.theta0.cols()) {
      throw InvalidInput(
          path + ": t_xz has " + std::to_string(samples.t_xz.cols()) +
          " columns, theta0 has " + std::to_string(samples.theta0.cols()));
    }
    data.t_xz = samples.t_xz.leftCols(samples.theta0.cols());
    if (double_parameterized) {
      // The θ1 score term (MadMiner's ratio_score_mse) needs t(x,z|θ1).
      require(samples.t_xz1,
              "t_xz1",
              "double-parameterized score-augmented training needs the "
              "score at theta1; draw the samples with `goldmine augment "
              "more-ratios`");
      data.t_xz1 = samples.t_xz1.leftCols(samples.theta0.cols());
    }
  }
  return data;
}

std::string CommaSeparated(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

// The morphing structure for --morphing-aware, from the setup or events
// file `setup_path`, whose parameters must be those of the samples. A
// single-parameterized network takes its fixed θ1 from the samples.
est::MorphingStructure MorphingOf(const std::string& setup_path,
                                  const mining::SampleData& samples,
                                  bool double_parameterized,
                                  const std::string& samples_path) {
  const mining::MadminerSetup setup = mining::ReadSetup(setup_path);
  if (!setup.morphing) {
    throw InvalidInput(setup_path +
                       ": no morphing/ group; --morphing-aware needs the "
                       "events or setup file of a morphing setup");
  }
  std::vector<std::string> names;
  for (const auto& parameter : setup.parameters)
    names.push_back(parameter.name);
  if (names != samples.parameters) {
    throw InvalidInput(setup_path + ": parameters (" + CommaSeparated(names) +
                       ") differ from those of " + samples_path + " (" +
                       CommaSeparated(samples.parameters) + ")");
  }
  const mining::MadminerMorphing& morphing = *setup.morphing;
  est::MorphingStructure structure;
  for (Eigen::Index c = 0; c < morphing.components.rows(); ++c) {
    std::vector<int> powers;
    for (Eigen::Index k = 0; k < morphing.components.cols(); ++k)
      powers.push_back(morphing.components(c, k));
    structure.components.push_back(powers);
    std::vector<double> row;
    for (Eigen::Index b = 0; b < morphing.morphing_matrix.cols(); ++b)
      row.push_back(morphing.morphing_matrix(c, b));
    structure.matrix.push_back(row);
  }
  if (!double_parameterized) {
    const Eigen::MatrixXd& theta1 = samples.theta1;
    if (theta1.rows() == 0) {
      throw InvalidInput(samples_path +
                         ": no theta1; a morphing-aware network needs the "
                         "denominator of `goldmine augment ratio`");
    }
    for (Eigen::Index row = 1; row < theta1.rows(); ++row) {
      if (theta1.row(row) != theta1.row(0)) {
        throw InvalidInput(samples_path + ": theta1 row " +
                           std::to_string(row) +
                           " differs from row 0; a single-parameterized "
                           "network has one theta1 (add "
                           "--double-parameterized)");
      }
    }
    for (Eigen::Index k = 0; k < theta1.cols(); ++k)
      structure.reference.push_back(theta1(0, k));
  }
  return structure;
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
    const est::TrainingData data = ToTrainingData(
        samples, method, network.double_parameterized, samples_path);
    if (values.count("morphing-aware") != 0) {
      if (est::IsScoreMethod(method)) {
        throw InvalidInput("--morphing-aware is for ratio methods, not " +
                           est::MethodName(method));
      }
      network.morphing = MorphingOf(values["morphing-aware"].as<std::string>(),
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
      validation = ToTrainingData(
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
