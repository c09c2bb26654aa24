// Issue 15 on the real binary: an output never overwrites an input of the
// same command; duplicate keys in YAML and JSON are errors; NaN weights and
// invalid UTF-8 in events files are refused (exit 2 naming the file and the
// place) instead of printing null; library messages name the file, not the
// source line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/mining/sample_file.h"
#include "support/dead_process.h"
#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

// A one-bin pyhf workspace (signal strength mu on 5 over 50 events).
constexpr const char* kWorkspace = R"({
  "channels": [{"name": "ch", "samples": [
    {"name": "signal", "data": [5.0],
     "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
    {"name": "background", "data": [50.0], "modifiers": []}]}],
  "observations": [{"name": "ch", "data": [55.0]}],
  "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
  "version": "1.0.0"
})";

// A `goldmine setup` configuration with one parameter and the SM benchmark.
constexpr const char* kOneOperator =
    "parameters:\n"
    "  cHW: {lha_block: smeft, lha_id: 7, max_power: 2, range: [-1, 1]}\n"
    "benchmarks:\n"
    "  sm: {}\n";

class InputHardeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("input_hardening");
  }
  void TearDown() override { fs::remove_all(folder_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(folder_ / name, std::ios::binary) << text;
    return (folder_ / name).string();
  }
  // A copy of the toy events file in the scratch folder ("" when the
  // reference data is absent).
  std::string CopyEvents(const std::string& name = "ev.h5") {
    const fs::path events = testing::FindReference("madminer/toy_events.h5");
    if (events.empty()) return "";
    fs::copy_file(events, folder_ / name);
    return (folder_ / name).string();
  }

  testing::CommandResult RunSetup(const std::string& config) {
    return testing::RunGoldmine(
        {"setup", config, "--output", (folder_ / "setup.h5").string()});
  }

  // Runs `arguments`; the command must refuse with exit 2 and leave `input`
  // byte for byte as it was.
  void ExpectRefusedAndUntouched(const std::vector<std::string>& arguments,
                                 const std::string& input) {
    const std::string before = testing::ReadText(input);
    const testing::CommandResult result = testing::RunGoldmine(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments[0] << ": " << result.err;
    EXPECT_THAT(result.err, HasSubstr("is also an input")) << arguments[0];
    EXPECT_THAT(result.err, HasSubstr(input)) << arguments[0];
    EXPECT_EQ(testing::ReadText(input), before) << arguments[0];
  }

  fs::path folder_;
};

// ------------------------------------------------ outputs are not inputs

TEST_F(InputHardeningTest, EventCommandsRefuseTheirEventsFileAsOutput) {
  const std::string events = CopyEvents();
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  ExpectRefusedAndUntouched({"augment",
                             "local",
                             "--events",
                             events,
                             "--output",
                             events,
                             "--n-samples",
                             "10",
                             "--seed",
                             "1",
                             "--theta",
                             "benchmark:sm"},
                            events);
  ExpectRefusedAndUntouched({"fisher",
                             "truth",
                             "--events",
                             events,
                             "--theta",
                             "0,0",
                             "--output",
                             events},
                            events);
  ExpectRefusedAndUntouched(
      {"xsec", "--events", events, "--theta", "0,0", "--output", events},
      events);
  const std::vector<std::string> limits = {"limits",
                                           "--events",
                                           events,
                                           "--method",
                                           "rate",
                                           "--grid",
                                           "c1:-1:1:3,c2:-1:1:3"};
  std::vector<std::string> to_output = limits;
  to_output.insert(to_output.end(), {"--output", events});
  ExpectRefusedAndUntouched(to_output, events);
  std::vector<std::string> to_csv = limits;
  to_csv.insert(to_csv.end(), {"--csv", events});
  ExpectRefusedAndUntouched(to_csv, events);
  // The observed events file, reached under another name.
  const std::string observed = CopyEvents("observed.h5");
  std::vector<std::string> to_observed = limits;
  to_observed.insert(to_observed.end(),
                     {"--observed",
                      observed,
                      "--output",
                      (folder_ / "." / "observed.h5").string()});
  ExpectRefusedAndUntouched(to_observed, observed);
  ExpectRefusedAndUntouched({"eft-workspace",
                             "--events",
                             events,
                             "--observable",
                             "x",
                             "--bins",
                             "0,1",
                             "--luminosity",
                             "1",
                             "--grid",
                             "c1:-1:1:3",
                             "--output-dir",
                             (folder_ / "eft").string(),
                             "--output",
                             events},
                            events);
}

TEST_F(InputHardeningTest, HistFactoryRefusesItsDocumentAsOutput) {
  const std::string workspace = Write("ws.json", kWorkspace);
  for (const char* subcommand : {"fit", "cls", "upper-limit", "sort"}) {
    ExpectRefusedAndUntouched(
        {"histfactory", subcommand, workspace, "--output", workspace},
        workspace);
  }
  const std::string other = Write("other.json", kWorkspace);
  ExpectRefusedAndUntouched({"histfactory",
                             "combine",
                             workspace,
                             other,
                             "--join",
                             "outer",
                             "--output",
                             other},
                            other);
  const std::string patch = Write(
      "patch.json", R"([{"op": "replace", "path": "/channels/0/samples/1/data",
                         "value": [40.0]}])");
  ExpectRefusedAndUntouched(
      {"histfactory", "fit", workspace, "--patch", patch, "--output", patch},
      patch);
  // A new file is still fine.
  const auto fine = testing::RunGoldmine({"histfactory",
                                          "sort",
                                          workspace,
                                          "--output",
                                          (folder_ / "sorted.json").string()});
  EXPECT_EQ(fine.exit_code, 0) << fine.err;
}

TEST_F(InputHardeningTest, TorchCommandsRefuseTheirInputsAsOutput) {
  if (!fs::exists(fs::path(GOLDMINE_CLI).parent_path() / "goldmine-torch"))
    GTEST_SKIP() << "built without LibTorch";
  // The guard comes before any file is read, so placeholders do.
  const std::string samples = Write("s.h5", "samples");
  const std::string model = Write("m.json", "{}");
  ExpectRefusedAndUntouched({"evaluate",
                             "--model",
                             (folder_ / "m").string(),
                             "--samples",
                             samples,
                             "--output",
                             samples},
                            samples);
  ExpectRefusedAndUntouched({"evaluate",
                             "--model",
                             (folder_ / "m").string(),
                             "--samples",
                             samples,
                             "--output",
                             model},
                            model);
  // train --output DIR/NAME writes DIR/NAME.json and DIR/NAME.pt.
  ExpectRefusedAndUntouched({"train",
                             "--method",
                             "sally",
                             "--samples",
                             model,
                             "--output",
                             (folder_ / "m").string()},
                            model);
}

// ------------------------------------------------ duplicate keys

TEST_F(InputHardeningTest, ModelFileWithARepeatedKeyIsRefused) {
  if (!fs::exists(fs::path(GOLDMINE_CLI).parent_path() / "goldmine-torch"))
    GTEST_SKIP() << "built without LibTorch";
  const std::string model =
      Write("m.json", R"({"format": "a", "format": "b"})");
  const std::string samples = Write("s.h5", "samples");
  const auto result = testing::RunGoldmine({"evaluate",
                                            "--model",
                                            (folder_ / "m").string(),
                                            "--samples",
                                            samples,
                                            "--output",
                                            (folder_ / "e.h5").string()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr(model + ": duplicate key \"format\""));
}

TEST_F(InputHardeningTest, RepeatedYamlKeyIsAnErrorWithItsLine) {
  const std::string config = Write("config.yaml",
                                   std::string(kOneOperator) +
                                       "  w1: {cHW: 0.5}\n"
                                       "benchmarks:\n"
                                       "  w2: {cHW: -0.5}\n");
  const auto result = RunSetup(config);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr(config + ", line 6: duplicate key \"benchmarks\" "
                                 "(first on line 3)"));
  EXPECT_FALSE(fs::exists(folder_ / "setup.h5"));
}

TEST_F(InputHardeningTest, RepeatedNestedYamlKeyIsAnError) {
  const std::string config = Write("config.yaml",
                                   "parameters:\n"
                                   "  cHW: {lha_block: smeft, lha_id: 7, "
                                   "max_power: 2, lha_id: 8, range: [-1, 1]}\n"
                                   "benchmarks:\n"
                                   "  sm: {}\n");
  const auto result = RunSetup(config);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr(config + ", line 2: duplicate key "
                                 "\"lha_id\""));
}

TEST_F(InputHardeningTest, RepeatedBenchmarkInAGeneratorFileIsAnError) {
  // goldmine generate reads its benchmarks file in generators/, not through
  // apps' YamlNode; a second "hw" used to replace the first silently.
  const std::string benchmarks = Write("b.yaml",
                                       "benchmarks:\n"
                                       "  sm: {}\n"
                                       "  hw: {cHW: 0.5}\n"
                                       "  hw: {cHW: -0.5}\n");
  const auto result = testing::RunGoldmine({"generate",
                                            "wh",
                                            "--events",
                                            "10",
                                            "--seed",
                                            "4",
                                            "--output",
                                            (folder_ / "wh.hepmc3").string(),
                                            "--benchmarks",
                                            benchmarks,
                                            "--operators",
                                            "cHW,cHq3"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr(benchmarks + ", line 4: duplicate key \"hw\" (first "
                                     "on line 3)"));
}

TEST_F(InputHardeningTest, FolderGivenAsYamlConfigIsRefused) {
  fs::create_directory(folder_ / "config.yaml");
  const std::string config = (folder_ / "config.yaml").string();
  const auto result = RunSetup(config);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr(config + ": is a folder"));
}

TEST_F(InputHardeningTest, WorkspaceWithARepeatedKeyIsRefused) {
  std::string text = kWorkspace;
  // A second "data" for the background: nlohmann would keep the last.
  const std::string from = R"("data": [50.0],)";
  text.replace(text.find(from), from.size(), from + R"( "data": [500.0],)");
  const std::string workspace = Write("dup.json", text);
  const auto result = testing::RunGoldmine({"histfactory", "fit", workspace});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr(workspace + ": channels[0].samples[1]: "
                                    "duplicate key \"data\""));
  EXPECT_EQ(result.out, "");
}

TEST_F(InputHardeningTest, DeeplyNestedWorkspaceIsRefusedNotACrash) {
  const std::size_t depth = 100000;
  const std::string workspace =
      Write("deep.json", std::string(depth, '[') + std::string(depth, ']'));
  const auto result = testing::RunGoldmine({"histfactory", "fit", workspace});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("nested deeper than 512 levels"));
  const auto inspect =
      testing::RunGoldmine({"histfactory", "inspect", workspace});
  EXPECT_EQ(inspect.exit_code, 2) << inspect.err;
}

// ------------------------------------------------ events files

// Writes `value` into samples/weights[row, column] of an events file.
void SetWeight(const std::string& path,
               hsize_t row,
               hsize_t column,
               double value) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t dataset = H5Dopen2(file, "samples/weights", H5P_DEFAULT);
  const hid_t space = H5Dget_space(dataset);
  const hsize_t start[2] = {row, column};
  const hsize_t count[2] = {1, 1};
  H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
  const hid_t memory = H5Screate_simple(2, count, nullptr);
  EXPECT_GE(
      H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT, &value),
      0);
  H5Sclose(memory);
  H5Sclose(space);
  H5Dclose(dataset);
  H5Fclose(file);
}

// Overwrites element `index` of a fixed-length string dataset with `bytes`.
void SetString(const std::string& path,
               const char* name,
               hsize_t index,
               const std::string& bytes) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t dataset = H5Dopen2(file, name, H5P_DEFAULT);
  const hid_t type = H5Dget_type(dataset);
  ASSERT_EQ(H5Tis_variable_str(type), 0) << name;
  std::vector<char> element(H5Tget_size(type), '\0');
  std::copy(bytes.begin(), bytes.end(), element.begin());
  const hid_t space = H5Dget_space(dataset);
  const hsize_t start[1] = {index};
  const hsize_t count[1] = {1};
  H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
  const hid_t memory = H5Screate_simple(1, count, nullptr);
  EXPECT_GE(H5Dwrite(dataset, type, memory, space, H5P_DEFAULT, element.data()),
            0);
  H5Sclose(memory);
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(dataset);
  H5Fclose(file);
}

TEST_F(InputHardeningTest, NonFiniteWeightIsRefusedWithItsEvent) {
  const std::string events = CopyEvents();
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  SetWeight(events, 17, 1, std::numeric_limits<double>::quiet_NaN());
  const std::vector<std::vector<std::string>> commands = {
      {"xsec", "--events", events, "--theta", "0,0"},
      {"fisher", "truth", "--events", events, "--theta", "0,0"},
      {"augment",
       "local",
       "--events",
       events,
       "--output",
       (folder_ / "s.h5").string(),
       "--n-samples",
       "10",
       "--seed",
       "1",
       "--theta",
       "benchmark:sm"}};
  for (const auto& arguments : commands) {
    const auto result = testing::RunGoldmine(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments[0] << ": " << result.err;
    EXPECT_THAT(result.err,
                HasSubstr(events + ": samples/weights: event 17, benchmark "))
        << arguments[0];
    EXPECT_THAT(result.err, HasSubstr("weight nan")) << arguments[0];
    EXPECT_THAT(result.out, Not(HasSubstr("null"))) << arguments[0];
  }
  SetWeight(events, 17, 1, std::numeric_limits<double>::infinity());
  const auto inf = testing::RunGoldmine(commands[0]);
  EXPECT_EQ(inf.exit_code, 2) << inf.err;
  EXPECT_THAT(inf.err, HasSubstr("weight inf"));
}

TEST_F(InputHardeningTest, InvalidUtf8NameInEventsFileIsRefused) {
  const std::string events = CopyEvents();
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  SetString(events, "benchmarks/names", 0, "s\xffm");
  const auto result =
      testing::RunGoldmine({"xsec", "--events", events, "--theta", "0,0"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr(events + ": benchmarks/names: string 0 is not valid "
                                 "UTF-8 (byte 1)"));
}

TEST_F(InputHardeningTest, OverflowingThetaGivesNoNullCrossSection) {
  const std::string events = CopyEvents();
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  // Morphing weights grow as θ²: 1e200 overflows a double.
  const auto result = testing::RunGoldmine(
      {"xsec", "--events", events, "--theta", "1e200,1e200"});
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_THAT(result.err,
              HasSubstr("--events " + events +
                        ": the result is not finite at xsec[0]"));
  EXPECT_THAT(result.out, Not(HasSubstr("null")));
}

// Replaces the variable-length string attribute `name` of a file's root by
// one string of `bytes`.
void SetStringAttribute(const std::string& path,
                        const char* name,
                        const std::string& bytes) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  ASSERT_GE(H5Adelete(file, name), 0) << name;
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  const hsize_t count = 1;
  const hid_t space = H5Screate_simple(1, &count, nullptr);
  const hid_t attribute =
      H5Acreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  const char* pointer = bytes.c_str();
  EXPECT_GE(H5Awrite(attribute, type, &pointer), 0);
  H5Aclose(attribute);
  H5Sclose(space);
  H5Tclose(type);
  H5Fclose(file);
}

TEST_F(InputHardeningTest, InvalidUtf8NameInSamplesFileIsRefused) {
  const std::string events = CopyEvents();
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const std::string samples = (folder_ / "s.h5").string();
  const auto augment = testing::RunGoldmine({"augment",
                                             "local",
                                             "--events",
                                             events,
                                             "--output",
                                             samples,
                                             "--n-samples",
                                             "10",
                                             "--seed",
                                             "1",
                                             "--theta",
                                             "benchmark:sm"});
  ASSERT_EQ(augment.exit_code, 0) << augment.err;
  SetStringAttribute(samples, "observables", "pt\xc3(");
  // train and evaluate read samples files through ReadSamples.
  EXPECT_THAT(
      [&] { mining::ReadSamples(samples); },
      ::testing::ThrowsMessage<FileFormatError>(HasSubstr(
          samples + ": attribute observables: string 0 is not valid UTF-8 "
                    "(byte 2)")));
}

// ------------------------------------------------ scratch files

TEST_F(InputHardeningTest, ScratchFilesOfKilledRunsGoAtTheNextRun) {
  const std::string events = CopyEvents();
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const std::string dead = std::to_string(testing::DeadPid());
  // This test process is alive while goldmine runs.
  const std::string live = std::to_string(static_cast<long>(::getpid()));
  const std::vector<std::string> stale = {"s.h5.tmp-" + dead + "-0",
                                          "ev.h5.tmp-" + dead + "-2.rows",
                                          "ev.h5.stage-" + dead + "-0.h5"};
  const std::vector<std::string> kept = {"s.h5.tmp-" + live + "-0",
                                         "ev.h5.stage-" + live + "-1.h5"};
  for (const auto& name : stale) Write(name, "scratch");
  for (const auto& name : kept) Write(name, "scratch");
  const auto result = testing::RunGoldmine({"xsec",
                                            "--events",
                                            events,
                                            "--theta",
                                            "0,0",
                                            "--output",
                                            (folder_ / "xsec.json").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const auto& name : stale)
    EXPECT_FALSE(fs::exists(folder_ / name)) << name;
  for (const auto& name : kept) EXPECT_TRUE(fs::exists(folder_ / name)) << name;
}

// ------------------------------------------------ messages name the file

TEST_F(InputHardeningTest, NegativeMaxOverallPowerNamesFileAndKey) {
  const std::string config =
      Write("config.yaml",
            std::string(kOneOperator) + "morphing: {max_overall_power: -1}\n");
  const auto result = RunSetup(config);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr(config + ", line 5: "));
  EXPECT_THAT(result.err, HasSubstr("max_overall_power"));
  EXPECT_THAT(result.err, Not(HasSubstr(".cc:")));
}

}  // namespace
}  // namespace goldmine
