// goldmine eft-workspace --events F.h5 --observable EXPR --bins E0,E1,...
//   [--observable2 EXPR --bins2 E0,...] [--cut EXPR]... --luminosity L
//   [--lumi-uncertainty S] [--no-staterror] [--no-nuisance]
//   --grid P1:LO:HI:N,... [--theta-true V1,V2,...] --output-dir DIR [--force]
//
// A binned EFT likelihood with the events file's nuisance parameters as
// HistFactory modifiers (docs/eft_histfactory.md): writes DIR/workspace.json
// (pyhf workspace at θ_true with Asimov counts), DIR/patchset.json (one
// patch per grid point) and DIR/eft_workspace.json (with goldmine's
// "morphing" modifier), and prints the profiled limits as `goldmine limits`
// does (DESIGN.md §5.6).
#include <cmath>
#include <filesystem>
#include <sstream>

#include "cli.h"
#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/output_guard.h"
#include "goldmine/inference/eft_events_histogram.h"
#include "goldmine/inference/eft_profile_likelihood.h"
#include "goldmine/inference/eft_workspace_export.h"
#include "output_options.h"

namespace goldmine::cli {

namespace po = boost::program_options;

namespace {

double Number(const std::string& text, const std::string& where) {
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value)) {
    throw InvalidInput(where + ": \"" + text + "\" is not a finite number");
  }
  return value;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

std::vector<double> Numbers(const std::string& text, const std::string& flag) {
  std::vector<double> values;
  for (const std::string& part : Split(text, ',')) {
    values.push_back(Number(part, flag + " " + text));
  }
  return values;
}

std::vector<double> Edges(const std::string& text, const std::string& flag) {
  const std::vector<double> edges = Numbers(text, flag);
  for (std::size_t i = 1; i < edges.size(); ++i) {
    if (!(edges[i - 1] < edges[i])) {
      throw InvalidInput(flag + " " + text + ": edges must increase");
    }
  }
  return edges;
}

nlohmann::ordered_json Finite(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value)
                              : nlohmann::ordered_json(nullptr);
}

}  // namespace

Command EftWorkspaceCommand() {
  Command command;
  command.name = "eft-workspace";
  command.summary =
      "binned EFT likelihood with HistFactory nuisance parameters: pyhf "
      "workspace, PatchSet and profiled limits";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    po::options_description options("Options");
    options.add_options()(
        "events", po::value<std::string>()->required(), "events file (HDF5)")(
        "observable",
        po::value<std::string>()->required(),
        "observable expression to histogram")(
        "bins",
        po::value<std::string>()->required(),
        "E0,E1,... interior bin edges (plus both overflow bins)")(
        "observable2", po::value<std::string>(), "second observable (2D)")(
        "bins2", po::value<std::string>(), "edges of --observable2")(
        "cut",
        po::value<std::vector<std::string>>(),
        "cut expression over observables (repeatable)")(
        "luminosity",
        po::value<double>()->default_value(300000.0),
        "integrated luminosity in pb^-1")(
        "lumi-uncertainty",
        po::value<double>()->default_value(0.0),
        "relative luminosity uncertainty (lumi modifier), e.g. 0.02")(
        "no-staterror", po::bool_switch(), "no MC statistics (staterror)")(
        "no-nuisance",
        po::bool_switch(),
        "ignore the file's nuisance parameters")(
        "grid",
        po::value<std::string>()->required(),
        "P1:LO:HI:N,P2:LO:HI:N in parameter order")(
        "theta-true",
        po::value<std::string>(),
        "V1,V2,...: Asimov data and workspace point (default: 0)")(
        "output-dir",
        po::value<std::string>()->required(),
        "folder for workspace.json, patchset.json, eft_workspace.json")(
        "force", po::bool_switch(), "write into a non-empty --output-dir")(
        "hepdata",
        po::value<std::string>()->default_value(inference::kNoHepDataRecord),
        "insNNNNNNN: HEPData record in patchset.json metadata.references "
        "(pyhf requires one; the default ins0000000 means none)")(
        "output", po::value<std::string>(), "write the JSON result here");
    po::variables_map values;
    if (!ParseCommandLine(
            "eft-workspace",
            "--events F.h5 --observable EXPR --bins E0,E1,... --luminosity L "
            "--grid P1:LO:HI:N,... [--theta-true V1,...] --output-dir DIR",
            "Output: {\"grid\": [[..]], \"minus_two_delta_log_l\": [..], "
            "\"p_values\": [..], \"best_fit\": [..], ...}: -2 Delta log L "
            "profiled over every nuisance parameter; null = +infinity "
            "(negative or zero expected counts).",
            options,
            arguments,
            streams,
            &values)) {
      return kSuccess;
    }
    const std::vector<std::string> inputs = PathsOfOptions(values, {"events"});
    RequireOutputOptionIsNotAnInput(values, "output", inputs);
    for (const char* written :
         {"workspace.json", "patchset.json", "eft_workspace.json"}) {
      RequireOutputIsNotAnInput(
          (std::filesystem::path(values["output-dir"].as<std::string>()) /
           written)
              .string(),
          inputs,
          "--output-dir");
    }
    const std::string hepdata = values["hepdata"].as<std::string>();
    inference::RequireHepDataId(hepdata, "--hepdata");
    const std::filesystem::path output_dir =
        values["output-dir"].as<std::string>();
    if (std::filesystem::exists(output_dir)) {
      if (!std::filesystem::is_directory(output_dir)) {
        throw InvalidInput("--output-dir " + output_dir.string() +
                           ": exists and is not a folder");
      }
      if (!std::filesystem::is_empty(output_dir) &&
          !values["force"].as<bool>()) {
        throw InvalidInput("--output-dir " + output_dir.string() +
                           ": folder is not empty; pass --force to "
                           "overwrite its files");
      }
    }
    const std::vector<inference::GridAxis> axes =
        inference::ParseGridAxes(values["grid"].as<std::string>());

    inference::EftHistogramSpec spec;
    spec.observables = {values["observable"].as<std::string>()};
    spec.edges = {Edges(values["bins"].as<std::string>(), "--bins")};
    if ((values.count("observable2") != 0) != (values.count("bins2") != 0)) {
      throw InvalidInput("--observable2 and --bins2 go together");
    }
    if (values.count("observable2") != 0) {
      spec.observables.push_back(values["observable2"].as<std::string>());
      spec.edges.push_back(Edges(values["bins2"].as<std::string>(), "--bins2"));
    }
    if (values.count("cut") != 0) {
      spec.cuts = values["cut"].as<std::vector<std::string>>();
    }
    spec.include_nuisance_parameters = !values["no-nuisance"].as<bool>();
    spec.include_sum_squared_weights = !values["no-staterror"].as<bool>();
    const std::string events = values["events"].as<std::string>();
    inference::BinnedEftInput input =
        inference::HistogramEventsFile(events, spec);

    const std::vector<std::string> names = input.parameter_names;
    inference::RequireGridAxesMatchParameters(
        axes, names, values["grid"].as<std::string>(), events);
    Eigen::VectorXd theta_true =
        Eigen::VectorXd::Zero(static_cast<Eigen::Index>(names.size()));
    if (values.count("theta-true") != 0) {
      const std::vector<double> theta =
          Numbers(values["theta-true"].as<std::string>(), "--theta-true");
      if (theta.size() != names.size()) {
        throw InvalidInput(
            "--theta-true " + values["theta-true"].as<std::string>() +
            ": expected " + std::to_string(names.size()) + " values");
      }
      theta_true = Eigen::Map<const Eigen::VectorXd>(
          theta.data(), static_cast<Eigen::Index>(theta.size()));
    }

    inference::BinnedEftOptions model_options;
    model_options.luminosity = values["luminosity"].as<double>();
    model_options.lumi_uncertainty = values["lumi-uncertainty"].as<double>();
    model_options.staterror = !values["no-staterror"].as<bool>();
    const inference::EftWorkspaceStudy study(
        std::move(input), theta_true, model_options, axes);
    const Eigen::MatrixXd& grid = study.grid();
    streams.err << "eft-workspace: " << study.model().Description() << "\n"
                << "eft-workspace: profiling " << grid.rows()
                << " grid points\n";
    inference::EftProfileOptions profile_options;
    int reported = 0;
    profile_options.progress = [&](int done, int total) {
      const int percent = 100 * done / total;
      if (percent >= reported + 10 || done == total) {
        reported = percent;
        streams.err << "eft-workspace: " << done << "/" << total
                    << " grid points\n"
                    << std::flush;
      }
    };
    const inference::EftWorkspaceDocuments documents =
        study.Run(profile_options, hepdata);
    const inference::EftProfileResult& profile = documents.profile;
    std::filesystem::create_directories(output_dir);
    WriteTextFileAtomically(output_dir / "workspace.json", documents.workspace);
    WriteTextFileAtomically(output_dir / "patchset.json", documents.patchset);
    WriteTextFileAtomically(output_dir / "eft_workspace.json",
                            documents.extended_workspace);

    nlohmann::ordered_json json;
    nlohmann::ordered_json grid_json = nlohmann::ordered_json::array();
    nlohmann::ordered_json delta = nlohmann::ordered_json::array();
    nlohmann::ordered_json twice_nll = nlohmann::ordered_json::array();
    int not_converged = 0;
    for (Eigen::Index i = 0; i < grid.rows(); ++i) {
      grid_json.push_back(
          std::vector<double>(grid.row(i).begin(), grid.row(i).end()));
      delta.push_back(Finite(profile.minus_two_delta_log_l(i)));
      twice_nll.push_back(Finite(profile.twice_nll(i)));
      if (!profile.converged[static_cast<std::size_t>(i)]) ++not_converged;
    }
    json["grid"] = grid_json;
    json["minus_two_delta_log_l"] = delta;
    json["p_values"] =
        std::vector<double>(profile.p_values.data(),
                            profile.p_values.data() + profile.p_values.size());
    json["dof"] = profile.dof;
    json["best_fit"] =
        std::vector<double>(profile.best_fit.data(),
                            profile.best_fit.data() + profile.best_fit.size());
    json["twice_nll"] = twice_nll;
    nlohmann::ordered_json patches = nlohmann::ordered_json::array();
    for (Eigen::Index i = 0; i < grid.rows(); ++i) {
      patches.push_back(inference::EftPatchName(static_cast<int>(i)));
    }
    json["patch_names"] = patches;
    json["parameters"] = names;
    json["nuisance_parameters"] = profile.nuisance_parameter_names;
    json["theta_true"] = std::vector<double>(
        theta_true.data(), theta_true.data() + theta_true.size());
    json["luminosity"] = model_options.luminosity;
    json["fits_not_converged"] = not_converged;
    json["files"] = {
        {"workspace", (output_dir / "workspace.json").string()},
        {"patchset", (output_dir / "patchset.json").string()},
        {"eft_workspace", (output_dir / "eft_workspace.json").string()}};
    json["settings"] = study.model().Description();
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
