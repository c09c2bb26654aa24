// The building blocks of the limits: θ grids, Wilks p-values, MadMiner's
// histogram conventions, intervals, and profiling over parameters off the
// grid.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/core/score_model.h"
#include "goldmine/inference/limits/asymptotic_limits.h"
#include "goldmine/inference/limits/histogram.h"
#include "goldmine/inference/limits/stxs_binning.h"
#include "goldmine/inference/limits/theta_grid.h"
#include "limits_toy_files.h"
#include "support/scratch_folder.h"

namespace goldmine::inference {
namespace {

TEST(ThetaGrid, FirstParameterVariesSlowest) {
  const ThetaGrid grid = ThetaGrid::Parse("a:-1:1:3,b:0:10:2");
  ASSERT_EQ(grid.num_points(), 6);
  const Eigen::MatrixXd points = grid.Points();
  Eigen::MatrixXd expected(6, 2);
  expected << -1, 0, -1, 10, 0, 0, 0, 10, 1, 0, 1, 10;
  EXPECT_EQ(points, expected);
  EXPECT_EQ(grid.FlatIndex({2, 1}), 5);
  EXPECT_EQ(grid.AxisIndices(3), (std::vector<int>{1, 1}));
  EXPECT_EQ(grid.names(), (std::vector<std::string>{"a", "b"}));
  // A single point is the lower value.
  EXPECT_EQ(ThetaGrid::Parse("a:0.5:0.5:1").Points()(0, 0), 0.5);
}

TEST(ThetaGrid, RejectsMalformedSpecifications) {
  for (const std::string bad : {"",
                                "a:0:1",
                                "a:0:1:0",
                                "a:1:0:3",
                                "a:0:1:2.5",
                                "a:x:1:3",
                                "a:0:1:3,a:0:1:3",
                                "a:0:inf:3",
                                ":0:1:3",
                                "a:0:1:3,"}) {
    EXPECT_THROW(ThetaGrid::Parse(bad), InvalidInput) << bad;
  }
}

TEST(WilksPValue, MatchesClosedFormsOfTheChiSquaredSurvivalFunction) {
  for (const double q : {0.0, 0.3, 1.0, 4.0, 25.0, 400.0, 1400.0}) {
    EXPECT_NEAR(WilksPValue(q, 2),
                std::exp(-0.5 * q),
                1e-14 * std::exp(-0.5 * q) + 1e-300);
    EXPECT_NEAR(WilksPValue(q, 1),
                std::erfc(std::sqrt(0.5 * q)),
                1e-13 * std::erfc(std::sqrt(0.5 * q)) + 1e-300);
    const double three = std::erfc(std::sqrt(0.5 * q)) +
                         std::sqrt(2.0 * q / M_PI) * std::exp(-0.5 * q);
    EXPECT_NEAR(WilksPValue(q, 3), three, 1e-13 * three + 1e-300);
  }
  EXPECT_EQ(WilksPValue(-1e-12, 2), 1.0);
  EXPECT_NEAR(ChiSquaredQuantile(0.95, 1), 3.841458820694124, 1e-12);
  EXPECT_NEAR(ChiSquaredQuantile(0.6826894921370859, 1), 1.0, 1e-12);
  EXPECT_NEAR(ChiSquaredQuantile(0.95, 2), -2.0 * std::log(0.05), 1e-12);
  EXPECT_THROW(WilksPValue(1.0, 0), InvalidInput);
}

TEST(AdaptiveEdges, AreMadminersWeightedQuantiles) {
  // cumsum(w) − w/2 = 0.5, 1.5, 2.5, 3.5 → (0, 1/3, 2/3, 1); quantiles
  // 0.001, 0.5, 0.999 interpolate linearly in the sorted values.
  Eigen::VectorXd values(4);
  values << 4, 1, 3, 2;
  const std::vector<double> edges =
      AdaptiveEdges(values, Eigen::VectorXd::Ones(4), 2);
  ASSERT_EQ(edges.size(), 3u);
  EXPECT_NEAR(edges[0], 1.003, 1e-12);
  EXPECT_NEAR(edges[1], 2.5, 1e-12);
  EXPECT_NEAR(edges[2], 3.997, 1e-12);
  // Weights shift the quantiles: sorted weights 1, 3, 2, 4 give
  // cumsum − w/2 = 0.5, 2.5, 5, 8 → (0, 4/15, 3/5, 1), so the median lies
  // at 2 + (1/2 − 4/15)/(1/3) = 2.7.
  Eigen::VectorXd weights(4);
  weights << 4, 1, 2, 3;  // for values 4, 1, 3, 2
  EXPECT_NEAR(AdaptiveEdges(values, weights, 2)[1], 2.7, 1e-12);
  // Repeated values give zero-width bins, which are removed.
  EXPECT_EQ(AdaptiveEdges(
                Eigen::VectorXd::Constant(5, 2.0), Eigen::VectorXd::Ones(5), 4)
                .size(),
            1u);
}

// The adaptive edges as computed before the bounded-memory sort (issue 20):
// one stable sort of the whole column in memory, the cumulative weights
// shifted and scaled in place, std::upper_bound, numpy.interp.
std::vector<double> InMemoryAdaptiveEdges(const Eigen::VectorXd& values,
                                          const Eigen::VectorXd& weights,
                                          int num_bins) {
  std::vector<Eigen::Index> order;
  for (Eigen::Index i = 0; i < values.size(); ++i)
    if (!std::isnan(values(i))) order.push_back(i);
  std::stable_sort(
      order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
        return values(a) < values(b);
      });
  std::vector<double> sorted;
  std::vector<double> cumulative;
  double sum = 0.0;
  for (const Eigen::Index k : order) {
    sum += weights(k);
    sorted.push_back(values(k));
    cumulative.push_back(sum - 0.5 * weights(k));
  }
  const double first = cumulative.front();
  for (double& q : cumulative) q -= first;
  const double last = cumulative.back();
  for (double& q : cumulative) q /= last;
  std::vector<double> edges;
  for (int k = 0; k <= num_bins; ++k) {
    const double lower = 0.1 / 100.0;
    const double upper = 99.9 / 100.0;
    const double step = (upper - lower) / static_cast<double>(num_bins);
    const double q =
        k == num_bins ? upper : lower + static_cast<double>(k) * step;
    if (!(q > cumulative.front())) {
      edges.push_back(sorted.front());
    } else if (!(q < cumulative.back())) {
      edges.push_back(sorted.back());
    } else {
      const auto j = static_cast<std::size_t>(
          std::upper_bound(cumulative.begin(), cumulative.end(), q) -
          cumulative.begin());
      const double x0 = cumulative[j - 1];
      const double slope = (sorted[j] - sorted[j - 1]) / (cumulative[j] - x0);
      edges.push_back(slope * (q - x0) + sorted[j - 1]);
    }
  }
  std::vector<double> kept;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const double width = i + 1 < edges.size() ? edges[i + 1] - edges[i] : 1.0;
    if (width > 1e-9) kept.push_back(edges[i]);
  }
  return kept;
}

TEST(AdaptiveEdges, AreTheInMemoryEdgesBitForBitAlsoFromASpilledColumn) {
  // 10,000 values with ties, NaN and negative weights, sorted in memory and
  // through runs of 37 values in scratch files (mining::SortedColumn): the
  // edges of the in-memory computation, bit for bit.
  Eigen::VectorXd values(10000);
  Eigen::VectorXd weights(10000);
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    const double x = std::sin(0.7 * static_cast<double>(i)) * 3.0;
    values(i) = i % 3 == 0 ? std::round(x) : x;
    if (i % 101 == 4) values(i) = std::nan("");
    weights(i) =
        i % 7 == 1 ? -0.2 : 1.0 + 0.5 * std::cos(static_cast<double>(i));
  }
  mining::SortedColumn spilled(37);
  for (Eigen::Index i = 0; i < values.size(); ++i)
    spilled.Add(values(i), weights(i));
  spilled.Finish();
  ASSERT_TRUE(spilled.external());
  for (const int num_bins : {1, 5, 40}) {
    const std::vector<double> expected =
        InMemoryAdaptiveEdges(values, weights, num_bins);
    EXPECT_EQ(AdaptiveEdges(spilled, num_bins), expected) << num_bins;
    EXPECT_EQ(AdaptiveEdges(values, weights, num_bins), expected) << num_bins;
  }
}

TEST(HistogramBinning, FillsAndLooksUpAsNumpyAndMadminer) {
  const HistogramBinning binning({{0.0, 1.0, 3.0}, {0.0, 10.0, 20.0, 40.0}});
  EXPECT_EQ(binning.num_bins(), 6);
  const double inside[] = {1.0, 39.0};
  EXPECT_EQ(binning.FillBin(inside), 1 * 3 + 2);
  const double last_edge[] = {3.0, 40.0};  // the last edge belongs inside
  EXPECT_EQ(binning.FillBin(last_edge), 5);
  const double outside[] = {-0.1, 5.0};
  EXPECT_EQ(binning.FillBin(outside), -1);
  EXPECT_EQ(binning.LookupBin(outside), 0);  // clipped into the first bin
  // NaN goes to the overflow (last) bin, when filling as when evaluating
  // (MadMiner's evaluation; histogram.h).
  const double nan[] = {std::nan(""), 5.0};
  EXPECT_EQ(binning.FillBin(nan), 1 * 3 + 0);
  EXPECT_EQ(binning.LookupBin(nan), 1 * 3 + 0);
  // Volumes: the first bin is at most twice the second (1 ≤ 2·2), the
  // first bin of axis 2 (10 ≤ 2·10) too; unchanged here.
  EXPECT_DOUBLE_EQ(binning.volumes()(0), 1.0 * 10.0);
  EXPECT_DOUBLE_EQ(binning.volumes()(5), 2.0 * 20.0);
  // A wide first bin is capped, an infinite last bin too.
  const HistogramBinning capped(
      {{-100.0, 0.0, 1.0, std::numeric_limits<double>::infinity()}});
  EXPECT_DOUBLE_EQ(capped.volumes()(0), 2.0);
  EXPECT_DOUBLE_EQ(capped.volumes()(2), 2.0);
  // Densities integrate to 1 and get ε.
  Eigen::VectorXd contents(6);
  contents << 1, 0, 2, 3, 0, 4;
  const Eigen::VectorXd density = binning.Densities(contents, 1e-3);
  EXPECT_NEAR(density.cwiseProduct(binning.volumes()).sum(), 1.0, 1e-15);
  EXPECT_GT(density(1), 0.0);
  // kClip: filling clips like the lookup; NaN goes to the last bin.
  const HistogramBinning clipping({{0.0, 1.0, 3.0}, {0.0, 10.0, 20.0, 40.0}},
                                  OutOfRange::kClip);
  EXPECT_EQ(clipping.FillBin(outside), 0);
  const double beyond[] = {7.0, 99.0};
  EXPECT_EQ(clipping.FillBin(beyond), 5);
  EXPECT_EQ(clipping.FillBin(inside), 1 * 3 + 2);
  EXPECT_EQ(clipping.FillBin(nan), 1 * 3 + 0);
  EXPECT_THROW(HistogramBinning(std::vector<std::vector<double>>{{1.0}}),
               InvalidInput);
  EXPECT_THROW(
      HistogramBinning(std::vector<std::vector<double>>{{0.0, 2.0, 1.0}}),
      InvalidInput);
}

TEST(StxsBinning, PresetsAndSpecifications) {
  const auto five = ParseBinning("STXS-WH");
  ASSERT_EQ(five.size(), 1u);
  EXPECT_EQ(five[0].edges.size(), 6u);
  EXPECT_EQ(ParseBinning("STXS-WH-1.0")[0].edges.size(), 4u);
  EXPECT_EQ(ParseBinning("STXS-WH-1.1")[0].edges.size(), 5u);
  EXPECT_EQ(ParseBinning("improved-STXS").size(), 2u);
  const auto spec = ParseBinning("8;0,1,2,inf");
  ASSERT_EQ(spec.size(), 2u);
  EXPECT_EQ(spec[0].num_bins, 8);
  EXPECT_TRUE(std::isinf(spec[1].edges.back()));
  for (const std::string bad : {"STXS-XX", "0", "1,1", "2.5", "1;"}) {
    EXPECT_THROW(ParseBinning(bad), InvalidInput) << bad;
  }
}

TEST(ProfileIntervals, ReadsTheCrossingsOfAParabola) {
  // q = ((a − 0.2)/0.5)² + b², minimum over b on the grid is at b = 0.
  const ThetaGrid grid({{"a", -2.0, 2.0, 401}, {"b", -1.0, 1.0, 5}});
  const Eigen::MatrixXd points = grid.Points();
  Eigen::VectorXd q(points.rows());
  for (Eigen::Index i = 0; i < points.rows(); ++i) {
    q(i) =
        std::pow((points(i, 0) - 0.2) / 0.5, 2) + points(i, 1) * points(i, 1);
  }
  const auto intervals = ProfileIntervals(grid, q, {0.6826894921370859, 0.95});
  ASSERT_EQ(intervals.size(), 4u);
  ASSERT_EQ(intervals[0].ranges.size(), 1u);
  EXPECT_NEAR(intervals[0].ranges[0].lower, -0.3, 1e-4);
  EXPECT_NEAR(intervals[0].ranges[0].upper, 0.7, 1e-4);
  const double half_width = 0.5 * std::sqrt(3.841458820694124);
  EXPECT_NEAR(intervals[1].ranges[0].upper, 0.2 + half_width, 1e-4);
  EXPECT_TRUE(intervals[1].ranges[0].closed_lower);
  // b: q = b² on [−1, 1]; the 95% range reaches both grid edges (open).
  EXPECT_FALSE(intervals[3].ranges[0].closed_lower);
  EXPECT_FALSE(intervals[3].ranges[0].closed_upper);
}

class LimitsProfileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new std::filesystem::path(
        testing::MakeScratchFolder("limits_profile_test"));
    toy::SampledToyFile(
        *folder_ / "toy.h5", generators::ToyModel({"c1", "c2"}), 20000, 7);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*folder_);
    delete folder_;
  }
  static inline std::filesystem::path* folder_ = nullptr;
};

TEST_F(LimitsProfileTest, ProfilingMaximisesOverTheOtherParameter) {
  const AsymptoticLimits limits(*folder_ / "toy.h5");
  Eigen::VectorXd theta_true(2);
  theta_true << 0.1, -0.3;
  const ObservedData asimov = limits.Asimov(theta_true);
  KinematicSetup setup;
  setup.method = LimitMethod::kHisto;
  setup.observables = {"pt", "dphi"};
  const ThetaGrid scan({{"c1", -0.5, 0.5, 6}});
  OtherParameters fixed;
  fixed.fixed["c2"] = 0.0;
  OtherParameters profiled;
  profiled.profiled["c2"] = {-1.0, 1.0};
  const LimitResult at_zero = limits.Compute(setup, scan, asimov, fixed);
  const LimitResult profile = limits.Compute(setup, scan, asimov, profiled);
  // Brute force: a fine 2D grid, maximised over c2 per c1. The binning of a
  // 2D grid differs (grid-averaged weights), so fix the edges.
  setup.binning = {AxisBinning{profile.histogram_edges[0], 0},
                   AxisBinning{profile.histogram_edges[1], 0}};
  const LimitResult fine =
      limits.Compute(setup,
                     ThetaGrid({{"c1", -0.5, 0.5, 6}, {"c2", -1.0, 1.0, 2001}}),
                     asimov);
  const LimitResult profile_fixed_edges =
      limits.Compute(setup, scan, asimov, profiled);
  for (Eigen::Index i = 0; i < 6; ++i) {
    const double total_profile = profile_fixed_edges.log_likelihood_kin(i) +
                                 profile_fixed_edges.log_likelihood_rate(i);
    double brute = -std::numeric_limits<double>::infinity();
    for (Eigen::Index j = 0; j < 2001; ++j) {
      const Eigen::Index k = i * 2001 + j;
      brute = std::max(
          brute, fine.log_likelihood_kin(k) + fine.log_likelihood_rate(k));
    }
    EXPECT_GE(total_profile, brute - 1e-6) << "c1 point " << i;
    EXPECT_LE(total_profile, brute + 1e-3) << "c1 point " << i;
    EXPECT_GE(
        profile.log_likelihood_kin(i) + profile.log_likelihood_rate(i),
        at_zero.log_likelihood_kin(i) + at_zero.log_likelihood_rate(i) - 1e-9);
    EXPECT_EQ(at_zero.thetas(i, 1), 0.0);
  }
  EXPECT_EQ(profile.dof, 1);
  EXPECT_THROW(
      limits.Compute(setup, scan, asimov, OtherParameters{{{"c9", 1.0}}, {}}),
      InvalidInput);
}

// With Asimov data from the template events and overflow in the templates,
// the Asimov histogram is the template at θ_true, so by Gibbs' inequality
// θ_true is the best fit with −2Δ log L = 0 there, whatever the binning
// (here many adaptive bins, also with information quantiles for sally).
TEST_F(LimitsProfileTest, TemplateAsimovDataPeakExactlyAtTheTruth) {
  LimitOptions options;
  options.asimov_from_templates = true;
  options.fill_overflow = true;
  const generators::ToyModel model({"c1", "c2"});
  const toy::ExactScore score(model);
  // A fine grid around θ_true: a small bias of the best fit shows.
  const ThetaGrid grid({{"c1", 0.2, 0.3, 21}, {"c2", -0.55, -0.45, 21}});
  Eigen::VectorXd theta_true(2);
  theta_true << 0.25, -0.5;
  const Eigen::Index truth = grid.FlatIndex({10, 10});
  ASSERT_TRUE(grid.Points().row(truth).transpose().isApprox(theta_true));
  KinematicSetup histo;
  histo.method = LimitMethod::kHisto;
  histo.observables = {"pt", "dphi"};
  histo.binning = {AxisBinning{{}, 15}, AxisBinning{{}, 15}};
  KinematicSetup sally;
  sally.method = LimitMethod::kSally;
  sally.score_model = &score;
  sally.binning = histo.binning;
  for (const bool information : {false, true}) {
    options.information_binning = information;
    const AsymptoticLimits limits(*folder_ / "toy.h5", options);
    const ObservedData asimov = limits.Asimov(theta_true);
    for (const KinematicSetup& setup : {histo, sally}) {
      const LimitResult result = limits.Compute(setup, grid, asimov);
      const std::string name = LimitMethodName(setup.method) +
                               (information ? " (information bins)" : "");
      EXPECT_EQ(result.best_fit_index, truth) << name;
      EXPECT_EQ(result.minus_two_delta_log_l(truth), 0.0) << name;
      EXPECT_GT(result.minus_two_delta_log_l.maxCoeff(), 0.01) << name;
    }
  }
}

// Information quantiles put the edges of a score component where Σ w t²
// accumulates: compared with weight quantiles, the outer bins hold less of
// the events' weight and more bins sit in the tails.
TEST_F(LimitsProfileTest, InformationBinningRefinesTheScoreTails) {
  const generators::ToyModel model({"c1", "c2"});
  const toy::ExactScore score(model);
  const ThetaGrid grid({{"c1", -0.2, 0.2, 3}, {"c2", -0.2, 0.2, 3}});
  KinematicSetup sally;
  sally.method = LimitMethod::kSally;
  sally.score_model = &score;
  sally.binning = {AxisBinning{{}, 8}, AxisBinning{{}, 8}};
  std::vector<std::vector<double>> edges[2];
  for (const bool information : {false, true}) {
    LimitOptions options;
    options.information_binning = information;
    const AsymptoticLimits limits(*folder_ / "toy.h5", options);
    edges[information ? 1 : 0] =
        limits.Compute(sally, grid, limits.Asimov(Eigen::Vector2d::Zero()))
            .histogram_edges;
  }
  // c1's score grows with pt (exponential tail): the last interior edge
  // moves up, i.e. the high-score tail is split further.
  const auto& weight_edges = edges[0][0];
  const auto& information_edges = edges[1][0];
  ASSERT_EQ(weight_edges.size(), information_edges.size());
  EXPECT_GT(information_edges[information_edges.size() - 2],
            weight_edges[weight_edges.size() - 2]);
}

// A closed-form two-component score in the toy's observables.
class SimpleScore : public core::ScoreModel {
 public:
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x) const override {
    Eigen::MatrixXd t(x.rows(), 2);
    t.col(0) = (x.col(0) / 50.0).array() - 1.4;
    t.col(1) = 1.6 * x.col(1).array().cos();
    return t;
  }
  std::vector<std::string> parameter_names() const override {
    return {"c1", "c2"};
  }
  std::vector<std::string> observable_names() const override {
    return {"pt", "dphi", "eta"};
  }
};

TEST_F(LimitsProfileTest, ScoreMethodsOnTwoParameters) {
  const AsymptoticLimits limits(*folder_ / "toy.h5");
  Eigen::VectorXd theta_true(2);
  theta_true << 0.25, -0.5;
  const ObservedData asimov = limits.Asimov(theta_true);
  const SimpleScore score;
  const ThetaGrid grid({{"c1", -1.0, 1.0, 9}, {"c2", -1.0, 1.0, 9}});
  for (const LimitMethod method : {LimitMethod::kSally,
                                   LimitMethod::kAdaptiveSally,
                                   LimitMethod::kSallino}) {
    KinematicSetup setup;
    setup.method = method;
    setup.score_model = &score;
    const LimitResult result = limits.Compute(setup, grid, asimov);
    const std::string name = LimitMethodName(method);
    EXPECT_TRUE(result.minus_two_delta_log_l.allFinite()) << name;
    // Default binnings: 8×8, 15×5 (the rotated score), 25.
    const std::size_t dims = method == LimitMethod::kSallino ? 1 : 2;
    ASSERT_EQ(result.histogram_edges.size(), dims) << name;
    if (method != LimitMethod::kSally) continue;
    // One binning for the whole grid: the Asimov likelihood peaks at θ_true
    // (a grid point). The per-θ summaries h(θ) of sallino / adaptive-sally
    // are different variables at different θ, whose densities are not
    // comparable across directions (docs/limits.md), so no such check.
    EXPECT_EQ(result.minus_two_delta_log_l(5 * 9 + 2), 0.0) << name;
  }
  // One score component: a 1D histogram of t_2 (25 bins) knows c2 well and
  // c1 only through the rate.
  KinematicSetup only_c2;
  only_c2.method = LimitMethod::kSally;
  only_c2.score_model = &score;
  only_c2.score_components = {1};
  const LimitResult one = limits.Compute(only_c2, grid, asimov);
  EXPECT_EQ(one.histogram_edges.size(), 1u);
  EXPECT_EQ(one.histogram_edges[0].size(), 26u);
  only_c2.score_components = {2};
  EXPECT_THROW(limits.Compute(only_c2, grid, asimov), InvalidInput);
}

// A score model trained on a file with systematics also outputs the nuisance
// scores after the parameters' (augment local): sally uses the parameters'
// components, as the model without them; a model whose components are not
// the file's parameters is refused (issue 14 item 7).
class ScoreWithNuisance : public core::ScoreModel {
 public:
  explicit ScoreWithNuisance(std::vector<std::string> names)
      : names_(std::move(names)) {}
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x) const override {
    Eigen::MatrixXd t(x.rows(), 3);
    t.leftCols(2) = SimpleScore().Score(x);
    t.col(2) = x.col(2);
    return t;
  }
  std::vector<std::string> parameter_names() const override { return names_; }
  std::vector<std::string> observable_names() const override {
    return {"pt", "dphi", "eta"};
  }

 private:
  std::vector<std::string> names_;
};

TEST_F(LimitsProfileTest, ScoreModelWithNuisanceScores) {
  const AsymptoticLimits limits(*folder_ / "toy.h5");
  const ObservedData asimov = limits.Asimov(Eigen::VectorXd::Zero(2));
  const ThetaGrid grid({{"c1", -1.0, 1.0, 5}, {"c2", -1.0, 1.0, 5}});
  KinematicSetup setup;
  setup.method = LimitMethod::kSally;
  const SimpleScore plain;
  setup.score_model = &plain;
  const LimitResult expected = limits.Compute(setup, grid, asimov);
  const ScoreWithNuisance with_nuisance({"c1", "c2", "nu"});
  setup.score_model = &with_nuisance;
  const LimitResult result = limits.Compute(setup, grid, asimov);
  EXPECT_EQ(result.histogram_edges, expected.histogram_edges);
  EXPECT_EQ(result.minus_two_delta_log_l, expected.minus_two_delta_log_l);
  const ScoreWithNuisance swapped({"c2", "c1", "nu"});
  setup.score_model = &swapped;
  EXPECT_THROW(limits.Compute(setup, grid, asimov), InvalidInput);
}

}  // namespace
}  // namespace goldmine::inference
