// Asymptotic CLs (q̃_μ) across the POI range against pyhf: every point of
// ../shared/reference/histfactory/cls_scan.json (0.25–2× each upper limit and
// the POI's upper bound; its "generator" entry says how pyhf made it), to the
// reference tolerances: 1e-3 relative with a 1e-12 absolute floor.
#include <gtest/gtest.h>

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

INSTANTIATE_TEST_SUITE_P(Pyhf,
                         ClsScan,
                         ::testing::ValuesIn(ScanCaseIds()),
                         [](const ::testing::TestParamInfo<std::string>& test) {
                           return test.param;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ClsScan);

}  // namespace
}  // namespace goldmine::inference
