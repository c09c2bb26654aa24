// The shards of one `goldmine augment --shard I/N` run joined into the
// samples file a single run writes (issue 19; docs/scale_out.md). Samples are
// drawn in blocks with their own random streams (augmenter.h,
// kSampleBlockSize) and a shard is a contiguous range of blocks, so the
// shards, concatenated in shard order, are the unsharded sample row for row.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace goldmine::mining {

// True when `path` is a goldmine samples file (HDF5 with a method attribute)
// rather than an events file; merge uses it to tell its inputs apart.
bool IsSamplesFile(const std::filesystem::path& path);

// Joins the shards, given in any order, into `output` (a temporary name
// renamed when complete; rows streamed, memory flat). Every shard 0..N−1 of the
// same run must be given once: same method, names, partition, seed, θ
// specifications, n_eff and precision. Returns the number of samples
// written. Throws InvalidInput naming the file and what differs or is
// missing; FileFormatError for unreadable parts.
std::int64_t MergeSampleShards(const std::vector<std::filesystem::path>& parts,
                               const std::filesystem::path& output);

}  // namespace goldmine::mining
