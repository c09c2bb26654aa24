// Example 01: a morphing basis for two WH operators.
//
// c_HW and c_Hq3 each enter the WH production amplitude linearly, so the
// squared matrix element is a quadratic polynomial in (c_HW, c_Hq3): six
// components, hence six benchmarks. We keep the Standard Model as one of
// them, let goldmine choose the other five inside the parameter ranges, and
// print the basis with its morphing weights at a few parameter points.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "goldmine/morphing/basis_optimizer.h"
#include "goldmine/morphing/morpher.h"
#include "goldmine/morphing/sum_squared_weights.h"

// Rounding leaves weights like -1e-17 where the exact value is 0; print 0.
double Cleaned(double value) { return std::abs(value) < 1e-12 ? 0.0 : value; }

int main() {
  using goldmine::ParameterRanges;
  using namespace goldmine::morphing;

  const std::vector<std::string> operators = {"c_HW", "c_Hq3"};
  const ParameterRanges ranges = {{-1.0, 1.0}, {-0.2, 0.2}};
  const Components components = Components::FromMaxPowers({2, 2}, 2);

  BasisOptimizerOptions options;
  options.n_trials = 100;
  options.seed = 1;
  const Eigen::MatrixXd standard_model = Eigen::MatrixXd::Zero(1, 2);
  const BasisOptimizationResult optimised =
      OptimizeBasis(components, ranges, standard_model, options);
  const Morpher morpher(components, optimised.basis);
  const RandomSearchResult madminer = MadMinerRandomSearch(
      components, ranges, standard_model, options.n_trials, 100, options.seed);
  const ExpectedSumSquaredWeights objective(components, ranges);

  std::printf(
      "Morphing basis for %s and %s, c_HW in [%g, %g], c_Hq3 in [%g, %g]\n",
      operators[0].c_str(),
      operators[1].c_str(),
      ranges[0].lower,
      ranges[0].upper,
      ranges[1].lower,
      ranges[1].upper);
  std::printf("%s\n\n", morpher.Description().c_str());

  std::printf("Components (powers of c_HW, c_Hq3):");
  for (int c = 0; c < components.num_components(); ++c) {
    std::printf(
        " (%d,%d)", components.powers()(c, 0), components.powers()(c, 1));
  }
  std::printf("\n\nBenchmarks:\n  %-10s %10s %10s\n", "name", "c_HW", "c_Hq3");
  for (int b = 0; b < morpher.num_benchmarks(); ++b) {
    const std::string name = b == 0 ? "sm" : "morph_" + std::to_string(b);
    std::printf("  %-10s %10.4f %10.4f\n",
                name.c_str(),
                morpher.basis()(b, 0),
                morpher.basis()(b, 1));
  }
  std::printf(
      "\nExpected sum of squared weights over the ranges (lower is better):\n"
      "  goldmine (%d trials + gradient refinement): %.4f\n"
      "  MadMiner random search (%d trials):         %.4f\n",
      options.n_trials,
      optimised.objective,
      options.n_trials,
      objective.Value(madminer.basis));

  std::printf(
      "\nWeights w_b(theta) at a few points (sum of w^2 in the last "
      "column):\n");
  std::printf("  %8s %8s |", "c_HW", "c_Hq3");
  for (int b = 0; b < morpher.num_benchmarks(); ++b)
    std::printf(" %8s", b == 0 ? "sm" : ("w" + std::to_string(b)).c_str());
  std::printf(" | %8s\n", "sum w^2");
  const std::vector<Eigen::Vector2d> points = {
      {0.0, 0.0}, {0.5, 0.0}, {0.0, 0.1}, {-0.5, -0.1}, {1.0, 0.2}, {2.0, 0.4}};
  for (const Eigen::Vector2d& theta : points) {
    const Eigen::VectorXd weights = morpher.Weights(theta);
    std::printf("  %8.3f %8.3f |", theta(0), theta(1));
    for (int b = 0; b < weights.size(); ++b)
      std::printf(" %8.4f", Cleaned(weights(b)));
    std::printf(" | %8.4f\n", weights.squaredNorm());
  }
  std::printf(
      "\n(The last point lies outside the ranges: weights grow quickly "
      "there.)\n");
  return 0;
}
