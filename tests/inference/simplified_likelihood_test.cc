// Simplified likelihoods (issue 18): exact where the full model is itself
// Gaussian and linear in its nuisance parameters, consistent with the fit's
// covariance after it, and within stated tolerances of the full model on
// ATLAS workspaces (docs/simplified_likelihood.md).
#include "goldmine/inference/simplified_likelihood.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goldmine/core/errors.h"
#include "goldmine/inference/hypotest.h"
#include "goldmine/inference/workspace.h"
#include "support/reference_data.h"
#include "support/scratch_folder.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;

// Two bins; one background systematic as a symmetric histosys (linear in
// α, unit Gaussian constraint) and a signal without systematics: the full
// likelihood is exactly the simplified one with V = Δ Δᵀ.
constexpr const char* kLinearWorkspace = R"({
  "channels": [{"name": "sr", "samples": [
    {"name": "signal", "data": [5.0, 3.0],
     "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
    {"name": "background", "data": [50.0, 40.0],
     "modifiers": [{"name": "jes", "type": "histosys",
                    "data": {"hi_data": [55.0, 44.0],
                             "lo_data": [45.0, 36.0]}}]}]}],
  "observations": [{"name": "sr", "data": [53.0, 47.0]}],
  "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
  "version": "1.0.0"})";

Model SimplifiedModel(const SimplifiedLikelihood& likelihood) {
  return Model(Workspace::FromJson(SimplifiedLikelihoodWorkspace(likelihood),
                                   "simplified"));
}

TEST(SimplifiedLikelihood, PrefitIsExactForALinearGaussianModel) {
  const Model full(Workspace::FromJson(kLinearWorkspace));
  const SimplifiedLikelihood likelihood = Simplify(full, /*prefit=*/true);
  const Eigen::Vector2d delta(5.0, 4.0);
  EXPECT_TRUE(likelihood.background.isApprox(Eigen::Vector2d(50.0, 40.0)));
  EXPECT_TRUE(likelihood.signal.isApprox(Eigen::Vector2d(5.0, 3.0)));
  EXPECT_TRUE(likelihood.covariance.isApprox(delta * delta.transpose(), 1e-6))
      << likelihood.covariance;
  const Model simplified = SimplifiedModel(likelihood);
  for (double mu : {0.5, 1.0, 3.0}) {
    const HypotestResult a = Hypotest(full, full.observed_data(), mu);
    const HypotestResult b =
        Hypotest(simplified, simplified.observed_data(), mu);
    EXPECT_NEAR(b.cls_obs, a.cls_obs, 1e-6) << mu;
    for (int k = 0; k < 5; ++k)
      EXPECT_NEAR(b.cls_expected[k], a.cls_expected[k], 1e-6) << mu;
  }
}

TEST(SimplifiedLikelihood, PostfitUsesTheBackgroundOnlyFit) {
  const Model full(Workspace::FromJson(kLinearWorkspace));
  const SimplifiedLikelihood likelihood = Simplify(full, /*prefit=*/false);
  ASSERT_TRUE(likelihood.fit_converged);
  const FitResult fit = FixedPoiFit(full, full.observed_data(), 0.0);
  const int jes = full.ParameterIndex("jes");
  const Eigen::Vector2d delta(5.0, 4.0);
  const double alpha = fit.parameters(jes);
  const double sigma = fit.uncertainties(jes);
  // b(α̂) = nominal + α̂ Δ and V = σ̂² Δ Δᵀ for a linear histosys.
  EXPECT_TRUE(likelihood.background.isApprox(
      Eigen::Vector2d(50.0, 40.0) + alpha * delta, 1e-9));
  EXPECT_TRUE(likelihood.covariance.isApprox(
      sigma * sigma * delta * delta.transpose(), 1e-5))
      << likelihood.covariance;
  EXPECT_GT(alpha, 0.0);  // the data lie above the nominal background
  EXPECT_LT(sigma, 1.0);  // and constrain it
}

TEST(SimplifiedLikelihood, JsonRoundTripsAndMalformedFilesNameTheKey) {
  const Model full(Workspace::FromJson(kLinearWorkspace));
  const SimplifiedLikelihood likelihood = Simplify(full, true);
  const std::string text = SimplifiedLikelihoodJson(likelihood);
  ASSERT_TRUE(IsSimplifiedLikelihoodJson(text));
  EXPECT_FALSE(IsSimplifiedLikelihoodJson(kLinearWorkspace));
  const SimplifiedLikelihood back = ParseSimplifiedLikelihood(text, "sl.json");
  EXPECT_EQ(back.channels, likelihood.channels);
  EXPECT_EQ(back.poi_name, "mu");
  EXPECT_TRUE(back.covariance.isApprox(likelihood.covariance));
  EXPECT_TRUE(back.observed.isApprox(likelihood.observed));

  auto broken = nlohmann::json::parse(text);
  broken["signal"] = {1.0};
  EXPECT_THAT([&] { ParseSimplifiedLikelihood(broken.dump(), "sl.json"); },
              ::testing::ThrowsMessage<FileFormatError>(
                  HasSubstr("sl.json: \"signal\" must be a list of 2")));
  broken = nlohmann::json::parse(text);
  broken["covariance"][0][1] = 99.0;
  EXPECT_THAT(
      [&] { ParseSimplifiedLikelihood(broken.dump(), "sl.json"); },
      ::testing::ThrowsMessage<FileFormatError>(HasSubstr("not symmetric")));
  broken = nlohmann::json::parse(text);
  broken["format_version"] = 7;
  EXPECT_THAT(
      [&] { ParseSimplifiedLikelihood(broken.dump(), "sl.json"); },
      ::testing::ThrowsMessage<FileFormatError>(HasSubstr("format version 7")));
}

// An ATLAS sbottom likelihood (the pyhf tutorial point): the simplified
// likelihood's upper limits against the full model's. Measured: observed
// 0.686 against 0.708 (−3 %), expected 0.922 against 0.978 (−6 %); the
// sbottom RegionA/B numbers are in docs/simplified_likelihood.md.
TEST(SimplifiedLikelihood, UpperLimitOfTheAtlasTutorialWithinTenPercent) {
  const auto path = testing::FindReference(
      "histfactory/workspaces/atlastut_sbottom_1200_1150_60.json");
  if (path.empty()) GTEST_SKIP() << "HistFactory reference data absent";
  const Model full(Workspace::FromJson(testing::ReadText(path)));
  const Model simplified = SimplifiedModel(Simplify(full, false));
  const UpperLimitResult a = UpperLimit(full, full.observed_data());
  const UpperLimitResult b = UpperLimit(simplified, simplified.observed_data());
  EXPECT_NEAR(b.observed / a.observed, 1.0, 0.10)
      << b.observed << " vs " << a.observed;
  EXPECT_NEAR(b.expected[2] / a.expected[2], 1.0, 0.10)
      << b.expected[2] << " vs " << a.expected[2];
  // Not identical: the approximation is visible.
  EXPECT_GT(std::abs(b.observed / a.observed - 1.0), 1e-3);
}

}  // namespace
}  // namespace goldmine::inference
