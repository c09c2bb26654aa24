#include "per_theta_histogram_term.h"

#include <string>
#include <utility>

#include "goldmine/core/errors.h"
#include "goldmine/mining/sorted_column.h"

namespace goldmine::inference {
namespace {

// Rows per chunk read back: 8 numbers a row make 0.5 MB.
constexpr Eigen::Index kChunkRows = 8192;

}  // namespace

PerThetaHistogramTerm::PerThetaHistogramTerm(
    LimitMethod method,
    std::unique_ptr<mining::RowStore> simulated,
    std::unique_ptr<mining::RowStore> observed,
    std::vector<AxisBinning> binning,
    Eigen::VectorXd theta_ref,
    std::vector<int> components,
    WeightsAt benchmark_weights,
    double epsilon,
    OutOfRange out_of_range)
    : method_(method),
      simulated_(std::move(simulated)),
      observed_(std::move(observed)),
      binning_(std::move(binning)),
      theta_ref_(std::move(theta_ref)),
      components_(std::move(components)),
      benchmark_weights_(std::move(benchmark_weights)),
      epsilon_(epsilon),
      out_of_range_(out_of_range) {
  const auto dim = static_cast<Eigen::Index>(components_.size());
  GOLDMINE_REQUIRE(observed_->width() == dim + 1,
                   "observed rows: the scores and a weight");
  GOLDMINE_REQUIRE(simulated_->width() > dim,
                   "simulated rows: the scores and the benchmark weights");
}

void PerThetaHistogramTerm::ForEachSimulated(
    const Eigen::VectorXd& theta,
    const std::function<void(const Eigen::MatrixXd& statistics,
                             const Eigen::VectorXd& weights)>& visit) const {
  const auto dim = static_cast<Eigen::Index>(components_.size());
  const Eigen::Index benchmarks = simulated_->width() - dim;
  const Eigen::VectorXd at_theta = benchmark_weights_(theta);
  simulated_->ForEachChunk(
      kChunkRows, [&](Eigen::Index, const mining::RowStore::Chunk& rows) {
        const Eigen::MatrixXd scores = rows.leftCols(dim);
        const Eigen::MatrixXd weights = rows.rightCols(benchmarks);
        const Eigen::VectorXd weight = weights * at_theta;
        visit(Process(scores, theta), weight);
      });
}

HistogramBinning PerThetaHistogramTerm::Binning(
    const Eigen::VectorXd& theta) const {
  // The adaptive axes: weighted quantiles of the statistic at θ, sorted in
  // bounded memory, filled in one pass for every axis at once.
  std::vector<std::unique_ptr<mining::SortedColumn>> sorted(binning_.size());
  bool adaptive = false;
  for (std::size_t d = 0; d < binning_.size(); ++d) {
    if (!binning_[d].edges.empty()) continue;
    sorted[d] = std::make_unique<mining::SortedColumn>();
    adaptive = true;
  }
  if (adaptive) {
    ForEachSimulated(
        theta,
        [&](const Eigen::MatrixXd& statistics, const Eigen::VectorXd& weights) {
          for (std::size_t d = 0; d < sorted.size(); ++d) {
            if (!sorted[d]) continue;
            const auto column = static_cast<Eigen::Index>(d);
            for (Eigen::Index r = 0; r < statistics.rows(); ++r)
              sorted[d]->Add(statistics(r, column), weights(r));
          }
        });
  }
  std::vector<std::vector<double>> edges;
  for (std::size_t d = 0; d < binning_.size(); ++d) {
    if (!sorted[d]) {
      edges.push_back(binning_[d].edges);
      continue;
    }
    sorted[d]->Finish();
    edges.push_back(AdaptiveEdges(*sorted[d], binning_[d].num_bins));
  }
  return HistogramBinning(std::move(edges), out_of_range_);
}

void PerThetaHistogramTerm::ForEachUnit(const Eigen::VectorXd& theta,
                                        const UnitVisitor& visit) const {
  const HistogramBinning binning = Binning(theta);
  // numpy.histogramdd's filling, one event at a time in file order.
  Eigen::VectorXd contents = Eigen::VectorXd::Zero(binning.num_bins());
  ForEachSimulated(
      theta,
      [&](const Eigen::MatrixXd& statistics, const Eigen::VectorXd& weights) {
        for (Eigen::Index r = 0; r < statistics.rows(); ++r) {
          const Eigen::Index bin =
              binning.FillBin(&statistics(r, 0), statistics.rows());
          if (bin >= 0) contents(bin) += weights(r);
        }
      });
  if (!(contents.sum() > 0.0)) {
    throw InvalidInput("the histogram at θ = " + ThetaText(theta) +
                       " is empty (total weight ≤ 0)");
  }
  const Eigen::VectorXd log_density =
      binning.Densities(contents, epsilon_).array().log();
  const auto dim = static_cast<Eigen::Index>(components_.size());
  observed_->ForEachChunk(
      kChunkRows, [&](Eigen::Index first, const mining::RowStore::Chunk& rows) {
        const Eigen::MatrixXd statistics = Process(rows.leftCols(dim), theta);
        const Eigen::VectorXd weights = rows.col(dim);
        Eigen::VectorXd logs(statistics.rows());
        for (Eigen::Index k = 0; k < statistics.rows(); ++k) {
          logs(k) = log_density(
              binning.LookupBin(&statistics(k, 0), statistics.rows()));
        }
        visit({first, logs, weights, nullptr});
      });
}

std::vector<std::vector<double>> PerThetaHistogramTerm::Edges(
    const Eigen::VectorXd& theta) const {
  return Binning(theta).edges();
}

Eigen::MatrixXd PerThetaHistogramTerm::Process(
    const Eigen::MatrixXd& scores, const Eigen::VectorXd& theta) const {
  const Eigen::Index dim = scores.cols();
  Eigen::VectorXd delta(dim);
  for (Eigen::Index i = 0; i < dim; ++i) {
    const int p = components_[static_cast<std::size_t>(i)];
    delta(i) = theta(p) - theta_ref_(p);
  }
  const double norm = delta.norm();
  if (dim == 1 && method_ == LimitMethod::kAdaptiveSally) return scores;
  if (method_ == LimitMethod::kAdaptiveSally && dim == 2) {
    if (!(norm > 1e-6)) return scores;
    Eigen::Matrix2d rotation;
    rotation << delta(0), -delta(1), delta(1), delta(0);
    return scores * (rotation / norm);
  }
  const Eigen::VectorXd h = norm > 1e-6 ? Eigen::VectorXd(scores * delta / norm)
                                        : Eigen::VectorXd(scores.col(0));
  if (method_ == LimitMethod::kSallino) return h;
  Eigen::MatrixXd combined(scores.rows(), dim + 1);
  combined << h, scores;
  return combined;
}

}  // namespace goldmine::inference
