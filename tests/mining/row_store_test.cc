// mining::RowStore: rows appended once come back in order, chunk by chunk,
// as often as asked and from several threads at once.
#include "goldmine/mining/row_store.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "goldmine/core/errors.h"

namespace goldmine::mining {
namespace {

double Value(Eigen::Index row, Eigen::Index column) {
  return static_cast<double>(row) * 10.0 + static_cast<double>(column) + 0.25;
}

TEST(RowStore, RowsComeBackInOrderInChunksOfEverySize) {
  RowStore store(3, "test rows");
  const Eigen::Index rows = 1000;
  for (Eigen::Index r = 0; r < rows; ++r) {
    const double row[3] = {Value(r, 0), Value(r, 1), Value(r, 2)};
    store.Append(row);
  }
  store.Finish();
  EXPECT_EQ(store.rows(), rows);
  EXPECT_EQ(store.width(), 3);
  for (const Eigen::Index chunk : {1, 7, 999, 1000, 4096}) {
    Eigen::Index expected_first = 0;
    store.ForEachChunk(
        chunk, [&](Eigen::Index first, const RowStore::Chunk& rows_read) {
          ASSERT_EQ(first, expected_first) << chunk;
          ASSERT_LE(rows_read.rows(), chunk);
          ASSERT_EQ(rows_read.cols(), 3);
          for (Eigen::Index r = 0; r < rows_read.rows(); ++r)
            for (Eigen::Index c = 0; c < 3; ++c)
              ASSERT_EQ(rows_read(r, c), Value(first + r, c));
          expected_first += rows_read.rows();
        });
    EXPECT_EQ(expected_first, rows) << chunk;
  }
}

TEST(RowStore, SeveralThreadsReadAtOnce) {
  RowStore store(2, "test rows");
  for (Eigen::Index r = 0; r < 50000; ++r) {
    const double row[2] = {Value(r, 0), Value(r, 1)};
    store.Append(row);
  }
  store.Finish();
  std::vector<double> sums(4, 0.0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < sums.size(); ++t) {
    threads.emplace_back([&, t] {
      store.ForEachChunk(1000 + static_cast<Eigen::Index>(t),
                         [&](Eigen::Index, const RowStore::Chunk& rows) {
                           sums[t] += rows.sum();
                         });
    });
  }
  for (std::thread& thread : threads) thread.join();
  double expected = 0.0;
  for (Eigen::Index r = 0; r < 50000; ++r)
    expected += Value(r, 0) + Value(r, 1);
  for (const double sum : sums) EXPECT_NEAR(sum, expected, 1e-9 * expected);
}

TEST(RowStore, AnEmptyStoreVisitsNothingAndMisuseIsAnError) {
  RowStore empty(4, "test rows");
  empty.Finish();
  int visits = 0;
  empty.ForEachChunk(10,
                     [&](Eigen::Index, const RowStore::Chunk&) { ++visits; });
  EXPECT_EQ(visits, 0);

  RowStore store(1, "test rows");
  const double one = 1.0;
  store.Append(&one);
  EXPECT_THROW(
      store.ForEachChunk(1, [](Eigen::Index, const RowStore::Chunk&) {}),
      InvalidInput);
  store.Finish();
  EXPECT_THROW(store.Append(&one), InvalidInput);
  EXPECT_THROW(
      store.ForEachChunk(0, [](Eigen::Index, const RowStore::Chunk&) {}),
      InvalidInput);
}

}  // namespace
}  // namespace goldmine::mining
