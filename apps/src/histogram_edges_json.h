// The `histogram_edges` key of `goldmine fisher histogram` and `goldmine
// limits`: one edge list per histogram axis, the underflow and overflow bins'
// −∞ and +∞ edges written as null (JSON has no infinity). The same key in
// both outputs lets a report show the bins every stage used.
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

namespace goldmine::cli {

inline nlohmann::ordered_json HistogramEdgesJson(
    const std::vector<std::vector<double>>& axes) {
  nlohmann::ordered_json edges = nlohmann::ordered_json::array();
  for (const std::vector<double>& axis : axes) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (double edge : axis) {
      row.push_back(std::isfinite(edge) ? nlohmann::ordered_json(edge)
                                        : nlohmann::ordered_json());
    }
    edges.push_back(row);
  }
  return edges;
}

}  // namespace goldmine::cli
