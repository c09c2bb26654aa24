#include "goldmine/morphing/morphing_case.h"

#include <cmath>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/morphing/basis_optimizer.h"
#include "goldmine/morphing/coupling_basis.h"
#include "goldmine/morphing/morpher.h"
#include "goldmine/morphing/sum_squared_weights.h"

namespace goldmine::morphing {
namespace {

using core::JsonNode;

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
// the file and the case in front of them, unless they already name it. A
// leading "basis" is renamed `basis_key` (the coupling form's basis_s).
template <typename Step>
auto InCase(const JsonNode& input,
            Step&& step,
            const std::string& basis_key = "basis") -> decltype(step()) {
  try {
    return step();
  } catch (const InvalidInput& error) {
    std::string message = WithoutSourceLocation(error.what());
    if (message.rfind(input.Where(), 0) == 0) throw InvalidInput(message);
    if (basis_key != "basis" && message.rfind("basis:", 0) == 0)
      message = basis_key + message.substr(5);
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
  const std::vector<JsonNode> max_power_nodes = max_power_node.Elements();
  for (std::size_t p = 0; p < max_powers.size(); ++p) {
    if (max_powers[p] < 0) max_power_nodes[p].Fail("a non-negative integer");
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

// Everything a case describes, read and checked before any long computation
// (a basis optimisation can take seconds).
struct CaseInput {
  std::optional<Components> components;
  std::optional<Eigen::MatrixXd> basis;  // absent: optimise one
  std::string basis_key = "basis";
  std::vector<std::string> coupling_names;  // coupling form only
  std::optional<ParameterRanges> ranges;
  Eigen::MatrixXd thetas;
  Eigen::MatrixXd fixed_benchmarks;
  BasisOptimizerOptions options;
};

// Throws InvalidInput naming `key` and the benchmark when a component of a
// benchmark (a power θ^k) overflows a double: the basis matrix would hold
// infinities.
void RequireRepresentablePowers(const JsonNode& input,
                                const Components& components,
                                const Eigen::MatrixXd& benchmarks,
                                const std::string& key) {
  const Eigen::MatrixXd values = components.EvaluateBatch(benchmarks);
  for (Eigen::Index b = 0; b < values.rows(); ++b) {
    if (!values.row(b).allFinite()) {
      throw InvalidInput(input.Where() + (input.path().empty() ? ": " : ".") +
                         key + ": benchmark " + std::to_string(b) +
                         ": its powers θ^k overflow the range of a double; "
                         "expected smaller parameter values");
    }
  }
}

CaseInput ReadCase(const JsonNode& input, std::uint64_t default_seed) {
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
                         "benchmark_names",
                         "n_production_couplings",
                         "n_decay_couplings",
                         "n_shared_couplings",
                         "basis_p",
                         "basis_d",
                         "basis_s"});
  if (input.Has("name")) input.At("name").AsString();
  CaseInput read;
  if (IsCouplingForm(input)) {
    CouplingBasis coupling =
        InCase(input, [&] { return ReadCouplingBasis(input); });
    read.components = std::move(coupling.components);
    read.basis = std::move(coupling.basis);
    read.basis_key = std::move(coupling.basis_key);
    read.coupling_names = std::move(coupling.coupling_names);
  } else {
    read.components = InCase(input, [&] { return ReadComponents(input); });
  }
  const Components& components = *read.components;
  const int num_parameters = components.num_parameters();
  if (input.Has("parameter_names")) {
    input.At("parameter_names")
        .AsStrings(num_parameters, "names (one per parameter)");
  }
  if (input.Has("parameter_range")) {
    read.ranges = ReadRanges(input.At("parameter_range"), num_parameters);
    // E[θ^k] up to twice the highest powers enter the expected Σw²; ranges
    // whose moments overflow would give infinite or NaN results.
    const ExpectedSumSquaredWeights objective(components, *read.ranges);
    if (!objective.second_moments().allFinite()) {
      input.At("parameter_range")
          .Fail("ranges whose powers θ^k (k up to " +
                std::to_string(2 * components.powers().maxCoeff()) +
                ") stay within the range of a double");
    }
  }
  read.thetas = Eigen::MatrixXd(0, num_parameters);
  if (input.Has("thetas")) {
    read.thetas =
        input.At("thetas").AsMatrix(num_parameters, "parameter points");
  }

  const std::string point_what = "benchmark points";
  if (input.Has("basis")) {
    if (input.Has("fixed_benchmarks")) {
      throw InvalidInput(
          input.At("fixed_benchmarks").Where() +
          ": only used when the basis is optimised, but \"basis\" is given");
    }
    read.basis = input.At("basis").AsMatrix(num_parameters, point_what);
  }
  if (read.basis) {
    RequireRepresentablePowers(input, components, *read.basis, read.basis_key);
  } else {
    if (!read.ranges) {
      throw InvalidInput(
          input.Where() +
          ": missing key \"parameter_range\" (needed to optimise a basis "
          "when \"basis\" is absent)");
    }
    read.options.seed =
        input.Has("seed") ? input.At("seed").AsUnsigned() : default_seed;
    if (input.Has("n_trials")) {
      const JsonNode node = input.At("n_trials");
      read.options.n_trials = node.AsInt();
      if (read.options.n_trials < 1 || read.options.n_trials > kMaxBasisTrials)
        node.Fail("an integer from 1 to " + std::to_string(kMaxBasisTrials));
    }
    read.fixed_benchmarks =
        input.Has("fixed_benchmarks")
            ? input.At("fixed_benchmarks").AsMatrix(num_parameters, point_what)
            : Eigen::MatrixXd(0, num_parameters);
    RequireRepresentablePowers(
        input, components, read.fixed_benchmarks, "fixed_benchmarks");
    if (read.fixed_benchmarks.rows() > components.num_components()) {
      input.At("fixed_benchmarks")
          .Fail("at most " + std::to_string(components.num_components()) +
                " benchmarks (the number of components)");
    }
  }
  if (input.Has("benchmark_names")) {
    const int num_benchmarks = read.basis ? static_cast<int>(read.basis->rows())
                                          : components.num_components();
    input.At("benchmark_names")
        .AsStrings(num_benchmarks, "names (one per benchmark)");
  }
  return read;
}

// Weights, gradients and Σw² at every θ; throws InvalidInput naming the θ
// whose values overflow a double (they would be printed as null).
void AddWeights(const JsonNode& input,
                const Morpher& morpher,
                const Eigen::MatrixXd& thetas,
                nlohmann::ordered_json* output) {
  const Eigen::MatrixXd weights = morpher.WeightsBatch(thetas);
  nlohmann::ordered_json gradients = nlohmann::ordered_json::array();
  nlohmann::ordered_json sum_squared_weights = nlohmann::ordered_json::array();
  for (Eigen::Index i = 0; i < thetas.rows(); ++i) {
    const Eigen::VectorXd theta = thetas.row(i).transpose();
    const Eigen::MatrixXd gradient = morpher.WeightGradients(theta);
    const double sum_squares = morpher.SumSquaredWeights(theta);
    if (!weights.row(i).allFinite() || !gradient.allFinite() ||
        !std::isfinite(sum_squares)) {
      input.At("thetas").Elements()[static_cast<std::size_t>(i)].Fail(
          "a point whose morphing weights, their gradients and squares stay "
          "within the range of a double");
    }
    gradients.push_back(MatrixToJson(gradient));
    sum_squared_weights.push_back(sum_squares);
  }
  (*output)["thetas"] = MatrixToJson(thetas);
  (*output)["weights"] = MatrixToJson(weights);
  (*output)["weight_gradients"] = std::move(gradients);
  (*output)["sum_squared_weights"] = std::move(sum_squared_weights);
}

// The answer to a case read by ReadCase(); optimises a basis when none is
// given.
nlohmann::ordered_json SolveReadCase(const JsonNode& input,
                                     CaseInput read,
                                     std::ostream* log) {
  nlohmann::ordered_json output;
  if (input.Has("name")) output["name"] = input.At("name").value();
  const Components& components = *read.components;
  if (input.Has("parameter_names"))
    output["parameter_names"] = input.At("parameter_names").value();
  if (!read.coupling_names.empty()) output["couplings"] = read.coupling_names;

  nlohmann::ordered_json optimization;
  if (!read.basis) {
    read.basis = InCase(input, [&]() -> Eigen::MatrixXd {
      if (log != nullptr) {
        *log << "goldmine morphing: " << input.Where()
             << ": optimising a basis for " << components.Description() << " ("
             << read.options.n_trials << " trials, seed " << read.options.seed
             << ")" << std::endl;
      }
      const auto result = OptimizeBasis(
          components, *read.ranges, read.fixed_benchmarks, read.options);
      if (log != nullptr) {
        *log << "goldmine morphing: " << input.Where()
             << ": expected sum of squared weights " << result.objective
             << " (best random proposal " << result.best_proposal_objective
             << ")" << std::endl;
      }
      optimization["objective"] = result.objective;
      optimization["best_proposal_objective"] = result.best_proposal_objective;
      optimization["n_trials"] = result.n_trials;
      optimization["seed"] = read.options.seed;
      optimization["n_fixed_benchmarks"] = read.fixed_benchmarks.rows();
      optimization["gradient_steps"] = result.iterations;
      return result.basis;
    });
  }
  const Morpher morpher = InCase(
      input, [&] { return Morpher(components, *read.basis); }, read.basis_key);

  output["components"] = MatrixToJson(components.powers());
  output["basis"] = MatrixToJson(morpher.basis());
  if (input.Has("benchmark_names"))
    output["benchmark_names"] = input.At("benchmark_names").value();
  output["morphing_matrix"] = MatrixToJson(morpher.morphing_matrix());
  output["basis_matrix_condition_number"] = morpher.condition_number();
  AddWeights(input, morpher, read.thetas, &output);
  if (read.ranges) {
    const ExpectedSumSquaredWeights objective(components, *read.ranges);
    const double expected = objective.Value(morpher.basis());
    if (!std::isfinite(expected)) {
      input.At("parameter_range")
          .Fail(
              "ranges over which the expected sum of squared weights stays "
              "within the range of a double");
    }
    output["expected_sum_squared_weights"] = expected;
  }
  if (!optimization.is_null()) output["optimization"] = std::move(optimization);
  return output;
}

}  // namespace

nlohmann::ordered_json SolveMorphingCase(const JsonNode& input,
                                         std::uint64_t default_seed,
                                         std::ostream* log) {
  return SolveReadCase(input, ReadCase(input, default_seed), log);
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
  // Every case is read and checked, and those with a basis answered, before
  // the first basis optimisation starts.
  const std::vector<JsonNode> inputs =
      document.At("cases").Elements(-1, "morphing cases");
  std::vector<CaseInput> reads;
  std::vector<nlohmann::ordered_json> answers(inputs.size());
  for (std::size_t c = 0; c < inputs.size(); ++c) {
    reads.push_back(ReadCase(inputs[c], seed));
    if (reads.back().basis)
      answers[c] = SolveReadCase(inputs[c], std::move(reads.back()), log);
  }
  nlohmann::ordered_json cases = nlohmann::ordered_json::array();
  for (std::size_t c = 0; c < inputs.size(); ++c) {
    if (answers[c].is_null())
      answers[c] = SolveReadCase(inputs[c], std::move(reads[c]), log);
    cases.push_back(std::move(answers[c]));
  }
  nlohmann::ordered_json output;
  output["cases"] = std::move(cases);
  return output;
}

}  // namespace goldmine::morphing
