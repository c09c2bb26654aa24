// What is in an event file, in one pass: the first thing a user runs on a new
// sample (`goldmine inspect`, DESIGN.md §5.3).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "goldmine/mining/event_reader.h"

namespace goldmine::mining {

struct EventFileSummary {
  EventFileInfo info;
  std::int64_t num_events = 0;
  // Per weight name (info.weight_names order): Σ weight in the file's units,
  // summed with compensation so that 10^7 events lose no digits.
  std::vector<double> weight_sums;
  std::vector<std::int64_t> negative_weights;
  std::vector<std::int64_t> zero_weights;
};

// A one-line warning when the nominal weight (LHE: XWGTUP; HepMC: the first
// weight) cannot give a cross section: it is zero in every event, or
// positive in none, so that Σ = σ ≤ 0 (issue 15: inspect printed σ = 0 or
// −0.18 pb without a word; `mine` refuses such a sample). Empty when the
// weights are fine, the file is unweighted or has no events.
std::string NominalWeightWarning(const EventFileSummary& summary);

// Reads the whole file. `progress`, when given, is called every 10000 events
// with the number read so far. Throws as EventReader does.
EventFileSummary SummarizeEventFile(
    const std::string& path,
    const std::function<void(std::int64_t)>& progress = {});

}  // namespace goldmine::mining
