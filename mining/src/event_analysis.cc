#include "goldmine/mining/event_analysis.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::mining {
namespace {

bool IsIdentifier(const std::string& name) {
  if (name.empty()) return false;
  if (std::isalpha(static_cast<unsigned char>(name[0])) == 0 &&
      name[0] != '_') {
    return false;
  }
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_')
      return false;
  }
  return true;
}

}  // namespace

EventAnalysis::EventAnalysis(std::vector<ObservableDefinition> observables,
                             std::vector<CutDefinition> cuts,
                             std::vector<EfficiencyDefinition> efficiencies)
    : observables_(std::move(observables)),
      cuts_(std::move(cuts)),
      efficiencies_(std::move(efficiencies)) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const ObservableDefinition& observable : observables_) {
    if (!IsIdentifier(observable.name)) {
      throw InvalidInput("observable \"" + observable.name +
                         "\": a name must be letters, digits and '_', not "
                         "starting with a digit");
    }
    if (IsReservedExpressionName(observable.name)) {
      throw InvalidInput(
          "observable " + observable.name +
          ": the name is reserved in expressions (a collection, "
          "object, count, constant or function); choose another");
    }
    if (!seen.insert(observable.name).second) {
      throw InvalidInput("observable " + observable.name + " is defined twice");
    }
    observable_expressions_.emplace_back(
        observable.expression, names, "observable " + observable.name);
    names.push_back(observable.name);
  }
  for (std::size_t i = 0; i < cuts_.size(); ++i) {
    cut_expressions_.emplace_back(
        cuts_[i].expression, names, "cut " + std::to_string(i + 1));
  }
  for (std::size_t i = 0; i < efficiencies_.size(); ++i) {
    efficiency_expressions_.emplace_back(efficiencies_[i].expression,
                                         names,
                                         "efficiency " + std::to_string(i + 1));
  }
}

bool EventAnalysis::Analyse(const EventObjects& objects,
                            Eigen::Ref<Eigen::VectorXd> observables,
                            double* efficiency_factor) const {
  GOLDMINE_REQUIRE(observables.size() == num_observables(),
                   "EventAnalysis::Analyse: observables has " +
                       std::to_string(observables.size()) +
                       " entries, expected " +
                       std::to_string(num_observables()));
  double* values = observables.data();
  for (std::size_t i = 0; i < observables_.size(); ++i) {
    const std::optional<double> value =
        observable_expressions_[i].Evaluate(objects, values);
    if (value) {
      values[i] = *value;
    } else if (observables_[i].required) {
      for (std::size_t k = i; k < observables_.size(); ++k) {
        values[k] = std::numeric_limits<double>::quiet_NaN();
      }
      return false;
    } else {
      values[i] = observables_[i].default_value.value_or(
          std::numeric_limits<double>::quiet_NaN());
    }
  }
  for (std::size_t i = 0; i < cuts_.size(); ++i) {
    const std::optional<double> value =
        cut_expressions_[i].Evaluate(objects, values);
    const bool pass = value ? *value != 0.0 : cuts_[i].pass_if_undefined;
    if (!pass) return false;
  }
  double factor = 1.0;
  for (std::size_t i = 0; i < efficiencies_.size(); ++i) {
    const std::optional<double> value =
        efficiency_expressions_[i].Evaluate(objects, values);
    const double efficiency = value.value_or(efficiencies_[i].default_value);
    if (!(efficiency > 0.0)) return false;
    factor *= efficiency;
  }
  if (efficiency_factor != nullptr) *efficiency_factor = factor;
  return true;
}

std::vector<std::string> EventAnalysis::observable_names() const {
  std::vector<std::string> names;
  names.reserve(observables_.size());
  for (const ObservableDefinition& observable : observables_) {
    names.push_back(observable.name);
  }
  return names;
}

std::string EventAnalysis::Description() const {
  std::ostringstream out;
  for (const ObservableDefinition& observable : observables_) {
    out << "observable " << observable.name << " = " << observable.expression;
    if (observable.required) {
      out << " (required)";
    } else if (observable.default_value) {
      out << " (default " << *observable.default_value << ")";
    }
    out << "\n";
  }
  for (const CutDefinition& cut : cuts_) {
    out << "cut " << cut.expression
        << (cut.pass_if_undefined ? " (passes when undefined)" : "") << "\n";
  }
  for (const EfficiencyDefinition& efficiency : efficiencies_) {
    out << "efficiency " << efficiency.expression << " (default "
        << efficiency.default_value << ")\n";
  }
  return out.str();
}

std::vector<ObservableDefinition> DefaultObservables(
    const DefaultObservableOptions& options) {
  std::vector<ObservableDefinition> definitions;
  if (options.include_met) {
    definitions.push_back({"et_miss", "met.pt", true, std::nullopt});
    definitions.push_back({"phi_miss", "met.phi()", true, std::nullopt});
  }
  if (options.include_visible_sum) {
    definitions.push_back({"e_visible", "visible.e", true, std::nullopt});
    definitions.push_back({"eta_visible", "visible.eta", true, std::nullopt});
  }
  const std::pair<const char*, int> symbols[] = {{"l", options.n_leptons_max},
                                                 {"a", options.n_photons_max},
                                                 {"j", options.n_jets_max}};
  for (const auto& [symbol, n_max] : symbols) {
    const std::string s(symbol);
    if (options.include_numbers) {
      definitions.push_back(
          {"n_" + s + "s", "len(" + s + ")", true, std::nullopt});
    }
    for (int i = 0; i < n_max; ++i) {
      const std::string index = "[" + std::to_string(i) + "]";
      const std::string suffix = s + std::to_string(i + 1);
      definitions.push_back({"e_" + suffix, s + index + ".e", false, 0.0});
      definitions.push_back({"pt_" + suffix, s + index + ".pt", false, 0.0});
      definitions.push_back({"eta_" + suffix, s + index + ".eta", false, 0.0});
      definitions.push_back(
          {"phi_" + suffix, s + index + ".phi()", false, 0.0});
      if (options.include_lepton_charge && s == "l") {
        definitions.push_back(
            {"charge_" + suffix, s + index + ".charge", false, 0.0});
      }
    }
  }
  return definitions;
}

}  // namespace goldmine::mining
