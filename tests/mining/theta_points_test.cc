// ThetaPoints (goldmine/mining/augmenter.h), the parameter points of --theta
// specifications, without an events file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/mining/augmenter.h"

namespace goldmine::mining {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// n points with two parameters and one nuisance parameter.
ThetaPoints TwoParameterPoints(std::initializer_list<double> values,
                               std::vector<int> benchmarks) {
  ThetaPoints points;
  const Eigen::Index n = static_cast<Eigen::Index>(benchmarks.size());
  points.thetas.resize(n, 2);
  points.nus = Eigen::MatrixXd::Zero(n, 1);
  auto value = values.begin();
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index p = 0; p < 2; ++p) points.thetas(i, p) = *value++;
    points.nus(i, 0) = 0.5 * static_cast<double>(i + 1);
  }
  points.benchmarks = std::move(benchmarks);
  return points;
}

TEST(ThetaPoints, AppendKeepsThePointsInOrder) {
  ThetaPoints points = TwoParameterPoints({1.0, 2.0}, {0});
  points.Append(TwoParameterPoints({3.0, 4.0, 5.0, 6.0}, {-1, 2}));
  ASSERT_EQ(points.size(), 3);
  Eigen::MatrixXd thetas(3, 2);
  thetas << 1.0, 2.0, 3.0, 4.0, 5.0, 6.0;
  EXPECT_EQ(points.thetas, thetas);
  Eigen::MatrixXd nus(3, 1);
  nus << 0.5, 0.5, 1.0;
  EXPECT_EQ(points.nus, nus);
  EXPECT_THAT(points.benchmarks, ElementsAre(0, -1, 2));
}

TEST(ThetaPoints, AppendToNoPointsTakesTheWidthsOfTheOthers) {
  ThetaPoints points;
  points.Append(TwoParameterPoints({7.0, 8.0}, {-1}));
  ASSERT_EQ(points.size(), 1);
  EXPECT_EQ(points.thetas.cols(), 2);
  EXPECT_EQ(points.nus.cols(), 1);
  EXPECT_EQ(points.thetas(0, 1), 8.0);
  EXPECT_THAT(points.benchmarks, ElementsAre(-1));
}

TEST(ThetaPoints, AppendingNoPointsChangesNothing) {
  ThetaPoints points = TwoParameterPoints({1.0, 2.0}, {0});
  points.Append(TwoParameterPoints({}, {}));
  ASSERT_EQ(points.size(), 1);
  EXPECT_EQ(points.thetas(0, 0), 1.0);
  EXPECT_THAT(points.benchmarks, ElementsAre(0));
}

TEST(ThetaPoints, AppendRejectsPointsWithOtherParameters) {
  ThetaPoints points = TwoParameterPoints({1.0, 2.0}, {0});
  ThetaPoints three;
  three.thetas = Eigen::MatrixXd::Zero(1, 3);
  three.nus = Eigen::MatrixXd::Zero(1, 1);
  three.benchmarks = {-1};
  EXPECT_THAT(
      [&] { points.Append(three); },
      ::testing::ThrowsMessage<InvalidInput>(HasSubstr(
          "points with 3 parameters and 1 nuisance parameters appended to "
          "points with 2 and 1")));
  EXPECT_EQ(points.size(), 1);
}

}  // namespace
}  // namespace goldmine::mining
