#include "goldmine/inference/workspace_inspection.h"

#include <map>
#include <set>

#include "goldmine/inference/interpolation.h"

namespace goldmine::inference {

namespace {

// pyhf inspect's "systematics": [[parameter, constraint, [modifier types]]]
// sorted by parameter name, with pyhf's constraint names.
std::vector<WorkspaceInspection::Systematic> PyhfSystematics(
    const Model& model,
    const std::set<std::pair<std::string, std::string>>& modifiers) {
  std::map<std::string, const ParameterSet*> sorted;
  for (const ParameterSet& set : model.parameter_sets()) {
    sorted[set.name] = &set;
  }
  std::vector<WorkspaceInspection::Systematic> systematics;
  for (const auto& [name, set] : sorted) {
    WorkspaceInspection::Systematic systematic;
    systematic.parameter = name;
    for (const auto& [modifier, type] : modifiers) {
      if (modifier == name) systematic.modifier_types.push_back(type);
    }
    systematic.constraint =
        set->constraint == ConstraintType::kGaussian  ? "constrained_by_normal"
        : set->constraint == ConstraintType::kPoisson ? "constrained_by_poisson"
                                                      : "unconstrained";
    systematics.push_back(systematic);
  }
  return systematics;
}

}  // namespace

WorkspaceInspection InspectWorkspace(const Workspace& workspace,
                                     const Model& model) {
  WorkspaceInspection result;
  std::set<std::string> samples;
  std::set<std::pair<std::string, std::string>> modifiers;
  for (const auto& [name, bins] : model.channels()) {
    for (const Channel& channel : workspace.channels) {
      if (channel.name != name) continue;
      WorkspaceInspection::ChannelSummary summary;
      summary.name = name;
      summary.bins = bins;
      for (const Sample& sample : channel.samples) {
        summary.samples.push_back(sample.name);
        samples.insert(sample.name);
        for (const Modifier& modifier : sample.modifiers) {
          modifiers.insert({modifier.name, ModifierTypeName(modifier.type)});
        }
      }
      result.channels.push_back(summary);
    }
  }
  result.samples.assign(samples.begin(), samples.end());
  result.modifiers.assign(modifiers.begin(), modifiers.end());
  for (const Measurement& measurement : workspace.measurements) {
    WorkspaceInspection::MeasurementSummary summary;
    summary.name = measurement.name;
    summary.poi = measurement.poi;
    for (const ParameterConfig& parameter : measurement.parameters) {
      summary.parameters.push_back(parameter.name);
    }
    result.measurements.push_back(summary);
  }
  result.systematics = PyhfSystematics(model, modifiers);
  if (model.has_poi()) result.poi = model.poi_name();
  result.normsys_interpcode = Description(model.options().normsys_code);
  result.histosys_interpcode = Description(model.options().histosys_code);
  result.num_parameters = model.num_parameters();
  result.num_main_bins = model.num_main_bins();
  result.num_auxdata = model.num_auxdata();
  for (const ParameterSet& set : model.parameter_sets()) {
    WorkspaceInspection::ParameterSetSummary summary;
    summary.name = set.name;
    summary.modifier_type = ModifierTypeName(set.type);
    summary.constraint = set.constraint == ConstraintType::kGaussian ? "normal"
                         : set.constraint == ConstraintType::kPoisson
                             ? "poisson"
                             : "none";
    summary.size = set.size;
    for (int i = 0; i < set.size; ++i) {
      summary.inits.push_back(model.inits()(set.offset + i));
      summary.bounds.emplace_back(model.lower_bounds()(set.offset + i),
                                  model.upper_bounds()(set.offset + i));
      summary.fixed.push_back(static_cast<bool>(model.fixed()[set.offset + i]));
    }
    result.parameter_sets.push_back(summary);
  }
  result.parameter_names = model.parameter_names();
  return result;
}

}  // namespace goldmine::inference
