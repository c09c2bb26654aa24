// goldmine generate (DESIGN.md §5.2), run as a user would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class GenerateCommand : public ::testing::Test {
 protected:
  void SetUp() override { folder_ = MakeScratchFolder("generate_command"); }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::string Path(const std::string& name) const {
    return (folder_ / name).string();
  }
  std::filesystem::path folder_;
};

TEST_F(GenerateCommand, WritesOneNamedWeightPerBenchmarkFromYaml) {
  std::ofstream(Path("b.yaml"))
      << "benchmarks:\n  sm: {}\n  hw: {cHW: 0.5}\n  hq3: {cHq3: -0.1}\n";
  const CommandResult result = RunGoldmine({"generate",
                                            "wh",
                                            "--events",
                                            "300",
                                            "--seed",
                                            "4",
                                            "--output",
                                            Path("wh.hepmc3"),
                                            "--benchmarks",
                                            Path("b.yaml"),
                                            "--operators",
                                            "cHW,cHq3"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto summary = nlohmann::json::parse(result.out);
  EXPECT_EQ(summary["n_events"], 300);
  EXPECT_THAT(summary["weight_names"].get<std::vector<std::string>>(),
              ElementsAre("sm", "hw", "hq3", "MUF0.5", "MUF2"));
  EXPECT_EQ(summary["benchmarks"]["hw"]["cHW"], 0.5);
  EXPECT_EQ(summary["benchmarks"]["hq3"]["cHW"], 0.0);

  // The file as the mining reader sees it.
  const CommandResult inspect = RunGoldmine({"inspect", Path("wh.hepmc3")});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  const auto info = nlohmann::json::parse(inspect.out);
  EXPECT_EQ(info["format"], "hepmc3");
  EXPECT_EQ(info["n_events"], 300);
  EXPECT_EQ(info["weight_names"], summary["weight_names"]);
  for (const std::string name : {"sm", "hw", "hq3"}) {
    const double sigma = summary["cross_sections"][name];
    EXPECT_NEAR(info["weight_sums"][name].get<double>(), sigma, 1e-12 * sigma);
  }
  // W H → ℓ ν b b̄ at 13 TeV: about 0.13 pb at LO (e and μ).
  EXPECT_NEAR(summary["cross_sections"]["sm"].get<double>(), 0.133, 0.03);
  const std::string text = ReadText(Path("wh.hepmc3"));
  EXPECT_THAT(text, HasSubstr("A goldmine_benchmark_hw cHW=0.5 cHq3=0"));
}

TEST_F(GenerateCommand, SameSeedGivesTheSameFileAndTheDefaultBasis) {
  const std::vector<std::string> arguments = {
      "generate", "wh", "--events", "100", "--seed", "9", "--output"};
  auto with = [&](const std::string& file) {
    std::vector<std::string> all = arguments;
    all.push_back(Path(file));
    return RunGoldmine(all);
  };
  const CommandResult first = with("a.hepmc3");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(with("b.hepmc3").exit_code, 0);
  EXPECT_EQ(ReadText(Path("a.hepmc3")), ReadText(Path("b.hepmc3")));
  const auto summary = nlohmann::json::parse(first.out);
  // Optimised morphing basis for 4 operators: 15 benchmarks, SM first.
  EXPECT_EQ(summary["benchmarks"].size(), 15u);
  EXPECT_EQ(summary["weight_names"][0], "sm");
  EXPECT_EQ(summary["weight_names"][1], "morphing_basis_vector_1");
}

TEST_F(GenerateCommand, RejectsBadInputWithExitCode2) {
  std::ofstream(Path("b.yaml")) << "benchmarks:\n  sm: {}\n  x: {cHG: 1}\n";
  const CommandResult unknown = RunGoldmine({"generate",
                                             "wh",
                                             "--events",
                                             "10",
                                             "--seed",
                                             "1",
                                             "--output",
                                             Path("x.hepmc3"),
                                             "--benchmarks",
                                             Path("b.yaml")});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown parameter \"cHG\""));
  EXPECT_FALSE(std::filesystem::exists(Path("x.hepmc3")));

  const CommandResult missing =
      RunGoldmine({"generate", "wh", "--seed", "1", "--output", Path("y")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("events"));

  const CommandResult op = RunGoldmine({"generate",
                                        "wh",
                                        "--events",
                                        "10",
                                        "--seed",
                                        "1",
                                        "--output",
                                        Path("z"),
                                        "--operators",
                                        "cHW,cHG"});
  EXPECT_EQ(op.exit_code, 2);
  EXPECT_THAT(op.err, HasSubstr("unknown operator \"cHG\""));
}

}  // namespace
}  // namespace goldmine::testing
