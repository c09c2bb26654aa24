// A theory parameter θ_i: a Wilson coefficient (dimensionless, Λ = 1 TeV
// unless the setup says otherwise), as in MadMiner's add_parameter().
#pragma once

#include <string>
#include <vector>

namespace goldmine {

// Closed interval [lower, upper] of a parameter: where morphing bases are
// optimised, where random θ are drawn, where limits are scanned.
struct ParameterRange {
  double lower = 0.0;
  double upper = 0.0;

  double width() const { return upper - lower; }
  bool Contains(double value) const { return value >= lower && value <= upper; }
};

struct Parameter {
  std::string name;
  // Highest power of this parameter in the squared matrix element: 2 for an
  // operator in one vertex, 4 when it enters production and decay.
  int max_power = 2;
  ParameterRange range;
};

using ParameterRanges = std::vector<ParameterRange>;

}  // namespace goldmine
