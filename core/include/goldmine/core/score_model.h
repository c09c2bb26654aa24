// A model of the score t(x|θ_ref) = ∇_θ log p(x|θ) at a fixed reference point
// θ_ref, as a function of the observables x. Its components are the locally
// optimal observables near θ_ref (SALLY, SALLINO; arXiv 1805.00020 §3.3): the
// Fisher information I = L σ E[t tᵀ] and the SALLINO likelihood follow from it.
//
// Implemented by the trained score networks (estimators/) and by analytic toy
// models in tests, so that inference/ needs neither torch nor a model file.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

namespace goldmine::core {

class ScoreModel {
 public:
  virtual ~ScoreModel() = default;

  // t̂(x|θ_ref) for each event: `x` has one row per event and one column per
  // observable (num_observables()); the result has one row per event and one
  // column per parameter (num_parameters()). Throws InvalidInput when the
  // column count of `x` is wrong.
  virtual Eigen::MatrixXd Score(const Eigen::MatrixXd& x) const = 0;

  // Names of the score components (the parameters θ, in order) and of the
  // observables (the columns of x).
  virtual std::vector<std::string> parameter_names() const = 0;
  virtual std::vector<std::string> observable_names() const = 0;

  int num_parameters() const {
    return static_cast<int>(parameter_names().size());
  }
  int num_observables() const {
    return static_cast<int>(observable_names().size());
  }
};

}  // namespace goldmine::core
