#include "goldmine/mining/sample_shards.h"

#include <hdf5.h>

#include <algorithm>
#include <string>

#include "goldmine/core/errors.h"
#include "goldmine/mining/sample_file.h"

namespace goldmine::mining {

namespace {

constexpr std::int64_t kRowsPerCopy = 65536;

std::string ShardText(const SampleData& header) {
  return std::to_string(header.shard) + "/" + std::to_string(header.num_shards);
}

// The first header field in which `part` differs from `first`, or "".
std::string Difference(const SampleData& first, const SampleData& part) {
  if (part.method != first.method) return "method";
  if (part.parameters != first.parameters) return "parameters";
  if (part.nuisance_parameters != first.nuisance_parameters) {
    return "nuisance_parameters";
  }
  if (part.observables != first.observables) return "observables";
  if (part.partition != first.partition) return "partition";
  if (part.seed != first.seed) return "seed";
  if (part.theta_specs != first.theta_specs) return "theta_specs";
  if (part.num_shards != first.num_shards) return "shard count";
  // n_eff is a property of the whole sample, computed identically by every
  // shard: bit equality is the right test.
  if (part.n_eff != first.n_eff) return "n_eff";
  return "";
}

}  // namespace

bool IsSamplesFile(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return false;
  if (H5Fis_hdf5(path.string().c_str()) <= 0) return false;
  try {
    SampleFileReader reader(path);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::int64_t MergeSampleShards(const std::vector<std::filesystem::path>& parts,
                               const std::filesystem::path& output) {
  if (parts.empty()) throw InvalidInput("merge: no samples files given");
  std::vector<SampleFileReader> readers;
  readers.reserve(parts.size());
  for (const auto& part : parts) readers.emplace_back(part);
  const SampleData& first = readers.front().header();
  const std::string first_name = parts.front().string();
  if (first.num_shards < 2) {
    throw InvalidInput(first_name +
                       ": not a shard (no shard attribute); expected the "
                       "files of one `goldmine augment --shard I/N` run");
  }
  std::vector<const SampleFileReader*> by_shard(
      static_cast<std::size_t>(first.num_shards), nullptr);
  for (std::size_t i = 0; i < readers.size(); ++i) {
    const SampleData& header = readers[i].header();
    const std::string name = parts[i].string();
    const std::string differs = Difference(first, header);
    if (!differs.empty()) {
      throw InvalidInput(name + ": " + differs + " differs from " + first_name +
                         "; expected shards of one augment run");
    }
    if (readers[i].double_precision() != readers.front().double_precision()) {
      throw InvalidInput(name + ": precision differs from " + first_name +
                         " (float32 and float64 shards)");
    }
    auto& slot = by_shard[static_cast<std::size_t>(header.shard)];
    if (slot != nullptr) {
      throw InvalidInput(name + ": shard " + ShardText(header) +
                         " is given twice");
    }
    slot = &readers[i];
  }
  for (std::size_t shard = 0; shard < by_shard.size(); ++shard) {
    if (by_shard[shard] == nullptr) {
      throw InvalidInput("merge: shard " + std::to_string(shard) + "/" +
                         std::to_string(by_shard.size()) +
                         " is missing; every shard must be given once");
    }
  }
  SampleData header = first;
  header.shard = 0;
  header.num_shards = 1;
  SampleFileOptions options;
  options.double_precision = readers.front().double_precision();
  SampleFileWriter writer(output, header, options);
  for (const SampleFileReader* reader : by_shard) {
    for (std::int64_t row = 0; row < reader->num_samples();
         row += kRowsPerCopy) {
      writer.Append(reader->Read(
          row, std::min(kRowsPerCopy, reader->num_samples() - row)));
    }
  }
  const std::int64_t written = writer.num_samples();
  writer.Finish();
  return written;
}

}  // namespace goldmine::mining
