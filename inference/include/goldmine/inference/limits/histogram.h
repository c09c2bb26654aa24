// N-dimensional histogram likelihoods with MadMiner's conventions
// (madminer/utils/histo.py, MADMINER.md §8), so that goldmine reproduces
// AsymptoticLimits' numbers:
//  - adaptive edges: weighted quantiles 0.1 % … 99.9 % of each dimension
//    (MadMiner's weighted_quantile with old_style=True: cumulative weights
//    minus half the event's weight, rescaled to [0, 1], linearly
//    interpolated), zero-width bins (< 1e-9) removed;
//  - filling (numpy.histogramdd): a value outside [e_0, e_last] is left out,
//    a value equal to e_last goes into the last bin;
//  - evaluation: a value is clipped into the first / last bin;
//  - densities: contents normalised to 1, ε added to every bin, normalised
//    again, divided by the bin volume, where the first bin of an axis with
//    at least two bins is at most twice as wide as the second. (MadMiner means
//    to cap the last bin the same way, but its min() never does; a last
//    bin with an infinite edge is capped at twice the previous bin here,
//    since MadMiner would give it zero density.)
// Bins are flattened row-major: the last dimension varies fastest.
//
// Without MadMiner's conventions (OutOfRange::kOverflowBins), every axis gets
// an underflow and an overflow bin, −∞ and +∞ edges added unless present, and
// filling and evaluation share the rule of mining/histogram_bins.h (bins
// (−∞, e_0], (e_0, e_1], …, (e_last, +∞)): the same edge list means the same
// bins as in `goldmine fisher histogram` and `goldmine eft-workspace`, and no
// event is left out or merged into a neighbouring bin.
//
// NaN values (undefined observables) go to the overflow bin in every
// convention (MadMiner's rule, mining/histogram_bins.h): with MadMiner's
// conventions that is the last bin, where MadMiner's evaluation puts them
// too (numpy.histogramdd would leave them out of the templates). Adaptive
// edges are computed from the values that are not NaN.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "goldmine/mining/sorted_column.h"

namespace goldmine::inference {

// The adaptive edges of one dimension (see the top). `weights` may be of any
// normalisation; values and weights have the same size (≥ 1).
std::vector<double> AdaptiveEdges(const Eigen::VectorXd& values,
                                  const Eigen::VectorXd& weights,
                                  int num_bins);
// The same for a finished column: bounded memory for any number of events.
std::vector<double> AdaptiveEdges(const mining::SortedColumn& column,
                                  int num_bins);

// What happens to values outside the edges.
enum class OutOfRange {
  // MadMiner: left out when filling, clipped into the first / last bin when
  // evaluating.
  kLeaveOut,
  // Clipped when filling as when evaluating: the templates then describe
  // every event the likelihood sees, which MadMiner's convention does not
  // (its Asimov histogram has more weight in the edge bins than its
  // templates, which biases the best fit).
  kClip,
  // Underflow and overflow bins (see the top).
  kOverflowBins,
};

class HistogramBinning {
 public:
  // One increasing edge list (≥ 2 edges) per dimension. Throws InvalidInput
  // otherwise.
  explicit HistogramBinning(std::vector<std::vector<double>> edges,
                            OutOfRange out_of_range = OutOfRange::kLeaveOut);

  // The edges per dimension, with kOverflowBins including the ±∞ ones.
  const std::vector<std::vector<double>>& edges() const { return edges_; }
  int num_dimensions() const { return static_cast<int>(edges_.size()); }
  Eigen::Index num_bins() const { return num_bins_; }

  // Flat bin of a point for filling, −1 when outside with kLeaveOut.
  Eigen::Index FillBin(const double* point, Eigen::Index stride = 1) const;
  // Flat bin of a point for evaluation (clipped into the range).
  Eigen::Index LookupBin(const double* point, Eigen::Index stride = 1) const;
  // Bin volumes with MadMiner's first-bin cap (see the top).
  const Eigen::VectorXd& volumes() const { return volumes_; }

  // Densities from bin contents (any normalisation): see the top. A total
  // content ≤ 0 gives NaN everywhere (MadMiner divides by it as well).
  Eigen::VectorXd Densities(const Eigen::VectorXd& contents,
                            double epsilon) const;

  // Bin contents Σ w over `points` (rows; columns = dimensions) with the
  // fill convention.
  Eigen::VectorXd Fill(const Eigen::MatrixXd& points,
                       const Eigen::VectorXd& weights) const;

 private:
  std::vector<std::vector<double>> edges_;
  std::vector<Eigen::Index> strides_;
  Eigen::Index num_bins_ = 1;
  Eigen::VectorXd volumes_;
  OutOfRange out_of_range_ = OutOfRange::kLeaveOut;
  // kOverflowBins: the finite edges between the ±∞ ones, per dimension.
  std::vector<std::vector<double>> boundaries_;
};

}  // namespace goldmine::inference
