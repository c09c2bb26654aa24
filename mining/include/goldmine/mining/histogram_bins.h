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

}  // namespace goldmine::mining
