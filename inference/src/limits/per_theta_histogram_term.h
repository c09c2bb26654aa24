// Private: sallino and adaptive-sally, whose summary statistic (and, with
// adaptive bins, whose binning) depends on θ: at every grid point the
// simulated events are binned again (MadMiner's _make_score_processor and
// _fit_histograms). The simulated and the observed events wait in scratch
// files (mining::RowStore) and are read back a chunk at a time, so the
// memory does not grow with their number (issue 20); each grid point reads
// the simulated events twice (quantiles, then filling) and the observed
// ones once.
#pragma once

#include <Eigen/Core>
#include <memory>
#include <vector>

#include "goldmine/inference/limits/asymptotic_limits.h"
#include "goldmine/inference/limits/histogram.h"
#include "goldmine/mining/row_store.h"
#include "kinematic_term.h"

namespace goldmine::inference {

class PerThetaHistogramTerm : public KinematicTerm {
 public:
  // simulated: rows (scores of the `components`, then the weight of every
  // benchmark); observed: rows (scores, then the normalised weight). Both
  // finished. binning: one axis per statistic of `method`.
  PerThetaHistogramTerm(LimitMethod method,
                        std::unique_ptr<mining::RowStore> simulated,
                        std::unique_ptr<mining::RowStore> observed,
                        std::vector<AxisBinning> binning,
                        Eigen::VectorXd theta_ref,
                        std::vector<int> components,
                        WeightsAt benchmark_weights,
                        double epsilon,
                        OutOfRange out_of_range);

  Eigen::Index num_units() const override { return observed_->rows(); }
  bool Present(Eigen::Index) const override { return true; }
  void ForEachUnit(const Eigen::VectorXd& theta,
                   const UnitVisitor& visit) const override;
  std::vector<std::vector<double>> Edges(
      const Eigen::VectorXd& theta) const override;

 private:
  // The simulated events at θ, a chunk at a time: their statistics and
  // their weights.
  void ForEachSimulated(
      const Eigen::VectorXd& theta,
      const std::function<void(const Eigen::MatrixXd& statistics,
                               const Eigen::VectorXd& weights)>& visit) const;
  HistogramBinning Binning(const Eigen::VectorXd& theta) const;
  // MadMiner's _make_score_processor (ε = 1e-6 for |θ − θ_ref|).
  Eigen::MatrixXd Process(const Eigen::MatrixXd& scores,
                          const Eigen::VectorXd& theta) const;

  LimitMethod method_;
  std::unique_ptr<mining::RowStore> simulated_;
  std::unique_ptr<mining::RowStore> observed_;
  std::vector<AxisBinning> binning_;
  Eigen::VectorXd theta_ref_;
  std::vector<int> components_;
  WeightsAt benchmark_weights_;
  double epsilon_;
  OutOfRange out_of_range_;
};

}  // namespace goldmine::inference
