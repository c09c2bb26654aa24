// The pieces of streamed sampling (issue 20): the ascending uniforms, the
// slot permutation, the drawn rows handed back in slot order, and
// WeightedEvents::Draw against the exact probabilities max(w_e, 0)/Σ.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "ascending_uniforms.h"
#include "drawn_rows.h"
#include "goldmine/mining/augmenter.h"
#include "slot_permutation.h"
#include "support/reference_data.h"
#include "weighted_events.h"

namespace goldmine::mining {
namespace {

TEST(SlotPermutation, IsABijectionForEverySize) {
  for (const std::uint64_t size : {1ULL,
                                   2ULL,
                                   3ULL,
                                   4ULL,
                                   5ULL,
                                   15ULL,
                                   16ULL,
                                   17ULL,
                                   1000ULL,
                                   4097ULL,
                                   65537ULL}) {
    for (const std::uint64_t seed : {0ULL, 1ULL, 12345ULL}) {
      const SlotPermutation permutation(size, seed);
      std::vector<char> hit(size, 0);
      for (std::uint64_t i = 0; i < size; ++i) {
        const std::uint64_t slot = permutation(i);
        ASSERT_LT(slot, size);
        ASSERT_EQ(hit[slot], 0)
            << "size " << size << ": slot " << slot << " twice";
        hit[slot] = 1;
      }
    }
  }
}

// χ² of counts against equal expectations.
double ChiSquare(const std::vector<double>& counts) {
  double total = 0.0;
  for (const double count : counts) total += count;
  const double expected = total / static_cast<double>(counts.size());
  double chi2 = 0.0;
  for (const double count : counts) {
    chi2 += (count - expected) * (count - expected) / expected;
  }
  return chi2;
}

TEST(SlotPermutation, SpreadsEveryIndexUniformly) {
  // Over 40000 seeds, where two indices land: 10 slots (the table) and 5000
  // slots in 50 bins of 100 (the Feistel network).
  for (const std::uint64_t size : {10ULL, 5000ULL}) {
    const std::size_t bins = size == 10 ? 10 : 50;
    std::vector<double> first(bins, 0.0);
    std::vector<double> later(bins, 0.0);
    for (std::uint64_t seed = 0; seed < 40000; ++seed) {
      const SlotPermutation permutation(size, seed);
      first[permutation(0) * bins / size] += 1.0;
      later[permutation(size * 7 / 10) * bins / size] += 1.0;
    }
    // 9 (49) degrees of freedom: 40 (100) is beyond p = 1e-5.
    const double limit = bins == 10 ? 40.0 : 100.0;
    EXPECT_LT(ChiSquare(first), limit) << size << " slots, index 0";
    EXPECT_LT(ChiSquare(later), limit) << size << " slots, a later index";
  }
}

TEST(SlotPermutation, KeepsNoTraceOfTheOrderOfTheIndices) {
  // 10^6 slots: the slots of the first 1 % of indices (the smallest
  // uniforms, the first events) spread over all slots, and neighbouring
  // indices land as far apart as in a random permutation (E|U − V| = 1/3).
  const std::uint64_t size = 1000000;
  const SlotPermutation permutation(size, 99);
  std::vector<double> bins(100, 0.0);
  for (std::uint64_t i = 0; i < size / 100; ++i) {
    bins[permutation(i) * 100 / size] += 1.0;
  }
  // 99 degrees of freedom: 175 is beyond p = 1e-8.
  EXPECT_LT(ChiSquare(bins), 175.0);
  double distance = 0.0;
  const std::uint64_t pairs = 100000;
  for (std::uint64_t i = 0; i < pairs; ++i) {
    const double a = static_cast<double>(permutation(i));
    const double b = static_cast<double>(permutation(i + 1));
    distance += std::abs(a - b) / static_cast<double>(size);
  }
  // The standard deviation of |U − V| is √2/6: 5 standard errors.
  const double error =
      std::sqrt(2.0) / 6.0 / std::sqrt(static_cast<double>(pairs));
  EXPECT_NEAR(distance / static_cast<double>(pairs), 1.0 / 3.0, 5.0 * error);
}

TEST(AscendingUniforms, AreSortedInTheUnitInterval) {
  AscendingUniforms uniforms(100000, 3);
  double previous = 0.0;
  std::int64_t count = 0;
  for (; !uniforms.done(); uniforms.Next(), ++count) {
    ASSERT_EQ(uniforms.rank(), count);
    ASSERT_GE(uniforms.value(), previous);
    ASSERT_LT(uniforms.value(), 1.0);
    previous = uniforms.value();
  }
  EXPECT_EQ(count, 100000);
  EXPECT_TRUE(AscendingUniforms(0, 3).done());
}

TEST(AscendingUniforms, FollowTheOrderStatisticsOfUniforms) {
  // One stream of 10^5 values is a sorted uniform sample: its empirical CDF
  // stays within the Kolmogorov–Smirnov bound 1.95/√n (p = 0.001).
  {
    const std::int64_t n = 100000;
    AscendingUniforms uniforms(n, 17);
    double distance = 0.0;
    for (; !uniforms.done(); uniforms.Next()) {
      const double u = uniforms.value();
      const double k = static_cast<double>(uniforms.rank());
      distance = std::max({distance,
                           std::abs((k + 1.0) / static_cast<double>(n) - u),
                           std::abs(k / static_cast<double>(n) - u)});
    }
    EXPECT_LT(distance, 1.95 / std::sqrt(static_cast<double>(n)));
  }
  // Over 20000 streams of 5 values, U_(k) has mean k/6 and variance
  // k (6 − k)/(36 · 7): within 5 standard errors.
  constexpr int kStreams = 20000;
  std::vector<double> sum(5, 0.0);
  for (int seed = 0; seed < kStreams; ++seed) {
    AscendingUniforms uniforms(5, static_cast<std::uint64_t>(seed) + 100);
    for (; !uniforms.done(); uniforms.Next()) {
      sum[static_cast<std::size_t>(uniforms.rank())] += uniforms.value();
    }
  }
  for (int k = 1; k <= 5; ++k) {
    const double mean = sum[static_cast<std::size_t>(k - 1)] / kStreams;
    const double sd = std::sqrt(k * (6.0 - k) / (36.0 * 7.0) / kStreams);
    EXPECT_NEAR(mean, k / 6.0, 5.0 * sd) << "U_(" << k << ")";
  }
}

// With helper threads, and without (a process with one core).
class DrawnRowsThreads : public ::testing::TestWithParam<bool> {};
INSTANTIATE_TEST_SUITE_P(Threads,
                         DrawnRowsThreads,
                         ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "OnThreads" : "OneThread";
                         });

TEST_P(DrawnRowsThreads, HandsBackEveryRowInSlotOrderAcrossSpills) {
  // 10^4 slots from 250 on, pieces of 7 or 999, buffers of 5 rows: most rows
  // go through the scratch file, and every slot at a piece boundary tests
  // the division by the piece size (a reciprocal, corrected by one). Rows
  // come in a scrambled order.
  const std::int64_t first = 250;
  const std::int64_t end = 10250;
  for (const std::int64_t piece :
       {std::int64_t{7}, std::int64_t{999}, std::int64_t{20000}}) {
    DrawnRows rows(first, end, piece, 2, 3, 5 * 6 * sizeof(double), GetParam());
    const SlotPermutation scramble(end - first, 4);
    for (std::int64_t i = 0; i < end - first; ++i) {
      const auto slot = first + static_cast<std::int64_t>(
                                    scramble(static_cast<std::uint64_t>(i)));
      const double s = static_cast<double>(slot);
      rows.Add(
          slot, Eigen::RowVector2d(s, -s), Eigen::RowVector3d(s, 2 * s, 3 * s));
    }
    std::int64_t next = first;
    rows.ForEachPiece([&](std::int64_t piece_first,
                          Eigen::MatrixXd& x,
                          Eigen::MatrixXd& weights) {
      ASSERT_EQ(piece_first, next);
      ASSERT_EQ(x.rows(), std::min(piece, end - piece_first));
      ASSERT_EQ(weights.rows(), x.rows());
      for (Eigen::Index r = 0; r < x.rows(); ++r) {
        const auto s = static_cast<double>(piece_first + r);
        ASSERT_EQ(x(r, 0), s);
        ASSERT_EQ(x(r, 1), -s);
        ASSERT_EQ(weights(r, 2), 3 * s);
      }
      next += x.rows();
    });
    EXPECT_EQ(next, end);
  }
}

TEST(DrawnRows, AMissingRowIsAnError) {
  DrawnRows rows(0, 20, 10, 1, 1, 64);
  for (std::int64_t slot = 0; slot < 19; ++slot) {
    rows.Add(slot, Eigen::RowVectorXd::Zero(1), Eigen::RowVectorXd::Zero(1));
  }
  EXPECT_THROW(rows.ForEachPiece(
                   [](std::int64_t, Eigen::MatrixXd&, Eigen::MatrixXd&) {}),
               InvalidInput);
}

// WeightedEvents::Draw on MadMiner's toy (12000 train events): the counts
// of the drawn events against n max(w_e, 0)/Σ max(w, 0) for a model with
// negative weights, in all slots, in each half and in the first 5 %; and a
// shard drawn in other pieces gives the same rows.
class DrawTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::FindReference("madminer/toy_events.h5");
    if (path_.empty()) {
      GTEST_SKIP() << "reference data ../shared/reference/madminer absent; "
                      "skipping";
    }
  }

  // The rows of slots [first, end) of a sample of `count` draws.
  Eigen::MatrixXd DrawX(const WeightedEvents& events,
                        const std::vector<PointModel>& models,
                        const Partition& partition,
                        std::int64_t count,
                        std::int64_t first,
                        std::int64_t end,
                        std::int64_t piece) const {
    DrawPlan plan;
    plan.slots.resize(1);
    plan.slots[0].count = count;
    plan.slots[0].run = count;
    plan.first = first;
    plan.end = end;
    plan.piece_slots = piece;
    plan.seed = 21;
    Eigen::MatrixXd all(end - first, events.setup().num_observables());
    Eigen::Index row = 0;
    events.Draw(models,
                plan,
                partition,
                [&](std::int64_t slot, Eigen::MatrixXd& x, Eigen::MatrixXd&) {
                  EXPECT_EQ(slot, first + row);
                  all.middleRows(row, x.rows()) = x;
                  row += x.rows();
                });
    EXPECT_EQ(row, end - first);
    return all;
  }

  std::filesystem::path path_;
};

TEST_F(DrawTest, CountsFollowThePositiveWeights) {
  const WeightedEvents events(path_, 3000);  // several batches
  const AugmenterOptions options;
  const Partition partition =
      MakePartition("train", events.num_events(), options);
  // The toy's weights are |M(θ)|² ≥ 0 at every θ. A model that weighs
  // benchmark 0 minus c times benchmark 1, with c the median ratio of the
  // two, has negative weights for half of the events.
  std::vector<double> ratios;
  events.ForEachBatch(
      partition.first,
      partition.end,
      [&](const MadminerEventBatch& batch, std::int64_t) {
        for (Eigen::Index e = 0; e < batch.size(); ++e) {
          ratios.push_back(batch.weights(e, 0) / batch.weights(e, 1));
        }
      });
  std::nth_element(
      ratios.begin(),
      ratios.begin() + static_cast<std::ptrdiff_t>(ratios.size() / 2),
      ratios.end());
  PointModel model = events.Model(Eigen::VectorXd::Zero(2),
                                  Eigen::VectorXd::Zero(events.num_nuisance()),
                                  -1,
                                  false);
  model.w.setZero();
  model.w(0) = 1.0;
  model.w(1) = -ratios[ratios.size() / 2];
  std::vector<PointModel> models{model};
  events.Sums(models, partition);

  // The exact probabilities, and the events by their first two observables.
  std::vector<double> probability;
  std::map<std::pair<double, double>, std::size_t> event_of;
  int negative = 0;
  events.ForEachBatch(
      partition.first,
      partition.end,
      [&](const MadminerEventBatch& batch, std::int64_t) {
        for (Eigen::Index e = 0; e < batch.size(); ++e) {
          const double w =
              events.Weight(model, batch.weights.row(e)) *
              events.EventFactor(
                  model,
                  batch.sampling_benchmarks[static_cast<std::size_t>(e)]);
          negative += w < 0.0 ? 1 : 0;
          event_of[{batch.observations(e, 0), batch.observations(e, 1)}] =
              probability.size();
          probability.push_back(std::max(w, 0.0));
        }
      });
  ASSERT_EQ(event_of.size(), probability.size()) << "observables repeat";
  ASSERT_GT(negative, 1000) << "the test model needs negative weights";
  ASSERT_LT(negative + 1000, static_cast<int>(probability.size()))
      << "and positive ones";
  double total = 0.0;
  for (const double p : probability) total += p;
  for (double& p : probability) p /= total;

  const std::int64_t n = 400000;
  const Eigen::MatrixXd drawn =
      DrawX(events, models, partition, n, 0, n, 70000);
  // χ² of the counts in 100 groups of consecutive events, for the first and
  // the second half of the slots (the slot permutation must not sort the
  // draws by event) and for all.
  constexpr std::size_t kGroups = 100;
  const std::size_t per_group = (probability.size() + kGroups - 1) / kGroups;
  auto chi2 = [&](Eigen::Index first, Eigen::Index end) {
    std::vector<double> counts(kGroups, 0.0);
    for (Eigen::Index r = first; r < end; ++r) {
      const auto found = event_of.find({drawn(r, 0), drawn(r, 1)});
      EXPECT_NE(found, event_of.end()) << "row " << r << " is no event";
      if (found == event_of.end()) return 0.0;
      EXPECT_GT(probability[found->second], 0.0)
          << "an event of negative weight was drawn";
      counts[found->second / per_group] += 1.0;
    }
    double value = 0.0;
    for (std::size_t g = 0; g < kGroups; ++g) {
      double p = 0.0;
      for (std::size_t i = g * per_group;
           i < std::min(probability.size(), (g + 1) * per_group);
           ++i) {
        p += probability[i];
      }
      const double expected = p * static_cast<double>(end - first);
      value += (counts[g] - expected) * (counts[g] - expected) / expected;
    }
    return value;
  };
  // 99 degrees of freedom: mean 99, standard deviation 14; 175 is p ≈ 1e-8.
  EXPECT_LT(chi2(0, n), 175.0);
  EXPECT_LT(chi2(0, n / 2), 175.0);
  EXPECT_LT(chi2(n / 2, n), 175.0);
  EXPECT_LT(chi2(0, n / 20), 175.0);

  // A shard [123000, 287000) in other pieces: the same rows.
  const Eigen::MatrixXd shard =
      DrawX(events, models, partition, n, 123000, 287000, 10000);
  EXPECT_TRUE(shard == drawn.middleRows(123000, 287000 - 123000));
}

}  // namespace
}  // namespace goldmine::mining
