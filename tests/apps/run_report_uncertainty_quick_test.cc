// Issue 17, item 6, end to end: the quick profile of the WH example
// (`goldmine run examples/wh_smeft/config.yaml --quick`) reports every Fisher
// matrix element and Fisher interval with its Monte Carlo uncertainty, n_eff
// against L·σ, the fisher commands' warnings, and (after its fisher output
// is edited) a SALLY that exceeds the truth and an ensemble spread.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// The shortest text std::ostream gives `value` with `digits` significant
// digits, as the report prints numbers.
std::string Digits(double value, int digits) {
  std::ostringstream text;
  text.precision(digits);
  text << value;
  return text.str();
}

TEST(RunReportUncertaintyQuick, WhExampleShowsMonteCarloUncertainties) {
  const fs::path config =
      testing::SourceDir() / "examples/wh_smeft/config.yaml";
  const fs::path work = testing::MakeScratchFolder("run_uncertainty");
  const auto result = testing::RunGoldmine(
      {"run", config.string(), "--quick", "--workdir", work.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const nlohmann::json results = testing::ReadJson(work / "results.json");
  const std::string report = testing::ReadText(work / "report.md");
  const std::size_t n = results.at("parameters").size();
  int methods = 0;
  for (const auto& [name, item] : results.at("fisher").items()) {
    if (!item.at("available").get<bool>()) continue;
    ++methods;
    // The run copies the command's own numbers: compare with its output.
    const nlohmann::json command =
        testing::ReadJson(work / "fisher" / (name + ".json"));
    const auto& information = item.at("fisher_information");
    const auto& uncertainty = item.at("fisher_information_uncertainty");
    ASSERT_EQ(uncertainty.size(), n) << name;
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(uncertainty[i].size(), n) << name;
      for (std::size_t j = 0; j < n; ++j) {
        const double error = uncertainty[i][j].get<double>();
        EXPECT_TRUE(std::isfinite(error) && error > 0.0)
            << name << " " << i << "," << j;
        EXPECT_EQ(
            error,
            command.at("fisher_information_uncertainty")[i][j].get<double>());
        // In the report's Fisher table as "value ± error".
        if (j >= i) {
          EXPECT_THAT(report,
                      HasSubstr(Digits(information[i][j].get<double>(), 4) +
                                " ± " + Digits(error, 2)))
              << name << " " << i << "," << j;
        }
      }
    }
    // The fixed-others interval: δσ/σ = ½ δI_ii/I_ii.
    for (std::size_t p = 0; p < n; ++p) {
      const std::string parameter = results.at("parameters")[p];
      const auto& widths = item.at("interval_sigma").at(parameter);
      const double value = information[p][p].get<double>();
      const double sigma = widths.at("others_fixed").at("sigma").get<double>();
      EXPECT_NEAR(sigma, 1.0 / std::sqrt(value), 1e-12 * sigma);
      EXPECT_NEAR(widths.at("others_fixed").at("uncertainty").get<double>(),
                  0.5 * sigma * uncertainty[p][p].get<double>() / value,
                  1e-12 * sigma);
      if (name == "rate") {
        EXPECT_EQ(widths.at("profiled"), "unconstrained");  // rank-deficient
      } else {
        const double profiled = widths.at("profiled").at("sigma");
        const double error = widths.at("profiled").at("uncertainty");
        EXPECT_TRUE(std::isfinite(error) && error > 0.0) << name;
        // goldmine fisher gave the elements' covariance: exact propagation.
        EXPECT_EQ(widths.at("profiled").at("approximate"), false) << name;
        EXPECT_THAT(report, HasSubstr(Digits(profiled, 4) + " ± "))
            << name << " " << parameter;
      }
    }
    EXPECT_EQ(item.at("effective_number_of_events"),
              command.at("effective_number_of_events"));
    EXPECT_EQ(item.at("expected_number_of_events"),
              command.at("expected_number_of_events"));
    EXPECT_EQ(item.at("largest_event_fraction").size(), n);
    EXPECT_EQ(item.at("warnings"), command.at("warnings"));
    for (const auto& warning : command.at("warnings"))
      EXPECT_THAT(report, HasSubstr(warning.get<std::string>()));
  }
  EXPECT_GE(methods, 7);
  // The quick sample has fewer effective events than the 300 fb⁻¹ it models.
  EXPECT_THAT(report, HasSubstr("## Warnings"));
  EXPECT_THAT(report, HasSubstr("| n_eff (simulated) | L·σ (expected) |"));
  EXPECT_THAT(report, HasSubstr("others fixed 1/√I_ii ± MC (½ δI_ii/I_ii)"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("EXCEEDS TRUTH")));
  EXPECT_EQ(results.at("fisher").at("sally").at("exceeds_truth"),
            nlohmann::json({false, false}));

  // A SALLY whose information exceeds the truth, from an ensemble: the
  // report flags it and shows the members' spread.
  const fs::path sally = work / "fisher/sally.json";
  nlohmann::json edited = testing::ReadJson(sally);
  edited["exceeds_truth"] = {false, true};
  edited["fisher_information_ensemble_uncertainty"] = {{1.5, 2.5}, {2.5, 3.5}};
  std::ofstream(sally) << edited.dump(2);
  const auto again = testing::RunGoldmine({"run",
                                           config.string(),
                                           "--quick",
                                           "--workdir",
                                           work.string(),
                                           "--from",
                                           "report"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::string flagged = testing::ReadText(work / "report.md");
  EXPECT_THAT(flagged,
              HasSubstr("| SALLY Fisher information | EXCEEDS TRUTH: "
                        "I(c_Hq^(3), c_Hq^(3))"));
  EXPECT_THAT(flagged, HasSubstr("| YES: c_Hq^(3) |"));
  EXPECT_THAT(flagged, HasSubstr("(MC) ± 2.5 (ensemble)"));
  const nlohmann::json sally_json =
      testing::ReadJson(work / "results.json").at("fisher").at("sally");
  EXPECT_EQ(sally_json.at("exceeds_truth"), nlohmann::json({false, true}));
  EXPECT_EQ(sally_json.at("fisher_information_ensemble_uncertainty"),
            edited["fisher_information_ensemble_uncertainty"]);
  fs::remove_all(work);
}

}  // namespace
}  // namespace goldmine
