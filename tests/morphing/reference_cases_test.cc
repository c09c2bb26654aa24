// Every case of MadMiner's own morphing output (../shared/reference/madminer/
// morphing_cases.json) reproduced: identical components, and morphing matrix,
// weights, gradients and Σw² to 1e-9 relative or 1e-12 absolute.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "goldmine/morphing/morpher.h"
#include "support/reference_data.h"

namespace goldmine::morphing {
namespace {

using nlohmann::json;

constexpr double kRelativeTolerance = 1e-9;
constexpr double kAbsoluteTolerance = 1e-12;

Eigen::MatrixXd ToMatrix(const json& rows) {
  Eigen::MatrixXd matrix(rows.size(), rows.at(0).size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      matrix(r, c) = rows[r][c].get<double>();
  }
  return matrix;
}

Eigen::MatrixXi ToIntMatrix(const json& rows) {
  return ToMatrix(rows).cast<int>();
}

::testing::AssertionResult Matches(const Eigen::MatrixXd& actual,
                                   const json& expected_json) {
  const Eigen::MatrixXd expected = ToMatrix(expected_json);
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) {
    return ::testing::AssertionFailure()
           << "shape " << actual.rows() << "x" << actual.cols() << " vs "
           << expected.rows() << "x" << expected.cols();
  }
  for (Eigen::Index r = 0; r < actual.rows(); ++r) {
    for (Eigen::Index c = 0; c < actual.cols(); ++c) {
      const double difference = std::abs(actual(r, c) - expected(r, c));
      if (difference > kAbsoluteTolerance &&
          difference > kRelativeTolerance * std::abs(expected(r, c))) {
        return ::testing::AssertionFailure()
               << "(" << r << ", " << c << "): " << actual(r, c)
               << " vs MadMiner " << expected(r, c);
      }
    }
  }
  return ::testing::AssertionSuccess();
}

struct ReferenceCase {
  std::string name;
  json data;
};

std::vector<ReferenceCase> LoadCases() {
  std::vector<ReferenceCase> cases;
  const auto path = testing::FindReference("madminer/morphing_cases.json");
  if (path.empty()) return cases;
  // Keep the document alive: iterating .at() of a temporary would dangle.
  const json document = testing::ReadJson(path);
  for (const json& data : document.at("cases")) {
    cases.push_back({data.at("name").get<std::string>(), data});
  }
  return cases;
}

// gtest prints the case by name instead of its bytes.
void PrintTo(const ReferenceCase& reference_case, std::ostream* stream) {
  *stream << reference_case.name;
}

class MorphingReferenceCase : public ::testing::TestWithParam<ReferenceCase> {};

// The components as MadMiner chose them: coupling expansion, explicit list,
// or max powers.
Components ComponentsFor(const json& data) {
  if (data.contains("basis_s")) {
    return Components::FromCouplings(
        0, 0, static_cast<int>(data.at("basis_s").size()));
  }
  if (data.at("max_overall_power").is_null())
    return Components(ToIntMatrix(data.at("components")));
  return Components::FromMaxPowers(
      data.at("parameter_max_power").get<std::vector<int>>(),
      data.at("max_overall_power").get<int>());
}

TEST_P(MorphingReferenceCase, ReproducesMadMiner) {
  const json& data = GetParam().data;
  const Components components = ComponentsFor(data);
  EXPECT_EQ(components.powers(), ToIntMatrix(data.at("components")));

  const Eigen::MatrixXd basis =
      data.contains("basis_s")
          ? Eigen::MatrixXd(ToMatrix(data.at("basis_s")).transpose())
          : ToMatrix(data.at("basis"));
  const Morpher morpher(components, basis);
  EXPECT_TRUE(Matches(morpher.morphing_matrix(),
                      data.contains("morphing_matrix")
                          ? data.at("morphing_matrix")
                          : data.at("morphing_matrix_returned")));
  for (const char* key :
       {"basis_matrix_condition_number", "condition_number_R"}) {
    if (data.contains(key)) {
      EXPECT_NEAR(morpher.condition_number(),
                  data.at(key).get<double>(),
                  kRelativeTolerance * data.at(key).get<double>())
          << key;
    }
  }

  const Eigen::MatrixXd thetas = ToMatrix(data.at("thetas"));
  EXPECT_TRUE(Matches(morpher.WeightsBatch(thetas), data.at("weights")));
  for (Eigen::Index i = 0; i < thetas.rows(); ++i) {
    const Eigen::VectorXd theta = thetas.row(i).transpose();
    EXPECT_TRUE(Matches(morpher.WeightGradients(theta),
                        data.at("weight_gradients").at(i)))
        << "theta " << i;
    if (data.contains("sum_squared_weights")) {
      const double expected =
          data.at("sum_squared_weights").at(i).get<double>();
      EXPECT_NEAR(morpher.SumSquaredWeights(theta),
                  expected,
                  std::max(kAbsoluteTolerance, kRelativeTolerance * expected))
          << "theta " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    MadMiner,
    MorphingReferenceCase,
    ::testing::ValuesIn(LoadCases()),
    [](const ::testing::TestParamInfo<ReferenceCase>& param_info) {
      return param_info.param.name;
    });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(MorphingReferenceCase);

TEST(MorphingReferenceData, IsPresentOrTheCasesAreSkipped) {
  if (LoadCases().empty()) {
    GTEST_SKIP()
        << "../shared/reference/madminer/morphing_cases.json is absent: "
           "MadMiner morphing comparisons skipped";
  }
  EXPECT_EQ(LoadCases().size(), 11u);
}

}  // namespace
}  // namespace goldmine::morphing
