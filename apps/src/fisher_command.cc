// goldmine fisher {truth,rate,histogram,sally} --events F.h5 --theta V1,V2,...
//   --luminosity L [--observable NAME --bins E0,E1,...] [--model DIR/NAME]
//                                                           (DESIGN.md §5.4)
#include <sstream>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/finite_result.h"
#include "goldmine/mem/mem_fisher.h"
#include "goldmine/mining/fisher_information.h"
#include "goldmine/mining/fisher_result_json.h"
#include "model_loading.h"
#include "output_options.h"

namespace goldmine::cli {

namespace po = boost::program_options;

namespace {

std::vector<double> Numbers(const std::string& text, const std::string& flag) {
  std::vector<double> values;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ',')) {
    std::size_t used = 0;
    double value = 0.0;
    try {
      value = std::stod(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != part.size()) {
      throw InvalidInput(flag + " " + text + ": \"" + part +
                         "\" is not a number");
    }
    values.push_back(value);
  }
  return values;
}

// "E0,E1,..." edges; a single integer N: N dynamic bins, or N equal bins in
// --range when given.
mining::HistogramBinning Binning(const po::variables_map& values,
                                 const std::string& bins_flag,
                                 const std::string& range_flag) {
  mining::HistogramBinning binning;
  if (values.count(bins_flag) == 0) {
    throw InvalidInput("--" + bins_flag + " is required for a histogram");
  }
  const std::string text = values[bins_flag].as<std::string>();
  const std::vector<double> numbers = Numbers(text, "--" + bins_flag);
  if (numbers.size() == 1 && text.find('.') == std::string::npos &&
      numbers[0] >= 1) {
    binning.num_bins = static_cast<int>(numbers[0]);
    if (values.count(range_flag) != 0) {
      const auto range =
          Numbers(values[range_flag].as<std::string>(), "--" + range_flag);
      if (range.size() != 2 || !(range[0] < range[1])) {
        throw InvalidInput("--" + range_flag + " expects LO,HI with LO < HI");
      }
      binning.range = std::make_pair(range[0], range[1]);
    }
  } else {
    binning.edges = numbers;
    for (std::size_t i = 1; i < numbers.size(); ++i) {
      if (!(numbers[i - 1] < numbers[i])) {
        throw InvalidInput("--" + bins_flag + " " + text +
                           ": edges must increase");
      }
    }
  }
  return binning;
}

}  // namespace

Command FisherCommand() {
  Command command;
  command.name = "fisher";
  command.summary =
      "Fisher information: truth, rate, histogram (1D/2D), with cuts and "
      "nuisance parameters";
  command.run = [](const std::vector<std::string>& arguments,
                   Streams streams) -> int {
    po::options_description options("Options");
    options.add_options()("mode",
                          po::value<std::string>()->required(),
                          "truth, rate, histogram, sally or mem (positional)")(
        "events", po::value<std::string>()->required(), "events file (HDF5)")(
        "theta", po::value<std::string>()->required(), "V1,V2,...")(
        "luminosity",
        po::value<double>()->default_value(300000.0),
        "integrated luminosity in pb^-1")(
        "no-xsec-info", po::bool_switch(), "sally: without the rate term")(
        "observable",
        po::value<std::string>(),
        "histogram observable (expression)")(
        "bins",
        po::value<std::string>(),
        "E0,E1,... edges (plus overflow bins), or N bins (dynamic quantiles, "
        "or "
        "equal bins in --range)")(
        "range", po::value<std::string>(), "LO,HI for --bins N")(
        "observable2", po::value<std::string>(), "second observable (2D)")(
        "bins2", po::value<std::string>(), "binning of --observable2")(
        "range2", po::value<std::string>(), "LO,HI for --bins2 N")(
        "cut",
        po::value<std::vector<std::string>>(),
        "cut expression over observables (repeatable)")(
        "efficiency",
        po::value<std::vector<std::string>>(),
        "efficiency expression (repeatable)")(
        "no-nuisance", po::bool_switch(), "leave out nuisance parameters")(
        "model",
        po::value<std::string>(),
        "DIR/NAME, or NAME.onnx from export onnx (sally)")(
        "mem",
        po::value<std::string>(),
        "MEM file of --events (mem; sally: compare with the MEM on the same "
        "events)")("partition",
                   po::value<std::string>(),
                   "sally: events partition (default test, as MadMiner); mem: "
                   "(default all)")(
        "threads",
        po::value<int>()->default_value(1),
        "truth, histogram: threads for the per-event terms (the same numbers "
        "for any count)")(
        "output", po::value<std::string>(), "write the JSON here");
    po::positional_options_description positional;
    positional.add("mode", 1);
    po::variables_map values;
    if (!ParseCommandLine(
            "fisher",
            "{truth,rate,histogram,sally,mem} --events F.h5 --theta V1,V2 "
            "--luminosity L [--observable NAME --bins E0,E1,...]",
            "Output: {\"fisher_information\": [[..]], \"covariance\": "
            "[[..]] (n^2 x n^2, row (i,j), column (k,l)), \"parameters\": "
            "[..], \"fisher_information_uncertainty\": [[..]] (Monte Carlo "
            "standard error per element), "
            "\"fisher_information_mc_covariance\": "
            "[[..]] (their covariance, n^2 x n^2 like covariance; n <= 10), "
            "\"effective_number_of_events\", "
            "\"expected_number_of_events\", \"largest_event_fraction\" "
            "(per diagonal element), \"warnings\": [..]}; sally adds "
            "\"truth_information_same_events\", "
            "\"truth_difference_uncertainty\", \"exceeds_truth\", "
            "\"truth_excess\" (the direction of the largest excess over the "
            "truth), "
            "\"fisher_information_ensemble_uncertainty\" (ensembles), and "
            "with --mem M.h5 \"mem_information_same_events\", "
            "\"mem_information_uncertainty\", \"mem_difference_uncertainty\", "
            "\"fraction_of_mem\", \"fraction_of_mem_uncertainty\" "
            "(docs/fisher_uncertainty.md).\nsally: I = L sigma(theta) E[t_hat "
            "t_hat^T] over the "
            "weighted events of --partition (default test) with the score of "
            "--model, plus the rate information unless --no-xsec-info; no "
            "covariance.\nmem: the same with the exact observable-level "
            "score of the Matrix Element Method from --mem M.h5 (goldmine "
            "mem), over --partition (default all: nothing was trained).",
            options,
            arguments,
            streams,
            &values,
            &positional)) {
      return kSuccess;
    }
    std::vector<std::string> inputs = PathsOfOptions(values, {"events", "mem"});
    if (values.count("model") != 0) {
      for (const std::string& file :
           ModelFiles(values["model"].as<std::string>()))
        inputs.push_back(file);
    }
    RequireOutputOptionIsNotAnInput(values, "output", inputs);
    const std::string mode = values["mode"].as<std::string>();
    if (mode != "truth" && mode != "rate" && mode != "histogram" &&
        mode != "sally" && mode != "mem") {
      throw InvalidInput(
          "fisher: mode \"" + mode +
          "\" unknown; expected truth, rate, histogram, sally or mem");
    }
    if (mode == "mem" && values.count("mem") == 0) {
      throw InvalidInput("fisher mem needs --mem M.h5 (goldmine mem)");
    }
    if (mode == "sally") {
      if (values.count("model") == 0) {
        throw InvalidInput("fisher sally needs --model DIR/NAME");
      }
      // The trained network needs LibTorch: goldmine-torch runs this.
      if (!Models().available()) {
        return RunInTorchHelper("fisher", arguments, streams);
      }
    }
    mining::FisherOptions fisher_options;
    fisher_options.luminosity = values["luminosity"].as<double>();
    if (values.count("cut") != 0) {
      fisher_options.cuts = values["cut"].as<std::vector<std::string>>();
    }
    if (values.count("efficiency") != 0) {
      fisher_options.efficiencies =
          values["efficiency"].as<std::vector<std::string>>();
    }
    fisher_options.include_nuisance_parameters =
        !values["no-nuisance"].as<bool>();
    fisher_options.threads = values["threads"].as<int>();
    if (fisher_options.threads < 1 || fisher_options.threads > 256) {
      throw InvalidInput("--threads " + std::to_string(fisher_options.threads) +
                         ": expected a count from 1 to 256");
    }
    const mining::FisherInformation fisher(values["events"].as<std::string>(),
                                           fisher_options);
    const std::vector<double> theta_values =
        Numbers(values["theta"].as<std::string>(), "--theta");
    if (static_cast<int>(theta_values.size()) != fisher.num_parameters()) {
      throw InvalidInput("--theta " + values["theta"].as<std::string>() +
                         ": expected " +
                         std::to_string(fisher.num_parameters()) + " values");
    }
    const Eigen::VectorXd theta = Eigen::Map<const Eigen::VectorXd>(
        theta_values.data(), static_cast<Eigen::Index>(theta_values.size()));
    mining::FisherResult result;
    if (mode == "sally") {
      const auto model = LoadScoreModel(values["model"].as<std::string>());
      const std::string partition = values.count("partition") != 0
                                        ? values["partition"].as<std::string>()
                                        : std::string("test");
      // An ensemble's members give the spread of its information.
      mining::MemberScores members;
      if (Models().member_scores) {
        members = Models().member_scores(values["model"].as<std::string>());
      }
      // With --mem, the model is compared with the exact observable-level
      // score event by event.
      mining::EventScorer mem_score;
      if (values.count("mem") != 0) {
        mem_score = mem::MemEventScorer(fisher,
                                        values["events"].as<std::string>(),
                                        values["mem"].as<std::string>(),
                                        theta);
      }
      result = fisher.Score(theta,
                            *model,
                            partition,
                            !values["no-xsec-info"].as<bool>(),
                            members,
                            mem_score);
    } else if (mode == "mem") {
      result = mem::MemFisherInformation(
          fisher,
          values["events"].as<std::string>(),
          values["mem"].as<std::string>(),
          theta,
          values.count("partition") != 0 ? values["partition"].as<std::string>()
                                         : std::string("all"),
          !values["no-xsec-info"].as<bool>());
    } else if (mode == "truth") {
      result = fisher.Truth(theta);
    } else if (mode == "rate") {
      result = fisher.Rate(theta);
    } else {
      if (values.count("observable") == 0) {
        throw InvalidInput("fisher histogram needs --observable");
      }
      const auto binning = Binning(values, "bins", "range");
      if (values.count("observable2") != 0) {
        result = fisher.Histogram2D(theta,
                                    values["observable"].as<std::string>(),
                                    binning,
                                    values["observable2"].as<std::string>(),
                                    Binning(values, "bins2", "range2"));
      } else {
        result = fisher.Histogram(
            theta, values["observable"].as<std::string>(), binning);
      }
    }
    const nlohmann::ordered_json json =
        mining::FisherResultJson(result, theta, fisher_options.luminosity);
    for (const auto& warning : json.at("warnings")) {
      streams.err << "goldmine fisher: warning: " << warning.get<std::string>()
                  << "\n";
    }
    core::RequireFiniteResult(json,
                              "--events " + values["events"].as<std::string>());
    std::optional<std::string> output_path;
    if (values.count("output") != 0) {
      output_path = values["output"].as<std::string>();
    }
    WriteJsonResult(json, output_path, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
