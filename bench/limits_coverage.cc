// Coverage of the asymptotic intervals: pseudo-experiments drawn from the
// exact density of the one-parameter c2 toy (generators/toy_model.h) at
// θ_true, each analysed with histo (dphi, 25 adaptive bins), sally (the
// exact score at the SM, 25 bins) and ml (the exact likelihood ratio), rate
// term included, on a fine c2 grid. Prints, per method, how often the 68.27%
// and 95% intervals (ProfileIntervals) contain θ_true, with binomial errors.
//
// Each experiment: n ~ Poisson(L σ(θ_true)) events, drawn by rejection from
// SM events with probability R(z; θ_true)/R_max (R is bounded for c2). The
// histogram templates come from a weighted SM events file of --templates
// events (train partition), written once.
//
//   build/release/bench/limits_coverage [--experiments 1000] [--seed 1]
//       [--theta 0.3] [--templates 200000]
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/random.h"
#include "goldmine/core/score_model.h"
#include "goldmine/inference/limits/asymptotic_limits.h"
#include "inference/limits_toy_files.h"

namespace {

using namespace goldmine;

// p(dphi|c2) up to a c2-independent factor (pt, eta factor out).
double Shape(double dphi, double c2) {
  static const std::array<double, 3> moments =
      generators::ToyModel::TransverseMomentumMoments(50.0);
  const auto h = generators::ToyModel::ComponentDensities(moments, dphi);
  const auto s = generators::ToyModel::ComponentIntegrals();
  return (h[0] + c2 * h[2] + c2 * c2 * h[5]) /
         (s[0] + c2 * s[2] + c2 * c2 * s[5]) / moments[0];
}

class ExactC2Ratio : public core::LikelihoodRatioModel {
 public:
  using core::LikelihoodRatioModel::LogLikelihoodRatio;
  Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x, const Eigen::VectorXd& theta) const override {
    Eigen::VectorXd log_r(x.rows());
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      log_r(i) = std::log(Shape(x(i, 1), theta(0)) / Shape(x(i, 1), 0.0));
    return log_r;
  }
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x,
                        const Eigen::VectorXd&) const override {
    return Eigen::MatrixXd::Zero(x.rows(), 1);
  }
  std::vector<std::string> parameter_names() const override { return {"c2"}; }
  std::vector<std::string> observable_names() const override {
    return {"pt", "dphi", "eta"};
  }
};

// t(x|0) = ∂ ln p/∂c2 at 0 = h_2/h_0 − s_2/s_0 = 1.6 e^(−σ²/2) cos dphi.
class ExactC2Score : public core::ScoreModel {
 public:
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x) const override {
    return (1.6 * std::exp(-0.02) * x.col(1).array().cos()).matrix();
  }
  std::vector<std::string> parameter_names() const override { return {"c2"}; }
  std::vector<std::string> observable_names() const override {
    return {"pt", "dphi", "eta"};
  }
};

long Poisson(double mean, RandomStream& random) {
  long n = 0;
  double time = -std::log(1.0 - random.Uniform());
  while (time <= mean) {
    ++n;
    time -= std::log(1.0 - random.Uniform());
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  int experiments = 1000;
  std::uint64_t seed = 1;
  double theta_true = 0.3;
  long templates = 200000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--experiments") experiments = std::atoi(argv[i + 1]);
    if (flag == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--theta") theta_true = std::atof(argv[i + 1]);
    if (flag == "--templates") templates = std::atol(argv[i + 1]);
  }
  const auto folder =
      std::filesystem::temp_directory_path() /
      ("goldmine_limits_coverage_" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  const generators::ToyModel model({"c2"});
  const auto file = folder / "templates.h5";
  inference::toy::SampledToyFile(file, model, templates, seed + 1000);

  inference::LimitOptions options;  // 300 fb⁻¹, rate term on
  const inference::AsymptoticLimits limits(file, options);
  const inference::ThetaGrid grid(
      {{"c2", theta_true - 0.8, theta_true + 0.8, 321}});
  const ExactC2Ratio ratio;
  const ExactC2Score score;
  std::vector<std::pair<std::string, inference::KinematicSetup>> methods(3);
  methods[0].first = "histo";
  methods[0].second.method = inference::LimitMethod::kHisto;
  methods[0].second.observables = {"dphi"};
  methods[1].first = "sally";
  methods[1].second.method = inference::LimitMethod::kSally;
  methods[1].second.score_model = &score;
  methods[2].first = "ml-exact";
  methods[2].second.method = inference::LimitMethod::kMl;
  methods[2].second.ratio_model = &ratio;

  const Eigen::VectorXd truth = Eigen::VectorXd::Constant(1, theta_true);
  const double mean = options.luminosity * model.CrossSection(truth);
  const double c2 = theta_true;
  const double r_max = std::pow(1.0 + 0.8 * std::abs(c2), 2) + 0.6 * c2 * c2;
  const std::vector<double> levels = {0.6826894921370859, 0.95};
  std::vector<std::array<int, 2>> covered(methods.size(), {0, 0});
  RandomStream random(seed);
  for (int experiment = 0; experiment < experiments; ++experiment) {
    const long n = Poisson(mean, random);
    inference::ObservedData data;
    data.x.resize(n, 3);
    for (long k = 0; k < n;) {
      const generators::ToyEvent event = model.Sample(random);
      const double r = event.polynomial.Evaluate(truth) /
                       event.polynomial.Evaluate(Eigen::VectorXd::Zero(1));
      if (random.Uniform() * r_max >= r) continue;
      data.x.row(k++) << event.observation.pt, event.observation.dphi,
          event.observation.eta;
    }
    data.weights = Eigen::VectorXd::Ones(n);
    data.n_events = static_cast<double>(n);
    for (std::size_t m = 0; m < methods.size(); ++m) {
      const auto result = limits.Compute(methods[m].second, grid, data);
      const auto intervals = inference::ProfileIntervals(
          grid, result.minus_two_delta_log_l, levels);
      for (std::size_t l = 0; l < levels.size(); ++l) {
        for (const auto& range : intervals[l].ranges) {
          if (range.lower <= theta_true && theta_true <= range.upper) {
            ++covered[m][l];
            break;
          }
        }
      }
    }
    if ((experiment + 1) % 100 == 0) {
      std::cerr << "limits_coverage: " << experiment + 1 << " / " << experiments
                << " experiments\n";
    }
  }
  std::cout << "limits_coverage: c2 toy, theta_true = " << theta_true
            << ", <n> = " << mean << ", " << experiments
            << " experiments, seed " << seed << ", templates " << templates
            << " SM events\n"
            << std::left << std::setw(10) << "method" << std::setw(22)
            << "68.27% coverage"
            << "95% coverage\n";
  for (std::size_t m = 0; m < methods.size(); ++m) {
    std::cout << std::setw(10) << methods[m].first;
    for (std::size_t l = 0; l < levels.size(); ++l) {
      const double p = static_cast<double>(covered[m][l]) / experiments;
      const double error = std::sqrt(p * (1.0 - p) / experiments);
      std::ostringstream cell;
      cell << std::fixed << std::setprecision(1) << 100.0 * p << " ± "
           << 100.0 * error << " %";
      std::cout << std::setw(22) << cell.str();
    }
    std::cout << "\n";
  }
  std::filesystem::remove_all(folder);
  return 0;
}
