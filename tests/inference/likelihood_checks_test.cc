// Library side of issue 14 item 3: which workspaces have no meaningful
// likelihood (likelihood_checks.h), a negative rate has none even without
// observed events, and an upper limit that CLs never reaches is reported as
// not converged instead of a huge number.
#include "goldmine/inference/likelihood_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "goldmine/inference/hypotest.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Workspace OneBinPair(const std::string& signal,
                     const std::string& background,
                     const std::string& observed) {
  return Workspace::FromJson(
      R"({"channels": [{"name": "sr", "samples": [
        {"name": "sig", "data": )" +
          signal + R"(, "modifiers": [
          {"name": "mu", "type": "normfactor", "data": null}]},
        {"name": "bkg", "data": )" +
          background + R"(, "modifiers": []}]}],
      "observations": [{"name": "sr", "data": )" +
          observed + R"(}],
      "measurements": [{"name": "m", "config": {"poi": "mu",
                                                "parameters": []}}],
      "version": "1.0.0"})",
      "test");
}

TEST(LikelihoodChecks, NamesTheBinWithEventsThatNoSampleFills) {
  const Workspace workspace = OneBinPair("[5, 0]", "[50, 0]", "[52, 50]");
  const Model model(workspace);
  EXPECT_THAT(FitLikelihoodProblem(workspace, model),
              StartsWith("observations[0].data[1]: 50 events observed"));
  // Clipping gives the bin a rate: then the likelihood exists.
  ModelOptions clipped;
  clipped.clip_bin_data = 1e-3;
  EXPECT_EQ(FitLikelihoodProblem(workspace, Model(workspace, clipped)), "");
}

TEST(LikelihoodChecks, AcceptsAnEmptyBinWithoutEvents) {
  const Workspace workspace = OneBinPair("[5, 0]", "[50, 0]", "[52, 0]");
  const Model model(workspace);
  EXPECT_EQ(FitLikelihoodProblem(workspace, model), "");
  EXPECT_EQ(HypotestLikelihoodProblem(workspace, model), "");
}

TEST(LikelihoodChecks, HypotestsNeedABackgroundInEveryBinWithEvents) {
  const Workspace workspace = OneBinPair("[5, 3]", "[50, 0]", "[52, 4]");
  const Model model(workspace);
  EXPECT_EQ(FitLikelihoodProblem(workspace, model), "");
  EXPECT_THAT(HypotestLikelihoodProblem(workspace, model),
              StartsWith("observations[0].data[1]: 4 events"));
}

TEST(LikelihoodChecks, NamesAPoiWithoutEffect) {
  const Workspace workspace = OneBinPair("[0, 0]", "[50, 60]", "[52, 58]");
  const Model model(workspace);
  EXPECT_THAT(FitLikelihoodProblem(workspace, model),
              StartsWith("measurements[0].config.poi: the parameter of "
                         "interest \"mu\" has no effect"));
}

TEST(LikelihoodChecks, NegativeRateHasNoLikelihoodEvenWithoutEvents) {
  // Was −rate (a finite, too good twice_nll) for 0 observed events; pyhf's
  // 0 · ln(rate) is NaN there.
  const Workspace workspace = OneBinPair("[5, 5]", "[10, 50]", "[0, 30]");
  const Model model(workspace);
  Eigen::VectorXd pars = model.inits();
  EXPECT_TRUE(std::isfinite(model.TwiceNll(pars, model.observed_data())));
  Eigen::VectorXd data = model.observed_data();
  pars(model.poi_index()) = -3.0;  // rate 10 − 15 < 0 in the first bin
  EXPECT_TRUE(std::isnan(model.TwiceNll(pars, data)));
}

TEST(UpperLimitBracket, ReportsALimitThatClsNeverReaches) {
  // Was 7.7e18 with converged true: CLs is 1 at every μ.
  const Workspace workspace = OneBinPair("[0, 0]", "[50, 60]", "[52, 58]");
  const Model model(workspace);
  const UpperLimitResult limit = UpperLimit(model, model.observed_data());
  EXPECT_FALSE(limit.converged);
  EXPECT_THAT(limit.message, HasSubstr("no limit"));
}

}  // namespace
}  // namespace goldmine::inference
