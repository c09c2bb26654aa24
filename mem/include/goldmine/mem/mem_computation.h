// `goldmine mem`: the per-event Matrix Element Method coefficients D_c(x)
// of a whole events file (mining/mem_file.h), integrated with VEGAS.
//
// Reproducible however the work is split: event e is integrated with its
// own random stream, seeded from (seed, e), so the same seed gives the same
// file for any number of threads. Memory is O(chunk): events are read,
// integrated and written chunk by chunk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "goldmine/mem/process.h"
#include "goldmine/mem/vegas.h"
#include "goldmine/mining/madminer_file.h"

namespace goldmine::mem {

struct MemSettings {
  VegasSettings vegas;
  int threads = 1;
  std::uint64_t seed = 1;
  std::int64_t chunk_events = 512;  // events read and written at once
};

struct MemSummary {
  std::int64_t events = 0;
  std::int64_t not_converged = 0;       // events that missed the precision
  std::int64_t calls = 0;               // integrand calls in all
  double largest_relative_error = 0.0;  // of D_0 (the SM term), over events
};

// The columns of the events file's observables that hold the process's
// observables(), matched by expression (spaces ignored). Throws
// InvalidInput naming the file and the missing expression.
std::vector<int> ObservableColumns(const Process& process,
                                   const mining::MadminerSetup& setup,
                                   const std::string& events_file);

// FNV-1a (64 bits, 16 hex digits) of the observations in `columns` of every
// event, in order: identifies the events a MEM file belongs to.
std::string ObservationsDigest(const mining::MadminerEventsReader& reader,
                               const std::vector<int>& columns);

// Throws InvalidInput unless `mem_file`'s header belongs to `events_file`:
// same parameters, the observables present, the same number of events and
// the same observations digest.
void RequireMemMatchesEvents(const std::string& mem_file,
                             const std::vector<std::string>& parameters,
                             const std::vector<std::string>& observables,
                             std::int64_t num_events,
                             const std::string& digest,
                             const std::filesystem::path& events_file);

// The random seed of event `event` (a SplitMix64 mix of both).
std::uint64_t EventSeed(std::uint64_t seed, std::int64_t event);

// D_c(x) of one observation (x in the process's observable order).
VegasResult IntegrateObservation(const Process& process,
                                 const std::vector<double>& x,
                                 const VegasSettings& settings,
                                 std::uint64_t seed);

// Integrates every event of `events_file` and writes `output`. progress(done,
// total) is called from the calling thread after every chunk. Throws
// InvalidInput (bad settings, parameters or observables that do not match
// the file), FileFormatError (unreadable events file).
MemSummary ComputeMemFile(
    const Process& process,
    const std::filesystem::path& events_file,
    const std::filesystem::path& output,
    const MemSettings& settings,
    const std::function<void(std::int64_t, std::int64_t)>& progress = {});

}  // namespace goldmine::mem
