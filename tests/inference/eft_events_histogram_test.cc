#include "goldmine/inference/eft_events_histogram.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "goldmine/core/errors.h"
#include "goldmine/inference/eft_fisher_information.h"
#include "goldmine/inference/eft_profile_likelihood.h"
#include "goldmine/inference/eft_workspace_export.h"
#include "goldmine/inference/fit.h"
#include "goldmine/inference/workspace_json.h"
#include "goldmine/mining/fisher_information.h"
#include "goldmine/mining/madminer_file.h"
#include "support/reference_data.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

const std::vector<double> kPtEdges = {40.0, 70.0, 110.0, 170.0};

int PtBin(double pt) {
  return static_cast<int>(
      std::lower_bound(kPtEdges.begin(), kPtEdges.end(), pt) -
      kPtEdges.begin());
}

EftHistogramSpec PtSpec() {
  EftHistogramSpec spec;
  spec.observables = {"pt"};
  spec.edges = {kPtEdges};
  return spec;
}

int ObservableIndex(const mining::MadminerSetup& setup,
                    const std::string& name) {
  for (int i = 0; i < setup.num_observables(); ++i) {
    if (setup.observables[static_cast<std::size_t>(i)].name == name) return i;
  }
  return -1;
}

TEST(EftEventsHistogram, YieldsAtBenchmarksAreTheBenchmarkWeightSums) {
  const auto path = goldmine::testing::FindReference("madminer/toy_events.h5");
  if (path.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const BinnedEftInput input = HistogramEventsFile(path.string(), PtSpec());
  BinnedEftOptions options;
  options.luminosity = 1.0;
  const BinnedEftModel model(input, options);
  const mining::MadminerEvents events = mining::ReadEvents(path);
  const int pt = ObservableIndex(events.setup, "pt");
  ASSERT_GE(pt, 0);
  // Morphing reproduces every physics benchmark exactly: per-bin sums of
  // the file's own benchmark weights are an independent truth.
  const int physics = events.setup.benchmarks.num_physics();
  for (int b = 0; b < physics; ++b) {
    Eigen::VectorXd sums = Eigen::VectorXd::Zero(5);
    for (Eigen::Index e = 0; e < events.events.size(); ++e) {
      sums(PtBin(events.events.observations(e, pt))) +=
          events.events.weights(e, b);
    }
    const Eigen::VectorXd theta =
        events.setup.benchmarks.values.row(b).transpose();
    EXPECT_LT((model.Yields(theta) - sums).cwiseAbs().maxCoeff(),
              1e-10 * sums.cwiseAbs().maxCoeff())
        << events.setup.benchmarks.names[static_cast<std::size_t>(b)];
  }
  EXPECT_TRUE(input.histosys.empty());
  EXPECT_EQ(input.component_sum_squared_weights.size(), 5u);
}

TEST(EftEventsHistogram,
     FisherInformationMatchesTheMiningHistogramInformation) {
  const auto path = goldmine::testing::FindReference("madminer/toy_events.h5");
  if (path.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  BinnedEftOptions options;
  options.luminosity = 300000.0;
  options.staterror = false;
  const BinnedEftModel model(HistogramEventsFile(path.string(), PtSpec()),
                             options);
  mining::FisherOptions fisher_options;
  fisher_options.luminosity = 300000.0;
  const mining::FisherInformation fisher(path, fisher_options);
  mining::HistogramBinning binning;
  binning.edges = kPtEdges;
  for (const Eigen::Vector2d& theta :
       {Eigen::Vector2d(0.0, 0.0), Eigen::Vector2d(0.3, -0.4)}) {
    const Eigen::MatrixXd expected =
        fisher.Histogram(theta, "pt", binning).information;
    const EftFisherInformation ours = ComputeEftFisherInformation(model, theta);
    EXPECT_LT((ours.information - expected).norm(), 1e-8 * expected.norm());
    EXPECT_LT((ours.profiled - expected).norm(), 1e-8 * expected.norm());
  }
}

TEST(EftEventsHistogram, NuisanceBenchmarksBecomeAHistoSys) {
  const auto path =
      goldmine::testing::FindReference("madminer/toy_nuisance_events.h5");
  if (path.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const mining::MadminerEvents events = mining::ReadEvents(path);
  ASSERT_EQ(events.setup.nuisance_parameters.size(), 1u);
  const auto& nuisance = events.setup.nuisance_parameters[0];
  ASSERT_TRUE(nuisance.benchmark_positive && nuisance.benchmark_negative);
  const BinnedEftInput input = HistogramEventsFile(path.string(), PtSpec());
  ASSERT_EQ(input.histosys.size(), 1u);
  EXPECT_EQ(input.histosys[0].name, nuisance.name);
  BinnedEftOptions options;
  options.luminosity = 1.0;
  const BinnedEftModel model(input, options);
  // At the reference benchmark (θ = SM here) the ±1σ templates are the
  // per-bin sums of the nuisance benchmarks' own weights (w_ref · w±/w_ref).
  int reference = 0;
  for (std::size_t b = 0; b < events.setup.benchmarks.is_reference.size();
       ++b) {
    if (events.setup.benchmarks.is_reference[b])
      reference = static_cast<int>(b);
  }
  auto column = [&](const std::string& name) {
    for (int b = 0; b < events.setup.num_benchmarks(); ++b) {
      if (events.setup.benchmarks.names[static_cast<std::size_t>(b)] == name)
        return b;
    }
    return -1;
  };
  const int plus = column(*nuisance.benchmark_positive);
  const int minus = column(*nuisance.benchmark_negative);
  const int pt = ObservableIndex(events.setup, "pt");
  Eigen::VectorXd up = Eigen::VectorXd::Zero(5);
  Eigen::VectorXd down = Eigen::VectorXd::Zero(5);
  for (Eigen::Index e = 0; e < events.events.size(); ++e) {
    const int bin = PtBin(events.events.observations(e, pt));
    up(bin) += events.events.weights(e, plus);
    down(bin) += events.events.weights(e, minus);
  }
  const Eigen::VectorXd theta =
      events.setup.benchmarks.values.row(reference).transpose();
  const Sample sample = model.SampleAt(theta);
  for (const Modifier& modifier : sample.modifiers) {
    if (modifier.type != ModifierType::kHistoSys) continue;
    for (int b = 0; b < 5; ++b) {
      EXPECT_NEAR(
          modifier.hi_data[static_cast<std::size_t>(b)], up(b), 1e-9 * up(b));
      EXPECT_NEAR(modifier.lo_data[static_cast<std::size_t>(b)],
                  down(b),
                  1e-9 * down(b));
    }
  }
}

TEST(EftEventsHistogram, RealFileProfileMatchesPatchedWorkspaceFits) {
  const auto path =
      goldmine::testing::FindReference("madminer/toy_nuisance_events.h5");
  if (path.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  BinnedEftOptions options;
  options.luminosity = 1000.0;
  options.lumi_uncertainty = 0.025;
  const BinnedEftModel model(HistogramEventsFile(path.string(), PtSpec()),
                             options);
  const Eigen::VectorXd theta_true = Eigen::Vector2d::Zero();
  const Eigen::VectorXd observed = model.AsimovCounts(theta_true);
  const Eigen::MatrixXd grid = MakeEftGrid({-0.5, -0.5}, {0.5, 0.5}, {3, 3});
  const EftProfileResult profile = ProfileOnGrid(model, grid, observed);
  EXPECT_EQ(profile.best_index, 4);
  const std::string workspace = ExportEftWorkspace(model, theta_true, observed);
  const std::string patchset = ExportEftPatchSet(model, grid, workspace);
  FitOptions fit_options;
  fit_options.gradient_tolerance = 1e-4;
  for (int i = 0; i < 9; ++i) {
    const Model engine(Workspace::FromJson(
        ApplyPatchSet(workspace, patchset, EftPatchName(i)), "patched"));
    const FitResult fit = Fit(engine, engine.observed_data(), fit_options);
    ASSERT_TRUE(fit.converged) << fit.message;
    EXPECT_NEAR(fit.twice_nll, profile.twice_nll(i), 1e-6) << "point " << i;
  }
  // Systematics widen the limits: −2Δ ln L is smaller than without them.
  BinnedEftOptions no_systematics = options;
  no_systematics.lumi_uncertainty = 0.0;
  no_systematics.staterror = false;
  EftHistogramSpec spec = PtSpec();
  spec.include_nuisance_parameters = false;
  const BinnedEftModel plain(HistogramEventsFile(path.string(), spec),
                             no_systematics);
  const EftProfileResult without = ProfileOnGrid(plain, grid, observed);
  for (int i = 0; i < 9; ++i) {
    if (i == 4) continue;
    EXPECT_LT(profile.minus_two_delta_log_l(i),
              without.minus_two_delta_log_l(i));
  }
}

TEST(EftEventsHistogram, TwoDimensionalBinsAndCuts) {
  const auto path = goldmine::testing::FindReference("madminer/toy_events.h5");
  if (path.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  EftHistogramSpec spec;
  spec.observables = {"pt", "dphi"};
  spec.edges = {{60.0, 120.0}, {0.0}};
  spec.cuts = {"pt > 30"};
  BinnedEftOptions options;
  options.luminosity = 1.0;
  const BinnedEftModel model(HistogramEventsFile(path.string(), spec), options);
  ASSERT_EQ(model.num_bins(), 6);
  const mining::MadminerEvents events = mining::ReadEvents(path);
  const int pt = ObservableIndex(events.setup, "pt");
  const int dphi = ObservableIndex(events.setup, "dphi");
  Eigen::VectorXd sums = Eigen::VectorXd::Zero(6);
  for (Eigen::Index e = 0; e < events.events.size(); ++e) {
    const double x = events.events.observations(e, pt);
    if (!(x > 30)) continue;
    const int i = x <= 60 ? 0 : (x <= 120 ? 1 : 2);
    const int j = events.events.observations(e, dphi) <= 0 ? 0 : 1;
    sums(2 * i + j) += events.events.weights(e, 0);
  }
  const Eigen::VectorXd theta =
      events.setup.benchmarks.values.row(0).transpose();
  EXPECT_LT((model.Yields(theta) - sums).cwiseAbs().maxCoeff(),
            1e-10 * sums.maxCoeff());
}

TEST(EftEventsHistogram, AccumulatorTakesBinsChosenByTheCaller) {
  // As the limits engine would for SALLY scores: the caller bins each event
  // itself. Binning by the sign of ptcos must equal the histogram of ptcos
  // with the single edge 0 (events at exactly 0 fall in the lower bin).
  const auto path =
      goldmine::testing::FindReference("madminer/toy_nuisance_events.h5");
  if (path.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const mining::MadminerEvents events = mining::ReadEvents(path);
  const int ptcos = ObservableIndex(events.setup, "ptcos");
  ASSERT_GE(ptcos, 0);
  EftBinAccumulator accumulator(path.string(), 2);
  std::vector<int> bins;
  for (Eigen::Index e = 0; e < events.events.size(); ++e) {
    bins.push_back(events.events.observations(e, ptcos) <= 0.0 ? 0 : 1);
  }
  // In two batches.
  const Eigen::Index half = events.events.size() / 2;
  const auto& sampling = events.events.sampling_benchmarks;
  accumulator.Add(
      events.events.weights.topRows(half),
      std::vector<std::int64_t>(sampling.begin(), sampling.begin() + half),
      std::vector<int>(bins.begin(), bins.begin() + half));
  accumulator.Add(
      events.events.weights.bottomRows(events.events.size() - half),
      std::vector<std::int64_t>(sampling.begin() + half, sampling.end()),
      std::vector<int>(bins.begin() + half, bins.end()));
  const BinnedEftInput ours = accumulator.Result();
  EftHistogramSpec spec;
  spec.observables = {"ptcos"};
  spec.edges = {{0.0}};
  const BinnedEftInput expected = HistogramEventsFile(path.string(), spec);
  EXPECT_LT((ours.component_yields - expected.component_yields).norm(),
            1e-12 * expected.component_yields.norm());
  ASSERT_EQ(ours.histosys.size(), 1u);
  EXPECT_LT((ours.histosys[0].up - expected.histosys[0].up).norm(),
            1e-12 * expected.histosys[0].up.norm());
  EXPECT_THAT(
      [&] { accumulator.Add(events.events.weights.topRows(1), {0}, {2}); },
      ThrowsMessage<InvalidInput>(
          HasSubstr("bin 2 of event 0 is out of range")));
}

TEST(EftEventsHistogram, RejectsUnknownObservablesAndBadEdges) {
  const auto path = goldmine::testing::FindReference("madminer/toy_events.h5");
  if (path.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  EftHistogramSpec spec = PtSpec();
  spec.observables = {"ptt"};
  EXPECT_THAT([&] { HistogramEventsFile(path.string(), spec); },
              ThrowsMessage<InvalidInput>(HasSubstr("observable ptt")));
  spec = PtSpec();
  spec.edges = {{50.0, 40.0}};
  EXPECT_THAT([&] { HistogramEventsFile(path.string(), spec); },
              ThrowsMessage<InvalidInput>(HasSubstr("increasing")));
  EXPECT_THROW(HistogramEventsFile("/nonexistent.h5", PtSpec()),
               FileFormatError);
}

}  // namespace
}  // namespace goldmine::inference
