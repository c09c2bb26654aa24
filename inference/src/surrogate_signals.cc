#include "goldmine/inference/surrogate_signals.h"

#include "goldmine/core/errors.h"
#include "goldmine/inference/patchset.h"
#include "goldmine/inference/pyhf_schema.h"
#include "goldmine/inference/workspace_json.h"

namespace goldmine::inference {

SurrogateSignals LoadSurrogateSignals(
    const SourcedText& workspace,
    const std::optional<SourcedText>& patchset,
    const std::vector<SourcedText>& patches,
    const std::string& measurement) {
  std::vector<Workspace> workspaces;
  if (patchset) {
    ValidatePyhfWorkspace(workspace.text, workspace.source);
    for (const std::string& name :
         PatchSetNames(patchset->text, patchset->source)) {
      workspaces.push_back(Workspace::FromJson(
          ApplyPatchSet(workspace.text, patchset->text, name, patchset->source),
          workspace.source + " + " + patchset->source + ":" + name));
    }
  }
  if (!patches.empty()) {
    ValidatePyhfWorkspace(workspace.text, workspace.source);
    for (const SourcedText& patch : patches) {
      workspaces.push_back(Workspace::FromJson(
          ApplyModelPatch(
              workspace.text, patch.text, measurement, patch.source),
          workspace.source + " + " + patch.source));
    }
  }
  if (workspaces.empty()) {
    workspaces.push_back(Workspace::FromJson(workspace.text, workspace.source));
  }
  std::vector<std::string> channels;
  for (const Workspace& signal : workspaces) {
    for (const std::string& name : SignalChannels(signal, measurement)) {
      channels.push_back(name);
    }
  }
  if (channels.empty()) {
    throw InvalidInput(workspaces.front().source +
                       ": no sample carries the POI's normfactor; give the "
                       "signal points with --patchset or --patch");
  }
  ModelOptions options;
  options.measurement = measurement;
  SurrogateSignals signals;
  // The background model of the first signal point (a patch may also remove
  // channels, as the sbottom patches remove the validation region).
  signals.likelihood =
      std::make_unique<YieldLikelihood>(workspaces.front(), channels, options);
  for (const Workspace& signal : workspaces) {
    signals.points.push_back(signals.likelihood->SignalYields(signal));
    signals.sources.push_back(signal.source);
  }
  return signals;
}

}  // namespace goldmine::inference
