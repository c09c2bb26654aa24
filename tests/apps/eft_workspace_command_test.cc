// goldmine eft-workspace: a binned EFT likelihood with nuisance parameters
// exported as pyhf documents, checked through the real binary.
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

std::vector<std::string> Arguments(const std::filesystem::path& events,
                                   const std::filesystem::path& output) {
  return {"eft-workspace",
          "--events",
          events.string(),
          "--observable",
          "pt",
          "--bins",
          "40,70,110,170",
          "--luminosity",
          "1000",
          "--lumi-uncertainty",
          "0.025",
          "--grid",
          "c1:-0.5:0.5:3,c2:-0.5:0.5:3",
          "--output-dir",
          output.string()};
}

class EftWorkspaceCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    events_ = testing::FindReference("madminer/toy_nuisance_events.h5");
    if (events_.empty()) GTEST_SKIP() << "MadMiner reference data absent";
    folder_ = testing::MakeScratchFolder("eft_workspace");
  }
  void TearDown() override {
    if (!folder_.empty()) std::filesystem::remove_all(folder_);
  }
  std::filesystem::path events_;
  std::filesystem::path folder_;
};

TEST_F(EftWorkspaceCommand, WritesPyhfDocumentsAndProfiledLimits) {
  const auto output = folder_ / "out";
  const auto result = testing::RunGoldmine(Arguments(events_, output));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["grid"].size(), 9u);
  EXPECT_EQ(json["grid"][1], nlohmann::json({-0.5, 0.0}));
  EXPECT_EQ(json["best_fit"], nlohmann::json({0.0, 0.0}));
  EXPECT_EQ(json["minus_two_delta_log_l"][4].get<double>(), 0.0);
  EXPECT_EQ(json["p_values"][4].get<double>(), 1.0);
  EXPECT_EQ(json["fits_not_converged"], 0);
  EXPECT_EQ(json["parameters"], nlohmann::json({"c1", "c2"}));
  for (int i = 0; i < 9; ++i) {
    if (i == 4) continue;
    EXPECT_GT(json["minus_two_delta_log_l"][i].get<double>(), 0.0);
  }
  for (const char* name :
       {"workspace.json", "patchset.json", "eft_workspace.json"}) {
    EXPECT_TRUE(std::filesystem::exists(output / name)) << name;
  }
  // Any grid point can be rerun from the exported files: the fit of the
  // patched workspace gives the profiled −2 ln L.
  for (int i : {0, 5}) {
    const auto fit = testing::RunGoldmine({"histfactory",
                                           "fit",
                                           (output / "workspace.json").string(),
                                           "--patchset",
                                           (output / "patchset.json").string(),
                                           "--patch-name",
                                           "point_" + std::to_string(i)});
    ASSERT_EQ(fit.exit_code, 0) << fit.err;
    EXPECT_NEAR(nlohmann::json::parse(fit.out)["twice_nll"].get<double>(),
                json["twice_nll"][i].get<double>(),
                1e-4)
        << "point " << i;
  }
}

TEST(EftWorkspaceCommandHelp, IsListedAndDocumentsItsOptions) {
  const auto help = testing::RunGoldmine({"eft-workspace", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--lumi-uncertainty"));
  EXPECT_THAT(testing::RunGoldmine({"--help"}).out, HasSubstr("eft-workspace"));
}

TEST_F(EftWorkspaceCommand, RefusesANonEmptyOutputFolderWithoutForce) {
  const auto output = folder_ / "out";
  std::filesystem::create_directories(output);
  std::ofstream(output / "old.txt") << "x";
  auto result = testing::RunGoldmine(Arguments(events_, output));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("is not empty; pass --force"));
  std::vector<std::string> arguments = Arguments(events_, output);
  arguments.push_back("--force");
  result = testing::RunGoldmine(arguments);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

// Issue 14 item 4: pyhf refused the PatchSet ("references": {}). It now
// names a HEPData record (--hepdata, default ins0000000 = none) and the
// workspace by sha256 and md5; `histfactory patchset verify` applies
// pyhf's schema and checks both digests.
TEST_F(EftWorkspaceCommand, PatchSetIsValidForPyhfWithHepDataReference) {
  const auto output = folder_ / "hepdata";
  auto arguments = Arguments(events_, output);
  arguments.insert(arguments.end(), {"--hepdata", "ins1234567"});
  const auto result = testing::RunGoldmine(arguments);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto patchset = nlohmann::json::parse(
      testing::ReadText((output / "patchset.json").string()));
  EXPECT_EQ(patchset["metadata"]["references"],
            nlohmann::json({{"hepdata", "ins1234567"}}));
  EXPECT_TRUE(patchset["metadata"]["digests"].contains("md5"));
  const auto verify =
      testing::RunGoldmine({"histfactory",
                            "patchset",
                            "verify",
                            (output / "workspace.json").string(),
                            (output / "patchset.json").string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;

  const auto bad_output = folder_ / "bad_hepdata";
  auto bad = Arguments(events_, bad_output);
  bad.insert(bad.end(), {"--hepdata", "wrongid12374"});
  const auto refused = testing::RunGoldmine(bad);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err,
              HasSubstr("--hepdata: expected a HEPData id insNNNNNNN"));
  EXPECT_FALSE(std::filesystem::exists(bad_output / "patchset.json"));
}

TEST_F(EftWorkspaceCommand, BadInputExitsTwoWithAOneLineMessage) {
  const auto output = folder_ / "bad";
  struct Case {
    std::string flag;
    std::string value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"--observable", "ptt", "observable ptt"},
      {"--grid", "c1:0.5:-0.5:3,c2:-0.5:0.5:3", "LO must be below HI"},
      {"--grid", "c2:-1:1:3,c1:-1:1:3", "axis 1 is \"c2\""},
      {"--grid", "c1:-1:1:3", "expected 2 axes"},
      {"--grid", "c1:-1:1:0,c2:-1:1:3", "N must be a positive integer"},
      {"--bins", "70,40", "edges must increase"},
      {"--luminosity", "-5", "luminosity must be > 0"},
      {"--events", "/nonexistent/file.h5", "/nonexistent/file.h5"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> arguments = Arguments(events_, output);
    for (std::size_t i = 0; i + 1 < arguments.size(); ++i) {
      if (arguments[i] == c.flag) arguments[i + 1] = c.value;
    }
    const auto result = testing::RunGoldmine(arguments);
    EXPECT_EQ(result.exit_code, 2) << c.flag << " " << c.value;
    EXPECT_THAT(result.err, HasSubstr(c.message)) << c.flag << " " << c.value;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
    EXPECT_FALSE(std::filesystem::exists(output / "workspace.json"));
  }
  auto missing = Arguments(events_, output);
  missing.resize(missing.size() - 2);  // no --output-dir
  EXPECT_EQ(testing::RunGoldmine(missing).exit_code, 2);
}

}  // namespace
}  // namespace goldmine
