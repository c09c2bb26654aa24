#include "goldmine/generators/toy_event_file.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

#include "ascii_event_writer.h"
#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"

namespace goldmine::generators {
namespace {

std::string Exact(double value) { return AsciiEventWriter::Number(value); }

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
  std::vector<Eigen::VectorXd> thetas;
  for (const NamedBenchmark& benchmark : benchmarks) {
    names.push_back(benchmark.name);
    thetas.push_back(Eigen::Map<const Eigen::VectorXd>(
        benchmark.values.data(),
        static_cast<Eigen::Index>(benchmark.values.size())));
  }
  const std::vector<std::string>& parameter_names = model.parameters();

  std::map<std::string, std::string> run;
  run["goldmine_generator"] = model.Description();
  std::string joined;
  for (const std::string& name : parameter_names)
    joined += (joined.empty() ? "" : ",") + name;
  run["goldmine_parameters"] = joined;
  joined.clear();
  for (const NamedBenchmark& benchmark : benchmarks)
    joined += (joined.empty() ? "" : ",") + benchmark.name;
  run["goldmine_benchmarks"] = joined;
  for (const NamedBenchmark& benchmark : benchmarks) {
    std::string values;
    for (std::size_t p = 0; p < num_parameters; ++p)
      values += (p == 0 ? "" : " ") + parameter_names[p] + "=" +
                Exact(benchmark.values[p]);
    run["goldmine_benchmark_" + benchmark.name] = values;
  }
  std::string terms = "w_sm";
  for (const std::string& name : parameter_names) terms += " a_" + name;
  for (std::size_t i = 0; i < num_parameters; ++i)
    for (std::size_t j = i; j < num_parameters; ++j)
      terms += " b_" + parameter_names[i] + "_" + parameter_names[j];
  run["goldmine_eft_polynomial"] = terms;
  run["goldmine_latent"] = "pt_true phi_true eta";
  run["goldmine_observables"] =
      "pt=j[0].pt dphi=j[0].deltaphi(j[1]) eta=j[0].eta ptcos=j[0].px";
  run["goldmine_seed"] = std::to_string(seed);
  run["goldmine_events"] = std::to_string(num_events);

  AtomicOutputFile output(path);
  AsciiEventWriter writer(
      output.temporary_path().string(),
      names,
      {"goldmine", VersionLine(), "analytic toy (MadMiner's toy process)"},
      run);

  const std::size_t num_weights = names.size();
  std::vector<double> sums(num_weights, 0.0);
  std::vector<double> sums2(num_weights, 0.0);
  std::vector<double> weights(num_weights, 0.0);
  const double n = static_cast<double>(num_events);
  const std::int64_t report_every = std::max<std::int64_t>(1, num_events / 100);
  std::vector<double> running(num_weights, 0.0);
  std::vector<double> running_errors(num_weights, 0.0);
  std::string text;
  RandomStream random(seed);

  for (std::int64_t i = 0; i < num_events; ++i) {
    const ToyEvent event = model.Sample(random);
    const double w_sm = event.polynomial.sm / n;
    for (std::size_t b = 0; b < num_weights; ++b) {
      weights[b] = w_sm * event.polynomial.Ratio(thetas[b]);
      sums[b] += weights[b];
      sums2[b] += weights[b] * weights[b];
    }

    writer.BeginEvent(i + 1, 0, 2, weights);
    const double done = static_cast<double>(i + 1);
    for (std::size_t k = 0; k < num_weights; ++k) {
      const double mean = sums[k] * n / done;
      const double variance =
          done > 1.0 ? std::max(0.0, n * n * sums2[k] / done - mean * mean) /
                           (done - 1.0)
                     : 0.0;
      running[k] = mean;
      running_errors[k] = std::sqrt(variance);
    }
    writer.CrossSection(running, running_errors, i + 1, i + 1);
    text.clear();
    AsciiEventWriter::AppendNumber(text, w_sm);
    for (double a : event.polynomial.linear) {
      text += ' ';
      AsciiEventWriter::AppendNumber(text, a);
    }
    for (double b : event.polynomial.quadratic) {
      text += ' ';
      AsciiEventWriter::AppendNumber(text, b);
    }
    writer.StringAttribute("goldmine_eft_polynomial", text);
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

  EventFileResult result;
  result.num_events = num_events;
  result.weight_names = names;
  result.cross_sections = sums;
  for (std::size_t k = 0; k < num_weights; ++k) {
    const double mean = sums[k] / n;
    result.cross_section_errors.push_back(
        num_events > 1 ? std::sqrt(std::max(0.0, sums2[k] - n * mean * mean) *
                                   n / (n - 1.0))
                       : 0.0);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return result;
}

}  // namespace goldmine::generators
