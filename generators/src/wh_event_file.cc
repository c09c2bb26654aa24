#include "goldmine/generators/wh_event_file.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

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

std::vector<std::string> ScaleVariationNames(
    const WhGeneratorSettings& settings) {
  std::vector<std::string> names;
  for (double k : settings.scale_variations) names.push_back("MUF" + Short(k));
  return names;
}

EventFileResult WriteWhEventFile(
    const std::string& path,
    const WhGenerator& generator,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress) {
  const WhGeneratorSettings& settings = generator.settings();
  const std::size_t num_parameters = settings.operators.size();
  ValidateBenchmarks(benchmarks, num_parameters);
  GOLDMINE_REQUIRE(
      num_events >= 1,
      "the number of events must be >= 1, got " + std::to_string(num_events));
  const auto start = std::chrono::steady_clock::now();

  // Weight names: benchmarks, then scale variations of the first benchmark.
  std::vector<std::string> names;
  for (const NamedBenchmark& benchmark : benchmarks)
    names.push_back(benchmark.name);
  const std::vector<std::string> variation_names =
      ScaleVariationNames(settings);
  for (const std::string& name : variation_names) {
    for (const std::string& existing : names)
      GOLDMINE_REQUIRE(existing != name,
                       "benchmark name \"" + name +
                           "\" is reserved for a scale variation weight");
    names.push_back(name);
  }

  std::vector<std::string> parameter_names;
  for (WhOperator op : settings.operators)
    parameter_names.push_back(OperatorName(op));
  const std::vector<Eigen::VectorXd> thetas = BenchmarkThetas(benchmarks);
  std::map<std::string, std::string> run = CommonRunAttributes(
      generator.Description(), parameter_names, benchmarks, seed, num_events);
  std::string scale = ScaleChoiceName(settings.scale);
  if (settings.scale == ScaleChoice::kFixed)
    scale += ":" + Exact(settings.FixedScale());
  run["goldmine_factorisation_scale"] = scale;
  run["goldmine_systematics"] =
      "factorisation_scale:" + JoinNames(variation_names) +
      " nominal=" + benchmarks.front().name;

  AtomicOutputFile output(path);
  AsciiEventWriter writer(
      output.temporary_path().string(),
      names,
      {"goldmine", VersionLine(), "built-in LO SMEFT W H generator"},
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
  const ElectroweakParameters& ew = settings.parameters;

  for (std::int64_t i = 0; i < num_events; ++i) {
    const WhEvent event = generator.Sample(random);
    FillEventWeights(
        event.polynomial, n, thetas, event.scale_variation_factors, &weights);
    cross_sections.Add(weights);

    writer.BeginEvent(i + 1, 3, 8, weights);
    // Running estimate: (N/i) Σ_{k≤i} w_k, exact Σ w at the last event.
    cross_sections.Running(i + 1, &running, &running_errors);
    writer.CrossSection(running, running_errors, i + 1, i + 1);
    writer.PdfInfo(event.parton_ids[0],
                   event.parton_ids[1],
                   event.x1,
                   event.x2,
                   event.factorisation_scale,
                   event.parton_xf[0],
                   event.parton_xf[1]);
    WriteEftPolynomial(event.polynomial, n, &polynomial, &writer);

    // q q̄' → W H (vertex −1), W → ℓ ν and H → b b̄ (single parents 3, 4).
    writer.Particle(1, 0, event.parton_ids[0], event.partons[0], 0.0, 4);
    writer.Particle(2, 0, event.parton_ids[1], event.partons[1], 0.0, 4);
    writer.Vertex(-1, {1, 2});
    writer.Particle(3,
                    -1,
                    24 * event.w_charge,
                    event.w,
                    std::sqrt(std::max(0.0, Dot(event.w, event.w))),
                    2);
    writer.Particle(4, -1, 25, event.higgs, ew.higgs_mass, 2);
    writer.Particle(5, 3, event.lepton_id, event.lepton, 0.0, 1);
    writer.Particle(6, 3, event.neutrino_id, event.neutrino, 0.0, 1);
    writer.Particle(7, 4, 5, event.bottom, 0.0, 1);
    writer.Particle(8, 4, -5, event.antibottom, 0.0, 1);
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
