// Export of binned EFT likelihoods (eft_binned_model.h) as pyhf documents,
// written in pyhf's canonical formatting (workspace_json.h):
//
//  - workspace.json: the pyhf workspace at one θ (usually θ_true) with the
//    observed (or Asimov) counts; POI "mu" fixed at 1.
//  - patchset.json: a pyhf PatchSet with one patch per grid point, named
//    "point_<i>" (grid order), metadata.labels = the parameter names
//    (characters outside [A-Za-z0-9_] replaced by "_"), values = θ, and the
//    sha256 and md5 digests of workspace.json, and metadata.references =
//    {"hepdata": ID}. pyhf's schema requires exactly such a reference (an
//    INSPIRE id "ins" + 7 digits); without a published HEPData record the
//    placeholder kNoHepDataRecord ("ins0000000", which is no INSPIRE
//    record) is written, so the file stays valid for pyhf. Each patch replaces
//    the sample /channels/0/samples/0 ("signal": yields, histosys templates and
//    staterror at that θ), so `pyhf fit` of the patched workspace (or
//    `goldmine histfactory fit WS --patchset PS --patch-name point_i`) gives
//    the profiled −2 ln L of that grid point.
//  - eft_workspace.json: workspace.json plus a goldmine modifier of type
//    "morphing" on the signal sample holding the morphing itself, so that
//    goldmine can rebuild the likelihood at any θ:
//      {"name": "eft_morphing", "type": "morphing", "data": {
//         "parameters": [P names], "theta": [θ of the workspace],
//         "luminosity": L, "components": [C × P powers],
//         "yields": [bins × C, pb], "sum_squared_weights": [bins × C × C]
//         and "staterror_theta": [θ_ref] (both absent without staterror),
//         "histosys": [{"name", "lo": [bins × C],
//         "hi": [bins × C]}], "interpolation": {"normsys": "code4",
//         "histosys": "code4p"}}}
//    pyhf itself rejects the unknown modifier type; drop it (or use
//    workspace.json) for pyhf.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "goldmine/inference/eft_binned_model.h"
#include "goldmine/inference/eft_profile_likelihood.h"
#include "goldmine/inference/limits/theta_grid.h"

namespace goldmine::inference {

// Canonical pyhf JSON of a workspace struct (validated on the way out).
std::string WorkspaceToJson(const Workspace& workspace);

// workspace.json of `model` at θ with `observed` counts.
std::string ExportEftWorkspace(const BinnedEftModel& model,
                               const Eigen::VectorXd& theta,
                               const Eigen::VectorXd& observed);

// metadata.references.hepdata of a PatchSet without HEPData record.
inline constexpr const char* kNoHepDataRecord = "ins0000000";

// Throws InvalidInput "<what>: expected a HEPData id insNNNNNNN
// (^ins[0-9]{7}$), got ..." unless `id` matches pyhf's pattern.
void RequireHepDataId(const std::string& id, const std::string& what);

// patchset.json for the rows of `grid`, with the digests of
// `workspace_json` (the text ExportEftWorkspace returned) and the HEPData
// reference `hepdata_id` (checked with RequireHepDataId).
std::string ExportEftPatchSet(const BinnedEftModel& model,
                              const Eigen::MatrixXd& grid,
                              const std::string& workspace_json,
                              const std::string& hepdata_id = kNoHepDataRecord);

// Name of the patch of grid point i: "point_<i>".
std::string EftPatchName(int index);

// eft_workspace.json.
std::string ExportExtendedEftWorkspace(const BinnedEftModel& model,
                                       const Eigen::VectorXd& theta,
                                       const Eigen::VectorXd& observed);

// What eft_workspace.json holds.
struct ExtendedEftWorkspace {
  BinnedEftInput input;
  BinnedEftOptions options;
  Eigen::VectorXd theta;     // where the plain workspace part was evaluated
  Eigen::VectorXd observed;  // the observations
};

// Reads eft_workspace.json text. The pyhf part must be a valid workspace
// with the layout ExportExtendedEftWorkspace writes, and its signal sample
// must equal the morphing at "theta" (relative 1e-9): a file edited by hand
// in one place only is rejected. Throws FileFormatError (not JSON) or
// InvalidInput naming `source` and the JSON key.
ExtendedEftWorkspace ReadExtendedEftWorkspace(const std::string& text,
                                              const std::string& source);

// `goldmine eft-workspace`: the binned likelihood of an events file's
// histogram (eft_events_histogram.h) with Asimov data at θ_true, its limits
// profiled over every nuisance parameter on a grid, and the three documents
// above.

// Throws InvalidInput unless `axes` (ParseGridAxes of `grid_text`) give one
// axis per parameter of `events_file`, named as `parameter_names`, in that
// order. The messages quote grid_text and name events_file.
void RequireGridAxesMatchParameters(
    const std::vector<GridAxis>& axes,
    const std::vector<std::string>& parameter_names,
    const std::string& grid_text,
    const std::string& events_file);

struct EftWorkspaceDocuments {
  EftProfileResult profile;        // on EftWorkspaceStudy::grid()
  std::string workspace;           // workspace.json: θ_true, Asimov counts
  std::string patchset;            // patchset.json: one patch per grid point
  std::string extended_workspace;  // eft_workspace.json
};

// The study in two steps, so that the caller can report the model and the
// grid before the profile, which takes most of the time: the constructor
// builds the model, its Asimov counts and the grid; Run() profiles and
// exports.
class EftWorkspaceStudy {
 public:
  // `theta_true`: one value per parameter, where the Asimov data and the
  // workspaces are evaluated; it replaces options.staterror_theta (the
  // staterror widths are those at θ_true). `axes`: the grid, one axis per
  // parameter in the input's order (RequireGridAxesMatchParameters). Throws
  // InvalidInput for an unusable input or options, and for Asimov counts
  // that are negative in some bin ("--theta-true: ...").
  EftWorkspaceStudy(BinnedEftInput input,
                    const Eigen::VectorXd& theta_true,
                    BinnedEftOptions options,
                    const std::vector<GridAxis>& axes);

  const BinnedEftModel& model() const { return model_; }
  const Eigen::VectorXd& theta_true() const { return theta_true_; }
  // The expected counts at θ_true (num_bins values, all ≥ 0).
  const Eigen::VectorXd& asimov_counts() const { return asimov_counts_; }
  // Points × parameters, the first parameter slowest (MakeEftGrid).
  const Eigen::MatrixXd& grid() const { return grid_; }

  // Profiles the Asimov counts at every grid point (ProfileOnGrid) and
  // writes the documents, the PatchSet with the HEPData reference
  // `hepdata_id` (RequireHepDataId).
  EftWorkspaceDocuments Run(const EftProfileOptions& profile_options,
                            const std::string& hepdata_id) const;

 private:
  BinnedEftModel model_;
  Eigen::VectorXd theta_true_;
  Eigen::VectorXd asimov_counts_;
  Eigen::MatrixXd grid_;
};

}  // namespace goldmine::inference
