// Binned EFT likelihoods as HistFactory models: the expected counts of every
// bin are morphing polynomials of the EFT parameters θ,
//
//   ν_b(θ) = L Σ_c comp_c(θ) Y_bc,      comp_c(θ) = Π_p θ_p^k_cp,
//
// where Y_bc is the cross section (pb) that morphing component c puts into
// bin b (from the per-bin sums of benchmark weights, Y = S Mᵀ with M the
// morphing matrix, DESIGN.md §2) and L the luminosity in pb⁻¹. At fixed θ the
// likelihood is an ordinary pyhf workspace (docs/HISTFACTORY.md) with one
// channel "eft" and one sample "signal":
//
//   - normfactor "mu", the POI pyhf requires; fixed at 1 in the measurement,
//     so that it never absorbs the EFT rate change;
//   - histosys per shape nuisance parameter: lo/hi templates are morphing
//     polynomials too (component yields of the ±1σ variations);
//   - normsys per normalisation nuisance parameter (lo, hi factors);
//   - lumi with a relative uncertainty (auxdata 1, sigma s, bounds 1 ± 5s);
//   - staterror "staterror_eft" from the Monte Carlo Σw² per bin
//     (Barlow–Beeston lite as pyhf: one γ_b per bin, Gaussian constraint).
//     The relative uncertainty r_b = √Σw²_b / ν_b is evaluated once, at a
//     reference point θ_ref (BinnedEftOptions::staterror_theta, usually
//     θ_true), with Σw²_b(θ) = comp(θ)ᵀ Q_b comp(θ) from the component second
//     moments Q_b, and the sample at θ carries δ_b = r_b ν_b(θ). Why: pyhf's
//     Gaussian constraint N(1 | γ_b, r_b) contains −ln r_b; a width that
//     followed θ would add a θ-dependent constant Σ_b 2 ln r_b(θ) to
//     −2 ln L and bias the limits (by several units of −2Δ ln L on the
//     MadMiner toy file). With r_b fixed, θ enters only through ν_b.
//
// Every likelihood value comes from the HistFactory engine (model.h) on the
// workspace at θ, so −2 ln L includes every constant as pyhf reports it and
// a workspace exported at θ reproduces it in pyhf. Interpolation codes are
// pyhf's defaults (normsys code4, histosys code4p) unless chosen otherwise.
//
// The nuisance parameter vector of every function here is the engine's
// parameter vector (model.h order, pyhf par_order) of the workspace at θ;
// its layout does not depend on θ.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "goldmine/inference/interpolation.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"

namespace goldmine::inference {

// A shape uncertainty: component yields of the −1σ and +1σ variations.
struct EftHistoSys {
  std::string name;
  Eigen::MatrixXd down;  // bins × components, pb
  Eigen::MatrixXd up;    // bins × components, pb
};

// A normalisation uncertainty: the sample is multiplied by lo (hi) at −1σ
// (+1σ).
struct EftNormSys {
  std::string name;
  double lo = 1.0;
  double hi = 1.0;
};

// Everything the binned likelihood needs, independent of where the
// histograms come from (an observable histogram of an events file, or a
// histogram of SALLY scores built by the limits engine).
struct BinnedEftInput {
  std::vector<std::string> parameter_names;  // P
  Eigen::MatrixXi component_powers;          // C × P: k_cp
  Eigen::MatrixXd component_yields;          // bins × C: Y_bc, pb
  // Per bin the C × C second moments Q_b = Σ_events W_e W_eᵀ (pb²) of the
  // component weights W_ec = Σ_b' M_cb' w_eb'. Empty: no staterror.
  std::vector<Eigen::MatrixXd> component_sum_squared_weights;
  std::vector<EftHistoSys> histosys;
  std::vector<EftNormSys> normsys;

  int num_bins() const { return static_cast<int>(component_yields.rows()); }
  int num_components() const {
    return static_cast<int>(component_powers.rows());
  }
  int num_parameters() const {
    return static_cast<int>(parameter_names.size());
  }

  // From per-bin sums over benchmarks: `benchmark_sums` is bins × B
  // (Σ_events w_eb in each bin, pb), `morphing_matrix` C × B. The optional
  // `benchmark_sum_squared_weights` holds one B × B matrix per bin
  // (Σ_events w_eb w_eb'); histosys templates are given per benchmark in
  // the same way (bins × B) and converted with the same matrix. Throws
  // InvalidInput on inconsistent shapes.
  static BinnedEftInput FromBenchmarkSums(
      std::vector<std::string> parameter_names,
      const Eigen::MatrixXi& component_powers,
      const Eigen::MatrixXd& morphing_matrix,
      const Eigen::MatrixXd& benchmark_sums,
      const std::vector<Eigen::MatrixXd>& benchmark_sum_squared_weights = {},
      const std::vector<EftHistoSys>& benchmark_histosys = {},
      std::vector<EftNormSys> normsys = {});

  // Throws InvalidInput listing every problem at once (shapes, names that
  // are empty, repeated or reserved, non-finite numbers, normsys factors
  // that are not > 0).
  void Validate() const;
};

struct BinnedEftOptions {
  double luminosity = 300000.0;  // pb⁻¹
  // Relative luminosity uncertainty; > 0 adds the lumi modifier.
  double lumi_uncertainty = 0.0;
  // Adds the staterror modifier when the input has second moments.
  bool staterror = true;
  // θ_ref of the relative staterror widths; empty: θ = 0 (the SM).
  Eigen::VectorXd staterror_theta;
  InterpolationCode normsys_code = InterpolationCode::kCode4;
  InterpolationCode histosys_code = InterpolationCode::kCode4p;

  // Lists every problem at once; empty when usable.
  std::string Validate() const;
  std::string Description() const;
};

// Names used in the workspaces (the pyhf JSON).
inline constexpr const char* kEftChannelName = "eft";
inline constexpr const char* kEftSampleName = "signal";
inline constexpr const char* kEftPoiName = "mu";
inline constexpr const char* kEftStatErrorName = "staterror_eft";
inline constexpr const char* kEftMeasurementName = "eft_measurement";

class BinnedEftModel {
 public:
  // Validates input and options (InvalidInput).
  BinnedEftModel(BinnedEftInput input, BinnedEftOptions options = {});

  const BinnedEftInput& input() const { return input_; }
  const BinnedEftOptions& options() const { return options_; }
  int num_parameters() const { return input_.num_parameters(); }
  int num_bins() const { return input_.num_bins(); }

  // ν_b(θ) = L Y comp(θ) at nominal nuisance parameters.
  Eigen::VectorXd Yields(const Eigen::VectorXd& theta) const;
  // ∂ν_b/∂θ_p, bins × P.
  Eigen::MatrixXd YieldGradients(const Eigen::VectorXd& theta) const;

  // The pyhf workspace at θ with `observed` counts (num_bins() values).
  // Throws InvalidInput for a wrong θ or data size.
  Workspace WorkspaceAt(const Eigen::VectorXd& theta,
                        const Eigen::VectorXd& observed) const;
  // The sample "signal" at θ (what a PatchSet patch replaces).
  Sample SampleAt(const Eigen::VectorXd& theta) const;
  // The engine model of WorkspaceAt(θ, observed).
  Model ModelAt(const Eigen::VectorXd& theta,
                const Eigen::VectorXd& observed) const;

  // Engine parameter names (pyhf par_names), the same at every θ.
  const std::vector<std::string>& nuisance_parameter_names() const {
    return nuisance_names_;
  }
  // Suggested nuisance values (inits; mu = 1).
  const Eigen::VectorXd& nominal_nuisance_parameters() const {
    return nominal_;
  }
  int poi_index() const { return poi_index_; }
  // r_b, the relative staterror width per bin (empty without staterror).
  const Eigen::VectorXd& relative_staterror() const {
    return relative_staterror_;
  }

  // Asimov counts at θ: the yields with nominal nuisance parameters.
  Eigen::VectorXd AsimovCounts(const Eigen::VectorXd& theta) const {
    return Yields(theta);
  }

  // −2 ln L(θ, nuisance | observed, nominal auxiliary data), every constant
  // included. +∞ when a bin's expected count is negative, or zero with a
  // positive observation (the engine would give NaN there).
  double TwiceNll(const Eigen::VectorXd& theta,
                  const Eigen::VectorXd& nuisance,
                  const Eigen::VectorXd& observed) const;

  std::string Description() const;

 private:
  void CheckTheta(const Eigen::VectorXd& theta) const;

  BinnedEftInput input_;
  BinnedEftOptions options_;
  // r_b of the staterror (empty without staterror).
  Eigen::VectorXd relative_staterror_;
  std::vector<std::string> nuisance_names_;
  Eigen::VectorXd nominal_;
  int poi_index_ = -1;
};

}  // namespace goldmine::inference
