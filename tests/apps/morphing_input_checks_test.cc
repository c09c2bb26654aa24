// `goldmine morphing` on hostile or careless input (issue 15): every bad case
// ends in exit 2 and one line naming the file and the JSON path; nothing
// crashes, nothing prints null, the input is never overwritten, and every key
// is checked before a basis optimisation starts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/morphing_command_fixture.h"
#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunGoldmine;
class MorphingInputChecksTest : public testing::MorphingCommandTest {
 protected:
  // A case whose basis is optimised (no "basis"), with enough trials to take
  // a noticeable time.
  static json OptimisedCase() {
    json input = TutorialCase();
    input.erase("basis");
    input["n_trials"] = 50;
    return input;
  }
};

TEST_F(MorphingInputChecksTest, RepeatedKeyIsNamedWithItsPath) {
  ExpectBadInputText(
      R"({"parameter_max_power": [2], "max_overall_power": 2,
          "basis": [[0], [1], [2]], "basis": [[0], [1], [3]]})",
      "case.json: duplicate key \"basis\"");
  ExpectBadInputText(
      R"({"cases": [{"parameter_max_power": [2], "basis": [[0], [1], [2]],
          "thetas": [[{"a": 1, "a": 2}]]}]})",
      "case.json: cases[0].thetas[0][0]: duplicate key \"a\"");
}

// 10^9 trials ran for hours (mutation campaign): refused before any work.
TEST_F(MorphingInputChecksTest, TrialsBeyondTheLimitAreRefused) {
  json input = OptimisedCase();
  input["n_trials"] = 1000000000;
  ExpectBadInput(input,
                 "case.json: n_trials: expected an integer from 1 to 100000");
}

TEST_F(MorphingInputChecksTest, NumberBeyondDoubleRangeIsNamed) {
  ExpectBadInputText(
      R"({"parameter_max_power": [2], "max_overall_power": 2,
          "basis": [[0], [1], [2]], "thetas": [[0.5], [-1e999]]})",
      "case.json: thetas[1][0]: number overflow parsing '-1e999'");
}

TEST_F(MorphingInputChecksTest, IntegersBeyondTheirTypeAreNamed) {
  ExpectBadInputText(R"({"parameter_max_power": [2], "max_overall_power": 2,
      "parameter_range": [[-1, 1]], "seed": 18446744073709551616})",
                     "case.json: seed: expected a non-negative integer below "
                     "2^64, got 1.8446744073709552e+19");
  json input = TutorialCase();
  input["max_overall_power"] = 4294967296.0;
  ExpectBadInput(input,
                 "case.json: max_overall_power: expected an integer of "
                 "magnitude at most 2147483647");
}

TEST_F(MorphingInputChecksTest, ThetaWhoseWeightsOverflowIsRefused) {
  // θ² = 1e320 > 1.8e308 (weights) and θ = 1e150 (w ~ 1e300, Σw² ~ 1e600):
  // both would be printed as null.
  for (const double theta : {1e160, 1e150, -1e300}) {
    json input = TutorialCase();
    input["thetas"] = {{0.5, 0.5}, {theta, 0.0}};
    ExpectBadInput(input,
                   "case.json: thetas[1]: expected a point whose morphing "
                   "weights, their gradients and squares stay within the "
                   "range of a double");
  }
}

TEST_F(MorphingInputChecksTest, LargeButRepresentableThetaIsAnswered) {
  json input = TutorialCase();
  input["thetas"] = {{1e50, -1e50}};
  const auto result = RunOn(input);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, Not(HasSubstr("null")));
}

TEST_F(MorphingInputChecksTest, RangesWhoseMomentsOverflowAreRefused) {
  json input = TutorialCase();
  input["parameter_range"] = {{-1e300, 1e300}, {-1, 1}};
  ExpectBadInput(input,
                 "case.json: parameter_range: expected ranges whose powers");
}

TEST_F(MorphingInputChecksTest, BasisWhosePowersOverflowIsNamed) {
  json input = TutorialCase();
  input["basis"][3] = {0.0, 1e200};
  ExpectBadInput(input,
                 "case.json: basis: benchmark 3: its powers θ^k overflow the "
                 "range of a double");
}

TEST_F(MorphingInputChecksTest, FixedBenchmarkWhosePowersOverflowIsNamed) {
  // Before, every proposal failed and the optimiser blamed the ranges.
  json input = OptimisedCase();
  input["fixed_benchmarks"] = {{0.0, 0.0}, {1e200, 0.0}};
  const auto result = RunOn(input);
  ExpectBadInputResult(result,
                       "case.json: fixed_benchmarks: benchmark 1: its powers "
                       "θ^k overflow the range of a double");
  EXPECT_THAT(result.err, Not(HasSubstr("optimising a basis")));
}

TEST_F(MorphingInputChecksTest, LibraryMessagesCarryNoSourceLocation) {
  // These come from GOLDMINE_REQUIRE in the library, which appends
  // "[morpher.cc:21]" for developers; the one-line error names the file and
  // key instead (ExpectBadInput also checks that no source location leaks).
  json input = TutorialCase();
  input["basis"].erase(5);
  ExpectBadInput(input, "case.json: basis: 5 benchmarks cannot determine 6");
  input = TutorialCase();
  input.erase("parameter_max_power");
  input.erase("max_overall_power");
  input["components"] = {{0, 0}, {1, 0}, {1, 0}};
  input["basis"] = {{0, 0}, {1, 0}, {2, 0}};
  ExpectBadInput(input, "case.json: components[2]: [1, 0] appears twice");
}

TEST_F(MorphingInputChecksTest, ThetasAreCheckedBeforeTheBasisOptimisation) {
  json input = OptimisedCase();
  input["thetas"][1] = {1.0};
  const auto result = RunOn(input);
  ExpectBadInputResult(result, "thetas[1]: expected a list of 2 numbers");
  EXPECT_THAT(result.err, Not(HasSubstr("optimising a basis")));
}

TEST_F(MorphingInputChecksTest,
       BenchmarkNamesAreCheckedBeforeTheBasisOptimisation) {
  json input = OptimisedCase();
  input["benchmark_names"] = {"sm", "a", "b"};
  const auto result = RunOn(input);
  ExpectBadInputResult(result,
                       "benchmark_names: expected a list of 6 names (one per "
                       "benchmark)");
  EXPECT_THAT(result.err, Not(HasSubstr("optimising a basis")));
}

TEST_F(MorphingInputChecksTest, OtherKeysAreCheckedBeforeTheBasisOptimisation) {
  const std::pair<const char*, json> bad_values[] = {
      {"parameter_names", {"x"}}, {"fixed_benchmarks", {{"x"}}}};
  for (const auto& [key, value] : bad_values) {
    json input = OptimisedCase();
    input[key] = value;
    const auto result = RunOn(input);
    ExpectBadInputResult(result, std::string("case.json: ") + key);
    EXPECT_THAT(result.err, Not(HasSubstr("optimising a basis")));
  }
  json input = OptimisedCase();
  input["fixed_benchmarks"] = json::array();
  for (int b = 0; b < 7; ++b) input["fixed_benchmarks"].push_back({b, 0});
  const auto result = RunOn(input);
  ExpectBadInputResult(result, "fixed_benchmarks: expected at most 6");
  EXPECT_THAT(result.err, Not(HasSubstr("optimising a basis")));
}

TEST_F(MorphingInputChecksTest, EveryCaseIsCheckedBeforeAnyOptimisation) {
  json singular = TutorialCase();
  singular["basis"][5] = singular["basis"][1];
  json bad_theta = OptimisedCase();
  bad_theta["thetas"] = {{1.0, 2.0, 3.0}};
  for (const json& bad : {singular, bad_theta}) {
    const auto result = RunOn({{"cases", {OptimisedCase(), bad}}});
    ExpectBadInputResult(result, "case.json: cases[1]");
    EXPECT_THAT(result.err, Not(HasSubstr("optimising a basis")));
  }
}

TEST_F(MorphingInputChecksTest, AstronomicalPowersAreRefusedQuickly) {
  // 101^5 ≈ 10^10 power tuples: enumerating them hung (and would exhaust
  // memory) before the count was capped.
  json input = TutorialCase();
  input["parameter_max_power"] = {100, 100, 100, 100, 100};
  input["max_overall_power"] = nullptr;
  ExpectBadInput(input,
                 "case.json: parameter_max_power: these powers give more than "
                 "5000 components");
}

TEST_F(MorphingInputChecksTest, OutputEqualToInputIsRefusedAndInputKept) {
  const std::string text = TutorialCase().dump();
  const std::string input_path = Write("case.json", text);
  std::filesystem::create_directory(folder_ / "sub");
  std::filesystem::create_symlink(folder_ / "case.json", folder_ / "link.json");
  std::filesystem::create_hard_link(folder_ / "case.json",
                                    folder_ / "hard.json");
  for (const std::string& output :
       {input_path,
        (folder_ / "sub" / ".." / "case.json").string(),
        (folder_ / "link.json").string(),
        (folder_ / "hard.json").string()}) {
    const auto result =
        RunGoldmine({"morphing", "--input", input_path, "--output", output});
    ExpectBadInputResult(result, "--output " + output + ": is also an input");
    EXPECT_EQ(testing::ReadText(input_path), text) << output;
  }
}

TEST_F(MorphingInputChecksTest, DeepNestingIsRefusedWithoutACrash) {
  // nlohmann's parser is iterative, but printing or copying 100,000 levels
  // recursed and crashed (SIGSEGV) before nesting was limited.
  constexpr int kLevels = 100000;
  const std::string open(kLevels, '['), close(kLevels, ']');
  ExpectBadInputText(open + close,
                     "case.json: [0][0][0][0]...: JSON nested deeper than "
                     "512 levels");
  ExpectBadInputText(R"({"thetas": )" + open + close + "}",
                     "case.json: thetas[0][0][0]...: JSON nested deeper");
  // Nesting within the limit is parsed, then refused for its shape.
  ExpectBadInputText(
      R"({"thetas": )" + std::string(300, '[') + std::string(300, ']') + "}",
      "missing key \"parameter_max_power\"");
}

TEST_F(MorphingInputChecksTest, FolderGivenAsInputIsBadInput) {
  const auto result = RunGoldmine({"morphing", "--input", folder_.string()});
  ExpectBadInputResult(result, ": is a folder; expected a JSON file");
}

TEST_F(MorphingInputChecksTest, ShortenedValuesInMessagesStayValidUtf8) {
  // The value shown is cut to 60 bytes; a cut inside "θ" (2 bytes) printed
  // half a character.
  json input = TutorialCase();
  input["thetas"][0] = std::string(55, 'a') + "θθθθθθ";
  const auto result = RunOn(input);
  ExpectBadInputResult(result, "thetas[0]: expected a list of 2 numbers");
  // '"' and 55 letters fill 56 bytes; the 57-byte cut fell inside θ.
  EXPECT_THAT(result.err, HasSubstr(std::string(55, 'a') + "...\n"));
}

TEST_F(MorphingInputChecksTest, InvalidUtf8IsBadInput) {
  ExpectBadInputText("{\"name\": \"\xff\xfe\"}", "case.json: not valid JSON");
}

}  // namespace
}  // namespace goldmine
