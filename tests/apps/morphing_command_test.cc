// `goldmine morphing` on the real binary: every MadMiner reference case,
// stripped to the input keys, is answered with MadMiner's outputs; bad input
// exits with code 2 and a one-line message naming the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::RunGoldmine;

// Checks `actual` against `expected` recursively: same shape, numbers within
// 1e-9 relative or 1e-12 absolute.
void ExpectNumbersMatch(const json& actual,
                        const json& expected,
                        const std::string& where) {
  if (expected.is_array()) {
    ASSERT_TRUE(actual.is_array()) << where;
    ASSERT_EQ(actual.size(), expected.size()) << where;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      ExpectNumbersMatch(
          actual[i], expected[i], where + "[" + std::to_string(i) + "]");
    }
  } else if (expected.is_number()) {
    ASSERT_TRUE(actual.is_number()) << where;
    const double a = actual.get<double>();
    const double e = expected.get<double>();
    EXPECT_TRUE(std::abs(a - e) <= std::max(1e-12, 1e-9 * std::abs(e)))
        << where << ": " << a << " vs MadMiner " << e;
  } else {
    EXPECT_EQ(actual, expected) << where;
  }
}

class MorphingCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("morphing_command");
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::string Write(const std::string& name, const std::string& text) {
    const auto path = folder_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  testing::CommandResult RunOn(const json& input) {
    return RunGoldmine(
        {"morphing", "--input", Write("case.json", input.dump())});
  }

  // Exit code 2 and one stderr line that contains `text`.
  void ExpectBadInput(const json& input, const std::string& text) {
    const auto result = RunOn(input);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_THAT(result.err, HasSubstr(text));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
    EXPECT_EQ(result.out, "");
  }

  static json TutorialCase() {
    return json::parse(
        R"({"parameter_max_power": [2, 2], "max_overall_power": 2,
      "parameter_range": [[-20, 20], [-20, 20]], "thetas": [[0, 0], [1.5, -3]],
      "basis": [[0, 0], [-20, 0], [20, 0], [0, -20], [0, 20], [15, 15]]})");
  }

  std::filesystem::path folder_;
};

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
  json document = {{"cases", json::array()}};
  std::vector<json> expected;
  for (const json& full : reference.at("cases")) {
    if (!full.contains("parameter_max_power"))
      continue;  // coupling path: library test only
    json input;
    for (const std::string& key : input_keys) {
      if (full.contains(key)) input[key] = full[key];
    }
    // MadMiner's set_components() case: its components are not derivable
    // from max powers, so it is given them through our "components" key.
    if (full.at("max_overall_power").is_null())
      input["components"] = full["components"];
    document["cases"].push_back(input);
    expected.push_back(full);
  }
  ASSERT_EQ(expected.size(), 10u);
  const auto result = RunOn(document);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json output = json::parse(result.out);
  ASSERT_EQ(output.at("cases").size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const json& answer = output["cases"][i];
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
