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
#include <vector>

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

// The interior boundaries at the quantiles k/num_bins, k = 1 … num_bins − 1,
// of values sorted ascending with their cumulative weight fractions
// (non-empty, same length): numpy.interp of q over (cumulative, sorted),
// clamped to the first and last value.
inline std::vector<double> InterpolatedBoundaries(
    const std::vector<double>& sorted,
    const std::vector<double>& cumulative,
    int num_bins) {
  std::vector<double> boundaries;
  for (int k = 1; k < num_bins; ++k) {
    const double q = static_cast<double>(k) / num_bins;
    if (q <= cumulative.front()) {
      boundaries.push_back(sorted.front());
    } else if (q >= cumulative.back()) {
      boundaries.push_back(sorted.back());
    } else {
      const auto upper = static_cast<std::size_t>(
          std::upper_bound(cumulative.begin(), cumulative.end(), q) -
          cumulative.begin());
      const std::size_t lower = upper - 1;
      const double t =
          (q - cumulative[lower]) / (cumulative[upper] - cumulative[lower]);
      boundaries.push_back(sorted[lower] + t * (sorted[upper] - sorted[lower]));
    }
  }
  return boundaries;
}

// Dynamic boundaries of `num_bins` bins (MadMiner's FisherInformation with an
// integer number of bins): the interior boundaries at the weighted quantiles
// k/num_bins, k = 1 … num_bins − 1, with the cumulative weight of the sorted
// values Σ_{j≤i} w_j − w_i/2 over the total and numpy.interp's clamping.
// NaN values are left out (they fill the overflow bin). Returns num_bins − 1
// boundaries; empty when no value is left.
inline std::vector<double> QuantileBoundaries(
    const std::vector<double>& values,
    const std::vector<double>& weights,
    int num_bins) {
  std::vector<std::size_t> order;
  double total = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) continue;
    order.push_back(i);
    total += weights[i];
  }
  if (order.empty() || num_bins < 1) return {};
  std::stable_sort(
      order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return values[a] < values[b];
      });
  std::vector<double> sorted;
  std::vector<double> cumulative;
  double sum = 0.0;
  for (std::size_t i : order) {
    sum += weights[i];
    cumulative.push_back((sum - 0.5 * weights[i]) / total);
    sorted.push_back(values[i]);
  }
  return InterpolatedBoundaries(sorted, cumulative, num_bins);
}

}  // namespace goldmine::mining
