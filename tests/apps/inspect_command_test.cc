// `goldmine inspect` on the real binary and the real generator files: every
// key of DESIGN.md §5.3 against an independent scan of the file's text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/event_file_scan.h"
#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

struct InspectCase {
  std::string file;
  std::string format;
};

class InspectCommandTest : public ::testing::TestWithParam<InspectCase> {};

TEST_P(InspectCommandTest, PrintsWhatAnIndependentScanFinds) {
  const fs::path path =
      testing::SharedDir() / "data" / "events" / GetParam().file;
  if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
  const auto result = testing::RunGoldmine({"inspect", path.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json summary = nlohmann::json::parse(result.out);
  const testing::Expected expected =
      GetParam().format == "lhe"      ? testing::ScanLhe(path.string())
      : GetParam().format == "hepmc2" ? testing::ScanHepMC2(path.string())
                                      : testing::ScanHepMC3(path.string());
  EXPECT_EQ(summary.at("format"), GetParam().format);
  EXPECT_EQ(summary.at("n_events"), expected.num_events);
  EXPECT_EQ(summary.at("weight_names").get<std::vector<std::string>>(),
            expected.names);
  for (const std::string& name : expected.names) {
    const double sum = expected.sums.at(name);
    EXPECT_NEAR(summary.at("weight_sums").at(name).get<double>(),
                sum,
                1e-12 * std::abs(sum))
        << name;
    const auto negatives = expected.negatives.find(name);
    EXPECT_EQ(summary.at("negative_weights").at(name),
              negatives == expected.negatives.end() ? 0 : negatives->second)
        << name;
  }
  EXPECT_TRUE(summary.at("reweight").is_object());
}

INSTANTIATE_TEST_SUITE_P(
    SharedData,
    InspectCommandTest,
    ::testing::Values(
        InspectCase{"mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz", "lhe"},
        InspectCase{"mg5-3.5.8_pp_jj_scale-pdf145.lhe.gz", "lhe"},
        InspectCase{"powheg-box-v2_hvq_weights45.lhe", "lhe"},
        InspectCase{"sherpa_hepmc2_weights146.hepmc", "hepmc2"},
        InspectCase{"pythia8_ee-Z-tautau_hepmc3-3.01.01.hepmc3", "hepmc3"}),
    [](const ::testing::TestParamInfo<InspectCase>& param_info) {
      std::string name = param_info.param.file;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(InspectCommand, ReportsTheMadGraphReweightingsAndTheNoOps) {
  const fs::path path = testing::SharedDir() /
                        "data/events/mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz";
  if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
  const auto result = testing::RunGoldmine({"inspect", path.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json summary = nlohmann::json::parse(result.out);
  EXPECT_EQ(summary.at("reweight").size(), 37u);
  EXPECT_EQ(summary.at("reweight").at("cHDD_0p1"),
            nlohmann::json({{"smeft 5", 0.1}}));
  EXPECT_EQ(summary.at("reweight").at("cuW_0p1"), nlohmann::json::object());
  EXPECT_EQ(summary.at("noop_reweights").size(), 14u);
}

TEST(InspectCommand, BrokenFileExitsTwoNamingIt) {
  const auto folder = testing::MakeScratchFolder("inspect_command");
  const std::string path = (folder / "x.lhe").string();
  std::ofstream(path)
      << "<LesHouchesEvents version=\"3.0\">\n<init>\n2212 2212 1 1 0 0 0 0 3 "
         "1\n1 0 1 1\n</init>\n"
         "<event>\n 1 1 nan 1 1 1\n 11 1 0 0 0 0 1 2 3 4 0 0 9\n</event>\n";
  const auto result = testing::RunGoldmine({"inspect", path});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(
      result.err,
      HasSubstr("x.lhe, line 9: event 1 (line 6): weight \"nominal\" is nan"));
  fs::remove_all(folder);
}

}  // namespace
}  // namespace goldmine
