// `goldmine mem` and `goldmine fisher mem` on the analytic toy, end to end
// through the real binary (generate → mine → mem → fisher), against
// statistical truths that need no reference numbers (issue 16):
//  - the observable-level likelihood is normalised: over SM events,
//    Σ_e w_SM,e p(x_e|θ)/p(x_e|SM) = σ(θ) within the Monte Carlo error;
//  - the observable-level score has mean 0 at θ;
//  - information inequalities I_histogram ≤ I_MEM ≤ I_truth as matrices
//    (smallest eigenvalue of each difference ≥ −3 MC standard errors);
//  - the same seed gives the same file for any number of threads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/generators/toy_model.h"
#include "goldmine/inference/limits/asymptotic_limits.h"
#include "goldmine/inference/limits/theta_grid.h"
#include "goldmine/mem/mem_ratio_model.h"
#include "goldmine/mem/monomials.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/mem_file.h"
#include "support/fisher_json.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;

// Under AddressSanitizer (the asan preset, a Debug build 10-20 times
// slower) the suite runs the same commands on fewer events and skips the
// statistical checks, whose resolution needs the full sample; the release
// suite runs them all.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
constexpr int kEvents = kSanitized ? 300 : 3000;
#define SKIP_STATISTICS_WHEN_SANITIZED() \
  if (kSanitized) GTEST_SKIP() << "statistical check: release suite only"

constexpr const char* kConfig = R"(parameters:
  c1: {lha_block: dim6, lha_id: 2, max_power: 2, range: [-1, 1]}
  c2: {lha_block: dim6, lha_id: 5, max_power: 2, range: [-1, 1]}
benchmarks:
  sm: {}
  b1: {c1: 0.9}
  b2: {c1: -0.9}
  b3: {c2: 0.9}
  b4: {c2: -0.9}
  b5: {c1: 0.7, c2: 0.7}
morphing: {max_overall_power: 2}
samples:
  - file: toy.hepmc3
    sampled_from: sm
objects: {level: parton}
observables:
  pt: j[0].pt
  dphi: j[0].deltaphi(j[1])
  eta: j[0].eta
  ptcos: pt * cos(dphi)
seed: 1
)";

nlohmann::json Json(const testing::CommandResult& run) {
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return nlohmann::json::parse(run.out);
}

class MemCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new std::filesystem::path(testing::MakeScratchFolder("mem_cli"));
    const auto benchmarks = *folder_ / "benchmarks.yaml";
    std::ofstream(benchmarks) << "benchmarks:\n  sm: {}\n  b1: {c1: 0.9}\n"
                                 "  b2: {c1: -0.9}\n  b3: {c2: 0.9}\n"
                                 "  b4: {c2: -0.9}\n  b5: {c1: 0.7, c2: 0.7}\n";
    std::ofstream(*folder_ / "mine.yaml") << kConfig;
    ASSERT_EQ(testing::RunGoldmine({"generate",
                                    "toy",
                                    "--events",
                                    std::to_string(kEvents),
                                    "--seed",
                                    "4",
                                    "--output",
                                    (*folder_ / "toy.hepmc3").string(),
                                    "--benchmarks",
                                    benchmarks.string()})
                  .exit_code,
              0);
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
                                           "3e-3",
                                           "--seed",
                                           "5"});
    ASSERT_EQ(mem.exit_code, 0) << mem.err;
    *summary_ = nlohmann::json::parse(mem.out);
    *progress_ = mem.err;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*folder_);
    delete folder_;
  }
  static std::filesystem::path Events() { return *folder_ / "events.h5"; }
  static std::filesystem::path Mem() { return *folder_ / "mem.h5"; }

  static nlohmann::json Fisher(const std::string& mode,
                               const std::string& theta,
                               std::vector<std::string> extra = {}) {
    std::vector<std::string> arguments = {"fisher",
                                          mode,
                                          "--events",
                                          Events().string(),
                                          "--theta",
                                          theta,
                                          "--luminosity",
                                          "1e6"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return Json(testing::RunGoldmine(arguments));
  }

  static std::filesystem::path* folder_;
  static nlohmann::json* summary_;
  static std::string* progress_;
};

std::filesystem::path* MemCommand::folder_ = nullptr;
nlohmann::json* MemCommand::summary_ = new nlohmann::json;
std::string* MemCommand::progress_ = new std::string;

TEST_F(MemCommand, ReportsEveryEventAndShowsProgress) {
  EXPECT_EQ(summary_->at("process"), "toy");
  EXPECT_EQ(summary_->at("events"), kEvents);
  EXPECT_EQ(summary_->at("not_converged"), 0);
  EXPECT_LE(summary_->at("largest_relative_error").get<double>(), 3e-3);
  EXPECT_THAT(*progress_,
              HasSubstr("mem: " + std::to_string(kEvents) + "/" +
                        std::to_string(kEvents) + " events"));
  const mining::MemFileReader reader(Mem());
  EXPECT_EQ(reader.header().num_events, kEvents);
  EXPECT_EQ(reader.header().parameter_names,
            (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(reader.header().events_file, "events.h5");
}

// The toy's events are drawn at the SM, so the mean over events of
// p(x|θ)/p(x|SM) = [D(x|θ)/D(x|SM)] σ_SM/σ(θ) is 1, with σ(θ) the toy's exact
// cross section (ToyModel::CrossSection). This tests the MEM's relative
// normalisation between monomials, event by event.
TEST_F(MemCommand, LikelihoodIsNormalisedAtThreeThetas) {
  SKIP_STATISTICS_WHEN_SANITIZED();
  const mining::MemFileReader reader(Mem());
  const mining::MemRows rows = reader.Read(0, reader.header().num_events);
  const generators::ToyModel toy({"c1", "c2"});
  const Eigen::VectorXd d_sm = rows.coefficients.col(0);
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{
           {0.5, 0.0}, {0.0, -0.8}, {-0.6, 0.7}}) {
    Eigen::VectorXd theta(2);
    theta << a, b;
    const Eigen::VectorXd m =
        mem::EvaluateMonomials(reader.header().components, theta);
    const double sigma_ratio =
        toy.CrossSection(theta) / toy.CrossSection(Eigen::VectorXd::Zero(2));
    const Eigen::ArrayXd ratio =
        (rows.coefficients * m).cwiseQuotient(d_sm).array() / sigma_ratio;
    const double mean = ratio.mean();
    const double error = std::sqrt((ratio - mean).square().mean() /
                                   static_cast<double>(ratio.size()));
    EXPECT_NEAR(mean, 1.0, 4.0 * error) << a << "," << b;
    // Not vacuous: the ratio varies from event to event.
    EXPECT_GT(error, 1e-3) << a << "," << b;
    EXPECT_LT(error, 0.05) << a << "," << b;
  }
}

// E_SM[t(x|SM)] = 0 with the exact ∇σ/σ of the toy.
TEST_F(MemCommand, ScoreHasMeanZeroAtTheSm) {
  SKIP_STATISTICS_WHEN_SANITIZED();
  const mining::MemFileReader reader(Mem());
  const mining::MemRows rows = reader.Read(0, reader.header().num_events);
  const generators::ToyModel toy({"c1", "c2"});
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(2);
  const Eigen::VectorXd rate =
      toy.CrossSectionGradient(zero) / toy.CrossSection(zero);
  for (int p = 0; p < 2; ++p) {
    // At θ = 0 the monomial θ_p has gradient 1: t_p = D_{1+p}/D_0 − ∂σ/σ.
    const Eigen::ArrayXd t = rows.coefficients.col(1 + p)
                                 .cwiseQuotient(rows.coefficients.col(0))
                                 .array() -
                             rate(p);
    const double mean = t.mean();
    const double error =
        std::sqrt((t - mean).square().mean() / static_cast<double>(t.size()));
    EXPECT_NEAR(mean, 0.0, 4.0 * error) << "component " << p;
    EXPECT_GT(std::sqrt(t.square().mean()), 20.0 * error);
  }
}

TEST_F(MemCommand, InformationLiesBetweenHistogramAndTruth) {
  SKIP_STATISTICS_WHEN_SANITIZED();
  for (const std::string theta : {"0,0", "0.5,-0.5"}) {
    const auto truth = Fisher("truth", theta, {"--no-nuisance"});
    const auto mem = Fisher("mem", theta, {"--mem", Mem().string()});
    const auto histogram =
        Fisher("histogram",
               theta,
               {"--observable", "pt", "--bins", "30,45,60,80,110,150,220"});
    const auto histogram_2d = Fisher("histogram",
                                     theta,
                                     {"--observable",
                                      "pt",
                                      "--bins",
                                      "40,70,120",
                                      "--observable2",
                                      "dphi",
                                      "--bins2",
                                      "-2,-1,0,1,2"});
    testing::ExpectInformationAtLeast(truth, mem, "truth - mem at " + theta);
    testing::ExpectInformationAtLeast(
        mem, histogram, "mem - histogram(pt) at " + theta);
    testing::ExpectInformationAtLeast(
        mem, histogram_2d, "mem - histogram(pt, dphi) at " + theta);
    // The same events and code path as SALLY: the truth comparison holds.
    for (const auto& flag : mem.at("exceeds_truth"))
      EXPECT_FALSE(flag.get<bool>()) << theta;
    const auto& excess = mem.at("truth_excess");
    EXPECT_LE(excess.at("excess").get<double>(),
              3.0 * excess.at("uncertainty").get<double>())
        << theta;
    // MEM sees the dphi dependence that the pt histogram misses.
    EXPECT_GT(
        testing::JsonMatrix(mem.at("fisher_information"))(1, 1),
        2.0 * testing::JsonMatrix(histogram.at("fisher_information"))(1, 1))
        << theta;
    EXPECT_EQ(mem.at("parameters"), (nlohmann::json{"c1", "c2"}));
  }
}

// The toy's exact likelihood ratio (ToyModel::LogLikelihoodRatio) as a
// ratio model on the observables pt, dphi, eta, renormalised with the MEM
// model's σ(θ) (from the events' weights, whose Monte Carlo error would
// otherwise dominate the comparison of the kinematic shapes).
class ExactToyRatio : public core::LikelihoodRatioModel {
 public:
  explicit ExactToyRatio(const mem::MemRatioModel& mem) : mem_(mem) {}
  Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x, const Eigen::VectorXd& theta0) const override {
    const Eigen::VectorXd sm = Eigen::VectorXd::Zero(2);
    const double renormalise =
        std::log(toy_.CrossSection(theta0) / toy_.CrossSection(sm)) -
        std::log(mem_.CrossSection(theta0) / mem_.CrossSection(sm));
    Eigen::VectorXd result(x.rows());
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      result(i) =
          toy_.LogLikelihoodRatio(Observation(x, i), theta0, sm) + renormalise;
    return result;
  }
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x,
                        const Eigen::VectorXd& theta0) const override {
    Eigen::MatrixXd result(x.rows(), 2);
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      result.row(i) = toy_.Score(Observation(x, i), theta0).transpose();
    return result;
  }
  std::vector<std::string> parameter_names() const override {
    return {"c1", "c2"};
  }
  std::vector<std::string> observable_names() const override {
    return {"pt", "dphi", "eta"};
  }

 private:
  static generators::ToyObservation Observation(const Eigen::MatrixXd& x,
                                                Eigen::Index i) {
    generators::ToyObservation observation;
    observation.pt = x(i, 0);
    observation.dphi = x(i, 1);
    observation.eta = x(i, 2);
    return observation;
  }
  const mem::MemRatioModel& mem_;
  generators::ToyModel toy_{{"c1", "c2"}};
};

// The MEM's expected −2Δ log L over a grid equals that of the exact
// likelihood on the same Asimov events, up to the integration error and the
// Monte Carlo error of σ(θ) from the events' weights.
TEST_F(MemCommand, LimitsEqualThoseOfTheExactLikelihood) {
  SKIP_STATISTICS_WHEN_SANITIZED();
  inference::LimitOptions options;  // as the CLI's defaults
  options.luminosity = 1e5;         // 200 SM events
  options.include_xsec = false;
  options.asimov_from_templates = true;
  options.overflow_bins = true;
  const inference::AsymptoticLimits limits(Events(), options);
  const inference::ThetaGrid grid =
      inference::ThetaGrid::Parse("c1:-1:1:9,c2:-1:1:9");
  const inference::ObservedData data = limits.Asimov(Eigen::VectorXd::Zero(2));
  const mem::MemRatioModel mem_model(Events(), Mem());
  const ExactToyRatio exact_model(mem_model);
  // σ(θ) from the events' weights: the toy's exact one within 5 %.
  const generators::ToyModel toy({"c1", "c2"});
  for (const Eigen::Vector2d& theta :
       {Eigen::Vector2d(0.0, 0.0), Eigen::Vector2d(0.8, -0.5)}) {
    EXPECT_NEAR(
        mem_model.CrossSection(theta) / toy.CrossSection(theta), 1.0, 0.05);
  }
  inference::KinematicSetup mem_setup;
  mem_setup.method = inference::LimitMethod::kMem;
  mem_setup.ratio_model = &mem_model;
  inference::KinematicSetup exact_setup;
  exact_setup.method = inference::LimitMethod::kMl;
  exact_setup.ratio_model = &exact_model;
  const inference::LimitResult mem = limits.Compute(mem_setup, grid, data);
  const inference::LimitResult exact = limits.Compute(exact_setup, grid, data);
  ASSERT_EQ(mem.minus_two_delta_log_l.size(), 81);
  for (Eigen::Index i = 0; i < 81; ++i) {
    const double q = exact.minus_two_delta_log_l(i);
    EXPECT_NEAR(mem.minus_two_delta_log_l(i), q, 0.03 * q + 0.05)
        << "grid point " << i << " " << mem.grid.row(i);
  }
  EXPECT_GT(exact.minus_two_delta_log_l.maxCoeff(), 20.0);
  EXPECT_EQ(mem.grid.row(mem.best_fit_index),
            exact.grid.row(exact.best_fit_index));

  // The same through the CLI (its Asimov normalisation differs from these
  // library options by 0.2 %).
  const auto run = testing::RunGoldmine({"limits",
                                         "--events",
                                         Events().string(),
                                         "--method",
                                         "mem",
                                         "--mem",
                                         Mem().string(),
                                         "--grid",
                                         "c1:-1:1:9,c2:-1:1:9",
                                         "--luminosity",
                                         "1e5"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  const auto& q = json.at("minus_two_delta_log_l");
  ASSERT_EQ(q.size(), 81u);
  for (std::size_t i = 0; i < 81; ++i) {
    EXPECT_NEAR(q[i].get<double>(),
                mem.minus_two_delta_log_l(static_cast<Eigen::Index>(i)),
                1e-9 + 1e-2 * q[i].get<double>());
  }
  // --method mem needs --mem, and takes no --observed.
  EXPECT_EQ(testing::RunGoldmine({"limits",
                                  "--events",
                                  Events().string(),
                                  "--method",
                                  "mem",
                                  "--grid",
                                  "c1:-1:1:3",
                                  "--luminosity",
                                  "1e5"})
                .exit_code,
            2);
}

TEST_F(MemCommand, SameSeedSameFileForAnyNumberOfThreads) {
  const auto other = *folder_ / "mem_one_thread.h5";
  const auto run = testing::RunGoldmine({"mem",
                                         "--events",
                                         Events().string(),
                                         "--output",
                                         other.string(),
                                         "--threads",
                                         "1",
                                         "--precision",
                                         "3e-3",
                                         "--seed",
                                         "5"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const mining::MemFileReader a(Mem());
  const mining::MemFileReader b(other);
  const mining::MemRows rows_a = a.Read(0, kEvents);
  const mining::MemRows rows_b = b.Read(0, kEvents);
  EXPECT_EQ(rows_a.coefficients, rows_b.coefficients);
  EXPECT_EQ(rows_a.errors, rows_b.errors);
  EXPECT_EQ(rows_a.calls, rows_b.calls);
}

TEST_F(MemCommand, BadInputsAreNamed) {
  // An events file without the toy's dphi.
  std::string config = kConfig;
  config.replace(config.find("  dphi: j[0].deltaphi(j[1])\n"),
                 std::string("  dphi: j[0].deltaphi(j[1])\n").size(),
                 "");
  config.replace(config.find("  ptcos: pt * cos(dphi)\n"),
                 std::string("  ptcos: pt * cos(dphi)\n").size(),
                 "");
  std::ofstream(*folder_ / "mine_without_dphi.yaml") << config;
  const auto without = *folder_ / "events_without_dphi.h5";
  ASSERT_EQ(
      testing::RunGoldmine({"mine",
                            (*folder_ / "mine_without_dphi.yaml").string(),
                            "--output",
                            without.string()})
          .exit_code,
      0);
  auto run = testing::RunGoldmine({"mem",
                                   "--events",
                                   without.string(),
                                   "--output",
                                   (*folder_ / "never.h5").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("events_without_dphi.h5"));
  EXPECT_THAT(run.err, HasSubstr("j[0].deltaphi(j[1])"));
  EXPECT_FALSE(std::filesystem::exists(*folder_ / "never.h5"));

  // fisher mem needs --mem; the MEM file of another events file is refused.
  run = testing::RunGoldmine(
      {"fisher", "mem", "--events", Events().string(), "--theta", "0,0"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--mem"));
  run = testing::RunGoldmine({"fisher",
                              "mem",
                              "--events",
                              without.string(),
                              "--theta",
                              "0,0",
                              "--mem",
                              Mem().string()});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_THAT(run.err, HasSubstr("mem.h5"));

  // Other events with the same observables and count: the digest differs.
  std::string other_config = kConfig;
  other_config.replace(other_config.find("toy.hepmc3"),
                       std::string("toy.hepmc3").size(),
                       "toy_other.hepmc3");
  std::ofstream(*folder_ / "mine_other.yaml") << other_config;
  ASSERT_EQ(testing::RunGoldmine({"generate",
                                  "toy",
                                  "--events",
                                  std::to_string(kEvents),
                                  "--seed",
                                  "9",
                                  "--output",
                                  (*folder_ / "toy_other.hepmc3").string(),
                                  "--benchmarks",
                                  (*folder_ / "benchmarks.yaml").string()})
                .exit_code,
            0);
  const auto other = *folder_ / "events_other.h5";
  ASSERT_EQ(testing::RunGoldmine({"mine",
                                  (*folder_ / "mine_other.yaml").string(),
                                  "--output",
                                  other.string()})
                .exit_code,
            0);
  run = testing::RunGoldmine({"fisher",
                              "mem",
                              "--events",
                              other.string(),
                              "--theta",
                              "0,0",
                              "--mem",
                              Mem().string()});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_THAT(run.err, HasSubstr("was computed from other events"));
  run = testing::RunGoldmine({"limits",
                              "--events",
                              other.string(),
                              "--method",
                              "mem",
                              "--mem",
                              Mem().string(),
                              "--grid",
                              "c1:-1:1:3",
                              "--luminosity",
                              "1e5"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_THAT(run.err, HasSubstr("was computed from other events"));

  // The output may not be the events file; a bad precision is named.
  run = testing::RunGoldmine(
      {"mem", "--events", Events().string(), "--output", Events().string()});
  EXPECT_EQ(run.exit_code, 2);
  run = testing::RunGoldmine({"mem",
                              "--events",
                              Events().string(),
                              "--output",
                              (*folder_ / "never.h5").string(),
                              "--precision",
                              "0"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--precision"));
  // A file that is not a MEM file.
  run = testing::RunGoldmine({"fisher",
                              "mem",
                              "--events",
                              Events().string(),
                              "--theta",
                              "0,0",
                              "--mem",
                              Events().string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("mem/"));
}

}  // namespace
}  // namespace goldmine
