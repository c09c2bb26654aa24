// Observables, cuts and efficiencies of one analysis, with MadMiner's
// semantics (MADMINER.md §3; madminer/utils/interfaces/lhe.py):
//  1. Observables in order. An undefined value (expression.h) of a required
//     observable drops the event; otherwise the value is the default, or NaN
//     without one. Later observables, cuts and efficiencies may use the names
//     of earlier observables, which stand for these values.
//  2. Cuts in order. A cut passes when its value is not 0 (NaN passes, as in
//     Python). An undefined cut passes when pass_if_undefined (MadMiner's
//     add_cut(..., pass_if_not_parsed), called `required` in MADMINER.md) and
//     fails otherwise. A failed cut drops the event.
//  3. Efficiencies: each value (its default when undefined) multiplies the
//     event's weights; a value ≤ 0 (or NaN) drops the event.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/mining/expression.h"
#include "goldmine/mining/physics_objects.h"

namespace goldmine::mining {

struct ObservableDefinition {
  std::string name;        // an identifier, not a reserved expression name
  std::string expression;  // e.g. "(l[0] + met).mt"
  bool required = false;
  std::optional<double> default_value;  // NaN when unset
};

struct CutDefinition {
  std::string expression;  // e.g. "met.pt > 20 and n_jets >= 2"
  bool pass_if_undefined = false;
};

struct EfficiencyDefinition {
  std::string expression;
  double default_value = 1.0;
};

class EventAnalysis {
 public:
  // Parses everything. Throws InvalidInput for the first bad definition: a
  // duplicate or reserved observable name (naming it), or a parse error
  // ("observable pt_W: column 9: expected ')', got 'met'", "cut 2: ...",
  // "efficiency 1: ..."; cuts and efficiencies are counted from 1).
  EventAnalysis(std::vector<ObservableDefinition> observables,
                std::vector<CutDefinition> cuts,
                std::vector<EfficiencyDefinition> efficiencies = {});

  // Evaluates one event. `observables` must have num_observables() entries
  // and receives the values (also when the event is dropped, partially).
  // Returns false when the event is dropped (required observable undefined,
  // failed cut, efficiency ≤ 0); otherwise *efficiency_factor (may be null)
  // is the product of the efficiencies.
  bool Analyse(const EventObjects& objects,
               Eigen::Ref<Eigen::VectorXd> observables,
               double* efficiency_factor) const;

  int num_observables() const { return static_cast<int>(observables_.size()); }
  const std::vector<ObservableDefinition>& observables() const {
    return observables_;
  }
  std::vector<std::string> observable_names() const;
  const std::vector<CutDefinition>& cuts() const { return cuts_; }
  const std::vector<EfficiencyDefinition>& efficiencies() const {
    return efficiencies_;
  }
  // One line per definition, for logs.
  std::string Description() const;

 private:
  std::vector<ObservableDefinition> observables_;
  std::vector<CutDefinition> cuts_;
  std::vector<EfficiencyDefinition> efficiencies_;
  std::vector<Expression> observable_expressions_;
  std::vector<Expression> cut_expressions_;
  std::vector<Expression> efficiency_expressions_;
};

struct DefaultObservableOptions {
  int n_leptons_max = 2;
  int n_photons_max = 2;
  int n_jets_max = 2;
  bool include_met = true;
  bool include_visible_sum = true;
  bool include_numbers = true;
  // MadMiner's include_charge never adds anything (its loop pairs the flag
  // with jets but adds charges for leptons only), so the default here
  // reproduces its output; true adds charge_l1, charge_l2, ... .
  bool include_lepton_charge = false;
};

// MadMiner's LHEReader.add_default_observables: et_miss, phi_miss (required),
// e_visible, eta_visible (required), then for l, a, j in that order n_ls
// (required), e_l1, pt_l1, eta_l1, phi_l1, ... (default 0).
std::vector<ObservableDefinition> DefaultObservables(
    const DefaultObservableOptions& options = {});

}  // namespace goldmine::mining
