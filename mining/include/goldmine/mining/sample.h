// A sample: one event file generated at one benchmark (its sampling point),
// and how its weights become the benchmark weights of the events file
// (MadMiner's LHEReader.add_sample semantics, MADMINER.md §3 and
// LHE_REWEIGHTING.md §2):
//  - benchmark b takes the file weight named in `weight_names[b]`, by default
//    the weight named like the benchmark; for LHE the sampling benchmark
//    defaults to "nominal" (XWGTUP) when no weight carries its name;
//  - a background sample gives every benchmark its nominal weight;
//  - an unweighted file (no weights at all, EventFileInfo::unweighted())
//    gives every event weight 1 as its nominal weight, so only its sampling
//    benchmark (or, for a background, every benchmark) can be filled;
//  - weights are multiplied by the k-factor, and by 1/N for LHE files with
//    event_norm = average (each event then carries σ), so that weights sum to
//    the cross section in pb.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "goldmine/mining/event_reader.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/systematics.h"

namespace goldmine::mining {

enum class WeightNormalization {
  kAuto,     // LHE: from event_norm (average → 1/N, sum → 1); HepMC: as is
  kAverage,  // every event carries σ: divide by the number of events
  kSum,      // weights already sum to σ
};

struct SampleSpec {
  std::string path;
  // Benchmark the events were generated at; for a background sample it may
  // be empty.
  std::string sampled_from;
  bool is_background = false;
  double k_factor = 1.0;
  // Benchmark name → weight name in the file, for names that differ.
  std::map<std::string, std::string> weight_names;
  WeightNormalization normalization = WeightNormalization::kAuto;
  // Weight used as nominal (backgrounds, sampling benchmark fallback, the
  // denominator of systematic variations); empty: "nominal" for LHE, the
  // first weight for HepMC.
  std::string nominal_weight;
  // Names of the systematics that apply to this sample; empty: all of them.
  // A systematic that does not apply leaves the reference weight unchanged.
  std::vector<std::string> systematics;
};

// Picks and scales the benchmark weights of one sample's events.
class BenchmarkWeightMap {
 public:
  // Throws InvalidInput naming the sample file and the benchmark whose weight
  // is not in the file, with the file's weight names.
  // `benchmarks`: physics benchmarks and, after them, nuisance benchmarks
  // whose weights come from `nuisance_sources` (systematics.h).
  BenchmarkWeightMap(const SampleSpec& sample,
                     const EventFileInfo& info,
                     const MadminerBenchmarks& benchmarks,
                     const std::vector<NuisanceSource>& nuisance_sources,
                     std::int64_t num_events_in_file);

  // One weight per benchmark for an event, in pb.
  void Apply(const Event& event,
             Eigen::Ref<Eigen::RowVectorXd, 0, Eigen::InnerStride<>>
                 benchmark_weights) const;

  // Overall factor applied (k-factor × normalisation).
  double scale() const { return scale_; }
  // The file weight used for each benchmark.
  const std::vector<std::string>& sources() const { return sources_; }
  // The nominal weight of an event (1 for an unweighted file).
  double NominalWeight(const Event& event) const {
    return WeightAt(event, nominal_column_);
  }
  // Its name, for messages.
  const std::string& nominal_name() const { return nominal_name_; }

 private:
  // Column values besides file weight indices.
  static constexpr int kMissing = -1;     // no such weight in the file
  static constexpr int kUnitWeight = -2;  // weight 1 (an unweighted file)
  static double WeightAt(const Event& event, int column) {
    return column == kUnitWeight
               ? 1.0
               : event.weights[static_cast<std::size_t>(column)];
  }

  // How each nuisance benchmark's weight is made from the reference one.
  struct NuisanceColumn {
    int benchmark = 0;
    int variation = -1;  // file weight index, or -1 for a constant factor
    double factor = 1.0;
  };

  std::vector<int> columns_;  // file weight index per physics benchmark
  std::vector<std::string> sources_;
  std::vector<NuisanceColumn> nuisance_;
  int nominal_column_ = 0;
  std::string nominal_name_;
  int reference_benchmark_ = 0;
  double scale_ = 1.0;
};

// Number of events in a file (one streaming pass); needed for
// event_norm = average before the events are processed.
std::int64_t CountEvents(const std::string& path);

}  // namespace goldmine::mining
