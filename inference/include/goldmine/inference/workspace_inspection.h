// pyhf inspect: a summary of a workspace and of the Model built from it
// (`goldmine histfactory inspect`, DESIGN.md §5.7). The keys pyhf's inspect
// prints ("systematics" as [parameter, constraint, [modifier types]] with
// pyhf's constraint names) plus goldmine's: every parameter set in pyhf's
// par_order with its inits, bounds and fixed flags, and the sizes of the
// parameter and data vectors.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"

namespace goldmine::inference {

struct WorkspaceInspection {
  struct ChannelSummary {
    std::string name;
    int bins = 0;
    std::vector<std::string> samples;  // file order
  };
  struct MeasurementSummary {
    std::string name;
    std::string poi;
    std::vector<std::string> parameters;  // configured, file order
  };
  // pyhf inspect's systematics entry.
  struct Systematic {
    std::string parameter;
    // "constrained_by_normal", "constrained_by_poisson" or "unconstrained".
    std::string constraint;
    std::vector<std::string> modifier_types;  // sorted
  };
  struct ParameterSetSummary {
    std::string name;
    std::string modifier_type;  // the type that created the set
    std::string constraint;     // "normal", "poisson" or "none"
    int size = 0;
    std::vector<double> inits;
    std::vector<std::pair<double, double>> bounds;
    std::vector<bool> fixed;
  };

  std::vector<ChannelSummary> channels;  // the Model's order (sorted)
  std::vector<std::string> samples;      // names, sorted, each once
  // (modifier name, type), sorted, each pair once.
  std::vector<std::pair<std::string, std::string>> modifiers;
  std::vector<MeasurementSummary> measurements;  // file order
  std::vector<Systematic> systematics;           // sorted by parameter
  std::optional<std::string> poi;                // none: no POI
  std::string normsys_interpcode;                // interpolation.h names
  std::string histosys_interpcode;
  int num_parameters = 0;
  int num_main_bins = 0;
  int num_auxdata = 0;
  std::vector<ParameterSetSummary> parameter_sets;  // pyhf par_order
  std::vector<std::string> parameter_names;         // "name[i]" per entry
};

// The summary of `workspace` and `model`, which must be built from it (for
// inspection, from workspace.WithZeroObservations(), so that workspaces
// without usable observations can be inspected as in pyhf).
WorkspaceInspection InspectWorkspace(const Workspace& workspace,
                                     const Model& model);

}  // namespace goldmine::inference
