// The `histogram_edges` key of `goldmine fisher histogram` and `goldmine
// limits`: one edge list per histogram axis, the underflow and overflow bins'
// −∞ and +∞ edges written as the strings "-inf" and "inf" (JSON has no
// infinity; Python's float() reads both). They were null, which reads as a
// missing number (issue 15: no null in a successful result). The same key
// in both outputs lets a report show the bins every stage used.
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

namespace goldmine::core {

inline nlohmann::ordered_json HistogramEdgesJson(
    const std::vector<std::vector<double>>& axes) {
  nlohmann::ordered_json edges = nlohmann::ordered_json::array();
  for (const std::vector<double>& axis : axes) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (double edge : axis) {
      row.push_back(std::isfinite(edge) ? nlohmann::ordered_json(edge)
                    : edge < 0          ? nlohmann::ordered_json("-inf")
                                        : nlohmann::ordered_json("inf"));
    }
    edges.push_back(row);
  }
  return edges;
}

}  // namespace goldmine::core
