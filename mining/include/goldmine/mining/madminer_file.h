// MadMiner's HDF5 files: the setup file (parameters, benchmarks, morphing,
// systematics) and the events file (the setup plus observables, per-event
// observations and weights). This header alone knows that layout; every other
// goldmine module goes through these structs.
//
// Layout (MADMINER.md §9, madminer/utils/interfaces/hdf5.py): no attributes;
// every dataset contiguous, uncompressed, little-endian; strings fixed-length
// 256-byte ASCII, NULL-padded; integers int64, reals float64, flags int64 0/1.
//
//   parameters/{names, lha_blocks, transforms}   (P,)   string
//   parameters/{lha_ids, max_power}              (P,)   int64
//   parameters/val_ranges                        (P, 2) float64
//   benchmarks/names                             (B,)   string
//   benchmarks/values                            (B, P) float64
//   benchmarks/{is_nuisance, is_reference}       (B,)   int64   optional
//   morphing/components                          (C, P) int64   optional
//   morphing/morphing_matrix                     (C, b) float64 b ≤ B_phys
//   systematics/{names, types, values, scales}   (S,)   string  optional
//   finite_differences/base_benchmarks           (F,)   string  optional,
//   finite_differences/shifted_benchmarks        (F, P) string  as long as the
//   finite_differences/epsilon                   ()     float64 longest name
//   nuisance_parameters/{names, systematics,
//       benchmark_positive, benchmark_negative}  (K,)   string  optional
//   observables/{names, definitions}             (O,)   string  optional
//   samples/observations                         (N, O) float64 events file
//   samples/weights                              (N, B) float64 events file
//   samples/sampling_benchmarks                  (N,)   int64   events file
//   sample_summary/signal_events                 (B_phys,) int64  optional
//   sample_summary/background_events             ()     int64   optional
//
// B_phys is the number of physics benchmarks; they come first, the nuisance
// benchmarks (is_nuisance = 1) after them. Weights are in pb, one column per
// benchmark in benchmarks/names order.
//
// Reading checks names, ranks, shapes and element kinds and throws
// FileFormatError with a one-line message naming the file, the dataset and
// what was expected. Writing checks the structs first (InvalidInput) and goes
// through AtomicOutputFile: a failed write leaves no file behind.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/core/parameter.h"

namespace goldmine::mining {

// Length of MadMiner's fixed-length strings (numpy dtype "S256"). Longer
// strings are rejected on writing; numpy would truncate them silently.
inline constexpr std::size_t kMadminerStringSize = 256;
// MadMiner writes str(None) where a name is absent (a one-sided nuisance
// parameter's benchmark_negative, a systematic without scale, the definition
// of an observable given as a Python function).
inline constexpr const char* kMadminerNone = "None";

// One theory parameter θ_i, as MadMiner.add_parameter() stores it.
struct MadminerParameter {
  std::string name;
  std::string lha_block;        // param_card block, e.g. "dim6"
  int lha_id = 0;               // entry in that block
  int max_power = 2;            // highest power of θ_i in |M|²
  ParameterRange range;         // parameters/val_ranges row (min, max)
  std::string transform = "_";  // param_card transform, "_" for none
};

// All benchmarks, physics benchmarks first, then nuisance benchmarks.
struct MadminerBenchmarks {
  std::vector<std::string> names;  // B
  Eigen::MatrixXd values;  // B × P: θ per benchmark (zeros for nuisance)
  // B flags each. Empty means all false (MadMiner's reader default when the
  // datasets are missing); they are always written, as MadMiner does.
  std::vector<bool> is_nuisance;
  // The reference benchmark of nuisance morphing (at most one).
  std::vector<bool> is_reference;

  int size() const { return static_cast<int>(names.size()); }
  // Benchmarks with is_nuisance false (the first ones).
  int num_physics() const;
};

// The physics morphing basis: w_b(θ) = Σ_c M_cb Π_p θ_p^k_cp (morphing/).
struct MadminerMorphing {
  Eigen::MatrixXi components;       // C × P powers k_cp
  Eigen::MatrixXd morphing_matrix;  // C × (benchmarks of the basis)
};

// A source of systematic uncertainty (MadMiner.add_systematics()).
struct MadminerSystematic {
  std::string name;
  std::string type;   // "norm", "scale" or "pdf"
  std::string value;  // "0.5,1.0,2.0" (scale), the PDF name, or the norm factor
  std::string scale = kMadminerNone;  // "mu", "mur", "muf" or "None"
};

// A nuisance parameter ν_i of the NuisanceMorpher: the weights of its
// positive (and, if two-sided, negative) benchmark give
// dσ(x|θ,ν)/dσ(x|θ,0) = exp(a(x) ν + b(x) ν²) (MADMINER.md §2).
struct MadminerNuisanceParameter {
  std::string name;        // e.g. "syst_nuisance_param_0"
  std::string systematic;  // name of the MadminerSystematic it comes from
  std::optional<std::string>
      benchmark_positive;  // "None" in the file if absent
  std::optional<std::string> benchmark_negative;
};

// Finite-difference benchmarks: for each base benchmark, one shifted
// benchmark per parameter (θ_base + ε e_p).
struct MadminerFiniteDifferences {
  std::vector<std::string> base_benchmarks;                  // F
  std::vector<std::vector<std::string>> shifted_benchmarks;  // F × P
  double epsilon = 0.0;
};

struct MadminerObservable {
  std::string name;
  // The expression text; "None" for observables defined by a function.
  std::string definition;
};

// Everything except the events: the content of a setup file, and the header
// of an events file.
struct MadminerSetup {
  std::vector<MadminerParameter> parameters;
  MadminerBenchmarks benchmarks;
  std::optional<MadminerMorphing> morphing;
  // Empty vectors mean "group absent" (MadMiner writes none then).
  std::vector<MadminerSystematic> systematics;
  std::optional<MadminerFiniteDifferences> finite_differences;
  std::vector<MadminerNuisanceParameter> nuisance_parameters;
  std::vector<MadminerObservable> observables;

  int num_parameters() const { return static_cast<int>(parameters.size()); }
  int num_benchmarks() const { return benchmarks.size(); }
  int num_observables() const { return static_cast<int>(observables.size()); }
  // The parameters as the rest of goldmine uses them.
  std::vector<Parameter> CoreParameters() const;
  // Throws InvalidInput listing every problem at once: inconsistent sizes,
  // duplicate or empty names, strings that are not ASCII or longer than 256
  // bytes, nuisance benchmarks before physics ones, unknown systematic types,
  // nuisance parameters naming unknown benchmarks.
  void Validate() const;
};

// Events (rows) of an events file.
struct MadminerEventBatch {
  Eigen::MatrixXd observations;  // n × O
  Eigen::MatrixXd weights;       // n × B, pb
  // n entries: index of the physics benchmark each event was generated at,
  // −1 for background events.
  std::vector<std::int64_t> sampling_benchmarks;

  std::int64_t size() const { return observations.rows(); }
};

// Events generated per physics benchmark, and background events.
struct MadminerSampleSummary {
  std::vector<std::int64_t> signal_events;  // B_phys
  std::int64_t background_events = 0;

  // Counts from sampling benchmarks (−1 = background), as MadMiner's
  // combine_and_shuffle recounts them. Requires −1 ≤ s < num_physics.
  static MadminerSampleSummary Count(
      const std::vector<std::int64_t>& sampling_benchmarks, int num_physics);
};

// A whole events file in memory.
struct MadminerEvents {
  MadminerSetup setup;
  MadminerEventBatch events;
  std::optional<MadminerSampleSummary> sample_summary;
};

// Reads the setup groups of a setup or events file. parameters/ and
// benchmarks/names|values are required; every other group is optional, but a
// group that is present must be complete. Throws FileFormatError.
MadminerSetup ReadSetup(const std::filesystem::path& path);

// Writes a setup file (no observables/samples groups unless `setup` has
// observables). Throws InvalidInput (Validate(), or the file cannot be
// written).
void WriteSetup(const std::filesystem::path& path, const MadminerSetup& setup);

// Reads events files in row ranges, so that later stages can stream files of
// any size. Keeps the file open; not safe to share between threads (Debian's
// HDF5 is not thread-safe).
class MadminerEventsReader {
 public:
  // Reads the setup and sample summary and checks the samples/ datasets
  // (present, float64/int64, N rows each, O and B columns). Throws
  // FileFormatError.
  explicit MadminerEventsReader(const std::filesystem::path& path);
  ~MadminerEventsReader();
  MadminerEventsReader(MadminerEventsReader&&) noexcept;
  MadminerEventsReader& operator=(MadminerEventsReader&&) noexcept;

  const std::filesystem::path& path() const;
  const MadminerSetup& setup() const;
  // Absent when the file has no sample_summary group.
  const std::optional<MadminerSampleSummary>& sample_summary() const;
  std::int64_t num_events() const;

  // Rows [first, first + count). Throws InvalidInput when the range is not
  // within [0, num_events()], FileFormatError when reading fails.
  MadminerEventBatch Read(std::int64_t first, std::int64_t count) const;
  MadminerEventBatch ReadAll() const { return Read(0, num_events()); }
  // The same into `batch`, reusing its storage: streaming a file batch by
  // batch then allocates (and page-faults) once instead of per batch.
  void Read(std::int64_t first,
            std::int64_t count,
            MadminerEventBatch* batch) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The whole file at once (small files and tests).
MadminerEvents ReadEvents(const std::filesystem::path& path);

// Writes an events file from batches of events with memory independent of
// the number of events: rows are staged in a scratch file beside the output
// and copied into the final contiguous datasets by Finish(). Until Finish()
// returns, no file exists under the final name; a writer destroyed before
// then removes its scratch and temporary files.
class MadminerEventsWriter {
 public:
  // Validates `setup` (InvalidInput) and creates the scratch file.
  MadminerEventsWriter(std::filesystem::path path, MadminerSetup setup);
  ~MadminerEventsWriter();
  MadminerEventsWriter(const MadminerEventsWriter&) = delete;
  MadminerEventsWriter& operator=(const MadminerEventsWriter&) = delete;

  // Appends n events: observations n × O, weights n × B, n sampling
  // benchmarks in [−1, B_phys). Throws InvalidInput (and appends nothing)
  // on wrong sizes or values.
  void Append(const MadminerEventBatch& batch);
  std::int64_t num_events() const { return num_events_; }

  // Writes the file and renames it into place. The sample summary defaults to
  // MadminerSampleSummary::Count() of the appended sampling benchmarks; a
  // given one must have B_phys signal counts. Call once.
  void Finish(
      std::optional<MadminerSampleSummary> sample_summary = std::nullopt);

  // A text stored as a one-element string dataset at `object_path` (e.g.
  // "goldmine/partial", the description of a partial events file, miner.h);
  // MadMiner ignores groups it does not know. Call before Finish().
  void AddText(const std::string& object_path, const std::string& text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::int64_t num_events_ = 0;
};

// The text AddText() stored at `object_path`, or nothing when the file has
// no such dataset. Throws FileFormatError when the file is not HDF5 or the
// dataset is not one string.
std::optional<std::string> ReadEventsText(const std::filesystem::path& path,
                                          const std::string& object_path);

// Writes a whole events file at once (through MadminerEventsWriter).
void WriteEvents(const std::filesystem::path& path,
                 const MadminerEvents& events);

}  // namespace goldmine::mining
