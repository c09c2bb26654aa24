// The study-level pieces of the pipeline that need no goldmine command: the
// work folder, the options of a run, and the Snakefile of a stage graph
// (study_run.h, snakemake_workflow.h).
#include "goldmine/pipeline/study_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/pipeline/snakemake_workflow.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace pipeline;

TEST(StudyRun, TheWorkFolderIsAbsoluteNormalAndBesideTheConfigByDefault) {
  PipelineConfig config;
  config.path = "/studies/wh.yaml";
  EXPECT_EQ(StudyFilesFor(config, std::nullopt).workdir, "/studies/wh-run");
  config.quick = true;
  EXPECT_EQ(StudyFilesFor(config, std::nullopt).workdir,
            "/studies/wh-run-quick");
  // "DIR/." and "DIR/" are DIR: the folder is part of every command line and
  // so of every stage hash, which must not depend on how it was spelled.
  EXPECT_EQ(StudyFilesFor(config, std::string("/tmp/w/.")).workdir, "/tmp/w");
  EXPECT_EQ(StudyFilesFor(config, std::string("/tmp/w/")).workdir, "/tmp/w");
  EXPECT_EQ(StudyFilesFor(config, std::string("/tmp/x/../w")).workdir,
            "/tmp/w");
  EXPECT_TRUE(StudyFilesFor(config, std::string("w")).workdir.is_absolute());
}

TEST(StudyRun, OptionsNamingNoStageOrClashingAreRefused) {
  auto message = [](const StudyRunOptions& options) -> std::string {
    try {
      CheckStudyRunOptions(options);
    } catch (const InvalidInput& error) {
      return error.what();
    }
    return "";
  };
  StudyRunOptions options;
  EXPECT_EQ(message(options), "");
  options.from = "limits";
  EXPECT_EQ(message(options), "");
  options.from = "limit";
  EXPECT_THAT(message(options), HasSubstr("--from limit: unknown stage"));
  EXPECT_THAT(message(options), HasSubstr("generate, mine, augment, mem"));
  options.from.reset();
  options.only = "report";
  EXPECT_EQ(message(options), "");
  options.force = true;
  EXPECT_THAT(message(options), HasSubstr("leave out --from and --force"));
  options = StudyRunOptions();
  options.jobs = 0;
  EXPECT_THAT(message(options), HasSubstr("--jobs 0"));
  options = StudyRunOptions();
  options.threads = 0;
  EXPECT_THAT(message(options), HasSubstr("--threads"));
}

// A graph of three stages, one not configured, written as a Snakefile: one
// rule per configured stage, paths inside the work folder relative to it,
// an input outside it kept absolute, an optional input nobody writes left
// out, and threads and memory from the workflow section.
TEST(SnakemakeWorkflow, OneRulePerConfiguredStageWithItsFiles) {
  PipelineConfig config;
  config.path = "/studies/toy.yaml";
  config.name = "toy";
  config.workflow.threads["fit"] = 7;
  config.workflow.mem_mb["fit"] = 1234;
  StudyFiles files;
  files.workdir = "/w";

  Stage make;
  make.name = "make";
  make.inputs = {"/data/events.lhe"};
  make.outputs = {"/w/make/events.h5"};
  Stage skipped;
  skipped.name = "mem";
  skipped.not_configured = "no mem section";
  Stage fit;
  fit.name = "fit";
  fit.inputs = {"/w/make/events.h5", "/w/train/optional_model"};
  fit.outputs = {"/w/fit/result.json"};
  Stage report;
  report.name = "report";
  report.inputs = {"/w/fit/result.json"};
  report.outputs = {"/w/results.json"};

  WorkflowOptions options;
  options.goldmine = "/opt/goldmine";
  options.default_threads = 2;
  const std::string text =
      SnakefileText(config, files, {make, skipped, fit}, report, options);

  EXPECT_THAT(text,
              HasSubstr("rule all:\n    input:\n        \"results.json\","));
  EXPECT_THAT(text,
              HasSubstr("rule make:\n    input:\n        "
                        "\"/data/events.lhe\",\n    output:\n        "
                        "\"make/events.h5\",\n        "
                        "\"make/stage.json\",\n    threads: 2\n"));
  EXPECT_THAT(text,
              HasSubstr("rule fit:\n    input:\n        "
                        "\"make/events.h5\",\n    output:\n"));
  EXPECT_THAT(text,
              HasSubstr("threads: 7\n    resources:\n        mem_mb=1234,"));
  EXPECT_THAT(text, Not(HasSubstr("optional_model")));
  EXPECT_THAT(text, Not(HasSubstr("rule mem:")));
  EXPECT_THAT(text, HasSubstr("mem (no mem section)"));
  EXPECT_THAT(text, HasSubstr("--stage fit --threads {threads}"));
  EXPECT_THAT(text, HasSubstr("rule report:"));
}

}  // namespace
}  // namespace goldmine
