#include "goldmine/pipeline/report_writer.h"

#include <Eigen/Dense>
#include <cmath>
#include <ctime>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/version.h"
#include "goldmine/pipeline/fisher_interval_uncertainty.h"
#include "goldmine/pipeline/gnuplot_plotter.h"
#include "goldmine/pipeline/report_document.h"
#include "goldmine/pipeline/report_mem.h"
#include "goldmine/pipeline/report_plots.h"
#include "goldmine/pipeline/report_results.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

std::string Format(double value, int digits = 4) {
  std::ostringstream text;
  text.precision(digits);
  text << value;
  return text.str();
}

std::string IntervalText(const Interval& interval) {
  if (!interval.bounded) return "unconstrained";
  return "[" + std::string(interval.lo_at_edge ? "≤" : "") +
         Format(interval.lo) + ", " +
         std::string(interval.hi_at_edge ? "≥" : "") + Format(interval.hi) +
         "]";
}

std::string StatusText(const StageOutcome& outcome) {
  switch (outcome.status) {
    case StageStatus::kRan:
      return "ran (" + Format(outcome.seconds, 3) + " s)";
    case StageStatus::kSkipped:
      return "up to date (skipped)";
    case StageStatus::kNotConfigured:
      return "not configured";
  }
  return "";
}

void StageTable(const std::vector<StageOutcome>& outcomes,
                ReportDocument* doc) {
  std::vector<std::vector<std::string>> rows;
  for (const StageOutcome& outcome : outcomes) {
    std::string notes;
    for (const StepRecord& step : outcome.steps) {
      if (step.available) continue;
      notes += (notes.empty() ? "" : "; ") + step.label +
               ": skipped, not available (" + step.reason + ")";
    }
    rows.push_back(
        {outcome.name, StatusText(outcome), notes.empty() ? "—" : notes});
  }
  doc->Table({"stage", "status", "notes"}, rows);
}

// The grid column of parameter `p` in a scan, −1 when it is not scanned.
int ScannedColumn(const LimitsEntry& entry, std::size_t p) {
  for (std::size_t c = 0; c < entry.parameters.size(); ++c)
    if (entry.parameters[c] == static_cast<int>(p)) return static_cast<int>(c);
  return -1;
}

void IntervalTable(const PipelineConfig& config,
                   const std::vector<FisherEntry>& fisher,
                   const std::vector<LimitsEntry>& limits,
                   ReportDocument* doc) {
  std::vector<std::string> header = {"method", "from"};
  for (std::size_t p = 0; p < config.parameters.size(); ++p) {
    header.push_back(ParameterText(config, p) + " 68% CL");
    header.push_back(ParameterText(config, p) + " 95% CL");
  }
  std::vector<std::vector<std::string>> rows;
  for (const LimitsEntry& entry : limits) {
    if (!entry.available) continue;
    std::string from = entry.scan.empty()
                           ? "likelihood scan"
                           : "likelihood scan (" + entry.scan + ")";
    // A failed profile fit leaves a point too high: say so next to it.
    if (entry.profile_not_converged > 0)
      from += "; WARNING: the profile fit did not converge at " +
              std::to_string(entry.profile_not_converged) + " of " +
              std::to_string(entry.grid.rows()) + " grid points";
    std::vector<std::string> row = {entry.label, from};
    for (std::size_t p = 0; p < config.parameters.size(); ++p) {
      const int column = ScannedColumn(entry, p);
      if (column < 0) {
        row.insert(row.end(), {"—", "—"});  // not scanned in this slice
        continue;
      }
      row.push_back(IntervalText(
          ScanInterval(entry.grid, entry.minus_two_dlnl, column, kOneDof68)));
      row.push_back(IntervalText(
          ScanInterval(entry.grid, entry.minus_two_dlnl, column, kOneDof95)));
    }
    rows.push_back(row);
  }
  for (const FisherEntry& entry : fisher) {
    if (!entry.available) continue;
    std::vector<std::string> row = {entry.label, "Fisher information"};
    for (std::size_t p = 0; p < config.parameters.size(); ++p) {
      const int index = static_cast<int>(p);
      const double center = config.fisher.theta[p];
      row.push_back(IntervalText(
          FisherInterval(entry.information, index, kOneDof68, center)));
      row.push_back(IntervalText(
          FisherInterval(entry.information, index, kOneDof95, center)));
    }
    rows.push_back(row);
  }
  doc->Table(header, rows);
}

// One Fisher matrix element with its Monte Carlo standard error and, for a
// trained ensemble, the spread over its members: "v ± δ (MC) ± e (ensemble)".
std::string ElementText(const FisherEntry& entry,
                        Eigen::Index i,
                        Eigen::Index j) {
  const double value = entry.information(i, j);
  if (entry.uncertainty.size() == 0) return Format(value);
  std::string text = ValueWithUncertainty(value, entry.uncertainty(i, j));
  if (entry.ensemble_uncertainty.size() != 0)
    text += " (MC) ± " + Format(entry.ensemble_uncertainty(i, j), 2) +
            " (ensemble)";
  return text;
}

std::string WidthText(const IntervalWidth& width) {
  if (!width.valid) return "unconstrained";
  const double relative = width.uncertainty / width.sigma;
  return ValueWithUncertainty(width.sigma, width.uncertainty) + " (" +
         Format(100.0 * relative, 2) + " %" +
         (width.approximate ? ", approx." : "") + ")";
}

// The 1σ half widths of the Fisher intervals with their Monte Carlo errors:
// others fixed and others profiled, both first order; profiled from the
// elements' covariance, or marked approximate without it (see
// fisher_interval_uncertainty.h).
void IntervalUncertaintyTable(const PipelineConfig& config,
                              const std::vector<FisherEntry>& fisher,
                              ReportDocument* doc) {
  std::vector<std::string> header = {"method"};
  for (std::size_t p = 0; p < config.parameters.size(); ++p) {
    header.push_back("σ " + ParameterText(config, p) +
                     ", others profiled √(I⁻¹)_ii ± MC");
    header.push_back("σ " + ParameterText(config, p) +
                     ", others fixed 1/√I_ii ± MC (½ δI_ii/I_ii)");
  }
  std::vector<std::vector<std::string>> rows;
  for (const FisherEntry& entry : fisher) {
    if (!entry.available || entry.uncertainty.size() == 0) continue;
    std::vector<std::string> row = {entry.label};
    for (std::size_t p = 0; p < config.parameters.size(); ++p) {
      const int index = static_cast<int>(p);
      row.push_back(WidthText(ProfiledWidth(
          entry.information, entry.uncertainty, entry.mc_covariance, index)));
      row.push_back(WidthText(
          FixedOthersWidth(entry.information, entry.uncertainty, index)));
    }
    rows.push_back(row);
  }
  if (rows.empty()) return;
  doc->Paragraph(
      "1σ half widths of the Fisher intervals (the 68% CL rows above) with "
      "their Monte Carlo statistical uncertainty from the event weights. "
      "Others fixed: δσ/σ = ½ δI_ii/I_ii. Others profiled: δ(I⁻¹)_ii = "
      "−Σ_jk (I⁻¹)_ij (I⁻¹)_ik δI_jk propagated with the covariance of the "
      "elements (they fluctuate with the same events). Both first order. "
      "Cells marked approx. had no covariance (more than 10 parameters, or "
      "SALLY from predictions) and take the elements as independent, which "
      "overstates the error of a nearly degenerate information.");
  doc->Table(header, rows);
}

std::string OptionalNumber(double value, int digits = 4) {
  return std::isfinite(value) ? Format(value, digits) : "—";
}

// n_eff against the expected number of events, and the largest share of a
// diagonal element carried by one event.
void StatisticsTable(const PipelineConfig& config,
                     const std::vector<FisherEntry>& fisher,
                     ReportDocument* doc) {
  std::vector<std::string> header = {
      "method", "n_eff (simulated)", "L·σ (expected)", "n_eff / (L·σ)"};
  for (std::size_t p = 0; p < config.parameters.size(); ++p)
    header.push_back("largest event fraction of I_ii (" +
                     ParameterText(config, p) + ")");
  header.push_back("exceeds truth");
  std::vector<std::vector<std::string>> rows;
  for (const FisherEntry& entry : fisher) {
    if (!entry.available || !std::isfinite(entry.effective_events)) continue;
    std::vector<std::string> row = {
        entry.label,
        OptionalNumber(entry.effective_events),
        OptionalNumber(entry.expected_events),
        OptionalNumber(entry.effective_events / entry.expected_events, 3)};
    for (std::size_t p = 0; p < config.parameters.size(); ++p)
      row.push_back(p < entry.largest_event_fraction.size()
                        ? OptionalNumber(entry.largest_event_fraction[p], 3)
                        : "—");
    std::string exceeds;
    for (std::size_t p = 0; p < entry.exceeds_truth.size(); ++p)
      if (entry.exceeds_truth[p])
        exceeds +=
            (exceeds.empty() ? "YES: " : ", ") + ParameterText(config, p);
    if (exceeds.empty() && !entry.exceeds_truth_direction.empty())
      exceeds = "YES: " + entry.exceeds_truth_direction;
    row.push_back(entry.exceeds_truth.empty() ? "—"
                  : exceeds.empty()           ? "no"
                                              : exceeds);
    rows.push_back(row);
  }
  if (rows.empty()) return;
  doc->Paragraph(
      "Monte Carlo statistics of the Fisher information: effective number of "
      "simulated events n_eff = (Σw)²/Σw² against the expected number of "
      "events L·σ(θ); the largest fraction of a diagonal element carried by "
      "one event; and whether a trained estimator's information exceeds the "
      "truth on the same events by more than twice its uncertainty, along a "
      "parameter axis or along the direction v of the largest ratio "
      "vᵀ I v / vᵀ I_truth v (in the parameters' order).");
  doc->Table(header, rows);
}

// The fisher commands' warnings and the estimators that exceed the truth,
// copied where a reader sees them first.
void WarningsSection(const PipelineConfig& config,
                     const std::vector<FisherEntry>& fisher,
                     ReportDocument* doc) {
  std::vector<std::vector<std::string>> rows;
  for (const FisherEntry& entry : fisher) {
    if (!entry.available) continue;
    for (const std::string& warning : entry.warnings)
      rows.push_back({entry.label + " Fisher information", warning});
    for (std::size_t p = 0; p < entry.exceeds_truth.size(); ++p)
      if (entry.exceeds_truth[p])
        rows.push_back(
            {entry.label + " Fisher information",
             "EXCEEDS TRUTH: I(" + ParameterText(config, p) + ", " +
                 ParameterText(config, p) +
                 ") is above the truth information on the same events by "
                 "more than twice its uncertainty (overfitted or biased "
                 "estimator); its intervals are too narrow"});
  }
  if (rows.empty()) return;
  doc->Heading("Warnings");
  doc->Table({"result", "warning"}, rows);
}

void FisherTable(const PipelineConfig& config,
                 const std::vector<FisherEntry>& fisher,
                 ReportDocument* doc) {
  const FisherEntry* truth = nullptr;
  for (const FisherEntry& entry : fisher)
    if (entry.name == "truth" && entry.available) truth = &entry;
  const double truth_det = truth != nullptr && !IsSingular(truth->information)
                               ? truth->information.determinant()
                               : 0.0;
  std::vector<std::string> header = {"method"};
  const std::size_t n = config.parameters.size();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j)
      header.push_back("I(" + ParameterText(config, i) + ", " +
                       ParameterText(config, j) + ") ± MC");
  header.push_back("det I");
  header.push_back("det I / det I_truth");
  for (std::size_t i = 0; i < n; ++i)
    header.push_back("I_ii / I_ii,truth (" + ParameterText(config, i) + ")");
  std::vector<std::vector<std::string>> rows;
  for (const FisherEntry& entry : fisher) {
    std::vector<std::string> row = {entry.label};
    if (!entry.available) {
      row.push_back("not available: " + entry.reason);
      rows.push_back(row);
      continue;
    }
    const auto& info = entry.information;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i; j < n; ++j)
        row.push_back(ElementText(
            entry, static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
    if (IsSingular(info)) {
      row.push_back("singular");
      row.push_back("0 (singular)");
    } else {
      const double det = info.determinant();
      row.push_back(Format(det));
      row.push_back(truth_det > 0 ? Format(det / truth_det) : "no truth");
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      row.push_back(truth != nullptr
                        ? Format(info(k, k) / truth->information(k, k))
                        : "no truth");
    }
    rows.push_back(row);
  }
  doc->Table(header, rows);
}

// Morphing diagnostics for any number of parameters: the basis, the
// condition number of the morphing matrix, and Σ_b w_b(θ)² (the factor by
// which morphing inflates the MC variance) at θ and at its worst over the
// 3^P points {LO, centre, HI} of the parameter ranges.
void MorphingTable(const PipelineConfig& config,
                   const mining::MadminerSetup& setup,
                   ReportDocument* doc) {
  if (!setup.morphing) return;
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(setup.morphing->morphing_matrix);
  const Eigen::VectorXd& singular = svd.singularValues();
  const double condition = singular.size() > 0 && singular.minCoeff() > 0
                               ? singular.maxCoeff() / singular.minCoeff()
                               : std::numeric_limits<double>::infinity();
  const auto num = static_cast<Eigen::Index>(config.parameters.size());
  auto sum_squared = [&](const Eigen::VectorXd& theta) {
    return MorphingWeights(setup, theta).squaredNorm();
  };
  const Eigen::VectorXd theta =
      Eigen::Map<const Eigen::VectorXd>(config.fisher.theta.data(), num);
  double worst = 0.0;
  std::string worst_at;
  if (num <= 8) {
    long points = 1;
    for (Eigen::Index p = 0; p < num; ++p) points *= 3;
    for (long k = 0; k < points; ++k) {
      Eigen::VectorXd point(num);
      long rest = k;
      for (Eigen::Index p = 0; p < num; ++p, rest /= 3) {
        const auto& [lo, hi] =
            config.parameter_ranges[static_cast<std::size_t>(p)];
        point(p) = lo + 0.5 * static_cast<double>(rest % 3) * (hi - lo);
      }
      const double value = sum_squared(point);
      if (value > worst) {
        worst = value;
        worst_at = JoinNumbers({point.data(), point.data() + num});
      }
    }
  }
  std::string basis;
  for (int b = 0; b < setup.benchmarks.num_physics(); ++b)
    basis += (basis.empty() ? "" : ", ") +
             setup.benchmarks.names[static_cast<std::size_t>(b)];
  doc->Heading("Morphing", 3);
  doc->Table({"quantity", "value"},
             {{"basis benchmarks", basis},
              {"morphing components",
               std::to_string(setup.morphing->morphing_matrix.rows())},
              {"condition number of the morphing matrix", Format(condition)},
              {"Σ w² at θ = (" + JoinNumbers(config.fisher.theta) + ")",
               Format(sum_squared(theta))},
              {"largest Σ w² on the 3^P corners and centres of the ranges",
               num <= 8 ? Format(worst) + " at (" + worst_at + ")"
                        : "not computed (more than 8 parameters)"}});
}

// The bins every histogram result used, from the commands' own outputs: one
// definition should mean one binning in Fisher and limits (issue 17, item 3).
void HistogramBinsTable(const std::vector<FisherEntry>& fisher,
                        const std::vector<LimitsEntry>& limits,
                        ReportDocument* doc) {
  std::vector<std::vector<std::string>> rows;
  for (const FisherEntry& entry : fisher)
    if (entry.available && !entry.edges.empty())
      rows.push_back(
          {entry.label, "Fisher information", EdgesText(entry.edges)});
  for (const LimitsEntry& entry : limits)
    if (entry.available && !entry.edges.empty())
      rows.push_back(
          {entry.label, "limits (" + entry.name + ")", EdgesText(entry.edges)});
  if (rows.empty()) return;
  doc->Heading("Histogram bins", 3);
  doc->Paragraph(
      "The bin edges each command used per axis (−∞ and +∞: underflow and "
      "overflow bins).");
  doc->Table({"histogram", "used by", "edges"}, rows);
}

// Ratios I_ii / I_ii,truth next to the reference's (PHYSICS.md §6.3).
void ReferenceTable(const PipelineConfig& config,
                    const std::vector<FisherEntry>& fisher,
                    ReportDocument* doc) {
  const auto& reference = config.report.reference_information;
  const std::vector<std::vector<double>>* reference_truth = nullptr;
  for (const auto& [name, matrix] : reference)
    if (name == "truth") reference_truth = &matrix;
  const FisherEntry* truth = nullptr;
  for (const FisherEntry& entry : fisher)
    if (entry.name == "truth" && entry.available) truth = &entry;
  if (reference_truth == nullptr || truth == nullptr) return;
  const std::size_t n = config.parameters.size();
  std::vector<std::string> header = {"method"};
  for (std::size_t i = 0; i < n; ++i) {
    header.push_back("I/I_truth " + ParameterText(config, i) + " (this run)");
    header.push_back("I/I_truth " + ParameterText(config, i) + " (reference)");
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, matrix] : reference) {
    const FisherEntry* ours = nullptr;
    for (const FisherEntry& entry : fisher)
      if (entry.name == name && entry.available) ours = &entry;
    if (ours == nullptr || matrix.size() != n) continue;
    std::vector<std::string> row = {ours->label};
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      row.push_back(
          Format(ours->information(k, k) / truth->information(k, k), 3));
      row.push_back(Format(matrix[i][i] / (*reference_truth)[i][i], 3));
    }
    rows.push_back(row);
  }
  doc->Paragraph(
      "Comparison with " + config.report.reference_source +
      ": diagonal Fisher information relative to the parton-level truth "
      "(ratios are insensitive to luminosity and to the channels included; "
      "cuts and backgrounds change them).");
  doc->Table(header, rows);
}

nlohmann::ordered_json IntervalJson(const Interval& interval) {
  if (!interval.bounded) return "unconstrained";
  return {{"lower", interval.lo},
          {"upper", interval.hi},
          {"lower_at_grid_edge", interval.lo_at_edge},
          {"upper_at_grid_edge", interval.hi_at_edge}};
}

nlohmann::ordered_json MatrixJson(const Eigen::MatrixXd& matrix) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (Eigen::Index i = 0; i < matrix.rows(); ++i)
    rows.push_back(
        std::vector<double>(matrix.row(i).begin(), matrix.row(i).end()));
  return rows;
}

nlohmann::ordered_json WidthJson(const IntervalWidth& width) {
  if (!width.valid) return "unconstrained";
  return {{"sigma", width.sigma},
          {"uncertainty", width.uncertainty},
          {"approximate", width.approximate}};
}

// The Monte Carlo keys of one Fisher result (added; none renamed).
void AddStatisticsJson(const PipelineConfig& config,
                       const FisherEntry& entry,
                       nlohmann::ordered_json* item) {
  if (entry.uncertainty.size() != 0) {
    (*item)["fisher_information_uncertainty"] = MatrixJson(entry.uncertainty);
    nlohmann::ordered_json widths = nlohmann::ordered_json::object();
    for (std::size_t p = 0; p < config.parameters.size(); ++p) {
      const int index = static_cast<int>(p);
      widths[config.parameters[p]] = {
          {"profiled",
           WidthJson(ProfiledWidth(entry.information,
                                   entry.uncertainty,
                                   entry.mc_covariance,
                                   index))},
          {"others_fixed",
           WidthJson(
               FixedOthersWidth(entry.information, entry.uncertainty, index))}};
    }
    (*item)["interval_sigma"] = widths;
  }
  if (entry.ensemble_uncertainty.size() != 0)
    (*item)["fisher_information_ensemble_uncertainty"] =
        MatrixJson(entry.ensemble_uncertainty);
  if (std::isfinite(entry.effective_events))
    (*item)["effective_number_of_events"] = entry.effective_events;
  if (std::isfinite(entry.expected_events))
    (*item)["expected_number_of_events"] = entry.expected_events;
  if (!entry.largest_event_fraction.empty())
    (*item)["largest_event_fraction"] = entry.largest_event_fraction;
  if (!entry.exceeds_truth.empty())
    (*item)["exceeds_truth"] = entry.exceeds_truth;
  if (!entry.exceeds_truth_direction.empty())
    (*item)["exceeds_truth_direction"] = entry.exceeds_truth_direction;
  (*item)["warnings"] = entry.warnings;
}

// The numbers of the tables, machine-readable (DIR/results.json).
nlohmann::ordered_json ResultsJson(const PipelineConfig& config,
                                   const std::vector<FisherEntry>& fisher,
                                   const std::vector<LimitsEntry>& limits) {
  nlohmann::ordered_json json;
  json["parameters"] = config.parameters;
  json["theta"] = config.fisher.theta;
  json["luminosity"] = config.fisher.luminosity;
  nlohmann::ordered_json fisher_json = nlohmann::ordered_json::object();
  for (const FisherEntry& entry : fisher) {
    nlohmann::ordered_json item;
    item["label"] = entry.label;
    item["available"] = entry.available;
    if (!entry.available) {
      item["reason"] = entry.reason;
    } else {
      item["fisher_information"] = MatrixJson(entry.information);
      const bool singular = IsSingular(entry.information);
      item["determinant"] = singular ? 0.0 : entry.information.determinant();
      item["singular"] = singular;
      item["source"] = entry.source;
      AddStatisticsJson(config, entry, &item);
    }
    item["events"] = entry.events;
    fisher_json[entry.name] = item;
  }
  json["fisher"] = fisher_json;
  nlohmann::ordered_json limits_json = nlohmann::ordered_json::object();
  for (const LimitsEntry& entry : limits) {
    nlohmann::ordered_json item;
    item["label"] = entry.label;
    item["available"] = entry.available;
    if (!entry.available) item["reason"] = entry.reason;
    item["events"] = entry.events;
    std::vector<std::string> scanned;
    for (int p : entry.parameters)
      scanned.push_back(config.parameters[static_cast<std::size_t>(p)]);
    item["parameters"] = scanned;
    if (!entry.scan.empty()) item["scan"] = entry.scan;
    item["profile_fits_not_converged"] = entry.profile_not_converged;
    limits_json[entry.name] = item;
  }
  json["limits"] = limits_json;
  nlohmann::ordered_json intervals = nlohmann::ordered_json::array();
  auto add = [&](const std::string& method,
                 const std::string& from,
                 auto interval_at,
                 const LimitsEntry* scan) {
    for (std::size_t p = 0; p < config.parameters.size(); ++p) {
      if (scan != nullptr && ScannedColumn(*scan, p) < 0) continue;
      intervals.push_back(
          {{"method", method},
           {"from", from},
           {"parameter", config.parameters[p]},
           {"cl68", IntervalJson(interval_at(static_cast<int>(p), kOneDof68))},
           {"cl95",
            IntervalJson(interval_at(static_cast<int>(p), kOneDof95))}});
    }
  };
  for (const LimitsEntry& entry : limits) {
    if (!entry.available) continue;
    add(
        entry.name,
        "likelihood scan",
        [&](int p, double threshold) {
          return ScanInterval(entry.grid,
                              entry.minus_two_dlnl,
                              ScannedColumn(entry, static_cast<std::size_t>(p)),
                              threshold);
        },
        &entry);
  }
  for (const FisherEntry& entry : fisher) {
    if (!entry.available) continue;
    add(
        entry.name,
        "Fisher information",
        [&](int p, double threshold) {
          return FisherInterval(
              entry.information,
              p,
              threshold,
              config.fisher.theta[static_cast<std::size_t>(p)]);
        },
        nullptr);
  }
  json["intervals"] = intervals;
  return json;
}

}  // namespace

void WriteReport(const PipelineConfig& config,
                 const StudyFiles& files,
                 const std::vector<StageOutcome>& outcomes,
                 std::ostream& log) {
  const std::vector<FisherEntry> fisher = LoadFisherEntries(config, files);
  const std::vector<LimitsEntry> limits = LoadLimitsEntries(config, files);
  const MemComparison mem = LoadMemComparison(config, files);
  std::unique_ptr<mining::MadminerEvents> events;
  if (fs::exists(files.events()))
    events = std::make_unique<mining::MadminerEvents>(
        mining::ReadEvents(files.events()));
  const GnuplotPlotter plotter(files.workdir / "report/plots", log);
  const ReportInputs inputs{config, files, fisher, limits, events.get()};
  const std::vector<FigureResult> figures = DrawFigures(inputs, plotter);

  ReportDocument doc;
  doc.Heading(
      "goldmine run: " + config.name + (config.quick ? " (quick profile)" : ""),
      1);
  const std::time_t now = std::time(nullptr);
  char date[64];
  std::strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  std::string parameters;
  for (std::size_t p = 0; p < config.parameters.size(); ++p)
    parameters += (parameters.empty() ? "" : ", ") + ParameterText(config, p);
  doc.Paragraph("Configuration `" + config.path.string() + "`, work folder `" +
                files.workdir.string() + "`, " + date + ", " + VersionLine() +
                ". Parameters: " + parameters +
                " (Λ = 1 TeV); Fisher information and "
                "expected limits at θ = (" +
                JoinNumbers(config.fisher.theta) + ") for " +
                Format(config.fisher.luminosity / 1000.0) + " fb⁻¹.");
  if (events) {
    doc.Paragraph(
        "Events after cuts: " + std::to_string(events->events.size()) + "; σ(" +
        events->setup.benchmarks.names.front() +
        ") = " + Format(1000.0 * events->events.weights.col(0).sum()) +
        " fb after efficiencies.");
  }
  doc.Heading("Stages");
  StageTable(outcomes, &doc);
  WarningsSection(config, fisher, &doc);

  doc.Heading("Results");
  doc.Paragraph(
      "Expected 68% and 95% CL intervals per operator, profiled over the other "
      "operators (Δ(−2 ln L) = 1 and 3.84). \"likelihood scan\" rows come from "
      "`goldmine limits` on the grid (≤/≥: the region reaches the edge of the "
      "grid); \"Fisher information\" rows are the asymptotic intervals θ ± "
      "sqrt(Δ (I⁻¹)_ii); \"unconstrained\": the information is rank-deficient "
      "(the rate alone constrains only one combination).");
  IntervalTable(config, fisher, limits, &doc);
  doc.Paragraph(
      "Fisher information at θ = (" + JoinNumbers(config.fisher.theta) +
      ") and its determinant, relative to the parton-level truth (the most "
      "any analysis of these events can reach). Each element is given with "
      "its Monte Carlo statistical uncertainty (± MC, from the event weights; "
      "for a trained ensemble also the spread over its members).");
  FisherTable(config, fisher, &doc);
  MemSection(config, mem, &doc);
  IntervalUncertaintyTable(config, fisher, &doc);
  StatisticsTable(config, fisher, &doc);
  ReferenceTable(config, fisher, &doc);
  std::vector<std::vector<std::string>> sources;
  for (const FisherEntry& entry : fisher)
    sources.push_back(
        {entry.label + " Fisher information",
         entry.available ? entry.source : "not available: " + entry.reason,
         entry.events});
  for (const LimitsEntry& entry : limits)
    sources.push_back({entry.label + " limits",
                       entry.available
                           ? "`goldmine limits` (" + entry.name + ")"
                           : "skipped, not available: " + entry.reason,
                       entry.events});
  doc.Heading("Where the numbers come from", 3);
  doc.Paragraph(
      "Numbers built from a trained model use only events it never saw: "
      "`goldmine augment` draws every training sample from the train "
      "partition, the model-based numbers use the test partition.");
  doc.Table({"result", "source", "events"}, sources);
  HistogramBinsTable(fisher, limits, &doc);

  if (events) MorphingTable(config, events->setup, &doc);

  doc.Heading("Figures");
  for (const FigureResult& figure : figures) {
    if (figure.drawn) {
      doc.Figure(plotter.folder() / (figure.name + ".png"),
                 plotter.folder() / (figure.name + ".svg"),
                 figure.caption);
    } else {
      doc.Paragraph("Figure `" + figure.name + "` omitted: " + figure.note +
                    ".");
    }
  }
  doc.Heading("Reproduce");
  doc.Paragraph(
      "Every command of every stage, with its settings and log, is in "
      "`DIR/<stage>/stage.json` and `DIR/<stage>/log.txt`; the plots' data and "
      "gnuplot scripts are in `report/plots/`.");
  doc.Code("goldmine run " + config.path.string() + " --workdir " +
           files.workdir.string() + (config.quick ? " --quick" : ""));

  nlohmann::ordered_json results = ResultsJson(config, fisher, limits);
  if (mem.configured) results["mem"] = MemJson(config, mem);
  WriteTextFileAtomically(files.workdir / "results.json",
                          results.dump(2) + "\n");
  WriteTextFileAtomically(files.workdir / "report.md",
                          doc.Markdown(files.workdir));
  WriteTextFileAtomically(files.workdir / "report.html",
                          doc.Html("goldmine run: " + config.name));
  log << "report: " << (files.workdir / "report.md").string() << ", "
      << (files.workdir / "report.html").string() << "\n";
}

}  // namespace goldmine::pipeline
