// goldmine limits --events F.h5 --method {rate,ml,sally,adaptive-sally,
//   sallino,histo} [--model DIR/NAME] [--observables a,b --binning SPEC]
//   --grid P1:LO:HI:N,... --luminosity L [--theta-true V1,V2]
//   [--include-xsec] [--systematics] [--observed DATA.h5]   (DESIGN.md §5.6)
//
// The rate term: always for --method rate; for the other methods only with
// --include-xsec (MadMiner's include_xsec defaults to True; here the flag of
// the CLI contract decides, so that a kinematic-only limit is the default).
//
// Defaults are those of `goldmine run`: Asimov data from the templates and
// histograms with underflow and overflow bins (the bins of `goldmine fisher
// histogram` for the same edges). --madminer restores MadMiner's
// AsymptoticLimits conventions (Asimov data from the test partition, edges
// without overflow bins), which its reference numbers need.
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <tuple>
#include <utility>

#include "cli.h"
#include "goldmine/core/atomic_file.h"
#include "goldmine/core/eigen_json.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/finite_result.h"
#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/score_model.h"
#include "goldmine/inference/eft_systematics_limits.h"
#include "goldmine/inference/limits/asymptotic_limits.h"
#include "goldmine/inference/limits/limit_result_json.h"
#include "goldmine/inference/limits/stxs_binning.h"
#include "goldmine/mem/mem_ratio_model.h"
#include "limit_chunk_json.h"
#include "model_loading.h"
#include "output_options.h"
#include "shard_option.h"

namespace goldmine::cli {

namespace po = boost::program_options;

namespace {

std::vector<std::string> SplitList(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

double Number(const std::string& word, const std::string& context) {
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(word, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != word.size() || !std::isfinite(value)) {
    throw InvalidInput(context + ": \"" + word + "\" is not a finite number");
  }
  return value;
}

Eigen::VectorXd Vector(const std::string& text, const std::string& flag) {
  const std::vector<std::string> words = SplitList(text, ',');
  Eigen::VectorXd values(static_cast<Eigen::Index>(words.size()));
  for (std::size_t i = 0; i < words.size(); ++i)
    values(static_cast<Eigen::Index>(i)) = Number(words[i], flag + " " + text);
  return values;
}

// --fix NAME=V,... and --profile NAME:LO:HI,...
inference::OtherParameters Others(const po::variables_map& values) {
  inference::OtherParameters others;
  if (values.count("fix") != 0) {
    for (const std::string& part :
         SplitList(values["fix"].as<std::string>(), ',')) {
      const auto equals = part.find('=');
      if (equals == std::string::npos || equals == 0) {
        throw InvalidInput("--fix " + part + ": expected NAME=VALUE");
      }
      others.fixed[part.substr(0, equals)] =
          Number(part.substr(equals + 1), "--fix " + part);
    }
  }
  if (values.count("profile") != 0) {
    for (const std::string& part :
         SplitList(values["profile"].as<std::string>(), ',')) {
      const std::vector<std::string> fields = SplitList(part, ':');
      if (fields.size() != 3 || fields[0].empty()) {
        throw InvalidInput("--profile " + part + ": expected NAME:LO:HI");
      }
      others.profiled[fields[0]] = {Number(fields[1], "--profile " + part),
                                    Number(fields[2], "--profile " + part)};
    }
  }
  return others;
}

}  // namespace

Command LimitsCommand() {
  Command command;
  command.name = "limits";
  command.summary =
      "asymptotic limits on a θ grid: rate, histo (incl. STXS), sally, "
      "adaptive-sally, sallino, ml, mem";
  command.run = [](const std::vector<std::string>& arguments,
                   Streams streams) -> int {
    po::options_description options("Options");
    options.add_options()(
        "events", po::value<std::string>()->required(), "events file (HDF5)")(
        "method",
        po::value<std::string>()->required(),
        "rate, histo, sally, adaptive-sally, sallino, ml or mem")(
        "mem",
        po::value<std::string>(),
        "MEM file of --events (goldmine mem), for --method mem")(
        "model",
        po::value<std::string>(),
        "DIR/NAME or NAME.onnx (export onnx): score model (sally, "
        "adaptive-sally, sallino) or likelihood-ratio model (ml)")(
        "observables", po::value<std::string>(), "histo: a,b (names)")(
        "binning",
        po::value<std::string>(),
        "a preset (STXS-WH-1.0, STXS-WH-1.1, STXS-WH-1.2, STXS-WH, "
        "STXS-WH-6, improved-STXS) or per dimension N (adaptive bins) or "
        "E0,E1,... (edges), dimensions separated by ';'")(
        "grid",
        po::value<std::string>()->required(),
        "NAME:LO:HI:N,... (first parameter slowest)")(
        "luminosity",
        po::value<double>()->default_value(300000.0),
        "integrated luminosity in pb^-1")(
        "threads",
        po::value<int>()->default_value(1),
        "grid points evaluated in parallel (rate, histo, sally, "
        "adaptive-sally, sallino; the same numbers for any count)")(
        "theta-true", po::value<std::string>(), "V1,V2,... (default: SM = 0)")(
        "include-xsec", po::bool_switch(), "add the Poisson rate term")(
        "systematics",
        po::bool_switch(),
        "histo, sally: profile the events file's systematics as HistFactory "
        "nuisance parameters (histosys, normsys, staterror, lumi)")(
        "lumi-uncertainty",
        po::value<double>()->default_value(0.0),
        "--systematics: relative luminosity uncertainty (0: none)")(
        "no-staterror",
        po::bool_switch(),
        "--systematics: no staterror modifier for finite MC statistics")(
        "observed", po::value<std::string>(), "observed events file (HDF5)")(
        "madminer",
        po::bool_switch(),
        "MadMiner's AsymptoticLimits conventions: Asimov data from the test "
        "partition, histogram edges without underflow/overflow bins (values "
        "outside are left out of the templates, clipped in the data)")(
        "fill-overflow",
        po::bool_switch(),
        "with --madminer, histo, sally: events outside the binning fill the "
        "outer bins (as they are evaluated) instead of being left out")(
        "information-binning",
        po::bool_switch(),
        "sally, adaptive bins: quantiles of the Fisher information w t^2 of "
        "each score component instead of the weights (MadMiner)")(
        "asimov-from",
        po::value<std::string>(),
        "expected limits: Asimov data from the histogram events (templates, "
        "the default: no MC noise in the Asimov histogram) or from the test "
        "partition (test; the default with --madminer)")(
        "observed-weights",
        po::value<std::string>(),
        "weight the observed events by this benchmark's weights")(
        "fix",
        po::value<std::string>(),
        "NAME=V,...: parameters off the grid "
        "(default 0)")("profile",
                       po::value<std::string>(),
                       "NAME:LO:HI,...: parameters "
                       "maximised over at every grid point")(
        "score-components", po::value<std::string>(), "0,1,...: score subset")(
        "theta-ref",
        po::value<std::string>(),
        "θ_ref of sallino / "
        "adaptive-sally (default 0)")(
        "dof",
        po::value<int>()->default_value(0),
        "degrees of freedom "
        "(default: grid axes with more than one point)")(
        "test-split",
        po::value<double>()->default_value(0.2),
        "fraction of events for the Asimov data and σ")(
        "chunk",
        po::value<std::string>(),
        "I/N: evaluate only the I-th (0-based) of N contiguous ranges of the "
        "grid's points and write a chunk file (join the chunks with --join; "
        "docs/limits.md)")(
        "join",
        po::value<std::vector<std::string>>()->multitoken(),
        "CHUNK.json...: the chunks of this same command (with --chunk I/N) "
        "joined into its result; nothing is evaluated again")(
        "drop-units",
        po::value<std::string>(),
        "U1,U2,...: bins or events left out at every point, as if not "
        "finite (what --join asks for when chunks left out different units)")(
        "csv", po::value<std::string>(), "also write a CSV table here")(
        "output", po::value<std::string>(), "write the JSON here");
    po::variables_map values;
    if (!ParseCommandLine(
            "limits",
            "--events F.h5 --method {rate,ml,sally,adaptive-sally,sallino,"
            "histo} --grid P1:LO:HI:N,... --luminosity L [--model DIR/NAME] "
            "[--observables a,b --binning SPEC] [--theta-true V1,V2] "
            "[--include-xsec] [--observed DATA.h5]",
            "Output: {\"grid\": [[..]], \"minus_two_delta_log_l\": [..], "
            "\"p_values\": [..], \"best_fit\": [..], ...} (see "
            "docs/limits.md).",
            options,
            arguments,
            streams,
            &values)) {
      return kSuccess;
    }
    std::vector<std::string> inputs =
        PathsOfOptions(values, {"events", "observed", "mem"});
    const bool join = values.count("join") != 0;
    if (join) {
      for (const std::string& file :
           values["join"].as<std::vector<std::string>>())
        inputs.push_back(file);
    }
    if (values.count("model") != 0) {
      for (const std::string& file :
           ModelFiles(values["model"].as<std::string>()))
        inputs.push_back(file);
    }
    RequireOutputOptionIsNotAnInput(values, "output", inputs);
    RequireOutputOptionIsNotAnInput(values, "csv", inputs);
    const inference::LimitMethod method =
        inference::ParseLimitMethod(values["method"].as<std::string>());
    const inference::ThetaGrid grid =
        inference::ThetaGrid::Parse(values["grid"].as<std::string>());
    const bool needs_model = method == inference::LimitMethod::kMl ||
                             inference::NeedsScoreModel(method);
    if (needs_model && values.count("model") == 0) {
      throw InvalidInput("limits --method " +
                         values["method"].as<std::string>() +
                         " needs --model DIR/NAME");
    }
    if (method == inference::LimitMethod::kMem) {
      if (values.count("mem") == 0) {
        throw InvalidInput(
            "limits --method mem needs --mem M.h5 (goldmine "
            "mem --events on the same events file)");
      }
      if (values.count("observed") != 0) {
        throw InvalidInput(
            "limits --method mem: --observed is not supported; the MEM file "
            "holds the events of --events only (Asimov data)");
      }
    } else if (values.count("mem") != 0) {
      throw InvalidInput("limits --method " +
                         values["method"].as<std::string>() +
                         " takes no --mem");
    }
    if (!needs_model && values.count("model") != 0) {
      throw InvalidInput("limits --method " +
                         values["method"].as<std::string>() +
                         " takes no --model");
    }
    if (method == inference::LimitMethod::kHisto &&
        values.count("observables") == 0) {
      throw InvalidInput("limits --method histo needs --observables a,b");
    }
    const bool systematics = values["systematics"].as<bool>();
    if (systematics && method != inference::LimitMethod::kHisto &&
        method != inference::LimitMethod::kSally) {
      throw InvalidInput(
          "limits --systematics: only the histogram methods histo and sally "
          "have a HistFactory model (method " +
          values["method"].as<std::string>() + ")");
    }
    if (systematics && values.count("profile") != 0) {
      throw InvalidInput(
          "limits --systematics: --profile is not supported; scan the "
          "parameter on the grid or fix it with --fix");
    }
    const bool chunked = values.count("chunk") != 0;
    if ((chunked || join) && systematics) {
      throw InvalidInput(
          "limits --systematics: the profile over the systematics needs the "
          "whole grid; leave out --chunk and --join");
    }
    if (chunked && join) {
      throw InvalidInput(
          "limits: --chunk evaluates a chunk, --join joins "
          "chunks; give one of them");
    }
    if (needs_model && !join && !Models().available()) {
      return RunInTorchHelper("limits", arguments, streams);
    }

    inference::LimitOptions limit_options;
    limit_options.luminosity = values["luminosity"].as<double>();
    limit_options.threads = values["threads"].as<int>();
    if (limit_options.threads < 1) {
      throw InvalidInput("--threads: expected at least 1");
    }
    if (chunked) {
      std::tie(limit_options.chunk.index, limit_options.chunk.count) =
          ParseShard(values["chunk"].as<std::string>());
    }
    if (values.count("drop-units") != 0) {
      const std::string list = values["drop-units"].as<std::string>();
      for (const std::string& word : SplitList(list, ',')) {
        const double unit = Number(word, "--drop-units " + list);
        if (unit < 0 || unit != std::floor(unit) || unit > 1e15) {
          throw InvalidInput("--drop-units " + list + ": \"" + word +
                             "\" is not a unit number (0, 1, ...)");
        }
        limit_options.drop_units.push_back(static_cast<std::int64_t>(unit));
      }
    }
    limit_options.include_xsec = values["include-xsec"].as<bool>();
    limit_options.dof = values["dof"].as<int>();
    limit_options.test_split = values["test-split"].as<double>();
    const bool madminer = values["madminer"].as<bool>();
    const std::string asimov_from =
        values.count("asimov-from") != 0
            ? values["asimov-from"].as<std::string>()
            : (madminer ? "test" : "templates");
    if (asimov_from != "test" && asimov_from != "templates") {
      throw InvalidInput("--asimov-from " + asimov_from +
                         ": expected test or templates");
    }
    limit_options.asimov_from_templates = asimov_from == "templates";
    // goldmine's conventions: overflow bins, the dynamic bins of `fisher
    // histogram` at θ_true for a histo bin count, partitions without
    // MadMiner's skipped boundary events (as `goldmine xsec`).
    limit_options.overflow_bins = !madminer;
    limit_options.madminer_partitions = madminer;
    if (!madminer && values.count("theta-true") != 0) {
      limit_options.binning_theta =
          Vector(values["theta-true"].as<std::string>(), "--theta-true");
    }
    limit_options.fill_overflow = values["fill-overflow"].as<bool>();
    limit_options.information_binning =
        values["information-binning"].as<bool>();
    if (limit_options.dof < 0) throw InvalidInput("--dof must be ≥ 0");
    // Progress every 10% of the grid (the per-θ methods can take a while).
    limit_options.progress = [&streams](Eigen::Index done, Eigen::Index total) {
      if (total >= 100 && done % (total / 10) == 0) {
        streams.err << "limits: " << done << " / " << total << " grid points\n";
      }
    };
    const inference::AsymptoticLimits limits(values["events"].as<std::string>(),
                                             limit_options);
    const int num_parameters =
        static_cast<int>(limits.parameter_names().size());

    inference::KinematicSetup kinematics;
    kinematics.method = method;
    if (values.count("observables") != 0) {
      kinematics.observables =
          SplitList(values["observables"].as<std::string>(), ',');
    }
    if (values.count("binning") != 0) {
      kinematics.binning =
          inference::ParseBinning(values["binning"].as<std::string>());
    }
    if (values.count("score-components") != 0) {
      const Eigen::VectorXd components = Vector(
          values["score-components"].as<std::string>(), "--score-components");
      for (double c : components)
        kinematics.score_components.push_back(static_cast<int>(c));
    }
    if (values.count("theta-ref") != 0) {
      kinematics.theta_ref =
          Vector(values["theta-ref"].as<std::string>(), "--theta-ref");
    }
    std::unique_ptr<core::ScoreModel> score_model;
    std::unique_ptr<core::LikelihoodRatioModel> ratio_model;
    if (join) {
      // Nothing is evaluated: the chunks hold every point's log likelihood.
    } else if (inference::NeedsScoreModel(method)) {
      score_model = LoadScoreModel(values["model"].as<std::string>());
      kinematics.score_model = score_model.get();
    } else if (method == inference::LimitMethod::kMl) {
      ratio_model = LoadRatioModel(values["model"].as<std::string>());
      kinematics.ratio_model = ratio_model.get();
    } else if (method == inference::LimitMethod::kMem) {
      ratio_model = std::make_unique<mem::MemRatioModel>(
          values["events"].as<std::string>(), values["mem"].as<std::string>());
      kinematics.ratio_model = ratio_model.get();
    }

    Eigen::VectorXd theta_true = Eigen::VectorXd::Zero(num_parameters);
    if (values.count("theta-true") != 0) {
      theta_true =
          Vector(values["theta-true"].as<std::string>(), "--theta-true");
      if (theta_true.size() != num_parameters) {
        throw InvalidInput("--theta-true " +
                           values["theta-true"].as<std::string>() +
                           ": expected " + std::to_string(num_parameters) +
                           " values, one per parameter of the events file");
      }
    }
    inference::ObservedData data;
    const bool observed = values.count("observed") != 0;
    if (observed) {
      // Described, read in passes by rate, histo and sally; in memory for
      // --systematics, which bins the events itself.
      data = (systematics ? inference::ReadObservedData
                          : inference::ObservedEventsFile)(
          values["observed"].as<std::string>(),
          limits.observable_names(),
          values.count("observed-weights") != 0
              ? values["observed-weights"].as<std::string>()
              : std::string(),
          limit_options.luminosity);
    } else {
      data = limits.Asimov(theta_true);
    }
    streams.err << "limits: " << inference::LimitMethodName(method) << " on "
                << grid.num_points() << " grid points, n = " << data.n_events
                << (observed ? " observed" : " expected") << " events\n";

    const inference::OtherParameters others = Others(values);
    const std::string run_key = LimitsRunKey(values);
    inference::LimitResult result;
    if (join) {
      std::vector<inference::LimitChunk> chunks;
      for (const std::string& file :
           values["join"].as<std::vector<std::string>>())
        chunks.push_back(ReadLimitChunk(file, run_key));
      result = inference::JoinLimitChunks(std::move(chunks));
      if (result.grid.rows() != grid.num_points()) {
        throw InvalidInput(
            "--join: the chunks hold " + std::to_string(result.grid.rows()) +
            " points, the grid " + std::to_string(grid.num_points()));
      }
    } else {
      result = limits.Compute(kinematics, grid, data, others);
    }
    if (chunked) {
      const nlohmann::ordered_json chunk_json = LimitChunkJson(
          result, limit_options.chunk, grid.num_points(), run_key);
      core::RequireFiniteResult(
          chunk_json, "--events " + values["events"].as<std::string>());
      std::optional<std::string> output_path;
      if (values.count("output") != 0)
        output_path = values["output"].as<std::string>();
      WriteJsonResult(chunk_json, output_path, streams);
      return kSuccess;
    }
    if (result.profile_fits_not_converged > 0) {
      std::size_t first = 0;
      while (result.profile_converged[first]) ++first;
      streams.err << "limits: warning: the fit of the --profile parameters "
                     "did not converge at "
                  << result.profile_fits_not_converged << " of "
                  << grid.num_points() << " grid points (first: point " << first
                  << ", " << result.profile_problems[first]
                  << "); see profile_converged\n";
    }
    nlohmann::ordered_json systematics_json;
    if (systematics) {
      inference::SystematicsSettings settings;
      settings.luminosity = limit_options.luminosity;
      settings.lumi_uncertainty = values["lumi-uncertainty"].as<double>();
      settings.staterror = !values["no-staterror"].as<bool>();
      const inference::SystematicLimits profiled =
          inference::ProfileSystematics(
              values["events"].as<std::string>(),
              kinematics,
              result,
              observed ? &data : nullptr,
              theta_true,
              settings,
              [&streams](int done, int total) {
                if (total >= 100 && done % (total / 10) == 0) {
                  streams.err << "limits: profiled " << done << " / " << total
                              << " grid points\n";
                }
              });
      systematics_json["minus_two_delta_log_l_without_systematics"] =
          core::Values(result.minus_two_delta_log_l);
      systematics_json["nuisance_parameters"] = profiled.nuisance_parameters;
      systematics_json["lumi_uncertainty"] = settings.lumi_uncertainty;
      systematics_json["staterror"] = settings.staterror;
      systematics_json["num_bins"] = profiled.num_bins;
      systematics_json["fits_not_converged"] = profiled.fits_not_converged;
      inference::ApplyProfiledSystematics(profiled, &result);
      if (profiled.fits_not_converged > 0) {
        streams.err << "limits: warning: the nuisance-parameter fit did not "
                       "converge at "
                    << profiled.fits_not_converged << " of "
                    << grid.num_points()
                    << " grid points (systematics.fits_not_converged)\n";
      }
    }
    // Asimov data should put the best fit at θ_true, unless a parameter off
    // the grid is fixed elsewhere.
    std::optional<bool> best_fit_at_truth;
    if (!observed) {
      best_fit_at_truth =
          inference::AsimovBestFitAtTruth(grid, result, theta_true, others);
      if (best_fit_at_truth && !*best_fit_at_truth) {
        std::ostringstream where;
        where << result.grid.row(result.best_fit_index);
        streams.err << "limits: warning: the best fit of the Asimov data ("
                    << where.str() << ") is not at theta_true (" << asimov_from
                    << " Asimov data"
                    << (asimov_from == "test"
                            ? ": the test partition's MC fluctuations pull "
                              "the fit; --asimov-from templates avoids them"
                            : "")
                    << ")\n";
      }
    }

    inference::LimitJsonContext context;
    context.method = method;
    context.luminosity = limit_options.luminosity;
    context.include_xsec = limit_options.include_xsec;
    context.observed = observed;
    context.theta_true = theta_true;
    context.asimov_from = asimov_from;
    context.conventions = madminer ? "madminer" : "goldmine";
    context.best_fit_at_theta_true = best_fit_at_truth;
    if (systematics) context.systematics = systematics_json;
    const nlohmann::ordered_json json =
        inference::LimitResultJson(result, grid, context);
    core::RequireFiniteResult(json,
                              "--events " + values["events"].as<std::string>());
    if (values.count("csv") != 0) {
      WriteTextFileAtomically(values["csv"].as<std::string>(),
                              inference::LimitResultCsv(result));
    }
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
