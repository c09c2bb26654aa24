// goldmine generate {wh,tth,toy} --events N --seed S --output FILE.hepmc3
//   [--benchmarks B.yaml] [--operators cHW,cHq3,...] [--energy 13000]
//   [--pdf PATH]                                         (DESIGN.md §5.2)
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/output_guard.h"
#include "goldmine/generators/benchmarks.h"
#include "goldmine/generators/pdf_choice.h"
#include "goldmine/generators/toy_event_file.h"
#include "goldmine/generators/toy_model.h"
#include "goldmine/generators/tth_event_file.h"
#include "goldmine/generators/tth_generator.h"
#include "goldmine/generators/wh_event_file.h"
#include "goldmine/generators/wh_generator.h"

namespace goldmine::cli {
namespace po = boost::program_options;

namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first == std::string::npos)
      throw InvalidInput("--operators: empty entry in \"" + text + "\"");
    items.push_back(item.substr(first, last - first + 1));
  }
  if (items.empty()) throw InvalidInput("--operators: no operator given");
  return items;
}

// "LO:HI" → range.
ParameterRange ParseRange(const std::string& text) {
  const auto colon = text.find(':');
  try {
    if (colon != std::string::npos) {
      std::size_t used_lo = 0;
      std::size_t used_hi = 0;
      const double lo = std::stod(text.substr(0, colon), &used_lo);
      const double hi = std::stod(text.substr(colon + 1), &used_hi);
      if (used_lo == colon && used_hi == text.size() - colon - 1 && lo < hi)
        return {lo, hi};
    }
  } catch (const std::exception&) {
  }
  throw InvalidInput("--parameter-range: expected LO:HI with LO < HI, got \"" +
                     text + "\"");
}

// The JSON summary on stdout (both processes).
void WriteSummary(const std::string& process,
                  const std::string& output,
                  std::uint64_t seed,
                  const std::vector<std::string>& parameter_names,
                  const std::vector<generators::NamedBenchmark>& benchmarks,
                  const generators::EventFileResult& result,
                  Streams streams) {
  nlohmann::ordered_json summary;
  summary["process"] = process;
  summary["output"] = output;
  summary["n_events"] = result.num_events;
  summary["seed"] = seed;
  summary["parameters"] = parameter_names;
  nlohmann::ordered_json benchmark_json = nlohmann::ordered_json::object();
  for (const generators::NamedBenchmark& benchmark : benchmarks) {
    nlohmann::ordered_json point = nlohmann::ordered_json::object();
    for (std::size_t p = 0; p < parameter_names.size(); ++p)
      point[parameter_names[p]] = benchmark.values[p];
    benchmark_json[benchmark.name] = std::move(point);
  }
  summary["benchmarks"] = std::move(benchmark_json);
  summary["weight_names"] = result.weight_names;
  nlohmann::ordered_json sums = nlohmann::ordered_json::object();
  nlohmann::ordered_json errors = nlohmann::ordered_json::object();
  for (std::size_t w = 0; w < result.weight_names.size(); ++w) {
    sums[result.weight_names[w]] = result.cross_sections[w];
    errors[result.weight_names[w]] = result.cross_section_errors[w];
  }
  summary["cross_sections"] = std::move(sums);
  summary["cross_section_uncertainties"] = std::move(errors);
  summary["seconds"] = result.seconds;
  WriteJsonResult(summary, std::nullopt, streams);
}

// --pdf PATH, if given.
std::optional<std::string> PdfPath(const po::variables_map& values) {
  if (values.count("pdf") == 0) return std::nullopt;
  return values["pdf"].as<std::string>();
}

std::vector<generators::NamedBenchmark> Benchmarks(
    const po::variables_map& values,
    const std::vector<std::string>& parameter_names,
    std::uint64_t seed) {
  if (values.count("benchmarks") != 0)
    return generators::ReadBenchmarkFile(values["benchmarks"].as<std::string>(),
                                         parameter_names);
  const ParameterRange range =
      ParseRange(values["parameter-range"].as<std::string>());
  return generators::OptimisedMorphingBenchmarks(
      parameter_names, ParameterRanges(parameter_names.size(), range), seed);
}

void ReportResult(const generators::EventFileResult& result,
                  bool terminal,
                  Streams streams) {
  if (terminal) streams.err << "\n";
  streams.err << "goldmine generate: wrote " << result.num_events
              << " events in " << result.seconds << " s ("
              << static_cast<double>(result.num_events) / result.seconds
              << " events/s); sigma(" << result.weight_names.front()
              << ") = " << result.cross_sections.front() << " +- "
              << result.cross_section_errors.front() << " pb\n";
}

// Writes the events file with progress on a terminal, then the report on
// stderr and the JSON summary on stdout. `write(progress)` writes the file.
template <typename Write>
int WriteEventFile(const std::string& process,
                   const std::string& description,
                   const std::vector<std::string>& parameter_names,
                   const std::vector<generators::NamedBenchmark>& benchmarks,
                   const po::variables_map& values,
                   Streams streams,
                   Write write) {
  const std::int64_t num_events = values["events"].as<std::int64_t>();
  const auto seed = values["seed"].as<std::uint64_t>();
  const std::string output = values["output"].as<std::string>();
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  streams.err << "goldmine generate: " << description << "\n";
  streams.err << "goldmine generate: " << benchmarks.size() << " benchmarks, "
              << num_events << " events -> " << output << "\n";
  const generators::EventFileResult result = write([&](std::int64_t done) {
    if (terminal)
      streams.err << "\rgoldmine generate: " << done << "/" << num_events
                  << " events" << std::flush;
  });
  ReportResult(result, terminal, streams);
  WriteSummary(
      process, output, seed, parameter_names, benchmarks, result, streams);
  return kSuccess;
}

int RunWh(const po::variables_map& values, Streams streams) {
  const std::int64_t num_events = values["events"].as<std::int64_t>();
  if (num_events < 1)
    throw InvalidInput("--events must be >= 1, got " +
                       std::to_string(num_events));
  const auto seed = values["seed"].as<std::uint64_t>();
  const std::string output = values["output"].as<std::string>();

  generators::WhGeneratorSettings settings;
  settings.energy = values["energy"].as<double>();
  if (values.count("operators") != 0) {
    settings.operators.clear();
    for (const std::string& name :
         SplitList(values["operators"].as<std::string>()))
      settings.operators.push_back(generators::ParseOperator(name));
  }
  settings.scale =
      generators::ParseScaleChoice(values["scale"].as<std::string>());
  if (values.count("scale-value") != 0) {
    settings.scale = generators::ScaleChoice::kFixed;
    settings.fixed_scale = values["scale-value"].as<double>();
    if (!(settings.fixed_scale > 0.0))
      throw InvalidInput("--scale-value must be > 0 GeV");
  }
  const std::string charge = values["charge"].as<std::string>();
  if (charge != "both" && charge != "plus" && charge != "minus")
    throw InvalidInput("--charge: expected both, plus or minus, got \"" +
                       charge + "\"");
  settings.w_plus = charge != "minus";
  settings.w_minus = charge != "plus";
  const std::string leptons = values["leptons"].as<std::string>();
  if (leptons != "both" && leptons != "e" && leptons != "mu")
    throw InvalidInput("--leptons: expected both, e or mu, got \"" + leptons +
                       "\"");
  settings.electrons = leptons != "mu";
  settings.muons = leptons != "e";
  settings.parameters.hbb_eft = values["hbb-eft"].as<int>();
  settings.Validate();

  const generators::WhGenerator generator(
      settings, generators::MakePartonDensity(PdfPath(values)));

  std::vector<std::string> parameter_names;
  for (generators::WhOperator op : settings.operators)
    parameter_names.push_back(generators::OperatorName(op));
  const std::vector<generators::NamedBenchmark> benchmarks =
      Benchmarks(values, parameter_names, seed);

  return WriteEventFile(
      "wh",
      generator.Description(),
      parameter_names,
      benchmarks,
      values,
      streams,
      [&](const std::function<void(std::int64_t)>& progress) {
        return generators::WriteWhEventFile(
            output, generator, benchmarks, num_events, seed, progress);
      });
}

// p p → t t̄ H in the κ_t mode (tth_generator.h): operators cuH (default),
// cHbox, cHDD; μR = μF fixed at m_t + m_H/2 unless --scale ht2 or
// --scale-value is given.
int RunTth(const po::variables_map& values, Streams streams) {
  const std::int64_t num_events = values["events"].as<std::int64_t>();
  if (num_events < 1)
    throw InvalidInput("--events must be >= 1, got " +
                       std::to_string(num_events));
  for (const char* option : {"charge", "leptons", "hbb-eft"})
    if (!values[option].defaulted())
      throw InvalidInput(std::string("--") + option +
                         " does not apply to the tth process");
  const auto seed = values["seed"].as<std::uint64_t>();
  const std::string output = values["output"].as<std::string>();

  generators::TthGeneratorSettings settings;
  settings.energy = values["energy"].as<double>();
  if (values.count("operators") != 0) {
    settings.operators.clear();
    for (const std::string& name :
         SplitList(values["operators"].as<std::string>()))
      settings.operators.push_back(generators::ParseTthOperator(name));
  }
  if (!values["scale"].defaulted())
    settings.scale =
        generators::ParseTthScale(values["scale"].as<std::string>());
  if (values.count("scale-value") != 0) {
    settings.scale = generators::TthScale::kFixed;
    settings.fixed_scale = values["scale-value"].as<double>();
    if (!(settings.fixed_scale > 0.0))
      throw InvalidInput("--scale-value must be > 0 GeV");
  }
  settings.top_decays =
      generators::ParseTopDecays(values["top-decays"].as<std::string>());
  settings.higgs_decay =
      generators::ParseHiggsDecay(values["higgs-decay"].as<std::string>());

  const std::shared_ptr<const generators::PartonDensity> pdf =
      generators::MakePartonDensity(PdfPath(values));
  // α_s(M_Z) of the set when its metadata has it; else NNPDF2.3 LO's.
  if (const auto alpha_s = generators::AlphaSFromPdfSet(*pdf))
    settings.parameters.alpha_s_mz = *alpha_s;
  settings.Validate();
  const generators::TthGenerator generator(settings, pdf);

  std::vector<std::string> parameter_names;
  for (generators::TthOperator op : settings.operators)
    parameter_names.push_back(generators::TthOperatorName(op));
  const std::vector<generators::NamedBenchmark> benchmarks =
      Benchmarks(values, parameter_names, seed);

  return WriteEventFile(
      "tth",
      generator.Description(),
      parameter_names,
      benchmarks,
      values,
      streams,
      [&](const std::function<void(std::int64_t)>& progress) {
        return generators::WriteTthEventFile(
            output, generator, benchmarks, num_events, seed, progress);
      });
}

// The analytic toy (toy_model.h): parameters c1, c2 (--operators c1 or c2
// for one parameter).
int RunToy(const po::variables_map& values, Streams streams) {
  const std::int64_t num_events = values["events"].as<std::int64_t>();
  if (num_events < 1)
    throw InvalidInput("--events must be >= 1, got " +
                       std::to_string(num_events));
  for (const char* option : {"pdf", "scale-value"})
    if (values.count(option) != 0)
      throw InvalidInput(std::string("--") + option +
                         " does not apply to the toy process");
  const auto seed = values["seed"].as<std::uint64_t>();
  const std::string output = values["output"].as<std::string>();
  const std::vector<std::string> parameter_names =
      values.count("operators") != 0
          ? SplitList(values["operators"].as<std::string>())
          : generators::ToyModel::AllParameters();
  const generators::ToyModel model(parameter_names);
  const std::vector<generators::NamedBenchmark> benchmarks =
      Benchmarks(values, parameter_names, seed);

  return WriteEventFile(
      "toy",
      model.Description(),
      parameter_names,
      benchmarks,
      values,
      streams,
      [&](const std::function<void(std::int64_t)>& progress) {
        return generators::WriteToyEventFile(
            output, model, benchmarks, num_events, seed, progress);
      });
}

}  // namespace

Command GenerateCommand() {
  Command command;
  command.name = "generate";
  command.summary =
      "built-in event generators writing HepMC3 (wh: LO SMEFT p p -> W(l "
      "nu) H(b bbar); tth: LO p p -> t tbar H with kappa_t(cuH, cHbox, "
      "cHDD); toy: analytic toy with exact likelihood)";
  command.run = [](const std::vector<std::string>& arguments,
                   Streams streams) -> int {
    po::options_description options("Options");
    options.add_options()(
        "process", po::value<std::string>()->required(), "wh, tth or toy")(
        "events", po::value<std::int64_t>()->required(), "number of events N")(
        "seed", po::value<std::uint64_t>()->required(), "random seed S")(
        "output",
        po::value<std::string>()->required(),
        "HepMC3 ASCII file to write (atomically)")(
        "benchmarks",
        po::value<std::string>(),
        "YAML: benchmarks: {NAME: {PARAMETER: value}}; missing parameters "
        "are 0 (default: an optimised morphing basis)")(
        "operators",
        po::value<std::string>(),
        "comma-separated operators among cHbox, cHDD, cHW, cHq3, cHWtil "
        "(default cHbox,cHDD,cHW,cHq3); tth: cuH, cHbox, cHDD (default "
        "cuH); toy: c1, c2 (default c1,c2)")(
        "energy",
        po::value<double>()->default_value(13000.0),
        "collider energy sqrt(s) in GeV")(
        "pdf",
        po::value<std::string>(),
        "LHAPDF6 grid member file (.dat); default: the built-in NNPDF2.3 LO "
        "fit")(
        "scale",
        po::value<std::string>()->default_value("ht2"),
        "factorisation scale: ht2 ((mT(W)+mT(H))/2), fixed (m_W+m_H) "
        "or shat; tth (muR = muF): fixed (m_t+m_H/2, the tth default) or "
        "ht2 ((mT(t)+mT(tbar)+mT(H))/2)")(
        "scale-value",
        po::value<double>(),
        "fixed factorisation scale in GeV (implies "
        "--scale fixed)")("charge",
                          po::value<std::string>()->default_value("both"),
                          "W charges: both, plus or minus")(
        "leptons",
        po::value<std::string>()->default_value("both"),
        "lepton flavours: both (e and mu), e or mu")(
        "hbb-eft",
        po::value<int>()->default_value(0),
        "1: delta_kin also in H -> b bbar (the arXiv:1908.06980 setup)")(
        "top-decays",
        po::value<std::string>()->default_value("semileptonic"),
        "tth: W decays of the tops: semileptonic, dileptonic or hadronic")(
        "higgs-decay",
        po::value<std::string>()->default_value("bb"),
        "tth: H decay: bb or aa")(
        "parameter-range",
        po::value<std::string>()->default_value("-1:1"),
        "LO:HI range of every parameter for the optimised morphing basis");
    po::positional_options_description positional;
    positional.add("process", 1);
    po::variables_map values;
    const std::string description =
        "Weighted LO events, weights in pb summing to the cross section, one "
        "named weight\n"
        "per benchmark plus factorisation-scale variations (MUF0.5, MUF2) of "
        "the first\n"
        "benchmark. The run info lists the benchmarks' parameter values; each "
        "event stores\n"
        "its exact EFT polynomial (attribute goldmine_eft_polynomial). The "
        "same seed gives\n"
        "the same file. A JSON summary (cross sections per weight) goes to "
        "stdout.\n"
        "tth: LO g g, q qbar -> t tbar H (helicity amplitudes), "
        "kappa_t = 1 - 0.0611 cuH\n"
        "+ 0.0606 (cHbox - cHDD/4) exact (docs/tth.md); weights "
        "MUR0.5_MUF0.5, MUR2_MUF2;\n"
        "options --top-decays, --higgs-decay; muR = muF = m_t + m_H/2 "
        "unless --scale ht2.\n"
        "toy: MadMiner's analytic toy (parameters c1, c2; exact p(x|theta), "
        "r and t in\n"
        "goldmine/generators/toy_model.h); the observables are carried by "
        "two jets\n"
        "(pt = j[0].pt, dphi = j[0].deltaphi(j[1]), eta = j[0].eta, ptcos = "
        "j[0].px) and\n"
        "the latent z by the attribute goldmine_latent.";
    if (!ParseCommandLine("generate",
                          "{wh,tth,toy} --events N --seed S --output "
                          "FILE.hepmc3 [--benchmarks B.yaml] [--operators "
                          "cHW,cHq3,...] [--energy 13000] [--pdf PATH]",
                          description,
                          options,
                          arguments,
                          streams,
                          &values,
                          &positional)) {
      return kSuccess;
    }
    std::vector<std::string> inputs;
    for (const char* option : {"benchmarks", "pdf"}) {
      if (values.count(option) != 0)
        inputs.push_back(values[option].as<std::string>());
    }
    RequireOutputIsNotAnInput(values["output"].as<std::string>(), inputs);
    const std::string process = values["process"].as<std::string>();
    if (process == "wh") return RunWh(values, streams);
    if (process == "toy") return RunToy(values, streams);
    if (process == "tth") return RunTth(values, streams);
    throw InvalidInput("unknown process \"" + process +
                       "\"; available: wh, tth, toy");
  };
  return command;
}

}  // namespace goldmine::cli
