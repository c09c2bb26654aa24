// `goldmine run` computes every number built from a trained model on events
// the model never saw (issue 17, item 1). A deliberately overfitted SALLY
// (a wide network trained for many epochs on a few hundred toy events)
// looks far better on its training events than on unseen ones: the run's
// default scan must be the one on unseen events, not the optimistic one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "goldmine/mining/madminer_file.h"
#include "goldmine/pipeline/report_results.h"
#include "support/reference_data.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Writes events [a, b) of `events` first, then the others in file order:
// `goldmine limits --test-split (N - (b - a))/N` then fills its templates
// and Asimov data with exactly those events.
void WriteWithEventsFirst(const fs::path& events,
                          std::int64_t a,
                          std::int64_t b,
                          const fs::path& output) {
  const mining::MadminerEvents file = mining::ReadEvents(events);
  const auto n = static_cast<Eigen::Index>(file.events.size());
  mining::MadminerEvents reordered = file;
  Eigen::Index row = 0;
  auto copy = [&](Eigen::Index from, Eigen::Index to) {
    for (Eigen::Index e = from; e < to; ++e, ++row) {
      reordered.events.observations.row(row) = file.events.observations.row(e);
      reordered.events.weights.row(row) = file.events.weights.row(e);
      reordered.events.sampling_benchmarks[static_cast<std::size_t>(row)] =
          file.events.sampling_benchmarks[static_cast<std::size_t>(e)];
    }
  };
  copy(a, b);
  copy(0, a);
  copy(b, n);
  mining::WriteEvents(output, reordered);
}

// Width of the 68% CL interval of the one scanned parameter.
double Width68(const nlohmann::json& scan) {
  const auto& values = scan.at("minus_two_delta_log_l");
  const auto& grid = scan.at("grid");
  Eigen::MatrixXd points(static_cast<Eigen::Index>(values.size()), 1);
  Eigen::VectorXd chi2(points.rows());
  for (Eigen::Index i = 0; i < points.rows(); ++i) {
    const auto& point = grid.size() == values.size()
                            ? grid[static_cast<std::size_t>(i)]
                            : grid[0][static_cast<std::size_t>(i)];
    points(i, 0) =
        point.is_array() ? point[0].get<double>() : point.get<double>();
    chi2(i) = values[static_cast<std::size_t>(i)].get<double>();
  }
  const pipeline::Interval interval =
      pipeline::ScanInterval(points, chi2, 0, pipeline::kOneDof68);
  EXPECT_TRUE(interval.bounded && !interval.lo_at_edge && !interval.hi_at_edge)
      << scan.dump();
  return interval.hi - interval.lo;
}

TEST(RunHeldOut, ModelNumbersUseEventsTheModelNeverSaw) {
  const fs::path folder = testing::MakeScratchFolder("run_held_out");
  const fs::path config = folder / "study.yaml";
  // The toy with c2 only (toy_model.h): no rate information at the SM, and
  // the observable y = Δφ + η hides φ_true behind noise of width 1.5, so
  // the joint score 1.6 cos φ_true is mostly noise that a wide network
  // trained for 500 epochs on 240 events learns by heart.
  std::ofstream(config)
      << "name: overfitted SALLY\n"
         "generate: {process: toy, events: 400, seed: 4}\n"
         "mining:\n"
         "  parameters:\n"
         "    c2: {lha_block: dim6, lha_id: 5, max_power: 2, range: [-1, 1]}\n"
         "  benchmarks: {sm: {}, up: {c2: 0.9}, down: {c2: -0.9}}\n"
         "  morphing: {max_overall_power: 2}\n"
         "  objects: {level: parton}\n"
         "  observables:\n"
         "    pt: j[0].pt\n"
         "    y: j[0].deltaphi(j[1]) + j[0].eta\n"
         "augment: {n_samples: 500, test_samples: 100, seed: 2}\n"
         "train:\n"
         "  sally: {hidden: [128, 128], epochs: 500, batch_size: 50, "
         "lr: 0.005, lr_decay: 1, validation_split: 0.05, seed: 1}\n"
         "fisher: {luminosity: 3000000}\n"
         "limits:\n"
         "  grid: {c2: [-0.1, 0.1, 201]}\n"
         "  methods: [sally]\n";
  const fs::path work = folder / "work";
  const auto run = testing::RunGoldmine(
      {"run", config.string(), "--workdir", work.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json ours = testing::ReadJson(work / "limits/sally.json");

  // The partitions of `goldmine augment` (mining/augmenter.h): training
  // samples come from the first round(0.6 N) events, the test partition is
  // the last N - round(0.8 N).
  const fs::path events = work / "mine/events.h5";
  const std::int64_t n = mining::MadminerEventsReader(events).num_events();
  const std::int64_t test_first = std::llround(0.8 * static_cast<double>(n));
  // `goldmine limits` fills its templates and Asimov data with the first
  // round((1 - test_split) N) events of its file.
  auto scan = [&](const fs::path& file, const std::string& test_split) {
    const auto result = testing::RunGoldmine({"limits",
                                              "--method",
                                              "sally",
                                              "--events",
                                              file.string(),
                                              "--model",
                                              (work / "train/sally").string(),
                                              "--grid",
                                              "c2:-0.1:0.1:201",
                                              "--luminosity",
                                              "3000000",
                                              "--theta-true",
                                              "0",
                                              "--include-xsec",
                                              "--asimov-from",
                                              "templates",
                                              "--information-binning",
                                              "--test-split",
                                              test_split});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out);
  };
  // Never seen: the test partition, put first; trained on: the train
  // partition, which is first already.
  WriteWithEventsFirst(events, test_first, n, folder / "unseen_first.h5");
  std::ostringstream unseen_split;
  unseen_split.precision(17);
  unseen_split << static_cast<double>(test_first) / static_cast<double>(n);
  const nlohmann::json unseen =
      scan(folder / "unseen_first.h5", unseen_split.str());
  // --test-split 0.4: templates from events [0, round(0.6 N)), the train
  // partition that every training sample was drawn from.
  const nlohmann::json training = scan(events, "0.4");

  // The default scan is the scan on the never-seen events.
  const auto& a = ours.at("minus_two_delta_log_l");
  const auto& b = unseen.at("minus_two_delta_log_l");
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i].get<double>(),
                b[i].get<double>(),
                1e-9 * (1.0 + std::abs(b[i].get<double>())))
        << i;
  // ... and visibly wider than the scan on the model's training events.
  const double width_ours = Width68(ours);
  const double width_training = Width68(training);
  std::cout << "68% CL width: default " << width_ours << ", training events "
            << width_training << "\n";
  EXPECT_GT(width_ours, 1.25 * width_training);

  // The SALLY Fisher information is computed on the test partition too.
  EXPECT_THAT(
      testing::ReadJson(work / "fisher/stage.json").at("commands").dump(),
      HasSubstr("--partition test"));
  // The report says which events each number uses.
  const nlohmann::json results = testing::ReadJson(work / "results.json");
  EXPECT_THAT(results.at("limits").at("sally").at("events").get<std::string>(),
              HasSubstr("test partition (never used for training)"));
  EXPECT_THAT(results.at("fisher").at("sally").at("events").get<std::string>(),
              HasSubstr("events " + std::to_string(test_first + 1) + "–" +
                        std::to_string(n)));
  EXPECT_THAT(testing::ReadText(work / "report.md"),
              HasSubstr("the model-based numbers use the test partition"));
  fs::remove_all(folder);
}

}  // namespace
}  // namespace goldmine
