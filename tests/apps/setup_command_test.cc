// `goldmine setup` on the real binary: a YAML config becomes a MadMiner setup
// file; bad configs exit with code 2 naming the line and key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "goldmine/mining/madminer_file.h"
#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class SetupCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("setup_command");
  }
  void TearDown() override { fs::remove_all(folder_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(folder_ / name) << text;
    return (folder_ / name).string();
  }
  testing::CommandResult Run(const std::string& config) {
    return testing::RunGoldmine(
        {"setup", Write("config.yaml", config), "--output", Output()});
  }
  std::string Output() const { return (folder_ / "setup.h5").string(); }

  static constexpr const char* kTwoOperators =
      "parameters:\n"
      "  cHW: {lha_block: smeft, lha_id: 7, max_power: 2, range: [-1, 1]}\n"
      "  cHq3: {lha_block: smeft, lha_id: 13, range: [-0.2, 0.2]}\n"
      "benchmarks:\n"
      "  sm: {}\n"
      "  w1: {cHW: 0.5}\n";

  fs::path folder_;
};

TEST_F(SetupCommandTest,
       WritesParametersBenchmarksAndAnOptimisedMorphingBasis) {
  const auto result = Run(std::string(kTwoOperators) +
                          "morphing: {max_overall_power: 2, seed: 3}\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const mining::MadminerSetup setup = mining::ReadSetup(Output());
  ASSERT_EQ(setup.num_parameters(), 2);
  EXPECT_EQ(setup.parameters[1].name, "cHq3");
  EXPECT_EQ(setup.parameters[1].lha_id, 13);
  EXPECT_EQ(setup.parameters[1].range.upper, 0.2);
  ASSERT_EQ(setup.num_benchmarks(), 6);
  EXPECT_EQ(setup.benchmarks.names[0], "sm");
  EXPECT_EQ(setup.benchmarks.names[2], "morphing_basis_vector_2");
  EXPECT_EQ(setup.benchmarks.values(1, 0), 0.5);
  ASSERT_TRUE(setup.morphing.has_value());
  // The stored matrix inverts the basis: w(θ_b) = e_b.
  EXPECT_EQ(setup.morphing->morphing_matrix.rows(), 6);
  EXPECT_EQ(setup.morphing->morphing_matrix.cols(), 6);
}

TEST_F(SetupCommandTest, BenchmarksComeFromTheMadGraphReweightHeader) {
  const fs::path events =
      testing::SharedDir() /
      "data/events/mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz";
  if (!fs::exists(events)) GTEST_SKIP() << events << " is absent";
  const auto result =
      Run("parameters:\n"
          "  cHDD: {lha_block: smeft, lha_id: 5, range: [-1, 1]}\n"
          "  cHWB: {lha_block: smeft, lha_id: 9, range: [-1, 1]}\n"
          "benchmarks_from_reweight_header:\n"
          "  file: " +
          events.string() + "\n  include: [SM, cHDD_0p1, cHWB_0p1]\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const mining::MadminerSetup setup = mining::ReadSetup(Output());
  ASSERT_EQ(setup.benchmarks.names,
            (std::vector<std::string>{"SM", "cHDD_0p1", "cHWB_0p1"}));
  EXPECT_EQ(setup.benchmarks.values(1, 0), 0.1);
  EXPECT_EQ(setup.benchmarks.values(1, 1), 0.0);
  EXPECT_EQ(setup.benchmarks.values(2, 1), 0.1);
  EXPECT_THAT(result.err, HasSubstr("14 reweightings changed nothing"));
}

TEST_F(SetupCommandTest, UnknownKeyIsNamedWithItsLine) {
  const auto result = Run(std::string(kTwoOperators) + "morphnig: {}\n");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(
      result.err,
      HasSubstr("config.yaml, line 7: morphnig: unknown key \"morphnig\""));
  EXPECT_FALSE(fs::exists(Output()));
}

TEST_F(SetupCommandTest, UnknownParameterInABenchmarkIsNamed) {
  const auto result = Run(std::string(kTwoOperators) + "  w2: {cHB: 1}\n");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr("benchmarks.w2.cHB: unknown parameter \"cHB\""));
}

TEST_F(SetupCommandTest, NonNumericValueIsNamed) {
  const auto result = Run(std::string(kTwoOperators) + "  w2: {cHW: big}\n");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(
      result.err,
      HasSubstr("line 7: benchmarks.w2.cHW: expected a number, got \"big\""));
}

TEST_F(SetupCommandTest, BrokenYamlIsNamedWithLineAndColumn) {
  const auto result = Run("parameters: {cHW: [1, 2\n");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("config.yaml, line"));
  EXPECT_THAT(result.err, HasSubstr("not valid YAML"));
}

TEST_F(SetupCommandTest, TheSmeftSimFileGivesAll37BenchmarksWithTheirValues) {
  // The header's 22 distinct "set param_card" entries, written out by hand
  // from the file's text: each X_0p1 reweighting sets parameter X to 0.1.
  const fs::path events =
      testing::SharedDir() /
      "data/events/mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz";
  if (!fs::exists(events)) GTEST_SKIP() << events << " is absent";
  const auto result =
      Run("parameters:\n"
          "  cG: {lha_block: smeft, lha_id: 1, range: [-1, 1]}\n"
          "  cGtil: {lha_block: smeftcpv, lha_id: 1, range: [-1, 1]}\n"
          "  cHDD: {lha_block: smeft, lha_id: 5, range: [-1, 1]}\n"
          "  cHG: {lha_block: smeft, lha_id: 6, range: [-1, 1]}\n"
          "  cHGtil: {lha_block: smeftcpv, lha_id: 3, range: [-1, 1]}\n"
          "  cHWB: {lha_block: smeft, lha_id: 9, range: [-1, 1]}\n"
          "  cHbox: {lha_block: smeft, lha_id: 4, range: [-1, 1]}\n"
          "  cHd: {lha_block: smeft, lha_id: 32, range: [-1, 1]}\n"
          "  cHe: {lha_block: smeft, lha_id: 105, range: [-1, 1]}\n"
          "  cHj1: {lha_block: smeft, lha_id: 26, range: [-1, 1]}\n"
          "  cHj3: {lha_block: smeft, lha_id: 28, range: [-1, 1]}\n"
          "  cHl1: {lha_block: smeft, lha_id: 103, range: [-1, 1]}\n"
          "  cHl3: {lha_block: smeft, lha_id: 104, range: [-1, 1]}\n"
          "  cHu: {lha_block: smeft, lha_id: 30, range: [-1, 1]}\n"
          "  ced: {lha_block: smeft, lha_id: 115, range: [-1, 1]}\n"
          "  ceu: {lha_block: smeft, lha_id: 113, range: [-1, 1]}\n"
          "  cje: {lha_block: smeft, lha_id: 117, range: [-1, 1]}\n"
          "  cld: {lha_block: smeft, lha_id: 121, range: [-1, 1]}\n"
          "  clj1: {lha_block: smeft, lha_id: 108, range: [-1, 1]}\n"
          "  clj3: {lha_block: smeft, lha_id: 109, range: [-1, 1]}\n"
          "  cll1: {lha_block: smeft, lha_id: 107, range: [-1, 1]}\n"
          "  clu: {lha_block: smeft, lha_id: 119, range: [-1, 1]}\n"
          "benchmarks_from_reweight_header:\n  file: " +
          events.string() + "\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const mining::MadminerSetup setup = mining::ReadSetup(Output());
  ASSERT_EQ(setup.num_benchmarks(), 37);
  ASSERT_EQ(setup.num_parameters(), 22);
  int non_zero = 0;
  for (int b = 0; b < 37; ++b) {
    const std::string& name = setup.benchmarks.names[b];
    for (int p = 0; p < 22; ++p) {
      const bool set_here = name == setup.parameters[p].name + "_0p1";
      EXPECT_EQ(setup.benchmarks.values(b, p), set_here ? 0.1 : 0.0)
          << name << " " << setup.parameters[p].name;
      non_zero += set_here ? 1 : 0;
    }
  }
  EXPECT_EQ(non_zero, 22);
  EXPECT_THAT(result.err, HasSubstr("14 reweightings changed nothing"));
}

}  // namespace
}  // namespace goldmine
