// The quick profile of the WH example end to end (`goldmine run
// examples/wh_smeft/config.yaml --quick`): every stage runs, every figure is
// a valid PNG and SVG, every number of the results tables is finite, and
// report.html is self-contained. Long (about a minute): ctest label "long".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <vector>

#include "goldmine/mining/madminer_file.h"
#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"
#include "support/snakemake.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Well-formed XML as far as elements go: every start tag is closed in order.
bool BalancedXml(const std::string& text, std::string* problem) {
  std::vector<std::string> open;
  std::size_t at = 0;
  while ((at = text.find('<', at)) != std::string::npos) {
    if (text.compare(at, 4, "<!--") == 0) {
      at = text.find("-->", at);
      if (at == std::string::npos) return *problem = "unclosed comment", false;
      continue;
    }
    if (text.compare(at, 9, "<![CDATA[") == 0) {
      at = text.find("]]>", at);
      if (at == std::string::npos) return *problem = "unclosed CDATA", false;
      continue;
    }
    const std::size_t end = text.find('>', at);
    if (end == std::string::npos) return *problem = "unclosed tag", false;
    const std::string tag = text.substr(at + 1, end - at - 1);
    at = end + 1;
    if (tag.empty() || tag[0] == '?' || tag[0] == '!') continue;
    if (tag[0] == '/') {
      const std::string name = tag.substr(1, tag.find_first_of(" \t\n") - 1);
      if (open.empty() || open.back() != name)
        return *problem = "unexpected </" + name + ">", false;
      open.pop_back();
      continue;
    }
    if (tag.back() == '/') continue;
    open.push_back(tag.substr(0, tag.find_first_of(" \t\n")));
  }
  if (!open.empty())
    return *problem = "<" + open.back() + "> never closed", false;
  return true;
}

// The rows of the markdown tables after a heading.
std::vector<std::string> TableRows(const std::string& markdown,
                                   const std::string& after) {
  std::vector<std::string> rows;
  std::istringstream lines(markdown.substr(markdown.find(after)));
  std::string line;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (line.rfind("## Figures", 0) == 0) break;
    if (line.rfind("|", 0) == 0) {
      if (in_table && line.rfind("|---", 0) != 0) rows.push_back(line);
      in_table = true;
    } else {
      in_table = false;
    }
  }
  return rows;
}

TEST(RunCommandQuick, WhExampleEndToEnd) {
  const fs::path config =
      testing::SourceDir() / "examples/wh_smeft/config.yaml";
  const fs::path work = testing::MakeScratchFolder("run_quick");
  const auto start = std::chrono::steady_clock::now();
  const auto result = testing::RunGoldmine(
      {"run", config.string(), "--quick", "--workdir", work.string()});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::cout << "quick profile: " << seconds << " s\n";
  const nlohmann::json summary = nlohmann::json::parse(result.out);
  for (const auto& stage : summary.at("stages"))
    EXPECT_EQ(stage.at("status"), "ran") << stage.dump();

  const std::string report = testing::ReadText(work / "report.md");
  for (const char* plot : {"limits_contours",
                           "fisher_ellipses",
                           "sally_scores",
                           "loss_curves",
                           "morphing_weights",
                           "observable_pt_w",
                           "observable_mt_tot",
                           "observable_m_bb",
                           "observable_phi_l"}) {
    const fs::path png = work / "report/plots" / (std::string(plot) + ".png");
    const fs::path svg = work / "report/plots" / (std::string(plot) + ".svg");
    ASSERT_TRUE(fs::exists(png)) << png;
    ASSERT_TRUE(fs::exists(svg)) << svg;
    EXPECT_EQ(testing::ReadText(png).substr(0, 8),
              std::string("\x89PNG\r\n\x1a\n", 8))
        << png;
    const std::string text = testing::ReadText(svg);
    EXPECT_THAT(text, HasSubstr("<svg")) << svg;
    std::string problem;
    EXPECT_TRUE(BalancedXml(text, &problem)) << svg << ": " << problem;
    EXPECT_THAT(report,
                HasSubstr("report/plots/" + std::string(plot) + ".png"));
  }

  // Every number in the results tables is finite, and the methods are there.
  const std::vector<std::string> rows = TableRows(report, "## Results");
  ASSERT_GE(rows.size(), 10u);
  const std::regex number(R"([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)");
  int numbers = 0;
  for (const std::string& row : rows) {
    EXPECT_THAT(row,
                ::testing::Not(::testing::ContainsRegex(
                    "(^|[^a-zA-Z])([nN]a[nN]|[iI]nf)([^a-zA-Z]|$)")))
        << row;
    for (auto it = std::sregex_iterator(row.begin(), row.end(), number);
         it != std::sregex_iterator();
         ++it) {
      EXPECT_TRUE(std::isfinite(std::stod(it->str()))) << row;
      ++numbers;
    }
  }
  EXPECT_GT(numbers, 80);
  for (const char* method : {"| truth (parton level) |",
                             "| SALLY |",
                             "| STXS 5 bins pT,W |",
                             "| rate only |"})
    EXPECT_THAT(report, HasSubstr(method));
  // The same numbers, machine-readable.
  const nlohmann::json results = testing::ReadJson(work / "results.json");
  ASSERT_GE(results.at("intervals").size(), 20u);
  for (const auto& interval : results.at("intervals")) {
    for (const char* cl : {"cl68", "cl95"}) {
      if (interval.at(cl) == "unconstrained") continue;
      EXPECT_TRUE(std::isfinite(interval.at(cl).at("lower").get<double>()));
      EXPECT_TRUE(std::isfinite(interval.at(cl).at("upper").get<double>()));
    }
  }
  for (const char* method : {"truth", "sally", "histogram_stxs_5bin"})
    EXPECT_TRUE(results.at("fisher").at(method).at("available")) << method;
  // The MEM line, and every method as a fraction of it on the same events:
  // no histogram beats the MEM, and the truth reaches at least the MEM,
  // within 3 times the (upper bound of the) MC error of the fraction.
  EXPECT_THAT(report,
              HasSubstr("| MEM: best possible with these observables |"));
  const nlohmann::json& mem = results.at("mem").at("methods");
  ASSERT_TRUE(mem.at("mem").at("available")) << mem.dump();
  for (const char* method : {"truth", "sally", "histogram_stxs_5bin", "rate"})
    ASSERT_TRUE(mem.at(method).at("available")) << method;
  for (int p = 0; p < 2; ++p) {
    const auto fraction = [&](const char* method) {
      return mem.at(method).at("fraction_of_mem")[p].get<double>();
    };
    const auto bound = [&](const char* method) {
      return mem.at(method)
          .at("fraction_of_mem_uncertainty_bound")[p]
          .get<double>();
    };
    EXPECT_DOUBLE_EQ(fraction("mem"), 1.0);
    EXPECT_GE(fraction("truth"), 1.0 - 3.0 * bound("truth")) << p;
    for (const char* method : {"histogram_stxs_5bin", "histogram_stxs_2d"})
      EXPECT_LE(fraction(method), 1.0 + 3.0 * bound(method)) << method << p;
  }
  // The comparison with the reference numbers of the configuration.
  EXPECT_THAT(report, HasSubstr("Comparison with PHYSICS.md"));

  const std::string html = testing::ReadText(work / "report.html");
  std::string problem;
  EXPECT_TRUE(BalancedXml(html.substr(html.find("<html")), &problem))
      << problem;
  std::size_t images = 0;
  for (std::size_t at = 0; (at = html.find("<img ", at)) != std::string::npos;
       ++at) {
    EXPECT_EQ(
        html.compare(html.find("src=\"", at) + 5, 22, "data:image/png;base64,"),
        0);
    ++images;
  }
  EXPECT_EQ(images, 9u);

  // Issue 19: the same study as a Snakemake workflow, one rule per stage,
  // run with `snakemake --cores 2`, gives the same results.json, number for
  // number.
  if (testing::HasSnakemake()) {
    const fs::path flow = testing::MakeScratchFolder("run_quick_snakemake");
    const auto emitted = testing::RunGoldmine({"run",
                                               config.string(),
                                               "--quick",
                                               "--workdir",
                                               flow.string(),
                                               "--emit",
                                               "snakemake"});
    ASSERT_EQ(emitted.exit_code, 0) << emitted.err;
    const auto begin = std::chrono::steady_clock::now();
    ASSERT_EQ(testing::RunSnakemake(flow), 0)
        << testing::ReadText(flow / "snakemake.out");
    std::cout << "quick profile as a Snakemake workflow: "
              << std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - begin)
                     .count()
              << " s\n";
    // Equal but for where the work folder is: the MEM line names its events
    // file.
    const auto located = [](nlohmann::json json, const fs::path& folder) {
      if (json.contains("mem")) {
        std::string events = json["mem"].at("events").get<std::string>();
        const std::size_t at = events.find(folder.string());
        if (at != std::string::npos)
          events.replace(at, folder.string().size(), "DIR");
        json["mem"]["events"] = events;
      }
      return json;
    };
    const nlohmann::json expected = located(results, work);
    const nlohmann::json from_workflow =
        located(testing::ReadJson(flow / "results.json"), flow);
    EXPECT_EQ(from_workflow, expected)
        << nlohmann::json::diff(expected, from_workflow).dump(1);
    fs::remove_all(flow);
  } else {
    std::cout << "snakemake is not installed: the workflow part is skipped "
                 "(scripts/setup.sh installs it)\n";
  }

  // Without `goldmine fisher sally`, the report computes the SALLY Fisher
  // information from the `goldmine evaluate` predictions on the SM test
  // events: the same quantity, estimated independently.
  const nlohmann::json command =
      testing::ReadJson(work / "fisher/sally.json").at("fisher_information");
  fs::remove(work / "fisher/sally.json");
  const auto again = testing::RunGoldmine({"run",
                                           config.string(),
                                           "--quick",
                                           "--workdir",
                                           work.string(),
                                           "--from",
                                           "report"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const nlohmann::json fallback =
      testing::ReadJson(work / "results.json").at("fisher").at("sally");
  EXPECT_THAT(fallback.at("source").get<std::string>(),
              HasSubstr("goldmine evaluate"));
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      const double expected = command[i][j];
      EXPECT_NEAR(fallback.at("fisher_information")[i][j].get<double>(),
                  expected,
                  0.03 * std::abs(expected))
          << i << "," << j;
    }
  }
  fs::remove_all(work);
}

// Issue 17, item 13: the five-operator example on a user's MadGraph file
// (examples/madgraph_multi_operator), quick profile.
TEST(RunCommandQuick, FiveOperatorExampleEndToEnd) {
  const fs::path lhe = testing::SharedDir() /
                       "data/events/mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz";
  if (!fs::exists(lhe)) GTEST_SKIP() << lhe << " absent";
  const fs::path config =
      testing::SourceDir() / "examples/madgraph_multi_operator/config.yaml";
  const fs::path work = testing::MakeScratchFolder("run_multi_operator");
  const auto result = testing::RunGoldmine(
      {"run", config.string(), "--quick", "--workdir", work.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const auto& stage : nlohmann::json::parse(result.out).at("stages"))
    EXPECT_EQ(stage.at("status"),
              stage.at("stage") == "generate" ? "not configured" : "ran")
        << stage.dump();

  // The truth information of all five operators from the raw weights: with
  // one reweighting point per operator at 0.1 and linear morphing,
  // ∂w/∂θ_i = (w_i − w_SM)/0.1 and I_ij = L Σ ∂_i w ∂_j w / w_SM.
  const nlohmann::json results = testing::ReadJson(work / "results.json");
  const std::vector<std::string> names = {
      "cHj3", "cHl3", "clj3", "cHWB", "cHDD"};
  ASSERT_EQ(results.at("parameters"), nlohmann::json(names));
  const mining::MadminerEvents events =
      mining::ReadEvents(work / "mine/events.h5");
  auto column = [&](const std::string& benchmark) {
    const auto& all = events.setup.benchmarks.names;
    const auto found = std::find(all.begin(), all.end(), benchmark);
    EXPECT_NE(found, all.end()) << benchmark;
    return events.events.weights.col(found - all.begin());
  };
  const Eigen::VectorXd sm = column("SM");
  const auto& truth = results.at("fisher").at("truth").at("fisher_information");
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (std::size_t j = 0; j < names.size(); ++j) {
      const Eigen::VectorXd di = (column(names[i] + "_0p1") - sm) / 0.1;
      const Eigen::VectorXd dj = (column(names[j] + "_0p1") - sm) / 0.1;
      const double expected =
          300000.0 * (di.array() * dj.array() / sm.array()).sum();
      EXPECT_NEAR(
          truth[i][j].get<double>(), expected, 1e-6 * std::abs(expected) + 1e-9)
          << names[i] << ", " << names[j];
    }
  }
  // Intervals for every operator from every Fisher matrix that has them.
  int truth_intervals = 0;
  for (const auto& interval : results.at("intervals"))
    if (interval.at("method") == "truth" && interval.at("cl68").is_object())
      ++truth_intervals;
  EXPECT_EQ(truth_intervals, 5);
  // Two 2D slices (one with a profiled operator) with their figures, and a
  // 1D scan with two profiled operators; the Asimov best fit is the SM.
  const std::string report = testing::ReadText(work / "report.md");
  for (const char* slice :
       {"(c_Hj^(3) × c_Hl^(3); fixed:",
        "(c_HWB × c_HDD; fixed: c_Hj^(3) = 0, c_lj^(3) = 0; "
        "profiled: c_Hl^(3))",
        "profiled: c_Hj^(3), c_Hl^(3))"})
    EXPECT_THAT(report, HasSubstr(slice));
  for (const char* figure : {"limits_contours_1", "limits_contours_2"})
    EXPECT_TRUE(
        fs::exists(work / "report/plots" / (std::string(figure) + ".png")))
        << figure;
  for (const char* scan :
       {"sally_cHj3_cHl3", "sally_cHWB_cHDD", "histo_m_ll_pt_ll_cHWB_cHDD"}) {
    const nlohmann::json json =
        testing::ReadJson(work / "limits" / (std::string(scan) + ".json"));
    EXPECT_EQ(json.at("best_fit"), nlohmann::json({0.0, 0.0})) << scan;
  }
  // The morphing diagnostics: Σ w² = 1 at a basis point (the SM).
  EXPECT_THAT(report, HasSubstr("| Σ w² at θ = (0,0,0,0,0) | 1 |"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("WARNING")));
  fs::remove_all(work);
}

}  // namespace
}  // namespace goldmine
