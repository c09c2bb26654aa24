#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

TEST(FisherCommand, TruthAndHistogramMatchMadminer) {
  const auto events = testing::FindReference("madminer/toy_events.h5");
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const auto reference =
      testing::ReadJson(testing::FindReference("madminer/fisher.json"));
  const auto truth = testing::RunGoldmine({"fisher",
                                           "truth",
                                           "--events",
                                           events.string(),
                                           "--theta",
                                           "0,0",
                                           "--luminosity",
                                           "300000"});
  ASSERT_EQ(truth.exit_code, 0) << truth.err;
  const auto json = nlohmann::json::parse(truth.out);
  const double expected = reference["sm"]["truth"]["info"][0][0].get<double>();
  EXPECT_NEAR(json["fisher_information"][0][0].get<double>(),
              expected,
              1e-8 * expected);
  EXPECT_EQ(json["covariance"].size(), 4u);
  const auto histogram = testing::RunGoldmine({"fisher",
                                               "histogram",
                                               "--events",
                                               events.string(),
                                               "--theta",
                                               "0.5,-0.3",
                                               "--luminosity",
                                               "300000",
                                               "--observable",
                                               "pt",
                                               "--bins",
                                               "30,50,75,100,150,200,300"});
  ASSERT_EQ(histogram.exit_code, 0) << histogram.err;
  const auto histo = nlohmann::json::parse(histogram.out);
  const double expected_histo =
      reference["alt"]["histo_pt_edges"]["info"][0][0].get<double>();
  EXPECT_NEAR(histo["fisher_information"][0][0].get<double>(),
              expected_histo,
              1e-8 * expected_histo);
}

TEST(FisherCommand, BadModeExitsTwo) {
  const auto events = testing::FindReference("madminer/toy_events.h5");
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const auto result = testing::RunGoldmine(
      {"fisher", "bogus", "--events", events.string(), "--theta", "0,0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("bogus"), std::string::npos);
}

}  // namespace
}  // namespace goldmine
