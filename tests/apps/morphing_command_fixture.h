// Shared by the `goldmine morphing` tests: runs the real binary on a case
// written to a scratch folder and checks numbers and one-line errors.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine::testing {

// Checks `actual` against `expected` recursively: same shape, numbers within
// 1e-9 relative or 1e-12 absolute (the tolerance of the library's MadMiner
// reference test).
inline void ExpectNumbersMatch(const nlohmann::json& actual,
                               const nlohmann::json& expected,
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
  void SetUp() override { folder_ = MakeScratchFolder("morphing_command"); }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::string Write(const std::string& name, const std::string& text) {
    const auto path = folder_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  CommandResult RunOn(const nlohmann::json& input) {
    return RunOnText(input.dump());
  }
  // Runs {"cases": inputs} and returns the answers, one per input; after a
  // failure (reported) none.
  nlohmann::json SolveCases(const std::vector<nlohmann::json>& inputs) {
    const auto result = RunOn({{"cases", inputs}});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    if (result.exit_code != 0) return nlohmann::json::array();
    const nlohmann::json answers =
        nlohmann::json::parse(result.out).at("cases");
    EXPECT_EQ(answers.size(), inputs.size());
    return answers.size() == inputs.size() ? answers : nlohmann::json::array();
  }
  // For inputs that json cannot represent (repeated keys, overflowing
  // numbers, deep nesting).
  CommandResult RunOnText(const std::string& text) {
    return RunGoldmine({"morphing", "--input", Write("case.json", text)});
  }

  // Exit code 2 and one stderr line that contains `text`.
  void ExpectBadInput(const nlohmann::json& input, const std::string& text) {
    ExpectBadInputResult(RunOn(input), text);
  }
  void ExpectBadInputText(const std::string& input, const std::string& text) {
    ExpectBadInputResult(RunOnText(input), text);
  }
  // ... and no developer source location such as "[morpher.cc:21]".
  static void ExpectBadInputResult(const CommandResult& result,
                                   const std::string& text) {
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_THAT(result.err, ::testing::HasSubstr(text));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_THAT(result.err,
                ::testing::Not(::testing::ContainsRegex("\\.(cc|h):[0-9]+")));
  }

  static nlohmann::json TutorialCase() {
    return nlohmann::json::parse(
        R"({"parameter_max_power": [2, 2], "max_overall_power": 2,
      "parameter_range": [[-20, 20], [-20, 20]], "thetas": [[0, 0], [1.5, -3]],
      "basis": [[0, 0], [-20, 0], [20, 0], [0, -20], [0, 20], [15, 15]]})");
  }

  std::filesystem::path folder_;
};

}  // namespace goldmine::testing
