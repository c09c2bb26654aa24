#include "goldmine/pipeline/report_results.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "goldmine/core/errors.h"
#include "hdf5_matrix.h"
#include "held_out_events.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

nlohmann::json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw FileFormatError(path.string() + ": cannot read");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw FileFormatError(path.string() + ": not JSON: " + error.what());
  }
}

Eigen::MatrixXd MatrixFromJson(const nlohmann::json& rows,
                               const std::string& where) {
  if (!rows.is_array() || rows.empty() || !rows[0].is_array())
    throw FileFormatError(where + ": expected a matrix");
  Eigen::MatrixXd matrix(static_cast<Eigen::Index>(rows.size()),
                         static_cast<Eigen::Index>(rows[0].size()));
  for (Eigen::Index i = 0; i < matrix.rows(); ++i) {
    const auto& row = rows[static_cast<std::size_t>(i)];
    if (!row.is_array() ||
        static_cast<Eigen::Index>(row.size()) != matrix.cols())
      throw FileFormatError(where + ": rows of different lengths");
    for (Eigen::Index j = 0; j < matrix.cols(); ++j)
      matrix(i, j) = row[static_cast<std::size_t>(j)].get<double>();
  }
  return matrix;
}

// The reason a step of a stage was not available, from its stage.json.
std::string StepReason(const fs::path& stage_json, const std::string& label) {
  for (const StepRecord& record : StageRunner::ReadRecords(stage_json))
    if (record.label == label && !record.available) return record.reason;
  return "";
}

double Crossing(double x0, double y0, double x1, double y1, double threshold) {
  if (y1 == y0) return 0.5 * (x0 + x1);
  return x0 + (threshold - y0) * (x1 - x0) / (y1 - y0);
}

}  // namespace

bool IsSingular(const Eigen::MatrixXd& information) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(information);
  const Eigen::VectorXd& eigenvalues = solver.eigenvalues();
  return eigenvalues.size() == 0 ||
         !(eigenvalues.minCoeff() > 1e-10 * eigenvalues.maxCoeff());
}

Eigen::MatrixXd SliceInformation(const Eigen::MatrixXd& information,
                                 const std::vector<int>& scanned,
                                 const std::vector<int>& profiled) {
  std::vector<int> kept = scanned;
  kept.insert(kept.end(), profiled.begin(), profiled.end());
  const auto n = static_cast<Eigen::Index>(kept.size());
  Eigen::MatrixXd block(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j)
      block(i, j) = information(kept[static_cast<std::size_t>(i)],
                                kept[static_cast<std::size_t>(j)]);
  const auto m = static_cast<Eigen::Index>(scanned.size());
  if (profiled.empty()) return block;
  if (IsSingular(block)) return Eigen::MatrixXd::Zero(m, m);
  return block.inverse().topLeftCorner(m, m).inverse();
}

Interval FisherInterval(const Eigen::MatrixXd& information,
                        int parameter,
                        double threshold,
                        double center) {
  Interval interval;
  if (IsSingular(information))
    return interval;  // a flat direction: nothing constrains the profile
  const Eigen::MatrixXd covariance = information.inverse();
  const double sigma = std::sqrt(threshold * covariance(parameter, parameter));
  if (!std::isfinite(sigma)) return interval;
  interval.bounded = true;
  interval.lo = center - sigma;
  interval.hi = center + sigma;
  return interval;
}

Interval ScanInterval(const Eigen::MatrixXd& grid,
                      const Eigen::VectorXd& values,
                      int parameter,
                      double threshold) {
  std::map<double, double> profile;  // grid value → min over the others
  for (Eigen::Index i = 0; i < grid.rows(); ++i) {
    if (!std::isfinite(values(i))) continue;
    const double x = grid(i, parameter);
    const auto found = profile.find(x);
    if (found == profile.end() || values(i) < found->second)
      profile[x] = values(i);
  }
  Interval interval;
  if (profile.size() < 2) return interval;
  const std::vector<std::pair<double, double>> points(profile.begin(),
                                                      profile.end());
  std::size_t first = points.size();
  std::size_t last = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].second <= threshold) {
      first = std::min(first, i);
      last = i;
    }
  }
  if (first == points.size()) return interval;  // nothing allowed on the grid
  interval.bounded = true;
  interval.lo_at_edge = first == 0;
  interval.hi_at_edge = last + 1 == points.size();
  interval.lo = interval.lo_at_edge ? points[first].first
                                    : Crossing(points[first - 1].first,
                                               points[first - 1].second,
                                               points[first].first,
                                               points[first].second,
                                               threshold);
  interval.hi = interval.hi_at_edge ? points[last].first
                                    : Crossing(points[last].first,
                                               points[last].second,
                                               points[last + 1].first,
                                               points[last + 1].second,
                                               threshold);
  return interval;
}

namespace {

// Π_p θ_p^k_cp and its gradient.
double Component(const Eigen::MatrixXi& powers,
                 Eigen::Index c,
                 const Eigen::VectorXd& theta) {
  double value = 1.0;
  for (Eigen::Index p = 0; p < powers.cols(); ++p)
    value *= std::pow(theta(p), powers(c, p));
  return value;
}

double ComponentDerivative(const Eigen::MatrixXi& powers,
                           Eigen::Index c,
                           const Eigen::VectorXd& theta,
                           Eigen::Index q) {
  if (powers(c, q) == 0) return 0.0;
  double value = powers(c, q) * std::pow(theta(q), powers(c, q) - 1);
  for (Eigen::Index p = 0; p < powers.cols(); ++p)
    if (p != q) value *= std::pow(theta(p), powers(c, p));
  return value;
}

}  // namespace

Eigen::VectorXd MorphingWeights(const mining::MadminerSetup& setup,
                                const Eigen::VectorXd& theta) {
  if (!setup.morphing)
    throw InvalidInput("the events file has no morphing setup");
  const Eigen::MatrixXi& powers = setup.morphing->components;
  const Eigen::MatrixXd& matrix = setup.morphing->morphing_matrix;  // C × B
  Eigen::VectorXd weights = Eigen::VectorXd::Zero(matrix.cols());
  for (Eigen::Index c = 0; c < matrix.rows(); ++c)
    weights += Component(powers, c, theta) * matrix.row(c).transpose();
  return weights;
}

MorphedCrossSection CrossSectionAt(const mining::MadminerSetup& setup,
                                   const Eigen::VectorXd& benchmark_xsecs,
                                   const Eigen::VectorXd& theta) {
  if (!setup.morphing)
    throw InvalidInput("the events file has no morphing setup");
  const Eigen::MatrixXi& powers = setup.morphing->components;
  const Eigen::MatrixXd& matrix = setup.morphing->morphing_matrix;
  const Eigen::VectorXd xsecs = benchmark_xsecs.head(matrix.cols());
  MorphedCrossSection result;
  result.sigma = MorphingWeights(setup, theta).dot(xsecs);
  result.gradient = Eigen::VectorXd::Zero(theta.size());
  for (Eigen::Index q = 0; q < theta.size(); ++q) {
    for (Eigen::Index c = 0; c < matrix.rows(); ++c)
      result.gradient(q) +=
          ComponentDerivative(powers, c, theta, q) * matrix.row(c).dot(xsecs);
  }
  return result;
}

Eigen::MatrixXd ScoreFisherInformation(const Eigen::MatrixXd& scores,
                                       const MorphedCrossSection& xsec,
                                       double luminosity) {
  if (scores.rows() == 0) throw InvalidInput("no score predictions");
  const Eigen::MatrixXd second_moment =
      scores.transpose() * scores / static_cast<double>(scores.rows());
  return luminosity * (xsec.sigma * second_moment +
                       xsec.gradient * xsec.gradient.transpose() / xsec.sigma);
}

namespace {

// `histogram_edges` of a fisher or limits result: "-inf" and "inf" (null in
// files written before) stand for ±∞.
std::vector<std::vector<double>> HistogramEdges(const nlohmann::json& json) {
  std::vector<std::vector<double>> edges;
  if (!json.contains("histogram_edges")) return edges;
  for (const auto& axis : json.at("histogram_edges")) {
    std::vector<double> values;
    for (std::size_t i = 0; i < axis.size(); ++i) {
      const double infinity = std::numeric_limits<double>::infinity();
      values.push_back(axis[i].is_number() ? axis[i].get<double>()
                       : i == 0            ? -infinity
                                           : infinity);
    }
    edges.push_back(values);
  }
  return edges;
}

// The Monte Carlo statistics keys of a `goldmine fisher` result, when present.
void ReadStatistics(const nlohmann::json& json,
                    const std::string& where,
                    FisherEntry* entry) {
  if (json.contains("fisher_information_uncertainty"))
    entry->uncertainty =
        MatrixFromJson(json.at("fisher_information_uncertainty"),
                       where + ": fisher_information_uncertainty");
  if (json.contains("fisher_information_ensemble_uncertainty"))
    entry->ensemble_uncertainty =
        MatrixFromJson(json.at("fisher_information_ensemble_uncertainty"),
                       where + ": fisher_information_ensemble_uncertainty");
  for (const Eigen::MatrixXd* matrix :
       {&entry->uncertainty, &entry->ensemble_uncertainty}) {
    if (matrix->size() != 0 && (matrix->rows() != entry->information.rows() ||
                                matrix->cols() != entry->information.cols()))
      throw FileFormatError(where +
                            ": uncertainty matrix shape differs from "
                            "fisher_information");
  }
  if (json.contains("fisher_information_mc_covariance")) {
    entry->mc_covariance =
        MatrixFromJson(json.at("fisher_information_mc_covariance"),
                       where + ": fisher_information_mc_covariance");
    const Eigen::Index n2 = entry->information.size();
    if (entry->mc_covariance.rows() != n2 || entry->mc_covariance.cols() != n2)
      throw FileFormatError(where +
                            ": fisher_information_mc_covariance must be "
                            "n² × n² for the n × n fisher_information");
  }
  if (json.contains("effective_number_of_events"))
    entry->effective_events =
        json.at("effective_number_of_events").get<double>();
  if (json.contains("expected_number_of_events"))
    entry->expected_events = json.at("expected_number_of_events").get<double>();
  if (json.contains("largest_event_fraction"))
    entry->largest_event_fraction =
        json.at("largest_event_fraction").get<std::vector<double>>();
  if (json.contains("exceeds_truth"))
    entry->exceeds_truth = json.at("exceeds_truth").get<std::vector<bool>>();
  if (json.contains("truth_excess") &&
      json.at("truth_excess").value("exceeds_truth", false)) {
    const nlohmann::json& excess = json.at("truth_excess");
    std::ostringstream text;
    text.precision(3);
    text << "along (";
    const auto& direction = excess.at("direction");
    for (std::size_t i = 0; i < direction.size(); ++i)
      text << (i > 0 ? ", " : "") << direction[i].get<double>();
    text << "): excess " << excess.at("excess").get<double>() << " ± "
         << excess.at("uncertainty").get<double>();
    entry->exceeds_truth_direction = text.str();
  }
  if (json.contains("warnings"))
    entry->warnings = json.at("warnings").get<std::vector<std::string>>();
}

}  // namespace

std::string EdgesText(const std::vector<std::vector<double>>& edges) {
  if (edges.empty()) return "—";
  std::string text;
  for (const std::vector<double>& axis : edges) {
    std::string values;
    for (double edge : axis) {
      std::ostringstream number;
      number.precision(6);
      number << edge;
      values += (values.empty() ? "" : ", ") +
                (std::isinf(edge) ? std::string(edge < 0 ? "−∞" : "+∞")
                                  : number.str());
    }
    text += (text.empty() ? "" : " × ") + ("(" + values + ")");
  }
  return text;
}

FisherEntry LoadFisherEntry(const fs::path& path,
                            const fs::path& stage_record,
                            const std::string& name,
                            const std::string& label,
                            const std::string& step_label) {
  FisherEntry entry;
  entry.name = name;
  entry.label = label;
  entry.source = "`goldmine " + step_label + "`";
  entry.events = "all events (no trained model involved)";
  if (fs::exists(path)) {
    const nlohmann::json json = ReadJson(path);
    entry.information =
        MatrixFromJson(json.at("fisher_information"), path.string());
    entry.edges = HistogramEdges(json);
    ReadStatistics(json, path.string(), &entry);
    entry.available = true;
  } else {
    entry.reason = StepReason(stage_record, step_label);
    if (entry.reason.empty())
      entry.reason = "the " + stage_record.parent_path().filename().string() +
                     " stage did not write it";
  }
  return entry;
}

std::vector<FisherEntry> LoadFisherEntries(const PipelineConfig& config,
                                           const StudyFiles& files) {
  std::vector<FisherEntry> entries;
  const fs::path record = files.workdir / "fisher/stage.json";
  auto load = [&](const std::string& name,
                  const std::string& label,
                  const std::string& step_label) {
    entries.push_back(
        LoadFisherEntry(files.fisher(name), record, name, label, step_label));
  };
  load("truth", "truth (parton level)", "fisher truth");
  load("rate", "rate only", "fisher rate");
  for (const HistogramSettings& histogram : config.fisher.histograms)
    load("histogram_" + histogram.name,
         histogram.label,
         "fisher histogram " + histogram.name);
  bool sally = false;
  for (const TrainSettings& train : config.train)
    sally = sally || (train.method == "sally" && train.enabled);
  if (!sally) return entries;
  load("sally", "SALLY", "fisher sally");
  FisherEntry& entry = entries.back();
  // `goldmine fisher sally` evaluates the model on the test partition, which
  // `goldmine augment` never draws training samples from.
  entry.events = "the test partition (never used for training)";
  if (fs::exists(files.events())) {
    entry.events =
        TestPartitionOf(
            mining::MadminerEventsReader(files.events()).num_events())
            .Describe();
  }
  if (entry.available) return entries;
  // Without `goldmine fisher sally`, the same information from the SALLY
  // predictions on test events drawn at the Fisher point, when there are
  // such events (a score benchmark at fisher.theta).
  const std::string unavailable = entry.reason;
  const mining::MadminerEvents events = mining::ReadEvents(files.events());
  const Eigen::VectorXd theta = Eigen::Map<const Eigen::VectorXd>(
      config.fisher.theta.data(),
      static_cast<Eigen::Index>(config.fisher.theta.size()));
  for (const std::string& benchmark : ScoreBenchmarks(config)) {
    const auto& names = events.setup.benchmarks.names;
    const auto found = std::find(names.begin(), names.end(), benchmark);
    if (found == names.end() || !fs::exists(files.scores(benchmark))) continue;
    const Eigen::Index b = found - names.begin();
    if ((events.setup.benchmarks.values.row(b).transpose() - theta).norm() >
        1e-12)
      continue;
    const Eigen::VectorXd xsecs =
        events.events.weights.colwise().sum().transpose();
    const Eigen::MatrixXd scores =
        ReadHdf5Matrix(files.scores(benchmark), "t_hat");
    entry.information =
        ScoreFisherInformation(scores,
                               CrossSectionAt(events.setup, xsecs, theta),
                               config.fisher.luminosity);
    entry.available = true;
    entry.events = "events drawn from the test partition at " + benchmark +
                   " (never used for training)";
    entry.source = "SALLY predictions on " + std::to_string(scores.rows()) +
                   " test events at " + benchmark +
                   " (`goldmine evaluate`), I = L [σ E[t̂ t̂ᵀ] + ∇σ ∇σᵀ/σ]; "
                   "`goldmine fisher sally` was not available (" +
                   unavailable + ")";
    entry.reason.clear();
    return entries;
  }
  return entries;
}

std::vector<LimitsEntry> LoadLimitsEntries(const PipelineConfig& config,
                                           const StudyFiles& files) {
  std::vector<LimitsEntry> entries;
  if (!config.limits.enabled) return entries;
  const fs::path record = files.workdir / "limits/stage.json";
  for (const LimitsRun& run : LimitsRuns(config, files)) {
    const std::size_t num_parameters = run.scanned.size();
    LimitsEntry entry;
    entry.name = run.name;
    entry.label = run.label;
    entry.events = run.events;
    entry.parameters = run.scanned;
    entry.profiled = run.profiled;
    entry.scan = run.scan;
    const fs::path path = files.limits(run.name);
    if (!fs::exists(path)) {
      entry.reason = StepReason(record, "limits " + run.name);
      if (entry.reason.empty())
        entry.reason = "the limits stage did not write it";
      entries.push_back(entry);
      continue;
    }
    const nlohmann::json json = ReadJson(path);
    entry.edges = HistogramEdges(json);
    if (json.contains("profile_fits_not_converged"))
      entry.profile_not_converged =
          json.at("profile_fits_not_converged").get<int>();
    const auto& values = json.at("minus_two_delta_log_l");
    entry.minus_two_dlnl.resize(static_cast<Eigen::Index>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
      entry.minus_two_dlnl(static_cast<Eigen::Index>(i)) =
          values[i].is_number() ? values[i].get<double>() : std::nan("");
    const auto& grid = json.at("grid");
    if (grid.size() == values.size()) {
      entry.grid = MatrixFromJson(grid, path.string() + ": grid");
    } else if (grid.size() == num_parameters) {
      // Axis values: the points are their product, the first slowest.
      entry.grid.resize(static_cast<Eigen::Index>(values.size()),
                        static_cast<Eigen::Index>(num_parameters));
      for (Eigen::Index i = 0; i < entry.grid.rows(); ++i) {
        Eigen::Index rest = i;
        for (std::size_t p = num_parameters; p-- > 0;) {
          const auto n = static_cast<Eigen::Index>(grid[p].size());
          entry.grid(i, static_cast<Eigen::Index>(p)) =
              grid[p][static_cast<std::size_t>(rest % n)].get<double>();
          rest /= n;
        }
      }
    } else {
      throw FileFormatError(path.string() +
                            ": grid does not match minus_two_delta_log_l");
    }
    if (entry.grid.cols() != static_cast<Eigen::Index>(num_parameters))
      throw FileFormatError(path.string() +
                            ": grid points need one value per parameter");
    entry.available = true;
    entries.push_back(entry);
  }
  return entries;
}

}  // namespace goldmine::pipeline
