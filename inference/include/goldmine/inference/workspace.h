// A HistFactory workspace as written by pyhf (JSON schema 1.0.0, see
// docs/HISTFACTORY.md §1): channels of binned samples with modifiers, the
// observed counts per channel, and measurements that name the parameter of
// interest and override parameter settings.
//
// This is the validated *specification* only; Model turns it into a
// likelihood. Parsing first applies pyhf's schema (pyhf_schema.h), then
// checks what goldmine's likelihood needs and can be checked without
// building parameter sets (bin counts, bounds pairs, duplicate names) and
// reports the first problem with its JSON path, e.g.
//   channels[0].samples[2].modifiers[1].data.hi_data: expected 3 numbers (one
//   per bin), got 2
// Indices in paths refer to the order in the file, not pyhf's sorted order.
//
// Observations. As in pyhf, a channel may lack an observation and observed
// counts may be negative when the workspace is read; Observation() (called
// when a Model is built) refuses both with the JSON path, since there is no
// likelihood then. Nominal yields, histosys templates and shapesys / staterror
// uncertainties may be negative, as pyhf accepts them (xml2json writes them
// where a Monte Carlo yield is negative): a negative expected rate gives a NaN
// likelihood, i.e. a fit reported as not converged, unless ModelOptions clips
// it; a shapesys bin with σ <= 0 is fixed, as in pyhf; staterror uses δ². Model
// rejects measurement `sigmas` and `factors` that are not > 0.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace goldmine::inference {

enum class ModifierType {
  kHistoSys,
  kLumi,
  kNormFactor,
  kNormSys,
  kShapeFactor,
  kShapeSys,
  kStatError,
};

// "histosys", "lumi", ... as spelled in the JSON.
std::string ModifierTypeName(ModifierType type);

struct Modifier {
  std::string name;
  ModifierType type = ModifierType::kNormFactor;
  // normsys: multiplicative factors at α = -1 and α = +1.
  double lo = 1.0;
  double hi = 1.0;
  // histosys: sample contents at α = -1 and α = +1 (one per bin).
  std::vector<double> lo_data;
  std::vector<double> hi_data;
  // shapesys / staterror: absolute uncertainty per bin.
  std::vector<double> uncertainties;
};

struct Sample {
  std::string name;
  std::vector<double> data;  // nominal expected counts, one per bin
  std::vector<Modifier> modifiers;
};

struct Channel {
  std::string name;
  std::vector<Sample> samples;
  int num_bins() const {
    return samples.empty() ? 0 : static_cast<int>(samples[0].data.size());
  }
};

// Overrides for one parameter set; unset fields keep the modifier defaults.
struct ParameterConfig {
  std::string name;
  std::optional<std::vector<double>> inits;
  std::optional<std::vector<std::pair<double, double>>> bounds;
  std::optional<std::vector<double>> auxdata;
  std::optional<std::vector<double>> factors;
  std::optional<std::vector<double>> sigmas;
  std::optional<bool> fixed;
  // "measurements[1].config.parameters[3]", for messages about this entry.
  std::string json_path;
};

struct Measurement {
  std::string name;
  std::string poi;  // empty: a model without parameter of interest
  std::vector<ParameterConfig> parameters;
  std::string json_path;
};

struct Workspace {
  std::vector<Channel> channels;
  // Observed counts keyed by channel name, in file order.
  std::vector<std::pair<std::string, std::vector<double>>> observations;
  std::vector<Measurement> measurements;
  // Where the workspace came from ("file.json" or "workspace"); prefixes
  // every message about it.
  std::string source;

  // Parses and validates pyhf JSON text. `source` names the input in
  // messages. Throws FileFormatError when the text is not JSON and
  // InvalidInput when it does not follow the schema.
  static Workspace FromJson(const std::string& text,
                            const std::string& source = "workspace");
  // Same for a file; throws InvalidInput when it cannot be read.
  static Workspace FromFile(const std::string& path);

  // The measurement called `name`, or the first one when `name` is empty.
  // Throws InvalidInput naming the available measurements otherwise.
  const Measurement& FindMeasurement(const std::string& name) const;
  // Observed counts of channel `name`. Throws InvalidInput with the JSON
  // path when absent, of the wrong length or negative.
  const std::vector<double>& Observation(const std::string& name) const;

  // A copy whose observations are zero counts for every channel (in channel
  // order), for a Model built for its parameters only (pyhf inspect): pyhf
  // loads workspaces without usable observations (a channel without one,
  // negative counts), whose Model this workspace would refuse.
  Workspace WithZeroObservations() const;
};

}  // namespace goldmine::inference
