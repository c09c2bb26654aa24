#include "goldmine/mining/miner.h"

#include <unistd.h>  // getpid: staging file names carry the pid

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "goldmine/core/errors.h"
#include "goldmine/core/scratch_files.h"
#include "goldmine/mining/event_reader.h"

namespace goldmine::mining {
namespace {

constexpr std::int64_t kBatchRows = 4096;

constexpr const char* kStageMarker = ".stage-";

// Removes staging files however Mine() ends.
class StagingFiles {
 public:
  explicit StagingFiles(const std::filesystem::path& output,
                        std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      std::filesystem::path path = output;
      path += kStageMarker + std::to_string(::getpid()) + "-" +
              std::to_string(i) + ".h5";
      paths_.push_back(path);
    }
  }
  ~StagingFiles() {
    for (const auto& path : paths_) {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  }
  const std::filesystem::path& operator[](std::size_t i) const {
    return paths_[i];
  }

 private:
  std::vector<std::filesystem::path> paths_;
};

int SamplingIndex(const SampleSpec& sample, const MadminerSetup& setup) {
  if (sample.is_background) return -1;
  const auto& names = setup.benchmarks.names;
  const auto found = std::find(names.begin(), names.end(), sample.sampled_from);
  if (found == names.end()) {
    std::string list;
    for (const std::string& name : names)
      list += (list.empty() ? "" : ", ") + name;
    throw InvalidInput(sample.path + ": sampled_from \"" + sample.sampled_from +
                       "\" is not a benchmark; benchmarks are [" + list + "]");
  }
  return static_cast<int>(found - names.begin());
}

SampleReport StageSample(const SampleSpec& sample,
                         int sampling_index,
                         std::uint64_t seed,
                         const MadminerSetup& setup,
                         const std::vector<NuisanceSource>& nuisance_sources,
                         const EventProcessor& processor,
                         const std::filesystem::path& staging,
                         const std::function<void(const std::string&)>& log) {
  std::unique_ptr<EventReader> reader = EventReader::Open(sample.path);
  std::int64_t num_events = 0;
  const bool needs_count =
      sample.normalization == WeightNormalization::kAverage ||
      (sample.normalization == WeightNormalization::kAuto &&
       reader->info().format == EventFormat::kLhe &&
       reader->info().event_norm == "average");
  if (needs_count) num_events = CountEvents(sample.path);
  const BenchmarkWeightMap weight_map(
      sample, reader->info(), setup.benchmarks, nuisance_sources, num_events);

  const int num_benchmarks = setup.num_benchmarks();
  SampleReport report;
  report.path = sample.path;
  report.cross_sections = Eigen::VectorXd::Zero(num_benchmarks);
  MadminerEventsWriter writer(staging, setup);
  MadminerEventBatch batch;
  auto reset = [&] {
    batch.observations.resize(kBatchRows, processor.num_observables());
    batch.weights.resize(kBatchRows, num_benchmarks);
    batch.sampling_benchmarks.clear();
  };
  auto flush = [&] {
    const auto rows =
        static_cast<Eigen::Index>(batch.sampling_benchmarks.size());
    if (rows == 0) return;
    MadminerEventBatch full;
    full.observations = batch.observations.topRows(rows);
    full.weights = batch.weights.topRows(rows);
    full.sampling_benchmarks = batch.sampling_benchmarks;
    writer.Append(full);
    reset();
  };
  reset();
  RandomStream random(seed);
  Event event;
  std::int64_t positive_nominal = 0;
  std::int64_t zero_nominal = 0;
  double nominal_sum = 0.0;
  while (reader->Next(&event)) {
    ++report.events_read;
    const double nominal = weight_map.NominalWeight(event);
    nominal_sum += nominal;
    if (nominal > 0.0) ++positive_nominal;
    if (nominal == 0.0) ++zero_nominal;
    const auto row =
        static_cast<Eigen::Index>(batch.sampling_benchmarks.size());
    double efficiency = 1.0;
    if (!processor.Process(
            event, &random, batch.observations.row(row), &efficiency))
      continue;
    weight_map.Apply(event, batch.weights.row(row));
    batch.weights.row(row) *= efficiency;
    if (!batch.weights.row(row).allFinite()) {
      // Weights are finite (the readers check), so an efficiency or a
      // variation ratio overflowed; an events file must not carry it.
      throw FileFormatError(sample.path + ", event " +
                            std::to_string(event.number) +
                            ": a benchmark weight is not finite (efficiency " +
                            std::to_string(efficiency) +
                            "); check the efficiencies and the weights");
    }
    if ((batch.weights.row(row).array() < 0.0).any())
      ++report.negative_weight_events;
    report.cross_sections += batch.weights.row(row).transpose();
    batch.sampling_benchmarks.push_back(sampling_index);
    ++report.events_kept;
    if (batch.sampling_benchmarks.size() ==
        static_cast<std::size_t>(kBatchRows))
      flush();
    if (log && report.events_read % 50000 == 0) {
      log(sample.path + ": " + std::to_string(report.events_read) +
          " events read, " + std::to_string(report.events_kept) + " kept");
    }
  }
  if (report.events_read > 0 && positive_nominal == 0) {
    // σ ≤ 0 at the sampling point: no physical sample looks like this
    // (docs/event_files.md), and every number mined from it would be wrong.
    throw FileFormatError(
        sample.path + ": the nominal weight (" + weight_map.nominal_name() +
        ") of all " + std::to_string(report.events_read) + " events is " +
        (zero_nominal == report.events_read ? "zero" : "zero or negative") +
        " (sum " + std::to_string(nominal_sum) +
        "); a sample needs a positive cross section at its sampling point");
  }
  flush();
  writer.Finish();
  if (log) {
    log(sample.path + ": " + std::to_string(report.events_read) +
        " events read, " + std::to_string(report.events_kept) + " kept");
  }
  return report;
}

// Reads a staged sample in batches, one row at a time.
class StagedRows {
 public:
  explicit StagedRows(const std::filesystem::path& path)
      : reader_(path), remaining_(reader_.num_events()) {}
  std::int64_t remaining() const { return remaining_; }
  // Copies the next row into row `target` of `out`.
  void CopyNext(MadminerEventBatch* out, Eigen::Index target) {
    if (static_cast<std::int64_t>(position_) == buffer_.size()) {
      const std::int64_t first = reader_.num_events() - remaining_;
      buffer_ = reader_.Read(first, std::min(kBatchRows, remaining_));
      position_ = 0;
    }
    const auto row = static_cast<Eigen::Index>(position_);
    out->observations.row(target) = buffer_.observations.row(row);
    out->weights.row(target) = buffer_.weights.row(row);
    out->sampling_benchmarks.push_back(buffer_.sampling_benchmarks[position_]);
    ++position_;
    --remaining_;
  }

 private:
  MadminerEventsReader reader_;
  std::int64_t remaining_;
  MadminerEventBatch buffer_;
  std::size_t position_ = 0;
};

}  // namespace

MiningReport Mine(const MiningOptions& options,
                  const EventProcessor& processor,
                  const std::filesystem::path& output,
                  const std::function<void(const std::string&)>& log) {
  GOLDMINE_REQUIRE(!options.samples.empty(),
                   "samples: expected at least one event file");
  GOLDMINE_REQUIRE(
      processor.num_observables() == options.setup.num_observables(),
      "observables: the processor gives " +
          std::to_string(processor.num_observables()) +
          " values but the setup names " +
          std::to_string(options.setup.num_observables()));
  std::vector<int> sampling_indices;
  for (const SampleSpec& sample : options.samples)
    sampling_indices.push_back(SamplingIndex(sample, options.setup));

  // A run killed before its cleanup (kill -9) leaves its staging files; the
  // next run in the folder removes those (issue 15).
  RemoveStaleScratchFiles(output.has_parent_path() ? output.parent_path()
                                                   : ".");
  const StagingFiles staging(output, options.samples.size());
  MiningReport report;
  report.samples.resize(options.samples.size());
  std::mutex log_mutex;
  auto locked_log = [&](const std::string& line) {
    const std::lock_guard<std::mutex> lock(log_mutex);
    if (log) log(line);
  };
  // Each sample gets its own seed, so results do not depend on scheduling.
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(options.samples.size());
  auto work = [&] {
    for (std::size_t i = next++; i < options.samples.size(); i = next++) {
      try {
        report.samples[i] = StageSample(options.samples[i],
                                        sampling_indices[i],
                                        options.seed + 1000003ULL * (i + 1),
                                        options.setup,
                                        options.nuisance_sources,
                                        processor,
                                        staging[i],
                                        locked_log);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const int num_threads = std::max(
      1, std::min(options.threads, static_cast<int>(options.samples.size())));
  std::vector<std::thread> workers;
  for (int t = 1; t < num_threads; ++t) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }

  std::vector<StagedRows> staged;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < options.samples.size(); ++i) {
    staged.emplace_back(staging[i]);
    total += staged.back().remaining();
  }
  GOLDMINE_REQUIRE(
      total > 0,
      "no event passed the cuts in any sample; nothing to write to " +
          output.string());

  MadminerEventsWriter writer(output, options.setup);
  RandomStream random(options.seed);
  MadminerEventBatch batch;
  std::size_t sequential = 0;  // sample being copied when not shuffling
  for (std::int64_t left = total; left > 0;) {
    const std::int64_t rows = std::min(kBatchRows, left);
    batch.observations.resize(rows, options.setup.num_observables());
    batch.weights.resize(rows, options.setup.num_benchmarks());
    batch.sampling_benchmarks.clear();
    for (Eigen::Index row = 0; row < rows; ++row, --left) {
      std::size_t source = 0;
      if (options.shuffle) {
        auto pick = static_cast<std::int64_t>(
            random.Index(static_cast<std::uint64_t>(left)));
        while (pick >= staged[source].remaining())
          pick -= staged[source++].remaining();
      } else {
        while (staged[sequential].remaining() == 0) ++sequential;
        source = sequential;
      }
      staged[source].CopyNext(&batch, row);
    }
    writer.Append(batch);
  }
  writer.Finish();
  report.events_written = total;
  return report;
}

}  // namespace goldmine::mining
