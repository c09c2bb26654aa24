// `goldmine morphing` on the real binary: every MadMiner reference case,
// stripped to the input keys, is answered with MadMiner's outputs; bad input
// exits with code 2 and a one-line message naming the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "apps/morphing_command_fixture.h"
#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

using nlohmann::json;
using testing::ExpectNumbersMatch;
using ::testing::HasSubstr;
using testing::RunGoldmine;
using MorphingCommandTest = testing::MorphingCommandTest;

TEST_F(MorphingCommandTest, ReproducesEveryMadMinerCaseFromItsInputKeys) {
  const auto path = testing::FindReference("madminer/morphing_cases.json");
  if (path.empty())
    GTEST_SKIP()
        << "../shared/reference/madminer/morphing_cases.json is absent";
  const json reference = testing::ReadJson(path);
  const std::vector<std::string> input_keys = {"name",
                                               "parameter_names",
                                               "parameter_max_power",
                                               "max_overall_power",
                                               "parameter_range",
                                               "thetas",
                                               "basis",
                                               "seed",
                                               "n_trials"};
  const std::vector<std::string> output_keys = {"components",
                                                "basis",
                                                "morphing_matrix",
                                                "basis_matrix_condition_number",
                                                "weights",
                                                "weight_gradients",
                                                "sum_squared_weights"};
  std::vector<json> inputs;
  std::vector<json> expected;
  for (const json& full : reference.at("cases")) {
    if (!full.contains("parameter_max_power"))
      continue;  // coupling form: morphing_coupling_command_test
    json input;
    for (const std::string& key : input_keys) {
      if (full.contains(key)) input[key] = full[key];
    }
    // MadMiner's set_components() case: its components are not derivable
    // from max powers, so it is given them through our "components" key.
    if (full.at("max_overall_power").is_null())
      input["components"] = full["components"];
    inputs.push_back(input);
    expected.push_back(full);
  }
  ASSERT_EQ(expected.size(), 10u);
  const json answers = SolveCases(inputs);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const json& answer = answers[i];
    const std::string name = expected[i]["name"];
    EXPECT_EQ(answer.at("name"), name);
    EXPECT_EQ(answer.at("components"), expected[i]["components"]) << name;
    for (const std::string& key : output_keys) {
      if (expected[i].contains(key))
        ExpectNumbersMatch(answer.at(key), expected[i][key], name + "." + key);
    }
  }
}

TEST_F(MorphingCommandTest, SingleCaseIsAnsweredWithASingleResult) {
  const auto result = RunOn(TutorialCase());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json output = json::parse(result.out);
  EXPECT_EQ(output.at("weights").size(), 2u);
  EXPECT_EQ(output.at("weight_gradients").at(0).size(), 2u);  // parameters
  EXPECT_EQ(output.at("weight_gradients").at(0).at(0).size(),
            6u);  // benchmarks
  EXPECT_FALSE(output.contains("optimization"));
}

TEST_F(MorphingCommandTest, WithoutBasisOptimisesOneReproducibly) {
  json input = TutorialCase();
  input.erase("basis");
  input["seed"] = 7;
  input["n_trials"] = 30;
  const auto first = RunOn(input);
  const auto second = RunOn(input);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
  const json output = json::parse(first.out);
  EXPECT_EQ(output.at("basis").size(), 6u);
  EXPECT_EQ(output.at("optimization").at("seed"), 7);
  EXPECT_DOUBLE_EQ(output.at("optimization").at("objective").get<double>(),
                   output.at("expected_sum_squared_weights").get<double>());
}

TEST_F(MorphingCommandTest, OutputFileReceivesTheResult) {
  const std::string output_path = (folder_ / "out.json").string();
  const auto result = RunGoldmine({"morphing",
                                   "--input",
                                   Write("case.json", TutorialCase().dump()),
                                   "--output",
                                   output_path});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(
      json::parse(testing::ReadText(output_path)).contains("morphing_matrix"));
}

TEST_F(MorphingCommandTest, UnknownKeyIsNamed) {
  json input = TutorialCase();
  input["parameter_ranges"] = input["parameter_range"];
  ExpectBadInput(input, "unknown key \"parameter_ranges\"");
}

TEST_F(MorphingCommandTest, UnknownKeyInsideACasesDocumentNamesTheCase) {
  json input = TutorialCase();
  input["weights"] = json::array();
  ExpectBadInput(json{{"cases", {TutorialCase(), input}}},
                 "cases[1]: unknown key \"weights\"");
}

TEST_F(MorphingCommandTest, WrongNumberOfBasisPointsIsNamed) {
  json input = TutorialCase();
  input["basis"].erase(5);
  ExpectBadInput(input,
                 "basis: 5 benchmarks cannot determine 6 morphing components");
}

TEST_F(MorphingCommandTest, SingularBasisIsNamed) {
  json input = TutorialCase();
  input["basis"][5] = input["basis"][1];
  ExpectBadInput(
      input,
      "basis: the benchmarks do not determine the 6 morphing components");
}

TEST_F(MorphingCommandTest, NonNumericValueIsNamed) {
  json input = TutorialCase();
  input["thetas"][1][0] = "one";
  ExpectBadInput(input, "thetas[1][0]: expected a number, got \"one\"");
}

TEST_F(MorphingCommandTest, NonIntegerPowerIsNamed) {
  json input = TutorialCase();
  input["parameter_max_power"][1] = 2.5;
  ExpectBadInput(input, "parameter_max_power[1]: expected an integer, got 2.5");
}

TEST_F(MorphingCommandTest, MismatchedDimensionsAreNamed) {
  json input = TutorialCase();
  input["thetas"][0] = {0, 0, 0};
  ExpectBadInput(input,
                 "thetas[0]: expected a list of 2 numbers (one per parameter), "
                 "got [0,0,0]");
  input = TutorialCase();
  input["parameter_range"].erase(1);
  ExpectBadInput(input, "parameter_range: expected a list of 2 ranges");
}

TEST_F(MorphingCommandTest, InvertedRangeIsNamed) {
  json input = TutorialCase();
  input["parameter_range"][0] = {1, -1};
  ExpectBadInput(
      input, "parameter_range[0]: expected [lower, upper] with lower < upper");
}

TEST_F(MorphingCommandTest, MissingRequiredKeyIsNamed) {
  json input = TutorialCase();
  input.erase("parameter_max_power");
  ExpectBadInput(input, "missing key \"parameter_max_power\"");
}

TEST_F(MorphingCommandTest, UnreadableFileIsBadInput) {
  const auto result =
      RunGoldmine({"morphing", "--input", (folder_ / "absent.json").string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr("absent.json: cannot open the file for reading"));
}

TEST_F(MorphingCommandTest, InvalidJsonIsBadInputWithItsPosition) {
  const auto result = RunGoldmine(
      {"morphing", "--input", Write("broken.json", "{\"basis\": [1,\n")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr("broken.json: not valid JSON: parse error at line"));
}

}  // namespace
}  // namespace goldmine
