// The likelihood that a neural likelihood surrogate learns (issue 18,
// docs/surrogates.md): a HistFactory workspace's background model with a
// signal given by nothing but its expected yields s in the bins of the
// signal channels,
//
//   −2 ln L(s) = min over the nuisance parameters θ of twice_nll(μ = 1, θ; s),
//
// for the observed data and for the Asimov data of the background-only
// hypothesis (pyhf's generate_asimov_data at μ = 0: the expectation at the
// conditional fit to the observed data). Since μ s is the signal at POI value
// μ, this one function of s gives CLs and upper limits of every signal
// (likelihood_surrogate.h).
//
// The signal's own modifiers (its systematic uncertainties, lumi, staterror)
// cannot be carried by yields and are not part of this likelihood, as in the
// yield-based likelihoods of SModelS and spey; the background model, the
// data and the measurement are the workspace's, unchanged.
//
// Implementation: the workspace's signal samples (those carrying the POI's
// normfactor) are removed, and every signal channel gets one sample of unit
// nominal with the POI normfactor and a shapefactor of its own, held fixed
// at s during the fits. One Model then serves every s.
#pragma once

#include <Eigen/Core>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/inference/fit.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"

namespace goldmine::inference {

// Names of the channels of `workspace` that hold a sample carrying the POI
// normfactor of `measurement` (empty: the first), in the model's sorted
// order. Throws InvalidInput when the measurement has no POI.
std::vector<std::string> SignalChannels(const Workspace& workspace,
                                        const std::string& measurement = "");

class YieldLikelihood {
 public:
  // The background model of `workspace` with yields in `signal_channels`.
  // Throws InvalidInput naming the workspace when the measurement has no
  // POI, a channel is unknown or `signal_channels` is empty, and as Model
  // for a workspace it cannot build.
  YieldLikelihood(const Workspace& workspace,
                  std::vector<std::string> signal_channels,
                  const ModelOptions& options = {},
                  const FitOptions& fit_options = {});
  ~YieldLikelihood();
  YieldLikelihood(const YieldLikelihood&) = delete;
  YieldLikelihood& operator=(const YieldLikelihood&) = delete;

  // The inputs: channel names (sorted, as the model orders them) and their
  // numbers of bins, concatenated in this order.
  const std::vector<std::pair<std::string, int>>& signal_channels() const {
    return signal_channels_;
  }
  int num_inputs() const { return num_inputs_; }
  // "SR_meff[2]": channel and bin of input i.
  std::string InputName(int i) const;
  const std::string& poi_name() const { return model_->poi_name(); }
  // The POI's bounds in the measurement (pyhf's suggested bounds).
  std::pair<double, double> poi_bounds() const;

  // The summed nominal yields of the samples of `workspace` carrying the POI
  // normfactor, in input order (zero where a channel has none). Throws
  // InvalidInput naming the workspace when a signal channel is missing or
  // has another number of bins.
  Eigen::VectorXd SignalYields(const Workspace& workspace) const;

  struct Value {
    double observed = 0.0;  // −2 ln L(s), observed data
    double asimov = 0.0;    // −2 ln L(s), background-only Asimov data
    bool converged = true;
    std::string message;  // which fit failed, if any
  };
  // −2 ln L(s) profiled over the nuisance parameters, minus its value at
  // s = 0 (so that a surrogate learns differences, which are what every
  // test statistic is made of). Thread-safe. Throws InvalidInput for a
  // vector of the wrong length or with negative or non-finite entries.
  Value ProfiledTwiceNllDifference(const Eigen::VectorXd& signal) const;

  // The workspace a pyhf user would write for signal s: the background model
  // and one sample "goldmine_signal" per signal channel with the yields and
  // the POI normfactor only. Independent of the shapefactor construction above
  // (the tests compare the two).
  Workspace SignalWorkspace(const Eigen::VectorXd& signal) const;

  // The model with the fixed-shapefactor signal, its Asimov data, and the
  // profiled −2 ln L at s = 0 of both data sets.
  const Model& model() const { return *model_; }
  const Eigen::VectorXd& asimov_data() const { return asimov_data_; }
  double background_twice_nll_observed() const { return background_observed_; }
  double background_twice_nll_asimov() const { return background_asimov_; }

 private:
  FitResult ProfiledFit(const Eigen::VectorXd& signal,
                        const Eigen::VectorXd& data,
                        const Eigen::VectorXd& start) const;

  Workspace background_;  // the workspace without its signal samples
  std::string measurement_;
  std::vector<std::pair<std::string, int>> signal_channels_;
  int num_inputs_ = 0;
  std::unique_ptr<Model> model_;
  FitOptions fit_options_;
  // Parameter index of each input's shapefactor component.
  std::vector<int> yield_parameters_;
  Eigen::VectorXd asimov_data_;
  // Conditional fits at μ = 0 (background only): start points of every fit.
  Eigen::VectorXd background_fit_observed_;
  Eigen::VectorXd background_fit_asimov_;
  double background_observed_ = 0.0;
  double background_asimov_ = 0.0;
};

}  // namespace goldmine::inference
