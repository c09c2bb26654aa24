// `goldmine fisher` reports Monte Carlo uncertainties and warnings (issue 17
// item 6): the keys carry the library's numbers (tested against bootstrap
// spreads in tests/mining/fisher_uncertainty_test.cc), the warnings go to
// stderr and into the JSON.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "goldmine/mining/fisher_information.h"
#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

class FisherUncertaintyCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    events_ = testing::FindReference("madminer/toy_events.h5");
    if (events_.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  }
  std::filesystem::path events_;
};

TEST_F(FisherUncertaintyCommand, EveryModeReportsTheUncertaintyOfEachElement) {
  mining::FisherOptions options;
  options.include_nuisance_parameters = false;
  const mining::FisherInformation fisher(events_, options);
  const Eigen::Vector2d theta(0.5, -0.3);
  mining::HistogramBinning binning;
  binning.edges = {30.0, 60.0, 100.0};
  const std::vector<std::pair<std::vector<std::string>, mining::FisherResult>>
      cases = {
          {{"truth"}, fisher.Truth(theta)},
          {{"rate"}, fisher.Rate(theta)},
          {{"histogram", "--observable", "pt", "--bins", "30,60,100"},
           fisher.Histogram(theta, "pt", binning)},
      };
  for (const auto& [mode, expected] : cases) {
    std::vector<std::string> arguments = {"fisher"};
    arguments.insert(arguments.end(), mode.begin(), mode.end());
    for (const std::string& a : {std::string("--events"),
                                 events_.string(),
                                 std::string("--theta"),
                                 std::string("0.5,-0.3"),
                                 std::string("--no-nuisance")}) {
      arguments.push_back(a);
    }
    const auto run = testing::RunGoldmine(arguments);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto json = nlohmann::json::parse(run.out);
    const auto& uncertainty = json.at("fisher_information_uncertainty");
    ASSERT_EQ(uncertainty.size(), 2u) << mode[0];
    for (std::size_t i = 0; i < 2; ++i) {
      ASSERT_EQ(uncertainty[i].size(), 2u) << mode[0];
      for (std::size_t j = 0; j < 2; ++j) {
        const double value = expected.information_uncertainty(
            static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
        EXPECT_NEAR(uncertainty[i][j].get<double>(), value, 1e-12 * value)
            << mode[0] << " " << i << "," << j;
      }
    }
    EXPECT_GT(uncertainty[0][0].get<double>(), 0.0) << mode[0];
    // MadMiner's covariance stays, under its own key.
    EXPECT_EQ(json.at("covariance").size(), 4u) << mode[0];
    EXPECT_DOUBLE_EQ(json.at("effective_number_of_events").get<double>(),
                     expected.effective_number_of_events);
    EXPECT_DOUBLE_EQ(json.at("expected_number_of_events").get<double>(),
                     expected.expected_number_of_events);
    EXPECT_TRUE(json.at("warnings").empty()) << run.err;
    EXPECT_EQ(run.err, "") << mode[0];
  }
}

// 20000 equal-weight toy events model 600 expected events at 300 fb⁻¹; at
// 100 times that luminosity the data would outnumber the simulation.
TEST_F(FisherUncertaintyCommand, WarnsWhenTheSimulationHasFewerEventsThanData) {
  const auto run = testing::RunGoldmine({"fisher",
                                         "truth",
                                         "--events",
                                         events_.string(),
                                         "--theta",
                                         "0,0",
                                         "--luminosity",
                                         "30000000"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("goldmine fisher: warning: the effective number of "
                         "simulated events"),
            std::string::npos)
      << run.err;
  const auto json = nlohmann::json::parse(run.out);
  ASSERT_EQ(json.at("warnings").size(), 1u);
  EXPECT_LT(json.at("effective_number_of_events").get<double>(),
            json.at("expected_number_of_events").get<double>());
  EXPECT_EQ(json.at("largest_event_fraction").size(), 2u);
}

}  // namespace
}  // namespace goldmine
