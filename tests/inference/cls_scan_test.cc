// Asymptotic CLs (q̃_μ) across the POI range against pyhf: every point of
// ../shared/reference/histfactory/cls_scan.json (0.25–2× each upper limit and
// the POI's upper bound; its "generator" entry says how pyhf made it), to the
// reference tolerances: 1e-3 relative with a 1e-12 absolute floor.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "goldmine/inference/hypotest.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"
#include "inference/reference_case.h"
#include "support/reference_data.h"

namespace goldmine::inference {
namespace {

using reference::Case;
using reference::LoadCase;

// The case ids of cls_scan.json (read once; empty without reference data).
std::vector<std::string> ScanCaseIds() {
  const auto path =
      goldmine::testing::FindReference("histfactory/cls_scan.json");
  std::vector<std::string> ids;
  if (path.empty()) return ids;
  const nlohmann::json scan = goldmine::testing::ReadJson(path);
  for (const nlohmann::json& entry : scan["cases"]) {
    ids.push_back(entry["id"].get<std::string>());
  }
  return ids;
}

const nlohmann::json* ScanCase(const std::string& id) {
  static const nlohmann::json scan = [] {
    const auto path =
        goldmine::testing::FindReference("histfactory/cls_scan.json");
    return path.empty() ? nlohmann::json() : goldmine::testing::ReadJson(path);
  }();
  if (scan.is_null()) return nullptr;
  for (const nlohmann::json& entry : scan["cases"]) {
    if (entry["id"] == id) return &entry;
  }
  return nullptr;
}

void ExpectClose(double actual, double expected, const std::string& what) {
  EXPECT_LE(std::abs(actual - expected),
            std::max(1e-12, 1e-3 * std::abs(expected)))
      << what << ": goldmine " << actual << " vs pyhf " << expected;
}

class ClsScan : public ::testing::TestWithParam<std::string> {};

TEST_P(ClsScan, MatchesPyhfAtEveryPoint) {
  const nlohmann::json* scan = ScanCase(GetParam());
  Case loaded;
  if (scan == nullptr || !LoadCase(GetParam(), &loaded)) {
    GTEST_SKIP() << "histfactory/cls_scan.json or the case " << GetParam()
                 << " not found under " << goldmine::testing::SharedDir();
  }
  ModelOptions model_options;
  model_options.measurement = loaded.measurement;
  const Model model(Workspace::FromJson(loaded.workspace_text, GetParam()),
                    model_options);
  HypotestOptions options;
  options.poi_bounds = std::make_pair((*scan)["poi_bounds"][0].get<double>(),
                                      (*scan)["poi_bounds"][1].get<double>());
  Hypotester tester(model, model.observed_data(), options);
  const auto start = std::chrono::steady_clock::now();
  for (const nlohmann::json& point : (*scan)["points"]) {
    const double mu = point["poi_value"].get<double>();
    const HypotestResult result = tester.Test(mu);
    const std::string at = GetParam() + " mu=" + std::to_string(mu);
    EXPECT_TRUE(result.converged) << at << ": " << result.message;
    ExpectClose(result.cls_obs, point["CLs_obs"], at + " CLs_obs");
    ExpectClose(result.clsb_obs, point["CLsb_obs"], at + " CLsb_obs");
    ExpectClose(result.clb_obs, point["CLb_obs"], at + " CLb_obs");
    for (int i = 0; i < 5; ++i) {
      ExpectClose(result.cls_expected[i],
                  point["CLs_exp"][i],
                  at + " CLs_exp[" + std::to_string(i) + "]");
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ::testing::Test::RecordProperty("seconds", std::to_string(seconds));
}

// Beyond the POI bound (issue 14 item 2): sbottom RegionB has its limit at
// μ ≈ 107, ten times its bound of 10. pyhf b3dc4bb (numpy, SLSQP tolerance
// 1e-10), hypotest(mu, test_stat="qtilde", return_expected_set=True) with
// the POI bounds raised to [0, 640]:
TEST(ClsBeyondThePoiBound, MatchesPyhfOnSbottomRegionB) {
  Case loaded;
  if (!LoadCase("sbottom_B_1400_550_60", &loaded)) {
    GTEST_SKIP() << "reference case sbottom_B_1400_550_60 not found";
  }
  const Model model(Workspace::FromJson(loaded.workspace_text, "sbottom_B"));
  struct Point {
    double mu;
    double cls_obs;
    std::array<double, 5> cls_expected;
  };
  const Point points[] = {
      {20.0,
       0.567217336637363,
       {0.25133974796953273,
        0.39785418436492404,
        0.5967463182550997,
        0.8095958269875426,
        0.9509777845039442}},
      {50.0,
       0.2255391637085501,
       {0.036146782865618836,
        0.09997982442609173,
        0.2510251683543674,
        0.5244288839862776,
        0.8216230327068963}},
      {107.0,
       0.050350982705343585,
       {0.0021708390406028908,
        0.012003123435972414,
        0.05828017436985148,
        0.2208037855967536,
        0.554999950016773}},
      {200.0,
       0.01489548246237538,
       {0.00025352434389217443,
        0.0022334817933206954,
        0.017024029751922562,
        0.09846700757588049,
        0.35781902181675423}},
  };
  // As UpperLimit does: the suggested bound, widened when needed.
  Hypotester tester(model, model.observed_data());
  tester.WidenUpperBound(640.0);
  for (const Point& point : points) {
    const HypotestResult result = tester.Test(point.mu);
    const std::string at = "mu=" + std::to_string(point.mu);
    EXPECT_TRUE(result.converged) << at << ": " << result.message;
    ExpectClose(result.cls_obs, point.cls_obs, at + " CLs_obs");
    for (int i = 0; i < 5; ++i) {
      ExpectClose(result.cls_expected[i],
                  point.cls_expected[i],
                  at + " CLs_exp[" + std::to_string(i) + "]");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Pyhf,
                         ClsScan,
                         ::testing::ValuesIn(ScanCaseIds()),
                         [](const ::testing::TestParamInfo<std::string>& test) {
                           return test.param;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ClsScan);

}  // namespace
}  // namespace goldmine::inference
