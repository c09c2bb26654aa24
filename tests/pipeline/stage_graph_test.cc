// The stage graph of `goldmine run` (study_run.h): which stage needs which,
// that every file a stage's commands read from the work folder is declared
// (so that stages may run as soon as what they need is complete), and the
// scheduler on /bin/sh stages: independent stages at once under --jobs 2,
// never more commands than jobs, dependents after what they need.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "goldmine/pipeline/study_run.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace pipeline;

std::vector<Stage> WhStages(const fs::path& workdir) {
  const PipelineConfig config = ReadPipelineConfig(
      fs::path(GOLDMINE_SOURCE_DIR) / "examples/wh_smeft/config.yaml", true);
  StudyFiles files;
  files.workdir = workdir;
  return StudyStages(config, files, 1, /*write_inputs=*/false);
}

std::map<std::string, std::vector<std::string>> Needs(
    const std::vector<Stage>& stages) {
  std::map<std::string, std::vector<std::string>> named;
  const auto needs = StageDependencies(stages);
  for (std::size_t i = 0; i < stages.size(); ++i) {
    std::vector<std::string>& list = named[stages[i].name];
    for (std::size_t j : needs[i]) list.push_back(stages[j].name);
  }
  return named;
}

TEST(StageGraph, TheWhStudysStagesNeedWhatTheyRead) {
  const auto needs = Needs(WhStages("/w"));
  using V = std::vector<std::string>;
  EXPECT_EQ(needs.at("generate"), V{});
  EXPECT_EQ(needs.at("mine"), V{"generate"});
  EXPECT_EQ(needs.at("augment"), V{"mine"});
  // The MEM needs no sample and no model: it runs beside augment and train.
  EXPECT_EQ(needs.at("mem"), V{"mine"});
#ifdef GOLDMINE_WITH_TORCH
  EXPECT_EQ(needs.at("train"), V{"augment"});
  EXPECT_EQ(needs.at("fisher"), (V{"mine", "mem", "train"}));
  EXPECT_EQ(needs.at("limits"), (V{"mine", "augment", "train"}));
#endif
}

// A path argument inside the work folder that is not in the stage's own
// folder must be one of the stage's declared inputs (a model prefix
// train/sally stands for train/sally.json), or the file a later stage's
// scheduling would not wait for.
TEST(StageGraph, EveryWorkFolderFileACommandReadsIsDeclared) {
  const fs::path workdir = "/w";
  for (const Stage& stage : WhStages(workdir)) {
    const std::string own = (workdir / stage.name).string() + "/";
    std::vector<std::string> written;
    for (const Step& step : stage.steps) {
      for (std::size_t a = 0; a + 1 < step.arguments.size(); ++a)
        if (step.arguments[a] == "--output")
          written.push_back(step.arguments[a + 1]);
    }
    for (const Step& step : stage.steps) {
      for (std::size_t a = 0; a < step.arguments.size(); ++a) {
        const std::string& argument = step.arguments[a];
        if (argument.rfind(workdir.string() + "/", 0) != 0) continue;
        if (argument.rfind(own, 0) == 0) continue;
        if (a > 0 && step.arguments[a - 1] == "--output") continue;
        if (std::find(written.begin(), written.end(), argument) !=
            written.end())
          continue;
        std::vector<fs::path> inputs = stage.inputs;
        inputs.insert(inputs.end(),
                      stage.optional_inputs.begin(),
                      stage.optional_inputs.end());
        const bool declared = std::any_of(
            inputs.begin(), inputs.end(), [&](const fs::path& input) {
              return input.string().rfind(argument, 0) == 0;
            });
        EXPECT_TRUE(declared)
            << stage.name << " reads " << argument << " without declaring it";
      }
    }
  }
}

class StageGraphRun : public ::testing::Test {
 protected:
  void SetUp() override { folder_ = testing::MakeScratchFolder("stage_graph"); }
  void TearDown() override { fs::remove_all(folder_); }

  Stage ShellStage(const std::string& name, const std::string& script) const {
    Stage stage;
    stage.name = name;
    Step step;
    step.label = name;
    step.arguments = {"-c", "cd '" + folder_.string() + "' && " + script};
    stage.steps = {step};
    return stage;
  }

  std::vector<StageOutcome> Run(const std::vector<Stage>& stages, int jobs) {
    return RunStageGraph(stages,
                         std::vector<bool>(stages.size(), true),
                         folder_,
                         jobs,
                         progress_,
                         "/bin/sh");
  }

  fs::path folder_;
  std::ostringstream progress_;
};

// a and b each wait for the other's mark, so they succeed only when they run
// at once; c needs a's output and runs after it.
TEST_F(StageGraphRun, IndependentStagesRunAtOnceAndDependentsAfter) {
  auto waiting = [&](const std::string& mine, const std::string& other) {
    Stage stage =
        ShellStage(mine,
                   "touch " + mine + ".mark; i=0; while [ ! -f " + other +
                       ".mark ]; do i=$((i+1)); [ $i -gt 100 ] && exit 3; "
                       "sleep 0.05; done; echo " +
                       mine + " > " + mine + ".txt");
    stage.outputs = {folder_ / (mine + ".txt")};
    return stage;
  };
  Stage c = ShellStage("c", "cat a.txt > c.txt");
  c.inputs = {folder_ / "a.txt"};
  c.outputs = {folder_ / "c.txt"};
  const std::vector<Stage> stages = {waiting("a", "b"), waiting("b", "a"), c};
  const std::vector<StageOutcome> outcomes = Run(stages, 2);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].name, "a");
  EXPECT_EQ(outcomes[2].name, "c");
  EXPECT_EQ(testing::ReadText(folder_ / "c.txt"), "a\n");

  // One job: one stage after the other, so a waits for b in vain.
  fs::remove(folder_ / "a.mark");
  fs::remove(folder_ / "b.mark");
  try {
    Run(stages, 1);
    ADD_FAILURE() << "one job at a time cannot run a and b";
  } catch (const StageFailure& failure) {
    EXPECT_EQ(failure.stage, "a");
  }
}

TEST_F(StageGraphRun, NeverMoreCommandsThanJobsOverAllStages) {
  // Each command registers in `active` (under a lock), records how many are
  // active, waits, and leaves.
  const std::string step =
      "flock lock -c 'echo x >> active; wc -l < active >> peaks'; sleep 0.3; "
      "flock lock -c 'sed -i 1d active'";
  std::vector<Stage> stages;
  for (const char* name : {"p", "q", "r", "s"}) {
    Stage stage = ShellStage(name, step);
    stage.steps.push_back(stage.steps.front());  // two commands per stage
    stages.push_back(stage);
  }
  Run(stages, 2);
  std::ifstream peaks(folder_ / "peaks");
  int peak = 0;
  int count = 0;
  for (int value; peaks >> value; ++count) peak = std::max(peak, value);
  EXPECT_EQ(count, 8);
  EXPECT_EQ(peak, 2) << "two jobs: two commands at once, never three";
}

// A command given --threads 2 keeps two cores busy: under --jobs 2 it holds
// both slots, so two such commands of different stages never overlap.
TEST_F(StageGraphRun, ACommandHoldsASlotPerThread) {
  const std::string step =
      "flock lock -c 'echo x >> active; wc -l < active >> peaks'; sleep 0.3; "
      "flock lock -c 'sed -i 1d active'";
  std::vector<Stage> stages;
  for (const char* name : {"p", "q"}) {
    Stage stage = ShellStage(name, step);
    // sh -c SCRIPT --threads 2: the two words are $0 and $1 to the script.
    stage.steps.front().unhashed_arguments = {"--threads", "2"};
    stages.push_back(stage);
  }
  Run(stages, 2);
  std::ifstream peaks(folder_ / "peaks");
  int peak = 0;
  int count = 0;
  for (int value; peaks >> value; ++count) peak = std::max(peak, value);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(peak, 1);
}

TEST_F(StageGraphRun, AFailedStageStartsNoOtherAndIsReported) {
  Stage bad = ShellStage("bad", "echo 'broken input' >&2; exit 2");
  Stage after = ShellStage("after", "touch after.txt");
  bad.outputs = {folder_ / "bad.txt"};
  after.inputs = {folder_ / "bad.txt"};
  try {
    Run({bad, after}, 2);
    ADD_FAILURE() << "bad fails";
  } catch (const StageFailure& failure) {
    EXPECT_EQ(failure.stage, "bad");
    EXPECT_EQ(failure.exit_code, 2);
    EXPECT_THAT(failure.message, HasSubstr("broken input"));
  }
  EXPECT_FALSE(fs::exists(folder_ / "after.txt"));
}

}  // namespace
}  // namespace goldmine
