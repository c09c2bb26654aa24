// The report's "best possible with these observables" section: the Matrix
// Element Method (docs/mem.md) and every other method's Fisher information
// on the same events (the mem stage of study_stages.h), each as a
// fraction of the MEM's.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "goldmine/pipeline/pipeline_config.h"
#include "goldmine/pipeline/report_document.h"
#include "goldmine/pipeline/report_results.h"
#include "goldmine/pipeline/study_stages.h"

namespace goldmine::pipeline {

struct MemComparison {
  bool configured = false;  // a mem section is enabled
  std::string events;       // which events, for readers
  // From `goldmine mem`'s summary (absent: NaN / −1).
  std::int64_t integrated = -1;
  std::int64_t not_converged = -1;
  double largest_relative_error = std::nan("");
  // MEM first, then truth, the histograms, rate and SALLY.
  std::vector<FisherEntry> entries;
  // SALLY's fractions of the MEM per parameter with their MC errors from
  // the event-by-event comparison (`fisher sally --mem`); empty without it.
  std::vector<double> sally_fraction, sally_fraction_uncertainty;
};

MemComparison LoadMemComparison(const PipelineConfig& config,
                                const StudyFiles& files);

// The section (nothing when the mem stage is not configured).
void MemSection(const PipelineConfig& config,
                const MemComparison& comparison,
                ReportDocument* doc);

// results.json's "mem" object: per method its information, MC uncertainty,
// I_ii / I_ii,MEM and det I / det I_MEM.
nlohmann::ordered_json MemJson(const PipelineConfig& config,
                               const MemComparison& comparison);

}  // namespace goldmine::pipeline
