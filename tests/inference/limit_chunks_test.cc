// JoinLimitChunks (limits/limit_chunks.h): chunks of a grid joined give the
// whole grid's result bit for bit, whatever order they come in; what cannot
// be joined exactly is refused with a message that says what to do.
#include "goldmine/inference/limits/limit_chunks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;

// A 2-parameter grid of 11 points whose log likelihood is a parabola in θ
// (best fit at point 6) plus a rate term.
LimitResult WholeGrid() {
  LimitResult result;
  result.parameters = {"a", "b"};
  result.all_parameters = {"a", "b"};
  result.dof = 2;
  result.n_observed = 12.5;
  const Eigen::Index points = 11;
  result.grid.resize(points, 2);
  result.log_likelihood_kin.resize(points);
  result.log_likelihood_rate.resize(points);
  for (Eigen::Index i = 0; i < points; ++i) {
    const double a = -1.0 + 0.2 * static_cast<double>(i);
    const double b = 0.1 * static_cast<double>(i % 3);
    result.grid.row(i) << a, b;
    result.log_likelihood_kin(i) = -3.0 * (a - 0.2) * (a - 0.2) - b * b;
    result.log_likelihood_rate(i) = -0.5 * a * a + 0.01 * b;
  }
  result.thetas = result.grid;
  return result;
}

LimitChunk Chunk(const LimitResult& whole, int index, int count) {
  LimitChunk chunk;
  chunk.source = "chunk" + std::to_string(index) + ".json";
  chunk.chunk = {index, count};
  chunk.grid_points = whole.grid.rows();
  const auto [first, end] = ChunkPoints(whole.grid.rows(), chunk.chunk);
  chunk.first_point = first;
  chunk.result = whole;
  chunk.result.grid = whole.grid.middleRows(first, end - first);
  chunk.result.thetas = whole.thetas.middleRows(first, end - first);
  chunk.result.log_likelihood_kin =
      whole.log_likelihood_kin.segment(first, end - first);
  chunk.result.log_likelihood_rate =
      whole.log_likelihood_rate.segment(first, end - first);
  FinishLimitResult(&chunk.result);  // what a chunk run writes
  return chunk;
}

TEST(LimitChunks, ChunksCoverTheGridInNearlyEqualRanges) {
  EXPECT_EQ(ChunkPoints(11, {0, 3}),
            std::make_pair(Eigen::Index{0}, Eigen::Index{3}));
  EXPECT_EQ(ChunkPoints(11, {1, 3}),
            std::make_pair(Eigen::Index{3}, Eigen::Index{7}));
  EXPECT_EQ(ChunkPoints(11, {2, 3}),
            std::make_pair(Eigen::Index{7}, Eigen::Index{11}));
  EXPECT_THROW(ChunkPoints(2, {0, 3}), InvalidInput);
  EXPECT_THROW(ChunkPoints(10, {3, 3}), InvalidInput);
}

TEST(LimitChunks, JoinedChunksAreTheWholeGridBitForBit) {
  LimitResult whole = WholeGrid();
  FinishLimitResult(&whole);
  ASSERT_EQ(whole.best_fit_index, 6);
  EXPECT_EQ(whole.minus_two_delta_log_l(6), 0.0);
  EXPECT_NEAR(
      whole.p_values(0), std::exp(-0.5 * whole.minus_two_delta_log_l(0)), 1e-12)
      << "two degrees of freedom: p = exp(-q/2)";
  std::vector<LimitChunk> chunks = {
      Chunk(whole, 2, 3), Chunk(whole, 0, 3), Chunk(whole, 1, 3)};
  const LimitResult joined = JoinLimitChunks(chunks);
  EXPECT_TRUE(joined.grid == whole.grid);
  EXPECT_TRUE(joined.thetas == whole.thetas);
  EXPECT_TRUE(joined.log_likelihood_kin == whole.log_likelihood_kin);
  EXPECT_TRUE(joined.minus_two_delta_log_l == whole.minus_two_delta_log_l);
  EXPECT_TRUE(joined.p_values == whole.p_values);
  EXPECT_EQ(joined.best_fit_index, whole.best_fit_index);
}

TEST(LimitChunks, IncompleteOrForeignChunksAreRefused) {
  LimitResult whole = WholeGrid();
  auto message = [](std::vector<LimitChunk> chunks) -> std::string {
    try {
      JoinLimitChunks(std::move(chunks));
    } catch (const InvalidInput& error) {
      return error.what();
    }
    return "";
  };
  EXPECT_THAT(message({Chunk(whole, 0, 3), Chunk(whole, 2, 3)}),
              HasSubstr("chunk 1/3 is missing"));
  EXPECT_THAT(
      message({Chunk(whole, 0, 2), Chunk(whole, 0, 2), Chunk(whole, 1, 2)}),
      HasSubstr("are the same chunk"));
  EXPECT_THAT(message({Chunk(whole, 0, 2), Chunk(whole, 1, 3)}),
              HasSubstr("different splits"));
  LimitChunk other = Chunk(whole, 1, 2);
  other.result.dof = 1;
  EXPECT_THAT(message({Chunk(whole, 0, 2), other}),
              HasSubstr("different settings"));
  LimitChunk profiled = Chunk(whole, 1, 2);
  profiled.result.profile_converged.assign(6, true);
  EXPECT_THAT(message({Chunk(whole, 0, 2), profiled}),
              HasSubstr("profiled limits are not joined"));
}

// Chunk 1 found units 4 and 9 not finite on its points; chunk 0 kept them.
// The join cannot subtract what chunk 0 summed, so it names the units to
// leave out everywhere.
TEST(LimitChunks, ChunksThatLeftOutDifferentUnitsNameTheUnion) {
  const LimitResult whole = WholeGrid();
  LimitChunk kept = Chunk(whole, 0, 2);
  kept.dropped_unit_ids = {9};
  LimitChunk dropped = Chunk(whole, 1, 2);
  dropped.dropped_unit_ids = {9, 4};
  try {
    JoinLimitChunks({kept, dropped});
    ADD_FAILURE() << "different units left out";
  } catch (const InvalidInput& error) {
    EXPECT_THAT(error.what(),
                HasSubstr("chunk0.json (chunk 0/2) left out "
                          "units 9 but the chunks together left "
                          "out 4,9"));
    EXPECT_THAT(error.what(), HasSubstr("--drop-units 4,9"));
  }
  kept.dropped_unit_ids = {4, 9};
  EXPECT_EQ(JoinLimitChunks({kept, dropped}).dropped_units, 2);
}

}  // namespace
}  // namespace goldmine::inference
