// The Matrix Element Method as a likelihood-ratio model, so that
// `goldmine limits --method mem` runs the exact observable-level likelihood
// through the same asymptotic-limits code as `--method ml` with a trained
// RASCAL/ALICES model:
//   log r(x|θ0, SM) = ln dσ(x|θ0)/dx − ln dσ(x|SM)/dx − ln σ(θ0)/σ(SM),
//   t(x|θ0) = ∇ ln dσ(x|θ0)/dx − ∇σ(θ0)/σ(θ0).
// σ(θ) = Σ_c m_c(θ) s_c with s_c fitted (least squares) to the events file's
// cross sections at its physics benchmarks (all events, before cuts).
//
// The coefficients belong to the events of one file: an observation is
// found by its row of observables (bit for bit). The Asimov data of
// `limits` are rows of that file; observed data are not (they would need
// their own `goldmine mem` run) and are refused by name. Holds the N × C
// coefficients in memory.
#pragma once

#include <Eigen/Core>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/mem/observable_density.h"

namespace goldmine::mem {

class MemRatioModel : public core::LikelihoodRatioModel {
 public:
  // Throws InvalidInput when the MEM file does not belong to the events
  // file, FileFormatError for corrupt files.
  MemRatioModel(const std::filesystem::path& events_file,
                const std::filesystem::path& mem_file);

  Eigen::VectorXd LogLikelihoodRatio(
      const Eigen::MatrixXd& x, const Eigen::VectorXd& theta0) const override;
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x,
                        const Eigen::VectorXd& theta0) const override;
  std::vector<std::string> parameter_names() const override {
    return parameters_;
  }
  std::vector<std::string> observable_names() const override {
    return observables_;
  }

  // σ(θ) in pb as the model uses it.
  double CrossSection(const Eigen::VectorXd& theta) const;

 private:
  // The coefficient rows of the observations x (events × C).
  Eigen::MatrixXd Coefficients(const Eigen::MatrixXd& x) const;

  std::string mem_file_;
  std::vector<std::string> parameters_;
  std::vector<std::string> observables_;
  Eigen::MatrixXi monomials_;
  ObservableDensity density_;
  Eigen::MatrixXd coefficients_;  // N × C
  std::unordered_map<std::string, Eigen::Index> rows_;
  Eigen::VectorXd sigma_coefficients_;  // s_c
};

}  // namespace goldmine::mem
