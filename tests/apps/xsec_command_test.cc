#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/reference_data.h"
#include "support/run_command.h"

namespace goldmine {
namespace {

TEST(XsecCommand, MatchesMadminerCrossSections) {
  const auto events = testing::FindReference("madminer/toy_events.h5");
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const auto reference =
      testing::ReadJson(testing::FindReference("madminer/cross_sections.json"));
  const auto result = testing::RunGoldmine({"xsec",
                                            "--events",
                                            events.string(),
                                            "--theta",
                                            "benchmark:b1",
                                            "--theta",
                                            "0.5,-0.3"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_NEAR(json["xsec"][0].get<double>(),
              reference["benchmarks"]["xsecs"][1].get<double>(),
              1e-14);
  EXPECT_NEAR(json["xsec"][1].get<double>(),
              reference["morphing_points"]["xsecs"][1].get<double>(),
              1e-14);
  EXPECT_EQ(json["xsec_uncertainty"].size(), 2u);
  EXPECT_EQ(json["thetas"][1][1].get<double>(), -0.3);
}

TEST(XsecCommand, UnknownBenchmarkExitsTwoNamingTheSpec) {
  const auto events = testing::FindReference("madminer/toy_events.h5");
  if (events.empty()) GTEST_SKIP() << "MadMiner reference data absent";
  const auto result = testing::RunGoldmine(
      {"xsec", "--events", events.string(), "--theta", "benchmark:zz"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("benchmark:zz"), std::string::npos) << result.err;
}

TEST(XsecCommand, MissingEventsFileIsNamedOnce) {
  const std::string missing = "/nonexistent/goldmine-no-events.h5";
  const auto result =
      testing::RunGoldmine({"xsec", "--events", missing, "--theta", "0,0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "goldmine xsec: error: " + missing + ": no such file\n");
}

}  // namespace
}  // namespace goldmine
