#include "goldmine/inference/limits/limit_chunks.h"

#include <algorithm>

#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

std::string Name(const LimitChunk& chunk) {
  return chunk.source + " (chunk " + std::to_string(chunk.chunk.index) + "/" +
         std::to_string(chunk.chunk.count) + ")";
}

std::string List(const std::vector<std::int64_t>& ids) {
  std::string list;
  for (const std::int64_t id : ids)
    list += (list.empty() ? "" : ",") + std::to_string(id);
  return list.empty() ? "none" : list;
}

}  // namespace

void FinishLimitResult(LimitResult* result) {
  const Eigen::VectorXd total =
      result->log_likelihood_kin + result->log_likelihood_rate;
  const Eigen::Index num_points = total.size();
  Eigen::Index best = 0;
  for (Eigen::Index i = 1; i < num_points; ++i)
    if (total(i) > total(best)) best = i;
  result->best_fit_index = best;
  result->minus_two_delta_log_l = -2.0 * (total.array() - total(best));
  result->p_values.resize(num_points);
  for (Eigen::Index i = 0; i < num_points; ++i)
    result->p_values(i) =
        WilksPValue(result->minus_two_delta_log_l(i), result->dof);
}

LimitResult JoinLimitChunks(std::vector<LimitChunk> chunks) {
  if (chunks.empty()) throw InvalidInput("no chunks to join");
  std::sort(chunks.begin(),
            chunks.end(),
            [](const LimitChunk& a, const LimitChunk& b) {
              return a.chunk.index < b.chunk.index;
            });
  const LimitChunk& first = chunks.front();
  const int count = first.chunk.count;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const LimitChunk& chunk = chunks[i];
    if (chunk.chunk.count != count) {
      throw InvalidInput(Name(chunk) + " and " + Name(first) +
                         " are chunks of different splits");
    }
    if (i > 0 && chunk.chunk.index == chunks[i - 1].chunk.index) {
      throw InvalidInput(Name(chunk) + " and " + Name(chunks[i - 1]) +
                         " are the same chunk");
    }
  }
  for (int index = 0; index < count; ++index) {
    const bool found =
        std::any_of(chunks.begin(), chunks.end(), [&](const LimitChunk& chunk) {
          return chunk.chunk.index == index;
        });
    if (!found) {
      throw InvalidInput("chunk " + std::to_string(index) + "/" +
                         std::to_string(count) + " is missing");
    }
  }
  Eigen::Index next = 0;
  for (const LimitChunk& chunk : chunks) {
    const auto [begin, end] = ChunkPoints(first.grid_points, chunk.chunk);
    const Eigen::Index rows = chunk.result.grid.rows();
    if (chunk.grid_points != first.grid_points || chunk.first_point != begin ||
        rows != end - begin || begin != next) {
      throw InvalidInput(Name(chunk) + " holds points " +
                         std::to_string(chunk.first_point) + "-" +
                         std::to_string(chunk.first_point + rows) + " of " +
                         std::to_string(chunk.grid_points) + "; expected " +
                         std::to_string(begin) + "-" + std::to_string(end) +
                         " of " + std::to_string(first.grid_points));
    }
    next = end;
    if (chunk.result.parameters != first.result.parameters ||
        chunk.result.all_parameters != first.result.all_parameters ||
        chunk.result.dof != first.result.dof ||
        chunk.result.n_observed != first.result.n_observed) {
      throw InvalidInput(Name(chunk) + " and " + Name(first) +
                         " come from different settings (parameters, "
                         "degrees of freedom or data differ)");
    }
    if (!chunk.result.profile_converged.empty()) {
      throw InvalidInput(Name(chunk) +
                         ": chunks of profiled limits are not joined (each "
                         "profile fit starts from its neighbour's)");
    }
  }
  // The union of the left-out units; exact only if every chunk left out all.
  std::vector<std::int64_t> dropped;
  for (const LimitChunk& chunk : chunks) {
    dropped.insert(dropped.end(),
                   chunk.dropped_unit_ids.begin(),
                   chunk.dropped_unit_ids.end());
  }
  std::sort(dropped.begin(), dropped.end());
  dropped.erase(std::unique(dropped.begin(), dropped.end()), dropped.end());
  for (const LimitChunk& chunk : chunks) {
    std::vector<std::int64_t> own = chunk.dropped_unit_ids;
    std::sort(own.begin(), own.end());
    if (own != dropped) {
      throw InvalidInput(
          Name(chunk) + " left out units " + List(own) +
          " but the chunks together left out " + List(dropped) +
          " (not finite somewhere on the grid): rerun every chunk with "
          "--drop-units " +
          List(dropped));
    }
  }

  // Chunk 0's histogram edges are the single run's: those of the grid's
  // first point.
  LimitResult joined = first.result;
  const Eigen::Index points = first.grid_points;
  joined.grid.resize(points, first.result.grid.cols());
  joined.thetas.resize(points, first.result.thetas.cols());
  joined.log_likelihood_kin.resize(points);
  joined.log_likelihood_rate.resize(points);
  for (const LimitChunk& chunk : chunks) {
    const Eigen::Index rows = chunk.result.grid.rows();
    joined.grid.middleRows(chunk.first_point, rows) = chunk.result.grid;
    joined.thetas.middleRows(chunk.first_point, rows) = chunk.result.thetas;
    joined.log_likelihood_kin.segment(chunk.first_point, rows) =
        chunk.result.log_likelihood_kin;
    joined.log_likelihood_rate.segment(chunk.first_point, rows) =
        chunk.result.log_likelihood_rate;
  }
  joined.dropped_units = static_cast<std::int64_t>(dropped.size());
  joined.dropped_unit_ids = dropped;
  FinishLimitResult(&joined);
  return joined;
}

}  // namespace goldmine::inference
