#include "event_file_loop.h"

#include <algorithm>
#include <chrono>

#include "event_file_common.h"
#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"

namespace goldmine::generators {

EventFileResult WriteEventFile(
    const std::string& path,
    EventProcess& process,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress) {
  const std::vector<std::string> parameter_names = process.ParameterNames();
  ValidateBenchmarks(benchmarks, parameter_names.size());
  GOLDMINE_REQUIRE(
      num_events >= 1,
      "the number of events must be >= 1, got " + std::to_string(num_events));
  const auto start = std::chrono::steady_clock::now();

  // Weight names: benchmarks, then variations of the first benchmark.
  std::vector<std::string> names;
  for (const NamedBenchmark& benchmark : benchmarks)
    names.push_back(benchmark.name);
  const std::vector<std::string> variation_names = process.VariationNames();
  for (const std::string& name : variation_names) {
    for (const std::string& existing : names)
      GOLDMINE_REQUIRE(existing != name,
                       "benchmark name \"" + name +
                           "\" is reserved for a scale variation weight");
    names.push_back(name);
  }

  const std::vector<Eigen::VectorXd> thetas = BenchmarkThetas(benchmarks);
  std::map<std::string, std::string> run = CommonRunAttributes(
      process.Description(), parameter_names, benchmarks, seed, num_events);
  process.AddRunAttributes(benchmarks, variation_names, &run);

  AtomicOutputFile output(path);
  AsciiEventWriter writer(output.temporary_path().string(),
                          names,
                          {"goldmine", VersionLine(), process.Comment()},
                          run);

  const std::size_t num_weights = names.size();
  CrossSectionAccumulator cross_sections(num_weights, num_events);
  std::vector<double> weights(num_weights, 0.0);
  const double n = static_cast<double>(num_events);
  const std::int64_t report_every = std::max<std::int64_t>(1, num_events / 100);
  std::vector<double> running(num_weights, 0.0);
  std::vector<double> running_errors(num_weights, 0.0);
  std::string scratch;
  RandomStream random(seed);

  for (std::int64_t i = 0; i < num_events; ++i) {
    process.Sample(random);
    FillEventWeights(
        process.polynomial(), n, thetas, process.variation_factors(), &weights);
    cross_sections.Add(weights);

    writer.BeginEvent(
        i + 1, process.num_vertices(), process.num_particles(), weights);
    // Running estimate: (N/i) Σ_{k≤i} w_k, exact Σ w at the last event.
    cross_sections.Running(i + 1, &running, &running_errors);
    writer.CrossSection(running, running_errors, i + 1, i + 1);
    process.WriteBeforePolynomial(writer);
    WriteEftPolynomial(process.polynomial(), n, &scratch, &writer);
    process.WriteAfterPolynomial(writer, &scratch);
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
