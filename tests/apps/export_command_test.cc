// `goldmine export onnx` end to end (issue 18): a SALLY model trained on
// MadMiner's toy events, exported with the events file's definitions, the
// samples file's SHA-256 and user metadata, read back by ONNX's own Python
// package; bad input exits 2 with one line and leaves no output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"
#include "support/small_sally.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;
using testing::RunGoldmine;

class ExportOnnxCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    events_ = testing::FindReference("madminer/toy_events.h5").string();
    if (events_.empty()) GTEST_SKIP() << "MadMiner reference data absent";
    folder_ = testing::MakeScratchFolder("export_onnx");
    model_ = testing::TrainSmallSally(events_, folder_, "sally");
  }
  void TearDown() override {
    if (!folder_.empty()) std::filesystem::remove_all(folder_);
  }
  std::string Path(const std::string& name) const {
    return (folder_ / name).string();
  }
  // The first word `command` prints (sha256sum's digest).
  static std::string FirstWord(const std::string& command,
                               const std::string& out) {
    EXPECT_EQ(std::system((command + " >" + out).c_str()), 0) << command;
    const std::string text = testing::ReadText(out);
    return text.substr(0, text.find(' '));
  }
  std::string events_;
  std::filesystem::path folder_;
  std::string model_;
};

TEST_F(ExportOnnxCommand, WritesTheModelWithProvenanceMetadata) {
  const std::string output = Path("sally.onnx");
  const auto result = RunGoldmine({"export",
                                   "onnx",
                                   "--model",
                                   model_,
                                   "--output",
                                   output,
                                   "--events",
                                   events_,
                                   "--samples",
                                   Path("local.h5"),
                                   "--metadata",
                                   "lambda_gev=1000"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json summary = Json::parse(result.out);
  EXPECT_EQ(summary.at("method"), "sally");
  EXPECT_EQ(summary.at("inputs"), Json::array({"x"}));
  EXPECT_EQ(summary.at("outputs"), Json::array({"t_hat", "t_hat_std"}));
  ASSERT_TRUE(std::filesystem::exists(output));
  EXPECT_EQ(summary.at("bytes").get<std::uintmax_t>(),
            std::filesystem::file_size(output));

  if (std::system("/usr/bin/python3 -c 'import onnx' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3-onnx absent (scripts/setup.sh installs it): "
                    "metadata not read back outside goldmine";
  }
  const std::string inspect =
      "/usr/bin/python3 " +
      testing::ShellQuoted(
          (testing::SourceDir() / "tests/onnx/inspect_model.py").string()) +
      " " + testing::ShellQuoted(output) + " >" +
      testing::ShellQuoted(Path("inspect.json"));
  ASSERT_EQ(std::system(inspect.c_str()), 0);
  const Json metadata =
      Json::parse(testing::ReadText(Path("inspect.json"))).at("metadata");
  const Json observables =
      Json::parse(metadata.at("goldmine.observables").get<std::string>());
  const Json definitions = Json::parse(
      metadata.at("goldmine.observable_definitions").get<std::string>());
  ASSERT_EQ(definitions.size(), observables.size());
  for (const Json& name : observables)
    EXPECT_TRUE(definitions.contains(name.get<std::string>())) << name;
  const Json parameters = Json::parse(
      metadata.at("goldmine.parameter_definitions").get<std::string>());
  ASSERT_EQ(parameters.size(), 2u);
  EXPECT_EQ(parameters[0].at("range").size(), 2u);
  EXPECT_TRUE(metadata.contains("goldmine.morphing"));
  EXPECT_EQ(metadata.at("goldmine.user.lambda_gev"), "1000");
  // The digests against coreutils' sha256sum.
  const Json samples =
      Json::parse(metadata.at("goldmine.samples_file").get<std::string>());
  EXPECT_EQ(samples.at("sha256"),
            FirstWord("sha256sum " + testing::ShellQuoted(Path("local.h5")),
                      Path("samples.sha")));
  const Json events =
      Json::parse(metadata.at("goldmine.events_file").get<std::string>());
  EXPECT_EQ(events.at("sha256"),
            FirstWord("sha256sum " + testing::ShellQuoted(events_),
                      Path("events.sha")));
}

TEST_F(ExportOnnxCommand, BadInputExitsTwoWithOneLineAndNoOutput) {
  const std::string output = Path("bad.onnx");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"export", "tflite", "--model", model_, "--output", output},
       "format \"tflite\" unknown"},
      {{"export", "onnx", "--model", Path("absent"), "--output", output},
       "absent.json"},
      {{"export", "onnx", "--model", events_, "--output", output},
       "toy_events.h5"},
      {{"export",
        "onnx",
        "--model",
        model_,
        "--output",
        output,
        "--metadata",
        "no_equals_sign"},
       "KEY=VALUE"},
      {{"export", "onnx", "--model", model_, "--output", model_ + ".json"},
       "sally.json"},
  };
  for (const auto& [arguments, message] : cases) {
    const auto result = RunGoldmine(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments[1] << ": " << result.err;
    EXPECT_THAT(result.err, HasSubstr(message));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
    EXPECT_FALSE(std::filesystem::exists(output)) << result.err;
  }
  EXPECT_TRUE(std::filesystem::exists(model_ + ".json"));
}

}  // namespace
}  // namespace goldmine
