#include "goldmine/morphing/components.h"

#include <algorithm>
#include <functional>
#include <set>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::morphing {
namespace {

// The largest power of one parameter in a component: power tables hold
// max_power + 1 columns per θ, and no physics model needs more.
constexpr int kMaxComponentPower = 64;

std::string RowText(const Eigen::MatrixXi& matrix, Eigen::Index row) {
  std::ostringstream text;
  text << "[";
  for (Eigen::Index col = 0; col < matrix.cols(); ++col) {
    text << (col > 0 ? ", " : "") << matrix(row, col);
  }
  text << "]";
  return text.str();
}

Eigen::MatrixXi ToMatrix(const std::vector<std::vector<int>>& rows,
                         int num_parameters) {
  Eigen::MatrixXi matrix(static_cast<Eigen::Index>(rows.size()),
                         num_parameters);
  for (std::size_t c = 0; c < rows.size(); ++c) {
    for (int p = 0; p < num_parameters; ++p) {
      matrix(static_cast<Eigen::Index>(c), p) = rows[c][p];
    }
  }
  return matrix;
}

}  // namespace

Components::Components(Eigen::MatrixXi powers) : powers_(std::move(powers)) {
  GOLDMINE_REQUIRE(powers_.rows() > 0 && powers_.cols() > 0,
                   "components: expected at least one component of at least "
                   "one parameter, got " +
                       std::to_string(powers_.rows()) + " x " +
                       std::to_string(powers_.cols()));
  std::set<std::vector<int>> seen;
  for (Eigen::Index c = 0; c < powers_.rows(); ++c) {
    std::vector<int> row(static_cast<std::size_t>(powers_.cols()));
    for (Eigen::Index p = 0; p < powers_.cols(); ++p) {
      row[static_cast<std::size_t>(p)] = powers_(c, p);
      GOLDMINE_REQUIRE(powers_(c, p) >= 0,
                       "components[" + std::to_string(c) +
                           "]: powers must be non-negative, got " +
                           RowText(powers_, c));
      // Power tables hold max_power + 1 columns per θ: a power of 10⁹
      // asked for 16 GB (a fuzz finding, issue 15).
      GOLDMINE_REQUIRE(powers_(c, p) <= kMaxComponentPower,
                       "components[" + std::to_string(c) +
                           "]: powers must "
                           "be at most " +
                           std::to_string(kMaxComponentPower) + ", got " +
                           RowText(powers_, c));
    }
    GOLDMINE_REQUIRE(seen.insert(row).second,
                     "components[" + std::to_string(c) +
                         "]: " + RowText(powers_, c) +
                         " appears twice; each monomial may appear once");
  }
  dependent_components_.resize(static_cast<std::size_t>(powers_.cols()));
  for (Eigen::Index p = 0; p < powers_.cols(); ++p) {
    for (Eigen::Index c = 0; c < powers_.rows(); ++c) {
      if (powers_(c, p) > 0) {
        dependent_components_[static_cast<std::size_t>(p)].push_back(
            static_cast<int>(c));
      }
    }
  }
}

namespace {

// Calls visit(powers) for every power tuple with k_p ≤ max_powers[p] and, when
// given, Σ_p k_p ≤ max_overall_power, in itertools.product order (last
// parameter fastest), and stops after `limit` tuples. Tuples over the total
// are skipped, never visited, so the work is proportional to the tuples kept
// even when Π(max_p + 1) is astronomically large. Returns the number visited.
template <typename Visit>
int EnumeratePowers(const std::vector<int>& max_powers,
                    std::optional<int> max_overall_power,
                    int limit,
                    Visit&& visit) {
  const int num_parameters = static_cast<int>(max_powers.size());
  std::vector<int> powers(static_cast<std::size_t>(num_parameters), 0);
  long long total = 0;
  int count = 0;
  while (count < limit) {
    visit(powers);
    ++count;
    // The next tuple: raise the last power that may still grow, zero the
    // ones after it.
    int p = num_parameters - 1;
    for (; p >= 0; --p) {
      int& power = powers[static_cast<std::size_t>(p)];
      if (power < max_powers[static_cast<std::size_t>(p)] &&
          (!max_overall_power || total + 1 <= *max_overall_power)) {
        ++power;
        ++total;
        break;
      }
      total -= power;
      power = 0;
    }
    if (p < 0) break;
  }
  return count;
}

void RequireMaxPowers(const std::vector<int>& max_powers,
                      std::optional<int> max_overall_power) {
  const int num_parameters = static_cast<int>(max_powers.size());
  GOLDMINE_REQUIRE(num_parameters > 0,
                   "parameter_max_power: expected one entry per parameter, "
                   "got an empty list");
  GOLDMINE_REQUIRE(num_parameters <= Components::kMaxParameters,
                   "parameter_max_power: expected at most " +
                       std::to_string(Components::kMaxParameters) +
                       " parameters, got " + std::to_string(num_parameters));
  for (int p = 0; p < num_parameters; ++p) {
    GOLDMINE_REQUIRE(
        max_powers[static_cast<std::size_t>(p)] >= 0,
        "parameter_max_power[" + std::to_string(p) +
            "]: expected a non-negative integer, got " +
            std::to_string(max_powers[static_cast<std::size_t>(p)]));
  }
  GOLDMINE_REQUIRE(!max_overall_power || *max_overall_power >= 0,
                   "max_overall_power: expected a non-negative integer, got " +
                       std::to_string(max_overall_power.value_or(0)));
}

}  // namespace

int Components::CountFromMaxPowers(const std::vector<int>& max_powers,
                                   std::optional<int> max_overall_power) {
  RequireMaxPowers(max_powers, max_overall_power);
  return EnumeratePowers(max_powers,
                         max_overall_power,
                         kMaxComponents + 1,
                         [](const std::vector<int>&) {});
}

Components Components::FromMaxPowers(const std::vector<int>& max_powers,
                                     std::optional<int> max_overall_power) {
  const int count = CountFromMaxPowers(max_powers, max_overall_power);
  GOLDMINE_REQUIRE(count <= kMaxComponents,
                   "parameter_max_power: these powers give more than " +
                       std::to_string(kMaxComponents) +
                       " components (a morphing needs as many benchmark "
                       "samples); expected lower powers or max_overall_power");
  std::vector<std::vector<int>> rows;
  EnumeratePowers(
      max_powers,
      max_overall_power,
      count,
      [&rows](const std::vector<int>& powers) { rows.push_back(powers); });
  return Components(ToMatrix(rows, static_cast<int>(max_powers.size())));
}

Components Components::FromCouplings(int num_production,
                                     int num_decay,
                                     int num_shared) {
  GOLDMINE_REQUIRE(num_production >= 0 && num_decay >= 0 && num_shared >= 0,
                   "couplings: expected non-negative numbers of production, "
                   "decay and shared couplings");
  const int num_parameters = num_decay + num_production + num_shared;
  GOLDMINE_REQUIRE(num_parameters > 0,
                   "couplings: expected at least one production, decay or "
                   "shared coupling, got none");
  // Parameter columns: decay couplings, then production, then shared.
  std::vector<int> production_side;
  std::vector<int> decay_side;
  for (int i = 0; i < num_decay; ++i) decay_side.push_back(i);
  for (int i = 0; i < num_production; ++i)
    production_side.push_back(num_decay + i);
  for (int i = 0; i < num_shared; ++i) {
    production_side.push_back(num_decay + num_production + i);
    decay_side.push_back(num_decay + num_production + i);
  }
  // A vertex without couplings contributes a factor 1, as in MadMiner
  // (a process with one vertex: (Σ g_production)² alone). kNone stands for
  // that factor in the loops below.
  constexpr int kNone = -1;
  if (production_side.empty()) production_side.push_back(kNone);
  if (decay_side.empty()) decay_side.push_back(kNone);
  // Every product g_a g_b g_c g_d with a, b from production and c, d from
  // decay; the coefficients are positive, so no monomial cancels.
  std::set<std::vector<int>, std::greater<>> monomials;
  for (int a : production_side) {
    for (int b : production_side) {
      for (int c : decay_side) {
        for (int d : decay_side) {
          std::vector<int> powers(static_cast<std::size_t>(num_parameters), 0);
          for (int index : {a, b, c, d}) {
            if (index != kNone) ++powers[static_cast<std::size_t>(index)];
          }
          monomials.insert(powers);
        }
      }
    }
  }
  return Components(
      ToMatrix({monomials.begin(), monomials.end()}, num_parameters));
}

int Components::max_power(int parameter) const {
  return powers_.col(parameter).maxCoeff();
}

void Components::RequireParameterCount(Eigen::Index count,
                                       const char* what) const {
  GOLDMINE_REQUIRE(count == num_parameters(),
                   std::string(what) + ": expected " +
                       std::to_string(num_parameters()) +
                       " parameter values, got " + std::to_string(count));
}

Eigen::VectorXd Components::Evaluate(const Eigen::VectorXd& theta) const {
  RequireParameterCount(theta.size(), "theta");
  return EvaluateBatch(theta.transpose()).row(0).transpose();
}

Eigen::MatrixXd Components::Gradient(const Eigen::VectorXd& theta) const {
  RequireParameterCount(theta.size(), "theta");
  const std::vector<Eigen::MatrixXd> batch = GradientBatch(theta.transpose());
  Eigen::MatrixXd gradient(num_parameters(), num_components());
  for (int p = 0; p < num_parameters(); ++p) {
    gradient.row(p) = batch[static_cast<std::size_t>(p)].row(0);
  }
  return gradient;
}

std::vector<Eigen::ArrayXXd> Components::PowerTables(
    const Eigen::MatrixXd& thetas) const {
  std::vector<Eigen::ArrayXXd> tables;
  for (int p = 0; p < num_parameters(); ++p) {
    Eigen::ArrayXXd table(thetas.rows(), max_power(p) + 1);
    table.col(0).setOnes();
    for (Eigen::Index k = 1; k < table.cols(); ++k) {
      table.col(k) = table.col(k - 1) * thetas.col(p).array();
    }
    tables.push_back(std::move(table));
  }
  return tables;
}

Eigen::MatrixXd Components::EvaluateBatch(const Eigen::MatrixXd& thetas) const {
  RequireParameterCount(thetas.cols(), "thetas");
  const std::vector<Eigen::ArrayXXd> tables = PowerTables(thetas);
  Eigen::MatrixXd values(thetas.rows(), num_components());
  for (int c = 0; c < num_components(); ++c) {
    auto column = values.col(c).array();
    column.setOnes();
    for (int p = 0; p < num_parameters(); ++p) {
      const int k = powers_(c, p);
      if (k > 0) column *= tables[static_cast<std::size_t>(p)].col(k);
    }
  }
  return values;
}

std::vector<Eigen::MatrixXd> Components::ReducedGradientBatch(
    const Eigen::MatrixXd& thetas) const {
  RequireParameterCount(thetas.cols(), "thetas");
  const std::vector<Eigen::ArrayXXd> tables = PowerTables(thetas);
  std::vector<Eigen::MatrixXd> gradients;
  for (int i = 0; i < num_parameters(); ++i) {
    const std::vector<int>& dependent = components_depending_on(i);
    Eigen::MatrixXd gradient(thetas.rows(),
                             static_cast<Eigen::Index>(dependent.size()));
    for (std::size_t j = 0; j < dependent.size(); ++j) {
      const int c = dependent[j];
      const int k_i = powers_(c, i);
      // k θ_i^(k-1) Π_{p≠i} θ_p^k_p, without dividing by θ_i (which may be 0).
      auto column = gradient.col(static_cast<Eigen::Index>(j)).array();
      column = k_i * tables[static_cast<std::size_t>(i)].col(k_i - 1);
      for (int p = 0; p < num_parameters(); ++p) {
        const int k = powers_(c, p);
        if (p != i && k > 0)
          column *= tables[static_cast<std::size_t>(p)].col(k);
      }
    }
    gradients.push_back(std::move(gradient));
  }
  return gradients;
}

std::vector<Eigen::MatrixXd> Components::GradientBatch(
    const Eigen::MatrixXd& thetas) const {
  const std::vector<Eigen::MatrixXd> reduced = ReducedGradientBatch(thetas);
  std::vector<Eigen::MatrixXd> gradients;
  for (int i = 0; i < num_parameters(); ++i) {
    Eigen::MatrixXd gradient =
        Eigen::MatrixXd::Zero(thetas.rows(), num_components());
    const std::vector<int>& dependent = components_depending_on(i);
    for (std::size_t j = 0; j < dependent.size(); ++j) {
      gradient.col(dependent[j]) = reduced[static_cast<std::size_t>(i)].col(
          static_cast<Eigen::Index>(j));
    }
    gradients.push_back(std::move(gradient));
  }
  return gradients;
}

std::string Components::Description() const {
  std::ostringstream text;
  text << num_components() << " components of " << num_parameters()
       << " parameters (max powers ";
  for (int p = 0; p < num_parameters(); ++p)
    text << (p > 0 ? "," : "") << max_power(p);
  text << ")";
  return text.str();
}

}  // namespace goldmine::morphing
