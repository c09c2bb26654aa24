// One rule for NaN observables (an observable undefined for the event, e.g.
// the p_T of a missing second jet) in every histogram goldmine fills: the
// event goes to the overflow bin, as in MadMiner (numpy.searchsorted sorts
// NaN last; mining/histogram_bins.h). Checked in each place against the
// same events with the NaN replaced by a value beyond the last edge, which
// must give identical results, and for quantile binning against the file
// without those events.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "goldmine/core/errors.h"
#include "goldmine/inference/eft_events_histogram.h"
#include "goldmine/inference/limits/asymptotic_limits.h"
#include "goldmine/inference/limits/histogram.h"
#include "goldmine/mining/fisher_information.h"
#include "goldmine/mining/histogram_bins.h"
#include "inference/limits_toy_files.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using inference::HistogramBinning;
using inference::OutOfRange;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Toy events (pt, dphi, eta) sampled at the SM; every 7th event's pt is
// replaced by `replacement` (NaN, a value beyond the edges, or the event is
// dropped when `drop`).
void WriteFile(const std::filesystem::path& path,
               double replacement,
               bool drop = false) {
  const std::filesystem::path source = path.string() + ".source.h5";
  const generators::ToyModel model({"c1", "c2"});
  inference::toy::SampledToyFile(source, model, 3000, 11);
  const mining::MadminerEventsReader reader(source);
  mining::MadminerEventBatch all = reader.ReadAll();
  mining::MadminerEventBatch kept;
  kept.observations.resize(0, all.observations.cols());
  kept.weights.resize(0, all.weights.cols());
  for (Eigen::Index e = 0; e < all.size(); ++e) {
    const bool replaced = e % 7 == 3;
    if (replaced && drop) continue;
    const Eigen::Index row = kept.observations.rows();
    kept.observations.conservativeResize(row + 1, Eigen::NoChange);
    kept.weights.conservativeResize(row + 1, Eigen::NoChange);
    kept.observations.row(row) = all.observations.row(e);
    if (replaced) kept.observations(row, 0) = replacement;
    kept.weights.row(row) = all.weights.row(e);
    kept.sampling_benchmarks.push_back(
        all.sampling_benchmarks[static_cast<std::size_t>(e)]);
  }
  mining::MadminerEventsWriter writer(path, reader.setup());
  writer.Append(kept);
  writer.Finish();
  std::filesystem::remove(source);
}

class NanObservables : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("nan_observables");
    WriteFile(Path("nan"), kNan);
    WriteFile(Path("beyond"), 1e9);
    WriteFile(Path("dropped"), 0.0, true);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::string Path(const std::string& name) const {
    return (folder_ / (name + ".h5")).string();
  }
  std::filesystem::path folder_;
};

TEST(OverflowBinIndex, NanAndUndefinedGoToTheOverflowBin) {
  const std::vector<double> boundaries = {1.0, 2.0, 3.0};
  // numpy.searchsorted([1, 2, 3], [nan, 0.5, 3.0, 5]) = [3, 0, 2, 3].
  EXPECT_EQ(mining::OverflowBinIndex(boundaries, kNan), 3);
  EXPECT_EQ(mining::OverflowBinIndex(boundaries, 0.5), 0);
  EXPECT_EQ(mining::OverflowBinIndex(boundaries, 3.0), 2);
  EXPECT_EQ(mining::OverflowBinIndex(boundaries, 5.0), 3);
  EXPECT_EQ(mining::OverflowBinIndex(boundaries, std::optional<double>()), 3);
}

TEST(LimitsHistogramNan, NanGoesToTheLastBinInEveryConvention) {
  const std::vector<std::vector<double>> edges = {{0.0, 1.0, 3.0},
                                                  {0.0, 10.0, 20.0, 40.0}};
  const double nan_first[] = {kNan, 5.0};
  const double nan_second[] = {0.5, kNan};
  for (OutOfRange convention : {OutOfRange::kLeaveOut, OutOfRange::kClip}) {
    const HistogramBinning binning(edges, convention);
    EXPECT_EQ(binning.FillBin(nan_first), 1 * 3 + 0);
    EXPECT_EQ(binning.LookupBin(nan_first), 1 * 3 + 0);
    EXPECT_EQ(binning.FillBin(nan_second), 0 * 3 + 2);
    EXPECT_EQ(binning.LookupBin(nan_second), 0 * 3 + 2);
  }
  // With overflow bins: 4 × 5 bins, NaN in the overflow bin of its axis.
  const HistogramBinning overflow(edges, OutOfRange::kOverflowBins);
  EXPECT_EQ(overflow.num_bins(), 4 * 5);
  EXPECT_EQ(overflow.FillBin(nan_first), 3 * 5 + 1);
  EXPECT_EQ(overflow.LookupBin(nan_second), 1 * 5 + 4);
}

TEST(LimitsHistogramNan, AdaptiveEdgesIgnoreNanValues) {
  Eigen::VectorXd with_nan(7);
  with_nan << kNan, 4.0, 1.0, kNan, 3.0, 2.0, kNan;
  Eigen::VectorXd weights(7);
  weights << 5.0, 4.0, 1.0, 5.0, 2.0, 3.0, 5.0;
  Eigen::VectorXd clean(4);
  clean << 4.0, 1.0, 3.0, 2.0;
  Eigen::VectorXd clean_weights(4);
  clean_weights << 4.0, 1.0, 2.0, 3.0;
  const std::vector<double> expected =
      inference::AdaptiveEdges(clean, clean_weights, 3);
  const std::vector<double> edges =
      inference::AdaptiveEdges(with_nan, weights, 3);
  ASSERT_EQ(edges.size(), expected.size());
  for (std::size_t i = 0; i < edges.size(); ++i)
    EXPECT_DOUBLE_EQ(edges[i], expected[i]) << i;
  EXPECT_THROW(
      inference::AdaptiveEdges(
          Eigen::VectorXd::Constant(3, kNan), Eigen::VectorXd::Ones(3), 2),
      InvalidInput);
}

TEST_F(NanObservables, FisherHistogramPutsNanInTheOverflowBin) {
  const Eigen::VectorXd sm = Eigen::VectorXd::Zero(2);
  mining::HistogramBinning edges;
  edges.edges = {40.0, 80.0, 120.0};
  const mining::FisherInformation nan(Path("nan"));
  const mining::FisherInformation beyond(Path("beyond"));
  const Eigen::MatrixXd expected =
      beyond.Histogram(sm, "pt", edges).information;
  const Eigen::MatrixXd information =
      nan.Histogram(sm, "pt", edges).information;
  EXPECT_TRUE(information.isApprox(expected, 1e-12)) << information << "\nvs\n"
                                                     << expected;
  // Dynamic (quantile) boundaries come from the defined values only.
  mining::HistogramBinning dynamic;
  dynamic.num_bins = 4;
  const mining::FisherInformation dropped(Path("dropped"));
  const std::vector<double> boundaries =
      nan.Histogram(sm, "pt", dynamic).boundaries;
  const std::vector<double> reference =
      dropped.Histogram(sm, "pt", dynamic).boundaries;
  ASSERT_EQ(boundaries.size(), reference.size());
  for (std::size_t i = 0; i < boundaries.size(); ++i)
    EXPECT_DOUBLE_EQ(boundaries[i], reference[i]) << i;
}

TEST_F(NanObservables, EftHistogramPutsNanInTheOverflowBin) {
  inference::EftHistogramSpec spec;
  spec.observables = {"pt"};
  spec.edges = {{40.0, 80.0, 120.0}};
  const inference::BinnedEftInput nan =
      inference::HistogramEventsFile(Path("nan"), spec);
  const inference::BinnedEftInput beyond =
      inference::HistogramEventsFile(Path("beyond"), spec);
  EXPECT_TRUE(nan.component_yields.isApprox(beyond.component_yields, 1e-12))
      << nan.component_yields << "\nvs\n"
      << beyond.component_yields;
}

TEST_F(NanObservables, LimitsHistogramPutsNanInTheOverflowBin) {
  inference::KinematicSetup kinematics;
  kinematics.method = inference::LimitMethod::kHisto;
  kinematics.observables = {"pt"};
  const inference::ThetaGrid grid =
      inference::ThetaGrid::Parse("c1:-0.6:0.6:5,c2:-0.6:0.6:5");
  // Overflow bins, and MadMiner's edges with clipped filling (with MadMiner's
  // own filling a value beyond the edges is left out, NaN is not).
  for (const bool overflow_bins : {true, false}) {
    inference::LimitOptions options;
    options.overflow_bins = overflow_bins;
    options.fill_overflow = true;
    options.asimov_from_templates = true;
    kinematics.binning = {
        inference::AxisBinning{{20.0, 60.0, 100.0, 150.0}, 0}};
    const inference::AsymptoticLimits nan(Path("nan"), options);
    const inference::AsymptoticLimits beyond(Path("beyond"), options);
    const Eigen::VectorXd truth = Eigen::VectorXd::Zero(2);
    const inference::LimitResult result =
        nan.Compute(kinematics, grid, nan.Asimov(truth));
    const inference::LimitResult expected =
        beyond.Compute(kinematics, grid, beyond.Asimov(truth));
    for (Eigen::Index i = 0; i < grid.num_points(); ++i) {
      EXPECT_NEAR(result.minus_two_delta_log_l(i),
                  expected.minus_two_delta_log_l(i),
                  1e-9 * (1.0 + expected.minus_two_delta_log_l(i)))
          << "overflow bins " << overflow_bins << ", point " << i;
    }
  }
}

}  // namespace
}  // namespace goldmine
