#include "morphing_case.h"

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/morphing/basis_optimizer.h"
#include "goldmine/morphing/morpher.h"
#include "goldmine/morphing/sum_squared_weights.h"

namespace goldmine::cli {
namespace {

using morphing::BasisOptimizerOptions;
using morphing::Components;
using morphing::Morpher;

nlohmann::ordered_json MatrixToJson(const Eigen::MatrixXd& matrix) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (Eigen::Index r = 0; r < matrix.rows(); ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (Eigen::Index c = 0; c < matrix.cols(); ++c)
      row.push_back(matrix(r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

nlohmann::ordered_json MatrixToJson(const Eigen::MatrixXi& matrix) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (Eigen::Index r = 0; r < matrix.rows(); ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (Eigen::Index c = 0; c < matrix.cols(); ++c)
      row.push_back(matrix(r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Runs `step`; library messages start with the key ("basis: ..."), so put
// the file and the case in front of them, unless they already name it.
template <typename Step>
auto InCase(const JsonNode& input, Step&& step) -> decltype(step()) {
  try {
    return step();
  } catch (const InvalidInput& error) {
    const std::string message = error.what();
    if (message.rfind(input.Where(), 0) == 0) throw;
    throw InvalidInput(input.Where() + (input.path().empty() ? ": " : ".") +
                       message);
  }
}

Components ReadComponents(const JsonNode& input) {
  if (input.Has("components")) {
    const JsonNode node = input.At("components");
    const std::vector<JsonNode> rows = node.Elements(-1, "components");
    if (rows.empty()) node.Fail("a non-empty list of components");
    const int num_parameters = static_cast<int>(rows.front().Elements().size());
    Eigen::MatrixXi powers(static_cast<Eigen::Index>(rows.size()),
                           num_parameters);
    for (std::size_t c = 0; c < rows.size(); ++c) {
      const std::vector<int> row =
          rows[c].AsInts(num_parameters, "powers (one per parameter)");
      for (int p = 0; p < num_parameters; ++p) {
        if (row[p] < 0) rows[c].Fail("non-negative powers");
        powers(static_cast<Eigen::Index>(c), p) = row[p];
      }
    }
    if (input.Has("parameter_max_power")) {
      input.At("parameter_max_power")
          .AsInts(num_parameters, "integers (one per parameter)");
    }
    return Components(powers);
  }
  const JsonNode max_power_node = input.At("parameter_max_power");
  const std::vector<int> max_powers =
      max_power_node.AsInts(-1, "integers (one per parameter)");
  if (max_powers.empty()) max_power_node.Fail("one integer per parameter");
  for (std::size_t p = 0; p < max_powers.size(); ++p) {
    if (max_powers[p] < 0)
      max_power_node.Elements()[p].Fail("a non-negative integer");
  }
  std::optional<int> max_overall_power;
  if (input.Has("max_overall_power") &&
      !input.At("max_overall_power").value().is_null()) {
    const JsonNode node = input.At("max_overall_power");
    max_overall_power = node.AsInt();
    if (*max_overall_power < 0) node.Fail("a non-negative integer or null");
  }
  return Components::FromMaxPowers(max_powers, max_overall_power);
}

ParameterRanges ReadRanges(const JsonNode& node, int num_parameters) {
  ParameterRanges ranges;
  for (const JsonNode& range_node : node.Elements(
           num_parameters, "ranges (one [lower, upper] per parameter)")) {
    const std::vector<double> bounds =
        range_node.AsDoubles(2, "numbers [lower, upper]");
    if (!(bounds[0] < bounds[1]))
      range_node.Fail("[lower, upper] with lower < upper");
    ranges.push_back({bounds[0], bounds[1]});
  }
  return ranges;
}

}  // namespace

nlohmann::ordered_json SolveMorphingCase(const JsonNode& input,
                                         std::uint64_t default_seed,
                                         std::ostream* log) {
  input.RequireOnlyKeys({"name",
                         "parameter_names",
                         "parameter_max_power",
                         "max_overall_power",
                         "parameter_range",
                         "thetas",
                         "basis",
                         "seed",
                         "n_trials",
                         "components",
                         "fixed_benchmarks",
                         "benchmark_names"});
  nlohmann::ordered_json output;
  if (input.Has("name")) output["name"] = input.At("name").AsString();

  const Components components =
      InCase(input, [&] { return ReadComponents(input); });
  const int num_parameters = components.num_parameters();
  if (input.Has("parameter_names")) {
    output["parameter_names"] =
        input.At("parameter_names")
            .AsStrings(num_parameters, "names (one per parameter)");
  }
  std::optional<ParameterRanges> ranges;
  if (input.Has("parameter_range")) {
    ranges = ReadRanges(input.At("parameter_range"), num_parameters);
  }
  const std::string point_what = "benchmark points";

  nlohmann::ordered_json optimization;
  const Eigen::MatrixXd basis = InCase(input, [&]() -> Eigen::MatrixXd {
    if (input.Has("basis")) {
      if (input.Has("fixed_benchmarks")) {
        throw InvalidInput(
            input.At("fixed_benchmarks").Where() +
            ": only used when the basis is optimised, but \"basis\" is given");
      }
      return input.At("basis").AsMatrix(num_parameters, point_what);
    }
    if (!ranges) {
      throw InvalidInput(
          input.Where() +
          ": missing key \"parameter_range\" (needed to optimise a basis "
          "when \"basis\" is absent)");
    }
    BasisOptimizerOptions options;
    options.seed =
        input.Has("seed") ? input.At("seed").AsUnsigned() : default_seed;
    if (input.Has("n_trials")) {
      const JsonNode node = input.At("n_trials");
      options.n_trials = node.AsInt();
      if (options.n_trials < 1) node.Fail("a positive integer");
    }
    const Eigen::MatrixXd fixed =
        input.Has("fixed_benchmarks")
            ? input.At("fixed_benchmarks").AsMatrix(num_parameters, point_what)
            : Eigen::MatrixXd(0, num_parameters);
    if (log != nullptr) {
      *log << "goldmine morphing: " << input.Where()
           << ": optimising a basis for " << components.Description() << " ("
           << options.n_trials << " trials, seed " << options.seed << ")"
           << std::endl;
    }
    const auto result =
        morphing::OptimizeBasis(components, *ranges, fixed, options);
    if (log != nullptr) {
      *log << "goldmine morphing: " << input.Where()
           << ": expected sum of squared weights " << result.objective
           << " (best random proposal " << result.best_proposal_objective << ")"
           << std::endl;
    }
    optimization["objective"] = result.objective;
    optimization["best_proposal_objective"] = result.best_proposal_objective;
    optimization["n_trials"] = result.n_trials;
    optimization["seed"] = options.seed;
    optimization["n_fixed_benchmarks"] = fixed.rows();
    optimization["gradient_steps"] = result.iterations;
    return result.basis;
  });
  const Morpher morpher =
      InCase(input, [&] { return Morpher(components, basis); });
  if (input.Has("benchmark_names")) {
    input.At("benchmark_names")
        .AsStrings(morpher.num_benchmarks(), "names (one per benchmark)");
  }

  Eigen::MatrixXd thetas(0, num_parameters);
  if (input.Has("thetas"))
    thetas = input.At("thetas").AsMatrix(num_parameters, "parameter points");

  output["components"] = MatrixToJson(components.powers());
  output["basis"] = MatrixToJson(morpher.basis());
  if (input.Has("benchmark_names"))
    output["benchmark_names"] = input.At("benchmark_names").value();
  output["morphing_matrix"] = MatrixToJson(morpher.morphing_matrix());
  output["basis_matrix_condition_number"] = morpher.condition_number();
  output["thetas"] = MatrixToJson(thetas);
  output["weights"] = MatrixToJson(morpher.WeightsBatch(thetas));
  nlohmann::ordered_json gradients = nlohmann::ordered_json::array();
  nlohmann::ordered_json sum_squared_weights = nlohmann::ordered_json::array();
  for (Eigen::Index i = 0; i < thetas.rows(); ++i) {
    const Eigen::VectorXd theta = thetas.row(i).transpose();
    gradients.push_back(MatrixToJson(morpher.WeightGradients(theta)));
    sum_squared_weights.push_back(morpher.SumSquaredWeights(theta));
  }
  output["weight_gradients"] = std::move(gradients);
  output["sum_squared_weights"] = std::move(sum_squared_weights);
  if (ranges) {
    const morphing::ExpectedSumSquaredWeights objective(components, *ranges);
    output["expected_sum_squared_weights"] = objective.Value(morpher.basis());
  }
  if (!optimization.is_null()) output["optimization"] = std::move(optimization);
  return output;
}

nlohmann::ordered_json SolveMorphingDocument(const JsonNode& document,
                                             std::ostream* log) {
  if (!document.value().is_object())
    document.Fail("a JSON object (a morphing case or {\"cases\": [...]})");
  constexpr std::uint64_t kDefaultSeed = 1;
  if (!document.Has("cases"))
    return SolveMorphingCase(document, kDefaultSeed, log);
  document.RequireOnlyKeys({"cases", "seed", "variant", "conventions"});
  const std::uint64_t seed =
      document.Has("seed") ? document.At("seed").AsUnsigned() : kDefaultSeed;
  nlohmann::ordered_json cases = nlohmann::ordered_json::array();
  for (const JsonNode& single :
       document.At("cases").Elements(-1, "morphing cases")) {
    cases.push_back(SolveMorphingCase(single, seed, log));
  }
  nlohmann::ordered_json output;
  output["cases"] = std::move(cases);
  return output;
}

}  // namespace goldmine::cli
