// `goldmine limits` through the real binary on MadMiner's toy events file:
// results against MadMiner's limits.json, the JSON contract (DESIGN.md §5.6),
// the CSV table, and bad input (exit 2 with a one-line message).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

class LimitsCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    events_ = testing::FindReference("madminer/toy_events.h5").string();
    if (events_.empty()) GTEST_SKIP() << "MadMiner reference data absent";
    reference_ =
        testing::ReadJson(testing::FindReference("madminer/limits.json"));
  }

  // With MadMiner's conventions (--madminer: Asimov data from the test
  // partition, edges without overflow bins), which its numbers need.
  testing::CommandResult Run(std::vector<std::string> extra) {
    std::vector<std::string> arguments = {"limits",
                                          "--events",
                                          events_,
                                          "--grid",
                                          "c1:-1:1:7,c2:-1:1:7",
                                          "--madminer"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return testing::RunGoldmine(arguments);
  }

  void ExpectPValues(const nlohmann::json& json, const std::string& name) {
    const auto& expected = reference_[name]["p_values"];
    ASSERT_EQ(json["p_values"].size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const double p = expected[i].get<double>();
      EXPECT_NEAR(json["p_values"][i].get<double>(), p, 1e-6 * p + 1e-300)
          << name << " point " << i;
      // −2Δ log L and the p-value agree (χ² with 2 dof: p = exp(−q/2)).
      EXPECT_NEAR(
          json["p_values"][i].get<double>(),
          std::exp(-0.5 * json["minus_two_delta_log_l"][i].get<double>()),
          1e-12 + 1e-9 * p);
    }
    EXPECT_EQ(json["best_fit_index"].get<int>(),
              reference_[name]["i_ml"].get<int>());
  }

  void ExpectBadInput(const testing::CommandResult& result,
                      const std::string& message) {
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_TRUE(result.out.empty());
    // The error is one line (after any progress lines) naming the problem.
    const auto error = result.err.find("error: ");
    ASSERT_NE(error, std::string::npos) << result.err;
    const std::string line =
        result.err.substr(error, result.err.find('\n', error) - error);
    EXPECT_NE(line.find(message), std::string::npos) << result.err;
    EXPECT_EQ(error + line.size() + 1, result.err.size()) << result.err;
  }

  std::string events_;
  nlohmann::json reference_;
};

TEST_F(LimitsCommandTest, RateMatchesMadminer) {
  const auto result = Run({"--method", "rate", "--luminosity", "300000"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  ExpectPValues(json, "expected_rate");
  // Contract keys and the grid order: first parameter slowest.
  EXPECT_EQ(json["grid"].size(), 49u);
  EXPECT_EQ(json["grid"][1][0].get<double>(), -1.0);
  EXPECT_NEAR(json["grid"][1][1].get<double>(), -2.0 / 3.0, 1e-15);
  EXPECT_EQ(json["best_fit"], json["grid"][24]);
  EXPECT_EQ(json["parameters"], nlohmann::json({"c1", "c2"}));
  EXPECT_TRUE(json["include_xsec"].get<bool>());
}

TEST_F(LimitsCommandTest, HistogramWithRateMatchesMadminerAndWritesCsv) {
  const auto folder = testing::MakeScratchFolder("limits_command_csv");
  const std::string csv = (folder / "limits.csv").string();
  const auto result = Run({"--method",
                           "histo",
                           "--observables",
                           "pt",
                           "--include-xsec",
                           "--csv",
                           csv});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  ExpectPValues(json, "expected_histo_pt_xsec");
  EXPECT_EQ(json["histogram_edges"][0].size(), 26u);
  // Intervals: the SM lies inside the 68% range of both parameters.
  for (const std::string name : {"c1", "c2"}) {
    const auto& ranges = json["intervals"][name]["68%"];
    ASSERT_FALSE(ranges.empty()) << name;
    bool contains_sm = false;
    for (const auto& range : ranges) {
      contains_sm |= range["lower"].get<double>() <= 0.0 &&
                     range["upper"].get<double>() >= 0.0;
    }
    EXPECT_TRUE(contains_sm) << name;
  }
  EXPECT_NEAR(
      json["contour_levels"]["95%"].get<double>(), 5.991464547107979, 1e-12);
  std::ifstream in(csv);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header,
            "c1,c2,minus_two_delta_log_l,p_value,log_likelihood_kin,"
            "log_likelihood_rate");
  int rows = 0;
  for (std::string line; std::getline(in, line);) ++rows;
  EXPECT_EQ(rows, 49);
}

TEST_F(LimitsCommandTest, TwoDimensionalHistogramWithoutRate) {
  const auto result = Run({"--method", "histo", "--observables", "pt,dphi"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  ExpectPValues(json, "expected_histo_pt_dphi_noxsec");
  EXPECT_FALSE(json["include_xsec"].get<bool>());
  for (const auto& value : json["log_likelihood_rate"])
    EXPECT_EQ(value.get<double>(), 0.0);
}

// Grid points in parallel (issue 19): the same output, number for number,
// for 1, 2 and 3 threads, with and without the rate term.
TEST_F(LimitsCommandTest, ThreadsGiveTheSameNumbers) {
  for (const std::vector<std::string>& method :
       {std::vector<std::string>{
            "--method", "histo", "--observables", "pt,dphi"},
        std::vector<std::string>{
            "--method", "histo", "--observables", "pt", "--include-xsec"}}) {
    std::string reference;
    for (const char* threads : {"1", "2", "3"}) {
      std::vector<std::string> extra = method;
      extra.push_back("--threads");
      extra.push_back(threads);
      const auto result = Run(extra);
      ASSERT_EQ(result.exit_code, 0) << result.err;
      ASSERT_FALSE(result.out.empty());
      if (reference.empty()) {
        reference = result.out;
      } else {
        EXPECT_EQ(result.out, reference) << threads << " threads";
      }
    }
  }
  ExpectBadInput(Run({"--method", "rate", "--threads", "0"}), "--threads");
}

// Issue 19: a grid in chunks (--chunk I/N) joined by --join gives the
// single run's output byte for byte, with the chunks in any order; chunks
// that left out different units are refused, naming what to pass to every
// chunk; chunks of another run, missing chunks and profiled chunks too.
TEST_F(LimitsCommandTest, ChunksJoinIntoTheSingleRunsOutput) {
  const std::filesystem::path folder =
      testing::MakeScratchFolder("limits_chunks");
  auto chunk_file = [&](int i) {
    return (folder / ("chunk" + std::to_string(i) + ".json")).string();
  };
  auto chunks = [&](const std::vector<std::string>& method,
                    const std::vector<std::string>& per_chunk0) {
    for (int i = 0; i < 3; ++i) {
      std::vector<std::string> extra = method;
      extra.insert(
          extra.end(),
          {"--chunk", std::to_string(i) + "/3", "--output", chunk_file(i)});
      if (i == 0)
        extra.insert(extra.end(), per_chunk0.begin(), per_chunk0.end());
      const auto result = Run(extra);
      ASSERT_EQ(result.exit_code, 0) << result.err;
    }
  };
  auto join = [&](std::vector<std::string> extra) {
    extra.insert(extra.end(),
                 {"--join", chunk_file(2), chunk_file(0), chunk_file(1)});
    return Run(extra);
  };
  for (const std::vector<std::string>& method :
       {std::vector<std::string>{
            "--method", "histo", "--observables", "pt,dphi"},
        std::vector<std::string>{
            "--method", "histo", "--observables", "pt", "--include-xsec"}}) {
    const auto single = Run(method);
    ASSERT_EQ(single.exit_code, 0) << single.err;
    chunks(method, {});
    const auto joined = join(method);
    ASSERT_EQ(joined.exit_code, 0) << joined.err;
    EXPECT_EQ(joined.out, single.out);
  }
  const std::vector<std::string> histo = {
      "--method", "histo", "--observables", "pt"};
  // Chunk 0 leaves out bin 2, the others do not: the join cannot subtract
  // what they summed.
  chunks(histo, {"--drop-units", "2"});
  ExpectBadInput(join(histo), "rerun every chunk with --drop-units 2");
  // Every chunk with --drop-units 2 is the single run with it.
  std::vector<std::string> dropped = histo;
  dropped.insert(dropped.end(), {"--drop-units", "2"});
  chunks(dropped, {});
  const auto single = Run(dropped);
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_EQ(nlohmann::json::parse(single.out)["dropped_units"], 1);
  const auto joined = join(histo);
  ASSERT_EQ(joined.exit_code, 0) << joined.err;
  EXPECT_EQ(joined.out, single.out);

  std::vector<std::string> other = histo;
  other.insert(other.end(), {"--luminosity", "1000"});
  ExpectBadInput(join(other), "a chunk of another limits run");
  ExpectBadInput(Run({"--method",
                      "histo",
                      "--observables",
                      "pt",
                      "--join",
                      chunk_file(0),
                      chunk_file(1)}),
                 "chunk 2/3 is missing");
  ExpectBadInput(testing::RunGoldmine({"limits",
                                       "--events",
                                       events_,
                                       "--method",
                                       "rate",
                                       "--grid",
                                       "c1:-1:1:5",
                                       "--profile",
                                       "c2:-1:1",
                                       "--chunk",
                                       "0/2"}),
                 "profiled parameters are not split into chunks");
  std::filesystem::remove_all(folder);
}

TEST_F(LimitsCommandTest, FixedEdgesAndOneParameterWithTheOtherFixed) {
  const auto fixed = Run({"--method",
                          "histo",
                          "--observables",
                          "pt",
                          "--binning",
                          "20,40,60,80,100,140,200,400",
                          "--include-xsec"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  ExpectPValues(nlohmann::json::parse(fixed.out),
                "expected_histo_pt_fixed_edges");
  // A 1D scan of c1 at c2 = 0 is the c2 = 0 column of the 2D scan.
  const auto scan = testing::RunGoldmine({"limits",
                                          "--events",
                                          events_,
                                          "--grid",
                                          "c1:-1:1:7",
                                          "--method",
                                          "rate",
                                          "--fix",
                                          "c2=0",
                                          "--madminer"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  const auto json = nlohmann::json::parse(scan.out);
  const auto& rate = reference_["expected_rate"]["log_likelihood_rate"];
  for (std::size_t i = 0; i < 7; ++i) {
    const double expected = rate[i * 7 + 3].get<double>();
    EXPECT_NEAR(json["log_likelihood_rate"][i].get<double>(),
                expected,
                1e-9 * std::abs(expected));
  }
  EXPECT_EQ(json["dof"].get<int>(), 1);
}

TEST_F(LimitsCommandTest, StxsPresetBinning) {
  const auto result = Run({"--method",
                           "histo",
                           "--observables",
                           "pt",
                           "--binning",
                           "STXS-WH",
                           "--include-xsec"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  // [0, 75, 150, 250, 400, ∞): the open edge is "inf" in JSON.
  const auto& edges = json["histogram_edges"][0];
  ASSERT_EQ(edges.size(), 6u);
  EXPECT_EQ(edges[3].get<double>(), 250.0);
  EXPECT_EQ(edges[5], "inf");
  // Five coarse bins carry less information than 25 adaptive ones: the
  // 2σ-excluded region is smaller.
  const auto fine = nlohmann::json::parse(
      Run({"--method", "histo", "--observables", "pt", "--include-xsec"}).out);
  int coarse_excluded = 0;
  int fine_excluded = 0;
  for (std::size_t i = 0; i < 49; ++i) {
    coarse_excluded += json["p_values"][i].get<double>() < 0.05;
    fine_excluded += fine["p_values"][i].get<double>() < 0.05;
  }
  EXPECT_LE(coarse_excluded, fine_excluded);
  EXPECT_GT(coarse_excluded, 0);
}

TEST_F(LimitsCommandTest, ObservedEventsFromAnEventsFile) {
  // The whole toy file as observed data: unweighted (n = rows) and weighted
  // by the SM benchmark (n = L σ_SM of the whole file).
  const auto unweighted =
      Run({"--method", "histo", "--observables", "pt", "--observed", events_});
  ASSERT_EQ(unweighted.exit_code, 0) << unweighted.err;
  const auto json = nlohmann::json::parse(unweighted.out);
  EXPECT_EQ(json["n_observed"].get<double>(), 20000.0);
  EXPECT_TRUE(json["observed"].get<bool>());
  EXPECT_FALSE(json.contains("theta_true"));
  const auto weighted = Run({"--method",
                             "rate",
                             "--observed",
                             events_,
                             "--observed-weights",
                             "sm",
                             "--luminosity",
                             "300000"});
  ASSERT_EQ(weighted.exit_code, 0) << weighted.err;
  const auto rate = nlohmann::json::parse(weighted.out);
  const double sigma_sm = testing::ReadJson(testing::FindReference(
      "madminer/cross_sections.json"))["benchmarks"]["xsecs"][0]
                              .get<double>();
  EXPECT_NEAR(rate["n_observed"].get<double>(), 300000.0 * sigma_sm, 1e-9);
  // The best fit of a rate-only observed limit has L σ(θ) closest to n:
  // at the SM point the expected count equals n up to the partition's MC
  // error, so the SM is inside the 68% region.
  EXPECT_LT(rate["minus_two_delta_log_l"][24].get<double>(), 2.3);
  ExpectBadInput(Run({"--method",
                      "rate",
                      "--observed",
                      events_,
                      "--observed-weights",
                      "nope"}),
                 "--observed-weights nope: no such benchmark");
}

#ifdef GOLDMINE_WITH_TORCH
// SALLY and CARL models from `goldmine train`, through the goldmine-torch
// re-run (models load only there).
TEST_F(LimitsCommandTest, ScoreAndRatioModelsFromGoldmineTrain) {
  const auto folder = testing::MakeScratchFolder("limits_command_sally");
  const std::string samples = (folder / "local.h5").string();
  const auto augment = testing::RunGoldmine({"augment",
                                             "local",
                                             "--events",
                                             events_,
                                             "--output",
                                             samples,
                                             "--n-samples",
                                             "3000",
                                             "--seed",
                                             "3",
                                             "--theta",
                                             "benchmark:sm"});
  ASSERT_EQ(augment.exit_code, 0) << augment.err;
  const std::string model = (folder / "sally").string();
  const auto train = testing::RunGoldmine({"train",
                                           "--method",
                                           "sally",
                                           "--samples",
                                           samples,
                                           "--output",
                                           model,
                                           "--hidden",
                                           "16",
                                           "--epochs",
                                           "3",
                                           "--batch-size",
                                           "128",
                                           "--seed",
                                           "5"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const auto result = Run({"--method",
                           "sally",
                           "--model",
                           model,
                           "--include-xsec",
                           "--binning",
                           "6;6"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["method"], "sally");
  EXPECT_EQ(json["histogram_edges"].size(), 2u);
  // Asimov data at the SM: the SM is the best fit (−2Δ log L = 0).
  EXPECT_EQ(json["best_fit_index"].get<int>(), 24);

  // The same score histogram as a HistFactory model with staterror: still
  // the SM at the best fit, finite everywhere.
  const auto profiled = Run({"--method",
                             "sally",
                             "--model",
                             model,
                             "--binning",
                             "6;6",
                             "--systematics"});
  ASSERT_EQ(profiled.exit_code, 0) << profiled.err;
  const auto profiled_json = nlohmann::json::parse(profiled.out);
  EXPECT_EQ(profiled_json["best_fit_index"].get<int>(), 24);
  EXPECT_EQ(profiled_json["systematics"]["num_bins"].get<int>(), 36);
  for (const auto& q : profiled_json["minus_two_delta_log_l"]) {
    ASSERT_TRUE(q.is_number()) << profiled.out;
    EXPECT_GE(q.get<double>(), 0.0);
  }

  // ml with a (briefly trained) CARL ratio model.
  const std::string ratio_samples = (folder / "ratio.h5").string();
  ASSERT_EQ(testing::RunGoldmine({"augment",
                                  "ratio",
                                  "--events",
                                  events_,
                                  "--output",
                                  ratio_samples,
                                  "--n-samples",
                                  "2000",
                                  "--seed",
                                  "1",
                                  "--theta0",
                                  "random:20:uniform",
                                  "--theta1",
                                  "benchmark:sm"})
                .exit_code,
            0);
  const std::string carl = (folder / "carl").string();
  ASSERT_EQ(testing::RunGoldmine({"train",
                                  "--method",
                                  "carl",
                                  "--samples",
                                  ratio_samples,
                                  "--output",
                                  carl,
                                  "--hidden",
                                  "16",
                                  "--epochs",
                                  "2",
                                  "--seed",
                                  "1"})
                .exit_code,
            0);
  const auto ml = Run({"--method", "ml", "--model", carl});
  ASSERT_EQ(ml.exit_code, 0) << ml.err;
  const auto ml_json = nlohmann::json::parse(ml.out);
  EXPECT_EQ(ml_json["method"], "ml");
  EXPECT_FALSE(ml_json.contains("histogram_edges"));
  for (const auto& q : ml_json["minus_two_delta_log_l"]) {
    EXPECT_TRUE(std::isfinite(q.get<double>()));
    EXPECT_GE(q.get<double>(), 0.0);
  }
  std::filesystem::remove_all(folder);
}
#endif

// --systematics: the histogram becomes the HistFactory model of
// inference/eft_binned_model.h with the file's nuisance parameter (histosys),
// staterror and a 10% lumi uncertainty, profiled at every grid point. The
// same model built by `goldmine eft-workspace` (its own histogramming of the
// events file) gives the same profile: the same edge list means the same
// bins (underflow and overflow bins included) in both commands.
TEST_F(LimitsCommandTest, SystematicsProfileMatchesTheExportedEftModel) {
  const std::string nuisance_events =
      testing::FindReference("madminer/toy_nuisance_events.h5").string();
  const auto limits = testing::RunGoldmine({"limits",
                                            "--events",
                                            nuisance_events,
                                            "--method",
                                            "histo",
                                            "--observables",
                                            "pt",
                                            "--binning",
                                            "50,100,150,200",
                                            "--grid",
                                            "c1:-1:1:5,c2:-1:1:5",
                                            "--systematics",
                                            "--lumi-uncertainty",
                                            "0.1"});
  ASSERT_EQ(limits.exit_code, 0) << limits.err;
  const auto json = nlohmann::json::parse(limits.out);
  ASSERT_TRUE(json.contains("systematics"));
  EXPECT_EQ(json["systematics"]["num_bins"].get<int>(), 5);
  EXPECT_EQ(json["systematics"]["fits_not_converged"].get<int>(), 0);
  const auto& names = json["systematics"]["nuisance_parameters"];
  EXPECT_NE(std::find(names.begin(), names.end(), "lumi"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "syst_nuisance_param_0"),
            names.end());

  const auto folder = testing::MakeScratchFolder("limits_systematics");
  const auto exported = testing::RunGoldmine({"eft-workspace",
                                              "--events",
                                              nuisance_events,
                                              "--observable",
                                              "pt",
                                              "--bins",
                                              "50,100,150,200",
                                              "--luminosity",
                                              "300000",
                                              "--grid",
                                              "c1:-1:1:5,c2:-1:1:5",
                                              "--lumi-uncertainty",
                                              "0.1",
                                              "--output-dir",
                                              (folder / "ws").string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto reference = nlohmann::json::parse(exported.out);
  ASSERT_EQ(reference["minus_two_delta_log_l"].size(),
            json["minus_two_delta_log_l"].size());
  for (std::size_t i = 0; i < json["minus_two_delta_log_l"].size(); ++i) {
    const double expected = reference["minus_two_delta_log_l"][i].get<double>();
    EXPECT_NEAR(json["minus_two_delta_log_l"][i].get<double>(),
                expected,
                1e-6 * (1.0 + expected))
        << "grid point " << i;
  }
  // Without the lumi uncertainty the profile is tighter everywhere.
  const auto tighter = testing::RunGoldmine({"limits",
                                             "--events",
                                             nuisance_events,
                                             "--method",
                                             "histo",
                                             "--observables",
                                             "pt",
                                             "--binning",
                                             "50,100,150,200",
                                             "--grid",
                                             "c1:-1:1:5,c2:-1:1:5",
                                             "--systematics"});
  ASSERT_EQ(tighter.exit_code, 0) << tighter.err;
  const auto tighter_json = nlohmann::json::parse(tighter.out);
  for (std::size_t i = 0; i < json["minus_two_delta_log_l"].size(); ++i) {
    EXPECT_LE(json["minus_two_delta_log_l"][i].get<double>(),
              tighter_json["minus_two_delta_log_l"][i].get<double>() + 1e-6)
        << "grid point " << i;
  }
  std::filesystem::remove_all(folder);
}

TEST_F(LimitsCommandTest, BadInputIsRejectedWithExitCode2) {
  ExpectBadInput(Run({"--method", "magic"}), "limits method \"magic\" unknown");
  ExpectBadInput(testing::RunGoldmine({"limits",
                                       "--events",
                                       events_,
                                       "--method",
                                       "rate",
                                       "--grid",
                                       "c1:-1:1"}),
                 "is not NAME:LO:HI:N");
  ExpectBadInput(testing::RunGoldmine({"limits",
                                       "--events",
                                       events_,
                                       "--method",
                                       "rate",
                                       "--grid",
                                       "c1:-1:1:zero"}),
                 "\"zero\" is not a finite number");
  ExpectBadInput(testing::RunGoldmine({"limits",
                                       "--events",
                                       events_,
                                       "--method",
                                       "rate",
                                       "--grid",
                                       "c9:-1:1:3"}),
                 "parameter \"c9\" is not in the events file");
  ExpectBadInput(Run({"--method", "rate", "--theta-true", "0.1"}),
                 "--theta-true 0.1: expected 2 values");
  ExpectBadInput(Run({"--method", "histo", "--observables", "mass"}),
                 "observable \"mass\" is not in the events file");
  ExpectBadInput(Run({"--method", "histo"}), "needs --observables");
  ExpectBadInput(Run({"--method",
                      "histo",
                      "--observables",
                      "pt",
                      "--binning",
                      "1000,2000,3000"}),
                 "holds observed events but no simulated event");
  ExpectBadInput(
      Run({"--method", "histo", "--observables", "pt", "--binning", "5;5"}),
      "2 dimensions given");
  ExpectBadInput(Run({"--method", "rate", "--luminosity", "0"}),
                 "luminosity must be positive");
  ExpectBadInput(Run({"--method", "ml"}), "needs --model");
  ExpectBadInput(Run({"--method", "sally"}), "needs --model");
  ExpectBadInput(Run({"--method", "rate", "--systematics"}),
                 "only the histogram methods histo and sally");
  ExpectBadInput(testing::RunGoldmine({"limits",
                                       "--events",
                                       events_,
                                       "--grid",
                                       "c1:-1:1:3",
                                       "--method",
                                       "histo",
                                       "--observables",
                                       "pt",
                                       "--systematics",
                                       "--profile",
                                       "c2:-1:1"}),
                 "--profile is not supported");
  ExpectBadInput(Run({"--method", "rate", "--profile", "c2"}),
                 "expected NAME:LO:HI");
}

}  // namespace
}  // namespace goldmine
