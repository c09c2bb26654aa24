// SolveMorphingCase() and SolveMorphingDocument() on cases small enough to
// solve by hand: one parameter θ with components 1, θ, θ² and benchmarks
// θ = 0, 1, -1, whose weights are the Lagrange polynomials
//   w_0 = 1 - θ²,  w_1 = θ(θ + 1)/2,  w_2 = θ(θ - 1)/2.
#include "goldmine/morphing/morphing_case.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "goldmine/core/errors.h"
#include "goldmine/core/json_node.h"

namespace goldmine::morphing {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr double kTolerance = 1e-12;

nlohmann::ordered_json Solve(const nlohmann::json& document) {
  return SolveMorphingDocument(core::JsonNode(document, "case.json"));
}

nlohmann::json QuadraticCase() {
  return nlohmann::json::parse(R"({
    "name": "quadratic",
    "parameter_max_power": [2],
    "parameter_range": [[-1, 1]],
    "basis": [[0], [1], [-1]],
    "thetas": [[2], [0.5]]
  })");
}

TEST(MorphingCase, QuadraticWeightsAreTheLagrangePolynomials) {
  const nlohmann::ordered_json result = Solve(QuadraticCase());
  EXPECT_EQ(result["name"], "quadratic");
  EXPECT_EQ(result["components"],
            nlohmann::ordered_json::parse("[[0], [1], [2]]"));
  // θ = 2: w = (1 - 4, 2·3/2, 2·1/2); θ = 1/2: (3/4, 3/8, -1/8).
  const double expected[2][3] = {{-3.0, 3.0, 1.0}, {0.75, 0.375, -0.125}};
  for (int t = 0; t < 2; ++t) {
    for (int b = 0; b < 3; ++b) {
      EXPECT_NEAR(
          result["weights"][t][b].get<double>(), expected[t][b], kTolerance)
          << "theta " << t << ", benchmark " << b;
    }
  }
}

TEST(MorphingCase, QuadraticGradientsAndSumsOfSquaresMatchTheHandSolution) {
  const nlohmann::ordered_json result = Solve(QuadraticCase());
  // ∂w/∂θ = (-2θ, θ + 1/2, θ - 1/2) at θ = 2; one row per parameter.
  const double gradient[3] = {-4.0, 2.5, 1.5};
  for (int b = 0; b < 3; ++b) {
    EXPECT_NEAR(result["weight_gradients"][0][0][b].get<double>(),
                gradient[b],
                kTolerance);
  }
  // Σw² = 9 + 9 + 1 at θ = 2 and 9/16 + 9/64 + 1/64 at θ = 1/2.
  EXPECT_NEAR(result["sum_squared_weights"][0].get<double>(), 19.0, 1e-11);
  EXPECT_NEAR(result["sum_squared_weights"][1].get<double>(), 0.71875, 1e-12);
  // Over θ uniform in [-1, 1] (E θ² = 1/3, E θ⁴ = 1/5):
  // E(1 - θ²)² = 8/15 and E[θ²(θ ± 1)²]/4 = 2/15 each, 12/15 in all.
  EXPECT_NEAR(
      result["expected_sum_squared_weights"].get<double>(), 0.8, kTolerance);
}

TEST(MorphingCase, MorphingMatrixHoldsThePolynomialCoefficients) {
  const nlohmann::ordered_json result = Solve(QuadraticCase());
  // Column b: the coefficients of 1, θ, θ² in w_b.
  const double expected[3][3] = {
      {1.0, 0.0, 0.0}, {0.0, 0.5, -0.5}, {-1.0, 0.5, 0.5}};
  for (int c = 0; c < 3; ++c) {
    for (int b = 0; b < 3; ++b) {
      EXPECT_NEAR(result["morphing_matrix"][c][b].get<double>(),
                  expected[c][b],
                  kTolerance)
          << "component " << c << ", benchmark " << b;
    }
  }
}

TEST(MorphingCase, CouplingFormOfOneSharedCouplingIsItsFourthPower) {
  // (g)²(g)² = g⁴, one benchmark at g = 2: w(g) = g⁴/16, ∂w/∂g = g³/4.
  const nlohmann::ordered_json result =
      Solve(nlohmann::json::parse(R"({"n_shared_couplings": 1,
                                      "basis_s": [[2]],
                                      "thetas": [[1]]})"));
  EXPECT_EQ(result["couplings"], nlohmann::ordered_json::parse(R"(["gs0"])"));
  EXPECT_EQ(result["components"], nlohmann::ordered_json::parse("[[4]]"));
  EXPECT_NEAR(result["weights"][0][0].get<double>(), 1.0 / 16.0, kTolerance);
  EXPECT_NEAR(
      result["weight_gradients"][0][0][0].get<double>(), 0.25, kTolerance);
}

TEST(MorphingCase, DocumentOfCasesIsAnsweredInOrder) {
  nlohmann::json second = QuadraticCase();
  second["name"] = "second";
  const nlohmann::json document = {{"cases", {QuadraticCase(), second}}};
  const nlohmann::ordered_json result = Solve(document);
  ASSERT_EQ(result["cases"].size(), 2u);
  EXPECT_EQ(result["cases"][0]["name"], "quadratic");
  EXPECT_EQ(result["cases"][1]["name"], "second");
}

TEST(MorphingCase, MessageNamesTheFileAndTheCase) {
  nlohmann::json without_range = QuadraticCase();
  without_range.erase("parameter_range");
  without_range.erase("basis");
  const nlohmann::json document = {{"cases", {QuadraticCase(), without_range}}};
  EXPECT_THAT([&] { Solve(document); },
              ThrowsMessage<InvalidInput>(HasSubstr(
                  "case.json: cases[1]: missing key "
                  "\"parameter_range\" (needed to optimise a basis")));
}

}  // namespace
}  // namespace goldmine::morphing
