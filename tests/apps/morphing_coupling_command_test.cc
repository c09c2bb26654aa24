// `goldmine morphing` with MadMiner's coupling morphing (n_*_couplings and a
// coupling basis basis_s, couplings × benchmarks): every coupling case of
// MadMiner's morphing_cases.json through the real binary, identities that
// hold for any basis, and one-line errors for inconsistent input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "apps/morphing_command_fixture.h"
#include "support/reference_data.h"

namespace goldmine {
namespace {

using nlohmann::json;
using testing::ExpectNumbersMatch;
using MorphingCouplingCommandTest = testing::MorphingCommandTest;

// MadMiner's find_components(Ns=2) case of morphing_cases.json, overdetermined
// (7 benchmarks for 5 components).
json SharedCouplingCase() {
  return json::parse(R"({"n_production_couplings": 0, "n_decay_couplings": 0,
    "n_shared_couplings": 2,
    "basis_s": [[1, 1, 1, 1, 1, 1, 1], [-5, -4, -3, -2, -1, 0.5, 2]],
    "thetas": [[1, 0], [0.9, 0.7]]})");
}

// One decay, one production and one shared coupling: 9 components
// (components_test derives them by hand); 9 benchmarks in the separate
// MadMiner form, rows gd, gp, gs.
json MixedCouplingCase() {
  return json::parse(R"({"n_production_couplings": 1, "n_decay_couplings": 1,
    "n_shared_couplings": 1,
    "basis_d": [[1.0, 0.5, 1.2, -0.7, 0.9, 1.5, -1.1, 0.3, 2.0]],
    "basis_p": [[0.8, 1.3, -0.4, 1.1, 0.2, -1.6, 0.7, 1.9, -0.5]],
    "basis_s": [[0.3, -0.9, 0.6, 1.4, -1.2, 0.4, 1.0, -0.2, 0.8]],
    "thetas": [[0.4, -0.3, 1.1], [1.0, 0.8, 0.5]]})");
}

Eigen::MatrixXd ToMatrix(const json& rows) {
  Eigen::MatrixXd matrix(rows.size(), rows.at(0).size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      matrix(r, c) = rows[r][c].get<double>();
  }
  return matrix;
}

// c(θ) for the integer powers of `components` (components × parameters).
Eigen::VectorXd ComponentValues(const json& components,
                                const Eigen::VectorXd& theta) {
  Eigen::VectorXd values(components.size());
  for (std::size_t c = 0; c < components.size(); ++c) {
    values(c) = 1.0;
    for (std::size_t p = 0; p < components[c].size(); ++p)
      values(c) *= std::pow(theta(p), components[c][p].get<int>());
  }
  return values;
}

TEST_F(MorphingCouplingCommandTest, ReproducesEveryMadMinerCouplingCase) {
  const auto path = testing::FindReference("madminer/morphing_cases.json");
  if (path.empty())
    GTEST_SKIP()
        << "../shared/reference/madminer/morphing_cases.json is absent";
  const json reference = testing::ReadJson(path);
  std::vector<json> inputs;
  std::vector<json> expected;
  for (const json& full : reference.at("cases")) {
    if (!full.contains("basis_s") && !full.contains("basis_p") &&
        !full.contains("basis_d"))
      continue;  // power form: morphing_command_test
    // MadMiner's find_components(Np, Nd, Ns): the counts as the case states
    // them, or else the rows of each kind's basis (a lone basis_s holds
    // shared couplings only in the public cases: their components have one
    // column per basis_s row).
    json input = {{"name", full.at("name")}, {"thetas", full.at("thetas")}};
    struct Kind {
      const char* basis_key;
      const char* count_key;
      const char* madminer_key;
    };
    for (const Kind& kind : {Kind{"basis_p", "n_production_couplings", "Np"},
                             Kind{"basis_d", "n_decay_couplings", "Nd"},
                             Kind{"basis_s", "n_shared_couplings", "Ns"}}) {
      if (full.contains(kind.basis_key)) {
        input[kind.basis_key] = full.at(kind.basis_key);
        input[kind.count_key] = full.at(kind.basis_key).size();
      }
      for (const char* key : {kind.count_key, kind.madminer_key}) {
        if (full.contains(key)) input[kind.count_key] = full.at(key);
      }
    }
    inputs.push_back(input);
    expected.push_back(full);
  }
  ASSERT_GE(expected.size(), 1u);
  const json answers = SolveCases(inputs);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const json& answer = answers[i];
    const json& madminer = expected[i];
    const std::string name = madminer.at("name");
    EXPECT_EQ(answer.at("name"), name);
    EXPECT_EQ(answer.at("components"), madminer.at("components")) << name;
    ExpectNumbersMatch(answer.at("morphing_matrix"),
                       madminer.at("morphing_matrix_returned"),
                       name + ".morphing_matrix");
    ExpectNumbersMatch(answer.at("basis_matrix_condition_number"),
                       madminer.at("condition_number_R"),
                       name + ".condition_number_R");
    ExpectNumbersMatch(
        answer.at("weights"), madminer.at("weights"), name + ".weights");
    ExpectNumbersMatch(answer.at("weight_gradients"),
                       madminer.at("weight_gradients"),
                       name + ".weight_gradients");
    if (madminer.contains("sum_squared_weights")) {
      ExpectNumbersMatch(answer.at("sum_squared_weights"),
                         madminer.at("sum_squared_weights"),
                         name + ".sum_squared_weights");
    }
    // The basis is given back as benchmarks × parameters.
    EXPECT_EQ(ToMatrix(answer.at("basis")),
              ToMatrix(madminer.at("basis_s")).transpose())
        << name;
  }
}

TEST_F(MorphingCouplingCommandTest, OverdeterminedWeightsReproduceComponents) {
  // Σ_b w_b(θ) c(θ_b) = c(θ) for any θ: the weights morph every component.
  const auto result = RunOn(SharedCouplingCase());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json output = json::parse(result.out);
  EXPECT_EQ(output.at("couplings"), json({"gs0", "gs1"}));
  const Eigen::MatrixXd basis = ToMatrix(output.at("basis"));
  const Eigen::MatrixXd thetas = ToMatrix(output.at("thetas"));
  ASSERT_EQ(basis.rows(), 7);
  for (Eigen::Index t = 0; t < thetas.rows(); ++t) {
    const Eigen::VectorXd theta = thetas.row(t).transpose();
    Eigen::VectorXd morphed = Eigen::VectorXd::Zero(5);
    for (Eigen::Index b = 0; b < basis.rows(); ++b) {
      morphed +=
          output["weights"][t][b].get<double>() *
          ComponentValues(output.at("components"), basis.row(b).transpose());
    }
    EXPECT_TRUE(morphed.isApprox(
        ComponentValues(output.at("components"), theta), 1e-10))
        << "theta " << t;
  }
}

TEST_F(MorphingCouplingCommandTest, MixedCouplingsSelectEachBenchmarkAtItself) {
  // Square basis: w(θ_b) = e_b. θ is ordered decay, production, shared.
  json input = MixedCouplingCase();
  input["thetas"] = json::array();
  for (int b = 0; b < 9; ++b) {
    input["thetas"].push_back({input["basis_d"][0][b],
                               input["basis_p"][0][b],
                               input["basis_s"][0][b]});
  }
  const auto result = RunOn(input);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json output = json::parse(result.out);
  EXPECT_EQ(output.at("couplings"), json({"gd0", "gp0", "gs0"}));
  EXPECT_EQ(output.at("components").size(), 9u);
  const Eigen::MatrixXd weights = ToMatrix(output.at("weights"));
  EXPECT_TRUE(weights.isApprox(Eigen::MatrixXd::Identity(9, 9), 1e-9))
      << weights;
}

TEST_F(MorphingCouplingCommandTest, LoneBasisSHoldsEveryCouplingInOrder) {
  // MadMiner reads a lone basis_s as all couplings (decay, production,
  // shared): the same result as the separate form.
  const json separate = MixedCouplingCase();
  json lone = separate;
  lone.erase("basis_d");
  lone.erase("basis_p");
  lone["basis_s"] = {
      separate["basis_d"][0], separate["basis_p"][0], separate["basis_s"][0]};
  const auto first = RunOn(separate);
  const auto second = RunOn(lone);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(first.out, second.out);
}

TEST_F(MorphingCouplingCommandTest, OneVertexNeedsNoDecayCouplings) {
  // (gp0 + gp1)²: three components; three benchmarks determine them.
  const auto result = RunOn(json::parse(R"({"n_production_couplings": 2,
    "basis_p": [[1, 0, 1], [0, 1, 1]], "thetas": [[2, 3]]})"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json output = json::parse(result.out);
  EXPECT_EQ(output.at("components"), json({{2, 0}, {1, 1}, {0, 2}}));
  // c(2, 3) = (4, 6, 9) = -2 c(1, 0) + 3 c(0, 1) + 6 c(1, 1), with
  // c(1, 0) = (1, 0, 0), c(0, 1) = (0, 0, 1), c(1, 1) = (1, 1, 1).
  ExpectNumbersMatch(output.at("weights"), json({{-2.0, 3.0, 6.0}}), "weights");
}

TEST_F(MorphingCouplingCommandTest, MixingWithThePowerFormIsRefused) {
  for (const char* key : {"basis", "parameter_max_power", "components"}) {
    json input = SharedCouplingCase();
    input[key] = json::array({json::array({2, 2})});
    ExpectBadInput(input,
                   std::string(key) + ": not allowed in a coupling-basis case");
  }
}

TEST_F(MorphingCouplingCommandTest, BasisRowsMustMatchTheCouplings) {
  json input = SharedCouplingCase();
  input["n_shared_couplings"] = 3;
  ExpectBadInput(input,
                 "basis_s: expected a list of 3 rows (one per coupling: 0 "
                 "decay, 0 production, 3 shared, in this order)");
  input = MixedCouplingCase();
  input["basis_p"].push_back(input["basis_p"][0]);
  ExpectBadInput(input, "basis_p: expected a list of 1 rows");
}

TEST_F(MorphingCouplingCommandTest, RaggedBasisRowsAreNamed) {
  json input = SharedCouplingCase();
  input["basis_s"][1].erase(6);
  ExpectBadInput(input, "basis_s[1]: expected a list of 7 numbers");
  input = MixedCouplingCase();
  input["basis_s"][0].erase(8);
  ExpectBadInput(input, "basis_s[0]: expected a list of 9 numbers");
}

TEST_F(MorphingCouplingCommandTest, TooFewBenchmarksAreNamed) {
  json input = SharedCouplingCase();
  for (json& row : input["basis_s"]) row.erase(row.begin() + 4, row.end());
  ExpectBadInput(input,
                 "basis_s: 4 benchmarks (columns) cannot determine 5 "
                 "morphing components");
}

TEST_F(MorphingCouplingCommandTest, SingularCouplingBasisIsNamed) {
  json input = SharedCouplingCase();
  for (json& row : input["basis_s"])
    row = {row[0], row[0], row[0], row[0], row[0], row[0], row[0]};
  ExpectBadInput(input,
                 "basis_s: the benchmarks do not determine the 5 morphing "
                 "components");
}

TEST_F(MorphingCouplingCommandTest, CountsAreRequiredAndBounded) {
  json input = SharedCouplingCase();
  input.erase("n_production_couplings");
  input.erase("n_decay_couplings");
  input.erase("n_shared_couplings");
  ExpectBadInput(input, "missing key \"n_shared_couplings\"");
  input = SharedCouplingCase();
  input["n_shared_couplings"] = 16;
  ExpectBadInput(input, "n_shared_couplings: expected an integer from 0 to 15");
  input = SharedCouplingCase();
  input["n_decay_couplings"] = -1;
  ExpectBadInput(input, "n_decay_couplings: expected an integer from 0 to 15");
  input = SharedCouplingCase();
  input["n_shared_couplings"] = 0;
  ExpectBadInput(input, "are all 0; expected at least one coupling");
}

TEST_F(MorphingCouplingCommandTest, BasisOfAKindWithoutCouplingsIsRefused) {
  json input = MixedCouplingCase();
  input["n_decay_couplings"] = 0;
  ExpectBadInput(input, "basis_d: given, but n_decay_couplings is 0");
  input = MixedCouplingCase();
  input.erase("basis_p");
  ExpectBadInput(input,
                 "missing key \"basis_p\" (n_production_couplings is 1)");
}

TEST_F(MorphingCouplingCommandTest, ThetasHaveOneValuePerCoupling) {
  json input = MixedCouplingCase();
  input["thetas"][1] = {1.0, 2.0};
  ExpectBadInput(input,
                 "thetas[1]: expected a list of 3 numbers (one per parameter)");
}

}  // namespace
}  // namespace goldmine
