#include "goldmine/pipeline/report_plots.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "goldmine/core/errors.h"
#include "hdf5_matrix.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

constexpr double kPi = 3.14159265358979323846;
// A colour-blind-safe palette (Okabe–Ito), one colour per method.
const char* const kColours[] = {"#000000",
                                "#E69F00",
                                "#0072B2",
                                "#009E73",
                                "#D55E00",
                                "#CC79A7",
                                "#56B4E9",
                                "#F0E442"};

std::string Colour(std::size_t i) { return kColours[i % 8]; }

std::string Num(double value) {
  std::ostringstream text;
  text.precision(10);
  text << value;
  return text.str();
}

FigureResult Missing(const std::string& name,
                     const std::string& caption,
                     const std::string& note) {
  return {name, caption, false, note};
}

FigureResult Draw(const GnuplotPlotter& plotter,
                  const std::string& name,
                  const std::string& caption,
                  const std::string& body,
                  int width = 1200,
                  int height = 900) {
  std::string error;
  if (!plotter.Render(name, body, width, height, &error))
    return Missing(name, caption, error);
  return {name, caption, true, ""};
}

// Sorted distinct values of a grid column.
std::vector<double> Axis(const Eigen::MatrixXd& grid, int column) {
  std::set<double> values(grid.col(column).data(),
                          grid.col(column).data() + grid.rows());
  return {values.begin(), values.end()};
}

const FisherEntry* FindFisher(const std::vector<FisherEntry>& entries,
                              const std::string& name) {
  for (const FisherEntry& entry : entries)
    if (entry.name == name && entry.available) return &entry;
  return nullptr;
}

// Dashed lines (95% CL, validation loss): long dashes with wide gaps, which
// stay visibly dashed at the figures' line width (`dt 2` looks solid).
constexpr const char* kDashed = "dt (7,5)";

// The legend entry of the point θ at which the contours are centred.
std::string SmTitle(const PipelineConfig& config) {
  for (double value : config.fisher.theta)
    if (value != 0.0) return "θ = (" + JoinNumbers(config.fisher.theta) + ")";
  return "SM";
}

std::string AxisLabels(const PipelineConfig& config,
                       std::size_t x = 0,
                       std::size_t y = 1) {
  return "set xlabel " +
         GnuplotString(ParameterLabel(config, x) + "  (Λ = 1 TeV)") +
         "\nset ylabel " +
         GnuplotString(ParameterLabel(config, y) + "  (Λ = 1 TeV)") + "\n";
}

// A 68% / 95% CL pair of curves in a contour figure.
struct Curve {
  std::string title;
  std::string data68;
  std::string data95;
};

// Draws contour curves (68% solid, 95% dashed) with the point θ, the
// `setup` lines (axis labels, ranges) first.
FigureResult DrawContours(const PipelineConfig& config,
                          const GnuplotPlotter& plotter,
                          const std::string& name,
                          const std::string& caption,
                          const std::string& setup,
                          const Eigen::Vector2d& center,
                          const std::vector<Curve>& curves) {
  std::ostringstream body;
  body << setup
       << "set key top right box opaque font ',15'\nset grid lc rgb '#dddddd'\n"
       << "set title " << GnuplotString("Expected limits, SM hypothesis")
       << "\n";
  std::string plots;
  for (std::size_t i = 0; i < curves.size(); ++i) {
    if (curves[i].data68.empty()) continue;
    const fs::path d68 = plotter.WriteData(
        name + "_" + std::to_string(i) + "_68", curves[i].data68);
    const fs::path d95 = plotter.WriteData(
        name + "_" + std::to_string(i) + "_95", curves[i].data95);
    plots += std::string(plots.empty() ? "" : ", ") +
             GnuplotString(d68.string()) +
             " using 1:2 with lines lw 2 lc rgb '" + Colour(i) + "' title " +
             GnuplotString(curves[i].title) + " noenhanced, " +
             GnuplotString(d95.string()) + " using 1:2 with lines lw 2 " +
             kDashed + " lc rgb '" + Colour(i) + "' notitle";
  }
  if (plots.empty())
    return Missing(name, caption, "no limits and no Fisher information");
  // The SM point is a key entry, not a text label next to it, which would
  // overlap the truth ellipse around it.
  const fs::path sm = plotter.WriteData(
      name + "_sm", Num(center(0)) + " " + Num(center(1)) + "\n");
  body << "plot " << plots << ", " << GnuplotString(sm.string())
       << " using 1:2 with points pt 7 ps 1.5 lc rgb 'black' title "
       << GnuplotString(SmTitle(config))
       << " noenhanced, 1/0 with lines lw 2 lc rgb 'gray40' title '68% CL', "
          "1/0 with lines lw 2 "
       << kDashed << " lc rgb 'gray40' title '95% CL'\n";
  return Draw(plotter, name, caption, body.str());
}

// The plotted range of the 2D figures: the limits grid, or 1.6× the widest
// (non-degenerate) Fisher ellipse.
std::string Ranges2D(const ReportInputs& inputs) {
  const PipelineConfig& config = inputs.config;
  if (config.limits.enabled && config.limits.grid.size() == 2) {
    return "set xrange [" + Num(config.limits.grid[0].lo) + ":" +
           Num(config.limits.grid[0].hi) + "]\nset yrange [" +
           Num(config.limits.grid[1].lo) + ":" + Num(config.limits.grid[1].hi) +
           "]\n";
  }
  double x = 0.0;
  double y = 0.0;
  for (const FisherEntry& entry : inputs.fisher) {
    if (!entry.available) continue;
    for (int p = 0; p < 2; ++p) {
      const Interval interval =
          FisherInterval(entry.information, p, kTwoDof95, 0.0);
      if (!interval.bounded) continue;
      (p == 0 ? x : y) = std::max(p == 0 ? x : y, 1.6 * interval.hi);
    }
  }
  if (!(x > 0) || !(y > 0)) return "";
  const double cx = config.fisher.theta[0];
  const double cy = config.fisher.theta[1];
  return "set xrange [" + Num(cx - x) + ":" + Num(cx + x) + "]\nset yrange [" +
         Num(cy - y) + ":" + Num(cy + y) + "]\n";
}

// Where the events' observables come from, for captions: detector level
// only with a smearing that is not `none` or `perfect`.
std::string EventLevel(const PipelineConfig& config) {
  const YAML::Node smearing = config.mining["smearing"];
  const bool smeared =
      smearing.IsDefined() && !smearing.IsNull() &&
      !(smearing.IsScalar() && (smearing.as<std::string>() == "none" ||
                                smearing.as<std::string>() == "perfect"));
  if (smeared) return "detector level";
  // (A missing key gives an invalid node: only IsDefined() may be asked.)
  const YAML::Node objects = config.mining["objects"];
  const YAML::Node level =
      objects.IsDefined() && objects.IsMap() ? objects["level"] : YAML::Node();
  const bool particle = level.IsDefined() && level.IsScalar() &&
                        level.as<std::string>() == "particle";
  return std::string(particle ? "particle" : "parton") +
         " level, no detector smearing";
}

FigureResult LimitsContours(const ReportInputs& inputs,
                            const GnuplotPlotter& plotter) {
  const std::string name = "limits_contours";
  const PipelineConfig& config = inputs.config;
  std::string caption =
      "Expected limits at " +
      std::to_string(static_cast<int>(config.limits.luminosity / 1000)) +
      " fb⁻¹: 68% (solid) and 95% CL (dashed) contours, SALLY vs STXS vs truth";
  if (config.parameters.size() != 2)
    return Missing(name, caption, "contours need exactly two parameters");
  const Eigen::Vector2d center(config.fisher.theta[0], config.fisher.theta[1]);
  std::vector<Curve> curves;
  // STXS: the first histogram of the limits section, else the last 1D
  // Fisher histogram.
  std::string stxs =
      config.limits.histograms.empty() ? "" : config.limits.histograms.front();
  if (stxs.empty()) {
    for (const HistogramSettings& histogram : config.fisher.histograms)
      if (histogram.observable2.empty()) stxs = histogram.name;
  }
  std::vector<std::pair<std::string, std::string>> wanted = {
      {"sally", "sally"}};
  if (!stxs.empty()) wanted.emplace_back("histo_" + stxs, "histogram_" + stxs);
  for (const auto& [limits_name, fisher_name] : wanted) {
    const LimitsEntry* scan = nullptr;
    for (const LimitsEntry& entry : inputs.limits)
      if (entry.name == limits_name && entry.available) scan = &entry;
    if (scan != nullptr) {
      const std::vector<double> x = Axis(scan->grid, 0);
      const std::vector<double> y = Axis(scan->grid, 1);
      if (x.size() * y.size() == static_cast<std::size_t>(scan->grid.rows())) {
        curves.push_back(
            {scan->label + " (likelihood scan)",
             ContourSegments(x, y, scan->minus_two_dlnl, kTwoDof68),
             ContourSegments(x, y, scan->minus_two_dlnl, kTwoDof95)});
        continue;
      }
    }
    const FisherEntry* fisher = FindFisher(inputs.fisher, fisher_name);
    if (fisher == nullptr) continue;
    curves.push_back({fisher->label + " (Fisher approx.)",
                      FisherEllipse(fisher->information, center, kTwoDof68),
                      FisherEllipse(fisher->information, center, kTwoDof95)});
  }
  if (const FisherEntry* truth = FindFisher(inputs.fisher, "truth")) {
    curves.push_back({"truth (Fisher ellipse)",
                      FisherEllipse(truth->information, center, kTwoDof68),
                      FisherEllipse(truth->information, center, kTwoDof95)});
  }
  return DrawContours(config,
                      plotter,
                      name,
                      caption,
                      AxisLabels(config) + Ranges2D(inputs),
                      center,
                      curves);
}

// limits.scans: one figure per two-parameter slice, every method's scan with
// the truth's Fisher ellipse of the same slice (SliceInformation).
std::vector<FigureResult> SliceContours(const ReportInputs& inputs,
                                        const GnuplotPlotter& plotter) {
  std::vector<FigureResult> figures;
  const PipelineConfig& config = inputs.config;
  std::vector<std::string> done;
  const FisherEntry* truth = FindFisher(inputs.fisher, "truth");
  for (const LimitsRun& run : LimitsRuns(config, inputs.files)) {
    if (run.scanned.size() != 2 || run.scan.empty()) continue;
    if (std::find(done.begin(), done.end(), run.scan) != done.end()) continue;
    done.push_back(run.scan);
    const auto x = static_cast<std::size_t>(run.scanned[0]);
    const auto y = static_cast<std::size_t>(run.scanned[1]);
    const std::string name = "limits_contours_" + std::to_string(done.size());
    const std::string caption =
        "Expected limits at " +
        std::to_string(static_cast<int>(config.limits.luminosity / 1000)) +
        " fb⁻¹ in the slice " + run.scan +
        ": 68% (solid) and 95% CL (dashed) contours of every method, and "
        "the truth's Fisher ellipse of the same slice";
    const Eigen::Vector2d center(config.fisher.theta[x],
                                 config.fisher.theta[y]);
    std::vector<Curve> curves;
    for (const LimitsEntry& entry : inputs.limits) {
      if (!entry.available || entry.scan != run.scan) continue;
      const std::vector<double> xs = Axis(entry.grid, 0);
      const std::vector<double> ys = Axis(entry.grid, 1);
      if (xs.size() * ys.size() != static_cast<std::size_t>(entry.grid.rows()))
        continue;
      curves.push_back(
          {entry.label + " (likelihood scan)",
           ContourSegments(xs, ys, entry.minus_two_dlnl, kTwoDof68),
           ContourSegments(xs, ys, entry.minus_two_dlnl, kTwoDof95)});
    }
    if (truth != nullptr) {
      const Eigen::MatrixXd slice =
          SliceInformation(truth->information, run.scanned, run.profiled);
      curves.push_back({"truth (Fisher ellipse)",
                        FisherEllipse(slice, center, kTwoDof68),
                        FisherEllipse(slice, center, kTwoDof95)});
    }
    std::string ranges;
    for (const GridAxis& axis : config.limits.grid) {
      const bool is_x = axis.parameter == config.parameters[x];
      const bool is_y = axis.parameter == config.parameters[y];
      if (is_x || is_y)
        ranges += std::string(is_x ? "set xrange [" : "set yrange [") +
                  Num(axis.lo) + ":" + Num(axis.hi) + "]\n";
    }
    figures.push_back(DrawContours(config,
                                   plotter,
                                   name,
                                   caption,
                                   AxisLabels(config, x, y) + ranges,
                                   center,
                                   curves));
  }
  return figures;
}

FigureResult FisherEllipses(const ReportInputs& inputs,
                            const GnuplotPlotter& plotter) {
  const std::string name = "fisher_ellipses";
  const PipelineConfig& config = inputs.config;
  const std::string caption =
      "Fisher-information ellipses (68% CL, two parameters) at " +
      std::to_string(static_cast<int>(config.fisher.luminosity / 1000)) +
      " fb⁻¹ per method; rank-deficient information (rate only) has no ellipse";
  if (config.parameters.size() != 2)
    return Missing(name, caption, "ellipses need two parameters");
  const Eigen::Vector2d center(config.fisher.theta[0], config.fisher.theta[1]);
  std::string plots;
  for (std::size_t i = 0; i < inputs.fisher.size(); ++i) {
    const FisherEntry& entry = inputs.fisher[i];
    if (!entry.available) continue;
    const std::string data =
        FisherEllipse(entry.information, center, kTwoDof68);
    if (data.empty()) continue;
    const fs::path path = plotter.WriteData(name + "_" + entry.name, data);
    plots += std::string(plots.empty() ? "" : ", ") +
             GnuplotString(path.string()) +
             " using 1:2 with lines lw 2 lc rgb '" + Colour(i) + "' title " +
             GnuplotString(entry.label) + " noenhanced";
  }
  if (plots.empty())
    return Missing(name, caption, "no positive-definite Fisher information");
  std::ostringstream body;
  body << AxisLabels(config) << Ranges2D(inputs)
       << "set key top right box opaque font ',15'\nset grid lc rgb '#dddddd'\n"
       << "set title 'Fisher information at the SM'\nplot " << plots << "\n";
  return Draw(plotter, name, caption, body.str());
}

FigureResult ScoreDistributions(const ReportInputs& inputs,
                                const GnuplotPlotter& plotter) {
  const std::string name = "sally_scores";
  const PipelineConfig& config = inputs.config;
  const std::string caption =
      "SALLY estimated score t̂(x) at the SM for events drawn at the SM and at "
      "a BSM "
      "benchmark (normalised)";
  std::vector<std::pair<std::string, Eigen::MatrixXd>> samples;
  for (const std::string& benchmark : ScoreBenchmarks(config)) {
    const fs::path path = inputs.files.scores(benchmark);
    if (fs::exists(path))
      samples.emplace_back(benchmark, ReadHdf5Matrix(path, "t_hat"));
  }
  if (samples.empty())
    return Missing(name, caption, "no SALLY predictions (train stage)");
  const Eigen::Index num_parameters = samples.front().second.cols();
  std::ostringstream body;
  body << "set multiplot layout 1," << num_parameters
       << "\nset grid lc rgb '#dddddd'\n"
       << "set key top right font ',14'\nset style fill transparent solid "
          "0.25\n";
  for (Eigen::Index p = 0; p < num_parameters; ++p) {
    std::vector<double> all;
    for (const auto& sample : samples)
      all.insert(all.end(),
                 sample.second.col(p).data(),
                 sample.second.col(p).data() + sample.second.rows());
    std::sort(all.begin(), all.end());
    double lo = all[all.size() / 200];
    double hi = all[all.size() - 1 - all.size() / 200];
    if (!(hi > lo)) hi = lo + 1.0;
    const int bins = 40;
    const double width = (hi - lo) / bins;
    std::string plots;
    for (std::size_t s = 0; s < samples.size(); ++s) {
      std::vector<double> counts(bins, 0.0);
      const Eigen::MatrixXd& scores = samples[s].second;
      for (Eigen::Index i = 0; i < scores.rows(); ++i) {
        const int bin =
            static_cast<int>(std::floor((scores(i, p) - lo) / width));
        if (bin >= 0 && bin < bins)
          counts[static_cast<std::size_t>(bin)] += 1.0;
      }
      std::ostringstream data;
      for (int b = 0; b < bins; ++b)
        data << Num(lo + (b + 0.5) * width) << " "
             << Num(counts[static_cast<std::size_t>(b)] /
                    (static_cast<double>(scores.rows()) * width))
             << "\n";
      const fs::path path = plotter.WriteData(
          name + "_" + config.parameters[static_cast<std::size_t>(p)] + "_" +
              samples[s].first,
          data.str());
      plots += std::string(plots.empty() ? "" : ", ") +
               GnuplotString(path.string()) + " using 1:2 with boxes lc rgb '" +
               Colour(s + 2) + "' notitle, " + GnuplotString(path.string()) +
               " using 1:2 with histeps lw 2 lc rgb '" + Colour(s + 2) +
               "' title " + GnuplotString("events at " + samples[s].first) +
               " noenhanced";
    }
    const std::string op = ParameterLabel(config, static_cast<std::size_t>(p));
    body << "set xlabel " << GnuplotString("t̂ component along " + op) << "\n"
         << "set ylabel 'probability density'\nset title "
         << GnuplotString("SALLY score, " + op) << "\nplot " << plots << "\n";
  }
  body << "unset multiplot\n";
  return Draw(plotter,
              name,
              caption,
              body.str(),
              700 * static_cast<int>(num_parameters),
              700);
}

FigureResult LossCurves(const ReportInputs& inputs,
                        const GnuplotPlotter& plotter) {
  const std::string name = "loss_curves";
  const std::string caption =
      "Training (solid) and validation (dashed) loss per epoch of each "
      "estimator";
  std::string plots;
  std::size_t colour = 0;
  for (const TrainSettings& train : inputs.config.train) {
    const fs::path path = inputs.files.model(train.method).string() + ".json";
    if (!train.enabled || !fs::exists(path)) continue;
    std::ifstream in(path);
    const nlohmann::json model = nlohmann::json::parse(in);
    const auto& members = model.at("members");
    for (std::size_t m = 0; m < members.size(); ++m) {
      const auto& training = members[m].at("training_loss");
      const auto& validation =
          members[m].value("validation_loss", nlohmann::json::array());
      std::ostringstream data;
      for (std::size_t e = 0; e < training.size(); ++e) {
        data << e + 1 << " " << Num(training[e].get<double>()) << " "
             << (e < validation.size() ? Num(validation[e].get<double>())
                                       : std::string("NaN"))
             << "\n";
      }
      const std::string title =
          train.method +
          (members.size() > 1 ? " member " + std::to_string(m + 1) : "");
      const fs::path data_path = plotter.WriteData(
          name + "_" + train.method + "_" + std::to_string(m), data.str());
      plots += std::string(plots.empty() ? "" : ", ") +
               GnuplotString(data_path.string()) +
               " using 1:2 with linespoints pt 7 lc rgb '" + Colour(colour) +
               "' title " + GnuplotString(title + " training") + " noenhanced";
      if (!validation.empty()) {
        plots += ", " + GnuplotString(data_path.string()) +
                 " using 1:3 with linespoints pt 6 " + kDashed + " lc rgb '" +
                 Colour(colour) + "' title " +
                 GnuplotString(title + " validation") + " noenhanced";
      }
      ++colour;
    }
  }
  if (plots.empty()) return Missing(name, caption, "no trained model");
  std::ostringstream body;
  body << "set xlabel 'epoch'\nset ylabel 'loss (MSE of the score for SALLY)'\n"
       << "set key top right font ',15'\nset grid lc rgb '#dddddd'\n"
       << "set title 'Training history'\nplot " << plots << "\n";
  return Draw(plotter, name, caption, body.str());
}

FigureResult SumSquaredWeights(const ReportInputs& inputs,
                               const GnuplotPlotter& plotter) {
  const std::string name = "morphing_weights";
  const PipelineConfig& config = inputs.config;
  const std::string caption =
      "Morphing basis quality: log10 Σ_b w_b(θ)² over the parameter ranges "
      "(points: the basis benchmarks)";
  if (inputs.events == nullptr || !inputs.events->setup.morphing)
    return Missing(name, caption, "no events file with a morphing setup");
  if (config.parameters.size() != 2)
    return Missing(name, caption, "the map needs two parameters");
  const mining::MadminerSetup& setup = inputs.events->setup;
  const int n = config.report.weights_grid;
  std::ostringstream data;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      Eigen::Vector2d theta;
      theta(0) = config.parameter_ranges[0].first +
                 (config.parameter_ranges[0].second -
                  config.parameter_ranges[0].first) *
                     i / (n - 1);
      theta(1) = config.parameter_ranges[1].first +
                 (config.parameter_ranges[1].second -
                  config.parameter_ranges[1].first) *
                     j / (n - 1);
      data << Num(theta(0)) << " " << Num(theta(1)) << " "
           << Num(std::log10(MorphingWeights(setup, theta).squaredNorm()))
           << "\n";
    }
    data << "\n";
  }
  const fs::path map = plotter.WriteData(name, data.str());
  std::ostringstream points;
  const Eigen::Index basis = setup.morphing->morphing_matrix.cols();
  for (Eigen::Index b = 0; b < basis; ++b)
    points << Num(setup.benchmarks.values(b, 0)) << " "
           << Num(setup.benchmarks.values(b, 1)) << "\n";
  const fs::path benchmark_points =
      plotter.WriteData(name + "_benchmarks", points.str());
  std::ostringstream body;
  body << AxisLabels(config) << "set view map\nset pm3d map interpolate 2,2\n"
       << "set palette defined (0 '#ffffcc', 1 '#a1dab4', 2 '#41b6c4', 3 "
          "'#2c7fb8', 4 '#253494')\n"
       << "set cblabel 'log_{10} Σ_b w_b^2'\nset autoscale xfix\nset autoscale "
          "yfix\n"
       << "set title 'Morphing weights'\nset key top right opaque font ',15'\n"
       << "splot " << GnuplotString(map.string())
       << " using 1:2:3 with pm3d notitle, "
       << GnuplotString(benchmark_points.string())
       << " using 1:2:(0) with points pt 7 ps 2 lc rgb '#D55E00' title 'basis "
          "benchmarks'\n";
  return Draw(plotter, name, caption, body.str());
}

std::vector<FigureResult> ObservablePlots(const ReportInputs& inputs,
                                          const GnuplotPlotter& plotter) {
  std::vector<FigureResult> figures;
  const PipelineConfig& config = inputs.config;
  std::vector<std::string> benchmarks = config.report.benchmarks;
  if (benchmarks.empty()) benchmarks = ScoreBenchmarks(config);
  for (const ObservablePlot& plot : config.report.observables) {
    const std::string name = "observable_" + plot.name;
    const std::string caption = "Distribution of " + plot.name +
                                " at the benchmarks (" + EventLevel(config) +
                                ", after cuts)";
    if (inputs.events == nullptr) {
      figures.push_back(Missing(name, caption, "no events file"));
      continue;
    }
    const mining::MadminerSetup& setup = inputs.events->setup;
    int column = -1;
    for (int o = 0; o < setup.num_observables(); ++o)
      if (setup.observables[static_cast<std::size_t>(o)].name == plot.name)
        column = o;
    if (column < 0) {
      figures.push_back(Missing(
          name, caption, "no observable " + plot.name + " in the events file"));
      continue;
    }
    const Eigen::MatrixXd& x = inputs.events->events.observations;
    const Eigen::MatrixXd& w = inputs.events->events.weights;
    const double width = (plot.hi - plot.lo) / plot.bins;
    std::string plots;
    for (std::size_t k = 0; k < benchmarks.size(); ++k) {
      const auto& names = setup.benchmarks.names;
      const auto found = std::find(names.begin(), names.end(), benchmarks[k]);
      if (found == names.end()) continue;
      const Eigen::Index b = found - names.begin();
      std::vector<double> sums(static_cast<std::size_t>(plot.bins), 0.0);
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const int bin =
            static_cast<int>(std::floor((x(i, column) - plot.lo) / width));
        if (bin >= 0 && bin < plot.bins)
          sums[static_cast<std::size_t>(bin)] += w(i, b);
      }
      std::ostringstream data;
      for (int bin = 0; bin < plot.bins; ++bin)  // fb per bin
        data << Num(plot.lo + bin * width) << " "
             << Num(1000.0 * sums[static_cast<std::size_t>(bin)]) << "\n";
      data << Num(plot.hi) << " " << Num(1000.0 * sums.back()) << "\n";
      const fs::path path =
          plotter.WriteData(name + "_" + benchmarks[k], data.str());
      std::string point;
      for (int p = 0; p < setup.num_parameters(); ++p) {
        if (setup.benchmarks.values(b, p) == 0.0) continue;
        point += (point.empty() ? "" : ", ") +
                 ParameterText(config, static_cast<std::size_t>(p)) + " = " +
                 Num(setup.benchmarks.values(b, p));
      }
      plots += std::string(plots.empty() ? "" : ", ") +
               GnuplotString(path.string()) +
               " using 1:2 with steps lw 2 lc rgb '" + Colour(k) + "' title " +
               GnuplotString(benchmarks[k] + " (" +
                             (point.empty() ? "SM" : point) + ")") +
               " noenhanced";
    }
    if (plots.empty()) {
      figures.push_back(
          Missing(name,
                  caption,
                  "none of the report benchmarks is in the events file"));
      continue;
    }
    std::ostringstream body;
    body << "set xlabel " << GnuplotString(plot.label) << "\nset ylabel "
         << GnuplotString("σ per bin [fb]  (bin width " + Num(width) + ")")
         << "\n"
         << "set xrange [" << Num(plot.lo) << ":" << Num(plot.hi)
         << "]\nset yrange [0:*]\n"
         << "set key top right font ',15'\nset grid lc rgb '#dddddd'\n"
         << "set title " << GnuplotString(plot.label) << "\nplot " << plots
         << "\n";
    figures.push_back(Draw(plotter, name, caption, body.str()));
  }
  return figures;
}

}  // namespace

std::string ContourSegments(const std::vector<double>& x_axis,
                            const std::vector<double>& y_axis,
                            const Eigen::VectorXd& values,
                            double level) {
  const std::size_t ny = y_axis.size();
  auto value = [&](std::size_t i, std::size_t j) {
    return values(static_cast<Eigen::Index>(i * ny + j));
  };
  std::ostringstream out;
  for (std::size_t i = 0; i + 1 < x_axis.size(); ++i) {
    for (std::size_t j = 0; j + 1 < ny; ++j) {
      // Corners counter-clockwise; a crossing on each edge whose ends lie on
      // different sides of the level.
      const double xs[4] = {x_axis[i], x_axis[i + 1], x_axis[i + 1], x_axis[i]};
      const double ys[4] = {y_axis[j], y_axis[j], y_axis[j + 1], y_axis[j + 1]};
      const double vs[4] = {
          value(i, j), value(i + 1, j), value(i + 1, j + 1), value(i, j + 1)};
      std::vector<std::pair<double, double>> crossings;
      for (int e = 0; e < 4; ++e) {
        const int f = (e + 1) % 4;
        if (!std::isfinite(vs[e]) || !std::isfinite(vs[f])) continue;
        if ((vs[e] < level) == (vs[f] < level)) continue;
        const double t = (level - vs[e]) / (vs[f] - vs[e]);
        crossings.emplace_back(xs[e] + t * (xs[f] - xs[e]),
                               ys[e] + t * (ys[f] - ys[e]));
      }
      for (std::size_t c = 0; c + 1 < crossings.size(); c += 2) {
        out << Num(crossings[c].first) << " " << Num(crossings[c].second)
            << "\n"
            << Num(crossings[c + 1].first) << " "
            << Num(crossings[c + 1].second) << "\n\n";
      }
    }
  }
  return out.str();
}

std::string FisherEllipse(const Eigen::MatrixXd& information,
                          const Eigen::Vector2d& center,
                          double level) {
  if (information.rows() != 2 || information.cols() != 2) return "";
  const Eigen::Matrix2d matrix = information;
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> solver(matrix);
  const Eigen::Vector2d lambda = solver.eigenvalues();
  if (!(lambda.minCoeff() > 1e-10 * lambda.maxCoeff())) return "";
  const Eigen::Matrix2d axes =
      solver.eigenvectors() * Eigen::Vector2d(std::sqrt(level / lambda(0)),
                                              std::sqrt(level / lambda(1)))
                                  .asDiagonal();
  std::ostringstream out;
  for (int k = 0; k <= 200; ++k) {
    const double phi = 2.0 * kPi * k / 200.0;
    const Eigen::Vector2d point =
        center + axes * Eigen::Vector2d(std::cos(phi), std::sin(phi));
    out << Num(point(0)) << " " << Num(point(1)) << "\n";
  }
  return out.str();
}

std::vector<FigureResult> DrawFigures(const ReportInputs& inputs,
                                      const GnuplotPlotter& plotter) {
  std::vector<FigureResult> figures;
  if (inputs.config.limits.scans.empty()) {
    figures.push_back(LimitsContours(inputs, plotter));
  } else {
    for (FigureResult& figure : SliceContours(inputs, plotter))
      figures.push_back(figure);
  }
  for (FigureResult figure : {FisherEllipses(inputs, plotter),
                              ScoreDistributions(inputs, plotter),
                              LossCurves(inputs, plotter),
                              SumSquaredWeights(inputs, plotter)})
    figures.push_back(figure);
  for (FigureResult& figure : ObservablePlots(inputs, plotter))
    figures.push_back(figure);
  return figures;
}

}  // namespace goldmine::pipeline
