#include "held_out_events.h"

#include <algorithm>
#include <string>

#include "goldmine/core/errors.h"
#include "goldmine/mining/augmenter.h"
#include "goldmine/mining/madminer_file.h"

namespace goldmine::pipeline {

std::string HeldOutLayout::Describe() const {
  return "events " + std::to_string(first_test + 1) + "–" +
         std::to_string(num_events) + " of " + std::to_string(num_events) +
         " (the test partition, never used for training)";
}

HeldOutLayout TestPartitionOf(std::int64_t num_events) {
  const mining::Partition test =
      mining::MakePartition("test", num_events, mining::AugmenterOptions{});
  return {num_events, test.first};
}

HeldOutLayout WriteTestPartitionFirst(const std::filesystem::path& events,
                                      const std::filesystem::path& output) {
  const mining::MadminerEventsReader reader(events);
  const HeldOutLayout layout = TestPartitionOf(reader.num_events());
  // The events `goldmine limits --test-split 0.8` fills its templates with
  // (inference/limits/asymptotic_limits.h: no validation partition).
  mining::AugmenterOptions limits_partitions;
  limits_partitions.test_split = std::stod(kLimitsTestSplit);
  limits_partitions.validation_split = 0.0;
  const mining::Partition templates =
      mining::MakePartition("train", layout.num_events, limits_partitions);
  if (templates.first != 0 || templates.end != layout.num_test()) {
    throw InternalError("the limits templates would hold events [0, " +
                        std::to_string(templates.end) +
                        ") of the reordered file, not the " +
                        std::to_string(layout.num_test()) + " test events");
  }
  mining::MadminerEventsWriter writer(output, reader.setup());
  constexpr std::int64_t kBatch = 100000;
  auto copy = [&](std::int64_t first, std::int64_t end) {
    mining::MadminerEventBatch batch;
    for (std::int64_t at = first; at < end; at += kBatch) {
      reader.Read(at, std::min(kBatch, end - at), &batch);
      writer.Append(batch);
    }
  };
  copy(layout.first_test, layout.num_events);
  copy(0, layout.first_test);
  // The same events: the per-benchmark counts (which `goldmine limits` turns
  // into sampling factors) are the original file's.
  writer.Finish(reader.sample_summary());
  return layout;
}

std::int64_t WriteTestSubset(const std::filesystem::path& events,
                             const std::filesystem::path& output,
                             std::int64_t max_events) {
  const mining::MadminerEventsReader reader(events);
  const HeldOutLayout layout = TestPartitionOf(reader.num_events());
  const std::int64_t count = std::min(max_events, layout.num_test());
  if (count < 1) {
    throw InvalidInput(events.string() + ": the test partition is empty");
  }
  mining::MadminerEventBatch batch;
  reader.Read(layout.first_test, count, &batch);
  batch.weights *=
      static_cast<double>(layout.num_events) / static_cast<double>(count);
  mining::MadminerEventsWriter writer(output, reader.setup());
  writer.Append(batch);
  writer.Finish(mining::MadminerSampleSummary::Count(
      batch.sampling_benchmarks, reader.setup().benchmarks.num_physics()));
  return count;
}

}  // namespace goldmine::pipeline
