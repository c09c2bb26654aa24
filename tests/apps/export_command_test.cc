// `goldmine export onnx` end to end (issue 18): a SALLY model trained on
// MadMiner's toy events, exported with the events file's definitions, the
// samples file's SHA-256 and user metadata, read back by ONNX's own Python
// package; bad input exits 2 with one line and leaves no output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <tuple>

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

// The largest |a − b| / max(|b|, 1e-300) over the numbers of two JSON
// arrays (nested to any depth).
double LargestRelativeDifference(const Json& a, const Json& b) {
  if (a.is_array()) {
    EXPECT_TRUE(b.is_array());
    EXPECT_EQ(a.size(), b.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
      worst = std::max(worst, LargestRelativeDifference(a[i], b[i]));
    return worst;
  }
  const double x = a.get<double>();
  const double y = b.get<double>();
  return std::abs(x - y) / std::max(std::abs(y), 1e-300);
}

// Re-importing the ONNX file reproduces what the LibTorch model gives
// (issue 18: fisher sally and limits --method sally/ml to 1e-6).
TEST_F(ExportOnnxCommand, FisherAndLimitsFromTheOnnxFileMatchTheModel) {
  const auto export_model = [&](const std::string& model,
                                const std::string& output) {
    const auto result =
        RunGoldmine({"export", "onnx", "--model", model, "--output", output});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  };
  export_model(model_, Path("sally.onnx"));
  const auto fisher = [&](const std::string& model) {
    const auto result = RunGoldmine({"fisher",
                                     "sally",
                                     "--events",
                                     events_,
                                     "--theta",
                                     "0,0",
                                     "--model",
                                     model});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return Json::parse(result.out);
  };
  const Json torch_fisher = fisher(model_);
  const Json onnx_fisher = fisher(Path("sally.onnx"));
  EXPECT_LE(LargestRelativeDifference(onnx_fisher.at("fisher_information"),
                                      torch_fisher.at("fisher_information")),
            1e-6);

  // An ALICES model for limits --method ml.
  const auto augment = RunGoldmine({"augment",
                                    "ratio",
                                    "--events",
                                    events_,
                                    "--output",
                                    Path("ratio.h5"),
                                    "--n-samples",
                                    "2000",
                                    "--seed",
                                    "3",
                                    "--theta0",
                                    "random:10:uniform",
                                    "--theta1",
                                    "benchmark:sm"});
  ASSERT_EQ(augment.exit_code, 0) << augment.err;
  const auto train = RunGoldmine({"train",
                                  "--method",
                                  "alices",
                                  "--samples",
                                  Path("ratio.h5"),
                                  "--output",
                                  Path("alices"),
                                  "--hidden",
                                  "16",
                                  "--epochs",
                                  "2",
                                  "--ensemble",
                                  "2"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  export_model(Path("alices"), Path("alices.onnx"));
  const auto limits = [&](const std::string& method, const std::string& model) {
    const auto result = RunGoldmine({"limits",
                                     "--events",
                                     events_,
                                     "--method",
                                     method,
                                     "--model",
                                     model,
                                     "--grid",
                                     "c1:-1:1:5,c2:-1:1:5",
                                     "--luminosity",
                                     "10000"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return Json::parse(result.out);
  };
  for (const auto& [method, torch_model, onnx_model] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"sally", model_, Path("sally.onnx")},
           {"ml", Path("alices"), Path("alices.onnx")}}) {
    const Json torch_limits = limits(method, torch_model);
    const Json onnx_limits = limits(method, onnx_model);
    // −2Δlog L is 0 at the best fit: relative to the largest value.
    const auto& q_torch = torch_limits.at("minus_two_delta_log_l");
    const auto& q_onnx = onnx_limits.at("minus_two_delta_log_l");
    double largest = 0.0, worst = 0.0;
    for (std::size_t i = 0; i < q_torch.size(); ++i) {
      largest = std::max(largest, std::abs(q_torch[i].get<double>()));
      worst = std::max(
          worst, std::abs(q_torch[i].get<double>() - q_onnx[i].get<double>()));
    }
    EXPECT_GT(largest, 0.0) << method;
    EXPECT_LE(worst, 1e-6 * largest) << method;
    EXPECT_EQ(onnx_limits.at("best_fit"), torch_limits.at("best_fit"))
        << method;
  }

  // evaluate accepts the file and writes the same datasets; their values
  // come from the functions that onnx_export_test.cc compares to 1e-5.
  const auto evaluate = [&](const std::string& model,
                            const std::string& output) {
    const auto result = RunGoldmine({"evaluate",
                                     "--model",
                                     model,
                                     "--samples",
                                     Path("ratio.h5"),
                                     "--output",
                                     output});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return Json::parse(result.out);
  };
  EXPECT_EQ(evaluate(Path("alices"), Path("e_torch.h5")).at("datasets"),
            evaluate(Path("alices.onnx"), Path("e_onnx.h5")).at("datasets"));
}

TEST_F(ExportOnnxCommand, BadOnnxModelsExitTwoNamingTheFile) {
  std::ofstream(Path("garbage.onnx")) << "not an onnx file";
  const auto garbage = RunGoldmine({"fisher",
                                    "sally",
                                    "--events",
                                    events_,
                                    "--theta",
                                    "0,0",
                                    "--model",
                                    Path("garbage.onnx")});
  EXPECT_EQ(garbage.exit_code, 2) << garbage.err;
  EXPECT_THAT(garbage.err, HasSubstr("garbage.onnx"));
  const auto exported = RunGoldmine(
      {"export", "onnx", "--model", model_, "--output", Path("sally.onnx")});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto wrong_kind = RunGoldmine({"limits",
                                       "--events",
                                       events_,
                                       "--method",
                                       "ml",
                                       "--model",
                                       Path("sally.onnx"),
                                       "--grid",
                                       "c1:-1:1:3,c2:-1:1:3",
                                       "--luminosity",
                                       "100"});
  EXPECT_EQ(wrong_kind.exit_code, 2) << wrong_kind.err;
  EXPECT_THAT(wrong_kind.err, HasSubstr("expected a likelihood-ratio model"));
}

// Files of another format version or with missing metadata (rewritten with
// python3-onnx) are refused with exit 2 naming the file and the key.
TEST_F(ExportOnnxCommand, OtherVersionsAndMissingMetadataExitTwo) {
  if (std::system("/usr/bin/python3 -c 'import onnx' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3-onnx absent (scripts/setup.sh installs it)";
  }
  const auto exported = RunGoldmine(
      {"export", "onnx", "--model", model_, "--output", Path("sally.onnx")});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto edit = [&](const std::string& output, const std::string& change) {
    const std::string command =
        "/usr/bin/python3 " +
        testing::ShellQuoted(
            (testing::SourceDir() / "tests/onnx/edit_metadata.py").string()) +
        " " + testing::ShellQuoted(Path("sally.onnx")) + " " +
        testing::ShellQuoted(Path(output)) + " " + testing::ShellQuoted(change);
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  };
  edit("v2.onnx", "goldmine.format_version=2");
  edit("no_observables.onnx", "-goldmine.observables");
  edit("foreign.onnx", "-goldmine.format");
  edit("bad_names.onnx", "goldmine.parameters={\"c1\": 1}");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"v2.onnx", "format version 2"},
      {"no_observables.onnx", "no metadata goldmine.observables"},
      {"foreign.onnx", "not a goldmine ONNX file"},
      {"bad_names.onnx", "goldmine.parameters is not a JSON list"},
  };
  for (const auto& [file, message] : cases) {
    const auto result = RunGoldmine({"fisher",
                                     "sally",
                                     "--events",
                                     events_,
                                     "--theta",
                                     "0,0",
                                     "--model",
                                     Path(file)});
    EXPECT_EQ(result.exit_code, 2) << file << ": " << result.err;
    EXPECT_THAT(result.err, HasSubstr(file));
    EXPECT_THAT(result.err, HasSubstr(message));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
  }
}

}  // namespace
}  // namespace goldmine
