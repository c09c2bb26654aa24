// `goldmine mem` on the built-in WH generator at parton level (issue 16):
// generate → mine → mem → fisher through the real binary, against truths
// that need no reference numbers:
//  - normalisation: Σ_e w_SM,e D(x_e|θ)/D(x_e|SM) and Σ_e w_θ,e (the
//    morphed weights of the same events) both estimate σ(θ); their
//    difference has mean 0 (E[w_θ | x] = w_SM(x) p(x|θ)/p(x|SM));
//  - score: Σ_e (w_SM,e D_i(x_e)/D_0(x_e) − ∂_i w_e) has mean 0 at the SM;
//  - I_histogram ≤ I_MEM ≤ I_truth as matrices at two θ points.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goldmine/mem/monomials.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/mem_file.h"
#include "support/fisher_json.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;

// Under AddressSanitizer (a Debug build 10-20 times slower) the same
// commands run on fewer events and the statistical checks are skipped; the
// release suite runs them all.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#define SKIP_STATISTICS_WHEN_SANITIZED() \
  if (kSanitized) GTEST_SKIP() << "statistical check: release suite only"

constexpr const char* kBenchmarks = R"(benchmarks:
  sm: {}
  cHW_p: {cHW: 1.0}
  cHW_m: {cHW: -1.0}
  cHq3_p: {cHq3: 0.2}
  cHq3_m: {cHq3: -0.2}
  mixed: {cHW: 0.7, cHq3: 0.14}
)";

constexpr const char* kConfig = R"(parameters:
  cHW:  {lha_block: smeft, lha_id: 7,  max_power: 2, range: [-1, 1]}
  cHq3: {lha_block: smeft, lha_id: 13, max_power: 2, range: [-0.2, 0.2]}
benchmarks:
  sm: {}
  cHW_p: {cHW: 1.0}
  cHW_m: {cHW: -1.0}
  cHq3_p: {cHq3: 0.2}
  cHq3_m: {cHq3: -0.2}
  mixed: {cHW: 0.7, cHq3: 0.14}
morphing: {max_overall_power: 2}
samples:
  - file: wh.hepmc3
    sampled_from: sm
objects: {level: parton}
observables:
  l_px: l[0].px
  l_py: l[0].py
  l_pz: l[0].pz
  l_charge: l[0].charge
  b1_px: b[0].px
  b1_py: b[0].py
  b1_pz: b[0].pz
  b2_px: b[1].px
  b2_py: b[1].py
  b2_pz: b[1].pz
  met_px: met.px
  met_py: met.py
  pt_w: (l[0] + met).pt
  m_wh: (l[0] + met + b[0] + b[1]).mt
cuts:
  - "len(b) >= 2"
  - "len(l) >= 1"
seed: 1
)";

class MemWhCommand : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    folder_ = new std::filesystem::path(testing::MakeScratchFolder("mem_wh"));
    std::ofstream(*folder_ / "benchmarks.yaml") << kBenchmarks;
    std::ofstream(*folder_ / "mine.yaml") << kConfig;
    const auto generate =
        testing::RunGoldmine({"generate",
                              "wh",
                              "--events",
                              kSanitized ? "200" : "1500",
                              "--seed",
                              "3",
                              "--operators",
                              "cHW,cHq3",
                              "--output",
                              (*folder_ / "wh.hepmc3").string(),
                              "--benchmarks",
                              (*folder_ / "benchmarks.yaml").string()});
    ASSERT_EQ(generate.exit_code, 0) << generate.err;
    const auto mine = testing::RunGoldmine({"mine",
                                            (*folder_ / "mine.yaml").string(),
                                            "--output",
                                            Events().string()});
    ASSERT_EQ(mine.exit_code, 0) << mine.err;
    const auto mem = testing::RunGoldmine({"mem",
                                           "--events",
                                           Events().string(),
                                           "--output",
                                           Mem().string(),
                                           "--threads",
                                           "2",
                                           "--precision",
                                           "3e-3"});
    ASSERT_EQ(mem.exit_code, 0) << mem.err;
    *summary_ = nlohmann::json::parse(mem.out);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*folder_);
    delete folder_;
  }
  static std::filesystem::path Events() { return *folder_ / "events.h5"; }
  static std::filesystem::path Mem() { return *folder_ / "mem.h5"; }

  static Eigen::VectorXd WeightsAtForTests(const mining::MadminerEvents& events,
                                           const Eigen::VectorXd& theta) {
    return WeightsAt(events, theta);
  }

 protected:
  // Per event: the weights at θ from the file's morphing.
  static Eigen::VectorXd WeightsAt(const mining::MadminerEvents& events,
                                   const Eigen::VectorXd& theta) {
    const mining::MadminerMorphing& morphing = *events.setup.morphing;
    const Eigen::VectorXd m =
        mem::EvaluateMonomials(morphing.components, theta);
    const Eigen::VectorXd benchmark_weights =
        morphing.morphing_matrix.transpose() * m;
    return events.events.weights.leftCols(benchmark_weights.size()) *
           benchmark_weights;
  }

  static std::filesystem::path* folder_;
  static nlohmann::json* summary_;
};

std::filesystem::path* MemWhCommand::folder_ = nullptr;
nlohmann::json* MemWhCommand::summary_ = new nlohmann::json;

TEST_F(MemWhCommand, FindsTheWhProcessAndIntegratesEveryEvent) {
  EXPECT_EQ(summary_->at("process"), "wh");
  EXPECT_EQ(summary_->at("events"), kSanitized ? 200 : 1500);
  const mining::MemFileReader reader(Mem());
  EXPECT_EQ(reader.header().components.rows(), 6);
  const mining::MemRows rows = reader.Read(0, reader.header().num_events);
  EXPECT_TRUE((rows.coefficients.col(0).array() > 0.0).all());
}

TEST_F(MemWhCommand, LikelihoodIsNormalisedAtThreeThetas) {
  SKIP_STATISTICS_WHEN_SANITIZED();
  const mining::MadminerEvents events = mining::ReadEvents(Events());
  const mining::MemFileReader reader(Mem());
  const mining::MemRows rows = reader.Read(0, reader.header().num_events);
  const Eigen::VectorXd w_sm = WeightsAt(events, Eigen::VectorXd::Zero(2));
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{
           {0.5, 0.0}, {0.0, -0.1}, {-0.6, 0.12}}) {
    Eigen::VectorXd theta(2);
    theta << a, b;
    const Eigen::VectorXd m =
        mem::EvaluateMonomials(reader.header().components, theta);
    const Eigen::ArrayXd ratio =
        (rows.coefficients * m).cwiseQuotient(rows.coefficients.col(0)).array();
    const Eigen::ArrayXd difference =
        w_sm.array() * ratio - WeightsAt(events, theta).array();
    const double n = static_cast<double>(difference.size());
    const double error =
        std::sqrt(n * (difference - difference.mean()).square().mean());
    const double sigma = WeightsAt(events, theta).sum();
    EXPECT_NEAR(difference.sum(), 0.0, 4.0 * error) << a << "," << b;
    // Not vacuous: σ(θ) moves by more than the test's resolution.
    EXPECT_GT(std::abs(sigma - w_sm.sum()), 5.0 * error) << a << "," << b;
  }
}

TEST_F(MemWhCommand, ScoreHasMeanZeroAtTheSm) {
  SKIP_STATISTICS_WHEN_SANITIZED();
  const mining::MadminerEvents events = mining::ReadEvents(Events());
  const mining::MemFileReader reader(Mem());
  const mining::MemRows rows = reader.Read(0, reader.header().num_events);
  const Eigen::VectorXd w_sm = WeightsAt(events, Eigen::VectorXd::Zero(2));
  for (int p = 0; p < 2; ++p) {
    // ∂_p w_e at θ = 0 by a symmetric difference of the morphed weights
    // (exact: the weights are quadratic in θ).
    Eigen::VectorXd step = Eigen::VectorXd::Zero(2);
    step(p) = 0.01;
    const Eigen::VectorXd gradient =
        (WeightsAt(events, step) - WeightsAt(events, -step)) / 0.02;
    const Eigen::ArrayXd difference =
        w_sm.array() * rows.coefficients.col(1 + p)
                           .cwiseQuotient(rows.coefficients.col(0))
                           .array() -
        gradient.array();
    const double n = static_cast<double>(difference.size());
    const double error =
        std::sqrt(n * (difference - difference.mean()).square().mean());
    EXPECT_NEAR(difference.sum(), 0.0, 4.0 * error) << "component " << p;
    EXPECT_GT(std::abs(gradient.sum()), 3.0 * error) << "component " << p;
  }
}

TEST_F(MemWhCommand, InformationLiesBetweenHistogramAndTruth) {
  SKIP_STATISTICS_WHEN_SANITIZED();
  for (const std::string theta : {"0,0", "0.3,-0.05"}) {
    const auto fisher = [&](std::vector<std::string> arguments) {
      std::vector<std::string> all = {"fisher"};
      all.insert(all.end(), arguments.begin(), arguments.end());
      for (const std::string& a : {std::string("--events"),
                                   Events().string(),
                                   std::string("--theta"),
                                   theta,
                                   std::string("--luminosity"),
                                   std::string("300000")})
        all.push_back(a);
      const auto run = testing::RunGoldmine(all);
      EXPECT_EQ(run.exit_code, 0) << run.err;
      return nlohmann::json::parse(run.out);
    };
    const auto truth = fisher({"truth", "--no-nuisance"});
    const auto mem = fisher({"mem", "--mem", Mem().string()});
    const auto histogram = fisher(
        {"histogram", "--observable", "pt_w", "--bins", "75,150,250,400"});
    const auto histogram_2d = fisher({"histogram",
                                      "--observable",
                                      "pt_w",
                                      "--bins",
                                      "75,150,250",
                                      "--observable2",
                                      "m_wh",
                                      "--bins2",
                                      "300,600"});
    for (const auto& [larger, smaller, what] :
         std::vector<std::tuple<nlohmann::json, nlohmann::json, std::string>>{
             {truth, mem, "truth - mem"},
             {mem, histogram, "mem - histogram"},
             {mem, histogram_2d, "mem - histogram 2d"}}) {
      testing::ExpectInformationAtLeast(larger, smaller, what + " at " + theta);
    }
    for (const auto& flag : mem.at("exceeds_truth"))
      EXPECT_FALSE(flag.get<bool>()) << theta;
    // MEM sees more than the pT,W histogram (the W decay angles, m_WH).
    EXPECT_GT(
        testing::JsonMatrix(mem.at("fisher_information"))(0, 0),
        1.1 * testing::JsonMatrix(histogram.at("fisher_information"))(0, 0))
        << theta;
  }
}

// With the wh-1908.06980 smearing (b energies to 10 %, MET noise): the MEM
// integrates the true b energies through their transfer functions
// (--detector). The same truths hold on the smeared observables.
class MemWhSmearedCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ =
        new std::filesystem::path(testing::MakeScratchFolder("mem_wh_smeared"));
    std::ofstream(*folder_ / "benchmarks.yaml") << kBenchmarks;
    std::string config = kConfig;
    config.replace(config.find("objects: {level: parton}"),
                   std::string("objects: {level: parton}").size(),
                   "objects: {level: parton}\nsmearing: wh-1908.06980");
    std::ofstream(*folder_ / "mine.yaml") << config;
    ASSERT_EQ(testing::RunGoldmine({"generate",
                                    "wh",
                                    "--events",
                                    kSanitized ? "150" : "1000",
                                    "--seed",
                                    "4",
                                    "--operators",
                                    "cHW,cHq3",
                                    "--output",
                                    (*folder_ / "wh.hepmc3").string(),
                                    "--benchmarks",
                                    (*folder_ / "benchmarks.yaml").string()})
                  .exit_code,
              0);
    const auto mine = testing::RunGoldmine({"mine",
                                            (*folder_ / "mine.yaml").string(),
                                            "--output",
                                            (*folder_ / "events.h5").string()});
    ASSERT_EQ(mine.exit_code, 0) << mine.err;
    const auto mem = testing::RunGoldmine({"mem",
                                           "--events",
                                           (*folder_ / "events.h5").string(),
                                           "--output",
                                           (*folder_ / "mem.h5").string(),
                                           "--threads",
                                           "2",
                                           "--precision",
                                           "1e-2",
                                           "--detector",
                                           "wh-1908.06980"});
    ASSERT_EQ(mem.exit_code, 0) << mem.err;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*folder_);
    delete folder_;
  }
  static std::filesystem::path* folder_;
};

std::filesystem::path* MemWhSmearedCommand::folder_ = nullptr;

TEST_F(MemWhSmearedCommand, NormalisedAndBetweenHistogramAndTruth) {
  // A detector without transfer functions is refused by name.
  const auto refused = testing::RunGoldmine({"mem",
                                             "--events",
                                             (*folder_ / "events.h5").string(),
                                             "--output",
                                             (*folder_ / "never.h5").string(),
                                             "--detector",
                                             "atlas-like"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("atlas-like"));
  SKIP_STATISTICS_WHEN_SANITIZED();
  const auto events_file = *folder_ / "events.h5";
  const mining::MadminerEvents events = mining::ReadEvents(events_file);
  const mining::MemFileReader reader(*folder_ / "mem.h5");
  const mining::MemRows rows = reader.Read(0, reader.header().num_events);
  const Eigen::VectorXd w_sm =
      MemWhCommand::WeightsAtForTests(events, Eigen::VectorXd::Zero(2));
  Eigen::VectorXd theta(2);
  theta << 0.5, -0.1;
  const Eigen::VectorXd m =
      mem::EvaluateMonomials(reader.header().components, theta);
  const Eigen::ArrayXd difference =
      w_sm.array() * (rows.coefficients * m)
                         .cwiseQuotient(rows.coefficients.col(0))
                         .array() -
      MemWhCommand::WeightsAtForTests(events, theta).array();
  const double n = static_cast<double>(difference.size());
  const double error =
      std::sqrt(n * (difference - difference.mean()).square().mean());
  EXPECT_NEAR(difference.sum(), 0.0, 4.0 * error);

  const auto fisher = [&](std::vector<std::string> arguments) {
    std::vector<std::string> all = {"fisher"};
    all.insert(all.end(), arguments.begin(), arguments.end());
    for (const std::string& a : {std::string("--events"),
                                 events_file.string(),
                                 std::string("--theta"),
                                 std::string("0,0"),
                                 std::string("--luminosity"),
                                 std::string("300000")})
      all.push_back(a);
    const auto run = testing::RunGoldmine(all);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return nlohmann::json::parse(run.out);
  };
  const auto truth = fisher({"truth", "--no-nuisance"});
  const auto mem = fisher({"mem", "--mem", (*folder_ / "mem.h5").string()});
  const auto histogram = fisher({"histogram",
                                 "--observable",
                                 "pt_w",
                                 "--bins",
                                 "75,150,250,400",
                                 "--no-nuisance"});
  for (int i = 0; i < 2; ++i) {
    const double t = testing::JsonMatrix(truth.at("fisher_information"))(i, i);
    const double e = testing::JsonMatrix(mem.at("fisher_information"))(i, i);
    const double h =
        testing::JsonMatrix(histogram.at("fisher_information"))(i, i);
    const double ut =
        testing::JsonMatrix(truth.at("fisher_information_uncertainty"))(i, i);
    const double ue =
        testing::JsonMatrix(mem.at("fisher_information_uncertainty"))(i, i);
    const double uh = testing::JsonMatrix(
        histogram.at("fisher_information_uncertainty"))(i, i);
    EXPECT_GE(t - e, -3.0 * std::hypot(ut, ue)) << i;
    EXPECT_GE(e - h, -3.0 * std::hypot(ue, uh)) << i;
  }
  for (const auto& flag : mem.at("exceeds_truth"))
    EXPECT_FALSE(flag.get<bool>());
}

}  // namespace
}  // namespace goldmine
