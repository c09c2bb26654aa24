// goldmine generate (DESIGN.md §5.2), run as a user would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goldmine/mining/madminer_file.h"
#include "support/reference_data.h"
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

TEST_F(GenerateCommand, ToyIsReproducibleAndMinesWithTheExampleConfig) {
  const std::filesystem::path examples = SourceDir() / "examples" / "toy";
  const std::vector<std::string> arguments = {
      "generate",
      "toy",
      "--events",
      "3000",
      "--seed",
      "1",
      "--benchmarks",
      (examples / "benchmarks.yaml").string(),
      "--output"};
  auto with = [&](const std::string& file) {
    std::vector<std::string> all = arguments;
    all.push_back(Path(file));
    return RunGoldmine(all);
  };
  const CommandResult result = with("toy.hepmc3");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(with("again.hepmc3").exit_code, 0);
  EXPECT_EQ(ReadText(Path("toy.hepmc3")), ReadText(Path("again.hepmc3")));
  const auto summary = nlohmann::json::parse(result.out);
  EXPECT_EQ(summary["process"], "toy");
  EXPECT_THAT(summary["parameters"].get<std::vector<std::string>>(),
              ElementsAre("c1", "c2"));
  EXPECT_THAT(summary["weight_names"].get<std::vector<std::string>>(),
              ElementsAre("sm", "b1", "b2", "b3", "b4", "b5"));
  // σ(θ) = 0.002 pb (1 + 1.4 c1 + 0.74 c1² + 0.77 c2²); σ_SM is exact.
  EXPECT_NEAR(summary["cross_sections"]["sm"].get<double>(), 0.002, 1e-15);
  EXPECT_NEAR(summary["cross_sections"]["b1"].get<double>(),
              0.0057188,
              0.0057188 * 0.03);
  EXPECT_NEAR(summary["cross_sections"]["b5"].get<double>(),
              0.0054398,
              0.0054398 * 0.03);
  const std::string text = ReadText(Path("toy.hepmc3"));
  EXPECT_THAT(text, HasSubstr("A goldmine_benchmark_b5 c1=0.7 c2=0.7"));
  EXPECT_THAT(text, HasSubstr("A 0 goldmine_latent "));

  // Mined with the example configuration: the MadMiner toy's observables.
  std::filesystem::copy_file(examples / "mine_toy.yaml", Path("mine_toy.yaml"));
  const CommandResult mined = RunGoldmine(
      {"mine", Path("mine_toy.yaml"), "--output", Path("toy_events.h5")});
  ASSERT_EQ(mined.exit_code, 0) << mined.err;
  const mining::MadminerEvents events =
      mining::ReadEvents(Path("toy_events.h5"));
  ASSERT_EQ(events.events.size(), 3000);
  ASSERT_EQ(events.events.observations.cols(), 4);
  for (Eigen::Index i = 0; i < events.events.size(); ++i) {
    const double pt = events.events.observations(i, 0);
    const double dphi = events.events.observations(i, 1);
    EXPECT_GT(pt, 1.0);
    EXPECT_LE(std::abs(dphi), M_PI);
    EXPECT_NEAR(
        events.events.observations(i, 3), pt * std::cos(dphi), 1e-12 * pt);
  }
  for (Eigen::Index b = 0; b < 6; ++b) {
    const std::string name = summary["weight_names"][b];
    const double sigma = summary["cross_sections"][name];
    EXPECT_NEAR(events.events.weights.col(b).sum(), sigma, 1e-12 * sigma)
        << name;
  }
}

TEST_F(GenerateCommand, ToyWithOneParameterUsesAThreePointBasis) {
  const CommandResult result = RunGoldmine({"generate",
                                            "toy",
                                            "--events",
                                            "50",
                                            "--seed",
                                            "2",
                                            "--output",
                                            Path("toy.hepmc3"),
                                            "--operators",
                                            "c2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto summary = nlohmann::json::parse(result.out);
  EXPECT_THAT(summary["parameters"].get<std::vector<std::string>>(),
              ElementsAre("c2"));
  EXPECT_EQ(summary["benchmarks"].size(), 3u);
  EXPECT_EQ(summary["weight_names"][0], "sm");

  const CommandResult bad = RunGoldmine({"generate",
                                         "toy",
                                         "--events",
                                         "5",
                                         "--seed",
                                         "2",
                                         "--output",
                                         Path("bad.hepmc3"),
                                         "--operators",
                                         "cHW"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("unknown parameter \"cHW\""));
}

}  // namespace
}  // namespace goldmine::testing
