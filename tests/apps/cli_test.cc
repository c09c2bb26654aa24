// The command-line conventions of DESIGN.md §5, on the real binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/run_command.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using testing::RunGoldmine;
using ::testing::StartsWith;

TEST(Cli, HelpListsTheCommandsOnStdout) {
  const auto result = RunGoldmine({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("Usage: goldmine COMMAND"));
  EXPECT_THAT(result.out, HasSubstr("morphing"));
  EXPECT_EQ(result.err, "");
}

TEST(Cli, VersionNamesTheProjectAndTheRevision) {
  const auto result = RunGoldmine({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, StartsWith("goldmine 0.1.0 (git "));
}

TEST(Cli, NoArgumentsIsBadUsage) {
  const auto result = RunGoldmine({});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("Usage:"));
  EXPECT_EQ(result.out, "");
}

TEST(Cli, UnknownCommandIsBadUsageNamingIt) {
  const auto result = RunGoldmine({"mine-gold"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("unknown command \"mine-gold\""));
}

TEST(Cli, EveryCommandHasHelp) {
  const auto result = RunGoldmine({"morphing", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out,
              HasSubstr("Usage: goldmine morphing --input CASE.json"));
  EXPECT_THAT(result.out, HasSubstr("--output"));
}

TEST(Cli, UnknownOptionIsBadUsageOnOneLine) {
  const auto result =
      RunGoldmine({"morphing", "--input", "x.json", "--frobnicate"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("frobnicate"));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
}

TEST(Cli, MissingRequiredOptionIsBadUsage) {
  const auto result = RunGoldmine({"morphing"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("input"));
}

}  // namespace
}  // namespace goldmine
