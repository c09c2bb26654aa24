// goldmine histfactory inspect|fit|cls|upper-limit|patch|combine|prune|rename
// (DESIGN.md §5.7): pyhf's command line on goldmine's HistFactory engine.
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "cli.h"
#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/inference/fit.h"
#include "goldmine/inference/hypotest.h"
#include "goldmine/inference/likelihood_checks.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/pyhf_schema.h"
#include "goldmine/inference/simplified_likelihood.h"
#include "goldmine/inference/workspace.h"
#include "goldmine/inference/workspace_inspection.h"
#include "goldmine/inference/workspace_json.h"
#include "histfactory_documents.h"
#include "histfactory_io.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace hf = goldmine::inference;
namespace {

using nlohmann::ordered_json;

// "-" reads standard input (histfactory_io.h).
std::string ReadText(const std::string& path, const std::string& what) {
  return ReadHistFactoryDocument(path, what);
}

std::optional<std::string> OutputPath(const po::variables_map& values) {
  return HistFactoryOutputPath(values);
}

void WriteText(const std::string& text,
               const std::optional<std::string>& output_path,
               Streams streams) {
  WriteHistFactoryText(text, output_path, streams);
}

// Options every command reading one workspace shares.
po::options_description WorkspaceOptions() {
  po::options_description options("Workspace");
  options.add_options()("workspace",
                        po::value<std::string>()->required(),
                        "pyhf JSON workspace (positional)")(
      "patchset",
      po::value<std::string>(),
      "PatchSet file; apply the patch --patch-name (after a digest check)")(
      "patch-name", po::value<std::string>(), "patch of the PatchSet to apply")(
      "patch-values",
      po::value<std::string>(),
      "V1,V2,...: the patch of the PatchSet with these metadata.values "
      "(instead of --patch-name)")(
      "patch",
      po::value<std::vector<std::string>>()->composing(),
      "RFC 6902 JSON Patch on {channels, parameters} (repeatable)")(
      "measurement",
      po::value<std::string>()->default_value(""),
      "measurement to use (default: the first)")(
      "output", po::value<std::string>(), "write the result here");
  return options;
}

// WorkspaceOptions plus the choices pyhf makes when it builds a Model
// (modifier_settings, clip_sample_data, clip_bin_data).
po::options_description ModelWorkspaceOptions() {
  po::options_description options = WorkspaceOptions();
  po::options_description model("Model (pyhf modifier_settings and clipping)");
  model.add_options()(
      "normsys-interpcode",
      po::value<std::string>()->default_value("code4"),
      "normsys interpolation: code0, code1, code2, code4, code4p (pyhf's "
      "Model allows code1, code4)")(
      "histosys-interpcode",
      po::value<std::string>()->default_value("code4p"),
      "histosys interpolation: code0, code1, code2, code4, code4p (pyhf's "
      "Model allows code0, code2, code4p)")(
      "clip-sample-data",
      po::value<double>(),
      "raise every sample's expected rate per bin to at least this")(
      "clip-bin-data",
      po::value<double>(),
      "raise every bin's total expected rate to at least this");
  options.add(model);
  return options;
}

hf::InterpolationCode InterpolationCodeFrom(const po::variables_map& values,
                                            const std::string& key) {
  try {
    return hf::ParseInterpolationCode(values[key].as<std::string>());
  } catch (const InvalidInput& error) {
    throw InvalidInput("--" + key + ": " + error.what());
  }
}

// The workspace text after --patchset and --patch, in that order.
std::string PatchedWorkspace(const po::variables_map& values) {
  const std::string path = values["workspace"].as<std::string>();
  const std::string text =
      hf::WorkspaceFromDocument(ReadText(path, "workspace"), path);
  const bool has_patchset = values.count("patchset") != 0;
  const int num_keys = static_cast<int>(values.count("patch-name") +
                                        values.count("patch-values"));
  if (num_keys > 1) {
    throw InvalidInput("give --patch-name or --patch-values, not both");
  }
  if (has_patchset != (num_keys == 1)) {
    throw InvalidInput(
        "--patchset needs --patch-name or --patch-values, and they need "
        "--patchset");
  }
  hf::WorkspacePatches patches;
  if (has_patchset) {
    const std::string patchset_path = values["patchset"].as<std::string>();
    patches.patchset = patchset_path;
    patches.patch_name = [&values, patchset_path](const std::string& patchset) {
      return values.count("patch-name") != 0
                 ? values["patch-name"].as<std::string>()
                 : hf::PatchNameForValues(
                       patchset,
                       SplitPatchValues(
                           values["patch-values"].as<std::string>()),
                       patchset_path);
    };
  }
  if (values.count("patch") != 0) {
    patches.patches = values["patch"].as<std::vector<std::string>>();
  }
  patches.measurement = values["measurement"].as<std::string>();
  return hf::PatchWorkspace(text, path, patches, ReadText);
}

struct LoadedModel {
  hf::Workspace workspace;
  std::unique_ptr<hf::Model> model;
};

// needs_observations false (inspect): the model is built for its parameters
// only, so that a workspace pyhf loads without usable observations (a
// channel without one, negative counts) can be inspected as in pyhf.
LoadedModel LoadModel(const po::variables_map& values,
                      bool needs_observations = true) {
  const std::string path = values["workspace"].as<std::string>();
  LoadedModel loaded;
  loaded.workspace = hf::Workspace::FromJson(PatchedWorkspace(values), path);
  const hf::Workspace model_workspace =
      needs_observations ? loaded.workspace
                         : loaded.workspace.WithZeroObservations();
  hf::ModelOptions options;
  options.measurement = values["measurement"].as<std::string>();
  if (values.count("normsys-interpcode") != 0) {
    options.normsys_code = InterpolationCodeFrom(values, "normsys-interpcode");
    options.histosys_code =
        InterpolationCodeFrom(values, "histosys-interpcode");
  }
  if (values.count("clip-sample-data") != 0) {
    options.clip_sample_data = values["clip-sample-data"].as<double>();
  }
  if (values.count("clip-bin-data") != 0) {
    options.clip_bin_data = values["clip-bin-data"].as<double>();
  }
  try {
    loaded.model = std::make_unique<hf::Model>(model_workspace, options);
  } catch (const InvalidInput& error) {
    const std::string message = error.what();
    throw InvalidInput(message.rfind(path, 0) == 0 ? message
                                                   : path + ": " + message);
  }
  return loaded;
}

bool Parse(const std::string& name,
           const std::string& usage,
           const std::string& description,
           po::options_description options,
           const std::vector<std::string>& arguments,
           Streams streams,
           po::variables_map* values,
           const char* positional = "workspace",
           int max_positional = 1) {
  return ParseHistFactoryOptions(name,
                                 usage,
                                 description,
                                 std::move(options),
                                 arguments,
                                 streams,
                                 values,
                                 positional,
                                 max_positional);
}

// Values grouped by parameter set: {"mu": [v], "gamma": [v0, v1, ...]}.
ordered_json BySet(const hf::Model& model, const Eigen::VectorXd& values) {
  ordered_json grouped = ordered_json::object();
  for (const hf::ParameterSet& set : model.parameter_sets()) {
    ordered_json list = ordered_json::array();
    for (int i = 0; i < set.size; ++i) {
      const int index = set.offset + i;
      // null when unknown (e.g. no uncertainties after a failed fit).
      list.push_back(index < values.size() ? ordered_json(values(index))
                                           : ordered_json(nullptr));
    }
    grouped[set.name] = list;
  }
  return grouped;
}

ordered_json Array(const std::array<double, 5>& values) {
  return ordered_json(std::vector<double>(values.begin(), values.end()));
}

void AddHypotestOptions(po::options_description* options) {
  options->add_options()("test-stat",
                         po::value<std::string>()->default_value("qtilde"),
                         "qtilde or q; cls also q0 (discovery, mu = 0)")(
      "calctype",
      po::value<std::string>()->default_value("asymptotics"),
      "asymptotics or toybased")(
      "ntoys", po::value<int>()->default_value(2000), "toys per hypothesis")(
      "seed", po::value<std::uint64_t>()->default_value(0), "toy seed");
}

hf::HypotestOptions HypotestOptionsFrom(const po::variables_map& values) {
  hf::HypotestOptions options;
  const std::string statistic = values["test-stat"].as<std::string>();
  if (statistic != "qtilde" && statistic != "q" && statistic != "q0") {
    throw InvalidInput("--test-stat must be qtilde, q or q0, not \"" +
                       statistic + "\"");
  }
  options.test_statistic = hf::ParseTestStatistic(statistic);
  const std::string calctype = values["calctype"].as<std::string>();
  if (calctype == "asymptotics") {
    options.calculator = hf::Calculator::kAsymptotics;
  } else if (calctype == "toybased") {
    options.calculator = hf::Calculator::kToys;
  } else {
    throw InvalidInput("--calctype must be asymptotics or toybased, not \"" +
                       calctype + "\"");
  }
  options.num_toys = values["ntoys"].as<int>();
  if (options.num_toys < 1) throw InvalidInput("--ntoys must be >= 1");
  options.seed = values["seed"].as<std::uint64_t>();
  return options;
}

int Inspect(const std::vector<std::string>& arguments, Streams streams) {
  po::variables_map values;
  if (!Parse("inspect",
             "WS.json [--patchset PS.json --patch-name NAME] [--patch P.json] "
             "[--measurement NAME] [--output OUT.json]",
             "Summary of a workspace: channels (bins, samples), samples, "
             "modifiers, measurements\n(poi, configured parameters), "
             "systematics (as pyhf inspect: [parameter, constraint,\n"
             "[modifier types]]), parameters (pyhf order, with inits, bounds, "
             "fixed, constraint).",
             ModelWorkspaceOptions(),
             arguments,
             streams,
             &values)) {
    return kSuccess;
  }
  const LoadedModel loaded = LoadModel(values, false);
  const hf::WorkspaceInspection inspection =
      hf::InspectWorkspace(loaded.workspace, *loaded.model);
  ordered_json result;
  ordered_json channels = ordered_json::array();
  for (const auto& channel : inspection.channels) {
    ordered_json sample_names = ordered_json::array();
    for (const std::string& sample : channel.samples) {
      sample_names.push_back(sample);
    }
    channels.push_back({{"name", channel.name},
                        {"bins", channel.bins},
                        {"samples", sample_names}});
  }
  result["channels"] = channels;
  result["samples"] = inspection.samples;
  ordered_json modifier_list = ordered_json::array();
  for (const auto& [name, type] : inspection.modifiers) {
    modifier_list.push_back({{"name", name}, {"type", type}});
  }
  result["modifiers"] = modifier_list;
  ordered_json measurements = ordered_json::array();
  for (const auto& measurement : inspection.measurements) {
    ordered_json configured = ordered_json::array();
    for (const std::string& parameter : measurement.parameters) {
      configured.push_back(parameter);
    }
    measurements.push_back({{"name", measurement.name},
                            {"poi", measurement.poi},
                            {"parameters", configured}});
  }
  result["measurements"] = measurements;
  ordered_json systematics = ordered_json::array();
  for (const auto& systematic : inspection.systematics) {
    ordered_json types = ordered_json::array();
    for (const std::string& type : systematic.modifier_types) {
      types.push_back(type);
    }
    systematics.push_back({systematic.parameter, systematic.constraint, types});
  }
  result["systematics"] = systematics;
  result["poi"] =
      inspection.poi ? ordered_json(*inspection.poi) : ordered_json(nullptr);
  result["modifier_settings"] = {
      {"normsys", {{"interpcode", inspection.normsys_interpcode}}},
      {"histosys", {{"interpcode", inspection.histosys_interpcode}}}};
  result["num_parameters"] = inspection.num_parameters;
  result["num_main_bins"] = inspection.num_main_bins;
  result["num_auxdata"] = inspection.num_auxdata;
  ordered_json parameters = ordered_json::array();
  for (const auto& set : inspection.parameter_sets) {
    ordered_json entry;
    entry["name"] = set.name;
    entry["modifier_type"] = set.modifier_type;
    entry["constraint"] = set.constraint;
    entry["n"] = set.size;
    ordered_json inits = ordered_json::array();
    ordered_json bounds = ordered_json::array();
    ordered_json fixed = ordered_json::array();
    for (int i = 0; i < set.size; ++i) {
      const auto k = static_cast<std::size_t>(i);
      inits.push_back(set.inits[k]);
      bounds.push_back({set.bounds[k].first, set.bounds[k].second});
      fixed.push_back(static_cast<bool>(set.fixed[k]));
    }
    entry["inits"] = inits;
    entry["bounds"] = bounds;
    entry["fixed"] = fixed;
    parameters.push_back(entry);
  }
  result["parameters"] = parameters;
  result["parameter_names"] = inspection.parameter_names;
  WriteJsonResult(result, OutputPath(values), streams);
  return kSuccess;
}

// pyhf fit prints the objective's value only with --value; goldmine's fit
// always prints twice_nll (DESIGN.md §5.7), so --value is accepted for
// pyhf's command lines and changes nothing.
po::options_description FitOptions() {
  po::options_description options = ModelWorkspaceOptions();
  options.add_options()("value",
                        "accepted as in pyhf fit; twice_nll is always printed");
  return options;
}

// Statistical commands refuse a workspace without a meaningful likelihood
// (likelihood_checks.h): exit 2 with the JSON path.
void RefuseWithoutLikelihood(const LoadedModel& loaded,
                             const po::variables_map& values,
                             bool hypotest) {
  const std::string problem =
      hypotest ? hf::HypotestLikelihoodProblem(loaded.workspace, *loaded.model)
               : hf::FitLikelihoodProblem(loaded.workspace, *loaded.model);
  if (!problem.empty()) {
    throw InvalidInput(values["workspace"].as<std::string>() + ": " + problem);
  }
}

// Non-convergence and several minima are reported in the output
// ("converged", "several_minima") and by one line on stderr each
// (docs/histfactory.md "Convergence").
void ReportFitStatus(Streams streams,
                     const std::string& command,
                     const po::variables_map& values,
                     bool converged,
                     const std::string& message,
                     bool several_minima) {
  const std::string prefix = "goldmine histfactory " + command + ": ";
  const std::string path = values["workspace"].as<std::string>();
  if (!converged) {
    streams.err << prefix << "warning: " << path
                << ": not converged (\"converged\": false): " << message
                << "\n";
  }
  if (several_minima) {
    streams.err << prefix << "note: " << path
                << ": the likelihood has several local minima; the lowest "
                   "found is used (\"several_minima\": true)\n";
  }
}

// Results are numbers: a NaN or infinity would print as null. The checks
// before the fit (RefuseWithoutLikelihood) name the usual causes; what is
// left is a model whose likelihood cannot be evaluated to the precision the
// fits need (e.g. 10⁸ expected events with a 10⁻¹⁴-wide constraint), which
// is said with the file, as for any input that has no answer.
void RequireFinite(const std::vector<double>& numbers,
                   const std::string& what,
                   const po::variables_map& values) {
  for (double number : numbers) {
    if (!std::isfinite(number)) {
      std::ostringstream text;
      text << values["workspace"].as<std::string>() << ": " << what
           << " is not finite (" << number
           << "): the likelihood of this workspace cannot be evaluated "
              "precisely enough (check for huge or negative yields and "
              "extreme modifier data)";
      throw InvalidInput(text.str());
    }
  }
}

int Simplify(const std::vector<std::string>& arguments, Streams streams) {
  po::options_description options = ModelWorkspaceOptions();
  options.add_options()("prefit",
                        po::bool_switch(),
                        "b and V at the suggested parameters, V from the "
                        "constraint widths (default: the background-only fit "
                        "to the observations)");
  po::variables_map values;
  if (!Parse("simplify",
             "WS.json [--patchset PS.json --patch-name NAME] [--prefit] "
             "[--output SL.json]",
             "CMS-style simplified likelihood (CMS-NOTE-2017-001, v1): "
             "observed counts, background expectations b and their "
             "covariance V, signal yields s at mu = 1, per bin of every "
             "channel. cls and upper-limit accept the file "
             "(docs/simplified_likelihood.md).",
             options,
             arguments,
             streams,
             &values)) {
    return kSuccess;
  }
  const LoadedModel loaded = LoadModel(values);
  RefuseWithoutLikelihood(loaded, values, true);
  const hf::SimplifiedLikelihood likelihood =
      hf::Simplify(*loaded.model, values["prefit"].as<bool>());
  ReportFitStatus(streams,
                  "simplify",
                  values,
                  likelihood.fit_converged,
                  "the background-only fit (mu = 0) that gives b and V",
                  false);
  WriteText(hf::SimplifiedLikelihoodJson(likelihood) + "\n",
            OutputPath(values),
            streams);
  return kSuccess;
}

int FitCommand(const std::vector<std::string>& arguments, Streams streams) {
  po::variables_map values;
  if (!Parse("fit",
             "WS.json [--patchset PS.json --patch-name NAME] [--patch P.json] "
             "[--measurement NAME] [--output OUT.json]",
             "Global maximum-likelihood fit. Output keys: mle_parameters "
             "{NAME: [v, ...]}, twice_nll\n(-2 ln L with every constant, as "
             "pyhf), uncertainties {NAME: [sigma, ...]} (Hessian; omitted, "
             "with\nuncertainties_unavailable, when the Hessian is not "
             "positive definite),\nconverged, message, poi (null without "
             "POI), several_minima, other_minima\n[{twice_nll, "
             "mle_parameters}] (higher local minima found, lowest first).",
             FitOptions(),
             arguments,
             streams,
             &values)) {
    return kSuccess;
  }
  const LoadedModel loaded = LoadModel(values);
  RefuseWithoutLikelihood(loaded, values, false);
  const hf::Model& model = *loaded.model;
  const hf::FitResult fit = hf::Fit(model, model.observed_data());
  RequireFinite({fit.twice_nll}, "twice_nll of the fit", values);
  RequireFinite(
      {fit.parameters.data(), fit.parameters.data() + fit.parameters.size()},
      "a fitted parameter",
      values);
  ordered_json result;
  result["mle_parameters"] = BySet(model, fit.parameters);
  result["twice_nll"] = fit.twice_nll;
  if (fit.uncertainties.allFinite()) {
    result["uncertainties"] = BySet(model, fit.uncertainties);
  } else {
    result["uncertainties_unavailable"] =
        "the Hessian at the minimum is not positive definite";
    streams.err << "goldmine histfactory fit: warning: "
                << values["workspace"].as<std::string>()
                << ": no uncertainties, the Hessian at the minimum is not "
                   "positive definite\n";
  }
  result["converged"] = fit.converged;
  result["message"] = fit.message;
  result["several_minima"] = !fit.other_minima.empty();
  if (!fit.other_minima.empty()) {
    ordered_json minima = ordered_json::array();
    for (const hf::LocalMinimum& minimum : fit.other_minima) {
      minima.push_back({{"twice_nll", minimum.twice_nll},
                        {"mle_parameters", BySet(model, minimum.parameters)}});
    }
    result["other_minima"] = minima;
  }
  ReportFitStatus(streams,
                  "fit",
                  values,
                  fit.converged,
                  fit.message,
                  !fit.other_minima.empty());
  result["poi"] =
      model.has_poi() ? ordered_json(model.poi_name()) : ordered_json(nullptr);
  WriteJsonResult(result, OutputPath(values), streams);
  return kSuccess;
}

int Cls(const std::vector<std::string>& arguments, Streams streams) {
  po::options_description options = ModelWorkspaceOptions();
  options.add_options()(
      "poi-value", po::value<double>()->default_value(1.0), "POI value tested");
  AddHypotestOptions(&options);
  po::variables_map values;
  if (!Parse("cls",
             "WS.json [...] [--poi-value 1.0] [--test-stat qtilde|q|q0] "
             "[--calctype asymptotics|toybased] [--ntoys N --seed S]",
             "CLs of the POI value. Output keys: CLs_obs, CLs_exp (-2, -1, 0, "
             "+1, +2 sigma),\nCLsb_obs, CLb_obs, test_stat, poi_value, "
             "teststat_obs, teststat_asimov, poi_hat, converged, "
             "several_minima.\nWith "
             "--test-stat q0 (discovery test of mu = 0), CLs_obs and CLs_exp "
             "hold p0 and its\nexpected band, as pyhf's hypotest returns "
             "them.",
             options,
             arguments,
             streams,
             &values)) {
    return kSuccess;
  }
  const hf::HypotestOptions hypotest_options = HypotestOptionsFrom(values);
  const LoadedModel loaded = LoadModel(values);
  RefuseWithoutLikelihood(loaded, values, true);
  const hf::Model& model = *loaded.model;
  const double mu = values["poi-value"].as<double>();
  const hf::HypotestResult test =
      hf::Hypotest(model, model.observed_data(), mu, hypotest_options);
  RequireFinite({test.cls_obs,
                 test.clsb_obs,
                 test.clb_obs,
                 test.test_statistic_obs,
                 test.test_statistic_asimov,
                 test.poi_hat},
                "a CLs result",
                values);
  RequireFinite({test.cls_expected.begin(), test.cls_expected.end()},
                "an expected CLs",
                values);
  ordered_json result;
  result["CLs_obs"] = test.cls_obs;
  result["CLs_exp"] = Array(test.cls_expected);
  result["CLsb_obs"] = test.clsb_obs;
  result["CLb_obs"] = test.clb_obs;
  result["test_stat"] = values["test-stat"].as<std::string>();
  result["calctype"] = values["calctype"].as<std::string>();
  // q0 tests μ = 0 whatever --poi-value says (pyhf's discovery test).
  result["poi_value"] =
      hypotest_options.test_statistic == hf::TestStatistic::kQ0 ? 0.0 : mu;
  result["teststat_obs"] = test.test_statistic_obs;
  if (hypotest_options.calculator == hf::Calculator::kAsymptotics) {
    result["teststat_asimov"] = test.test_statistic_asimov;
  } else {
    result["ntoys"] = test.num_toys;
    result["seed"] = hypotest_options.seed;
  }
  result["poi_hat"] = test.poi_hat;
  result["converged"] = test.converged;
  result["several_minima"] = test.several_minima;
  if (!test.message.empty()) result["message"] = test.message;
  ReportFitStatus(streams,
                  "cls",
                  values,
                  test.converged,
                  test.message,
                  test.several_minima);
  WriteJsonResult(result, OutputPath(values), streams);
  return kSuccess;
}

std::vector<double> ParseScan(const std::string& text) {
  const std::string usage =
      "--scan: expected LO:HI:N with LO < HI and N >= 2, got \"" + text + "\"";
  std::vector<std::string> parts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, ':');)
    parts.push_back(part);
  if (parts.size() != 3) throw InvalidInput(usage);
  double lo = 0;
  double hi = 0;
  long n = 0;
  try {
    std::size_t used = 0;
    lo = std::stod(parts[0], &used);
    if (used != parts[0].size()) throw InvalidInput(usage);
    hi = std::stod(parts[1], &used);
    if (used != parts[1].size()) throw InvalidInput(usage);
    n = std::stol(parts[2], &used);
    if (used != parts[2].size()) throw InvalidInput(usage);
  } catch (const std::logic_error&) {
    throw InvalidInput(usage);
  }
  if (!(lo < hi) || n < 2 || n > 100000) throw InvalidInput(usage);
  std::vector<double> scan;
  for (long i = 0; i < n; ++i) {
    scan.push_back(lo + (hi - lo) * static_cast<double>(i) / (n - 1));
  }
  return scan;
}

int UpperLimitCommand(const std::vector<std::string>& arguments,
                      Streams streams) {
  po::options_description options = ModelWorkspaceOptions();
  options.add_options()("level",
                        po::value<double>()->default_value(0.05),
                        "CLs level (0.05: 95% CL)")(
      "scan",
      po::value<std::string>(),
      "LO:HI:N grid scan with linear interpolation (default: root finding)");
  AddHypotestOptions(&options);
  po::variables_map values;
  if (!Parse("upper-limit",
             "WS.json [...] [--level 0.05] [--scan LO:HI:N] "
             "[--test-stat qtilde|q]",
             "CLs upper limit on the POI. Output keys: obs, exp (-2, -1, 0, "
             "+1, +2 sigma),\npoi_bounds_widened (the POI's upper bound was "
             "raised to bracket a limit),\npoi_bounds_used, n_hypotests, "
             "level, converged (false: a fit did not converge or no limit\n"
             "was bracketed; a warning goes to stderr), several_minima.",
             options,
             arguments,
             streams,
             &values)) {
    return kSuccess;
  }
  hf::UpperLimitOptions limit_options;
  limit_options.hypotest = HypotestOptionsFrom(values);
  limit_options.level = values["level"].as<double>();
  if (!(limit_options.level > 0 && limit_options.level < 1)) {
    throw InvalidInput("--level must lie in (0, 1)");
  }
  if (values.count("scan") != 0) {
    limit_options.scan = ParseScan(values["scan"].as<std::string>());
  }
  const LoadedModel loaded = LoadModel(values);
  RefuseWithoutLikelihood(loaded, values, true);
  const hf::Model& model = *loaded.model;
  const hf::UpperLimitResult limit =
      hf::UpperLimit(model, model.observed_data(), limit_options);
  RequireFinite({limit.observed}, "the observed limit", values);
  RequireFinite({limit.expected.begin(), limit.expected.end()},
                "an expected limit",
                values);
  ordered_json result;
  result["obs"] = limit.observed;
  result["exp"] = Array(limit.expected);
  result["poi_bounds_widened"] = limit.poi_bounds_widened;
  result["poi_bounds_used"] = {limit.poi_bounds_used.first,
                               limit.poi_bounds_used.second};
  result["n_hypotests"] = limit.num_hypotests;
  result["level"] = limit_options.level;
  result["poi"] = model.poi_name();
  result["converged"] = limit.converged;
  result["several_minima"] = limit.several_minima;
  if (!limit.message.empty()) result["message"] = limit.message;
  ReportFitStatus(streams,
                  "upper-limit",
                  values,
                  limit.converged,
                  limit.message,
                  limit.several_minima);
  WriteJsonResult(result, OutputPath(values), streams);
  return kSuccess;
}

int PatchCommand(const std::vector<std::string>& arguments, Streams streams) {
  po::variables_map values;
  if (!Parse("patch",
             "WS.json (--patchset PS.json --patch-name NAME | --patch P.json "
             "...) [--output OUT.json]",
             "Writes the patched workspace (keys sorted, 4-space indent, as "
             "pyhf writes it).",
             WorkspaceOptions(),
             arguments,
             streams,
             &values)) {
    return kSuccess;
  }
  const std::string text = PatchedWorkspace(values);
  hf::ValidatePyhfWorkspace(text, values["workspace"].as<std::string>());
  WriteText(hf::CanonicalJson(text), OutputPath(values), streams);
  return kSuccess;
}

int Combine(const std::vector<std::string>& arguments, Streams streams) {
  po::options_description options("Options");
  options.add_options()("workspace",
                        po::value<std::vector<std::string>>()->required(),
                        "workspaces to combine (positional, >= 2)")(
      "join",
      po::value<std::string>()->default_value("none"),
      "none, outer, left outer or right outer")(
      "merge-channels", "merge samples of same-name channels (outer joins)")(
      "output", po::value<std::string>(), "write the result here");
  po::variables_map values;
  if (!Parse("combine",
             "WS1.json WS2.json [...] [--join none|outer|'left outer'|'right "
             "outer'] [--merge-channels] [--output OUT.json]",
             "Combines workspaces left to right with pyhf's join semantics.",
             options,
             arguments,
             streams,
             &values,
             "workspace",
             -1)) {
    return kSuccess;
  }
  const auto paths = values["workspace"].as<std::vector<std::string>>();
  if (paths.size() < 2) throw InvalidInput("combine needs >= 2 workspaces");
  std::string text = ReadText(paths[0], "workspace");
  hf::ValidatePyhfWorkspace(text, paths[0]);
  for (std::size_t i = 1; i < paths.size(); ++i) {
    const std::string right = ReadText(paths[i], "workspace");
    hf::ValidatePyhfWorkspace(right, paths[i]);
    try {
      text = hf::CombineWorkspaces(text,
                                   right,
                                   values["join"].as<std::string>(),
                                   values.count("merge-channels") != 0);
    } catch (const InvalidInput& error) {
      // The conflict is between the workspaces combined so far and this one.
      std::string left = paths[0];
      for (std::size_t j = 1; j < i; ++j) left += " + " + paths[j];
      throw InvalidInput(left + " and " + paths[i] + ": " + error.what());
    }
  }
  WriteText(text, OutputPath(values), streams);
  return kSuccess;
}

std::vector<std::string> Strings(const po::variables_map& values,
                                 const char* key) {
  if (values.count(key) == 0) return {};
  return values[key].as<std::vector<std::string>>();
}

int Prune(const std::vector<std::string>& arguments, Streams streams) {
  po::options_description options("Options");
  options.add_options()(
      "workspace", po::value<std::string>()->required(), "workspace")(
      "modifier", po::value<std::vector<std::string>>(), "modifier name")(
      "modifier-type", po::value<std::vector<std::string>>(), "modifier type")(
      "sample", po::value<std::vector<std::string>>(), "sample name")(
      "channel", po::value<std::vector<std::string>>(), "channel name")(
      "measurement", po::value<std::vector<std::string>>(), "measurement")(
      "output", po::value<std::string>(), "write the result here");
  po::variables_map values;
  if (!Parse("prune",
             "WS.json [--modifier M] [--modifier-type T] [--sample S] "
             "[--channel C] [--measurement M] (each repeatable)",
             "Removes items from a workspace (pyhf's Workspace.prune).",
             options,
             arguments,
             streams,
             &values)) {
    return kSuccess;
  }
  hf::PruneSpec prune;
  prune.modifiers = Strings(values, "modifier");
  prune.modifier_types = Strings(values, "modifier-type");
  prune.samples = Strings(values, "sample");
  prune.channels = Strings(values, "channel");
  prune.measurements = Strings(values, "measurement");
  const std::string path = values["workspace"].as<std::string>();
  const std::string text = ReadText(path, "workspace");
  hf::ValidatePyhfWorkspace(text, path);
  WriteText(hf::PruneWorkspace(text, prune), OutputPath(values), streams);
  return kSuccess;
}

std::vector<std::pair<std::string, std::string>> Pairs(
    const po::variables_map& values, const char* key) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string& text : Strings(values, key)) {
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0 ||
        equals + 1 == text.size()) {
      throw InvalidInput(std::string("--") + key +
                         ": expected OLD=NEW, got \"" + text + "\"");
    }
    pairs.emplace_back(text.substr(0, equals), text.substr(equals + 1));
  }
  return pairs;
}

int Rename(const std::vector<std::string>& arguments, Streams streams) {
  po::options_description options("Options");
  options.add_options()(
      "workspace", po::value<std::string>()->required(), "workspace")(
      "modifier", po::value<std::vector<std::string>>(), "OLD=NEW")(
      "sample", po::value<std::vector<std::string>>(), "OLD=NEW")(
      "channel", po::value<std::vector<std::string>>(), "OLD=NEW")(
      "measurement", po::value<std::vector<std::string>>(), "OLD=NEW")(
      "output", po::value<std::string>(), "write the result here");
  po::variables_map values;
  if (!Parse("rename",
             "WS.json [--modifier OLD=NEW] [--sample OLD=NEW] [--channel "
             "OLD=NEW] [--measurement OLD=NEW]",
             "Renames items of a workspace (pyhf's Workspace.rename); "
             "renamed modifiers are\nrenamed in parameter configurations and "
             "the POI too.",
             options,
             arguments,
             streams,
             &values)) {
    return kSuccess;
  }
  hf::RenameSpec rename;
  rename.modifiers = Pairs(values, "modifier");
  rename.samples = Pairs(values, "sample");
  rename.channels = Pairs(values, "channel");
  rename.measurements = Pairs(values, "measurement");
  const std::string path = values["workspace"].as<std::string>();
  const std::string text = ReadText(path, "workspace");
  hf::ValidatePyhfWorkspace(text, path);
  WriteText(hf::RenameWorkspace(text, rename), OutputPath(values), streams);
  return kSuccess;
}

using Subcommand = int (*)(const std::vector<std::string>&, Streams);

const std::vector<std::pair<std::string, std::pair<Subcommand, const char*>>>&
Subcommands() {
  static const std::vector<
      std::pair<std::string, std::pair<Subcommand, const char*>>>
      subcommands = {
          {"inspect", {Inspect, "channels, samples, modifiers, parameters"}},
          {"fit", {FitCommand, "maximum-likelihood fit"}},
          {"cls", {Cls, "CLs of one POI value (asymptotics or toys)"}},
          {"upper-limit", {UpperLimitCommand, "CLs upper limit on the POI"}},
          {"simplify",
           {Simplify, "simplified likelihood: b, covariance, s, observed"}},
          {"patch", {PatchCommand, "apply a JSON Patch or PatchSet patch"}},
          {"combine", {Combine, "combine workspaces (pyhf join semantics)"}},
          {"prune", {Prune, "remove modifiers, samples, channels, ..."}},
          {"rename", {Rename, "rename modifiers, samples, channels, ..."}},
          {"digest", {HistFactoryDigest, "workspace digest (sha256, md5)"}},
          {"sort", {HistFactorySort, "sort a workspace as pyhf sort does"}},
          {"patchset",
           {HistFactoryPatchSet, "PatchSet inspect, extract, verify, apply"}},
      };
  return subcommands;
}

void PrintUsage(std::ostream& stream) {
  stream << "Usage: goldmine histfactory SUBCOMMAND [OPTIONS]\n"
            "       goldmine histfactory SUBCOMMAND --help\n\n"
            "pyhf-compatible HistFactory inference on JSON workspaces.\n\n"
            "Subcommands:\n";
  for (const auto& [name, entry] : Subcommands()) {
    stream << "  " << name << std::string(14 - name.size(), ' ') << entry.second
           << "\n";
  }
}

}  // namespace

Command HistFactoryCommand() {
  Command command;
  command.name = "histfactory";
  command.summary =
      "pyhf-compatible HistFactory: inspect, fit, cls, upper-limit, patch, "
      "combine";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    if (arguments.empty()) {
      PrintUsage(streams.err);
      return static_cast<int>(kBadInput);
    }
    if (arguments[0] == "--help" || arguments[0] == "-h") {
      PrintUsage(streams.out);
      return static_cast<int>(kSuccess);
    }
    for (const auto& [name, entry] : Subcommands()) {
      if (name == arguments[0]) {
        return entry.first({arguments.begin() + 1, arguments.end()}, streams);
      }
    }
    std::string names;
    for (const auto& [name, entry] : Subcommands()) {
      names += (names.empty() ? "" : ", ") + name;
    }
    throw InvalidInput("unknown subcommand \"" + arguments[0] +
                       "\"; expected one of " + names);
  };
  return command;
}

}  // namespace goldmine::cli
