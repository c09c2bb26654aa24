// The events no estimator of a `goldmine run` study has seen. `augment`
// draws every training sample (SALLY, RASCAL, ALICES) from the train
// partition of mine/events.h5 (mining/augmenter.h), so the test partition,
// the last round(0.2 N) events, is unseen. Numbers built from a trained
// model must be computed on those events: on its training events an
// overfitted model looks far better than it is (issue 17, item 1).
//
// `goldmine limits` fills its templates (and, with --asimov-from templates,
// the Asimov data) from the first events of its file and takes σ(θ) from the
// last --test-split of them. The model-based scans therefore read a copy of
// the events file with the test partition first and the other events after
// it, with --test-split 0.8 (the fraction of the others): templates and
// Asimov data are exactly the unseen events, and σ(θ), which involves no
// model, keeps the statistics of the remaining 80 %. For every N,
// round(0.2 N) = N − round(0.8 N) (0.2 N is never half-integral), so the
// split does not depend on the number of events, which is unknown when the
// command lines are planned; WriteTestPartitionFirst checks it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace goldmine::pipeline {

// `goldmine limits --test-split` for the reordered file.
inline constexpr const char* kLimitsTestSplit = "0.8";

struct HeldOutLayout {
  std::int64_t num_events = 0;  // N
  std::int64_t first_test = 0;  // the test partition is [first_test, N)
  std::int64_t num_test() const { return num_events - first_test; }
  // "events 801–1000 of 1000 (the test partition)", 1-based for readers.
  std::string Describe() const;
};

// The test partition of an events file with N events, as `goldmine augment`
// and `goldmine fisher sally` define it (default fractions).
HeldOutLayout TestPartitionOf(std::int64_t num_events);

// Writes `output`: the events of `events` in the test partition first, then
// the others, both in file order, weights and sampling benchmarks unchanged,
// with the original sample summary. Returns the layout. Throws
// InternalError if `goldmine limits --test-split 0.8` would not fill its
// templates with exactly the test partition.
HeldOutLayout WriteTestPartitionFirst(const std::filesystem::path& events,
                                      const std::filesystem::path& output);

// Writes `output`: the first min(max_events, N_test) events of the test
// partition of `events`, in file order, with their weights multiplied by
// N / (events written), so that the file's weights still sum to σ (the
// events are an unweighted-order subset of an iid sample). The MEM stage
// integrates these events and compares every method on them (docs/run.md).
// Returns the number of events written.
std::int64_t WriteTestSubset(const std::filesystem::path& events,
                             const std::filesystem::path& output,
                             std::int64_t max_events);

}  // namespace goldmine::pipeline
