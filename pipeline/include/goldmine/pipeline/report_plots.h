// The figures of the `goldmine run` report (gnuplot, PNG and SVG): expected
// limit contours, Fisher ellipses, SALLY score distributions, training
// curves, the morphing Σw² map and key observables. A figure whose inputs
// are missing is left out with a note saying why.
#pragma once

#include <string>
#include <vector>

#include "goldmine/mining/madminer_file.h"
#include "goldmine/pipeline/gnuplot_plotter.h"
#include "goldmine/pipeline/pipeline_config.h"
#include "goldmine/pipeline/report_results.h"
#include "goldmine/pipeline/study_stages.h"

namespace goldmine::pipeline {

struct FigureResult {
  std::string name;     // file stem in the plots folder
  std::string caption;  // shown under the figure
  bool drawn = false;
  std::string note;  // why it is missing (when not drawn)
};

struct ReportInputs {
  const PipelineConfig& config;
  const StudyFiles& files;
  const std::vector<FisherEntry>& fisher;
  const std::vector<LimitsEntry>& limits;
  const mining::MadminerEvents* events;  // null when mining did not run
};

// Every figure, in report order.
std::vector<FigureResult> DrawFigures(const ReportInputs& inputs,
                                      const GnuplotPlotter& plotter);

// Points of a contour of a function on a regular grid (marching squares):
// segments as "x y" lines, a blank line after each segment. `values` are
// flattened with the first axis slowest.
std::string ContourSegments(const std::vector<double>& x_axis,
                            const std::vector<double>& y_axis,
                            const Eigen::VectorXd& values,
                            double level);

// The ellipse θᵀ I θ = level around `center` (two parameters), as "x y"
// lines; empty when I is not positive definite.
std::string FisherEllipse(const Eigen::MatrixXd& information,
                          const Eigen::Vector2d& center,
                          double level);

}  // namespace goldmine::pipeline
