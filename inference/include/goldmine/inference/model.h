// The HistFactory likelihood of a workspace, built exactly as pyhf builds it
// (docs/HISTFACTORY.md §2–§6):
//
//   L(θ | n, a) = Π_b Pois(n_b | ν_b(θ)) · Π_{p Gaussian} N(a_p | θ_p, σ_p)
//                                       · Π_{p Poisson} Pois(a_p | θ_p τ_p)
//
// with ν_b the sum over samples of (product of multiplicative modifiers) ×
// (nominal + additive histosys shifts). TwiceNll() is −2 ln L with every
// normalisation constant (lnΓ(n+1), ln σ√2π) included, so values compare
// directly with pyhf's twice_nll.
//
// Parameters are ordered as pyhf's model.config.par_order: parameter sets by
// modifier type (histosys, lumi, normfactor, normsys, shapefactor, shapesys,
// staterror), within a type by first appearance over sorted channels, sorted
// samples and sorted modifier names; vector sets are named "name[i]".
// Data vectors are main bins (channels sorted by name) followed by the
// auxiliary data of the constrained sets in parameter order.
#pragma once

#include <Eigen/Core>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/inference/interpolation.h"
#include "goldmine/inference/workspace.h"

namespace goldmine::inference {

struct ModelOptions {
  // Measurement to use; empty selects the first one in the workspace.
  std::string measurement;
  NormSysCode normsys_code = NormSysCode::kCode4;
  HistoSysCode histosys_code = HistoSysCode::kCode4p;

  std::string Description() const;
};

enum class ConstraintType { kNone, kGaussian, kPoisson };

// One named group of parameters (a scalar, or one per bin).
struct ParameterSet {
  std::string name;
  ModifierType type;  // the first modifier type that created it
  ConstraintType constraint = ConstraintType::kNone;
  int offset = 0;  // index of the first component in the parameter vector
  int size = 1;
  int auxdata_offset = -1;  // into the auxiliary data; -1 if unconstrained
  // Gaussian: σ per component. Poisson: τ per component (the rate is γτ).
  std::vector<double> widths;
};

class Model {
 public:
  // Throws InvalidInput for configurations pyhf rejects (unknown POI,
  // wrong-length parameter overrides, a lumi modifier without its
  // configuration, shared shapesys, ...), naming the JSON path.
  explicit Model(const Workspace& workspace, const ModelOptions& options = {});

  int num_parameters() const { return static_cast<int>(names_.size()); }
  int num_main_bins() const { return num_main_bins_; }
  int num_auxdata() const { return static_cast<int>(auxdata_.size()); }

  // pyhf's par_names: "mu", "staterror_ch[0]", ...
  const std::vector<std::string>& parameter_names() const { return names_; }
  // Index of a par_names entry; throws InvalidInput when unknown.
  int ParameterIndex(const std::string& name) const;
  const std::vector<ParameterSet>& parameter_sets() const { return sets_; }

  bool has_poi() const { return poi_index_ >= 0; }
  int poi_index() const { return poi_index_; }  // -1 without a POI
  const std::string& poi_name() const { return poi_name_; }

  // Suggested start values, bounds and fixed flags (pyhf's suggested_*).
  const Eigen::VectorXd& inits() const { return inits_; }
  const Eigen::VectorXd& lower_bounds() const { return lower_bounds_; }
  const Eigen::VectorXd& upper_bounds() const { return upper_bounds_; }
  const std::vector<bool>& fixed() const { return fixed_; }

  // Channel names in data order and their numbers of bins.
  const std::vector<std::pair<std::string, int>>& channels() const {
    return channel_bins_;
  }
  // Nominal auxiliary data (pyhf's model.config.auxdata).
  const Eigen::VectorXd& auxdata() const { return auxdata_; }
  // Observations (sorted channels) followed by auxdata(): what pyhf's
  // Workspace.data(model) returns.
  const Eigen::VectorXd& observed_data() const { return observed_data_; }

  // ν_b(θ) for the main bins. Requires pars.size() == num_parameters().
  Eigen::VectorXd ExpectedMainData(const Eigen::VectorXd& pars) const;
  // Expected auxiliary data: θ_p (Gaussian) and γ_p τ_p (Poisson).
  Eigen::VectorXd ExpectedAuxData(const Eigen::VectorXd& pars) const;
  // Main followed by auxiliary expectation (the Asimov data at pars).
  Eigen::VectorXd ExpectedData(const Eigen::VectorXd& pars) const;

  // −2 ln L(pars | data); data has num_main_bins() + num_auxdata() entries.
  // Negative expected rates give NaN, as in pyhf (no clipping).
  double TwiceNll(const Eigen::VectorXd& pars,
                  const Eigen::VectorXd& data) const;
  // Same, also filling ∂(−2 ln L)/∂pars when gradient is not null.
  double TwiceNll(const Eigen::VectorXd& pars,
                  const Eigen::VectorXd& data,
                  Eigen::VectorXd* gradient) const;

  std::string Description() const;

 private:
  struct AppliedModifier {
    ModifierType type;
    int parameter;  // offset of its parameter set
    double lo = 1.0;
    double hi = 1.0;
    std::vector<double> lo_data;
    std::vector<double> hi_data;
  };
  struct SampleTerm {
    int first_bin;  // global index of the channel's first bin
    std::vector<double> nominal;
    std::vector<AppliedModifier> modifiers;
  };

  void CheckSizes(const Eigen::VectorXd& pars,
                  const Eigen::VectorXd* data) const;
  // ν_b and, when jacobian_weights is not null, accumulates
  // Σ_b weight_b ∂ν_b/∂θ into gradient.
  Eigen::VectorXd MainRates(const Eigen::VectorXd& pars,
                            const Eigen::VectorXd* weights,
                            Eigen::VectorXd* gradient) const;

  ModelOptions options_;
  std::vector<ParameterSet> sets_;
  std::vector<std::string> names_;
  std::vector<SampleTerm> samples_;
  std::vector<std::pair<std::string, int>> channel_bins_;
  int num_main_bins_ = 0;
  int poi_index_ = -1;
  std::string poi_name_;
  Eigen::VectorXd inits_;
  Eigen::VectorXd lower_bounds_;
  Eigen::VectorXd upper_bounds_;
  std::vector<bool> fixed_;
  Eigen::VectorXd auxdata_;
  Eigen::VectorXd observed_data_;
};

}  // namespace goldmine::inference
