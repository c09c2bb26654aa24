#include "goldmine/inference/eft_events_histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "goldmine/core/errors.h"
#include "goldmine/mining/expression.h"
#include "goldmine/mining/histogram_bins.h"
#include "goldmine/mining/madminer_file.h"

namespace goldmine::inference {
namespace {

// MadMiner's NuisanceMorpher sanitising: NaN/inf → 0, clipped to [−10, 10].
double Sanitize(double value) {
  if (!std::isfinite(value)) return 0.0;
  return std::clamp(value, -10.0, 10.0);
}

int BenchmarkIndex(const mining::MadminerSetup& setup,
                   const std::string& name,
                   const std::string& file) {
  for (int b = 0; b < setup.num_benchmarks(); ++b) {
    if (setup.benchmarks.names[static_cast<std::size_t>(b)] == name) return b;
  }
  throw FileFormatError(file + ": nuisance benchmark \"" + name +
                        "\" is not among benchmarks/names");
}

struct NuisanceColumns {
  std::string name;
  bool norm = false;
  int positive = -1;
  int negative = -1;
};

}  // namespace

struct EftBinAccumulator::Impl {
  std::string file;
  mining::MadminerSetup setup;
  int physics = 0;
  int bins = 0;
  Eigen::MatrixXd morphing_matrix;
  std::vector<NuisanceColumns> nuisance;
  int reference = 0;
  std::vector<double> sampling_factor;
  Eigen::MatrixXd yields;
  std::vector<Eigen::MatrixXd> moments;
  std::vector<Eigen::MatrixXd> up, down;
  // Σ w_ref · factor and Σ w_ref, for the normsys factors.
  std::vector<double> up_sum, down_sum, reference_sum;
};

EftBinAccumulator::EftBinAccumulator(const std::string& events_file,
                                     int num_bins,
                                     bool include_nuisance_parameters,
                                     bool include_sum_squared_weights)
    : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.file = events_file;
  if (num_bins < 1) {
    throw InvalidInput("EFT histogram: needs at least one bin, got " +
                       std::to_string(num_bins));
  }
  mining::MadminerEventsReader reader(events_file);
  d.setup = reader.setup();
  if (!d.setup.morphing) {
    throw InvalidInput(events_file +
                       ": binned EFT likelihoods need a morphing setup "
                       "(morphing/ group)");
  }
  d.physics = d.setup.benchmarks.num_physics();
  d.bins = num_bins;
  d.morphing_matrix = d.setup.morphing->morphing_matrix;
  const Eigen::Index components = d.morphing_matrix.rows();
  for (std::size_t b = 0; b < d.setup.benchmarks.is_reference.size(); ++b) {
    if (d.setup.benchmarks.is_reference[b]) d.reference = static_cast<int>(b);
  }
  if (include_nuisance_parameters) {
    for (const auto& parameter : d.setup.nuisance_parameters) {
      NuisanceColumns columns;
      columns.name = parameter.name;
      for (const auto& systematic : d.setup.systematics) {
        if (systematic.name == parameter.systematic) {
          columns.norm = systematic.type == "norm";
        }
      }
      if (parameter.benchmark_positive) {
        columns.positive =
            BenchmarkIndex(d.setup, *parameter.benchmark_positive, d.file);
      }
      if (parameter.benchmark_negative) {
        columns.negative =
            BenchmarkIndex(d.setup, *parameter.benchmark_negative, d.file);
      }
      if (columns.positive >= 0) d.nuisance.push_back(columns);
    }
  }
  // Sampling factors n_b / Σ n (MadMiner's event_loader).
  std::vector<std::int64_t> counts;
  if (reader.sample_summary()) {
    counts = reader.sample_summary()->signal_events;
  } else {
    counts.assign(static_cast<std::size_t>(d.physics), 0);
    const mining::MadminerEventBatch all = reader.ReadAll();
    for (std::int64_t s : all.sampling_benchmarks) {
      if (s >= 0 && s < d.physics) ++counts[static_cast<std::size_t>(s)];
    }
  }
  counts.resize(static_cast<std::size_t>(d.physics), 0);
  const double total = static_cast<double>(
      std::accumulate(counts.begin(), counts.end(), std::int64_t{0}));
  for (int b = 0; b < d.physics; ++b) {
    d.sampling_factor.push_back(
        total > 0
            ? static_cast<double>(counts[static_cast<std::size_t>(b)]) / total
            : 1.0);
  }
  d.yields = Eigen::MatrixXd::Zero(num_bins, components);
  if (include_sum_squared_weights) {
    d.moments.assign(static_cast<std::size_t>(num_bins),
                     Eigen::MatrixXd::Zero(components, components));
  }
  const std::size_t k = d.nuisance.size();
  d.up.assign(k, Eigen::MatrixXd::Zero(num_bins, components));
  d.down.assign(k, Eigen::MatrixXd::Zero(num_bins, components));
  d.up_sum.assign(k, 0.0);
  d.down_sum.assign(k, 0.0);
  d.reference_sum.assign(k, 0.0);
}

EftBinAccumulator::~EftBinAccumulator() = default;
EftBinAccumulator::EftBinAccumulator(EftBinAccumulator&&) noexcept = default;
EftBinAccumulator& EftBinAccumulator::operator=(EftBinAccumulator&&) noexcept =
    default;

void EftBinAccumulator::Add(
    const Eigen::MatrixXd& weights,
    const std::vector<std::int64_t>& sampling_benchmarks,
    const std::vector<int>& bins) {
  Impl& d = *impl_;
  const Eigen::Index n = weights.rows();
  if (weights.cols() != d.setup.num_benchmarks() ||
      static_cast<Eigen::Index>(sampling_benchmarks.size()) != n ||
      static_cast<Eigen::Index>(bins.size()) != n) {
    throw InvalidInput("EFT bin accumulator: expected " + std::to_string(n) +
                       " x " + std::to_string(d.setup.num_benchmarks()) +
                       " weights (every benchmark of " + d.file +
                       ") with one sampling benchmark and one bin per event");
  }
  const Eigen::Index basis = d.morphing_matrix.cols();
  for (Eigen::Index e = 0; e < n; ++e) {
    const int bin = bins[static_cast<std::size_t>(e)];
    if (bin < 0) continue;
    if (bin >= d.bins) {
      throw InvalidInput("EFT bin accumulator: bin " + std::to_string(bin) +
                         " of event " + std::to_string(e) +
                         " is out of range [0, " + std::to_string(d.bins) +
                         ")");
    }
    const std::int64_t sampled =
        sampling_benchmarks[static_cast<std::size_t>(e)];
    const double f = sampled >= 0 && sampled < d.physics
                         ? d.sampling_factor[static_cast<std::size_t>(sampled)]
                         : 1.0;
    const Eigen::VectorXd w =
        f * d.morphing_matrix * weights.row(e).head(basis).transpose();
    d.yields.row(bin) += w.transpose();
    if (!d.moments.empty()) {
      d.moments[static_cast<std::size_t>(bin)].noalias() += w * w.transpose();
    }
    const double ref = weights(e, d.reference);
    for (std::size_t i = 0; i < d.nuisance.size(); ++i) {
      const double plus = weights(e, d.nuisance[i].positive);
      double a = 0.0;
      double b = 0.0;
      if (d.nuisance[i].negative < 0) {
        a = Sanitize(std::log(plus / ref));
      } else {
        const double minus = weights(e, d.nuisance[i].negative);
        a = Sanitize(0.5 * std::log(plus / minus));
        b = Sanitize(0.5 * std::log(plus * minus / (ref * ref)));
      }
      const double factor_up = std::exp(a + b);
      const double factor_down = std::exp(-a + b);
      d.up[i].row(bin) += factor_up * w.transpose();
      d.down[i].row(bin) += factor_down * w.transpose();
      d.up_sum[i] += f * ref * factor_up;
      d.down_sum[i] += f * ref * factor_down;
      d.reference_sum[i] += f * ref;
    }
  }
}

BinnedEftInput EftBinAccumulator::Result() const {
  const Impl& d = *impl_;
  BinnedEftInput input;
  for (const auto& parameter : d.setup.parameters) {
    input.parameter_names.push_back(parameter.name);
  }
  input.component_powers = d.setup.morphing->components;
  input.component_yields = d.yields;
  input.component_sum_squared_weights = d.moments;
  for (std::size_t i = 0; i < d.nuisance.size(); ++i) {
    if (d.nuisance[i].norm) {
      if (!(d.reference_sum[i] != 0.0)) {
        throw InvalidInput(d.file + ": nuisance parameter " +
                           d.nuisance[i].name +
                           ": no events with reference weight in the bins");
      }
      input.normsys.push_back({d.nuisance[i].name,
                               d.down_sum[i] / d.reference_sum[i],
                               d.up_sum[i] / d.reference_sum[i]});
    } else {
      input.histosys.push_back({d.nuisance[i].name, d.down[i], d.up[i]});
    }
  }
  input.Validate();
  return input;
}

BinnedEftInput HistogramEventsFile(const std::string& events_file,
                                   const EftHistogramSpec& spec) {
  if (spec.observables.empty() || spec.observables.size() > 2 ||
      spec.observables.size() != spec.edges.size()) {
    throw InvalidInput(
        "EFT histogram: give one or two observables, each with its bin "
        "edges");
  }
  for (std::size_t i = 0; i < spec.edges.size(); ++i) {
    const std::vector<double>& edges = spec.edges[i];
    for (std::size_t j = 0; j < edges.size(); ++j) {
      if (!std::isfinite(edges[j]) || (j > 0 && !(edges[j - 1] < edges[j]))) {
        throw InvalidInput("bin edges of observable " + spec.observables[i] +
                           ": must be finite and increasing");
      }
    }
  }
  int bins = 1;
  for (const auto& edges : spec.edges) {
    bins *= static_cast<int>(edges.size()) + 1;
  }
  EftBinAccumulator accumulator(events_file,
                                bins,
                                spec.include_nuisance_parameters,
                                spec.include_sum_squared_weights);
  mining::MadminerEventsReader reader(events_file);
  std::vector<std::string> observable_names;
  for (const auto& observable : reader.setup().observables) {
    observable_names.push_back(observable.name);
  }
  std::vector<mining::Expression> observables;
  for (const std::string& text : spec.observables) {
    observables.emplace_back(text, observable_names, "observable " + text);
  }
  std::vector<mining::Expression> cuts;
  for (std::size_t i = 0; i < spec.cuts.size(); ++i) {
    cuts.emplace_back(
        spec.cuts[i], observable_names, "cut " + std::to_string(i));
  }
  static const mining::EventObjects kNoObjects{};
  constexpr std::int64_t kBatch = 100000;
  for (std::int64_t first = 0; first < reader.num_events(); first += kBatch) {
    const std::int64_t count = std::min(kBatch, reader.num_events() - first);
    const mining::MadminerEventBatch batch = reader.Read(first, count);
    std::vector<int> event_bins(static_cast<std::size_t>(batch.size()), -1);
    for (Eigen::Index e = 0; e < batch.size(); ++e) {
      const Eigen::VectorXd x = batch.observations.row(e).transpose();
      bool keep = true;
      for (const mining::Expression& cut : cuts) {
        const auto value = cut.Evaluate(kNoObjects, x.data());
        if (!value || *value == 0.0) {
          keep = false;
          break;
        }
      }
      // Undefined and NaN values go to the overflow bin
      // (mining/histogram_bins.h).
      int bin = 0;
      for (std::size_t i = 0; i < observables.size() && keep; ++i) {
        const std::vector<double>& edges = spec.edges[i];
        bin = bin * (static_cast<int>(edges.size()) + 1) +
              mining::OverflowBinIndex(
                  edges, observables[i].Evaluate(kNoObjects, x.data()));
      }
      if (keep) event_bins[static_cast<std::size_t>(e)] = bin;
    }
    accumulator.Add(batch.weights, batch.sampling_benchmarks, event_bins);
  }
  return accumulator.Result();
}

}  // namespace goldmine::inference
