// `goldmine inspect` and `goldmine mine` on hostile or unusual event inputs,
// through the real binary (issue 15: exit 2 and one line naming the file,
// never exit 1 or a destroyed input; issue 14 item 12: unweighted files).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "goldmine/mining/madminer_file.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

std::string Lhe(const std::string& xwgtup, const std::string& weight_id) {
  std::string text =
      "<LesHouchesEvents version=\"3.0\">\n<header>\n<initrwgt>\n"
      "<weight id='" +
      weight_id +
      "'> </weight>\n</initrwgt>\n</header>\n<init>\n"
      "2212 2212 6500 6500 0 0 0 0 3 1\n1 0 1 1\n</init>\n";
  for (int i = 1; i <= 3; ++i) {
    const std::string pt = std::to_string(10 * i);
    text += "<event>\n 2 1 " + xwgtup + " 100 0.0078 0.118\n 11 1 0 0 0 0 " +
            pt + " 0 0 " + pt + " 0 0 9\n -11 1 0 0 0 0 -" + pt + " 0 0 " + pt +
            " 0 0 9\n<rwgt>\n<wgt id='" + weight_id + "'> " + xwgtup +
            " </wgt>\n</rwgt>\n</event>\n";
  }
  return text + "</LesHouchesEvents>\n";
}

// Three events with a lepton pair and no W lines at all.
std::string UnweightedHepMC3() {
  std::string text =
      "HepMC::Version 3.01.02\nHepMC::Asciiv3-START_EVENT_LISTING\n";
  for (int i = 1; i <= 3; ++i) {
    const std::string pt = std::to_string(10 * i);
    text += "E " + std::to_string(i) + " 0 2\nU GEV MM\nP 1 0 11 " + pt +
            " 0 0 " + pt + " 0 1\nP 2 0 -11 -" + pt + " 0 0 " + pt + " 0 1\n";
  }
  return text + "HepMC::Asciiv3-END_EVENT_LISTING\n";
}

class EventInputCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("event_input_command");
  }
  void TearDown() override { fs::remove_all(folder_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(folder_ / name, std::ios::binary) << text;
    return (folder_ / name).string();
  }
  std::string MineConfig(const std::string& file) {
    return Write("config.yaml",
                 "parameters:\n  cHW: {lha_block: smeft, lha_id: 7, range: "
                 "[-1, 1]}\nbenchmarks:\n  sm: {}\nsamples:\n  - {file: " +
                     file +
                     ", sampled_from: sm}\nobservables:\n  pt_l: l[0].pt\n");
  }
  // One line on stderr, naming `what`.
  static void ExpectOneLineNaming(const testing::CommandResult& result,
                                  const std::string& what) {
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_THAT(result.err, HasSubstr(what));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
  }

  fs::path folder_;
};

TEST_F(EventInputCommandTest, InspectRefusesToOverwriteItsInput) {
  const std::string text = Lhe("1.5", "a");
  const std::string path = Write("f.lhe", text);
  ExpectOneLineNaming(testing::RunGoldmine({"inspect", path, "--output", path}),
                      "is also an input");
  // The same file under another spelling, and through a symbolic link.
  const std::string other = (folder_ / "." / "x" / ".." / "f.lhe").string();
  fs::create_directory(folder_ / "x");
  ExpectOneLineNaming(
      testing::RunGoldmine({"inspect", path, "--output", other}),
      "is also an input");
  fs::create_symlink(path, folder_ / "link.lhe");
  ExpectOneLineNaming(
      testing::RunGoldmine(
          {"inspect", (folder_ / "link.lhe").string(), "--output", path}),
      "is also an input");
  EXPECT_EQ(testing::ReadText(path), text);
  // Another output is fine.
  EXPECT_EQ(
      testing::RunGoldmine(
          {"inspect", path, "--output", (folder_ / "summary.json").string()})
          .exit_code,
      0);
}

TEST_F(EventInputCommandTest, MineRefusesToOverwriteItsInputs) {
  const std::string text = Lhe("1.5", "a");
  const std::string sample = Write("events.lhe", text);
  const std::string config = MineConfig("events.lhe");
  const std::string config_text = testing::ReadText(config);
  ExpectOneLineNaming(
      testing::RunGoldmine({"mine", config, "--output", sample}),
      "--output " + sample + ": is also an input");
  ExpectOneLineNaming(
      testing::RunGoldmine({"mine", config, "--output", config}),
      "is also an input");
  EXPECT_EQ(testing::ReadText(sample), text);
  EXPECT_EQ(testing::ReadText(config), config_text);
}

TEST_F(EventInputCommandTest, FoldersAreRefusedWithExit2) {
  ExpectOneLineNaming(testing::RunGoldmine({"inspect", folder_.string()}),
                      "is a folder; expected an event file");
  ExpectOneLineNaming(
      testing::RunGoldmine(
          {"mine", folder_.string(), "--output", (folder_ / "e.h5").string()}),
      "is a folder; expected a YAML configuration file");
}

TEST_F(EventInputCommandTest, InvalidUtf8WeightNamesAreBadInput) {
  ExpectOneLineNaming(
      testing::RunGoldmine({"inspect", Write("bad.lhe", Lhe("1.5", "a\xff"))}),
      "bad.lhe, line 4: <initrwgt> is not valid UTF-8");
}

// Issue 14 item 12: no made-up weight "0"; each event counts as weight 1.
TEST_F(EventInputCommandTest, UnweightedHepMCIsReportedAndMinedAsWeightOne) {
  const std::string path = Write("plain.hepmc3", UnweightedHepMC3());
  const auto inspect = testing::RunGoldmine({"inspect", path});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  const nlohmann::json summary = nlohmann::json::parse(inspect.out);
  EXPECT_EQ(summary.at("n_events"), 3);
  EXPECT_EQ(summary.at("weight_names"), nlohmann::json::array());
  EXPECT_EQ(summary.at("unweighted"), true);
  EXPECT_EQ(summary.at("weight_sums"), nlohmann::json::object());

  const std::string output = (folder_ / "events.h5").string();
  const auto mine = testing::RunGoldmine(
      {"mine", MineConfig("plain.hepmc3"), "--output", output});
  ASSERT_EQ(mine.exit_code, 0) << mine.err;
  const mining::MadminerEvents events = mining::ReadEvents(output);
  ASSERT_EQ(events.events.size(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(events.events.weights(i, 0), 1.0);
  const nlohmann::json report = nlohmann::json::parse(mine.out);
  EXPECT_EQ(report.at("samples")[0].at("cross_sections").at("sm"), 3.0);
}

TEST_F(EventInputCommandTest, ZeroOrNegativeNominalWeightsAreFlagged) {
  const std::string zero = Write("zero.lhe", Lhe("0", "a"));
  const auto inspect = testing::RunGoldmine({"inspect", zero});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_THAT(inspect.err,
              HasSubstr("warning: " + zero +
                        ": the nominal weight \"nominal\" is zero in all 3 "
                        "events"));
  const auto negative =
      testing::RunGoldmine({"inspect", Write("neg.lhe", Lhe("-0.06", "a"))});
  EXPECT_THAT(negative.err, HasSubstr("is negative or zero in all 3 events"));
  const auto fine =
      testing::RunGoldmine({"inspect", Write("ok.lhe", Lhe("0.5", "a"))});
  EXPECT_THAT(fine.err, Not(HasSubstr("warning")));

  const std::string output = (folder_ / "events.h5").string();
  for (const char* file : {"zero.lhe", "neg.lhe"}) {
    const auto mine =
        testing::RunGoldmine({"mine", MineConfig(file), "--output", output});
    ExpectOneLineNaming(mine,
                        std::string(file) +
                            ": the nominal weight (nominal) "
                            "of all 3 events is");
    EXPECT_FALSE(fs::exists(output));
  }
}

// The inputs that crashed `inspect` through HepMC3 3.1.2 (SIGSEGV, SIGABRT).
TEST_F(EventInputCommandTest, FormerCrashInputsExitTwoOrRead) {
  const std::string hepmc2 =
      "HepMC::Version 2.06.09\nHepMC::IO_GenEvent-START_EVENT_LISTING\n"
      "E 1 -1 -1 0.1 0.007 0 -1 1 1 2 0 1 1.5\nU GEV MM\n"
      "P 1 2212 0 0 6500 6500 0.938 4 0 0 -1 0\n"
      "V -1 0 0 0 0 0 1 1 0\nP 2 11 10 0 5 11.18 0 1 0 0 0 0\n"
      "HepMC::IO_GenEvent-END_EVENT_LISTING\n";
  ExpectOneLineNaming(
      testing::RunGoldmine({"inspect", Write("p_first.hepmc", hepmc2)}),
      "p_first.hepmc, line 5: a particle (P line) before any vertex");
  std::string long_name = UnweightedHepMC3();
  long_name.insert(long_name.find("U GEV MM"),
                   "A 0 " + std::string(200, 'n') + " value\n");
  const auto read =
      testing::RunGoldmine({"inspect", Write("long.hepmc3", long_name)});
  EXPECT_EQ(read.exit_code, 0) << read.err;
}

// NaN momenta used to flow from `mine` into events files.
TEST_F(EventInputCommandTest, MineRefusesNonFiniteMomenta) {
  std::string text = Lhe("1.5", "a");
  text.replace(text.find(" 11 1 0 0 0 0 10"), 16, " 11 1 0 0 0 0 nan");
  Write("nan.lhe", text);
  const std::string output = (folder_ / "events.h5").string();
  ExpectOneLineNaming(
      testing::RunGoldmine({"mine", MineConfig("nan.lhe"), "--output", output}),
      "nan.lhe, line 13: expected a finite number for PX, got \"nan\"");
  EXPECT_FALSE(fs::exists(output));
}

// Issue 15 (debris): staging files of a killed run are removed by the next
// run in the same folder; those of a live process are not touched.
TEST_F(EventInputCommandTest, MineRemovesStagingFilesOfKilledRuns) {
  Write("ok.lhe", Lhe("0.5", "a"));
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);  // now a process id that does not exist
  const std::string stale =
      Write("old.h5.stage-" + std::to_string(child) + "-0.h5", "debris");
  const std::string live =
      Write("old.h5.stage-" + std::to_string(::getpid()) + "-0.h5", "live");
  const std::string output = (folder_ / "events.h5").string();
  const auto mine =
      testing::RunGoldmine({"mine", MineConfig("ok.lhe"), "--output", output});
  ASSERT_EQ(mine.exit_code, 0) << mine.err;
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live));
  int staging = 0;
  for (const auto& entry : fs::directory_iterator(folder_))
    staging += entry.path().string().find(".stage-") != std::string::npos;
  EXPECT_EQ(staging, 1);  // the live one; this run left none
}

}  // namespace
}  // namespace goldmine
