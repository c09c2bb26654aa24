#include "goldmine/mem/mem_computation.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <thread>

#include "goldmine/core/errors.h"
#include "goldmine/mining/mem_file.h"

namespace goldmine::mem {
namespace {

std::string WithoutSpaces(const std::string& text) {
  std::string result;
  for (char c : text)
    if (c != ' ' && c != '\t') result += c;
  return result;
}

// The column whose definition is `expression` (spaces ignored), or −1.
int FindObservable(const mining::MadminerSetup& setup,
                   const std::string& expression) {
  for (int i = 0; i < setup.num_observables(); ++i) {
    if (WithoutSpaces(
            setup.observables[static_cast<std::size_t>(i)].definition) ==
        WithoutSpaces(expression))
      return i;
  }
  return -1;
}

std::string SettingsLine(const MemSettings& settings) {
  std::ostringstream line;
  line.precision(17);
  line << "seed=" << settings.seed
       << " precision=" << settings.vegas.relative_precision
       << " calls_per_iteration=" << settings.vegas.calls_per_iteration
       << " bins=" << settings.vegas.bins
       << " warmup_iterations=" << settings.vegas.warmup_iterations
       << " min_iterations=" << settings.vegas.min_iterations
       << " max_iterations=" << settings.vegas.max_iterations;
  return line.str();
}

}  // namespace

std::vector<int> ObservableColumns(const Process& process,
                                   const mining::MadminerSetup& setup,
                                   const std::string& events_file) {
  std::vector<int> columns;
  for (const std::string& wanted : process.observables()) {
    const int found = FindObservable(setup, wanted);
    if (found < 0) {
      std::string have;
      for (const auto& observable : setup.observables)
        have += (have.empty() ? "" : ", ") + observable.name + " = " +
                observable.definition;
      throw InvalidInput(events_file + ": the " + process.name() +
                         " MEM reads the observable " + wanted +
                         ", which the file lacks (its observables: " + have +
                         "); add it to the mining config");
    }
    columns.push_back(found);
  }
  return columns;
}

std::string ObservationsDigest(const mining::MadminerEventsReader& reader,
                               const std::vector<int>& columns) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  mining::MadminerEventBatch batch;
  const std::int64_t n = reader.num_events();
  for (std::int64_t first = 0; first < n; first += 65536) {
    const std::int64_t count = std::min<std::int64_t>(65536, n - first);
    reader.Read(first, count, &batch);
    for (std::int64_t e = 0; e < count; ++e) {
      for (int column : columns) {
        const double value =
            batch.observations(static_cast<Eigen::Index>(e), column);
        unsigned char bytes[sizeof(double)];
        std::memcpy(bytes, &value, sizeof(double));
        for (unsigned char byte : bytes) {
          hash ^= byte;
          hash *= 0x100000001b3ULL;
        }
      }
    }
  }
  char text[17];
  std::snprintf(
      text, sizeof(text), "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

void RequireMemMatchesEvents(const std::string& mem_file,
                             const std::vector<std::string>& parameters,
                             const std::vector<std::string>& observables,
                             std::int64_t num_events,
                             const std::string& digest,
                             const std::filesystem::path& events_file) {
  const mining::MadminerEventsReader reader(events_file);
  const mining::MadminerSetup& setup = reader.setup();
  const std::string file = events_file.string();
  std::vector<std::string> file_parameters;
  for (const auto& parameter : setup.parameters)
    file_parameters.push_back(parameter.name);
  if (parameters != file_parameters) {
    throw InvalidInput(mem_file + ": its parameters are not those of " + file);
  }
  std::vector<int> columns;
  for (const std::string& wanted : observables) {
    const int found = FindObservable(setup, wanted);
    if (found < 0) {
      throw InvalidInput(mem_file + ": was computed from the observable " +
                         wanted + ", which " + file + " lacks");
    }
    columns.push_back(found);
  }
  if (num_events != reader.num_events() ||
      digest != ObservationsDigest(reader, columns)) {
    throw InvalidInput(mem_file + ": was computed from other events than " +
                       file + "'s (" + std::to_string(num_events) +
                       " events, digest " + digest +
                       "); run goldmine mem on this events file");
  }
}

std::uint64_t EventSeed(std::uint64_t seed, std::int64_t event) {
  // SplitMix64 of the pair: nearby seeds and events give unrelated streams.
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ULL +
                    static_cast<std::uint64_t>(event) + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

VegasResult IntegrateObservation(const Process& process,
                                 const std::vector<double>& x,
                                 const VegasSettings& settings,
                                 std::uint64_t seed) {
  GOLDMINE_REQUIRE(x.size() == process.observables().size(),
                   "observation has " + std::to_string(x.size()) +
                       " values; the process reads " +
                       std::to_string(process.observables().size()));
  RandomStream random(seed);
  const auto integrand = [&](const double* u, double* out) {
    process.Integrand(x.data(), u, out);
  };
  return IntegrateVegas(integrand,
                        process.dimension(),
                        static_cast<int>(process.monomials().rows()),
                        settings,
                        random);
}

MemSummary ComputeMemFile(
    const Process& process,
    const std::filesystem::path& events_file,
    const std::filesystem::path& output,
    const MemSettings& settings,
    const std::function<void(std::int64_t, std::int64_t)>& progress) {
  settings.vegas.Validate();
  if (settings.threads < 1 || settings.threads > 1024)
    throw InvalidInput("--threads must be in [1, 1024], got " +
                       std::to_string(settings.threads));
  GOLDMINE_REQUIRE(settings.chunk_events > 0, "chunk_events must be > 0");
  const mining::MadminerEventsReader reader(events_file);
  const mining::MadminerSetup& setup = reader.setup();
  const std::string file = events_file.string();

  std::vector<std::string> file_parameters;
  for (const auto& parameter : setup.parameters)
    file_parameters.push_back(parameter.name);
  if (process.parameters() != file_parameters) {
    std::string have;
    for (const auto& name : file_parameters) have += " " + name;
    std::string need;
    for (const auto& name : process.parameters()) need += " " + name;
    throw InvalidInput(file + ": the parameters (" + have.substr(1) +
                       ") are not those of the " + process.name() +
                       " process (" + need.substr(1) + ")");
  }
  const std::vector<int> columns = ObservableColumns(process, setup, file);
  const std::int64_t num_events = reader.num_events();

  mining::MemHeader header;
  header.components = process.monomials();
  header.parameter_names = process.parameters();
  header.observables = process.observables();
  header.process = process.name();
  header.description = process.Description();
  header.events_file = events_file.filename().string();
  header.settings = SettingsLine(settings);
  header.observations_digest = ObservationsDigest(reader, columns);
  header.num_events = num_events;
  mining::MemFileWriter writer(output, header);

  const auto num_outputs = static_cast<Eigen::Index>(header.components.rows());
  MemSummary summary;
  summary.events = num_events;
  mining::MadminerEventBatch batch;
  for (std::int64_t first = 0; first < num_events;
       first += settings.chunk_events) {
    const std::int64_t count =
        std::min(settings.chunk_events, num_events - first);
    reader.Read(first, count, &batch);
    mining::MemRows rows;
    rows.coefficients.resize(count, num_outputs);
    rows.errors.resize(count, num_outputs);
    rows.calls.assign(static_cast<std::size_t>(count), 0);
    rows.converged.assign(static_cast<std::size_t>(count), 0);
    // Threads take events in turn; each event's result depends only on its
    // own seed, so the split does not change the numbers.
    std::atomic<std::int64_t> next{0};
    std::vector<std::string> failures(static_cast<std::size_t>(count));
    const auto work = [&] {
      std::vector<double> x(columns.size());
      for (std::int64_t i = next++; i < count; i = next++) {
        const auto row = static_cast<Eigen::Index>(i);
        for (std::size_t k = 0; k < columns.size(); ++k)
          x[k] = batch.observations(row, columns[k]);
        try {
          const VegasResult result = IntegrateObservation(
              process, x, settings.vegas, EventSeed(settings.seed, first + i));
          rows.coefficients.row(row) = result.value.transpose();
          rows.errors.row(row) = result.error.transpose();
          rows.calls[static_cast<std::size_t>(i)] = result.calls;
          rows.converged[static_cast<std::size_t>(i)] =
              result.converged ? 1 : 0;
        } catch (const std::exception& error) {
          failures[static_cast<std::size_t>(i)] = error.what();
        }
      }
    };
    const int threads =
        static_cast<int>(std::min<std::int64_t>(settings.threads, count));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& thread : pool) thread.join();
    for (std::int64_t i = 0; i < count; ++i) {
      const std::string& failure = failures[static_cast<std::size_t>(i)];
      if (!failure.empty()) {
        throw InvalidInput(file + ": event " + std::to_string(first + i) +
                           ": " + failure);
      }
      const auto row = static_cast<Eigen::Index>(i);
      if (!rows.coefficients.row(row).allFinite()) {
        throw InvalidInput(file + ": event " + std::to_string(first + i) +
                           ": the MEM integral is not finite; are the "
                           "observables those of the " +
                           process.name() + " process?");
      }
      summary.calls += rows.calls[static_cast<std::size_t>(i)];
      if (rows.converged[static_cast<std::size_t>(i)] == 0)
        ++summary.not_converged;
      const double value = std::abs(rows.coefficients(row, 0));
      if (value > 0.0) {
        summary.largest_relative_error = std::max(
            summary.largest_relative_error, rows.errors(row, 0) / value);
      }
    }
    writer.Write(first, rows);
    if (progress) progress(first + count, num_events);
  }
  writer.Finish();
  return summary;
}

}  // namespace goldmine::mem
