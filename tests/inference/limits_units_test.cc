// The kinematic term of the limits as a sum over units read in chunks
// (issue 20): the likelihood-ratio and per-θ histogram methods no longer
// hold their events, they read them back from scratch files a chunk at a
// time. These tests check the sum against one computed here over all
// events at once, across several chunks, with MadMiner's rule for events
// whose log likelihood is not finite somewhere on the grid (_clean_nans:
// left out at every point), and check that events read in passes from a file
// give the numbers of the same events held in memory.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "goldmine/inference/limits/asymptotic_limits.h"
#include "limits_toy_files.h"
#include "support/scratch_folder.h"

namespace goldmine::inference {
namespace {

// log r(x|c2) = c2 cos(dphi) − c2²/10, except for the events marked by
// their eta: −∞ at c2 > 0.45 for eta > 2.9, NaN at c2 < −0.85 for
// eta < −2.9.
class MarkedRatio : public core::LikelihoodRatioModel {
 public:
  using core::LikelihoodRatioModel::LogLikelihoodRatio;
  Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x, const Eigen::VectorXd& theta0) const override {
    Eigen::VectorXd log_r(x.rows());
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      log_r(i) = Log(x.row(i), theta0(0));
    return log_r;
  }
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x,
                        const Eigen::VectorXd&) const override {
    return Eigen::MatrixXd::Zero(x.rows(), 1);
  }
  std::vector<std::string> parameter_names() const override { return {"c2"}; }
  std::vector<std::string> observable_names() const override {
    return {"pt", "dphi", "eta"};
  }

  static double Log(const Eigen::RowVectorXd& x, double c2) {
    if (x(2) > 2.9 && c2 > 0.45)
      return -std::numeric_limits<double>::infinity();
    if (x(2) < -2.9 && c2 < -0.85)
      return std::numeric_limits<double>::quiet_NaN();
    return c2 * std::cos(x(1)) - 0.1 * c2 * c2;
  }
};

class LimitsUnitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new std::filesystem::path(
        testing::MakeScratchFolder("limits_units_test"));
    toy::QuadratureToyFile(*folder_ / "quadrature.h5", 240, 5);
    // More events than a chunk of the per-θ terms (8192).
    toy::SampledToyFile(
        *folder_ / "sampled.h5", generators::ToyModel({"c2"}), 20000, 7);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*folder_);
    delete folder_;
  }
  static std::filesystem::path Folder() { return *folder_; }
  static inline std::filesystem::path* folder_ = nullptr;
};

TEST_F(LimitsUnitsTest, RatioTermSumsEveryEventAcrossChunksAndDropsNonFinite) {
  LimitOptions options;
  options.include_xsec = false;
  const AsymptoticLimits limits(Folder() / "quadrature.h5", options);
  // 150,001 observed events: three chunks of the ratio term (65,536) and a
  // last one of 18,929. Every 997th event is marked for −∞, every 1009th
  // for NaN.
  const Eigen::Index n = 150001;
  ObservedData observed;
  observed.x.resize(n, 3);
  observed.weights.resize(n);
  std::vector<std::int64_t> marked;
  for (Eigen::Index k = 0; k < n; ++k) {
    const double eta = k % 997 == 0 ? 3.0 : k % 1009 == 0 ? -3.0 : 0.0;
    if (eta != 0.0) marked.push_back(k);
    observed.x.row(k) << 50.0, -M_PI + 2.0 * M_PI * (k + 0.5) / n, eta;
    observed.weights(k) = 1.0 + static_cast<double>(k % 7);
  }
  observed.n_events = 1000.0;
  const MarkedRatio ratio;
  KinematicSetup setup;
  setup.method = LimitMethod::kMl;
  setup.ratio_model = &ratio;
  const ThetaGrid grid({{"c2", -1.0, 1.0, 11}});
  const LimitResult result = limits.Compute(setup, grid, observed);

  // Both kinds of marked events fail somewhere on the grid (c2 = 0.6 and
  // c2 = −1): left out everywhere.
  EXPECT_EQ(result.dropped_units, static_cast<std::int64_t>(marked.size()));
  EXPECT_EQ(result.dropped_unit_ids, marked);
  const double total = observed.weights.sum();
  for (Eigen::Index i = 0; i < grid.Points().rows(); ++i) {
    const double c2 = result.grid(i, 0);
    double sum = 0.0;
    std::size_t next = 0;
    for (Eigen::Index k = 0; k < n; ++k) {
      if (next < marked.size() && marked[next] == k) {
        ++next;
        continue;
      }
      sum +=
          observed.weights(k) / total * MarkedRatio::Log(observed.x.row(k), c2);
    }
    EXPECT_NEAR(result.log_likelihood_kin(i),
                observed.n_events * sum,
                1e-12 * std::abs(observed.n_events * sum) + 1e-12)
        << "c2 = " << c2;
  }
}

// Every method that reads observed events: histo (dphi), and with one
// parameter the toy's exact score at the SM, binned once (sally) or anew at
// every grid point (sallino, adaptive-sally), and the exact ratio (ml).
TEST_F(LimitsUnitsTest, EventsReadInPassesGiveTheNumbersOfEventsInMemory) {
  LimitOptions options;
  options.madminer_partitions = false;
  const AsymptoticLimits limits(Folder() / "sampled.h5", options);
  const std::string file = (Folder() / "sampled.h5").string();
  const std::vector<std::string> observables = {"pt", "dphi", "eta"};
  const ObservedData in_memory =
      ReadObservedData(file, observables, "sm", options.luminosity);
  const ObservedData described =
      ObservedEventsFile(file, observables, "sm", options.luminosity);
  ASSERT_GT(in_memory.x.rows(), 8192);
  ASSERT_EQ(in_memory.n_events, described.n_events);
  const toy::ExactScore score(generators::ToyModel({"c2"}));
  const toy::ExactRatio ratio(generators::ToyModel({"c2"}));
  const ThetaGrid grid({{"c2", -1.0, 1.0, 9}});
  for (const LimitMethod method : {LimitMethod::kHisto,
                                   LimitMethod::kSally,
                                   LimitMethod::kSallino,
                                   LimitMethod::kAdaptiveSally,
                                   LimitMethod::kMl}) {
    KinematicSetup setup;
    setup.method = method;
    if (method == LimitMethod::kHisto) setup.observables = {"dphi"};
    setup.score_model = &score;
    setup.ratio_model = &ratio;
    const LimitResult a = limits.Compute(setup, grid, in_memory);
    const LimitResult b = limits.Compute(setup, grid, described);
    const std::string name = LimitMethodName(method);
    ASSERT_TRUE(a.log_likelihood_kin.allFinite()) << name;
    // Bit for bit: the same events, weights and sums in the same order.
    EXPECT_EQ(a.log_likelihood_kin, b.log_likelihood_kin) << name;
    EXPECT_EQ(a.minus_two_delta_log_l, b.minus_two_delta_log_l) << name;
    EXPECT_EQ(a.histogram_edges, b.histogram_edges) << name;
  }
}

}  // namespace
}  // namespace goldmine::inference
