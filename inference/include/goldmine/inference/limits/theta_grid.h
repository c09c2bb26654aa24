// A regular grid of parameter points θ for limit scans, in MadMiner's order
// (AsymptoticLimits._make_theta_grid): linspace(lo, hi, n) per parameter,
// meshgrid(indexing="ij") flattened, so the first parameter varies slowest.
#pragma once

#include <Eigen/Core>
#include <string>
#include <utility>
#include <vector>

namespace goldmine::inference {

struct GridAxis {
  std::string name;
  double lower = 0.0;
  double upper = 0.0;
  int size = 1;  // number of points; 1 means the single value `lower`

  // linspace(lower, upper, size), as numpy computes it (the last point is
  // exactly `upper`).
  std::vector<double> Values() const;
};

// The most points a --grid may have (ThetaGrid::Parse refuses more).
inline constexpr double kMaxGridPoints = 1e7;

// The --grid of `goldmine eft-workspace`: "NAME:LO:HI:N,..." as
// ThetaGrid::Parse reads it, axis by axis only. The axes are matched
// against the events file's parameters afterwards (one axis per parameter,
// in the file's order: RequireGridAxesMatchParameters in
// eft_workspace_export.h), which rejects repeated names, so there is no
// ThetaGrid and no total point limit here; an empty text gives no axes. Its
// messages differ from Parse's (which `goldmine limits` prints): they quote
// the whole text and the part, e.g.
//   --grid c1:0.5:-0.5:3: "c1:0.5:-0.5:3": LO must be below HI
// Throws InvalidInput for a part that is not NAME:LO:HI:N with a non-empty
// name, finite numbers, 1 ≤ N ≤ 10^6 an integer, and LO < HI (LO = HI only
// with N = 1).
std::vector<GridAxis> ParseGridAxes(const std::string& text);

class ThetaGrid {
 public:
  // Throws InvalidInput for no axes, sizes < 1, non-finite bounds,
  // lower > upper, or repeated names.
  explicit ThetaGrid(std::vector<GridAxis> axes);

  // "NAME:LO:HI:N,NAME:LO:HI:N,..." (DESIGN.md §5.6). Throws InvalidInput
  // naming the malformed part.
  static ThetaGrid Parse(const std::string& text);

  const std::vector<GridAxis>& axes() const { return axes_; }
  int num_parameters() const { return static_cast<int>(axes_.size()); }
  // Axes with more than one point: the degrees of freedom of Wilks' theorem
  // (a one-point axis is a fixed parameter).
  int num_varied_parameters() const;
  Eigen::Index num_points() const;
  std::vector<std::string> names() const;

  // num_points() × num_parameters(), first parameter slowest.
  Eigen::MatrixXd Points() const;
  // Index of the point with per-axis indices `indices` (row of Points()).
  Eigen::Index FlatIndex(const std::vector<int>& indices) const;
  // Per-axis indices of row `flat`.
  std::vector<int> AxisIndices(Eigen::Index flat) const;

 private:
  std::vector<GridAxis> axes_;
};

// A part of a grid for `limits --chunk I/N` (limit_chunks.h).
struct GridChunk {
  int index = 0;  // I, 0-based
  int count = 1;  // N
};

// Points [first, end) of `chunk` of a grid of `points` points: the I-th of N
// nearly equal contiguous ranges. Throws InvalidInput when there are fewer
// points than chunks.
std::pair<Eigen::Index, Eigen::Index> ChunkPoints(Eigen::Index points,
                                                  const GridChunk& chunk);

}  // namespace goldmine::inference
