// The file of `goldmine limits --chunk I/N` and its reading by `limits
// --join` (inference/limits/limit_chunks.h joins them): the chunk's points,
// their log likelihoods, the units it left out, and the limits command it
// came from, so that chunks of another run are refused.
#pragma once

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "goldmine/inference/limits/limit_chunks.h"

namespace goldmine::cli {

// The options of a limits command that decide its numbers, as one line:
// every option but --chunk, --join, --drop-units, --output, --csv and
// --threads, with its value (defaults included).
std::string LimitsRunKey(const boost::program_options::variables_map& values);

nlohmann::ordered_json LimitChunkJson(const inference::LimitResult& result,
                                      const inference::GridChunk& chunk,
                                      Eigen::Index grid_points,
                                      const std::string& run_key);

// Reads a chunk file; throws InvalidInput naming the file and key when it is
// not a chunk, or is a chunk of a run whose key differs from `run_key`.
inference::LimitChunk ReadLimitChunk(const std::string& path,
                                     const std::string& run_key);

}  // namespace goldmine::cli
