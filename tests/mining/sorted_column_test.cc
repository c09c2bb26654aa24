// SortedColumn against a plain in-memory weighted quantile (the rule of
// MadMiner's FisherInformation as goldmine computed it before issue 20: one
// stable sort of the whole column, std::upper_bound, numpy.interp). Spilling
// runs to scratch files must change nothing, bit for bit, also with ties,
// NaN values and negative weights.
#include "goldmine/mining/sorted_column.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/mining/histogram_bins.h"

namespace goldmine::mining {
namespace {

struct Column {
  std::vector<double> values;
  std::vector<double> weights;
};

// The positions of the values that are not NaN, sorted stably by value, and
// the total of their weights in the order added.
std::vector<std::size_t> StableOrder(const Column& column, double* total) {
  std::vector<std::size_t> order;
  *total = 0.0;
  for (std::size_t i = 0; i < column.values.size(); ++i) {
    if (std::isnan(column.values[i])) continue;
    order.push_back(i);
    *total += column.weights[i];
  }
  std::stable_sort(
      order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return column.values[a] < column.values[b];
      });
  return order;
}

// The reference: everything in memory, as in the MadMiner comparison tests.
std::vector<double> ReferenceBoundaries(const Column& column, int num_bins) {
  double total = 0.0;
  const std::vector<std::size_t> order = StableOrder(column, &total);
  std::vector<double> sorted;
  std::vector<double> cumulative;
  double sum = 0.0;
  for (std::size_t i : order) {
    sum += column.weights[i];
    cumulative.push_back((sum - 0.5 * column.weights[i]) / total);
    sorted.push_back(column.values[i]);
  }
  std::vector<double> boundaries;
  for (int k = 1; k < num_bins; ++k) {
    const double q = static_cast<double>(k) / num_bins;
    if (q <= cumulative.front()) {
      boundaries.push_back(sorted.front());
    } else if (q >= cumulative.back()) {
      boundaries.push_back(sorted.back());
    } else {
      const auto upper = static_cast<std::size_t>(
          std::upper_bound(cumulative.begin(), cumulative.end(), q) -
          cumulative.begin());
      const std::size_t lower = upper - 1;
      const double t =
          (q - cumulative[lower]) / (cumulative[upper] - cumulative[lower]);
      boundaries.push_back(sorted[lower] + t * (sorted[upper] - sorted[lower]));
    }
  }
  return boundaries;
}

// n values: a quarter of them on 20 repeated values (ties), some NaN, and
// with `negative` a fraction of negative weights (non-monotonic sums).
Column MakeColumn(std::size_t n, bool negative, unsigned seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> normal(1.0, 2.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Column column;
  for (std::size_t i = 0; i < n; ++i) {
    double value = normal(random);
    if (i % 4 == 1) value = std::round(value * 3.0);
    if (i % 97 == 5) value = std::nan("");
    double weight = 0.1 + uniform(random);
    if (negative && i % 5 == 2) weight = -0.6 * weight;
    column.values.push_back(value);
    column.weights.push_back(weight);
  }
  return column;
}

void Fill(const Column& column, SortedColumn* sorted) {
  for (std::size_t i = 0; i < column.values.size(); ++i)
    sorted->Add(column.values[i], column.weights[i]);
  sorted->Finish();
}

TEST(SortedColumn, QuantilesEqualTheInMemoryRuleBitForBitWhateverTheRuns) {
  for (const bool negative : {false, true}) {
    const Column column = MakeColumn(20000, negative, negative ? 7 : 3);
    for (const int num_bins : {2, 7, 25}) {
      const std::vector<double> expected =
          ReferenceBoundaries(column, num_bins);
      ASSERT_EQ(expected.size(), static_cast<std::size_t>(num_bins - 1));
      for (const std::size_t run_size : {std::size_t{1},
                                         std::size_t{7},
                                         std::size_t{1000},
                                         SortedColumn::kDefaultRunSize}) {
        SortedColumn sorted(run_size);
        Fill(column, &sorted);
        EXPECT_EQ(sorted.external(), run_size < 20000) << run_size;
        EXPECT_EQ(QuantileBoundaries(sorted, num_bins), expected)
            << "run size " << run_size << ", " << num_bins << " bins"
            << (negative ? ", negative weights" : "");
      }
    }
  }
}

TEST(SortedColumn, ReadsTheStableOrderAndTheRunningSums) {
  const Column column = MakeColumn(5003, true, 11);
  SortedColumn in_memory;
  Fill(column, &in_memory);
  SortedColumn spilled(64);
  Fill(column, &spilled);
  ASSERT_TRUE(spilled.external());
  ASSERT_FALSE(in_memory.external());
  // The reference order and sums, from the column directly.
  double total = 0.0;
  const std::vector<std::size_t> order = StableOrder(column, &total);
  ASSERT_EQ(spilled.size(), order.size());
  ASSERT_EQ(in_memory.size(), order.size());
  EXPECT_EQ(spilled.total(), total);
  EXPECT_EQ(in_memory.total(), total);
  double sum = 0.0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const double weight = column.weights[order[i]];
    sum += weight;
    EXPECT_EQ(spilled.value(i), column.values[order[i]]) << i;
    EXPECT_EQ(spilled.midpoint_sum(i), sum - 0.5 * weight) << i;
    EXPECT_EQ(in_memory.value(i), column.values[order[i]]) << i;
    EXPECT_EQ(in_memory.midpoint_sum(i), sum - 0.5 * weight) << i;
  }
}

TEST(SortedColumn, AnAllNanOrEmptyColumnHasNoBoundaries) {
  SortedColumn empty(4);
  empty.Finish();
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_TRUE(QuantileBoundaries(empty, 5).empty());
  SortedColumn nan(4);
  for (int i = 0; i < 10; ++i) nan.Add(std::nan(""), 1.0);
  nan.Finish();
  EXPECT_EQ(nan.size(), 0u);
  EXPECT_TRUE(QuantileBoundaries(nan, 5).empty());
}

TEST(SortedColumn, WeightsSummingToZeroHaveNoQuantiles) {
  // Fractions of a zero or undefined total are undefined: a named error,
  // not an edge read from past the column's end.
  for (const double last : {-3.0, std::nan("")}) {
    SortedColumn sorted(2);
    sorted.Add(1.0, 1.0);
    sorted.Add(2.0, 2.0);
    sorted.Add(3.0, last);
    sorted.Finish();
    EXPECT_THROW(
        {
          try {
            QuantileBoundaries(sorted, 2);
          } catch (const InvalidInput& error) {
            EXPECT_NE(std::string(error.what()).find("total weight"),
                      std::string::npos)
                << error.what();
            throw;
          }
        },
        InvalidInput);
  }
}

TEST(SortedColumn, AScratchFolderThatCannotBeWrittenIsNamed) {
  const char* before = std::getenv("TMPDIR");
  const std::string saved = before != nullptr ? before : "";
  setenv("TMPDIR", "/nonexistent/goldmine-scratch", 1);
  SortedColumn sorted(2);
  try {
    for (int i = 0; i < 5; ++i) sorted.Add(i, 1.0);
    sorted.Finish();
    ADD_FAILURE() << "no error without a scratch folder";
  } catch (const InvalidInput& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/goldmine-scratch"),
              std::string::npos)
        << error.what();
  }
  if (before != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
}

TEST(SortedColumn, EqualValuesKeepTheOrderTheyWereAddedAcrossRuns) {
  // Every value equal: the order is the order added, so the running sums
  // are the prefix sums of the weights as added, through three runs.
  SortedColumn sorted(3);
  const std::vector<double> weights = {1, 2, 3, 4, 5, 6, 7, 8};
  for (double weight : weights) sorted.Add(0.5, weight);
  sorted.Finish();
  double sum = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    sum += weights[i];
    EXPECT_EQ(sorted.midpoint_sum(i), sum - 0.5 * weights[i]) << i;
  }
}

}  // namespace
}  // namespace goldmine::mining
