// Reproduces pyhf's reference results (../shared/reference/histfactory,
// produced with pyhf main @ b3dc4bb2): likelihood values at probe points,
// global and conditional fits. Tolerances are the README's: 1e-8 relative
// for pure evaluations, 1e-4 absolute for μ̂ and fitted twice_nll, 1e-3
// absolute for other fitted parameters.
#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "goldmine/inference/fit.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"
#include "inference/reference_case.h"
#include "support/reference_data.h"

namespace goldmine::inference {
namespace {

using goldmine::inference::reference::Case;
using goldmine::inference::reference::kCases;
using goldmine::inference::reference::LoadCase;
using goldmine::testing::FindReference;
using goldmine::testing::ReadJson;

Eigen::VectorXd ParametersByName(const Model& model,
                                 const nlohmann::json& pars) {
  Eigen::VectorXd values(model.num_parameters());
  EXPECT_EQ(static_cast<int>(pars.size()), model.num_parameters());
  for (const auto& item : pars.items()) {
    values(model.ParameterIndex(item.key())) = item.value().get<double>();
  }
  return values;
}

std::string Scientific(double value) {
  std::ostringstream text;
  text << std::scientific << std::setprecision(2) << value;
  return text.str();
}

double RelativeDifference(double a, double b) {
  return std::abs(a - b) / std::max(1e-300, std::abs(b));
}

class ReferenceCase : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!LoadCase(GetParam(), &case_)) {
      GTEST_SKIP() << "reference data histfactory/expected/" << GetParam()
                   << ".json not found under "
                   << goldmine::testing::SharedDir();
    }
    ModelOptions options;
    options.measurement = case_.measurement;
    model_ = std::make_unique<Model>(
        Workspace::FromJson(case_.workspace_text, GetParam()), options);
    reference_ = &case_.expected["reference"];
  }

  Case case_;
  std::unique_ptr<Model> model_;
  const nlohmann::json* reference_ = nullptr;
};

using ModelReference = ReferenceCase;
using FitReference = ReferenceCase;

TEST_P(ModelReference, MatchesParameterNamesAndData) {
  const nlohmann::json& model = (*reference_)["model"];
  EXPECT_EQ(model["par_names"].get<std::vector<std::string>>(),
            model_->parameter_names());
  const std::vector<double> data = (*reference_)["data"];
  ASSERT_EQ(static_cast<int>(data.size()), model_->observed_data().size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    EXPECT_NEAR(model_->observed_data()(i), data[i], 1e-9 * std::abs(data[i]))
        << "data[" << i << "]";
  }
  const Eigen::VectorXd inits = model_->inits();
  for (const nlohmann::json& set : model["parameters"]) {
    const int offset = set["slice"][0];
    for (std::size_t i = 0; i < set["inits"].size(); ++i) {
      EXPECT_EQ(inits(offset + i), set["inits"][i].get<double>());
      EXPECT_EQ(model_->fixed()[offset + i], set["fixed"][i].get<bool>())
          << set["name"] << "[" << i << "]";
      EXPECT_EQ(model_->lower_bounds()(offset + i),
                set["bounds"][i][0].get<double>());
    }
  }
}

TEST_P(ModelReference, MatchesTwiceNllAndRatesAtProbes) {
  for (const char* probe : {"init", "probe"}) {
    const nlohmann::json& point = (*reference_)["probes"][probe];
    const Eigen::VectorXd pars = ParametersByName(*model_, point["pars"]);
    const double twice_nll = model_->TwiceNll(pars, model_->observed_data());
    const double difference = RelativeDifference(twice_nll, point["twice_nll"]);
    EXPECT_LE(difference, 1e-8)
        << probe << ": " << twice_nll << " vs " << point["twice_nll"];
    RecordProperty(std::string(probe) + "_twice_nll_rel_diff",
                   Scientific(difference));
    const std::vector<double> rates = point["expected_actualdata"];
    const Eigen::VectorXd expected = model_->ExpectedMainData(pars);
    for (std::size_t b = 0; b < rates.size(); ++b) {
      EXPECT_LE(RelativeDifference(expected(b), rates[b]), 1e-8)
          << probe << " bin " << b;
    }
    const std::vector<double> aux = point["expected_auxdata"];
    const Eigen::VectorXd expected_aux = model_->ExpectedAuxData(pars);
    for (std::size_t i = 0; i < aux.size(); ++i) {
      EXPECT_LE(RelativeDifference(expected_aux(i), aux[i]), 1e-8)
          << probe << " aux " << i;
    }
  }
}

// Checks a fit against pyhf and records the measured differences as test
// properties (visible with --gtest_output=json).
void ExpectFitMatches(const Model& model,
                      const FitResult& result,
                      const nlohmann::json& reference) {
  ASSERT_TRUE(result.converged) << result.message;
  const double nll_difference =
      std::abs(result.twice_nll - reference["twice_nll"].get<double>());
  EXPECT_LE(nll_difference, 1e-4);
  double poi_difference = 0.0;
  double largest_difference = 0.0;
  for (const auto& item : reference["pars"].items()) {
    const int index = model.ParameterIndex(item.key());
    const double difference =
        std::abs(result.parameters(index) - item.value().get<double>());
    const double tolerance = index == model.poi_index() ? 1e-4 : 1e-3;
    EXPECT_LE(difference, tolerance) << item.key();
    if (index == model.poi_index()) poi_difference = difference;
    largest_difference = std::max(largest_difference, difference);
  }
  ::testing::Test::RecordProperty("twice_nll_abs_diff",
                                  Scientific(nll_difference));
  ::testing::Test::RecordProperty("poi_abs_diff", Scientific(poi_difference));
  ::testing::Test::RecordProperty("max_par_abs_diff",
                                  Scientific(largest_difference));
}

TEST_P(FitReference, MatchesGlobalFit) {
  const FitResult result = Fit(*model_, model_->observed_data());
  ExpectFitMatches(*model_, result, (*reference_)["bestfit"]);
}

TEST_P(FitReference, MatchesFixedPoiFit) {
  if (!model_->has_poi()) GTEST_SKIP() << "POI-less model";
  const nlohmann::json& reference = (*reference_)["fixed_poi_fit"];
  const FitResult result =
      FixedPoiFit(*model_, model_->observed_data(), reference["poi"]);
  ExpectFitMatches(*model_, result, reference);
}

std::string CaseName(const ::testing::TestParamInfo<const char*>& info) {
  return info.param;
}

INSTANTIATE_TEST_SUITE_P(Pyhf,
                         ModelReference,
                         ::testing::ValuesIn(kCases),
                         CaseName);
INSTANTIATE_TEST_SUITE_P(Pyhf,
                         FitReference,
                         ::testing::ValuesIn(kCases),
                         CaseName);

}  // namespace
}  // namespace goldmine::inference
