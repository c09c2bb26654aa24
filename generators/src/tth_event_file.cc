#include "goldmine/generators/tth_event_file.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "ascii_event_writer.h"
#include "event_file_common.h"
#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"

namespace goldmine::generators {
namespace {

std::string Short(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

}  // namespace

std::vector<std::string> TthScaleVariationNames(
    const TthGeneratorSettings& settings) {
  std::vector<std::string> names;
  for (double k : settings.scale_variations)
    names.push_back("MUR" + Short(k) + "_MUF" + Short(k));
  return names;
}

EventFileResult WriteTthEventFile(
    const std::string& path,
    const TthGenerator& generator,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress) {
  const TthGeneratorSettings& settings = generator.settings();
  ValidateBenchmarks(benchmarks, settings.operators.size());
  GOLDMINE_REQUIRE(
      num_events >= 1,
      "the number of events must be >= 1, got " + std::to_string(num_events));
  const auto start = std::chrono::steady_clock::now();

  std::vector<std::string> names;
  for (const NamedBenchmark& benchmark : benchmarks)
    names.push_back(benchmark.name);
  const std::vector<std::string> variation_names =
      TthScaleVariationNames(settings);
  for (const std::string& name : variation_names) {
    for (const std::string& existing : names)
      GOLDMINE_REQUIRE(existing != name,
                       "benchmark name \"" + name +
                           "\" is reserved for a scale variation weight");
    names.push_back(name);
  }

  std::vector<std::string> parameter_names;
  for (TthOperator op : settings.operators)
    parameter_names.push_back(TthOperatorName(op));
  const std::vector<Eigen::VectorXd> thetas = BenchmarkThetas(benchmarks);
  std::map<std::string, std::string> run = CommonRunAttributes(
      generator.Description(), parameter_names, benchmarks, seed, num_events);
  std::string scale = TthScaleName(settings.scale);
  if (settings.scale == TthScale::kFixed)
    scale += ":" + Exact(settings.FixedScale());
  run["goldmine_factorisation_scale"] = scale;
  run["goldmine_renormalisation_scale"] = scale;
  run["goldmine_alpha_s"] =
      "one-loop nf=5 alpha_s(M_Z)=" + Exact(settings.parameters.alpha_s_mz);
  std::string kappa = "kappa_t = 1";
  const std::vector<double>& k =
      generator.matrix_element().kappa_coefficients();
  for (std::size_t i = 0; i < k.size(); ++i)
    kappa += (k[i] < 0.0 ? " - " : " + ") + Exact(std::abs(k[i])) + " " +
             parameter_names[i];
  run["goldmine_kappa_t"] = kappa;
  run["goldmine_systematics"] = "scale:" + JoinNames(variation_names) +
                                " nominal=" + benchmarks.front().name;

  AtomicOutputFile output(path);
  AsciiEventWriter writer(
      output.temporary_path().string(),
      names,
      {"goldmine", VersionLine(), "built-in LO p p -> t tbar H (kappa_t)"},
      run);

  const std::size_t num_weights = names.size();
  CrossSectionAccumulator cross_sections(num_weights, num_events);
  std::vector<double> weights(num_weights, 0.0);
  const double n = static_cast<double>(num_events);
  const std::int64_t report_every = std::max<std::int64_t>(1, num_events / 100);
  std::vector<double> running(num_weights, 0.0);
  std::vector<double> running_errors(num_weights, 0.0);
  std::string polynomial;
  RandomStream random(seed);
  const TthParameters& p = settings.parameters;

  for (std::int64_t i = 0; i < num_events; ++i) {
    const TthEvent event = generator.Sample(random);
    FillEventWeights(
        event.polynomial, n, thetas, event.scale_variation_factors, &weights);
    cross_sections.Add(weights);

    writer.BeginEvent(i + 1, 6, 15, weights);
    cross_sections.Running(i + 1, &running, &running_errors);
    writer.CrossSection(running, running_errors, i + 1, i + 1);
    writer.PdfInfo(event.parton_ids[0],
                   event.parton_ids[1],
                   event.x1,
                   event.x2,
                   event.scale,
                   event.parton_xf[0],
                   event.parton_xf[1]);
    WriteEftPolynomial(event.polynomial, n, &polynomial, &writer);

    // Production (vertex −1), then decays with single parents.
    writer.Particle(1, 0, event.parton_ids[0], event.partons[0], 0.0, 4);
    writer.Particle(2, 0, event.parton_ids[1], event.partons[1], 0.0, 4);
    writer.Vertex(-1, {1, 2});
    writer.Particle(3, -1, 6, event.top, p.top_mass, 2);
    writer.Particle(4, -1, -6, event.antitop, p.top_mass, 2);
    writer.Particle(5, -1, 25, event.higgs, p.higgs_mass, 2);
    writer.Particle(6, 3, 24, event.w_plus, p.w_mass, 2);
    writer.Particle(7, 3, 5, event.bottom, 0.0, 1);
    writer.Particle(8, 4, -24, event.w_minus, p.w_mass, 2);
    writer.Particle(9, 4, -5, event.antibottom, 0.0, 1);
    writer.Particle(
        10, 5, event.higgs_ids[0], event.higgs_daughters[0], 0.0, 1);
    writer.Particle(
        11, 5, event.higgs_ids[1], event.higgs_daughters[1], 0.0, 1);
    writer.Particle(
        12, 6, event.w_plus_ids[0], event.w_plus_daughters[0], 0.0, 1);
    writer.Particle(
        13, 6, event.w_plus_ids[1], event.w_plus_daughters[1], 0.0, 1);
    writer.Particle(
        14, 8, event.w_minus_ids[0], event.w_minus_daughters[0], 0.0, 1);
    writer.Particle(
        15, 8, event.w_minus_ids[1], event.w_minus_daughters[1], 0.0, 1);
    if (progress && ((i + 1) % report_every == 0 || i + 1 == num_events))
      progress(i + 1);
  }
  writer.Close();
  output.Commit();

  return cross_sections.Result(
      names,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count());
}

}  // namespace goldmine::generators
