// The stage runner of the pipeline (stage_runner.h) on stages of /bin/sh
// commands: what runs, what is skipped and why, how steps of one wave run at
// once, and what a failure leaves behind. The whole `goldmine run` is tested
// through the CLI in tests/apps/run_command_test.cc.
#include "goldmine/pipeline/stage_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "support/scratch_folder.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;
using pipeline::Stage;
using pipeline::StageFailure;
using pipeline::StageOutcome;
using pipeline::StageRunner;
using pipeline::StageStatus;
using pipeline::Step;
using ::testing::HasSubstr;

class StageRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("stage_runner");
  }
  void TearDown() override { fs::remove_all(folder_); }

  // A step that runs `script` with /bin/sh in the work folder.
  Step Shell(const std::string& label,
             const std::string& script,
             int wave = 0) const {
    Step step;
    step.label = label;
    step.arguments = {"-c", "cd '" + folder_.string() + "' && " + script};
    step.wave = wave;
    return step;
  }

  StageOutcome Run(const Stage& stage, bool force = false, int jobs = 1) {
    StageRunner runner(folder_, progress_, jobs, "/bin/sh");
    return runner.Run(stage, force);
  }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path folder_;
  std::ostringstream progress_;
};

TEST_F(StageRunnerTest, RunsOnceThenSkipsUntilSettingsOrInputsChange) {
  std::ofstream(folder_ / "in.txt") << "1\n";
  Stage stage;
  stage.name = "count";
  stage.settings = "a: 1";
  stage.inputs = {folder_ / "in.txt"};
  stage.outputs = {folder_ / "out.txt"};
  stage.steps = {Shell("append", "cat in.txt >> out.txt")};

  EXPECT_EQ(Run(stage).status, StageStatus::kRan);
  EXPECT_EQ(Run(stage).status, StageStatus::kSkipped);
  EXPECT_EQ(Read(folder_ / "out.txt"), "1\n");  // the skip ran nothing

  stage.settings = "a: 2";  // a changed setting reruns
  EXPECT_EQ(Run(stage).status, StageStatus::kRan);
  EXPECT_EQ(Run(stage).status, StageStatus::kSkipped);

  // A changed input reruns (its content is in the hash).
  std::ofstream(folder_ / "in.txt") << "2\n";
  EXPECT_EQ(Run(stage).status, StageStatus::kRan);
  EXPECT_EQ(Read(folder_ / "out.txt"), "1\n1\n2\n");

  // A missing output reruns; force reruns.
  fs::remove(folder_ / "out.txt");
  EXPECT_EQ(Run(stage).status, StageStatus::kRan);
  EXPECT_EQ(Run(stage, /*force=*/true).status, StageStatus::kRan);
  EXPECT_EQ(Read(folder_ / "out.txt"), "2\n2\n");
  EXPECT_TRUE(fs::exists(folder_ / "count" / "stage.json"));
  EXPECT_THAT(Read(folder_ / "count" / "log.txt"), HasSubstr("cat in.txt"));
}

TEST_F(StageRunnerTest, StdoutGoesToItsFileOnlyWhenTheStepSucceeds) {
  Stage stage;
  stage.name = "json";
  Step good = Shell("good", "echo '{\"a\": 1}'");
  good.stdout_file = folder_ / "good.json";
  Step optional =
      Shell("optional", "echo partial; echo 'no such method' >&2; exit 2");
  optional.stdout_file = folder_ / "optional.json";
  optional.optional = true;
  stage.steps = {good, optional};
  stage.outputs = {folder_ / "good.json"};

  const StageOutcome outcome = Run(stage);
  EXPECT_EQ(Read(folder_ / "good.json"), "{\"a\": 1}\n");
  EXPECT_FALSE(fs::exists(folder_ / "optional.json"));
  ASSERT_EQ(outcome.steps.size(), 2u);
  EXPECT_TRUE(outcome.steps[0].available);
  EXPECT_FALSE(outcome.steps[1].available);
  EXPECT_EQ(outcome.steps[1].reason, "no such method");
  // The records survive a skip.
  const StageOutcome skipped = Run(stage);
  EXPECT_EQ(skipped.status, StageStatus::kSkipped);
  ASSERT_EQ(skipped.steps.size(), 2u);
  EXPECT_EQ(skipped.steps[1].reason, "no such method");
}

// Two steps of one wave that each wait for the other's mark: they can only
// both succeed when they run at once, which --jobs 2 does and --jobs 1 does
// not. A later wave starts after the whole wave finished.
TEST_F(StageRunnerTest, StepsOfAWaveRunAtOnceAndWavesInOrder) {
  auto waiting = [&](const std::string& mine, const std::string& other) {
    return Shell(mine,
                 "touch " + mine + ".mark; i=0; while [ ! -f " + other +
                     ".mark ]; do i=$((i+1)); [ $i -gt 100 ] && exit 3; "
                     "sleep 0.05; done; echo " +
                     mine + " > " + mine + ".txt");
  };
  Stage stage;
  stage.name = "pair";
  stage.steps = {waiting("a", "b"),
                 waiting("b", "a"),
                 Shell("join", "cat a.txt b.txt > joined.txt", /*wave=*/1)};
  stage.outputs = {folder_ / "joined.txt"};

  EXPECT_EQ(Run(stage, false, /*jobs=*/2).status, StageStatus::kRan);
  EXPECT_EQ(Read(folder_ / "joined.txt"), "a\nb\n");
  // The log keeps the steps' order, whatever order they finished in.
  const std::string log = Read(folder_ / "pair" / "log.txt");
  EXPECT_LT(log.find("a.mark"), log.find("join"));

  fs::remove(folder_ / "a.mark");
  fs::remove(folder_ / "b.mark");
  try {
    Run(stage, /*force=*/true, /*jobs=*/1);
    ADD_FAILURE() << "one job at a time cannot run the pair";
  } catch (const StageFailure& failure) {
    EXPECT_EQ(failure.stage, "pair");
    EXPECT_EQ(failure.exit_code, 1);
    EXPECT_THAT(failure.message, HasSubstr("a failed"));
  }
}

TEST_F(StageRunnerTest, AFailedStepStopsTheStageAndLeavesNoRecord) {
  Stage stage;
  stage.name = "broken";
  stage.steps = {
      Shell("first", "echo 'bad.yaml, line 3: expected a number' >&2; exit 2"),
      Shell("second", "touch second.txt", /*wave=*/1)};
  try {
    Run(stage);
    ADD_FAILURE() << "the stage should fail";
  } catch (const StageFailure& failure) {
    EXPECT_EQ(failure.exit_code, 2);  // bad input is passed on as such
    EXPECT_EQ(failure.message,
              "first failed: bad.yaml, line 3: expected a number");
  }
  EXPECT_FALSE(fs::exists(folder_ / "second.txt"));
  EXPECT_FALSE(fs::exists(folder_ / "broken" / "stage.json"));
  // A stage whose declared output is missing fails too, and a later stage
  // that needs the record of one that never ran says which.
  Stage silent;
  silent.name = "silent";
  silent.steps = {Shell("nothing", "true")};
  silent.outputs = {folder_ / "never.txt"};
  EXPECT_THROW(Run(silent), StageFailure);
  StageRunner runner(folder_, progress_, 1, "/bin/sh");
  try {
    runner.Recorded(silent);
    ADD_FAILURE() << "no record";
  } catch (const StageFailure& failure) {
    EXPECT_THAT(failure.message, HasSubstr("run this stage before"));
  }
}

TEST_F(StageRunnerTest, NotConfiguredStagesRunNothing) {
  Stage stage;
  stage.name = "mem";
  stage.not_configured = "no mem section";
  stage.steps = {Shell("never", "touch never.txt")};
  EXPECT_EQ(Run(stage).status, StageStatus::kNotConfigured);
  EXPECT_FALSE(fs::exists(folder_ / "never.txt"));
  EXPECT_THAT(progress_.str(), HasSubstr("not configured (no mem section)"));
}

}  // namespace
}  // namespace goldmine
