// The configuration of `goldmine run CONFIG.yaml` (docs/run.md): one YAML
// file for the whole study. Sections: name, generate, mining (the
// configuration of `goldmine setup|mine`, docs/config.md), augment, train,
// fisher, mem, limits, report, and `quick` (overrides of any of these, applied
// with --quick). Unknown keys are errors naming the file, line and key.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace goldmine::pipeline {

struct GenerateSettings {
  std::string process = "wh";
  std::int64_t events = 0;
  std::uint64_t seed = 1;
  // Further `goldmine generate` options (energy, charge, leptons, hbb-eft,
  // scale, pdf) passed as --KEY VALUE.
  std::vector<std::pair<std::string, std::string>> options;
};

struct AugmentSettings {
  std::int64_t n_samples = 0;     // local (SALLY) training samples
  std::int64_t test_samples = 0;  // per score benchmark, for the report
  std::uint64_t seed = 1;
  std::string theta = "benchmark:sm";
};

// One estimator: method, `goldmine train` options, and for the ratio methods
// the samples it is trained on.
struct TrainSettings {
  std::string method;  // sally, rascal, alices
  bool enabled = true;
  std::vector<std::pair<std::string, std::string>> options;  // --KEY VALUE
  std::vector<std::string> switches;                         // --early-stopping
  std::int64_t n_samples = 0;                                // ratio methods
  std::string theta0;  // ratio methods: SPEC
  std::string theta1;
  // Ratio methods: `goldmine train --morphing-aware` with the mined events
  // file's morphing basis.
  bool morphing_aware = false;
};

// A histogram axis is either a list of edges (`bins: [200]` is one edge) or
// a number of quantile bins (`n_bins: 8`), never a number read from a list.
struct HistogramSettings {
  std::string name;   // stxs_5bin
  std::string label;  // "STXS 5 bins (p_T,W)"
  std::string observable;
  std::vector<double> bins;  // edges (overflow bins are added); or
  int num_bins = 0;          // quantile bins (n_bins)
  std::string observable2;   // empty for 1D
  std::vector<double> bins2;
  int num_bins2 = 0;
  // A `goldmine limits --binning` preset (STXS-WH-1.1, improved-STXS, ...)
  // for the limits of this histogram; empty: the edges.
  std::string preset;
};

struct FisherSettings {
  std::vector<double> theta;  // empty: the SM (all zeros)
  double luminosity = 300000.0;
  std::vector<HistogramSettings> histograms;
};

struct GridAxis {
  std::string parameter;
  double lo = 0.0;
  double hi = 0.0;
  int n = 0;
};

// One likelihood scan (a slice of a study with many parameters): the
// scanned parameters (on their grid axes), parameters fixed at a value, and
// parameters profiled within their grid range. Parameters in none of these
// are fixed at their fisher.theta value.
struct ScanSettings {
  std::vector<std::string> parameters;
  std::vector<std::pair<std::string, double>> fix;
  std::vector<std::string> profile;
};

struct LimitsSettings {
  bool enabled = true;
  // [LO, HI, N] per parameter: every parameter without `scans`, else the
  // scanned and profiled ones.
  std::vector<GridAxis> grid;
  // limits.scans; empty: one scan over every parameter.
  std::vector<ScanSettings> scans;
  double luminosity = 300000.0;
  std::vector<std::string> methods;     // sally, histo, rate
  std::vector<std::string> histograms;  // names in FisherSettings
};

// The Matrix Element Method (docs/mem.md): the best possible with these
// observables, on the first `events` events of the test partition, where
// every other method is evaluated too.
struct MemSettings {
  bool enabled = false;
  std::int64_t events = 5000;
  double precision = 1e-2;  // goldmine mem --precision
  // goldmine mem --detector; empty: the mining smearing preset (none when
  // there is none).
  std::string detector;
  std::uint64_t seed = 1;
};

struct ObservablePlot {
  std::string name;
  std::string label;  // axis label with units
  double lo = 0.0;
  double hi = 0.0;
  int bins = 30;
};

struct ReportSettings {
  std::vector<std::string> benchmarks;        // observables at these
  std::vector<ObservablePlot> observables;    // key observables
  std::vector<std::string> score_benchmarks;  // SALLY score at these
  int weights_grid = 41;                      // Σw² map: points per axis
  // Published Fisher information to compare with (PHYSICS.md §6.3): the
  // source, and per Fisher entry name (truth, rate, histogram_NAME, sally)
  // the P × P matrix. Compared as ratios to the reference's truth, which do
  // not depend on luminosity or channel selection to first order.
  std::string reference_source;
  std::vector<std::pair<std::string, std::vector<std::vector<double>>>>
      reference_information;
};

// How the stages run as a workflow (`goldmine run --emit snakemake`, issue
// 19): per stage, the cores of its rule (Snakemake `threads`, which the
// stage uses as its --jobs and as --threads of mine and mem) and its memory
// (`resources: mem_mb`). Stages not named take --threads cores and 2000 MB
// (train: 4000 MB). The results do not depend on these settings.
struct WorkflowSettings {
  std::map<std::string, int> threads;
  std::map<std::string, int> mem_mb;
  // Shards of the mine, augment and limits stages (issue 19): each mine or
  // augment command runs as this many `--shard I/N` commands joined by
  // `goldmine merge`, each limits command as `--chunk I/N` commands joined by
  // `limits --join`, with the same result (docs/workflow.md).
  std::map<std::string, int> shards;
};

// The stage names of a study, in order (the values --from and --stage take).
const std::vector<std::string>& StageNames();
// "generate, mine, ..." for messages.
std::string StageNameList();

struct PipelineConfig {
  std::filesystem::path path;  // the configuration file
  std::string name;
  bool quick = false;
  std::optional<GenerateSettings> generate;
  // The mining configuration as written for `goldmine setup|mine`, with file
  // names made absolute and, when events are generated, the generated file
  // as the sample.
  YAML::Node mining;
  std::vector<std::string> parameters;  // from mining.parameters, in order
  // Their `label` keys (gnuplot enhanced text, e.g. "c_{HW}"), empty when
  // absent: tables and figures then show the parameter's name.
  std::vector<std::string> parameter_labels;
  std::vector<std::pair<double, double>> parameter_ranges;
  std::vector<std::string> benchmarks;  // from mining.benchmarks
  AugmentSettings augment;
  std::vector<TrainSettings> train;
  FisherSettings fisher;
  LimitsSettings limits;
  MemSettings mem;
  ReportSettings report;
  WorkflowSettings workflow;
  // The effective configuration (after --quick) as YAML text, per section.
  std::map<std::string, std::string> section_text;
};

// Display name of parameter `p` in gnuplot's enhanced text: its `label`
// ("c_{HW}"), else its name with enhanced-text markup escaped.
std::string ParameterLabel(const PipelineConfig& config, std::size_t p);
// The same in plain text for tables: the label without braces ("c_HW"), else
// the name.
std::string ParameterText(const PipelineConfig& config, std::size_t p);

// Reads, merges the `quick` overrides when `quick` is set, and validates.
// Throws InvalidInput naming the file, line and key.
PipelineConfig ReadPipelineConfig(const std::filesystem::path& path,
                                  bool quick);

// The file the generate stage writes, relative to the work folder.
inline const char* kGeneratedEvents = "generate/events.hepmc3";

}  // namespace goldmine::pipeline
