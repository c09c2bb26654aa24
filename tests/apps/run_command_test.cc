// `goldmine run`: the report's formulas against independent truths, and the
// stage logic (skipping, --from, --force, resuming, bad configurations) on a
// tiny study run by the real binary. The full quick profile of the WH example
// is run_command_quick_test.cc (label "long").
#include "support/run_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "goldmine/core/errors.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/sample_file.h"
#include "goldmine/pipeline/pipeline_config.h"
#include "goldmine/pipeline/report_document.h"
#include "goldmine/pipeline/report_plots.h"
#include "goldmine/pipeline/report_results.h"
#include "support/reference_data.h"
#include "support/sanitized.h"
#include "support/scratch_folder.h"
#include "support/snakemake.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace pipeline;

// A tiny study without estimators: a few seconds per run.
class RunCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("run_command");
    config_ = folder_ / "study.yaml";
    WriteConfig("");
  }
  void TearDown() override { fs::remove_all(folder_); }

  void WriteConfig(const std::string& extra) {
    std::ofstream(config_)
        << "name: tiny WH\n"
           "generate: {process: wh, events: 1500, seed: 3}\n"
           "mining:\n"
           "  parameters:\n"
           "    cHW: {range: [-1, 1]}\n"
           "    cHq3: {range: [-0.2, 0.2]}\n"
           "  benchmarks:\n"
           "    sm: {}\n    a: {cHW: 1}\n    b: {cHW: -1}\n    c: {cHq3: 0.2}\n"
           "    d: {cHq3: -0.2}\n    e: {cHW: 0.7, cHq3: 0.14}\n"
           "  morphing: {max_overall_power: 2}\n"
           "  smearing: wh-1908.06980\n"
           "  observables:\n"
           "    pt_w: {expression: \"(l[0] + met).pt\", required: true}\n"
           "    m_bb: \"(b[0] + b[1]).m\"\n"
           "augment: {n_samples: 500, test_samples: 200, seed: 2}\n"
           "fisher:\n"
           "  luminosity: 300000\n"
           "  histograms:\n"
           "    stxs: {label: STXS, observable: pt_w, bins: [75, 150, 250]}\n"
           "report:\n"
           "  benchmarks: [sm, a]\n"
           "  weights_grid: 9\n"
           "  observables:\n"
           "    pt_w: {label: \"p_{T,W} [GeV]\", range: [0, 400], bins: 10}\n"
           "quick:\n"
           "  generate: {events: 800}\n" +
               extra;
  }

  testing::CommandResult Run(std::vector<std::string> extra = {}) {
    std::vector<std::string> arguments = {
        "run", config_.string(), "--workdir", (folder_ / "work").string()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return testing::RunGoldmine(arguments);
  }

  // Stage name → status from the JSON summary.
  static std::map<std::string, std::string> Statuses(
      const testing::CommandResult& result) {
    std::map<std::string, std::string> statuses;
    const nlohmann::json summary = nlohmann::json::parse(result.out);
    for (const auto& stage : summary.at("stages"))
      statuses[stage.at("stage").get<std::string>()] =
          stage.at("status").get<std::string>();
    return statuses;
  }

  // The momenta the WH MEM reads (l, b, b and the charge) as observables.
  void AddMemObservables() {
    EditConfig("    m_bb: \"(b[0] + b[1]).m\"\n",
               "    m_bb: \"(b[0] + b[1]).m\"\n"
               "    q: l[0].charge\n"
               "    l_px: l[0].px\n    l_py: l[0].py\n    l_pz: l[0].pz\n"
               "    b1_px: b[0].px\n    b1_py: b[0].py\n    b1_pz: b[0].pz\n"
               "    b2_px: b[1].px\n    b2_py: b[1].py\n    b2_pz: b[1].pz\n");
  }

  // Replaces `from` (which must occur) in the configuration.
  void EditConfig(const std::string& from, const std::string& to) {
    std::string text = testing::ReadText(config_);
    const std::size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(config_) << text;
  }

  fs::path folder_;
  fs::path config_;
};

// Issue 17, item 2: a list is always edges, a count is `n_bins`.
TEST_F(RunCommandTest, AListIsAlwaysEdgesAndACountIsExplicit) {
  EditConfig(
      "    stxs: {label: STXS, observable: pt_w, bins: [75, 150, 250]}\n",
      "    stxs: {label: STXS, observable: pt_w, bins: [75, 150, 250]}\n"
      "    one_edge: {observable: pt_w, bins: [200], observable2: m_bb, "
      "bins2: [100]}\n"
      "    quantiles: {observable: pt_w, n_bins: 4}\n");
  const PipelineConfig config = ReadPipelineConfig(config_, false);
  ASSERT_EQ(config.fisher.histograms.size(), 3u);
  EXPECT_EQ(config.fisher.histograms[1].bins, std::vector<double>{200});
  EXPECT_EQ(config.fisher.histograms[1].num_bins, 0);
  EXPECT_EQ(config.fisher.histograms[1].bins2, std::vector<double>{100});
  EXPECT_EQ(config.fisher.histograms[2].num_bins, 4);
  EXPECT_TRUE(config.fisher.histograms[2].bins.empty());

  std::ofstream(config_, std::ios::app)
      << "limits:\n  grid: {cHW: [-0.5, 0.5, 5], cHq3: [-0.1, 0.1, 5]}\n"
         "  methods: [histo]\n  histograms: [one_edge]\n";
  const auto result = Run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // The same bins in the Fisher information and in the limits, both shown
  // in the report from the commands' own outputs.
  const std::string report = testing::ReadText(folder_ / "work/report.md");
  EXPECT_THAT(report,
              HasSubstr("| one_edge | Fisher information | (−∞, 200, +∞) × "
                        "(−∞, 100, +∞) |"));
  EXPECT_THAT(report,
              HasSubstr("| one_edge | limits (histo_one_edge) | (−∞, 200, +∞) "
                        "× (−∞, 100, +∞) |"));
  // One edge is two bins per axis in the Fisher histogram (its boundaries),
  // not 200 quantile bins; n_bins: 4 is four quantile bins.
  const nlohmann::json one_edge =
      testing::ReadJson(folder_ / "work/fisher/histogram_one_edge.json");
  EXPECT_EQ(one_edge.at("bin_boundaries").dump(), "[200.0,100.0]");
  const nlohmann::json quantiles =
      testing::ReadJson(folder_ / "work/fisher/histogram_quantiles.json");
  EXPECT_EQ(quantiles.at("bin_boundaries").size(), 3u)
      << quantiles.at("bin_boundaries").dump();

  // A bare number, or both keys, is an error naming the key to use.
  EditConfig("bins: [200], observable2", "bins: 200, observable2");
  auto bad = Run();
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bins"));
  EXPECT_THAT(bad.err, HasSubstr("for a number of bins use `n_bins`"));
  EditConfig("bins: 200, observable2", "bins: [200], n_bins: 3, observable2");
  bad = Run();
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("exactly one of `bins`"));
}

// Issue 17, item 9: `goldmine setup|mine` read a run configuration's mining
// section; `goldmine run --dry-run` validates and prints, writing nothing.
TEST_F(RunCommandTest, SetupReadsARunConfigAndDryRunPrintsTheCommands) {
  const auto setup = testing::RunGoldmine(
      {"setup", config_.string(), "--output", (folder_ / "setup.h5").string()});
  ASSERT_EQ(setup.exit_code, 0) << setup.err;
  const mining::MadminerSetup read = mining::ReadSetup(folder_ / "setup.h5");
  EXPECT_EQ(read.benchmarks.names,
            (std::vector<std::string>{"sm", "a", "b", "c", "d", "e"}));
  ASSERT_EQ(read.parameters.size(), 2u);
  EXPECT_EQ(read.parameters[1].name, "cHq3");
  // The events of this study are generated by the run: mine says so.
  const auto mine = testing::RunGoldmine(
      {"mine", config_.string(), "--output", (folder_ / "e.h5").string()});
  EXPECT_EQ(mine.exit_code, 2);
  EXPECT_THAT(mine.err, HasSubstr("generates its events"));

  const fs::path work = folder_ / "work";
  const auto dry = Run({"--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  for (const char* command : {"goldmine generate wh --events 1500",
                              "goldmine setup ",
                              "goldmine mine ",
                              "goldmine augment local ",
                              "goldmine fisher histogram ",
                              "# limits: not configured"})
    EXPECT_THAT(dry.out, HasSubstr(command));
  EXPECT_FALSE(fs::exists(work)) << "a dry run writes nothing";
  // Every section is checked, the mining one as `goldmine setup` does.
  EditConfig("    e: {cHW: 0.7, cHq3: 0.14}", "    e: {cHW: 0.7, cHq: 0.14}");
  auto bad = Run({"--dry-run"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("cHq"));
  EXPECT_FALSE(fs::exists(work));
  EditConfig("    e: {cHW: 0.7, cHq: 0.14}", "    e: {cHW: 0.7, cHq3: 0.14}");
  EditConfig("augment: {", "augment: {n_bins: 3, ");
  bad = Run({"--dry-run"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("unknown key \"n_bins\""));
  EXPECT_FALSE(fs::exists(work));
  // Observable expressions are parsed as `goldmine mine` parses them.
  EditConfig("augment: {n_bins: 3, ", "augment: {");
  EditConfig("(b[0] + b[1]).m", "(b[0] + b[1]).bogus");
  bad = Run({"--dry-run"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("m_bb"));
  EXPECT_FALSE(fs::exists(work));
}

// Issue 17, item 12: labels from the `label` key everywhere (the name
// otherwise), captions that say the level, "singular" for a rank-deficient
// matrix, dashed 95% lines and the SM point in the key.
TEST_F(RunCommandTest, LabelsLevelSingularAndContourStyle) {
  EditConfig("    cHW: {range: [-1, 1]}",
             "    cHW: {range: [-1, 1], label: \"c_{HW}\"}");
  EditConfig("  smearing: wh-1908.06980\n", "");
  std::ofstream(config_, std::ios::app)
      << "limits:\n  grid: {cHW: [-0.5, 0.5, 11], cHq3: [-0.1, 0.1, 11]}\n"
         "  methods: [histo, rate]\n  histograms: [stxs]\n";
  const auto result = Run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path work = folder_ / "work";
  const std::string report = testing::ReadText(work / "report.md");
  // Tables: the label without braces, and the bare name without a label.
  EXPECT_THAT(report, HasSubstr("| I(c_HW, c_HW) ± MC | I(c_HW, cHq3) ± MC |"));
  EXPECT_THAT(report, HasSubstr("c_HW 68% CL"));
  EXPECT_THAT(report, HasSubstr("cHq3 95% CL"));
  // Figures: the label as gnuplot enhanced text.
  const std::string contours =
      testing::ReadText(work / "report/plots/limits_contours.gp");
  EXPECT_THAT(contours, HasSubstr("set xlabel \"c_{HW}"));
  EXPECT_THAT(contours, HasSubstr("set ylabel \"cHq3"));
  // 95% lines dashed with long dashes, the SM a key entry, not a label.
  EXPECT_THAT(contours, HasSubstr("dt (7,5)"));
  EXPECT_THAT(contours, ::testing::Not(HasSubstr("dt 2 ")));
  EXPECT_THAT(contours, ::testing::Not(HasSubstr("set label 1 'SM'")));
  EXPECT_THAT(contours, HasSubstr("title \"SM\""));
  // No smearing: parton level, not "detector level".
  EXPECT_THAT(report, HasSubstr("parton level, no detector smearing"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("detector level")));
  // The rate alone constrains one direction: singular, in both outputs.
  EXPECT_THAT(
      report,
      ::testing::ContainsRegex("\\| rate only \\|[^\n]*\\| singular \\|"));
  const nlohmann::json results = testing::ReadJson(work / "results.json");
  EXPECT_TRUE(results.at("fisher").at("rate").at("singular").get<bool>());
  EXPECT_EQ(results.at("fisher").at("rate").at("determinant"), 0.0);
  EXPECT_FALSE(results.at("fisher").at("truth").at("singular").get<bool>());
  // `goldmine setup` accepts the label key.
  const auto setup = testing::RunGoldmine(
      {"setup", config_.string(), "--output", (folder_ / "s.h5").string()});
  EXPECT_EQ(setup.exit_code, 0) << setup.err;
}

// Issue 17, item 4: a study with three parameters, scanned in slices with
// the others fixed or profiled.
TEST_F(RunCommandTest, SlicesOfAThreeParameterStudy) {
  std::ofstream(config_)
      << "name: three operators\n"
         "generate: {process: wh, events: 1500, seed: 3}\n"
         "mining:\n"
         "  parameters:\n"
         "    cHW: {range: [-1, 1]}\n"
         "    cHq3: {range: [-0.2, 0.2]}\n"
         "    cHbox: {range: [-1, 1]}\n"
         "  benchmarks:\n"
         "    sm: {}\n    a: {cHW: 1}\n    b: {cHW: -1}\n    c: {cHq3: 0.2}\n"
         "    d: {cHq3: -0.2}\n    e: {cHbox: 1}\n    f: {cHbox: -1}\n"
         "    g: {cHW: 0.7, cHq3: 0.14}\n    h: {cHW: 0.5, cHbox: 0.5}\n"
         "    i: {cHq3: 0.1, cHbox: -0.6}\n"
         "  morphing: {max_overall_power: 2}\n"
         "  smearing: wh-1908.06980\n"
         "  observables:\n"
         "    pt_w: {expression: \"(l[0] + met).pt\", required: true}\n"
         "augment: {n_samples: 500, test_samples: 200, seed: 2}\n"
         "fisher:\n"
         "  histograms:\n"
         "    stxs: {label: STXS, observable: pt_w, bins: [75, 150, 250]}\n"
         "limits:\n"
         "  grid: {cHW: [-1, 1, 21], cHq3: [-0.2, 0.2, 21]}\n"
         "  methods: [histo]\n"
         "  histograms: [stxs]\n"
         "  scans:\n"
         "    - {parameters: [cHW, cHq3]}\n"
         "    - {parameters: [cHW], profile: [cHq3]}\n"
         "    - {parameters: [cHW], fix: {cHq3: 0}}\n";
  const auto result = Run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path work = folder_ / "work";
  const nlohmann::json plane =
      testing::ReadJson(work / "limits/histo_stxs_cHW_cHq3.json");
  const nlohmann::json profiled =
      testing::ReadJson(work / "limits/histo_stxs_cHW.json");
  const nlohmann::json fixed =
      testing::ReadJson(work / "limits/histo_stxs_cHW_3.json");
  const std::string commands =
      testing::ReadJson(work / "limits/stage.json").at("commands").dump();
  EXPECT_THAT(commands, HasSubstr("--fix cHbox=0"));
  EXPECT_THAT(commands, HasSubstr("--profile cHq3:-0.2:0.2"));
  EXPECT_THAT(commands, HasSubstr("--fix cHq3=0,cHbox=0"));

  // −2Δln L along cHW (relative to its minimum on the line): the scan with
  // cHq3 fixed at 0 is the plane's cHq3 = 0 line; profiling cHq3 can only
  // lower it.
  auto values = [](const nlohmann::json& scan) {
    std::vector<double> v;
    for (const auto& x : scan.at("minus_two_delta_log_l"))
      v.push_back(x.get<double>());
    return v;
  };
  const std::vector<double> v_plane = values(plane);
  const std::vector<double> v_fixed = values(fixed);
  const std::vector<double> v_profiled = values(profiled);
  ASSERT_EQ(v_plane.size(), 21u * 21u);
  ASSERT_EQ(v_fixed.size(), 21u);
  std::vector<double> line;
  for (int i = 0; i < 21; ++i) line.push_back(v_plane[i * 21 + 10]);
  const double line_min = *std::min_element(line.begin(), line.end());
  const double fixed_min = *std::min_element(v_fixed.begin(), v_fixed.end());
  const double profiled_min =
      *std::min_element(v_profiled.begin(), v_profiled.end());
  for (int i = 0; i < 21; ++i) {
    EXPECT_NEAR(v_fixed[i] - fixed_min, line[i] - line_min, 1e-6) << i;
    EXPECT_LE(v_profiled[i] - profiled_min, v_fixed[i] - fixed_min + 1e-6) << i;
  }

  // The report: a row per slice saying what is fixed or profiled, the
  // Fisher information of all three operators, one figure per 2D slice,
  // and the morphing diagnostics (Σ w² = 1 at a basis point, the SM).
  const std::string report = testing::ReadText(work / "report.md");
  EXPECT_THAT(report, HasSubstr("(cHW × cHq3; fixed: cHbox = 0)"));
  EXPECT_THAT(report, HasSubstr("(cHW; fixed: cHbox = 0; profiled: cHq3)"));
  EXPECT_THAT(report, HasSubstr("I(cHbox, cHbox)"));
  EXPECT_THAT(report, HasSubstr("| Σ w² at θ = (0,0,0) | 1 |"));
  EXPECT_THAT(report, HasSubstr("condition number of the morphing matrix"));
  EXPECT_TRUE(fs::exists(work / "report/plots/limits_contours_1.png"));
  EXPECT_THAT(testing::ReadText(work / "report/plots/limits_contours_1.gp"),
              HasSubstr("set xlabel \"cHW"));
  const nlohmann::json results = testing::ReadJson(work / "results.json");
  int truth_intervals = 0;
  for (const auto& interval : results.at("intervals"))
    if (interval.at("method") == "truth") ++truth_intervals;
  EXPECT_EQ(truth_intervals, 3);
  EXPECT_EQ(results.at("limits").at("histo_stxs_cHW").at("parameters"),
            nlohmann::json::array({"cHW"}));

  // A scan whose profile fits did not all converge is flagged.
  EXPECT_THAT(report, ::testing::Not(HasSubstr("WARNING")));
  nlohmann::json failed = profiled;
  failed["profile_fits_not_converged"] = 3;
  std::ofstream(work / "limits/histo_stxs_cHW.json") << failed.dump();
  ASSERT_EQ(Run({"--from", "report"}).exit_code, 0);
  EXPECT_THAT(testing::ReadText(work / "report.md"),
              HasSubstr("WARNING: the profile fit did not converge at 3 of 21 "
                        "grid points"));
}

// Issue 17, item 8: `limits: {enabled: false}` needs no grid.
TEST_F(RunCommandTest, LimitsCanBeSwitchedOff) {
  std::ofstream(config_, std::ios::app) << "limits: {enabled: false}\n";
  // (appended after the quick section: a top-level key)
  const PipelineConfig config = ReadPipelineConfig(config_, false);
  EXPECT_FALSE(config.limits.enabled);
  const auto result = Run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Statuses(result)["limits"], "not configured");
  // Switched off, its other keys are still checked.
  EditConfig("limits: {enabled: false}", "limits: {enabled: false, grd: 1}");
  EXPECT_THROW(ReadPipelineConfig(config_, false), InvalidInput);
}

TEST_F(RunCommandTest,
       SecondRunSkipsEverythingAndTouchingTheConfigRerunsNothing) {
  const auto first = Run();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto statuses = Statuses(first);
  for (const char* stage : {"generate", "mine", "augment", "fisher", "report"})
    EXPECT_EQ(statuses[stage], "ran") << stage;
  EXPECT_EQ(statuses["train"], "not configured");
  EXPECT_EQ(statuses["limits"], "not configured");
  const fs::path work = folder_ / "work";
  for (const char* file : {"report.md",
                           "report.html",
                           "mine/events.h5",
                           "fisher/truth.json",
                           "fisher/histogram_stxs.json",
                           "generate/stage.json",
                           "generate/log.txt"})
    EXPECT_TRUE(fs::exists(work / file)) << file;
  // Each stage keeps its command lines and settings.
  const nlohmann::json record = testing::ReadJson(work / "mine/stage.json");
  EXPECT_THAT(record.at("commands")[1].get<std::string>(),
              HasSubstr("goldmine mine"));
  EXPECT_THAT(record.at("settings").get<std::string>(), HasSubstr("pt_w"));
  EXPECT_THAT(first.err, HasSubstr("report: " + (work / "report.md").string()));

  const auto report_time = fs::last_write_time(work / "report.md");
  const auto second = Run();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  statuses = Statuses(second);
  for (const char* stage : {"generate", "mine", "augment", "fisher", "report"})
    EXPECT_EQ(statuses[stage], "skipped") << stage;
  EXPECT_EQ(fs::last_write_time(work / "report.md"), report_time);

  // Touching the configuration changes nothing a stage reads (issue 17,
  // item 10: the hashes decide, not the file's time).
  fs::last_write_time(
      config_, fs::file_time_type::clock::now() + std::chrono::seconds(2));
  const auto third = Run();
  ASSERT_EQ(third.exit_code, 0) << third.err;
  statuses = Statuses(third);
  for (const char* stage : {"generate", "mine", "augment", "fisher", "report"})
    EXPECT_EQ(statuses[stage], "skipped") << stage;
}

// Issue 17, item 10: each stage's hash covers only what it reads.
TEST_F(RunCommandTest, EditingAFisherBinningRerunsOnlyFisherAndReport) {
  ASSERT_EQ(Run().exit_code, 0);
  EditConfig("bins: [75, 150, 250]", "bins: [75, 150, 250, 400]");
  const auto edited = Run();
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  auto statuses = Statuses(edited);
  for (const char* stage : {"generate", "mine", "augment"})
    EXPECT_EQ(statuses[stage], "skipped") << stage;
  for (const char* stage : {"fisher", "report"})
    EXPECT_EQ(statuses[stage], "ran") << stage;
  EXPECT_EQ(testing::ReadJson(folder_ / "work/fisher/histogram_stxs.json")
                .at("bin_boundaries")
                .size(),
            4u);
  // Labels are read by the report only.
  EditConfig("label: STXS,", "label: STXS pT,");
  EditConfig("    cHW: {range: [-1, 1]}",
             "    cHW: {range: [-1, 1], label: \"c_{HW}\"}");
  statuses = Statuses(Run());
  for (const char* stage : {"generate", "mine", "augment", "fisher"})
    EXPECT_EQ(statuses[stage], "skipped") << stage;
  EXPECT_EQ(statuses["report"], "ran");
  EXPECT_THAT(testing::ReadText(folder_ / "work/report.md"),
              HasSubstr("STXS pT"));
}

TEST_F(RunCommandTest, FromRerunsThatStageOnAndForceRerunsAll) {
  ASSERT_EQ(Run().exit_code, 0);
  const auto from = Run({"--from", "fisher"});
  ASSERT_EQ(from.exit_code, 0) << from.err;
  auto statuses = Statuses(from);
  for (const char* stage : {"generate", "mine", "augment"})
    EXPECT_EQ(statuses[stage], "skipped") << stage;
  for (const char* stage : {"fisher", "report"})
    EXPECT_EQ(statuses[stage], "ran") << stage;
  const auto force = Run({"--force"});
  ASSERT_EQ(force.exit_code, 0) << force.err;
  statuses = Statuses(force);
  for (const char* stage : {"generate", "mine", "augment", "fisher", "report"})
    EXPECT_EQ(statuses[stage], "ran") << stage;
}

TEST_F(RunCommandTest, AnInterruptedStageResumesWhereItStopped) {
  ASSERT_EQ(Run().exit_code, 0);
  // A stage is complete only once its record is written: without it (as
  // after an interruption) the stage runs again, and so do the stages
  // that read its outputs.
  fs::remove(folder_ / "work/augment/stage.json");
  const auto resumed = Run();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  auto statuses = Statuses(resumed);
  EXPECT_EQ(statuses["generate"], "skipped");
  EXPECT_EQ(statuses["mine"], "skipped");
  EXPECT_EQ(statuses["augment"], "ran");
  // The Fisher information reads the events only, which did not change.
  EXPECT_EQ(statuses["fisher"], "skipped");
  EXPECT_EQ(statuses["report"], "ran");
  // Changing a setting changes the stage's hash.
  WriteConfig("  augment: {n_samples: 300}\n");
  const auto quick = Run({"--quick"});
  ASSERT_EQ(quick.exit_code, 0) << quick.err;
  statuses = Statuses(quick);
  EXPECT_EQ(statuses["generate"], "ran");
  EXPECT_EQ(
      testing::ReadJson(folder_ / "work/augment/local.json").at("n_samples"),
      300);
}

TEST_F(RunCommandTest, TheReportMatchesTheCommandsItQuotes) {
  ASSERT_EQ(Run().exit_code, 0);
  const fs::path work = folder_ / "work";
  // The truth row of the table is the fisher command's matrix.
  const auto truth = testing::RunGoldmine({"fisher",
                                           "truth",
                                           "--events",
                                           (work / "mine/events.h5").string(),
                                           "--theta",
                                           "0,0",
                                           "--luminosity",
                                           "300000",
                                           "--no-nuisance"});
  ASSERT_EQ(truth.exit_code, 0) << truth.err;
  const nlohmann::json quoted = nlohmann::json::parse(truth.out);
  const double i00 = quoted.at("fisher_information")[0][0];
  // With its Monte Carlo uncertainty (issue 17, item 6), two digits.
  const double error00 = quoted.at("fisher_information_uncertainty")[0][0];
  std::ostringstream expected;
  expected.precision(4);
  expected << "| truth (parton level) | " << i00 << " ± ";
  expected.precision(2);
  expected << error00 << " |";
  const std::string report = testing::ReadText(work / "report.md");
  EXPECT_THAT(report, HasSubstr(expected.str()));
  // Figures without their inputs are omitted with the reason.
  EXPECT_THAT(report, HasSubstr("Figure `sally_scores` omitted"));
  for (const char* plot :
       {"fisher_ellipses", "morphing_weights", "observable_pt_w"}) {
    EXPECT_TRUE(
        fs::exists(work / "report/plots" / (std::string(plot) + ".png")))
        << plot;
    EXPECT_TRUE(
        fs::exists(work / "report/plots" / (std::string(plot) + ".svg")))
        << plot;
  }
  const std::string html = testing::ReadText(work / "report.html");
  EXPECT_THAT(html, HasSubstr("src=\"data:image/png;base64,iVBORw0KGgo"));
  EXPECT_THAT(html, ::testing::Not(HasSubstr("src=\"report/")));

  // σ(θ) and its gradient from the morphing agree with `goldmine xsec`.
  const mining::MadminerEvents events =
      mining::ReadEvents(work / "mine/events.h5");
  const Eigen::VectorXd xsecs =
      events.events.weights.colwise().sum().transpose();
  const Eigen::Vector2d theta(0.3, -0.05);
  const auto xsec = testing::RunGoldmine({"xsec",
                                          "--events",
                                          (work / "mine/events.h5").string(),
                                          "--theta",
                                          "0.3,-0.05",
                                          "--theta",
                                          "0.30001,-0.05"});
  ASSERT_EQ(xsec.exit_code, 0) << xsec.err;
  const nlohmann::json json = nlohmann::json::parse(xsec.out);
  const MorphedCrossSection ours = CrossSectionAt(events.setup, xsecs, theta);
  const double sigma = json.at("xsec")[0];
  EXPECT_NEAR(ours.sigma, sigma, 1e-9 * sigma);
  const double slope = (json.at("xsec")[1].get<double>() - sigma) / 1e-5;
  EXPECT_NEAR(ours.gradient(0), slope, 1e-3 * std::abs(slope) + 1e-9);
}

// Issue 16: the mem stage. Without the final state among the observables
// the MEM row is "not available" with goldmine mem's reason; with it, every
// method is a fraction of the MEM on the same test events.
TEST_F(RunCommandTest, MemStageComparesEveryMethodWithTheMem) {
  GOLDMINE_SKIP_LONG_CHECK_WHEN_SANITIZED();
  std::ofstream(config_, std::ios::app) << "mem: {events: 60}\n";
  const PipelineConfig config = ReadPipelineConfig(config_, false);
  EXPECT_EQ(config.mem.detector, "wh-1908.06980");  // mining.smearing
  EXPECT_EQ(config.mem.events, 60);
  auto result = Run({"--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("goldmine mem --events " +
                        (folder_ / "work/mem/events.h5").string()));
  result = Run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Statuses(result)["mem"], "ran");
  nlohmann::json mem =
      testing::ReadJson(folder_ / "work/results.json").at("mem").at("methods");
  EXPECT_FALSE(mem.at("mem").at("available"));
  EXPECT_THAT(mem.at("mem").at("reason").get<std::string>(),
              HasSubstr("reads the observable l[0].px"));
  EXPECT_THAT(testing::ReadText(folder_ / "work/report.md"),
              HasSubstr("| MEM: best possible with these observables | not "
                        "available: goldmine mem: "));

  AddMemObservables();
  result = Run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json results =
      testing::ReadJson(folder_ / "work/results.json");
  EXPECT_EQ(results.at("mem").at("integrated_events"), 60);
  mem = results.at("mem").at("methods");
  ASSERT_TRUE(mem.at("mem").at("available")) << mem.dump();
  for (int p = 0; p < 2; ++p) {
    EXPECT_DOUBLE_EQ(mem.at("mem").at("fraction_of_mem")[p].get<double>(), 1.0);
    for (const char* method : {"truth", "histogram_stxs", "rate"})
      EXPECT_TRUE(
          std::isfinite(mem.at(method).at("fraction_of_mem")[p].get<double>()))
          << method;
  }
  // The events are the first 60 of the test partition, weights × N / 60:
  // their σ is the full file's within MC error, their cross section sum the
  // events file's scaled.
  const mining::MadminerEvents all =
      mining::ReadEvents(folder_ / "work/mine/events.h5");
  const mining::MadminerEvents subset =
      mining::ReadEvents(folder_ / "work/mem/events.h5");
  ASSERT_EQ(subset.events.size(), 60);
  const auto n = static_cast<Eigen::Index>(all.events.size());
  const Eigen::Index first =
      n - static_cast<Eigen::Index>(std::llround(0.2 * n));
  EXPECT_TRUE(subset.events.observations.isApprox(
      all.events.observations.middleRows(first, 60)));
  EXPECT_TRUE(
      subset.events.weights.isApprox(all.events.weights.middleRows(first, 60) *
                                     (static_cast<double>(n) / 60.0)));

  // Bad mem settings name the key.
  EditConfig("mem: {events: 60}", "mem: {events: 60, precision: 2}");
  EXPECT_THAT([&] { ReadPipelineConfig(config_, false); },
              ::testing::ThrowsMessage<InvalidInput>(HasSubstr("precision")));
  EditConfig("precision: 2", "precison: 0.01");
  EXPECT_THAT([&] { ReadPipelineConfig(config_, false); },
              ::testing::ThrowsMessage<InvalidInput>(HasSubstr("precison")));
}

TEST_F(RunCommandTest, BadConfigurationsExitTwoNamingTheProblem) {
  WriteConfig("  augment: {n_sample: 3}\n");
  auto result = Run({"--quick"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("n_sample"));
  WriteConfig("");
  const std::string before = testing::ReadText(config_);
  const auto line = std::count(before.begin(), before.end(), '\n') + 1;
  std::ofstream(config_, std::ios::app) << "fisherr: {}\n";
  result = Run();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("unknown key \"fisherr\""));
  EXPECT_THAT(result.err, HasSubstr("line " + std::to_string(line)));
  WriteConfig("");
  result = Run({"--from", "mining"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--from mining: unknown stage"));
  // A mistake in the mining section is reported by `goldmine setup`.
  std::string text = testing::ReadText(config_);
  text.replace(text.find("(b[0] + b[1]).m"), 15, "(b[0] + b[1]).bogus");
  std::ofstream(config_) << text;
  result = Run();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("m_bb"));
  EXPECT_THAT(result.err, HasSubstr("[mine]"));
  EXPECT_FALSE(fs::exists(folder_ / "work/mine/stage.json"));
}

// Issue 19: `--jobs 3` runs the commands of a stage at once (the three
// augment samples, the four fisher runs, the MEM stage's fisher runs beside
// the MEM, which its "fisher mem" waits for) and gives the study of
// `--jobs 1`: the same results and, in every stage.json, the same commands
// in the same order.
TEST_F(RunCommandTest, JobsRunAStagesCommandsAtOnceWithTheSameResults) {
  // Under ASan the MEM stage (two waves) alone would take a minute.
  const bool mem = !testing::kSanitized;
  if (mem) std::ofstream(config_, std::ios::app) << "mem: {events: 30}\n";
  AddMemObservables();
  const auto one = Run({"--jobs", "1"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const fs::path work = folder_ / "work";
  const nlohmann::json results = testing::ReadJson(work / "results.json");
  std::map<std::string, nlohmann::json> commands;
  for (const char* stage : {"mine", "augment", "mem", "fisher"}) {
    if (!mem && std::string(stage) == "mem") continue;
    commands[stage] =
        testing::ReadJson(work / stage / "stage.json").at("commands");
  }
  const auto three = Run({"--jobs", "3", "--force"});
  ASSERT_EQ(three.exit_code, 0) << three.err;
  const nlohmann::json again = testing::ReadJson(work / "results.json");
  if (mem) {
    ASSERT_TRUE(results.at("mem").at("methods").at("mem").at("available"));
    EXPECT_EQ(again.at("mem"), results.at("mem"));
  }
  EXPECT_EQ(again.at("fisher"), results.at("fisher"));
  for (const auto& [stage, lines] : commands) {
    EXPECT_EQ(testing::ReadJson(work / stage / "stage.json").at("commands"),
              lines)
        << stage;
  }
  // Progress lines of children running at once stay whole lines.
  EXPECT_THAT(three.err, HasSubstr("goldmine run: [augment] $ goldmine "));
  EXPECT_EQ(Run({"--jobs", "0"}).exit_code, 2);
}

// Issue 19: `workflow: shards:` runs mine and augment as `--shard I/N`
// commands joined by `goldmine merge`: the study's files and numbers are
// those of the unsharded run, and no shard file is left behind. An augment
// command with fewer blocks of draws than shards gets one shard per block.
TEST_F(RunCommandTest, ShardedStagesGiveTheUnshardedStudy) {
  EditConfig("augment: {n_samples: 500,", "augment: {n_samples: 25000,");
  std::ofstream(config_, std::ios::app)
      << "limits:\n  grid: {cHW: [-0.5, 0.5, 5], cHq3: [-0.1, 0.1, 5]}\n";
  const auto whole = Run({"--jobs", "2"});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const fs::path work = folder_ / "work";
  const std::string events = testing::ReadText(work / "mine" / "events.h5");
  const mining::SampleData local =
      mining::ReadSamples(work / "augment" / "local.h5");
  const nlohmann::json results = testing::ReadJson(work / "results.json");

  std::ofstream(config_, std::ios::app)
      << "workflow: {shards: {mine: 3, augment: 4, limits: 2}}\n";
  const auto sharded = Run({"--jobs", "2"});
  ASSERT_EQ(sharded.exit_code, 0) << sharded.err;
  const std::string commands =
      testing::ReadJson(work / "mine" / "stage.json").at("commands").dump();
  EXPECT_THAT(commands, HasSubstr("--shard 2/3"));
  EXPECT_THAT(commands, HasSubstr("goldmine merge"));
  // 25000 draws hold 2 whole blocks of 10000: 2 shards, not 4; the 200
  // test draws are one block, unsharded.
  const std::string augment_commands =
      testing::ReadJson(work / "augment" / "stage.json").at("commands").dump();
  EXPECT_THAT(augment_commands, HasSubstr("--shard 1/2"));
  EXPECT_THAT(augment_commands, Not(HasSubstr("--shard 3/4")));
  EXPECT_TRUE(testing::ReadText(work / "mine" / "events.h5") == events)
      << "the merged events file differs from the unsharded run's";
  const mining::SampleData merged =
      mining::ReadSamples(work / "augment" / "local.h5");
  EXPECT_TRUE(merged.x == local.x);
  EXPECT_TRUE(merged.t_xz == local.t_xz);
  EXPECT_TRUE(merged.theta0 == local.theta0);
  EXPECT_EQ(merged.num_shards, 1);
  const nlohmann::json again = testing::ReadJson(work / "results.json");
  EXPECT_EQ(again.at("fisher"), results.at("fisher"));
  EXPECT_EQ(again.at("limits"), results.at("limits"));
  EXPECT_TRUE(again.at("limits").at("rate").at("available").get<bool>());
  for (const auto& entry : fs::recursive_directory_iterator(work))
    EXPECT_EQ(entry.path().filename().string().find(".shard-"),
              std::string::npos)
        << entry.path();
  // Shards of a stage that has none are refused, naming the key.
  const std::string limits_commands =
      testing::ReadJson(work / "limits" / "stage.json").at("commands").dump();
  EXPECT_THAT(limits_commands, HasSubstr("--chunk 1/2"));
  EXPECT_THAT(limits_commands, HasSubstr("--join"));
  EditConfig("shards: {mine: 3, augment: 4, limits: 2}", "shards: {fisher: 2}");
  const auto refused = Run();
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(
      refused.err,
      HasSubstr("only the mine, augment and limits stages have shards"));
}

// Issue 19: --emit snakemake writes the workflow and runs nothing; the
// workflow has one rule per configured stage, with the workflow section's
// cores and memory.
TEST_F(RunCommandTest, EmitSnakemakeWritesTheWorkflowAndRunsNothing) {
  std::ofstream(config_, std::ios::app)
      << "workflow: {threads: {augment: 3}, mem_mb: {fisher: 1234}}\n";
  const auto result = Run({"--emit", "snakemake"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path work = folder_ / "work";
  const std::string snakefile = testing::ReadText(work / "Snakefile");
  for (const char* rule : {"rule all:",
                           "rule generate:",
                           "rule mine:",
                           "rule augment:",
                           "rule fisher:",
                           "rule report:"})
    EXPECT_THAT(snakefile, HasSubstr(rule)) << rule;
  // Not configured: no rule, and the Snakefile says why.
  EXPECT_THAT(snakefile, ::testing::Not(HasSubstr("rule train:")));
  EXPECT_THAT(snakefile, HasSubstr("train ("));
  EXPECT_THAT(snakefile, HasSubstr("--stage augment"));
  EXPECT_THAT(snakefile, HasSubstr("\"mine/events.h5\""));
  EXPECT_THAT(snakefile, HasSubstr("threads: 3"));
  EXPECT_THAT(snakefile, HasSubstr("mem_mb=1234"));
  EXPECT_THAT(testing::ReadText(work / "workflow.yaml"),
              HasSubstr(config_.string()));
  EXPECT_TRUE(fs::exists(work / "reana.yaml"));
  for (const char* stage : {"generate", "mine", "report"})
    EXPECT_FALSE(fs::exists(work / stage / "stage.json")) << stage;

  EXPECT_EQ(Run({"--emit", "make"}).exit_code, 2);
  EXPECT_EQ(Run({"--stage", "mining"}).exit_code, 2);
  // The report needs the records of the stages before it.
  const auto early = Run({"--stage", "report"});
  EXPECT_EQ(early.exit_code, 2);
  EXPECT_THAT(early.err, HasSubstr("stage.json"));
  EditConfig("workflow: {threads: {augment: 3}",
             "workflow: {threads: {augmentation: 3}");
  const auto bad = Run({"--emit", "snakemake"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("\"augmentation\" is not a stage"));
}

// Issue 19: `snakemake --cores 2` runs the emitted workflow to the results of
// `goldmine run`; killed in the middle and started again, it completes the
// study without rerunning the stages that had finished.
TEST_F(RunCommandTest, SnakemakeRunsTheStudyAndResumesAfterAKill) {
  if (!testing::HasSnakemake())
    GTEST_SKIP() << "snakemake is not installed (scripts/setup.sh installs it)";
  const auto direct = Run();
  ASSERT_EQ(direct.exit_code, 0) << direct.err;
  const nlohmann::json expected =
      testing::ReadJson(folder_ / "work/results.json");

  const fs::path flow = folder_ / "flow";
  const auto emitted = testing::RunGoldmine({"run",
                                             config_.string(),
                                             "--workdir",
                                             flow.string(),
                                             "--emit",
                                             "snakemake"});
  ASSERT_EQ(emitted.exit_code, 0) << emitted.err;
  // Started in its own process group, killed with its children as soon as
  // the augment rule has started (its log exists): snakemake has then
  // recorded the generate and mine rules as complete.
  const std::string start =
      "setsid sh -c " + testing::ShellQuoted(testing::SnakemakeCommand(flow)) +
      " >/dev/null 2>&1 & echo $!";
  FILE* pipe = ::popen(start.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  long group = 0;
  ASSERT_EQ(std::fscanf(pipe, "%ld", &group), 1);
  ::pclose(pipe);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (!fs::exists(flow / "logs/augment.log") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(static_cast<pid_t>(-group), SIGKILL);
  ASSERT_TRUE(fs::exists(flow / "mine/stage.json"))
      << testing::ReadText(flow / "snakemake.out");
  const bool interrupted = !fs::exists(flow / "results.json");
  std::map<std::string, fs::file_time_type> finished;
  for (const char* stage : {"generate", "mine"})
    finished[stage] = fs::last_write_time(flow / stage / "stage.json");

  // A killed snakemake leaves its lock: --unlock, then rerun what was
  // incomplete.
  ASSERT_EQ(testing::RunSnakemake(flow, "--unlock"), 0)
      << testing::ReadText(flow / "snakemake.out");
  ASSERT_EQ(testing::RunSnakemake(flow, "--rerun-incomplete"), 0)
      << testing::ReadText(flow / "snakemake.out");
  for (const auto& [stage, time] : finished) {
    EXPECT_EQ(fs::last_write_time(flow / stage / "stage.json"), time)
        << stage << " ran again";
  }
  const nlohmann::json results = testing::ReadJson(flow / "results.json");
  for (const char* key : {"fisher", "parameters", "theta", "luminosity"})
    EXPECT_EQ(results.at(key), expected.at(key)) << key;
  EXPECT_TRUE(fs::exists(flow / "report.html"));
  if (!interrupted) {
    std::cout << "snakemake had finished before the kill; the restart found "
                 "nothing to do\n";
  }
}

}  // namespace
}  // namespace goldmine
