// The bin rule of every histogram with overflow bins that goldmine fills:
// the Fisher information (fisher_information.h), the EFT HistFactory
// histograms (inference/eft_events_histogram.h) and the limits' histograms
// (inference/limits/histogram.h without MadMiner's conventions), so that one
// list of boundaries means the same bins in every stage.
//
// Interior boundaries b_0 < … < b_{n−1} make n + 1 bins
//   (−∞, b_0], (b_0, b_1], …, (b_{n−1}, +∞),
// and a value x falls in bin #(b_i < x) (MadMiner's FisherInformation,
// numpy.searchsorted(side="left")).
//
// A NaN value (an observable that is undefined for the event, e.g. the p_T
// of a missing second jet) goes to the overflow bin n. This is what MadMiner
// does: numpy sorts NaN after every number, so searchsorted puts it last.
// Such events are kept, never dropped and never put in the first bin.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/mining/sorted_column.h"

namespace goldmine::mining {

inline int OverflowBinIndex(const std::vector<double>& boundaries,
                            double value) {
  if (std::isnan(value)) return static_cast<int>(boundaries.size());
  return static_cast<int>(
      std::lower_bound(boundaries.begin(), boundaries.end(), value) -
      boundaries.begin());
}

// The same for an expression's value: undefined (std::nullopt) counts as NaN.
inline int OverflowBinIndex(const std::vector<double>& boundaries,
                            const std::optional<double>& value) {
  return OverflowBinIndex(boundaries, value.value_or(std::nan("")));
}

// std::upper_bound over positions [0, n) read through `at`: the first i with
// q < at(i), or n. The same probes as libstdc++'s std::upper_bound, so that
// an array read from a file (SortedColumn) gives what the array in memory
// gave, also when negative weights make it non-monotonic.
template <typename At>
std::size_t UpperBound(std::size_t n, double q, const At& at) {
  std::size_t first = 0;
  std::size_t length = n;
  while (length > 0) {
    const std::size_t half = length >> 1;
    const std::size_t middle = first + half;
    if (q < at(middle)) {
      length = half;
    } else {
      first = middle + 1;
      length = length - half - 1;
    }
  }
  return first;
}

// The interior boundaries at the quantiles k/num_bins, k = 1 … num_bins − 1,
// of n ≥ 1 values sorted ascending, read by position through sorted(i), with
// their cumulative weight fractions cumulative(i): numpy.interp of q over
// (cumulative, sorted), clamped to the first and last value.
template <typename Sorted, typename Cumulative>
std::vector<double> InterpolatedBoundaries(std::size_t n,
                                           const Sorted& sorted,
                                           const Cumulative& cumulative,
                                           int num_bins) {
  std::vector<double> boundaries;
  const double front = cumulative(0);
  const double back = cumulative(n - 1);
  for (int k = 1; k < num_bins; ++k) {
    const double q = static_cast<double>(k) / num_bins;
    if (q <= front) {
      boundaries.push_back(sorted(0));
    } else if (q >= back) {
      boundaries.push_back(sorted(n - 1));
    } else {
      const std::size_t upper = UpperBound(n, q, cumulative);
      const std::size_t lower = upper - 1;
      const double at_lower = cumulative(lower);
      const double t = (q - at_lower) / (cumulative(upper) - at_lower);
      const double value_lower = sorted(lower);
      boundaries.push_back(value_lower + t * (sorted(upper) - value_lower));
    }
  }
  return boundaries;
}

// Dynamic boundaries of `num_bins` bins (MadMiner's FisherInformation with an
// integer number of bins): the interior boundaries at the weighted quantiles
// k/num_bins, k = 1 … num_bins − 1, with the cumulative weight of the sorted
// values Σ_{j≤i} w_j − w_i/2 over the total and numpy.interp's clamping.
// NaN values are left out (they fill the overflow bin). Returns num_bins − 1
// boundaries; empty when no value is left. `column` must be finished.
// Throws InvalidInput when the weights sum to zero or to no finite number:
// the fractions, and so the quantiles, are undefined then.
inline std::vector<double> QuantileBoundaries(const SortedColumn& column,
                                              int num_bins) {
  if (column.size() == 0 || num_bins < 1) return {};
  const double total = column.total();
  if (!std::isfinite(total) || total == 0.0) {
    throw InvalidInput("dynamic bins: the weights of the " +
                       std::to_string(column.size()) + " values sum to " +
                       std::to_string(total) +
                       "; quantiles need a finite, non-zero total weight");
  }
  return InterpolatedBoundaries(
      column.size(),
      [&](std::size_t i) { return column.value(i); },
      [&](std::size_t i) { return column.midpoint_sum(i) / total; },
      num_bins);
}

}  // namespace goldmine::mining
