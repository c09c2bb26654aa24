// Limit grids in chunks (issue 19; docs/scale_out.md): `goldmine limits
// --chunk I/N` evaluates the I-th of N contiguous ranges of the grid's
// points, and `--join` puts the chunks together into the result of one run.
//
// What makes the join exact: every point's log likelihood is a sum over units
// (bins or events) in a fixed order, whoever computes it; the best fit,
// −2Δ ln L and p-values are then computed once over the whole grid. Units
// whose log likelihood is not finite somewhere on the grid are left out
// everywhere (MadMiner's _clean_nans), which one chunk cannot see for the
// others: each chunk records the units it left out, and the join refuses
// chunks that left out different units, naming the union to pass to every
// chunk with --drop-units.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/inference/limits/asymptotic_limits.h"

namespace goldmine::inference {

// One chunk as written by `limits --chunk`: its points' rows of a
// LimitResult, and where they sit in the whole grid.
struct LimitChunk {
  std::string source;  // file name, for messages
  GridChunk chunk;
  Eigen::Index first_point = 0;
  Eigen::Index grid_points = 0;  // of the whole grid
  LimitResult result;            // rows of this chunk only
  std::vector<std::int64_t> dropped_unit_ids;
};

// The whole grid's result from its chunks (in any order). Throws
// InvalidInput, naming the files, when a chunk is missing or repeated, when
// chunks come from grids of different sizes or other settings (parameters,
// dof, data), for profiled limits, or when they left out different units
// (the message names the union for --drop-units). The other settings are
// the caller's to compare (`limits --join` compares the command lines).
LimitResult JoinLimitChunks(std::vector<LimitChunk> chunks);

// Best fit, −2Δ ln L and Wilks p-values of a result whose per-point log
// likelihoods (kinematic and rate terms) and dof are filled.
void FinishLimitResult(LimitResult* result);

}  // namespace goldmine::inference
