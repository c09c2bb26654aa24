// Likelihood surrogates (issue 18), the parts without a network:
//   - the yields-only likelihood equals the fixed-POI fit of the workspace a
//     pyhf user would write for that signal, for the observed and the Asimov
//     data;
//   - CLs and upper limits computed from the exact profiled −2 ln L (an
//     "exact surrogate") reproduce goldmine's full hypotest, i.e. the
//     surrogate formulas are pyhf's qtilde asymptotics;
//   - the training set depends on the seed, not on the thread count;
//   - the description round-trips through metadata, and bad metadata or
//     yields are refused naming the key or channel;
//   - a trained surrogate's description records its provenance, and the
//     validation of an exact surrogate finds it exact.
#include "goldmine/inference/likelihood_surrogate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "goldmine/core/errors.h"
#include "goldmine/inference/fit.h"
#include "goldmine/inference/surrogate_signals.h"
#include "goldmine/inference/surrogate_training_set.h"
#include "goldmine/inference/surrogate_validation.h"
#include "goldmine/inference/yield_likelihood.h"
#include "support/scratch_folder.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;

// A signal region (2 bins) and a control region (1 bin); the background has
// a free normalisation shared by both regions and a histosys; the signal
// has a normsys (dropped by the yields-only likelihood) and sits in both.
constexpr const char* kWorkspace = R"({
  "channels": [
    {"name": "sr", "samples": [
      {"name": "signal", "data": [4.0, 6.0],
       "modifiers": [{"name": "mu", "type": "normfactor", "data": null},
                     {"name": "sig_xsec", "type": "normsys",
                      "data": {"hi": 1.1, "lo": 0.9}}]},
      {"name": "background", "data": [30.0, 12.0],
       "modifiers": [{"name": "k_bkg", "type": "normfactor", "data": null},
                     {"name": "jes", "type": "histosys",
                      "data": {"hi_data": [33.0, 12.5],
                               "lo_data": [27.5, 11.0]}}]}]},
    {"name": "cr", "samples": [
      {"name": "signal", "data": [0.5],
       "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
      {"name": "background", "data": [200.0],
       "modifiers": [{"name": "k_bkg", "type": "normfactor", "data": null},
                     {"name": "jes", "type": "histosys",
                      "data": {"hi_data": [204.0], "lo_data": [197.0]}}]}]}],
  "observations": [{"name": "sr", "data": [36.0, 14.0]},
                   {"name": "cr", "data": [205.0]}],
  "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
  "version": "1.0.0"})";

Workspace TestWorkspace() { return Workspace::FromJson(kWorkspace, "ws"); }

YieldLikelihood TestLikelihood() {
  const Workspace workspace = TestWorkspace();
  return YieldLikelihood(workspace, SignalChannels(workspace));
}

// The exact profiled −2 ln L differences as a RegressionFunction: what a
// perfect network would learn.
class ExactSurrogate final : public core::RegressionFunction {
 public:
  explicit ExactSurrogate(const YieldLikelihood& likelihood)
      : likelihood_(likelihood) {}
  int num_inputs() const override { return likelihood_.num_inputs(); }
  int num_outputs() const override { return 2; }
  Eigen::MatrixXd Evaluate(const Eigen::MatrixXd& x) const override {
    Eigen::MatrixXd y(x.rows(), 2);
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      const auto value =
          likelihood_.ProfiledTwiceNllDifference(x.row(r).transpose());
      y(r, 0) = value.observed;
      y(r, 1) = value.asimov;
    }
    return y;
  }

 private:
  const YieldLikelihood& likelihood_;
};

SurrogateDescription WideDescription(const YieldLikelihood& likelihood) {
  SurrogateDescription description;
  description.channels = likelihood.signal_channels();
  description.poi = likelihood.poi_name();
  description.poi_bounds = likelihood.poi_bounds();
  description.lower = Eigen::VectorXd::Zero(likelihood.num_inputs());
  description.upper = Eigen::VectorXd::Constant(likelihood.num_inputs(), 1e4);
  return description;
}

TEST(YieldLikelihood, InputsAreTheSignalChannelsInModelOrder) {
  const YieldLikelihood likelihood = TestLikelihood();
  ASSERT_EQ(likelihood.num_inputs(), 3);
  EXPECT_EQ(likelihood.InputName(0), "cr[0]");
  EXPECT_EQ(likelihood.InputName(2), "sr[1]");
  EXPECT_TRUE(likelihood.SignalYields(TestWorkspace())
                  .isApprox(Eigen::Vector3d(0.5, 4.0, 6.0)));
}

TEST(YieldLikelihood, EqualsTheFixedPoiFitOfTheWorkspaceWithThatSignal) {
  const YieldLikelihood likelihood = TestLikelihood();
  const auto zero = likelihood.ProfiledTwiceNllDifference(
      Eigen::VectorXd::Zero(likelihood.num_inputs()));
  EXPECT_NEAR(zero.observed, 0.0, 1e-9);
  EXPECT_NEAR(zero.asimov, 0.0, 1e-9);
  for (const Eigen::Vector3d& signal : {Eigen::Vector3d(0.5, 4.0, 6.0),
                                        Eigen::Vector3d(0.0, 12.0, 1.0),
                                        Eigen::Vector3d(3.0, 0.3, 25.0)}) {
    const auto value = likelihood.ProfiledTwiceNllDifference(signal);
    ASSERT_TRUE(value.converged) << value.message;
    const Model full(likelihood.SignalWorkspace(signal));
    const FitResult observed = FixedPoiFit(full, full.observed_data(), 1.0);
    EXPECT_NEAR(value.observed + likelihood.background_twice_nll_observed(),
                observed.twice_nll,
                1e-6 * std::abs(observed.twice_nll))
        << signal.transpose();
    const Eigen::VectorXd asimov =
        AsimovData(full, full.observed_data(), 0.0, {0.0, 10.0});
    const FitResult asimov_fit = FixedPoiFit(full, asimov, 1.0);
    EXPECT_NEAR(value.asimov + likelihood.background_twice_nll_asimov(),
                asimov_fit.twice_nll,
                1e-6 * std::abs(asimov_fit.twice_nll))
        << signal.transpose();
  }
}

TEST(YieldLikelihood, RefusesBadYieldsAndWorkspacesWithoutPoi) {
  const YieldLikelihood likelihood = TestLikelihood();
  EXPECT_THROW(likelihood.ProfiledTwiceNllDifference(Eigen::Vector2d(1, 1)),
               InvalidInput);
  try {
    likelihood.ProfiledTwiceNllDifference(Eigen::Vector3d(1, -1, 1));
    FAIL() << "negative yield accepted";
  } catch (const InvalidInput& error) {
    EXPECT_THAT(error.what(), HasSubstr("sr[0]"));
  }
  std::string text = kWorkspace;
  text.replace(text.find("\"poi\": \"mu\""), 11, "\"poi\": \"\"");
  const Workspace without = Workspace::FromJson(text, "nopoi.json");
  try {
    SignalChannels(without);
    FAIL() << "a workspace without POI accepted";
  } catch (const InvalidInput& error) {
    EXPECT_THAT(error.what(), HasSubstr("nopoi.json"));
  }
}

TEST(SurrogateHypotest, ExactSurrogateReproducesTheFullHypotest) {
  const YieldLikelihood likelihood = TestLikelihood();
  const ExactSurrogate surrogate(likelihood);
  const SurrogateDescription description = WideDescription(likelihood);
  const Eigen::Vector3d signal(0.5, 4.0, 6.0);
  const Model full(likelihood.SignalWorkspace(signal));
  for (double mu : {0.3, 1.0, 2.5}) {
    const HypotestResult expected = Hypotest(full, full.observed_data(), mu);
    const HypotestResult got =
        SurrogateHypotest(surrogate, description, signal, mu);
    EXPECT_NEAR(got.cls_obs, expected.cls_obs, 2e-5) << mu;
    EXPECT_NEAR(got.test_statistic_obs, expected.test_statistic_obs, 1e-4);
    EXPECT_NEAR(
        got.test_statistic_asimov, expected.test_statistic_asimov, 1e-4);
    for (int k = 0; k < 5; ++k) {
      EXPECT_NEAR(got.cls_expected[k], expected.cls_expected[k], 2e-5) << mu;
    }
    EXPECT_NEAR(got.poi_hat, expected.poi_hat, 1e-3);
  }
  const UpperLimitResult expected = UpperLimit(full, full.observed_data());
  const UpperLimitResult got =
      SurrogateUpperLimit(surrogate, description, signal);
  EXPECT_TRUE(got.converged) << got.message;
  EXPECT_NEAR(got.observed, expected.observed, 1e-4 * expected.observed);
  for (int k = 0; k < 5; ++k) {
    EXPECT_NEAR(
        got.expected[k], expected.expected[k], 1e-4 * expected.expected[k]);
  }
}

TEST(SurrogateHypotest, RefusesSignalsOutsideTheValidityRange) {
  const YieldLikelihood likelihood = TestLikelihood();
  const ExactSurrogate surrogate(likelihood);
  SurrogateDescription description = WideDescription(likelihood);
  description.upper = Eigen::Vector3d(1.0, 10.0, 10.0);
  const Eigen::Vector3d signal(0.5, 4.0, 6.0);
  EXPECT_DOUBLE_EQ(ValidityLimit(description, signal), 10.0 / 6.0);
  try {
    SurrogateHypotest(surrogate, description, signal, 2.0);
    FAIL() << "a signal outside the validity range accepted";
  } catch (const InvalidInput& error) {
    EXPECT_THAT(error.what(), HasSubstr("validity range"));
    EXPECT_THAT(error.what(), HasSubstr("sr[1] = 12"));
  }
  // A limit beyond the range is reported, not invented.
  description.upper = Eigen::Vector3d(0.05, 0.4, 0.6);
  const UpperLimitResult limit =
      SurrogateUpperLimit(surrogate, description, signal);
  EXPECT_FALSE(limit.converged);
  EXPECT_THAT(limit.message, HasSubstr("beyond"));
}

TEST(SurrogateTrainingSet, DependsOnTheSeedNotOnTheThreads) {
  const YieldLikelihood likelihood = TestLikelihood();
  const std::vector<Eigen::VectorXd> points = {
      likelihood.SignalYields(TestWorkspace())};
  SurrogateSamplingOptions options;
  options.num_points = 90;
  options.chain_length = 20;
  options.seed = 7;
  const SurrogateTrainingSet one =
      SampleSurrogateTrainingSet(likelihood, points, options);
  options.threads = 2;
  const SurrogateTrainingSet two =
      SampleSurrogateTrainingSet(likelihood, points, options);
  ASSERT_EQ(one.signal.rows(), 90);
  EXPECT_EQ(one.num_dropped, 0);
  EXPECT_EQ(one.signal, two.signal);
  EXPECT_EQ(one.targets, two.targets);
  // Every point is a scaled, reshaped signal point with its exact labels.
  EXPECT_TRUE((one.signal.array() >= 0).all());
  EXPECT_TRUE((one.targets.col(1).array() >= -1e-6).all());
  const auto check =
      likelihood.ProfiledTwiceNllDifference(one.signal.row(17).transpose());
  EXPECT_DOUBLE_EQ(check.observed, one.targets(17, 0));
  EXPECT_TRUE(one.upper.isApprox(one.signal.colwise().maxCoeff().transpose()));
  // The scale is where the Asimov statistic of μ s reaches the target.
  const double scale = one.scales.at(0);
  EXPECT_NEAR(likelihood.ProfiledTwiceNllDifference(scale * points[0]).asimov,
              options.max_test_statistic,
              0.15 * options.max_test_statistic);
  options.seed = 8;
  options.threads = 1;
  EXPECT_NE(SampleSurrogateTrainingSet(likelihood, points, options).signal,
            one.signal);
}

TEST(SurrogateDescription, RoundTripsThroughMetadata) {
  SurrogateDescription description;
  description.channels = {{"cr", 1}, {"sr", 2}};
  description.poi = "mu_SIG";
  description.poi_bounds = {0.0, 5.0};
  description.lower = Eigen::Vector3d(0, 0, 0);
  description.upper = Eigen::Vector3d(1.5, 20, 30);
  description.provenance = {{"goldmine.surrogate.training", "{\"points\":9}"}};
  std::map<std::string, std::string> metadata;
  for (const auto& [key, value] : description.ToMetadata()) {
    metadata[key] = value;
  }
  EXPECT_EQ(metadata.at("goldmine.format"), SurrogateFormatName());
  const SurrogateDescription back =
      SurrogateDescription::FromMetadata(metadata, "s.onnx");
  EXPECT_EQ(back.channels, description.channels);
  EXPECT_EQ(back.poi, "mu_SIG");
  EXPECT_EQ(back.poi_bounds, description.poi_bounds);
  EXPECT_EQ(back.upper, description.upper);
  EXPECT_EQ(back.provenance, description.provenance);
  EXPECT_EQ(back.TrainedMaxTestStatistic(), 30.0);  // absent: the default
  SurrogateDescription trained = back;
  trained.provenance = {{"goldmine.surrogate.training",
                         "{\"points\": 9, \"max_test_stat\": 20}"}};
  EXPECT_EQ(trained.TrainedMaxTestStatistic(), 20.0);
  EXPECT_EQ(back.InputNames(),
            (std::vector<std::string>{"cr[0]", "sr[0]", "sr[1]"}));

  const auto refused = [&](std::map<std::string, std::string> edited,
                           const std::string& message) {
    try {
      SurrogateDescription::FromMetadata(edited, "s.onnx");
      ADD_FAILURE() << "accepted: " << message;
    } catch (const FileFormatError& error) {
      EXPECT_THAT(error.what(), HasSubstr("s.onnx"));
      EXPECT_THAT(error.what(), HasSubstr(message));
    }
  };
  auto edited = metadata;
  edited["goldmine.format_version"] = "2";
  refused(edited, "format version \"2\"");
  edited = metadata;
  edited["goldmine.format"] = "goldmine-onnx";
  refused(edited, "not a goldmine likelihood surrogate");
  edited = metadata;
  edited.erase("goldmine.surrogate.validity");
  refused(edited, "goldmine.surrogate.validity");
  edited = metadata;
  edited["goldmine.surrogate.validity"] = R"({"lower": [0], "upper": [1]})";
  refused(edited, "3 finite numbers");
  edited = metadata;
  edited.erase("goldmine.format");
  refused(edited, "no goldmine.format");
}

TEST(ParseSignalYields, ReadsChannelsAndNamesWhatIsWrong) {
  SurrogateDescription description;
  description.channels = {{"cr", 1}, {"sr", 2}};
  const Eigen::VectorXd yields = ParseSignalYields(
      R"({"sr": [1, 2.5], "cr": [0.25]})", description, "y.json");
  EXPECT_EQ(yields, Eigen::Vector3d(0.25, 1.0, 2.5));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"sr": [1, 2, 3], "cr": [0]})", "sr: expected 2 yields, got 3"},
      {R"({"sr": [1, 2]})", "channel \"cr\" is missing"},
      {R"({"sr": [1, 2], "cr": [0], "vr": [1]})", "unknown channel \"vr\""},
      {R"({"sr": [1, -2], "cr": [0]})", "sr[1]: expected a finite number"},
      {R"([1, 2, 3])", "expected an object"},
  };
  for (const auto& [text, message] : cases) {
    try {
      ParseSignalYields(text, description, "y.json");
      ADD_FAILURE() << "accepted " << text;
    } catch (const InvalidInput& error) {
      EXPECT_THAT(error.what(), HasSubstr("y.json"));
      EXPECT_THAT(error.what(), HasSubstr(message));
    }
  }
}

TEST(RequireNetworkMatchesDescription, NeedsTheInputsAndTwoOutputs) {
  const YieldLikelihood likelihood = TestLikelihood();
  const ExactSurrogate network(likelihood);  // 3 inputs, 2 outputs
  SurrogateDescription description = WideDescription(likelihood);
  EXPECT_NO_THROW(
      RequireNetworkMatchesDescription(network, description, "s.onnx"));
  description.channels = {{"sr", 2}};
  EXPECT_THAT(
      [&] { RequireNetworkMatchesDescription(network, description, "s.onnx"); },
      ::testing::ThrowsMessage<FileFormatError>(
          "s.onnx: the network's inputs and outputs do not match its "
          "description (was the file edited?)"));
}

TEST(BuildSurrogateDescription, RecordsInputsValidityAndProvenance) {
  const auto folder = testing::MakeScratchFolder("surrogate_description");
  // The digest is of the file's bytes, whatever they are: SHA-256("abc") is
  // the FIPS 180-2 example.
  const auto workspace_path = folder / "ws.json";
  std::ofstream(workspace_path) << "abc";
  SurrogateSignals signals;
  const Workspace workspace = TestWorkspace();
  signals.likelihood =
      std::make_unique<YieldLikelihood>(workspace, SignalChannels(workspace));
  signals.points = {Eigen::Vector3d(0.5, 4.0, 6.0)};
  signals.sources = {"ws.json"};
  SurrogateTrainingSet set;
  set.signal = Eigen::MatrixXd::Zero(12, 3);
  set.num_dropped = 1;
  set.scales = {2.5};
  set.lower = Eigen::Vector3d(0.0, 0.0, 0.0);
  set.upper = Eigen::Vector3d(1.0, 10.0, 15.0);
  SurrogateSamplingOptions sampling;
  sampling.max_test_statistic = 20.0;
  sampling.seed = 7;
  SurrogateNetworkTraining network;
  network.hidden = {8, 8};
  network.activation = "softplus";
  network.epochs = 100;
  network.epochs_run = 40;
  network.best_epoch = 30;
  network.batch_size = 16;
  network.learning_rate = 0.002;
  network.warmup_fraction = 0.05;
  network.validation_fraction = 0.2;
  network.validation_rmse = Eigen::Vector2d(0.5, 0.25);

  const SurrogateDescription description = BuildSurrogateDescription(
      signals, set, sampling, network, workspace_path.string(), "m");
  EXPECT_EQ(description.channels,
            (std::vector<std::pair<std::string, int>>{{"cr", 1}, {"sr", 2}}));
  EXPECT_EQ(description.poi, "mu");
  EXPECT_EQ(description.upper, set.upper);
  EXPECT_EQ(description.lower, set.lower);
  using Entry = std::pair<std::string, std::string>;
  EXPECT_EQ(
      description.provenance,
      (std::vector<Entry>{
          {"goldmine.surrogate.workspace",
           R"({"name":"ws.json","sha256":"ba7816bf8f01cfea414140de5dae2223)"
           R"(b00361a396177a9cb410ff61f20015ad","measurement":"m"})"},
          {"goldmine.surrogate.signal_points",
           R"([{"source":"ws.json","yields":[0.5,4.0,6.0],"scale":2.5}])"},
          {"goldmine.surrogate.training",
           R"({"points":12,"dropped_points":1,"mcmc_fraction":0.5,)"
           R"("shape_spread":0.3,"max_test_stat":20.0,"seed":7,)"
           R"("hidden":[8,8],"activation":"softplus","epochs":100,)"
           R"("epochs_run":40,"best_epoch":30,"batch_size":16,)"
           R"("learning_rate":0.002,"warmup_fraction":0.05,)"
           R"("schedule":"linear warm-up, cosine decay",)"
           R"("validation_fraction":0.2,)"
           R"x("loss":"squared error weighted by 1 / (0.5 + delta_asimov)",)x"
           R"("validation_rmse":[0.5,0.25]})"}}));
  // Validation reads the statistic back to draw its signals alike.
  EXPECT_EQ(description.TrainedMaxTestStatistic(), 20.0);
  std::filesystem::remove_all(folder);
  EXPECT_THROW(
      BuildSurrogateDescription(
          signals, set, sampling, network, workspace_path.string(), ""),
      InvalidInput);
}

TEST(ValidateSurrogate, AnExactSurrogateAgreesWithTheFullLikelihood) {
  const YieldLikelihood likelihood = TestLikelihood();
  const ExactSurrogate surrogate(likelihood);
  const std::vector<Eigen::VectorXd> points = {
      likelihood.SignalYields(TestWorkspace())};
  SurrogateValidationOptions options;
  options.num_points = 3;
  options.num_limits = 1;
  const SurrogateValidation validation =
      ValidateSurrogate(surrogate,
                        WideDescription(likelihood),
                        likelihood,
                        points,
                        options,
                        "s.onnx",
                        "ws.json");
  ASSERT_EQ(validation.points.size(), 3u);
  EXPECT_EQ(validation.num_unconverged, 0);
  for (const SurrogateValidationPoint& point : validation.points) {
    EXPECT_NEAR(point.cls_surrogate, point.cls_full, 1e-4);
    EXPECT_NEAR(point.cls_expected_surrogate, point.cls_expected_full, 1e-4);
  }
  EXPECT_TRUE(validation.points[0].has_limit);
  EXPECT_NEAR(validation.points[0].limit_surrogate,
              validation.points[0].limit_full,
              1e-3 * validation.points[0].limit_full);
  EXPECT_EQ(validation.decision_agreement, 1.0);
}

TEST(ValidateSurrogate, RefusesAWorkspaceWithOtherSignalChannels) {
  const YieldLikelihood likelihood = TestLikelihood();
  const ExactSurrogate surrogate(likelihood);
  SurrogateDescription description = WideDescription(likelihood);
  description.channels = {{"sr", 2}, {"vr", 1}};
  EXPECT_THAT(
      [&] {
        ValidateSurrogate(surrogate,
                          description,
                          likelihood,
                          {likelihood.SignalYields(TestWorkspace())},
                          SurrogateValidationOptions(),
                          "s.onnx",
                          "ws.json");
      },
      ::testing::ThrowsMessage<InvalidInput>(
          "s.onnx: its inputs are not the signal channels of ws.json; is "
          "this the workspace it was trained on?"));
}

}  // namespace
}  // namespace goldmine::inference
