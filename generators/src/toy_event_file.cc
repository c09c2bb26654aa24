#include "goldmine/generators/toy_event_file.h"

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

// A massless final-state gluon with (pT, η, φ); (E, px, py, pz).
FourMomentum Jet(double pt, double eta, double phi) {
  return {pt * std::cosh(eta),
          pt * std::cos(phi),
          pt * std::sin(phi),
          pt * std::sinh(eta)};
}

}  // namespace

EventFileResult WriteToyEventFile(
    const std::string& path,
    const ToyModel& model,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress) {
  const std::size_t num_parameters = model.parameters().size();
  ValidateBenchmarks(benchmarks, num_parameters);
  GOLDMINE_REQUIRE(
      num_events >= 1,
      "the number of events must be >= 1, got " + std::to_string(num_events));
  const auto start = std::chrono::steady_clock::now();

  std::vector<std::string> names;
  for (const NamedBenchmark& benchmark : benchmarks)
    names.push_back(benchmark.name);
  const std::vector<Eigen::VectorXd> thetas = BenchmarkThetas(benchmarks);
  std::map<std::string, std::string> run = CommonRunAttributes(
      model.Description(), model.parameters(), benchmarks, seed, num_events);
  run["goldmine_latent"] = "pt_true phi_true eta";
  run["goldmine_observables"] =
      "pt=j[0].pt dphi=j[0].deltaphi(j[1]) eta=j[0].eta ptcos=j[0].px";

  AtomicOutputFile output(path);
  AsciiEventWriter writer(
      output.temporary_path().string(),
      names,
      {"goldmine", VersionLine(), "analytic toy (MadMiner's toy process)"},
      run);

  const std::size_t num_weights = names.size();
  CrossSectionAccumulator cross_sections(num_weights, num_events);
  std::vector<double> weights(num_weights, 0.0);
  const double n = static_cast<double>(num_events);
  const std::int64_t report_every = std::max<std::int64_t>(1, num_events / 100);
  std::vector<double> running(num_weights, 0.0);
  std::vector<double> running_errors(num_weights, 0.0);
  std::string text;
  RandomStream random(seed);

  for (std::int64_t i = 0; i < num_events; ++i) {
    const ToyEvent event = model.Sample(random);
    FillEventWeights(event.polynomial, n, thetas, {}, &weights);
    cross_sections.Add(weights);

    writer.BeginEvent(i + 1, 0, 2, weights);
    cross_sections.Running(i + 1, &running, &running_errors);
    writer.CrossSection(running, running_errors, i + 1, i + 1);
    WriteEftPolynomial(event.polynomial, n, &text, &writer);
    const ToyLatent& z = event.latent;
    text.clear();
    AsciiEventWriter::AppendNumber(text, z.pt);
    text += ' ';
    AsciiEventWriter::AppendNumber(text, z.phi);
    text += ' ';
    AsciiEventWriter::AppendNumber(text, z.eta);
    writer.StringAttribute("goldmine_latent", text);
    const ToyObservation& x = event.observation;
    writer.Particle(1, 0, 21, Jet(x.pt, x.eta, x.dphi), 0.0, 1);
    writer.Particle(2, 0, 21, Jet(0.5, 0.0, 0.0), 0.0, 1);
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
