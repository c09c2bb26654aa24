// Mining: samples (event files) → one MadMiner events file with observables
// and benchmark weights for every event that passes (MadMiner's
// LHEReader.analyse_samples + save).
//
// Samples are read in parallel, each into a staging file beside the output
// (<output>.stage-<pid>-<i>.h5, removed however Mine() ends; those of killed
// runs are removed by the next Mine() writing into the same folder); the
// staged samples are then merged into the final file. With shuffle on
// (MadMiner shuffles too), the merge interleaves the samples at random, row
// by row with probability proportional to the rows each has left: for
// samples of independent events this is distributed like a full shuffle, so
// partitions by event order (train/test) mix all samples, and it streams, so
// memory does not grow with the number of events. The same seed gives the
// same file whatever the number of threads.
//
// Shards (issue 19, docs/scale_out.md). The randomness of an event (smearing,
// efficiencies) comes from a stream seeded by its sample's seed and its
// position in the file, so any event range can be mined on its own:
// MinePartial() mines shard I of N of every sample (events
// [⌊I n/N⌋, ⌊(I+1) n/N⌋) of a file of n events), or only some samples, into
// a partial events file, and MergePartialEvents() joins partial files into
// exactly the file Mine() writes: the same rows in the same order (the
// interleaving is drawn from the seed and the samples' row counts only),
// the same datasets and values. Mine() itself stages every sample in
// threads / samples event ranges at once when there are more threads than
// samples, and writes the same file.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "goldmine/core/random.h"
#include "goldmine/mining/event.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/sample.h"
#include "goldmine/mining/systematics.h"

namespace goldmine::mining {

// Builds the observables of one event (objects, smearing, observables, cuts,
// efficiencies). Must be safe to call from several threads at once: all
// state goes through the arguments.
class EventProcessor {
 public:
  virtual ~EventProcessor() = default;
  virtual int num_observables() const = 0;
  // Fills `observations` (num_observables()) and multiplies `*efficiency`
  // (starts at 1) by the event's efficiency factors; returns false when the
  // event is dropped (a cut, a required observable, efficiency ≤ 0).
  virtual bool Process(
      const Event& event,
      RandomStream* random,
      Eigen::Ref<Eigen::RowVectorXd, 0, Eigen::InnerStride<>> observations,
      double* efficiency) const = 0;
};

struct MiningOptions {
  // Parameters, benchmarks, morphing, systematics and observable names as
  // they go into the output file.
  MadminerSetup setup;
  std::vector<SampleSpec> samples;
  // Sources of the setup's nuisance benchmarks (systematics.h).
  std::vector<NuisanceSource> nuisance_sources;
  std::uint64_t seed = 1;
  int threads = 1;
  bool shuffle = true;
};

struct SampleReport {
  std::string path;
  std::int64_t events_read = 0;
  std::int64_t events_kept = 0;
  // Events with a negative weight at any benchmark (kept, as MadMiner).
  std::int64_t negative_weight_events = 0;
  // Σ weights per benchmark of the kept events (pb), after all factors.
  Eigen::VectorXd cross_sections;
};

struct MiningReport {
  std::vector<SampleReport> samples;
  std::int64_t events_written = 0;
};

// Which part of a mining run a partial events file holds.
struct MiningShard {
  int index = 0;  // I in [0, count)
  int count = 1;  // N
  // Sample indices (into MiningOptions::samples); empty: every sample.
  std::vector<int> samples;
  // Identifies the run (e.g. the configuration's SHA-256): partial files of
  // different runs are never merged.
  std::string run;

  // Lists every problem at once; empty when usable.
  std::string Validate(int num_samples) const;
};

// Throws InvalidInput for a sample whose sampling benchmark is unknown or
// whose weights do not cover the benchmarks, when no event passes, and as
// the readers do for broken files; nothing is left under `output` then.
// `log`, when given, receives progress lines.
MiningReport Mine(const MiningOptions& options,
                  const EventProcessor& processor,
                  const std::filesystem::path& output,
                  const std::function<void(const std::string&)>& log = {});

// Mines `shard` into a partial events file at `output`: the rows of each
// sample's event range, in sample order, and the description MergePartial-
// Events() needs (dataset goldmine/partial). Throws as Mine(); a shard
// without any passing event is written (with no rows), since other shards
// may have some.
MiningReport MinePartial(
    const MiningOptions& options,
    const EventProcessor& processor,
    const MiningShard& shard,
    const std::filesystem::path& output,
    const std::function<void(const std::string&)>& log = {});

// Joins partial events files of one run into the file Mine() writes. Throws
// InvalidInput naming the file when a part is not a partial events file,
// belongs to another run or format version, or when the parts miss or
// repeat an event range of a sample; FileFormatError for unreadable files.
MiningReport MergePartialEvents(const std::vector<std::filesystem::path>& parts,
                                const std::filesystem::path& output);

}  // namespace goldmine::mining
