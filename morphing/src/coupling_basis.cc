#include "goldmine/morphing/coupling_basis.h"

#include <optional>
#include <utility>

#include "goldmine/core/errors.h"

namespace goldmine::morphing {
namespace {

using core::JsonNode;

// One kind of coupling: its count key, its basis key, its symbol prefix.
struct CouplingKind {
  const char* count_key;
  const char* basis_key;
  const char* symbol;
};

// MadMiner's parameter order: decay, production, shared.
constexpr CouplingKind kKinds[] = {
    {"n_decay_couplings", "basis_d", "gd"},
    {"n_production_couplings", "basis_p", "gp"},
    {"n_shared_couplings", "basis_s", "gs"},
};

int ReadCount(const JsonNode& input, const CouplingKind& kind) {
  if (!input.Has(kind.count_key)) return 0;
  const JsonNode node = input.At(kind.count_key);
  const int count = node.AsInt();
  if (count < 0 || count > kMaxCouplingsPerKind) {
    node.Fail("an integer from 0 to " + std::to_string(kMaxCouplingsPerKind) +
              " (MadMiner's limit)");
  }
  return count;
}

// Rows of couplings, each with the same number of benchmarks: `rows` rows
// when rows >= 0. `num_benchmarks` is set by the first basis read and checked
// against by the others.
std::vector<std::vector<double>> ReadRows(const JsonNode& node,
                                          int rows,
                                          const std::string& what,
                                          std::optional<int>* num_benchmarks) {
  std::vector<std::vector<double>> values;
  for (const JsonNode& row : node.Elements(rows, what)) {
    const int columns = num_benchmarks->value_or(-1);
    values.push_back(row.AsDoubles(
        columns, "numbers (one per benchmark, as in the other rows)"));
    if (values.back().empty()) row.Fail("at least one benchmark value");
    *num_benchmarks = static_cast<int>(values.back().size());
  }
  return values;
}

}  // namespace

const std::vector<std::string>& CouplingFormKeys() {
  static const std::vector<std::string> keys = {"n_production_couplings",
                                                "n_decay_couplings",
                                                "n_shared_couplings",
                                                "basis_p",
                                                "basis_d",
                                                "basis_s"};
  return keys;
}

bool IsCouplingForm(const JsonNode& input) {
  for (const std::string& key : CouplingFormKeys()) {
    if (input.Has(key)) return true;
  }
  return false;
}

CouplingBasis ReadCouplingBasis(const JsonNode& input) {
  for (const char* key : {"parameter_max_power",
                          "max_overall_power",
                          "components",
                          "basis",
                          "seed",
                          "n_trials",
                          "fixed_benchmarks"}) {
    if (input.Has(key)) {
      throw InvalidInput(input.At(key).Where() +
                         ": not allowed in a coupling-basis case (with "
                         "n_*_couplings and basis_s); give either the "
                         "couplings and basis_s or the powers and basis");
    }
  }
  bool any_count = false;
  int counts[3];
  int num_parameters = 0;
  for (int k = 0; k < 3; ++k) {
    any_count = any_count || input.Has(kKinds[k].count_key);
    counts[k] = ReadCount(input, kKinds[k]);
    num_parameters += counts[k];
  }
  if (!any_count) {
    throw InvalidInput(input.Where() +
                       ": missing key \"n_shared_couplings\" (a coupling-basis "
                       "case needs n_production_couplings, n_decay_couplings "
                       "and/or n_shared_couplings)");
  }
  if (num_parameters == 0) {
    throw InvalidInput(input.Where() +
                       ": n_production_couplings, n_decay_couplings and "
                       "n_shared_couplings are all 0; expected at least one "
                       "coupling");
  }

  std::vector<std::string> coupling_names;
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < counts[k]; ++i)
      coupling_names.push_back(kKinds[k].symbol + std::to_string(i));
  }
  std::string basis_key;

  // The rows of the coupling basis, in parameter order.
  std::vector<std::vector<double>> rows;
  std::optional<int> num_benchmarks;
  const bool separate = input.Has("basis_d") || input.Has("basis_p");
  if (!separate) {
    if (!input.Has("basis_s")) {
      throw InvalidInput(input.Where() +
                         ": missing key \"basis_s\" (the coupling basis: one "
                         "row per coupling, one column per benchmark)");
    }
    rows =
        ReadRows(input.At("basis_s"),
                 num_parameters,
                 "rows (one per coupling: " + std::to_string(counts[0]) +
                     " decay, " + std::to_string(counts[1]) + " production, " +
                     std::to_string(counts[2]) + " shared, in this order)",
                 &num_benchmarks);
    basis_key = "basis_s";
  } else {
    for (int k = 0; k < 3; ++k) {
      const CouplingKind& kind = kKinds[k];
      if (!input.Has(kind.basis_key)) {
        if (counts[k] > 0) {
          throw InvalidInput(input.Where() + ": missing key \"" +
                             kind.basis_key + "\" (" + kind.count_key + " is " +
                             std::to_string(counts[k]) + ")");
        }
        continue;
      }
      const JsonNode node = input.At(kind.basis_key);
      if (counts[k] == 0) {
        throw InvalidInput(node.Where() + ": given, but " + kind.count_key +
                           " is 0");
      }
      const auto kind_rows = ReadRows(
          node,
          counts[k],
          std::string("rows (one per coupling of ") + kind.count_key + ")",
          &num_benchmarks);
      rows.insert(rows.end(), kind_rows.begin(), kind_rows.end());
      basis_key += (basis_key.empty() ? "" : "/") + std::string(kind.basis_key);
    }
  }

  Eigen::MatrixXd basis(*num_benchmarks, num_parameters);
  for (int p = 0; p < num_parameters; ++p) {
    for (int b = 0; b < *num_benchmarks; ++b)
      basis(b, p) =
          rows[static_cast<std::size_t>(p)][static_cast<std::size_t>(b)];
  }
  Components components =
      Components::FromCouplings(counts[1], counts[0], counts[2]);
  const int num_components = components.num_components();
  if (*num_benchmarks < num_components) {
    throw InvalidInput(input.Where() + (input.path().empty() ? ": " : ".") +
                       basis_key + ": " + std::to_string(*num_benchmarks) +
                       " benchmarks (columns) cannot determine " +
                       std::to_string(num_components) +
                       " morphing components; give at least " +
                       std::to_string(num_components));
  }
  return {std::move(components),
          std::move(basis),
          std::move(coupling_names),
          std::move(basis_key)};
}

}  // namespace goldmine::morphing
