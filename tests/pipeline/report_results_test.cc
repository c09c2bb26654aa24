// The report's formulas (pipeline/report_*.h) against independent truths:
// RFC 4648 test vectors, analytic intervals, ellipses and contours, and
// Fisher information of known scores.
#include "goldmine/pipeline/report_results.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/pipeline/report_document.h"
#include "goldmine/pipeline/report_plots.h"

namespace goldmine {
namespace {

using namespace pipeline;

TEST(RunReport, Base64MatchesRfc4648TestVectors) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(HtmlEscaped("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
}

TEST(RunReport, FisherIntervalIsTheInverseDiagonal) {
  // I = [[4, 1], [1, 2]]: (I^-1)_00 = 2/7, (I^-1)_11 = 4/7 (by hand).
  Eigen::Matrix2d information;
  information << 4, 1, 1, 2;
  const Interval a = FisherInterval(information, 0, 1.0, 0.5);
  ASSERT_TRUE(a.bounded);
  EXPECT_NEAR(a.lo, 0.5 - std::sqrt(2.0 / 7.0), 1e-12);
  EXPECT_NEAR(a.hi, 0.5 + std::sqrt(2.0 / 7.0), 1e-12);
  const Interval b = FisherInterval(information, 1, kOneDof95, 0.0);
  EXPECT_NEAR(b.hi, std::sqrt(kOneDof95 * 4.0 / 7.0), 1e-12);
  // A rank-one (rate-only) information constrains no single parameter.
  Eigen::Matrix2d rank_one;
  rank_one << 1, 2, 2, 4;
  EXPECT_FALSE(FisherInterval(rank_one, 0, 1.0, 0.0).bounded);
}

TEST(RunReport, ScanIntervalProfilesAParabola) {
  // f(x, y) = ((x - 0.1)/0.2)^2 + ((y + x)/0.05)^2: profiling y gives
  // ((x - 0.1)/0.2)^2, so the 68% interval is 0.1 ± 0.2 and the 95% one
  // 0.1 ± 0.2 sqrt(3.84).
  const int n = 401;
  Eigen::MatrixXd grid(n * n, 2);
  Eigen::VectorXd values(n * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const double x = -1.0 + 2.0 * i / (n - 1);
      const double y = -1.0 + 2.0 * j / (n - 1);
      grid.row(i * n + j) << x, y;
      values(i * n + j) =
          std::pow((x - 0.1) / 0.2, 2) + std::pow((y + x) / 0.05, 2);
    }
  }
  const Interval one = ScanInterval(grid, values, 0, kOneDof68);
  ASSERT_TRUE(one.bounded);
  EXPECT_NEAR(one.lo, -0.1, 2e-4);
  EXPECT_NEAR(one.hi, 0.3, 2e-4);
  EXPECT_FALSE(one.lo_at_edge || one.hi_at_edge);
  const Interval two = ScanInterval(grid, values, 0, kOneDof95);
  EXPECT_NEAR(two.hi - 0.1, 0.2 * std::sqrt(kOneDof95), 2e-4);
  // A region wider than the grid is marked at the edge.
  const Interval wide = ScanInterval(grid, values, 0, 100.0);
  EXPECT_TRUE(wide.lo_at_edge && wide.hi_at_edge);
}

TEST(RunReport, EllipseAndContourLieOnTheLevel) {
  Eigen::Matrix2d information;
  information << 3, -1, -1, 2;
  const Eigen::Vector2d center(0.2, -0.1);
  std::istringstream ellipse(FisherEllipse(information, center, kTwoDof68));
  double x = 0.0;
  double y = 0.0;
  int points = 0;
  while (ellipse >> x >> y) {
    const Eigen::Vector2d d(x - center(0), y - center(1));
    EXPECT_NEAR(d.dot(information * d), kTwoDof68, 1e-8);  // 10 digits
    ++points;
  }
  EXPECT_GT(points, 100);
  // Marching squares on the same quadratic form sampled on a grid.
  std::vector<double> axis;
  for (int i = 0; i <= 200; ++i) axis.push_back(-2.0 + 4.0 * i / 200);
  Eigen::VectorXd values(static_cast<Eigen::Index>(axis.size() * axis.size()));
  for (std::size_t i = 0; i < axis.size(); ++i)
    for (std::size_t j = 0; j < axis.size(); ++j) {
      const Eigen::Vector2d d(axis[i] - center(0), axis[j] - center(1));
      values(static_cast<Eigen::Index>(i * axis.size() + j)) =
          d.dot(information * d);
    }
  std::istringstream contour(ContourSegments(axis, axis, values, kTwoDof68));
  points = 0;
  while (contour >> x >> y) {
    const Eigen::Vector2d d(x - center(0), y - center(1));
    EXPECT_NEAR(d.dot(information * d), kTwoDof68, 2e-3);
    ++points;
  }
  EXPECT_GT(points, 100);
}

TEST(RunReport, ScoreFisherInformationOfKnownScores) {
  // E[t t^T] = diag(0.5, 2) for these four scores; σ = 2, ∇σ = (1, 1), L = 10:
  // I = 10 (2 diag(0.5, 2) + [[1, 1], [1, 1]] / 2) = [[15, 5], [5, 45]].
  Eigen::MatrixXd scores(4, 2);
  scores << 1, 0, -1, 0, 0, 2, 0, -2;
  MorphedCrossSection xsec;
  xsec.sigma = 2.0;
  xsec.gradient = Eigen::Vector2d(1.0, 1.0);
  const Eigen::MatrixXd information =
      ScoreFisherInformation(scores, xsec, 10.0);
  EXPECT_NEAR(information(0, 0), 15.0, 1e-12);
  EXPECT_NEAR(information(0, 1), 5.0, 1e-12);
  EXPECT_NEAR(information(1, 1), 45.0, 1e-12);
}

// Issue 17, item 12: a rank-deficient information is "singular", not a
// determinant of rounding noise.
TEST(RunReport, RankDeficientInformationIsSingular) {
  // g gᵀ (the rate information: one constrained direction) in floating
  // point has a determinant of rounding noise, not 0.
  const Eigen::Vector2d g(1195.3, -0.3187);
  const Eigen::Matrix2d rank_one = g * g.transpose();
  EXPECT_TRUE(IsSingular(rank_one));
  Eigen::Matrix2d full;
  full << 1842, 1.5, 1.5, 767.2;
  EXPECT_FALSE(IsSingular(full));
  // Strongly correlated but regular: det / (I_00 I_11) = 1e-6.
  Eigen::Matrix2d correlated;
  correlated << 1.0, 1.0 - 5e-7, 1.0 - 5e-7, 1.0;
  EXPECT_FALSE(IsSingular(correlated));
}

// Issue 17, item 4: the information of a slice. I = [[4, 1, 1], [1, 3, 0],
// [1, 0, 2]] (by hand): fixing the third parameter keeps the top-left
// block; profiling it gives the Schur complement I_SS − I_S3 I_3S / I_33.
TEST(RunReport, SliceInformationFixesOrProfiles) {
  Eigen::Matrix3d information;
  information << 4, 1, 1, 1, 3, 0, 1, 0, 2;
  const Eigen::MatrixXd fixed = SliceInformation(information, {0, 1}, {});
  EXPECT_NEAR((fixed - information.topLeftCorner(2, 2)).norm(), 0.0, 1e-12);
  const Eigen::MatrixXd profiled = SliceInformation(information, {0, 1}, {2});
  Eigen::Matrix2d schur;
  schur << 4 - 0.5, 1, 1, 3;
  EXPECT_NEAR((profiled - schur).norm(), 0.0, 1e-12);
  // One parameter, the other two profiled: 1 / (I⁻¹)_00.
  const Eigen::MatrixXd one = SliceInformation(information, {0}, {1, 2});
  EXPECT_NEAR(one(0, 0), 1.0 / information.inverse()(0, 0), 1e-12);
}

}  // namespace
}  // namespace goldmine
