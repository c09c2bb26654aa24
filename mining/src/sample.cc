#include "goldmine/mining/sample.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "goldmine/core/errors.h"

namespace goldmine::mining {
namespace {

std::string Listed(const std::vector<std::string>& names) {
  std::string text;
  const std::size_t shown = std::min<std::size_t>(names.size(), 12);
  for (std::size_t i = 0; i < shown; ++i)
    text += (i > 0 ? ", " : "") + names[i];
  if (names.size() > shown)
    text += ", ... (" + std::to_string(names.size()) + " in all)";
  return "[" + text + "]";
}

}  // namespace

BenchmarkWeightMap::BenchmarkWeightMap(
    const SampleSpec& sample,
    const EventFileInfo& info,
    const MadminerBenchmarks& benchmarks,
    const std::vector<NuisanceSource>& nuisance_sources,
    std::int64_t num_events_in_file) {
  std::vector<std::string> benchmark_names;
  for (int b = 0; b < benchmarks.size(); ++b) {
    if (!benchmarks.is_nuisance[static_cast<std::size_t>(b)])
      benchmark_names.push_back(benchmarks.names[static_cast<std::size_t>(b)]);
  }
  const std::vector<std::string>& names = info.weight_names;
  auto index_of = [&names](const std::string& name) {
    const auto found = std::find(names.begin(), names.end(), name);
    return found == names.end() ? kMissing
                                : static_cast<int>(found - names.begin());
  };
  // A file without weights (unweighted HepMC): every event has weight 1,
  // which is its nominal weight.
  const bool unweighted = info.unweighted() && sample.nominal_weight.empty();
  std::string nominal = sample.nominal_weight;
  if (nominal.empty() && !unweighted)
    nominal = info.format == EventFormat::kLhe ? "nominal" : names.front();
  const int nominal_index = unweighted ? kUnitWeight : index_of(nominal);
  if (unweighted) nominal = "1 (unweighted events)";
  GOLDMINE_REQUIRE(nominal_index != kMissing,
                   sample.path + ": no weight \"" + nominal +
                       "\" to use as nominal; file has " + Listed(names));
  for (const auto& [benchmark, weight] : sample.weight_names) {
    GOLDMINE_REQUIRE(
        std::find(benchmark_names.begin(), benchmark_names.end(), benchmark) !=
            benchmark_names.end(),
        sample.path + ": weights maps unknown benchmark \"" + benchmark +
            "\"; benchmarks are " + Listed(benchmark_names));
    (void)weight;
  }
  for (const std::string& benchmark : benchmark_names) {
    int column = nominal_index;
    std::string source = nominal;
    if (!sample.is_background) {
      const auto mapped = sample.weight_names.find(benchmark);
      source = mapped != sample.weight_names.end() ? mapped->second : benchmark;
      column = index_of(source);
      if (column == kMissing && mapped == sample.weight_names.end() &&
          benchmark == sample.sampled_from) {
        source = nominal;  // the sampling point's own weight (XWGTUP)
        column = nominal_index;
      }
      if (column == kMissing && info.unweighted()) {
        throw InvalidInput(sample.path + ": no weight for benchmark \"" +
                           benchmark +
                           "\"; the file is unweighted (no weights at all), "
                           "so it can only fill its sampling benchmark \"" +
                           sample.sampled_from + "\"");
      }
      if (column == kMissing) {
        throw InvalidInput(
            sample.path + ": no weight \"" + source + "\" for benchmark \"" +
            benchmark + "\"; file has " + Listed(names) +
            ". Map it in the sample's weights: {" + benchmark + ": NAME}");
      }
    }
    columns_.push_back(column);
    sources_.push_back(source);
  }
  nominal_column_ = nominal_index;
  nominal_name_ = nominal;
  for (int b = 0; b < benchmarks.size(); ++b) {
    if (benchmarks.is_reference[static_cast<std::size_t>(b)]) {
      reference_benchmark_ = b;
      break;
    }
  }
  for (int b = 0; b < benchmarks.size(); ++b) {
    if (!benchmarks.is_nuisance[static_cast<std::size_t>(b)]) continue;
    const std::string& name = benchmarks.names[static_cast<std::size_t>(b)];
    const auto source = std::find_if(
        nuisance_sources.begin(),
        nuisance_sources.end(),
        [&name](const NuisanceSource& s) { return s.benchmark == name; });
    GOLDMINE_REQUIRE(source != nuisance_sources.end(),
                     "nuisance benchmark \"" + name + "\" has no source");
    NuisanceColumn column;
    column.benchmark = b;
    const std::string systematic =
        name.substr(0, name.find("_nuisance_param_"));
    const bool applies = sample.systematics.empty() ||
                         std::find(sample.systematics.begin(),
                                   sample.systematics.end(),
                                   systematic) != sample.systematics.end();
    if (applies && !sample.is_background) {
      if (source->type == SystematicSpec::Type::kNorm) {
        column.factor = source->norm_factor;
      } else {
        const std::optional<int> variation = FindVariationWeight(info, *source);
        if (!variation) {
          throw InvalidInput(sample.path +
                             ": no weight for nuisance benchmark \"" + name +
                             "\" (systematic " + systematic +
                             "); list the sample's systematics without it");
        }
        column.variation = *variation;
      }
    } else if (applies && source->type == SystematicSpec::Type::kNorm) {
      column.factor = source->norm_factor;
    }
    nuisance_.push_back(column);
  }
  WeightNormalization normalization = sample.normalization;
  if (normalization == WeightNormalization::kAuto) {
    normalization =
        info.format == EventFormat::kLhe && info.event_norm == "average"
            ? WeightNormalization::kAverage
            : WeightNormalization::kSum;
  }
  GOLDMINE_REQUIRE(sample.k_factor > 0.0 && std::isfinite(sample.k_factor),
                   sample.path + ": k_factor must be a positive number, got " +
                       std::to_string(sample.k_factor));
  scale_ = sample.k_factor;
  if (normalization == WeightNormalization::kAverage) {
    GOLDMINE_REQUIRE(num_events_in_file > 0, sample.path + ": no events");
    scale_ /= static_cast<double>(num_events_in_file);
  }
}

void BenchmarkWeightMap::Apply(
    const Event& event,
    Eigen::Ref<Eigen::RowVectorXd, 0, Eigen::InnerStride<>> benchmark_weights)
    const {
  for (std::size_t b = 0; b < columns_.size(); ++b) {
    benchmark_weights(static_cast<Eigen::Index>(b)) =
        scale_ * WeightAt(event, columns_[b]);
  }
  // w(nuisance) = w(reference) × w_variation / w_nominal (MadMiner's
  // rescaling).
  const double reference = benchmark_weights(reference_benchmark_);
  const double nominal = WeightAt(event, nominal_column_);
  for (const NuisanceColumn& column : nuisance_) {
    double ratio = column.factor;
    if (column.variation >= 0 && nominal != 0.0) {
      ratio =
          event.weights[static_cast<std::size_t>(column.variation)] / nominal;
    }
    benchmark_weights(column.benchmark) = reference * ratio;
  }
}

std::int64_t CountEvents(const std::string& path) {
  return EventReader::Open(path)->Skip(
      std::numeric_limits<std::int64_t>::max());
}

}  // namespace goldmine::mining
