// The YAML configuration of `goldmine setup` and `goldmine mine` (DESIGN.md
// §5.3; reference in docs/config.md): parameters, benchmarks, morphing,
// samples, objects, smearing, observables, cuts, efficiencies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/core/yaml_node.h"
#include "goldmine/mining/event_analysis.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/miner.h"
#include "goldmine/mining/physics_objects.h"
#include "goldmine/mining/sample.h"
#include "goldmine/mining/systematics.h"

namespace goldmine::mining {

struct ObservableConfig {
  std::string name;
  std::string expression;
  bool required = false;
  std::optional<double> default_value;
};

struct CutConfig {
  std::string expression;
  bool required = false;
};

struct EfficiencyConfig {
  std::string expression;
  double default_value = 1.0;
};

struct MiningConfig {
  std::string path;
  // Every file the configuration reads: itself, the reweighting header's
  // event file, the samples (an output must not be one of them).
  std::vector<std::string> input_files;
  // Parameters, benchmarks (incl. an optimised morphing basis), morphing,
  // observable names and definitions.
  mining::MadminerSetup setup;
  std::vector<mining::SampleSpec> samples;
  // Become nuisance parameters and benchmarks when the samples are mined
  // (their PDF members are enumerated from the first signal sample).
  std::vector<mining::SystematicSpec> systematics;
  std::vector<ObservableConfig> observables;
  std::vector<CutConfig> cuts;
  std::vector<EfficiencyConfig> efficiencies;
  // The "objects" and "smearing" sections, validated by the object builder.
  std::optional<core::YamlNode> objects;
  std::optional<core::YamlNode> smearing;
  std::uint64_t seed = 1;
  bool shuffle = true;
  // Things the user should know (no-op reweightings, ...), one line each.
  std::vector<std::string> notes;
};

// Reads and validates the whole configuration. `with_samples` = false for
// `goldmine setup`, which needs only parameters, benchmarks and morphing.
// Relative file names are taken relative to the configuration's folder.
MiningConfig ReadMiningConfig(const std::string& path, bool with_samples);

// The observables, cuts and efficiencies parsed (`goldmine mine`, and
// `goldmine run --dry-run` to check them). Throws InvalidInput naming the
// configuration and the definition.
mining::EventAnalysis BuildEventAnalysis(const MiningConfig& config);

// The options of Mine() for the configuration: its setup (with the nuisance
// benchmarks of its systematics, whose PDF members are enumerated from the
// first signal sample), samples, seed and shuffling; one thread. Throws
// InvalidInput when systematics have no signal sample to read them from.
MiningOptions BuildMiningOptions(const MiningConfig& config);

// The "objects" and "smearing" sections as options of the object builder
// (physics_objects.h). Throws InvalidInput naming the file, line and key.
ObjectOptions BuildObjectOptions(const MiningConfig& config);

}  // namespace goldmine::mining
