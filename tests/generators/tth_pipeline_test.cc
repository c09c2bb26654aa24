// End-to-end κ_t regression through the real binary: generate tth → mine →
// fisher truth / rate. At the SM every event weight is κ_t² w_SM, so
//   I(c_uH, c_uH) = L σ_SM (dκ_t²/dc_uH)² = L σ_SM (2 k_uH)²,
//   k_uH = −v³/(√2 m_t Λ²)    (PHYSICS.md §7.2),
// exactly for the sample's σ_SM (no MC error beyond σ_SM's own): truth and
// rate information coincide because the joint score vanishes per event.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;

class TthPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override { folder_ = testing::MakeScratchFolder("tth_cli"); }
  void TearDown() override { fs::remove_all(folder_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(folder_ / name) << text;
    return (folder_ / name).string();
  }
  fs::path folder_;
};

TEST_F(TthPipelineTest, TruthFisherInformationIsTheKappaRate) {
  const std::string benchmarks =
      Write("benchmarks.yaml",
            "benchmarks:\n  sm: {}\n  plus: {cuH: 5}\n  minus: {cuH: -5}\n");
  const std::string events = (folder_ / "tth.hepmc3").string();
  const auto generated = testing::RunGoldmine({"generate",
                                               "tth",
                                               "--events",
                                               "2000",
                                               "--seed",
                                               "3",
                                               "--output",
                                               events,
                                               "--benchmarks",
                                               benchmarks});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  const nlohmann::json summary = nlohmann::json::parse(generated.out);
  EXPECT_EQ(summary.at("process"), "tth");
  EXPECT_EQ(summary.at("parameters"), nlohmann::json({"cuH"}));
  const double sigma = summary.at("cross_sections").at("sm").get<double>();
  const double kappa_plus = 1.0 - 5.0 * 0.0610956;
  EXPECT_NEAR(summary.at("cross_sections").at("plus").get<double>() / sigma,
              kappa_plus * kappa_plus,
              1e-5);

  const std::string config =
      Write("config.yaml",
            "parameters:\n  cuH: {max_power: 2, range: [-5, 5]}\n"
            "benchmarks:\n  sm: {}\n  plus: {cuH: 5}\n  minus: {cuH: -5}\n"
            "morphing: {max_overall_power: 2}\n"
            "samples:\n  - {file: tth.hepmc3, sampled_from: sm}\n"
            "objects: {level: parton}\n"
            "observables:\n  pt_l: l[0].pt\n  pt_b1: b[0].pt\n");
  const std::string mined_file = (folder_ / "tth_events.h5").string();
  const auto mined =
      testing::RunGoldmine({"mine", config, "--output", mined_file});
  ASSERT_EQ(mined.exit_code, 0) << mined.err;

  const double v = 1.0 / std::sqrt(std::sqrt(2.0) * 1.1663787e-5);
  const double k = -v * v * v / (std::sqrt(2.0) * 172.76 * 1e6);
  const double luminosity = 300000.0;
  const double expected = luminosity * sigma * 4.0 * k * k;
  for (const std::string mode : {"truth", "rate"}) {
    const auto fisher = testing::RunGoldmine({"fisher",
                                              mode,
                                              "--events",
                                              mined_file,
                                              "--theta",
                                              "0",
                                              "--luminosity",
                                              "300000"});
    ASSERT_EQ(fisher.exit_code, 0) << fisher.err;
    const double info = nlohmann::json::parse(fisher.out)
                            .at("fisher_information")[0][0]
                            .get<double>();
    // The whole sample (train and test partitions) is used by truth/rate.
    EXPECT_NEAR(info / expected, 1.0, 1e-8) << mode;
  }

#ifdef GOLDMINE_TTH_WITH_TORCH
  // SALLY on the constant (zero) joint score: the learned score is ~0, so
  // its kinematic information is negligible and `fisher sally` with the
  // rate term reproduces the exact answer (examples/tth_kappa_t, 20k
  // events: 0.1 % kinematic).
  const std::string samples = (folder_ / "train.h5").string();
  const auto augmented = testing::RunGoldmine({"augment",
                                               "local",
                                               "--events",
                                               mined_file,
                                               "--output",
                                               samples,
                                               "--n-samples",
                                               "5000",
                                               "--seed",
                                               "2",
                                               "--theta",
                                               "point:0",
                                               "--partition",
                                               "train"});
  ASSERT_EQ(augmented.exit_code, 0) << augmented.err;
  const std::string model = (folder_ / "sally").string();
  const auto trained = testing::RunGoldmine({"train",
                                             "--method",
                                             "sally",
                                             "--samples",
                                             samples,
                                             "--output",
                                             model,
                                             "--epochs",
                                             "10",
                                             "--seed",
                                             "3"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  for (const bool rate : {true, false}) {
    std::vector<std::string> arguments = {"fisher",
                                          "sally",
                                          "--events",
                                          mined_file,
                                          "--theta",
                                          "0",
                                          "--luminosity",
                                          "300000",
                                          "--model",
                                          model};
    if (!rate) arguments.push_back("--no-xsec-info");
    const auto fisher = testing::RunGoldmine(arguments);
    ASSERT_EQ(fisher.exit_code, 0) << fisher.err;
    const double info = nlohmann::json::parse(fisher.out)
                            .at("fisher_information")[0][0]
                            .get<double>();
    if (rate) {
      EXPECT_NEAR(info / expected, 1.0, 0.05);
    } else {
      EXPECT_GE(info, 0.0);
      EXPECT_LT(info / expected, 0.05);
    }
  }
#endif
}

// Without --benchmarks: an optimised morphing basis for cuH (sm + 2
// points); the same seed gives the same file through the CLI too.
TEST_F(TthPipelineTest, DefaultBasisAndSameSeedSameFile) {
  std::vector<std::string> texts;
  for (const char* name : {"a.hepmc3", "b.hepmc3"}) {
    const std::string output = (folder_ / name).string();
    const auto result = testing::RunGoldmine({"generate",
                                              "tth",
                                              "--events",
                                              "300",
                                              "--seed",
                                              "11",
                                              "--output",
                                              output,
                                              "--higgs-decay",
                                              "aa",
                                              "--scale",
                                              "ht2"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const nlohmann::json summary = nlohmann::json::parse(result.out);
    EXPECT_EQ(summary.at("benchmarks").size(), 3u);
    EXPECT_TRUE(summary.at("benchmarks").contains("sm"));
    EXPECT_EQ(summary.at("weight_names").size(), 5u);
    std::ifstream in(output, std::ios::binary);
    texts.emplace_back(std::istreambuf_iterator<char>(in),
                       std::istreambuf_iterator<char>());
  }
  EXPECT_FALSE(texts[0].empty());
  EXPECT_EQ(texts[0], texts[1]);
  EXPECT_NE(texts[0].find("A goldmine_factorisation_scale ht2"),
            std::string::npos);
  EXPECT_NE(texts[0].find("H -> aa"), std::string::npos);
}

TEST_F(TthPipelineTest, BadOptionsExitTwo) {
  const std::string output = (folder_ / "x.hepmc3").string();
  for (const std::vector<std::string>& extra :
       std::vector<std::vector<std::string>>{{"--operators", "cHW"},
                                             {"--top-decays", "leptonic"},
                                             {"--higgs-decay", "tautau"},
                                             {"--charge", "plus"},
                                             {"--scale", "shat"}}) {
    std::vector<std::string> arguments = {
        "generate", "tth", "--events", "10", "--seed", "1", "--output", output};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    const auto result = testing::RunGoldmine(arguments);
    EXPECT_EQ(result.exit_code, 2) << extra[0] << ": " << result.err;
    // The message names the option or the rejected value.
    EXPECT_TRUE(result.err.find(extra[1]) != std::string::npos ||
                result.err.find(extra[0]) != std::string::npos)
        << result.err;
    EXPECT_FALSE(fs::exists(output));
  }
}

}  // namespace
}  // namespace goldmine
