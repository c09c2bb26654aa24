#include "goldmine/pipeline/report_mem.h"

#include <Eigen/Dense>
#include <cmath>
#include <fstream>

#include "goldmine/pipeline/fisher_interval_uncertainty.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

// A number alone, 3 significant digits.
std::string Format(double value) {
  return ValueWithUncertainty(value, -1.0, 3);
}

const FisherEntry* MemEntry(const MemComparison& comparison) {
  if (comparison.entries.empty() || !comparison.entries.front().available)
    return nullptr;
  return &comparison.entries.front();
}

// a/b with the error of uncorrelated estimates. The two share their events,
// so this bounds the MC error of the ratio from above; SALLY's comes from
// the event-by-event comparison instead, when there is one.
struct Ratio {
  double value = std::nan("");
  double bound = std::nan("");
  bool correlated = false;
};
Ratio DiagonalRatio(const MemComparison& comparison,
                    const FisherEntry& entry,
                    const FisherEntry& mem,
                    Eigen::Index k) {
  const auto p = static_cast<std::size_t>(k);
  if (entry.name == "sally" && p < comparison.sally_fraction.size()) {
    return {comparison.sally_fraction[p],
            comparison.sally_fraction_uncertainty[p],
            true};
  }
  const double a = entry.information(k, k);
  const double b = mem.information(k, k);
  Ratio ratio;
  ratio.value = a / b;
  if (entry.uncertainty.size() != 0 && mem.uncertainty.size() != 0) {
    const double ra = entry.uncertainty(k, k) / a;
    const double rb = mem.uncertainty(k, k) / b;
    ratio.bound = std::abs(ratio.value) * std::sqrt(ra * ra + rb * rb);
  }
  return ratio;
}

double DeterminantRatio(const FisherEntry& entry, const FisherEntry& mem) {
  if (IsSingular(entry.information)) return 0.0;
  return entry.information.determinant() / mem.information.determinant();
}

}  // namespace

MemComparison LoadMemComparison(const PipelineConfig& config,
                                const StudyFiles& files) {
  MemComparison comparison;
  comparison.configured = config.mem.enabled;
  if (!comparison.configured) return comparison;
  comparison.events = "the first " + std::to_string(config.mem.events) +
                      " events of the test partition (never used for "
                      "training), as `" +
                      files.mem_events().string() + "`";
  const fs::path summary = files.workdir / "mem/mem.json";
  if (fs::exists(summary)) {
    std::ifstream in(summary);
    const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_object()) {
      comparison.integrated = json.value("events", std::int64_t{-1});
      comparison.not_converged = json.value("not_converged", std::int64_t{-1});
      comparison.largest_relative_error =
          json.value("largest_relative_error", std::nan(""));
    }
  }
  const fs::path record = files.workdir / "mem/stage.json";
  auto load = [&](const std::string& name,
                  const std::string& label,
                  const std::string& step_label) {
    FisherEntry entry = LoadFisherEntry(
        files.mem_fisher(name), record, name, label, step_label);
    entry.events = comparison.events;
    comparison.entries.push_back(std::move(entry));
  };
  load("mem", "MEM: best possible with these observables", "fisher mem");
  // A failed `goldmine mem` is the reason `fisher mem` has no result.
  for (const StepRecord& step : StageRunner::ReadRecords(record)) {
    if (step.label == "mem" && !step.available)
      comparison.entries.back().reason = "goldmine mem: " + step.reason;
  }
  load("truth", "truth (parton level)", "fisher truth (MEM events)");
  for (const HistogramSettings& histogram : config.fisher.histograms)
    load("histogram_" + histogram.name,
         histogram.label,
         "fisher histogram " + histogram.name + " (MEM events)");
  load("rate", "rate only", "fisher rate (MEM events)");
  for (const TrainSettings& train : config.train) {
    if (train.method != "sally" || !train.enabled) continue;
    // The fisher stage computes it, with the MEM on the same events.
    FisherEntry entry = LoadFisherEntry(files.fisher("sally_mem_events"),
                                        files.workdir / "fisher/stage.json",
                                        "sally",
                                        "SALLY",
                                        "fisher sally (MEM events)");
    entry.events = comparison.events;
    comparison.entries.push_back(std::move(entry));
    std::ifstream in(files.fisher("sally_mem_events"));
    const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_object() && json.contains("fraction_of_mem")) {
      comparison.sally_fraction =
          json.at("fraction_of_mem").get<std::vector<double>>();
      comparison.sally_fraction_uncertainty =
          json.at("fraction_of_mem_uncertainty").get<std::vector<double>>();
    }
  }
  return comparison;
}

void MemSection(const PipelineConfig& config,
                const MemComparison& comparison,
                ReportDocument* doc) {
  if (!comparison.configured) return;
  doc->Heading("Best possible with these observables (MEM)", 3);
  std::string text =
      "The Matrix Element Method integrates the generator's own matrix "
      "element over everything the observables do not fix (docs/mem.md): "
      "its Fisher information is the most any analysis of these observables "
      "can extract, while the parton-level truth also sees what no detector "
      "does. Every method is evaluated on the same events, " +
      comparison.events +
      ", so that the fractions share their Monte Carlo fluctuations. The ± "
      "on a fraction treats the two as independent and so bounds its MC "
      "error from above, except where marked (paired): SALLY is compared "
      "with the MEM event by event (`goldmine fisher sally --mem`), which "
      "gives the MC error of the fraction itself.";
  if (comparison.integrated >= 0) {
    text +=
        " `goldmine mem` integrated " + std::to_string(comparison.integrated) +
        " events (" + std::to_string(comparison.not_converged) +
        " short of the requested precision " + Format(config.mem.precision) +
        "; largest relative integration error " +
        Format(comparison.largest_relative_error) + ").";
  }
  doc->Paragraph(text);
  const FisherEntry* mem = MemEntry(comparison);
  const std::size_t n = config.parameters.size();
  std::vector<std::string> header = {"method"};
  for (std::size_t i = 0; i < n; ++i)
    header.push_back("I(" + ParameterText(config, i) + ", " +
                     ParameterText(config, i) + ") ± MC");
  for (std::size_t i = 0; i < n; ++i)
    header.push_back("fraction of MEM (" + ParameterText(config, i) + ")");
  header.push_back("det I / det I_MEM");
  std::vector<std::vector<std::string>> rows;
  for (const FisherEntry& entry : comparison.entries) {
    std::vector<std::string> row = {entry.label};
    if (!entry.available) {
      row.push_back("not available: " + entry.reason);
      rows.push_back(row);
      continue;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      row.push_back(ValueWithUncertainty(
          entry.information(k, k),
          entry.uncertainty.size() != 0 ? entry.uncertainty(k, k) : -1.0));
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (mem == nullptr) {
        row.push_back("no MEM");
        continue;
      }
      const Ratio ratio =
          DiagonalRatio(comparison, entry, *mem, static_cast<Eigen::Index>(i));
      row.push_back(ValueWithUncertainty(ratio.value, ratio.bound, 3) +
                    (ratio.correlated ? " (paired)" : ""));
    }
    row.push_back(mem == nullptr || IsSingular(mem->information)
                      ? "no MEM"
                      : Format(DeterminantRatio(entry, *mem)));
    rows.push_back(row);
  }
  doc->Table(header, rows);
}

nlohmann::ordered_json MemJson(const PipelineConfig& config,
                               const MemComparison& comparison) {
  nlohmann::ordered_json json;
  json["events"] = comparison.events;
  json["precision"] = config.mem.precision;
  json["detector"] = config.mem.detector;
  if (comparison.integrated >= 0) {
    json["integrated_events"] = comparison.integrated;
    json["not_converged"] = comparison.not_converged;
    json["largest_relative_error"] = comparison.largest_relative_error;
  }
  const FisherEntry* mem = MemEntry(comparison);
  nlohmann::ordered_json methods = nlohmann::ordered_json::object();
  for (const FisherEntry& entry : comparison.entries) {
    nlohmann::ordered_json item;
    item["label"] = entry.label;
    item["available"] = entry.available;
    if (!entry.available) {
      item["reason"] = entry.reason;
      methods[entry.name] = item;
      continue;
    }
    std::vector<std::vector<double>> information, uncertainty;
    for (Eigen::Index i = 0; i < entry.information.rows(); ++i) {
      information.emplace_back(entry.information.row(i).begin(),
                               entry.information.row(i).end());
      if (entry.uncertainty.size() != 0)
        uncertainty.emplace_back(entry.uncertainty.row(i).begin(),
                                 entry.uncertainty.row(i).end());
    }
    item["fisher_information"] = information;
    if (!uncertainty.empty())
      item["fisher_information_uncertainty"] = uncertainty;
    if (mem != nullptr) {
      std::vector<double> fractions, bounds;
      bool paired = false;
      for (std::size_t p = 0; p < config.parameters.size(); ++p) {
        const Ratio ratio = DiagonalRatio(
            comparison, entry, *mem, static_cast<Eigen::Index>(p));
        fractions.push_back(ratio.value);
        bounds.push_back(ratio.bound);
        paired = ratio.correlated;
      }
      item["fraction_of_mem"] = fractions;
      // Paired: the MC error of the event-by-event comparison; otherwise an
      // upper bound (the two taken as independent).
      item[paired ? "fraction_of_mem_uncertainty"
                  : "fraction_of_mem_uncertainty_bound"] = bounds;
      if (!IsSingular(mem->information))
        item["determinant_ratio_to_mem"] = DeterminantRatio(entry, *mem);
    }
    methods[entry.name] = item;
  }
  json["methods"] = methods;
  return json;
}

}  // namespace goldmine::pipeline
