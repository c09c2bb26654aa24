#include "goldmine/inference/fit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace goldmine::inference {
namespace {

// n observed on b = 20 fixed background plus s μ with s = 10: μ̂ = (n − b)/s,
// and the Hessian gives σ(μ̂) = √n / s.
Model CountingModel(double observed) {
  return Model(Workspace::FromJson(
      R"({"channels": [{"name": "c", "samples": [
          {"name": "s", "data": [10],
           "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
          {"name": "b", "data": [20], "modifiers": []}]}],
        "observations": [{"name": "c", "data": [)" +
      std::to_string(observed) + R"(]}],
        "measurements": [{"name": "m", "config": {"poi": "mu",
          "parameters": [{"name": "mu", "bounds": [[-1, 10]]}]}}],
        "version": "1.0.0"})"));
}

TEST(Fit, FindsAnalyticMaximumAndUncertainty) {
  const Model model = CountingModel(35);
  const FitResult result = Fit(model, model.observed_data());
  ASSERT_TRUE(result.converged) << result.message;
  EXPECT_NEAR(result.parameters(0), 1.5, 1e-6);
  EXPECT_NEAR(result.uncertainties(0), std::sqrt(35.0) / 10.0, 1e-5);
  EXPECT_NEAR(result.twice_nll,
              -2 * (35 * std::log(35.0) - 35 - std::lgamma(36.0)),
              1e-9);
}

TEST(Fit, StopsAtTheLowerBound) {
  const Model model = CountingModel(5);  // μ̂ = −1.5 lies below −1
  const FitResult result = Fit(model, model.observed_data());
  ASSERT_TRUE(result.converged) << result.message;
  EXPECT_NEAR(result.parameters(0), -1.0, 1e-9);
}

TEST(Fit, FixedPoiFitKeepsThePoi) {
  const Model model = CountingModel(35);
  const FitResult result = FixedPoiFit(model, model.observed_data(), 0.25);
  EXPECT_TRUE(result.converged);
  EXPECT_EQ(result.parameters(0), 0.25);
  EXPECT_EQ(result.uncertainties(0), 0.0);
  EXPECT_EQ(result.message, "no free parameters");
}

TEST(Fit, ReportsNonConvergenceInsteadOfThrowing) {
  const Model model = CountingModel(35);
  FitOptions options;
  options.max_evaluations = 1;
  options.max_rounds = 1;
  const FitResult result = Fit(model, model.observed_data(), options);
  EXPECT_FALSE(result.converged);
  EXPECT_NE(result.message.find("did not converge"), std::string::npos)
      << result.message;
}

TEST(Fit, OptionsValidateListsEveryProblem) {
  FitOptions options;
  options.gradient_tolerance = 0;
  options.max_rounds = 0;
  EXPECT_EQ(options.Validate(),
            "gradient_tolerance must be > 0; max_rounds must be >= 1");
}

}  // namespace
}  // namespace goldmine::inference
