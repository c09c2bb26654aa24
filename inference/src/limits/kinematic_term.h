// Private: the kinematic term of the asymptotic limits, log L_kin(θ) =
// N Σ_u w_u log p_u(θ), a sum over "units": histogram bins, or single
// observed events with a per-event likelihood (a θ-dependent binning, a
// likelihood-ratio model). Terms hand their units over in chunks, so that
// one with an observed event per unit need not hold them all (issue 20).
#pragma once

#include <Eigen/Core>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace goldmine::inference {

// "(0.5, -1)": a point θ in messages, 6 significant digits.
inline std::string ThetaText(const Eigen::VectorXd& theta) {
  std::ostringstream text;
  text.precision(6);
  text << "(";
  for (Eigen::Index i = 0; i < theta.size(); ++i)
    text << (i > 0 ? ", " : "") << theta(i);
  text << ")";
  return text.str();
}

// Benchmark weights of θ (the morphing weights per benchmark).
using WeightsAt = std::function<Eigen::VectorXd(const Eigen::VectorXd&)>;

class KinematicTerm {
 public:
  // Consecutive units [first, first + logs.size()): log p at θ, their
  // weights, and which of them stand for at least one observed event
  // (`present`, indexed from `first`; null when all do). The others
  // contribute nothing and never count as non-finite.
  struct Units {
    Eigen::Index first;
    const Eigen::VectorXd& logs;
    const Eigen::VectorXd& weights;
    const std::vector<bool>* present;
  };
  using UnitVisitor = std::function<void(const Units&)>;

  virtual ~KinematicTerm() = default;
  virtual Eigen::Index num_units() const = 0;
  // Whether unit u stands for an observed event (see Units).
  virtual bool Present(Eigen::Index u) const = 0;
  // Visits every unit once, in order, in one or more chunks.
  virtual void ForEachUnit(const Eigen::VectorXd& theta,
                           const UnitVisitor& visit) const = 0;
  // Whether ForEachUnit() may run on several threads at once: the histogram
  // terms only read their own data; a ratio model (LibTorch, the MEM) is
  // not assumed to.
  virtual bool concurrent() const { return true; }
  virtual std::vector<std::vector<double>> Edges(
      const Eigen::VectorXd& theta) const = 0;
};

}  // namespace goldmine::inference
