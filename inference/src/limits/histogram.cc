#include "goldmine/inference/limits/histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "goldmine/core/errors.h"
#include "goldmine/mining/histogram_bins.h"

namespace goldmine::inference {

std::vector<double> AdaptiveEdges(const Eigen::VectorXd& values,
                                  const Eigen::VectorXd& weights,
                                  int num_bins) {
  if (weights.size() != values.size()) {
    throw InvalidInput(
        "adaptive histogram binning: needs one weight per event and at least "
        "one bin");
  }
  mining::SortedColumn column;
  for (Eigen::Index i = 0; i < values.size(); ++i)
    column.Add(values(i), weights(i));
  column.Finish();
  return AdaptiveEdges(column, num_bins);
}

std::vector<double> AdaptiveEdges(const mining::SortedColumn& column,
                                  int num_bins) {
  if (num_bins < 1) {
    throw InvalidInput(
        "adaptive histogram binning: needs one weight per event and at least "
        "one bin");
  }
  // NaN values go to the overflow bin (histogram.h): the column leaves them
  // out of the quantiles.
  const std::size_t n = column.size();
  if (n < 1) {
    throw InvalidInput(
        "adaptive histogram binning: no event with a value that is not NaN");
  }
  // weighted_quantile(old_style=True): q_k = cumsum(w)_k − w_k/2, shifted to
  // start at 0 and divided by its last value.
  const double first = column.midpoint_sum(0);
  const double last = column.midpoint_sum(n - 1) - first;
  auto cumulative = [&](std::size_t i) {
    return (column.midpoint_sum(i) - first) / last;
  };
  auto sorted = [&](std::size_t i) { return column.value(i); };

  // numpy.interp: clamps outside [q_0, q_last]; at ties takes the right
  // neighbour's interval (searchsorted side="right").
  const double cumulative_front = cumulative(0);
  const double cumulative_back = cumulative(n - 1);
  auto interpolate = [&](double q) {
    if (!(q > cumulative_front)) return sorted(0);
    if (!(q < cumulative_back)) return sorted(n - 1);
    const std::size_t j = mining::UpperBound(n, q, cumulative);
    const double x0 = cumulative(j - 1);
    const double x1 = cumulative(j);
    const double y0 = sorted(j - 1);
    const double slope = (sorted(j) - y0) / (x1 - x0);
    return slope * (q - x0) + y0;
  };

  std::vector<double> edges(static_cast<std::size_t>(num_bins) + 1);
  for (int k = 0; k <= num_bins; ++k) {
    // np.linspace(0.1 / 100, 99.9 / 100, num_bins + 1), as MadMiner
    // computes the bounds from percentiles.
    const double lower = 0.1 / 100.0;
    const double upper = 99.9 / 100.0;
    const double step = (upper - lower) / static_cast<double>(num_bins);
    const double q =
        k == num_bins ? upper : lower + static_cast<double>(k) * step;
    edges[static_cast<std::size_t>(k)] = interpolate(q);
  }
  // Remove zero-width bins: drop edge i when edges[i+1] − edges[i] ≤ 1e-9.
  std::vector<double> kept;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const double width = i + 1 < edges.size() ? edges[i + 1] - edges[i] : 1.0;
    if (width > 1e-9) kept.push_back(edges[i]);
  }
  return kept;
}

HistogramBinning::HistogramBinning(std::vector<std::vector<double>> edges,
                                   OutOfRange out_of_range)
    : edges_(std::move(edges)), out_of_range_(out_of_range) {
  if (edges_.empty()) throw InvalidInput("histogram: no dimensions");
  for (std::size_t d = 0; d < edges_.size(); ++d) {
    const std::vector<double>& axis = edges_[d];
    // With overflow bins one edge makes two bins.
    if (axis.size() < (out_of_range_ == OutOfRange::kOverflowBins ? 1u : 2u)) {
      throw InvalidInput("histogram dimension " + std::to_string(d + 1) +
                         ": needs at least 2 edges (1 bin), got " +
                         std::to_string(axis.size()) +
                         " (too few distinct values for adaptive bins?)");
    }
    for (std::size_t i = 0; i < axis.size(); ++i) {
      if (std::isnan(axis[i]) || (i > 0 && !(axis[i - 1] < axis[i]))) {
        throw InvalidInput("histogram dimension " + std::to_string(d + 1) +
                           ": edges must increase");
      }
    }
  }
  if (out_of_range_ == OutOfRange::kOverflowBins) {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    for (std::vector<double>& axis : edges_) {
      if (axis.front() != -kInfinity) axis.insert(axis.begin(), -kInfinity);
      if (axis.back() != kInfinity) axis.push_back(kInfinity);
      boundaries_.emplace_back(axis.begin() + 1, axis.end() - 1);
    }
  }
  strides_.assign(edges_.size(), 1);
  for (std::size_t d = edges_.size(); d-- > 0;) {
    strides_[d] = num_bins_;
    num_bins_ *= static_cast<Eigen::Index>(edges_[d].size() - 1);
  }
  // Bin widths per axis with the first (and infinite last) bin capped.
  std::vector<std::vector<double>> widths(edges_.size());
  for (std::size_t d = 0; d < edges_.size(); ++d) {
    std::vector<double> axis = edges_[d];
    const std::size_t m = axis.size();
    if (m > 2) {
      axis[0] = std::max(axis[0], axis[1] - 2.0 * (axis[2] - axis[1]));
      if (std::isinf(axis[m - 1])) {
        axis[m - 1] = axis[m - 2] + 2.0 * (axis[m - 2] - axis[m - 3]);
      }
    }
    for (std::size_t i = 0; i + 1 < m; ++i) {
      double width = axis[i + 1] - axis[i];
      // Only an underflow and an overflow bin: no scale to cap them with.
      // Their common volume is irrelevant (one binning for every θ).
      if (!std::isfinite(width) && m == 3 &&
          out_of_range_ == OutOfRange::kOverflowBins) {
        width = 1.0;
      }
      if (!std::isfinite(width)) {
        throw InvalidInput("histogram dimension " + std::to_string(d + 1) +
                           ": a single bin with an infinite edge has no "
                           "volume; add edges");
      }
      widths[d].push_back(width);
    }
  }
  volumes_.resize(num_bins_);
  for (Eigen::Index bin = 0; bin < num_bins_; ++bin) {
    double volume = 1.0;
    for (std::size_t d = 0; d < edges_.size(); ++d) {
      const Eigen::Index i =
          (bin / strides_[d]) % static_cast<Eigen::Index>(widths[d].size());
      volume *= widths[d][static_cast<std::size_t>(i)];
    }
    volumes_(bin) = volume;
  }
}

Eigen::Index HistogramBinning::FillBin(const double* point,
                                       Eigen::Index stride) const {
  if (out_of_range_ != OutOfRange::kLeaveOut) return LookupBin(point, stride);
  Eigen::Index bin = 0;
  for (std::size_t d = 0; d < edges_.size(); ++d) {
    const double value = point[static_cast<Eigen::Index>(d) * stride];
    const std::vector<double>& axis = edges_[d];
    const auto last = static_cast<Eigen::Index>(axis.size()) - 2;
    if (std::isnan(value)) {  // the overflow rule (see the header)
      bin += last * strides_[d];
      continue;
    }
    if (!(value >= axis.front() && value <= axis.back())) return -1;
    Eigen::Index i =
        std::upper_bound(axis.begin(), axis.end(), value) - axis.begin() - 1;
    if (i > last) i = last;  // value == e_last
    bin += i * strides_[d];
  }
  return bin;
}

Eigen::Index HistogramBinning::LookupBin(const double* point,
                                         Eigen::Index stride) const {
  Eigen::Index bin = 0;
  for (std::size_t d = 0; d < edges_.size(); ++d) {
    const double value = point[static_cast<Eigen::Index>(d) * stride];
    if (out_of_range_ == OutOfRange::kOverflowBins) {
      bin += mining::OverflowBinIndex(boundaries_[d], value) * strides_[d];
      continue;
    }
    // numpy.searchsorted(side="right") − 1, clipped (MadMiner's
    // Histo.log_likelihood); NaN lands in the last bin.
    const std::vector<double>& axis = edges_[d];
    Eigen::Index i =
        std::upper_bound(axis.begin(), axis.end(), value) - axis.begin() - 1;
    const auto last = static_cast<Eigen::Index>(axis.size()) - 2;
    i = std::clamp<Eigen::Index>(i, 0, last);
    bin += i * strides_[d];
  }
  return bin;
}

Eigen::VectorXd HistogramBinning::Densities(const Eigen::VectorXd& contents,
                                            double epsilon) const {
  Eigen::VectorXd density = contents / contents.sum();
  density.array() += epsilon;
  density /= density.sum();
  return density.cwiseQuotient(volumes_);
}

Eigen::VectorXd HistogramBinning::Fill(const Eigen::MatrixXd& points,
                                       const Eigen::VectorXd& weights) const {
  Eigen::VectorXd contents = Eigen::VectorXd::Zero(num_bins_);
  for (Eigen::Index row = 0; row < points.rows(); ++row) {
    const Eigen::Index bin = FillBin(&points(row, 0), points.rows());
    if (bin >= 0) contents(bin) += weights(row);
  }
  return contents;
}

}  // namespace goldmine::inference
