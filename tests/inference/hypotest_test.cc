// Hypothesis tests and upper limits against pyhf's reference results
// (README tolerances: CLs and p0 to 1e-3 relative with a 1e-12 absolute
// floor, upper limits to 1e-3 relative, toys within 3 combined binomial
// sigmas) and against analytic one-bin formulas.
#include "goldmine/inference/hypotest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "goldmine/core/errors.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"
#include "inference/reference_case.h"

namespace goldmine::inference {
namespace {

using reference::Case;
using reference::kCases;
using reference::LoadCase;
using ::testing::HasSubstr;

void ExpectClose(double actual,
                 double expected,
                 double relative,
                 const std::string& what) {
  EXPECT_LE(std::abs(actual - expected),
            std::max(1e-12, relative * std::abs(expected)))
      << what << ": " << actual << " vs pyhf " << expected;
}

class HypotestReference : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!LoadCase(GetParam(), &case_)) {
      GTEST_SKIP() << "reference data for " << GetParam() << " not found";
    }
    reference_ = &case_.expected["reference"];
    ModelOptions options;
    options.measurement = case_.measurement;
    model_ = std::make_unique<Model>(
        Workspace::FromJson(case_.workspace_text, GetParam()), options);
    if (!model_->has_poi()) GTEST_SKIP() << "POI-less model";
  }

  void ExpectHypotestMatches(TestStatistic statistic, const char* key) {
    const nlohmann::json& expected = (*reference_)[key];
    HypotestOptions options;
    options.test_statistic = statistic;
    const HypotestResult result = Hypotest(*model_,
                                           model_->observed_data(),
                                           expected["poi_test"].get<double>(),
                                           options);
    EXPECT_TRUE(result.converged) << result.message;
    const bool discovery = statistic == TestStatistic::kQ0;
    ExpectClose(result.cls_obs,
                expected[discovery ? "p0_obs" : "CLs_obs"],
                1e-3,
                std::string(key) + " observed");
    const nlohmann::json& band =
        expected[discovery ? "p0_exp_band" : "CLs_exp_band"];
    for (int i = 0; i < 5; ++i) {
      ExpectClose(result.cls_expected[i],
                  band[i],
                  1e-3,
                  std::string(key) + " expected[" + std::to_string(i) + "]");
    }
    ExpectClose(result.clb_obs, expected["CLb_obs"], 1e-3, "CLb");
    EXPECT_NEAR(result.test_statistic_obs,
                expected["teststat_obs"].get<double>(),
                2e-4);
    EXPECT_NEAR(result.test_statistic_asimov,
                expected["teststat_asimov"].get<double>(),
                2e-4);
  }

  Case case_;
  std::unique_ptr<Model> model_;
  const nlohmann::json* reference_ = nullptr;
};

TEST_P(HypotestReference, MatchesAsymptoticClsWithQMuTilde) {
  ExpectHypotestMatches(TestStatistic::kQMuTilde, "hypotest_qtilde");
}

TEST_P(HypotestReference, MatchesAsymptoticClsWithQMu) {
  ExpectHypotestMatches(TestStatistic::kQMu, "hypotest_q");
}

TEST_P(HypotestReference, MatchesDiscoveryP0) {
  ExpectHypotestMatches(TestStatistic::kQ0, "discovery_q0");
}

TEST_P(HypotestReference, MatchesUpperLimits) {
  const nlohmann::json& expected = (*reference_)["upper_limit"];
  const UpperLimitResult result =
      UpperLimit(*model_, model_->observed_data(), {});
  EXPECT_TRUE(result.converged) << result.message;
  ExpectClose(result.observed, expected["obs"], 1e-3, "observed limit");
  for (int i = 0; i < 5; ++i) {
    ExpectClose(result.expected[i],
                expected["exp_band"][i],
                1e-3,
                "expected limit " + std::to_string(i));
  }
  EXPECT_EQ(result.poi_bounds_widened,
            expected["poi_bounds_widened"].get<bool>());
  ::testing::Test::RecordProperty("num_hypotests", result.num_hypotests);
}

TEST_P(HypotestReference, MatchesToysWithinStatisticalPrecision) {
  if (!reference_->contains("toys")) GTEST_SKIP() << "no toys in reference";
  const nlohmann::json& expected = (*reference_)["toys"];
  HypotestOptions options;
  options.calculator = Calculator::kToys;
  options.num_toys = expected["settings"]["ntoys"];
  options.seed = 7;
  const HypotestResult result = Hypotest(*model_,
                                         model_->observed_data(),
                                         expected["settings"]["poi_test"],
                                         options);
  auto check = [&](double ours, double theirs, const char* what) {
    const double n = options.num_toys;
    const double sigma_ours = std::sqrt(ours * (1 - ours) / n);
    const double sigma_theirs = std::sqrt(theirs * (1 - theirs) / n);
    EXPECT_LE(std::abs(ours - theirs),
              3 * std::hypot(sigma_ours, sigma_theirs) + 1e-12)
        << what << ": " << ours << " vs pyhf " << theirs;
  };
  check(result.clsb_obs, expected["CLsb_obs"], "CLsb");
  check(result.clb_obs, expected["CLb_obs"], "CLb");
  // Same seed, same numbers.
  const HypotestResult again = Hypotest(*model_,
                                        model_->observed_data(),
                                        expected["settings"]["poi_test"],
                                        options);
  EXPECT_EQ(again.cls_obs, result.cls_obs);
  EXPECT_EQ(again.cls_expected, result.cls_expected);
}

// pyhf's own test suite (test_validation.py) runs these workspaces with
// modifier_settings {"normsys": {"interpcode": "code1"}}, which leaves
// histosys at pyhf's class default code0 (HISTFACTORY.md §4.4), and q_μ.
// The reference stores pyhf's results with a tight optimiser.
TEST_P(HypotestReference, MatchesPyhfWithNonDefaultInterpolationCodes) {
  if (!reference_->contains("crosscheck_vs_pyhf_testsuite") ||
      (*reference_)["crosscheck_vs_pyhf_testsuite"]["settings"]
                   ["modifier_settings"]
                       .is_null()) {
    GTEST_SKIP() << "no cross-check with other interpolation codes";
  }
  const nlohmann::json& check = (*reference_)["crosscheck_vs_pyhf_testsuite"];
  const nlohmann::json& settings = check["settings"];
  ASSERT_EQ(settings["modifier_settings"],
            nlohmann::json::parse(R"({"normsys": {"interpcode": "code1"}})"));
  ModelOptions options;
  options.measurement = case_.measurement;
  options.normsys_code = InterpolationCode::kCode1;
  options.histosys_code = InterpolationCode::kCode0;
  const Model model(Workspace::FromJson(case_.workspace_text, GetParam()),
                    options);
  HypotestOptions hypotest;
  hypotest.test_statistic =
      ParseTestStatistic(settings["test_stat"].get<std::string>());
  const HypotestResult result = Hypotest(model,
                                         model.observed_data(),
                                         settings["poi_test"].get<double>(),
                                         hypotest);
  EXPECT_TRUE(result.converged) << result.message;
  const nlohmann::json& expected = check["tight_reference"];
  ExpectClose(result.cls_obs, expected["obs"], 1e-3, "observed");
  for (int i = 0; i < 5; ++i) {
    ExpectClose(result.cls_expected[i],
                expected["exp"][i],
                1e-3,
                "expected[" + std::to_string(i) + "]");
  }
}

std::string CaseName(const ::testing::TestParamInfo<const char*>& info) {
  return info.param;
}

INSTANTIATE_TEST_SUITE_P(Pyhf,
                         HypotestReference,
                         ::testing::ValuesIn(kCases),
                         CaseName);

// One bin, n observed, b known background, signal μ·s, no nuisance
// parameters: μ̂ = (n − b)/s and the test statistics are closed-form.
Model OneBinModel(double signal, double background, double observed) {
  const std::string text =
      R"({"channels": [{"name": "c", "samples": [
           {"name": "s", "data": [)" +
      std::to_string(signal) +
      R"(], "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
           {"name": "b", "data": [)" +
      std::to_string(background) + R"(], "modifiers": []}]}],
       "observations": [{"name": "c", "data": [)" +
      std::to_string(observed) + R"(]}],
       "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
       "version": "1.0.0"})";
  return Model(Workspace::FromJson(text));
}

double TwiceLogPoissonRatio(double n, double rate_null, double rate_best) {
  return 2 * (n * std::log(rate_best / rate_null) - rate_best + rate_null);
}

TEST(Hypotest, OneBinTestStatisticsAreClosedForm) {
  const Model model = OneBinModel(5.0, 10.0, 13.0);
  const double mu = 2.0;
  const double mu_hat = (13.0 - 10.0) / 5.0;
  const double expected_t =
      TwiceLogPoissonRatio(13.0, 10.0 + 5.0 * mu, 10.0 + 5.0 * mu_hat);
  const TestStatisticResult q = EvaluateTestStatistic(
      model, model.observed_data(), mu, TestStatistic::kQMuTilde, {0.0, 10.0});
  EXPECT_NEAR(q.global_fit.parameters(0), mu_hat, 1e-5);
  EXPECT_NEAR(q.value, expected_t, 1e-7);
  // μ̂ > μ: q is zero, t is not.
  const TestStatisticResult q_low = EvaluateTestStatistic(
      model, model.observed_data(), 0.2, TestStatistic::kQMu, {-5.0, 10.0});
  EXPECT_EQ(q_low.value, 0.0);
  const TestStatisticResult t_low = EvaluateTestStatistic(
      model, model.observed_data(), 0.2, TestStatistic::kTMu, {-5.0, 10.0});
  EXPECT_NEAR(t_low.value, TwiceLogPoissonRatio(13.0, 11.0, 13.0), 1e-7);
  const TestStatisticResult q0 = EvaluateTestStatistic(
      model, model.observed_data(), 0.0, TestStatistic::kQ0, {0.0, 10.0});
  EXPECT_NEAR(q0.value, TwiceLogPoissonRatio(13.0, 10.0, 13.0), 1e-7);
}

TEST(Hypotest, OneBinAsimovClsFollowsCcgv) {
  const Model model = OneBinModel(5.0, 10.0, 13.0);
  const double mu = 2.0;
  const Eigen::VectorXd asimov =
      AsimovData(model, model.observed_data(), 0.0, {0.0, 10.0});
  EXPECT_NEAR(asimov(0), 10.0, 1e-9);  // background only
  const double q = TwiceLogPoissonRatio(13.0, 20.0, 13.0);
  const double q_asimov = TwiceLogPoissonRatio(10.0, 20.0, 10.0);
  const HypotestResult result = Hypotest(model, model.observed_data(), mu);
  EXPECT_NEAR(result.test_statistic_asimov, q_asimov, 1e-7);
  // √q < √q_A here: CLs+b = 1 − Φ(√q), CLb = Φ(√q_A − √q) (CCGV 59, 65).
  ASSERT_LT(q, q_asimov);
  const double clsb = 1 - NormalCdf(std::sqrt(q));
  const double clb = NormalCdf(std::sqrt(q_asimov) - std::sqrt(q));
  EXPECT_NEAR(result.cls_obs, clsb / clb, 1e-7);
  EXPECT_NEAR(
      result.cls_expected[2], (1 - NormalCdf(std::sqrt(q_asimov))) / 0.5, 1e-7);
}

TEST(Hypotest, ClsIsOneAtZeroSignal) {
  const Model model = OneBinModel(5.0, 10.0, 13.0);
  const HypotestResult result = Hypotest(model, model.observed_data(), 0.0);
  EXPECT_DOUBLE_EQ(result.cls_obs, 1.0);
}

TEST(Hypotest, NormalCdfIsAccurateInTheTails) {
  EXPECT_DOUBLE_EQ(NormalCdf(0.0), 0.5);
  EXPECT_NEAR(NormalCdf(-10.0) / 7.619853024160527e-24, 1.0, 1e-12);
  EXPECT_NEAR(NormalCdf(1.959963984540054), 0.975, 1e-15);
}

TEST(Hypotest, RejectsPoiOutsideItsBounds) {
  const Model model = OneBinModel(5.0, 10.0, 13.0);
  EXPECT_THAT([&] { Hypotest(model, model.observed_data(), 11.0); },
              ::testing::ThrowsMessage<InvalidInput>(
                  HasSubstr("outside its bounds [0.000000, 10.000000]")));
}

TEST(Hypotest, RejectsPoilessModel) {
  const Model model(Workspace::FromJson(
      R"({"channels": [{"name": "c", "samples": [{"name": "b", "data": [1],
          "modifiers": []}]}], "observations": [{"name": "c", "data": [1]}],
          "measurements": [{"name": "m", "config": {"poi": "", "parameters": []}}],
          "version": "1.0.0"})"));
  EXPECT_THAT([&] { Hypotest(model, model.observed_data(), 1.0); },
              ::testing::ThrowsMessage<InvalidInput>(
                  HasSubstr("no parameter of interest")));
}

TEST(UpperLimit, LinearScanInterpolatesCls) {
  const Model model = OneBinModel(5.0, 10.0, 13.0);
  UpperLimitOptions options;
  const UpperLimitResult root = UpperLimit(model, model.observed_data());
  for (int i = 0; i <= 40; ++i) options.scan.push_back(i * 0.25);
  const UpperLimitResult scan =
      UpperLimit(model, model.observed_data(), options);
  EXPECT_NEAR(scan.observed, root.observed, 2e-2);
  EXPECT_NEAR(scan.expected[2], root.expected[2], 2e-2);
  EXPECT_EQ(scan.num_hypotests, 41);
}

TEST(UpperLimit, WidensThePoiBoundWhenTheLimitIsAboveIt) {
  const Model model = OneBinModel(0.05, 10.0, 13.0);
  const UpperLimitResult result = UpperLimit(model, model.observed_data());
  EXPECT_TRUE(result.poi_bounds_widened);
  EXPECT_GT(result.observed, 10.0);
  EXPECT_GE(result.poi_bounds_used.second, result.expected[4]);
  const HypotestResult at_limit = [&] {
    HypotestOptions options;
    options.poi_bounds = result.poi_bounds_used;
    return Hypotest(model, model.observed_data(), result.observed, options);
  }();
  EXPECT_NEAR(at_limit.cls_obs, 0.05, 1e-6);
}

}  // namespace
}  // namespace goldmine::inference
