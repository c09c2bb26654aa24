#include "goldmine/inference/limits/theta_grid.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::inference {

namespace {

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

// `word` as a finite number; InvalidInput "<where>: "word" is not a finite
// number" otherwise.
double FiniteNumber(const std::string& word, const std::string& where) {
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(word, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != word.size() || !std::isfinite(value)) {
    throw InvalidInput(where + ": \"" + word + "\" is not a finite number");
  }
  return value;
}

double ParseNumber(const std::string& word, const std::string& context) {
  return FiniteNumber(word, "--grid " + context);
}

}  // namespace

std::vector<double> GridAxis::Values() const {
  std::vector<double> values(static_cast<std::size_t>(size));
  if (size == 1) {
    values[0] = lower;
    return values;
  }
  // numpy.linspace: start + i·step, the last point set to stop exactly.
  const double step = (upper - lower) / static_cast<double>(size - 1);
  for (int i = 0; i < size; ++i)
    values[static_cast<std::size_t>(i)] = lower + static_cast<double>(i) * step;
  values.back() = upper;
  return values;
}

ThetaGrid::ThetaGrid(std::vector<GridAxis> axes) : axes_(std::move(axes)) {
  if (axes_.empty()) throw InvalidInput("θ grid: no parameters");
  std::set<std::string> seen;
  for (const GridAxis& axis : axes_) {
    const std::string what = "θ grid axis \"" + axis.name + "\": ";
    if (axis.name.empty()) throw InvalidInput("θ grid: empty parameter name");
    if (!seen.insert(axis.name).second) {
      throw InvalidInput(what + "parameter given twice");
    }
    if (axis.size < 1) throw InvalidInput(what + "needs at least 1 point");
    if (!std::isfinite(axis.lower) || !std::isfinite(axis.upper) ||
        axis.lower > axis.upper) {
      throw InvalidInput(what + "needs finite LO ≤ HI");
    }
  }
}

ThetaGrid ThetaGrid::Parse(const std::string& text) {
  std::vector<GridAxis> axes;
  for (const std::string& part : Split(text, ',')) {
    const std::vector<std::string> fields = Split(part, ':');
    if (fields.size() != 4) {
      throw InvalidInput("--grid " + text + ": \"" + part +
                         "\" is not NAME:LO:HI:N");
    }
    GridAxis axis;
    axis.name = fields[0];
    axis.lower = ParseNumber(fields[1], part);
    axis.upper = ParseNumber(fields[2], part);
    const double size = ParseNumber(fields[3], part);
    if (size < 1 || size != std::floor(size) || size > 1e6) {
      throw InvalidInput("--grid " + part + ": N must be a positive integer");
    }
    axis.size = static_cast<int>(size);
    if (axis.size > 1 && !(axis.lower < axis.upper)) {
      throw InvalidInput("--grid " + part + ": needs LO < HI");
    }
    axes.push_back(axis);
  }
  // Every point gets a likelihood (and a profile fit): 10^7 points is hours
  // of work, more than that a grid no memory holds (std::bad_alloc, exit 1;
  // mutation campaign, issue 15). xsec and augment have the same limit.
  double points = 1.0;
  for (const GridAxis& axis : axes) points *= axis.size;
  if (points > kMaxGridPoints) {
    std::ostringstream message;
    message << "--grid " << text << ": " << points
            << " points; at most 10^7 (use fewer points per axis, or scan "
               "slices)";
    throw InvalidInput(message.str());
  }
  return ThetaGrid(std::move(axes));
}

std::vector<GridAxis> ParseGridAxes(const std::string& text) {
  const auto number = FiniteNumber;
  std::vector<GridAxis> axes;
  for (const std::string& part : Split(text, ',')) {
    const std::vector<std::string> fields = Split(part, ':');
    const std::string where = "--grid " + text + ": \"" + part + "\"";
    if (fields.size() != 4 || fields[0].empty()) {
      throw InvalidInput(where + ": expected NAME:LO:HI:N");
    }
    GridAxis axis;
    axis.name = fields[0];
    axis.lower = number(fields[1], where);
    axis.upper = number(fields[2], where);
    const double points = number(fields[3], where);
    if (points < 1 || points != std::floor(points) || points > 1e6) {
      throw InvalidInput(where + ": N must be a positive integer");
    }
    axis.size = static_cast<int>(points);
    if (!(axis.lower < axis.upper) &&
        !(axis.lower == axis.upper && axis.size == 1)) {
      throw InvalidInput(where + ": LO must be below HI");
    }
    axes.push_back(axis);
  }
  return axes;
}

Eigen::Index ThetaGrid::num_points() const {
  Eigen::Index points = 1;
  for (const GridAxis& axis : axes_) points *= axis.size;
  return points;
}

int ThetaGrid::num_varied_parameters() const {
  return static_cast<int>(
      std::count_if(axes_.begin(), axes_.end(), [](const GridAxis& axis) {
        return axis.size > 1;
      }));
}

std::vector<std::string> ThetaGrid::names() const {
  std::vector<std::string> names;
  for (const GridAxis& axis : axes_) names.push_back(axis.name);
  return names;
}

Eigen::MatrixXd ThetaGrid::Points() const {
  const Eigen::Index n = num_points();
  Eigen::MatrixXd points(n, num_parameters());
  for (int p = 0; p < num_parameters(); ++p) {
    const std::vector<double> values =
        axes_[static_cast<std::size_t>(p)].Values();
    for (Eigen::Index row = 0; row < n; ++row) {
      points(row, p) = values[static_cast<std::size_t>(
          AxisIndices(row)[static_cast<std::size_t>(p)])];
    }
  }
  return points;
}

Eigen::Index ThetaGrid::FlatIndex(const std::vector<int>& indices) const {
  Eigen::Index flat = 0;
  for (std::size_t p = 0; p < axes_.size(); ++p)
    flat = flat * axes_[p].size + indices[p];
  return flat;
}

std::vector<int> ThetaGrid::AxisIndices(Eigen::Index flat) const {
  std::vector<int> indices(axes_.size());
  for (std::size_t p = axes_.size(); p-- > 0;) {
    indices[p] = static_cast<int>(flat % axes_[p].size);
    flat /= axes_[p].size;
  }
  return indices;
}

std::pair<Eigen::Index, Eigen::Index> ChunkPoints(Eigen::Index points,
                                                  const GridChunk& chunk) {
  if (chunk.count < 1 || chunk.index < 0 || chunk.index >= chunk.count) {
    throw InvalidInput("chunk " + std::to_string(chunk.index) + "/" +
                       std::to_string(chunk.count) +
                       ": expected I/N with 0 <= I < N");
  }
  if (points < chunk.count) {
    throw InvalidInput("a grid of " + std::to_string(points) +
                       " points has no " + std::to_string(chunk.count) +
                       " chunks");
  }
  const Eigen::Index first = points * chunk.index / chunk.count;
  const Eigen::Index end = points * (chunk.index + 1) / chunk.count;
  return {first, end};
}

}  // namespace goldmine::inference
