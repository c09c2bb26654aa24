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
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/inference/interpolation.h"
#include "goldmine/inference/workspace.h"

namespace goldmine::inference {

struct ModelOptions {
  // Measurement to use; empty selects the first one in the workspace.
  std::string measurement;
  // pyhf's modifier_settings {"normsys": {"interpcode": ...}, "histosys":
  // {...}}. Defaults are pyhf's Model defaults (code4, code4p); note that a
  // pyhf modifier_settings dict that omits a type gives that type pyhf's
  // *class* default (normsys code1, histosys code0), see HISTFACTORY.md §4.4.
  // Every code is accepted for both types (interpolation.h explains the
  // combinations pyhf's Model rejects).
  InterpolationCode normsys_code = InterpolationCode::kCode4;
  InterpolationCode histosys_code = InterpolationCode::kCode4p;
  // pyhf.Model(clip_sample_data=x, clip_bin_data=y): expected rates are
  // raised to at least x per sample and bin, and the bin totals to at least
  // y (unset: no clipping, negative rates give a NaN likelihood). As in pyhf,
  // sample clipping also applies to the zero rate of a sample absent from a
  // channel (pyhf's samples × bins tensor), so a positive x adds x per absent
  // sample. Clipped rates do not depend on the parameters (zero gradient).
  std::optional<double> clip_sample_data;
  std::optional<double> clip_bin_data;

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
  // Negative expected rates give NaN, as in pyhf without clipping.
  double TwiceNll(const Eigen::VectorXd& pars,
                  const Eigen::VectorXd& data) const;
  // Same, also filling ∂(−2 ln L)/∂pars when gradient is not null.
  double TwiceNll(const Eigen::VectorXd& pars,
                  const Eigen::VectorXd& data,
                  Eigen::VectorXd* gradient) const;

  // Parameters on which some expected rate is not monotonic: a histosys or
  // normsys whose +1σ and −1σ variations lie on the same side of the nominal
  // in some sample and bin, or in the sum over a bin's samples. The
  // likelihood can then have several minima along that parameter; the fit
  // searches the other basins of these parameters (fit.h).
  const std::vector<int>& non_monotonic_parameters() const {
    return non_monotonic_;
  }

  // twice_nll at `pars` with parameter `parameter` set to each of `values`
  // and the others held: a 1D slice, computed from the rates of the bins
  // that parameter changes (much cheaper than full evaluations on large
  // workspaces). NaN where a rate turns negative.
  std::vector<double> TwiceNllSlice(const Eigen::VectorXd& pars,
                                    const Eigen::VectorXd& data,
                                    int parameter,
                                    const std::vector<double>& values) const;

  // The options the model was built with.
  const ModelOptions& options() const { return options_; }

  std::string Description() const;

 private:
  // One sample in one channel with its modifiers, prepared for evaluation:
  // interpolation coefficients are computed when the model is built.
  struct ScalarFactor {  // normfactor, lumi (no interpolator) or normsys
    int parameter;
    bool normsys;
    Interpolator interpolator;
  };
  struct HistoSysTerm {
    int parameter;
    std::vector<Interpolator> bins;
  };
  struct SampleTerm {
    int first_bin;  // global index of the channel's first bin
    std::vector<double> nominal;
    std::vector<ScalarFactor> scalars;
    // Offsets of per-bin parameter sets (shapefactor, shapesys, staterror):
    // bin b uses parameter offset + b.
    std::vector<int> bin_factors;
    std::vector<HistoSysTerm> histosys;
  };
  // ∂ν_bin/∂θ_parameter contribution of one sample.
  struct JacobianEntry {
    int bin;
    int parameter;
    double derivative;
  };

  void CheckSizes(const Eigen::VectorXd& pars,
                  const Eigen::VectorXd* data) const;
  // ν_b (clipped as configured); appends the non-zero ∂ν_b/∂θ of every
  // sample to *jacobian when not null.
  Eigen::VectorXd MainRates(const Eigen::VectorXd& pars,
                            std::vector<JacobianEntry>* jacobian) const;
  // Fills non_monotonic_ from the prepared sample terms.
  void FindNonMonotonicParameters();

  ModelOptions options_;
  std::vector<ParameterSet> sets_;
  std::vector<std::string> names_;
  std::vector<SampleTerm> samples_;
  std::vector<std::pair<std::string, int>> channel_bins_;
  // Per main bin: samples of the model absent from that bin's channel (they
  // count for clip_sample_data > 0, as in pyhf).
  std::vector<int> absent_samples_;
  int num_main_bins_ = 0;
  // Σ over Gaussian constraints of −ln(σ√2π), part of every twice_nll.
  double gaussian_normalisation_ = 0.0;
  int poi_index_ = -1;
  std::string poi_name_;
  std::vector<int> non_monotonic_;
  Eigen::VectorXd inits_;
  Eigen::VectorXd lower_bounds_;
  Eigen::VectorXd upper_bounds_;
  std::vector<bool> fixed_;
  Eigen::VectorXd auxdata_;
  Eigen::VectorXd observed_data_;
};

}  // namespace goldmine::inference
