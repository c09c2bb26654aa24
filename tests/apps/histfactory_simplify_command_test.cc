// `goldmine histfactory simplify` end to end (issue 18): the file it writes
// is accepted by cls and upper-limit, and bad input exits 2 with one line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using testing::RunGoldmine;

TEST(HistFactorySimplify, WritesAFileThatClsAndUpperLimitAccept) {
  const auto workspace = testing::FindReference(
      "histfactory/workspaces/atlastut_sbottom_1200_1150_60.json");
  if (workspace.empty()) GTEST_SKIP() << "HistFactory reference data absent";
  const auto folder = testing::MakeScratchFolder("hf_simplify");
  const std::string output = (folder / "sl.json").string();
  const auto simplify = RunGoldmine(
      {"histfactory", "simplify", workspace.string(), "--output", output});
  ASSERT_EQ(simplify.exit_code, 0) << simplify.err;
  const auto sl = nlohmann::json::parse(testing::ReadText(output));
  EXPECT_EQ(sl.at("format"), "goldmine-simplified-likelihood");
  EXPECT_EQ(sl.at("source"), "postfit");
  const std::size_t bins = sl.at("observed").size();
  EXPECT_EQ(sl.at("covariance").size(), bins);
  EXPECT_EQ(sl.at("background").size(), bins);

  const auto cls = RunGoldmine({"histfactory", "cls", output});
  ASSERT_EQ(cls.exit_code, 0) << cls.err;
  const double cls_obs = nlohmann::json::parse(cls.out).at("CLs_obs");
  EXPECT_GT(cls_obs, 0.0);
  EXPECT_LT(cls_obs, 0.05);  // μ = 1 lies above the limit (≈ 0.69)
  const auto limit = RunGoldmine({"histfactory", "upper-limit", output});
  ASSERT_EQ(limit.exit_code, 0) << limit.err;
  EXPECT_NEAR(
      nlohmann::json::parse(limit.out).at("obs").get<double>(), 0.686, 0.01);
  std::filesystem::remove_all(folder);
}

TEST(HistFactorySimplify, BadInputExitsTwoWithOneLine) {
  const auto poiless =
      testing::FindReference("histfactory/workspaces/test_poiless.json");
  if (poiless.empty()) GTEST_SKIP() << "HistFactory reference data absent";
  const auto folder = testing::MakeScratchFolder("hf_simplify_bad");
  const auto no_poi =
      RunGoldmine({"histfactory", "simplify", poiless.string()});
  EXPECT_EQ(no_poi.exit_code, 2) << no_poi.err;
  EXPECT_EQ(std::count(no_poi.err.begin(), no_poi.err.end(), '\n'), 1)
      << no_poi.err;
  // A simplified likelihood with a vector of the wrong length.
  const std::string broken = (folder / "broken.json").string();
  std::ofstream(broken) << R"({"format": "goldmine-simplified-likelihood",
    "format_version": 1, "poi": {"name": "mu", "bounds": [0, 10]},
    "channels": [{"name": "sr", "bins": 2}], "observed": [1, 2],
    "background": [1], "signal": [1, 1], "covariance": [[1, 0], [0, 1]]})";
  const auto wrong = RunGoldmine({"histfactory", "cls", broken});
  EXPECT_EQ(wrong.exit_code, 2) << wrong.err;
  EXPECT_THAT(wrong.err, HasSubstr("broken.json"));
  EXPECT_THAT(wrong.err, HasSubstr("\"background\" must be a list of 2"));
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace goldmine
