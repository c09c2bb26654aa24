#include "goldmine/mining/miner.h"

#include <unistd.h>  // getpid: staging file names carry the pid

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
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

// The seed of the event at `position` (0-based, every event of the file
// counted) of a sample mined with `seed` (splitmix64): an event's smearing
// and efficiencies do not depend on which shard reads it.
std::uint64_t EventSeed(std::uint64_t seed, std::int64_t position) {
  return MixSeed(seed + 0x9e3779b97f4a7c15ULL *
                            (static_cast<std::uint64_t>(position) + 1));
}

// Events [first, end) of a file; end < 0: to the end of the file.
struct EventRange {
  std::int64_t first = 0;
  std::int64_t end = -1;
};

// Nominal weights of the events read: a sample needs a positive cross
// section at its sampling point.
struct NominalStats {
  std::string name;  // the nominal weight's name
  std::int64_t events = 0, positive = 0, zero = 0;
  double sum = 0.0;
  void Add(const NominalStats& other) {
    events += other.events;
    positive += other.positive;
    zero += other.zero;
    sum += other.sum;
  }
};

void RequirePositiveNominal(const std::string& path,
                            const NominalStats& stats) {
  if (stats.events > 0 && stats.positive == 0) {
    // σ ≤ 0 at the sampling point: no physical sample looks like this
    // (docs/event_files.md), and every number mined from it would be wrong.
    throw FileFormatError(
        path + ": the nominal weight (" + stats.name + ") of all " +
        std::to_string(stats.events) + " events is " +
        (stats.zero == stats.events ? "zero" : "zero or negative") + " (sum " +
        std::to_string(stats.sum) +
        "); a sample needs a positive cross section at its sampling point");
  }
}

struct StagedSample {
  SampleReport report;
  NominalStats nominal;
};

// Stages the events of `range`. The nominal-weight check is the caller's
// when the range is part of a file.
StagedSample StageSample(const SampleSpec& sample,
                         int sampling_index,
                         std::uint64_t seed,
                         const MadminerSetup& setup,
                         const std::vector<NuisanceSource>& nuisance_sources,
                         const EventProcessor& processor,
                         const std::filesystem::path& staging,
                         const std::function<void(const std::string&)>& log,
                         const EventRange& range = {},
                         std::int64_t known_count = -1) {
  std::unique_ptr<EventReader> reader = EventReader::Open(sample.path);
  const bool whole_file = range.first == 0 && range.end < 0;
  const std::string where =
      whole_file ? sample.path
                 : sample.path + " [events " + std::to_string(range.first) +
                       ", " + std::to_string(range.end) + ")";
  std::int64_t num_events = 0;
  const bool needs_count =
      sample.normalization == WeightNormalization::kAverage ||
      (sample.normalization == WeightNormalization::kAuto &&
       reader->info().format == EventFormat::kLhe &&
       reader->info().event_norm == "average");
  if (needs_count) {
    num_events = known_count >= 0 ? known_count : CountEvents(sample.path);
  }
  const BenchmarkWeightMap weight_map(
      sample, reader->info(), setup.benchmarks, nuisance_sources, num_events);

  const int num_benchmarks = setup.num_benchmarks();
  StagedSample staged;
  SampleReport& report = staged.report;
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
  Event event;
  std::int64_t positive_nominal = 0;
  std::int64_t zero_nominal = 0;
  double nominal_sum = 0.0;
  // A shard passes the events before its range without decoding them.
  std::int64_t position = reader->Skip(range.first);
  for (; (range.end < 0 || position < range.end) && reader->Next(&event);
       ++position) {
    RandomStream random(EventSeed(seed, position));
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
      log(where + ": " + std::to_string(report.events_read) + " events read, " +
          std::to_string(report.events_kept) + " kept");
    }
  }
  staged.nominal = {weight_map.nominal_name(),
                    report.events_read,
                    positive_nominal,
                    zero_nominal,
                    nominal_sum};
  if (whole_file) RequirePositiveNominal(sample.path, staged.nominal);
  flush();
  writer.Finish();
  // The summary of a range is the caller's, once every range succeeded: a
  // failing range must leave one line (the error) on the terminal.
  if (log && whole_file) {
    log(where + ": " + std::to_string(report.events_read) + " events read, " +
        std::to_string(report.events_kept) + " kept");
  }
  return staged;
}

// Rows [first, first + rows) of an events file (a staged sample, or a
// sample's share of a partial events file).
struct Segment {
  std::filesystem::path path;
  std::int64_t first = 0;
  std::int64_t rows = 0;
};

// The rows of one sample, from its segments in order, one row at a time
// (read in batches).
class SampleRows {
 public:
  explicit SampleRows(std::vector<Segment> segments)
      : segments_(std::move(segments)) {
    for (const Segment& segment : segments_) remaining_ += segment.rows;
  }
  std::int64_t remaining() const { return remaining_; }
  // Copies the next row into row `target` of `out`.
  void CopyNext(MadminerEventBatch* out, Eigen::Index target) {
    while (position_ == buffer_.size()) {
      if (!reader_ || segment_left_ == 0) {
        const Segment& segment = segments_[next_segment_++];
        reader_ = std::make_unique<MadminerEventsReader>(segment.path);
        segment_next_ = segment.first;
        segment_left_ = segment.rows;
        if (segment_left_ == 0) continue;
      }
      const std::int64_t count = std::min(kBatchRows, segment_left_);
      buffer_ = reader_->Read(segment_next_, count);
      segment_next_ += count;
      segment_left_ -= count;
      position_ = 0;
    }
    const auto row = static_cast<Eigen::Index>(position_);
    out->observations.row(target) = buffer_.observations.row(row);
    out->weights.row(target) = buffer_.weights.row(row);
    out->sampling_benchmarks.push_back(
        buffer_.sampling_benchmarks[static_cast<std::size_t>(position_)]);
    ++position_;
    --remaining_;
  }

 private:
  std::vector<Segment> segments_;
  std::int64_t remaining_ = 0;
  std::size_t next_segment_ = 0;
  std::unique_ptr<MadminerEventsReader> reader_;
  std::int64_t segment_next_ = 0;
  std::int64_t segment_left_ = 0;
  MadminerEventBatch buffer_;
  std::int64_t position_ = 0;
};

// Writes the samples' rows into `output` as Mine() does: interleaved at
// random (from `seed` and the row counts only) or one sample after another.
std::int64_t Interleave(std::vector<SampleRows>& samples,
                        std::uint64_t seed,
                        bool shuffle,
                        const MadminerSetup& setup,
                        const std::filesystem::path& output) {
  std::int64_t total = 0;
  for (const SampleRows& sample : samples) total += sample.remaining();
  GOLDMINE_REQUIRE(
      total > 0,
      "no event passed the cuts in any sample; nothing to write to " +
          output.string());
  MadminerEventsWriter writer(output, setup);
  RandomStream random(seed);
  MadminerEventBatch batch;
  std::size_t sequential = 0;  // sample being copied when not shuffling
  for (std::int64_t left = total; left > 0;) {
    const std::int64_t rows = std::min(kBatchRows, left);
    batch.observations.resize(rows, setup.num_observables());
    batch.weights.resize(rows, setup.num_benchmarks());
    batch.sampling_benchmarks.clear();
    for (Eigen::Index row = 0; row < rows; ++row, --left) {
      std::size_t source = 0;
      if (shuffle) {
        auto pick = static_cast<std::int64_t>(
            random.Index(static_cast<std::uint64_t>(left)));
        while (pick >= samples[source].remaining())
          pick -= samples[source++].remaining();
      } else {
        while (samples[sequential].remaining() == 0) ++sequential;
        source = sequential;
      }
      samples[source].CopyNext(&batch, row);
    }
    writer.Append(batch);
  }
  writer.Finish();
  return total;
}

// Stages samples `which` in parallel (each into its own staging file, with
// its own seed), returning their reports in the order of `which`.
std::vector<StagedSample> StageSamples(
    const MiningOptions& options,
    const EventProcessor& processor,
    const std::vector<int>& which,
    const std::vector<EventRange>& ranges,
    const std::vector<std::int64_t>& counts,
    const StagingFiles& staging,
    const std::function<void(const std::string&)>& log) {
  std::vector<StagedSample> reports(which.size());
  std::mutex log_mutex;
  auto locked_log = [&](const std::string& line) {
    const std::lock_guard<std::mutex> lock(log_mutex);
    if (log) log(line);
  };
  // Each sample gets its own seed, so results do not depend on scheduling.
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(which.size());
  auto work = [&] {
    for (std::size_t i = next++; i < which.size(); i = next++) {
      const auto s = static_cast<std::size_t>(which[i]);
      try {
        reports[i] =
            StageSample(options.samples[s],
                        SamplingIndex(options.samples[s], options.setup),
                        options.seed + 1000003ULL * (s + 1),
                        options.setup,
                        options.nuisance_sources,
                        processor,
                        staging[i],
                        locked_log,
                        ranges[i],
                        counts[i]);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const int num_threads =
      std::max(1, std::min(options.threads, static_cast<int>(which.size())));
  std::vector<std::thread> workers;
  for (int t = 1; t < num_threads; ++t) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return reports;
}

void RequireProcessorMatches(const MiningOptions& options,
                             const EventProcessor& processor) {
  GOLDMINE_REQUIRE(!options.samples.empty(),
                   "samples: expected at least one event file");
  GOLDMINE_REQUIRE(
      processor.num_observables() == options.setup.num_observables(),
      "observables: the processor gives " +
          std::to_string(processor.num_observables()) +
          " values but the setup names " +
          std::to_string(options.setup.num_observables()));
  for (const SampleSpec& sample : options.samples)
    SamplingIndex(sample, options.setup);  // throws for unknown benchmarks
}

constexpr const char* kPartialText = "goldmine/partial";
constexpr const char* kPartialFormat = "goldmine-partial-events";
constexpr int kPartialVersion = 1;

}  // namespace

MiningReport Mine(const MiningOptions& options,
                  const EventProcessor& processor,
                  const std::filesystem::path& output,
                  const std::function<void(const std::string&)>& log) {
  RequireProcessorMatches(options, processor);
  // A run killed before its cleanup (kill -9) leaves its staging files; the
  // next run in the folder removes those (issue 15).
  RemoveStaleScratchFiles(output.has_parent_path() ? output.parent_path()
                                                   : ".");
  const int n = static_cast<int>(options.samples.size());
  // With more threads than samples, every sample is staged in event ranges
  // in parallel: per-event randomness makes the rows those of one pass
  // (the shards of MinePartial, joined here).
  const int pieces = std::max(1, options.threads / n);
  std::vector<int> which;
  std::vector<EventRange> ranges;
  std::vector<std::int64_t> counts;
  for (int s = 0; s < n; ++s) {
    const std::int64_t count =
        pieces > 1
            ? CountEvents(options.samples[static_cast<std::size_t>(s)].path)
            : -1;
    for (int p = 0; p < pieces; ++p) {
      which.push_back(s);
      counts.push_back(count);
      ranges.push_back(
          pieces > 1 ? EventRange{count * p / pieces, count * (p + 1) / pieces}
                     : EventRange{});
    }
  }
  const StagingFiles staging(output, which.size());
  const std::vector<StagedSample> staged =
      StageSamples(options, processor, which, ranges, counts, staging, log);
  MiningReport report;
  std::vector<SampleRows> rows;
  for (int s = 0; s < n; ++s) {
    SampleReport sample;
    NominalStats nominal;
    std::vector<Segment> segments;
    for (int p = 0; p < pieces; ++p) {
      const auto unit = static_cast<std::size_t>(s * pieces + p);
      const SampleReport& part = staged[unit].report;
      if (p == 0) {
        sample = part;
      } else {
        sample.events_read += part.events_read;
        sample.events_kept += part.events_kept;
        sample.negative_weight_events += part.negative_weight_events;
        sample.cross_sections += part.cross_sections;
      }
      nominal.Add(staged[unit].nominal);
      nominal.name = staged[unit].nominal.name;
      // The staged rows are the events kept.
      segments.push_back({staging[unit], 0, part.events_kept});
    }
    if (pieces > 1) {
      RequirePositiveNominal(options.samples[static_cast<std::size_t>(s)].path,
                             nominal);
      if (log) {
        log(sample.path + ": " + std::to_string(sample.events_read) +
            " events read, " + std::to_string(sample.events_kept) + " kept");
      }
    }
    report.samples.push_back(std::move(sample));
    rows.emplace_back(std::move(segments));
  }
  report.events_written =
      Interleave(rows, options.seed, options.shuffle, options.setup, output);
  return report;
}

std::string MiningShard::Validate(int num_samples) const {
  std::string problems;
  if (count < 1 || index < 0 || index >= count) {
    problems += "shard " + std::to_string(index) + "/" + std::to_string(count) +
                ": expected I/N with 0 <= I < N; ";
  }
  for (int sample : samples) {
    if (sample < 0 || sample >= num_samples) {
      problems += "sample " + std::to_string(sample) +
                  " does not exist (the configuration has " +
                  std::to_string(num_samples) + " samples, numbered from 0); ";
    }
  }
  if (!problems.empty()) problems.resize(problems.size() - 2);
  return problems;
}

MiningReport MinePartial(const MiningOptions& options,
                         const EventProcessor& processor,
                         const MiningShard& shard,
                         const std::filesystem::path& output,
                         const std::function<void(const std::string&)>& log) {
  RequireProcessorMatches(options, processor);
  const int num_samples = static_cast<int>(options.samples.size());
  const std::string problems = shard.Validate(num_samples);
  if (!problems.empty()) throw InvalidInput(problems);
  std::vector<int> which = shard.samples;
  if (which.empty()) {
    for (int i = 0; i < num_samples; ++i) which.push_back(i);
  }
  std::sort(which.begin(), which.end());
  which.erase(std::unique(which.begin(), which.end()), which.end());
  std::vector<EventRange> ranges(which.size());
  std::vector<std::int64_t> counts(which.size(), -1);
  if (shard.count > 1) {
    for (std::size_t i = 0; i < which.size(); ++i) {
      const std::int64_t n =
          CountEvents(options.samples[static_cast<std::size_t>(which[i])].path);
      counts[i] = n;
      ranges[i].first = n * shard.index / shard.count;
      ranges[i].end = n * (shard.index + 1) / shard.count;
    }
  }
  RemoveStaleScratchFiles(output.has_parent_path() ? output.parent_path()
                                                   : ".");
  const StagingFiles staging(output, which.size());
  MiningReport report;
  for (StagedSample& staged :
       StageSamples(options, processor, which, ranges, counts, staging, log)) {
    if (log && shard.count > 1) {
      log(staged.report.path + ": " +
          std::to_string(staged.report.events_read) + " events read, " +
          std::to_string(staged.report.events_kept) + " kept (shard " +
          std::to_string(shard.index) + "/" + std::to_string(shard.count) +
          ")");
    }
    report.samples.push_back(std::move(staged.report));
  }

  MadminerEventsWriter writer(output, options.setup);
  nlohmann::json segments = nlohmann::json::array();
  for (std::size_t i = 0; i < which.size(); ++i) {
    const MadminerEventsReader staged(staging[i]);
    for (std::int64_t first = 0; first < staged.num_events();
         first += kBatchRows) {
      writer.Append(staged.Read(
          first, std::min(kBatchRows, staged.num_events() - first)));
    }
    const SampleReport& sample = report.samples[i];
    segments.push_back(
        {{"sample", which[i]},
         {"path", sample.path},
         {"shard", shard.index},
         {"num_shards", shard.count},
         {"first_event", ranges[i].first},
         {"end_event", ranges[i].end},
         {"file_events", counts[i]},
         {"rows", staged.num_events()},
         {"events_read", sample.events_read},
         {"events_kept", sample.events_kept},
         {"negative_weight_events", sample.negative_weight_events},
         {"cross_sections",
          std::vector<double>(
              sample.cross_sections.data(),
              sample.cross_sections.data() + sample.cross_sections.size())}});
    report.events_written += staged.num_events();
  }
  const nlohmann::json description = {{"format", kPartialFormat},
                                      {"version", kPartialVersion},
                                      {"run", shard.run},
                                      {"seed", options.seed},
                                      {"shuffle", options.shuffle},
                                      {"num_samples", num_samples},
                                      {"segments", segments}};
  writer.AddText(kPartialText, description.dump());
  writer.Finish();
  return report;
}

MiningReport MergePartialEvents(const std::vector<std::filesystem::path>& parts,
                                const std::filesystem::path& output) {
  if (parts.empty()) throw InvalidInput("merge: no partial events file given");
  struct Piece {
    std::int64_t first_event, end_event, file_events;
    Segment segment;
    const nlohmann::json* entry;
  };
  std::vector<nlohmann::json> descriptions;
  descriptions.reserve(parts.size());
  std::map<int, std::vector<Piece>> pieces;
  for (const std::filesystem::path& part : parts) {
    const std::optional<std::string> text = ReadEventsText(part, kPartialText);
    const std::string name = part.string();
    if (!text) {
      throw InvalidInput(name +
                         ": not a partial events file (no goldmine/partial; "
                         "write parts with `goldmine mine --shard I/N` or "
                         "`--sample K`)");
    }
    try {
      nlohmann::json description = nlohmann::json::parse(*text, nullptr, false);
      if (!description.is_object() ||
          description.value("format", "") != kPartialFormat) {
        throw InvalidInput(name +
                           ": goldmine/partial is not a partial events "
                           "description");
      }
      if (description.value("version", 0) != kPartialVersion) {
        throw InvalidInput(name + ": partial events format version " +
                           description["version"].dump() +
                           "; this goldmine merges version " +
                           std::to_string(kPartialVersion));
      }
      if (!descriptions.empty()) {
        const nlohmann::json& first = descriptions.front();
        for (const char* key : {"run", "seed", "shuffle", "num_samples"}) {
          if (description[key] != first[key]) {
            throw InvalidInput(name + ": belongs to another mining run than " +
                               parts.front().string() + " (" + key + " " +
                               description[key].dump() + " against " +
                               first[key].dump() + ")");
          }
        }
      }
      descriptions.push_back(std::move(description));
      std::int64_t row = 0;
      for (const nlohmann::json& entry : descriptions.back().at("segments")) {
        const auto rows = entry.at("rows").get<std::int64_t>();
        const int sample = entry.at("sample").get<int>();
        if (rows < 0 || sample < 0 ||
            sample >= descriptions.front().at("num_samples").get<int>()) {
          throw InvalidInput(name + ": goldmine/partial: a segment has " +
                             std::to_string(rows) + " rows of sample " +
                             std::to_string(sample));
        }
        pieces[sample].push_back({entry.at("first_event").get<std::int64_t>(),
                                  entry.at("end_event").get<std::int64_t>(),
                                  entry.at("file_events").get<std::int64_t>(),
                                  {part, row, rows},
                                  &entry});
        // Keys read later, checked now.
        entry.at("path").get<std::string>();
        entry.at("events_read").get<std::int64_t>();
        entry.at("events_kept").get<std::int64_t>();
        entry.at("negative_weight_events").get<std::int64_t>();
        entry.at("cross_sections").get<std::vector<double>>();
        row += rows;
      }
      descriptions.back().at("seed").get<std::uint64_t>();
      descriptions.back().at("shuffle").get<bool>();
      if (row != MadminerEventsReader(part).num_events()) {
        throw InvalidInput(
            name + ": goldmine/partial describes " + std::to_string(row) +
            " rows, the file has " +
            std::to_string(MadminerEventsReader(part).num_events()));
      }
    } catch (const nlohmann::json::exception& error) {
      throw InvalidInput(name + ": goldmine/partial is malformed (" +
                         error.what() + ")");
    }
  }
  const nlohmann::json& first = descriptions.front();
  const int num_samples = first["num_samples"].get<int>();
  MiningReport report;
  std::vector<SampleRows> rows;
  for (int s = 0; s < num_samples; ++s) {
    std::vector<Piece>& list = pieces[s];
    std::sort(list.begin(), list.end(), [](const Piece& a, const Piece& b) {
      return a.first_event < b.first_event;
    });
    // The pieces must tile the file: one unsharded piece, or ranges from 0
    // to the file's end without gap or overlap.
    std::int64_t expected = 0;
    bool tiled = !list.empty();
    for (const Piece& piece : list) {
      tiled = tiled && piece.first_event == expected;
      expected = piece.end_event;
      if (piece.end_event < 0) break;
    }
    tiled = tiled && (expected < 0 ? list.size() == 1
                                   : expected == list.front().file_events);
    if (!tiled) {
      throw InvalidInput("merge: the parts do not cover sample " +
                         std::to_string(s) + " exactly once (" +
                         std::to_string(list.size()) +
                         " pieces); give every shard of every sample once");
    }
    SampleReport sample;
    sample.path = (*list.front().entry)["path"].get<std::string>();
    std::vector<Segment> segments;
    for (const Piece& piece : list) {
      segments.push_back(piece.segment);
      const nlohmann::json& entry = *piece.entry;
      sample.events_read += entry["events_read"].get<std::int64_t>();
      sample.events_kept += entry["events_kept"].get<std::int64_t>();
      sample.negative_weight_events +=
          entry["negative_weight_events"].get<std::int64_t>();
      const auto sums = entry["cross_sections"].get<std::vector<double>>();
      const Eigen::Map<const Eigen::VectorXd> part_sums(
          sums.data(), static_cast<Eigen::Index>(sums.size()));
      if (sample.cross_sections.size() == 0) {
        sample.cross_sections = part_sums;
      } else {
        sample.cross_sections += part_sums;
      }
    }
    rows.emplace_back(std::move(segments));
    report.samples.push_back(std::move(sample));
  }
  const MadminerSetup setup = MadminerEventsReader(parts.front()).setup();
  report.events_written = Interleave(rows,
                                     first["seed"].get<std::uint64_t>(),
                                     first["shuffle"].get<bool>(),
                                     setup,
                                     output);
  return report;
}

}  // namespace goldmine::mining
