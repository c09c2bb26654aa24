// Expected limits on a 25×25 grid (c1, c2 ∈ [−1, 1]², 300 fb⁻¹, Asimov data at
// the SM) in PERFORMANCE.md's configurations, against MadMiner's times:
//   rate          rate only
//   histo-pt      histogram of pt (25 adaptive bins) + rate   (MadMiner 6.9 s
//   / 17.2 s) histo-2d      2D histogram (pt, dphi), 8×8 bins, no rate  (8.0 s
//   / 26.1 s) sally         histograms of an analytic 2D score (8×8)    (11.9 s
//   / 26.5 s)
// on toy events files (the analytic toy of generators/toy_model.h, MadMiner
// layout, 1e5 and 1e6 events sampled at the SM, written once to a temporary
// folder). Each timing is one whole call as a user makes it: open and read
// the events file, Asimov data, all grid points. Prints the median of
// --runs runs (default 5) and the speedup over MadMiner's minimum time.
//
//   build/release/bench/limits_benchmark [--runs 5] [--events 100000,1000000]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "goldmine/core/score_model.h"
#include "goldmine/inference/limits/asymptotic_limits.h"
#include "inference/limits_toy_files.h"

namespace {

using goldmine::inference::AsymptoticLimits;
using goldmine::inference::KinematicSetup;
using goldmine::inference::LimitMethod;
using goldmine::inference::LimitOptions;
using goldmine::inference::ThetaGrid;

// A cheap analytic score in the toy's observables (the joint score at the
// SM with pt_true → pt, phi_true → dphi): SALLY's summary statistic without
// a network, so that the benchmark times the limit machinery.
class AnalyticScore : public goldmine::core::ScoreModel {
 public:
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x) const override {
    Eigen::MatrixXd t(x.rows(), 2);
    t.col(0) = (x.col(0) / 50.0).array() - 1.4;
    t.col(1) = 1.6 * x.col(1).array().cos();
    return t;
  }
  std::vector<std::string> parameter_names() const override {
    return {"c1", "c2"};
  }
  std::vector<std::string> observable_names() const override {
    return {"pt", "dphi", "eta"};
  }
};

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::vector<long> sizes = {100000, 1000000};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--runs") {
      runs = std::atoi(argv[i + 1]);
    } else if (flag == "--events") {
      sizes.clear();
      std::stringstream list(argv[i + 1]);
      for (std::string word; std::getline(list, word, ',');)
        sizes.push_back(std::atol(word.c_str()));
    }
  }
  const auto folder = std::filesystem::temp_directory_path() /
                      ("goldmine_limits_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  const goldmine::generators::ToyModel model({"c1", "c2"});
  const AnalyticScore score;
  const ThetaGrid grid({{"c1", -1.0, 1.0, 25}, {"c2", -1.0, 1.0, 25}});

  struct Case {
    std::string name;
    double madminer_1e5;
    double madminer_1e6;
  };
  const std::vector<Case> cases = {{"rate", 0.0, 0.0},
                                   {"histo-pt", 6.9, 17.2},
                                   {"histo-2d", 8.0, 26.1},
                                   {"sally", 11.9, 26.5}};
  std::cout << "limits_benchmark: 25x25 grid, median of " << runs
            << " runs, 1 thread, Release\n"
            << std::left << std::setw(10) << "case" << std::setw(10) << "events"
            << std::setw(14) << "median_s" << std::setw(14) << "madminer_s"
            << "speedup\n";
  for (const long n : sizes) {
    const auto path = folder / ("toy_" + std::to_string(n) + ".h5");
    const auto start_write = std::chrono::steady_clock::now();
    goldmine::inference::toy::SampledToyFile(path, model, n, 11);
    std::cerr << "wrote " << path << " in "
              << std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - start_write)
                     .count()
              << " s\n";
    for (const Case& c : cases) {
      std::vector<double> seconds;
      double check = 0.0;
      for (int run = 0; run < runs; ++run) {
        const auto start = std::chrono::steady_clock::now();
        LimitOptions options;
        options.include_xsec = c.name != "histo-2d";
        const AsymptoticLimits limits(path, options);
        KinematicSetup setup;
        if (c.name == "rate") {
          setup.method = LimitMethod::kRate;
        } else if (c.name == "histo-pt") {
          setup.method = LimitMethod::kHisto;
          setup.observables = {"pt"};
        } else if (c.name == "histo-2d") {
          setup.method = LimitMethod::kHisto;
          setup.observables = {"pt", "dphi"};
        } else {
          setup.method = LimitMethod::kSally;
          setup.score_model = &score;
        }
        const auto result = limits.Compute(
            setup, grid, limits.Asimov(Eigen::VectorXd::Zero(2)));
        seconds.push_back(std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count());
        check += result.minus_two_delta_log_l.sum();
      }
      const double median = Median(seconds);
      const double madminer = n == 100000    ? c.madminer_1e5
                              : n == 1000000 ? c.madminer_1e6
                                             : 0.0;
      std::cout << std::left << std::setw(10) << c.name << std::setw(10) << n
                << std::setw(14) << median << std::setw(14) << madminer;
      if (madminer > 0) std::cout << madminer / median;
      std::cout << "   (checksum " << check / runs << ")\n";
    }
    std::filesystem::remove(path);
  }
  std::filesystem::remove_all(folder);
  return 0;
}
