// `goldmine mine` on the real binary, with small LHE files written here whose
// expected benchmark weights and observables are computed by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goldmine/mining/madminer_file.h"
#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

// An LHE file with event_norm = average, a reweighting weight "w1" and a
// scale variation "MUR2.0_MUF2.0"; event i has a lepton pair with pT 10(i+1).
std::string LheFile(int num_events, double xwgtup, double w1, double scale_up) {
  std::string text =
      "<LesHouchesEvents version=\"3.0\">\n<header>\n average = event_norm ! "
      "comment\n<initrwgt>\n"
      "<weightgroup name='mg_reweighting'>\n<weight id='w1'>set param_card "
      "smeft 7 0.5\n</weight>\n"
      "</weightgroup>\n<weightgroup name='scale'>\n<weight id='MUR2.0_MUF2.0'> "
      "</weight>\n"
      "</weightgroup>\n</initrwgt>\n</header>\n<init>\n2212 2212 6500 6500 0 0 "
      "0 0 3 1\n1 0 1 1\n</init>\n";
  for (int i = 0; i < num_events; ++i) {
    const std::string pt = std::to_string(10.0 * (i + 1));
    text += "<event>\n 2 1 " + std::to_string(xwgtup) + " 100 0.0078 0.118\n" +
            " 11 1 0 0 0 0 " + pt + " 0 0 " + pt + " 0 0 9\n" +
            " -11 1 0 0 0 0 -" + pt + " 0 0 " + pt +
            " 0 0 9\n<rwgt>\n<wgt id='w1'> " + std::to_string(w1) +
            " </wgt>\n<wgt id='MUR2.0_MUF2.0'> " + std::to_string(scale_up) +
            " </wgt>\n</rwgt>\n</event>\n";
  }
  return text + "</LesHouchesEvents>\n";
}

class MineCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("mine_command");
  }
  void TearDown() override { fs::remove_all(folder_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(folder_ / name) << text;
    return (folder_ / name).string();
  }
  std::string Output() const { return (folder_ / "events.h5").string(); }
  testing::CommandResult Mine(const std::string& config,
                              const std::vector<std::string>& extra = {}) {
    std::vector<std::string> arguments = {
        "mine", Write("config.yaml", config), "--output", Output()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return testing::RunGoldmine(arguments);
  }

  static std::string Config(const std::string& extra) {
    return "parameters:\n  cHW: {lha_block: smeft, lha_id: 7, range: [-1, 1]}\n"
           "benchmarks:\n  sm: {}\n  w1: {cHW: 0.5}\n"
           "samples:\n  - {file: sm.lhe, sampled_from: sm}\n"
           "observables:\n  pt_l: l[0].pt\n  m_ll: (l[0] + l[1]).m\n" +
           extra;
  }

  fs::path folder_;
};

TEST_F(MineCommandTest, WeightsSumToCrossSectionsAndObservablesAreComputed) {
  Write("sm.lhe", LheFile(4, 2.0, 3.0, 2.5));
  const auto result = Mine(Config(""));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const mining::MadminerEvents events = mining::ReadEvents(Output());
  ASSERT_EQ(events.events.size(), 4);
  // event_norm = average: each weight is divided by the number of events.
  EXPECT_NEAR(events.events.weights.col(0).sum(), 2.0, 1e-12);
  EXPECT_NEAR(events.events.weights.col(1).sum(), 3.0, 1e-12);
  std::vector<double> pts(events.events.observations.col(0).data(),
                          events.events.observations.col(0).data() + 4);
  std::sort(pts.begin(), pts.end());
  EXPECT_EQ(pts, (std::vector<double>{10, 20, 30, 40}));
  // Back-to-back massless leptons of pT p: m = 2p.
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(events.events.observations(i, 1),
                2 * events.events.observations(i, 0),
                1e-9);
  }
  const nlohmann::json report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report.at("events_written"), 4);
  EXPECT_NEAR(
      report.at("samples")[0].at("cross_sections").at("w1").get<double>(),
      3.0,
      1e-12);
}

TEST_F(MineCommandTest, CutsDropEventsAndTheirWeights) {
  Write("sm.lhe", LheFile(4, 2.0, 3.0, 2.5));
  const auto result = Mine(Config("cuts: [\"pt_l > 25\"]\n"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const mining::MadminerEvents events = mining::ReadEvents(Output());
  EXPECT_EQ(events.events.size(), 2);
  EXPECT_NEAR(events.events.weights.col(0).sum(), 1.0, 1e-12);
}

TEST_F(MineCommandTest, NormAndScaleSystematicsBecomeNuisanceBenchmarks) {
  Write("sm.lhe", LheFile(3, 2.0, 3.0, 2.5));
  const auto result =
      Mine(Config("systematics:\n  lumi: {type: norm, factor: 1.1}\n  scale: "
                  "{type: scale, scale: mu, factors: [0.5, 1, 2]}\n"));
  // Only MUR=MUF=2 exists in the file: the scale systematic cannot be built.
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr("systematics.scale: no weight with MUR=0.5"));

  const auto norm_only =
      Mine(Config("systematics:\n  lumi: {type: norm, factor: 1.1}\n"));
  ASSERT_EQ(norm_only.exit_code, 0) << norm_only.err;
  const mining::MadminerEvents events = mining::ReadEvents(Output());
  ASSERT_EQ(events.setup.benchmarks.names,
            (std::vector<std::string>{
                "sm", "w1", "lumi_nuisance_param_0_benchmark_0"}));
  EXPECT_TRUE(events.setup.benchmarks.is_nuisance[2]);
  ASSERT_EQ(events.setup.nuisance_parameters.size(), 1u);
  EXPECT_EQ(events.setup.nuisance_parameters[0].benchmark_positive,
            "lumi_nuisance_param_0_benchmark_0");
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(
        events.events.weights(i, 2), 1.1 * events.events.weights(i, 0), 1e-15);
}

TEST_F(MineCommandTest, ScaleVariationsFromARealPowhegFile) {
  const fs::path powheg =
      testing::SharedDir() / "data/events/powheg-box-v2_hvq_weights45.lhe";
  if (!fs::exists(powheg)) GTEST_SKIP() << powheg << " is absent";
  const auto result = Mine(
      "parameters:\n  c: {range: [-1, 1]}\nbenchmarks:\n  sm: {}\n"
      "samples:\n  - {file: " +
      powheg.string() +
      ", sampled_from: sm}\n"
      "observables:\n  n: n_particles\n"
      "systematics:\n  scale: {type: scale, scale: mu, factors: [0.5, 1, "
      "2]}\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const mining::MadminerEvents events = mining::ReadEvents(Output());
  ASSERT_EQ(events.setup.benchmarks.size(), 3);
  // w(+) = w(sm) × w(MUR2_MUF2) / w(nominal): the first event's values from the
  // file.
  EXPECT_EQ(events.events.size(), 6);
  const double total_sm = events.events.weights.col(0).sum();
  EXPECT_GT(total_sm, 0);
  EXPECT_NE(events.events.weights.col(1).sum(), total_sm);
}

TEST_F(MineCommandTest, BackgroundGivesEveryBenchmarkTheNominalWeight) {
  Write("sm.lhe", LheFile(2, 2.0, 3.0, 2.5));
  Write("bkg.lhe", LheFile(3, 5.0, 7.0, 2.5));
  const auto result = Mine(
      "parameters:\n  cHW: {range: [-1, 1]}\nbenchmarks:\n  sm: {}\n  w1: "
      "{cHW: 0.5}\n"
      "samples:\n  - {file: sm.lhe, sampled_from: sm}\n  - {file: bkg.lhe, "
      "background: true}\n"
      "observables:\n  pt_l: l[0].pt\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const mining::MadminerEvents events = mining::ReadEvents(Output());
  ASSERT_EQ(events.events.size(), 5);
  int background = 0;
  for (int i = 0; i < 5; ++i) {
    if (events.events.sampling_benchmarks[i] != -1) continue;
    ++background;
    EXPECT_EQ(events.events.weights(i, 0), events.events.weights(i, 1));
  }
  EXPECT_EQ(background, 3);
  ASSERT_TRUE(events.sample_summary.has_value());
  EXPECT_EQ(events.sample_summary->background_events, 3);
}

TEST_F(MineCommandTest, SameSeedGivesTheSameFileWithAnyNumberOfThreads) {
  Write("sm.lhe", LheFile(50, 2.0, 3.0, 2.5));
  Write("sm2.lhe", LheFile(30, 1.0, 1.5, 2.5));
  const std::string config = Config("seed: 4\n");
  const std::string two_samples = config.substr(0, config.find("observables")) +
                                  "  - {file: sm2.lhe, sampled_from: sm}\n" +
                                  config.substr(config.find("observables"));
  ASSERT_EQ(Mine(two_samples, {"--threads", "1"}).exit_code, 0);
  const mining::MadminerEvents one = mining::ReadEvents(Output());
  ASSERT_EQ(Mine(two_samples, {"--threads", "2"}).exit_code, 0);
  const mining::MadminerEvents two = mining::ReadEvents(Output());
  EXPECT_EQ(one.events.weights, two.events.weights);
  EXPECT_EQ(one.events.observations, two.events.observations);
  // The samples are interleaved, not concatenated.
  EXPECT_NE(one.events.weights.topRows(50).col(0).sum(), 2.0);
}

TEST_F(MineCommandTest, MissingBenchmarkWeightExitsTwoAndLeavesNoFile) {
  Write("sm.lhe", LheFile(2, 2.0, 3.0, 2.5));
  const std::string config = Config("");
  const auto result =
      Mine(config.substr(0, config.find("samples")) + "  w2: {cHW: 1}\n" +
           config.substr(config.find("samples")));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr("sm.lhe: no weight \"w2\" for benchmark \"w2\""));
  EXPECT_FALSE(fs::exists(Output()));
  EXPECT_EQ(
      std::distance(fs::directory_iterator(folder_), fs::directory_iterator()),
      2);  // config + sample
}

TEST_F(MineCommandTest, BadExpressionIsNamed) {
  Write("sm.lhe", LheFile(2, 2.0, 3.0, 2.5));
  const std::string config = Config("");
  const auto result = Mine(config + "  bad: (l[0] + ).pt\n");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("observable bad"));
  EXPECT_FALSE(fs::exists(Output()));
}

TEST_F(MineCommandTest, TruncatedEventFileNamesTheEvent) {
  std::string text = LheFile(3, 2.0, 3.0, 2.5);
  Write("sm.lhe", text.substr(0, text.rfind("<rwgt>")));
  const auto result = Mine(Config(""));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("event 3"));
  EXPECT_FALSE(fs::exists(Output()));
}

TEST_F(MineCommandTest,
       RoundTripFromTheBuiltInGeneratorReproducesItsCrossSections) {
  // generate wh → mine (no smearing, no cuts): every benchmark's Σ weights is
  // the generator's cross section, and the μF nuisance benchmarks are the
  // generator's scale-varied cross sections, to 1e-12.
  Write("benchmarks.yaml",
        "benchmarks:\n  sm: {}\n  hw: {cHW: 0.5}\n  hq: {cHq3: 0.1}\n");
  const auto generated =
      testing::RunGoldmine({"generate",
                            "wh",
                            "--events",
                            "3000",
                            "--seed",
                            "5",
                            "--output",
                            (folder_ / "wh.hepmc3").string(),
                            "--benchmarks",
                            (folder_ / "benchmarks.yaml").string(),
                            "--operators",
                            "cHW,cHq3"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  const nlohmann::json truth =
      nlohmann::json::parse(generated.out).at("cross_sections");
  const auto mined = Mine(
      "parameters:\n  cHW: {range: [-1, 1]}\n  cHq3: {range: [-0.2, 0.2]}\n"
      "benchmarks:\n  sm: {}\n  hw: {cHW: 0.5}\n  hq: {cHq3: 0.1}\n"
      "samples:\n  - {file: wh.hepmc3, sampled_from: sm}\n"
      "observables:\n  pt_l: l[0].pt\n  m_bb: (b[0] + b[1]).m\n"
      "systematics:\n  muf: {type: scale, scale: muf, factors: [0.5, 1, 2]}\n");
  ASSERT_EQ(mined.exit_code, 0) << mined.err;
  const nlohmann::json report =
      nlohmann::json::parse(mined.out).at("samples")[0];
  EXPECT_EQ(report.at("events_kept"), 3000);
  const nlohmann::json& sums = report.at("cross_sections");
  for (const std::string benchmark : {"sm", "hw", "hq"}) {
    const double expected = truth.at(benchmark).get<double>();
    EXPECT_NEAR(sums.at(benchmark).get<double>(), expected, 1e-12 * expected)
        << benchmark;
  }
  const double up = truth.at("MUF2").get<double>();
  const double down = truth.at("MUF0.5").get<double>();
  EXPECT_NEAR(sums.at("muf_nuisance_param_0_benchmark_0").get<double>(),
              up,
              1e-12 * up);
  EXPECT_NEAR(sums.at("muf_nuisance_param_0_benchmark_1").get<double>(),
              down,
              1e-12 * down);
  // And the events file holds the same weights.
  const mining::MadminerEvents events = mining::ReadEvents(Output());
  const double sm = truth.at("sm").get<double>();
  EXPECT_NEAR(events.events.weights.col(0).sum(), sm, 1e-12 * sm);
}

TEST_F(MineCommandTest, MalformedInputExitsTwoNamingWhereAndLeavesNoFile) {
  struct Case {
    std::string name;
    std::string sample;  // sm.lhe content
    std::string config_extra;
    std::string message;
  };
  const std::string good = LheFile(3, 2.0, 3.0, 2.5);
  std::string broken_xml = good;
  broken_xml.replace(
      broken_xml.find("<weight id='w1'>"), 16, "<weight id='w1>");
  std::string nan_weight = good;
  nan_weight.replace(
      nan_weight.rfind("<wgt id='w1'> 3.000000"), 22, "<wgt id='w1'> nan");
  std::string missing_weight = good;
  missing_weight.erase(
      missing_weight.rfind("<wgt id='w1'>"),
      missing_weight.rfind("</rwgt>") - missing_weight.rfind("<wgt id='w1'>"));
  const std::vector<Case> cases = {
      {"truncated", good.substr(0, good.rfind("<rwgt>")), "", "sm.lhe, line"},
      {"broken XML", broken_xml, "", "broken <initrwgt>"},
      {"NaN weight", nan_weight, "", "event 3 (line 36): weight \"w1\" is nan"},
      {"missing weight",
       missing_weight,
       "",
       "event 3 (line 36): no weight \"w1\""},
      {"unknown observable", good, "  bad: foo[0].pt + 1\n", "observable bad"},
      {"bad expression",
       good,
       "  bad: l[0].pt +* 2\n",
       "observable bad: column"},
      {"wrong config key", good, "cutz: []\n", "unknown key \"cutz\""},
  };
  for (const Case& c : cases) {
    Write("sm.lhe", c.sample);
    const auto result = Mine(Config(c.config_extra));
    EXPECT_EQ(result.exit_code, 2) << c.name << ": " << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.message)) << c.name;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << c.name << ": " << result.err;
    EXPECT_FALSE(fs::exists(Output())) << c.name;
    EXPECT_EQ(std::distance(fs::directory_iterator(folder_),
                            fs::directory_iterator()),
              2)
        << c.name;
  }
}

}  // namespace
}  // namespace goldmine
