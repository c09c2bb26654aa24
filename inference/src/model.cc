#include "goldmine/inference/model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

constexpr double kLnTwoPi = 1.8378770664093454836;

// The order in which pyhf creates parameter sets (modifiers/__init__.py).
constexpr ModifierType kTypeOrder[] = {ModifierType::kHistoSys,
                                       ModifierType::kLumi,
                                       ModifierType::kNormFactor,
                                       ModifierType::kNormSys,
                                       ModifierType::kShapeFactor,
                                       ModifierType::kShapeSys,
                                       ModifierType::kStatError};

// lnΓ(n+1) − [(n+½) ln n − n + ½ ln 2π] for n >= 10 (asymptotic series; the
// first omitted term is below 3e-14 there).
double StirlingError(double n) {
  const double inverse = 1.0 / n;
  const double inverse2 = inverse * inverse;
  return inverse *
         (1.0 / 12 -
          inverse2 *
              (1.0 / 360 -
               inverse2 * (1.0 / 1260 -
                           inverse2 * (1.0 / 1680 - inverse2 * (1.0 / 1188)))));
}

// ln Pois(n | λ) = n ln λ − λ − lnΓ(n+1), continuous in n. For large n the
// algebraically identical form n (log1p(r) − r) − ½ ln(2πn) − stirlerr(n),
// r = λ/n − 1, avoids the cancellation between n ln λ, λ and lnΓ(n+1) that
// costs ~1e-4 absolute at n ~ 1e11 (shapesys auxiliary data,
// HISTFACTORY.md §15.3).
double LogPoisson(double n, double rate) {
  // A negative rate has no likelihood, also where nothing is observed (pyhf:
  // 0 · ln(rate) = NaN).
  if (rate < 0) return std::numeric_limits<double>::quiet_NaN();
  if (n == 0.0) return -rate;
  if (n < 10.0) return n * std::log(rate) - rate - std::lgamma(n + 1.0);
  const double r = rate / n - 1.0;
  return n * (std::log1p(r) - r) - 0.5 * (kLnTwoPi + std::log(n)) -
         StirlingError(n);
}

bool SameConstraintFamily(ModifierType a, ModifierType b) {
  auto normal_scalar = [](ModifierType type) {
    return type == ModifierType::kHistoSys || type == ModifierType::kNormSys;
  };
  return a == b || (normal_scalar(a) && normal_scalar(b));
}

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

struct SetBuilder {
  ParameterSet set;
  std::vector<double> inits;
  std::vector<double> lower;
  std::vector<double> upper;
  std::vector<bool> fixed;
  std::vector<double> auxdata;
  bool needs_configuration = false;  // lumi: everything from the measurement
};

void Fill(SetBuilder& builder,
          double init,
          double lower,
          double upper,
          double auxdata) {
  const auto n = static_cast<std::size_t>(builder.set.size);
  builder.inits.assign(n, init);
  builder.lower.assign(n, lower);
  builder.upper.assign(n, upper);
  builder.fixed.assign(n, false);
  if (builder.set.constraint != ConstraintType::kNone) {
    builder.auxdata.assign(n, auxdata);
  }
}

void ApplyConfiguration(const ParameterConfig& config, SetBuilder& builder) {
  ParameterSet& set = builder.set;
  const std::string what = "one per parameter of " +
                           ModifierTypeName(set.type) + " " + Quoted(set.name);
  auto check_size = [&](std::size_t size, const std::string& key) {
    if (static_cast<int>(size) != set.size) {
      throw InvalidInput(config.json_path + "." + key + ": expected " +
                         std::to_string(set.size) +
                         (set.size == 1 ? " value" : " values") + " (" + what +
                         "), got " + std::to_string(size));
    }
  };
  auto reject = [&](const std::string& key, const std::string& reason) {
    throw InvalidInput(config.json_path + "." + key + ": not allowed for " +
                       ModifierTypeName(set.type) + " " + Quoted(set.name) +
                       " (" + reason + ")");
  };
  if (config.inits) {
    check_size(config.inits->size(), "inits");
    builder.inits = *config.inits;
  }
  if (config.bounds) {
    check_size(config.bounds->size(), "bounds");
    for (int i = 0; i < set.size; ++i) {
      builder.lower[i] = (*config.bounds)[i].first;
      builder.upper[i] = (*config.bounds)[i].second;
    }
  }
  if (config.fixed && *config.fixed) builder.fixed.assign(set.size, true);
  if (config.auxdata) {
    if (set.constraint == ConstraintType::kNone) {
      reject("auxdata", "it has no constraint term");
    }
    check_size(config.auxdata->size(), "auxdata");
    builder.auxdata = *config.auxdata;
  }
  if (config.sigmas) {
    if (set.constraint != ConstraintType::kGaussian) {
      reject("sigmas", "it has no Gaussian constraint");
    }
    check_size(config.sigmas->size(), "sigmas");
    for (std::size_t i = 0; i < config.sigmas->size(); ++i) {
      if (!((*config.sigmas)[i] > 0)) {
        throw InvalidInput(config.json_path + ".sigmas[" + std::to_string(i) +
                           "]: expected a positive Gaussian width, got " +
                           std::to_string((*config.sigmas)[i]));
      }
    }
    set.widths = *config.sigmas;
  }
  if (config.factors) {
    if (set.constraint != ConstraintType::kPoisson) {
      reject("factors", "it has no Poisson constraint");
    }
    check_size(config.factors->size(), "factors");
    for (std::size_t i = 0; i < config.factors->size(); ++i) {
      if (!((*config.factors)[i] > 0)) {
        throw InvalidInput(config.json_path + ".factors[" + std::to_string(i) +
                           "]: expected a positive Poisson scale factor "
                           "tau, got " +
                           std::to_string((*config.factors)[i]));
      }
    }
    set.widths = *config.factors;
  }
  if (builder.needs_configuration &&
      !(config.inits && config.bounds && config.auxdata && config.sigmas)) {
    throw InvalidInput(config.json_path +
                       ": the lumi parameter needs inits, "
                       "bounds, auxdata and sigmas in its configuration");
  }
  for (int i = 0; i < set.size; ++i) {
    if (!(builder.lower[i] <= builder.inits[i] &&
          builder.inits[i] <= builder.upper[i])) {
      throw InvalidInput(config.json_path + ": init " +
                         std::to_string(builder.inits[i]) + " of " +
                         Quoted(set.name) + " lies outside its bounds [" +
                         std::to_string(builder.lower[i]) + ", " +
                         std::to_string(builder.upper[i]) + "]");
    }
  }
}

}  // namespace

std::string ModelOptions::Description() const {
  std::string text =
      "HistFactory model (measurement " +
      (measurement.empty() ? std::string("<first>") : measurement) +
      ", normsys " + inference::Description(normsys_code) + ", histosys " +
      inference::Description(histosys_code);
  if (clip_sample_data) {
    text += ", clip_sample_data " + std::to_string(*clip_sample_data);
  }
  if (clip_bin_data) {
    text += ", clip_bin_data " + std::to_string(*clip_bin_data);
  }
  return text + ")";
}

Model::Model(const Workspace& workspace, const ModelOptions& options)
    : options_(options) {
  GOLDMINE_REQUIRE(!workspace.channels.empty(),
                   workspace.source + ": the workspace has no channels");
  GOLDMINE_REQUIRE(!workspace.measurements.empty(),
                   workspace.source + ": the workspace has no measurements");
  const Measurement& measurement =
      workspace.FindMeasurement(options.measurement);

  // Sorted channels, sorted samples (pyhf's _ChannelSummaryMixin).
  std::vector<const Channel*> channels;
  for (const Channel& channel : workspace.channels)
    channels.push_back(&channel);
  std::sort(channels.begin(), channels.end(), [](auto* a, auto* b) {
    return a->name < b->name;
  });
  struct SampleRef {
    const Channel* channel;
    int channel_index;  // in sorted order
    const Sample* sample;
    std::vector<const Modifier*> modifiers;  // sorted by (name, type)
  };
  std::vector<SampleRef> sample_refs;
  for (std::size_t c = 0; c < channels.size(); ++c) {
    std::vector<const Sample*> samples;
    for (const Sample& sample : channels[c]->samples)
      samples.push_back(&sample);
    std::sort(samples.begin(), samples.end(), [](auto* a, auto* b) {
      return a->name < b->name;
    });
    for (const Sample* sample : samples) {
      SampleRef ref{channels[c], static_cast<int>(c), sample, {}};
      for (const Modifier& modifier : sample->modifiers) {
        ref.modifiers.push_back(&modifier);
      }
      std::sort(ref.modifiers.begin(),
                ref.modifiers.end(),
                [](const Modifier* a, const Modifier* b) {
                  return std::make_pair(a->name, ModifierTypeName(a->type)) <
                         std::make_pair(b->name, ModifierTypeName(b->type));
                });
      sample_refs.push_back(std::move(ref));
    }
  }

  // Parameter sets in pyhf's order.
  std::vector<SetBuilder> builders;
  std::map<std::string, int> set_index;
  for (ModifierType type : kTypeOrder) {
    std::vector<std::string> names;
    for (const SampleRef& ref : sample_refs) {
      for (const Modifier* modifier : ref.modifiers) {
        if (modifier->type != type) continue;
        const auto found = set_index.find(modifier->name);
        if (found != set_index.end()) {
          const ModifierType first = builders[found->second].set.type;
          GOLDMINE_REQUIRE(SameConstraintFamily(first, type),
                           workspace.source + ": modifier name " +
                               Quoted(modifier->name) + " is used as " +
                               ModifierTypeName(first) + " and as " +
                               ModifierTypeName(type) +
                               "; only histosys and normsys may share a name");
          continue;
        }
        if (std::find(names.begin(), names.end(), modifier->name) ==
            names.end()) {
          names.push_back(modifier->name);
        }
      }
    }
    if (type == ModifierType::kStatError) std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      SetBuilder builder;
      builder.set.name = name;
      builder.set.type = type;
      // Samples carrying this modifier, in sorted order.
      std::vector<std::pair<const SampleRef*, const Modifier*>> users;
      for (const SampleRef& ref : sample_refs) {
        for (const Modifier* modifier : ref.modifiers) {
          if (modifier->name == name && modifier->type == type) {
            users.emplace_back(&ref, modifier);
          }
        }
      }
      const int num_bins = users.front().first->channel->num_bins();
      switch (type) {
        case ModifierType::kNormFactor:
          Fill(builder, 1.0, 0.0, 10.0, 0.0);
          break;
        case ModifierType::kShapeFactor:
          builder.set.size = num_bins;
          Fill(builder, 1.0, 0.0, 10.0, 0.0);
          for (const auto& [ref, modifier] : users) {
            GOLDMINE_REQUIRE(
                ref->channel->num_bins() <= num_bins,
                workspace.source + ": shapefactor " + Quoted(name) + " has " +
                    std::to_string(num_bins) + " bins from channel " +
                    Quoted(users.front().first->channel->name) +
                    " but channel " + Quoted(ref->channel->name) + " has more");
          }
          break;
        case ModifierType::kNormSys:
        case ModifierType::kHistoSys:
          builder.set.constraint = ConstraintType::kGaussian;
          Fill(builder, 0.0, -5.0, 5.0, 0.0);
          builder.set.widths = {1.0};
          break;
        case ModifierType::kLumi:
          builder.set.constraint = ConstraintType::kGaussian;
          builder.needs_configuration = true;
          Fill(builder, 1.0, 0.0, 10.0, 1.0);
          builder.set.widths = {1.0};
          break;
        case ModifierType::kShapeSys: {
          GOLDMINE_REQUIRE(users.size() == 1,
                           workspace.source + ": shapesys " + Quoted(name) +
                               " appears on several samples; pyhf does not "
                               "share shapesys parameters (rename them)");
          builder.set.constraint = ConstraintType::kPoisson;
          builder.set.size = num_bins;
          Fill(builder, 1.0, 1e-10, 10.0, 1.0);
          builder.set.widths.assign(num_bins, 1.0);
          const Sample& sample = *users.front().first->sample;
          const Modifier& modifier = *users.front().second;
          for (int b = 0; b < num_bins; ++b) {
            const double nominal = sample.data[b];
            const double sigma = modifier.uncertainties[b];
            if (nominal > 0 && sigma > 0) {
              builder.set.widths[b] = (nominal / sigma) * (nominal / sigma);
              builder.auxdata[b] = builder.set.widths[b];
            } else {
              builder.fixed[b] = true;  // γ pinned at 1 (τ = 1)
            }
          }
          break;
        }
        case ModifierType::kStatError: {
          builder.set.constraint = ConstraintType::kGaussian;
          builder.set.size = num_bins;
          Fill(builder, 1.0, 1e-10, 10.0, 1.0);
          builder.set.widths.assign(num_bins, 1.0);
          for (const auto& [ref, modifier] : users) {
            GOLDMINE_REQUIRE(ref->channel == users.front().first->channel,
                             workspace.source + ": staterror " + Quoted(name) +
                                 " is used in channels " +
                                 Quoted(users.front().first->channel->name) +
                                 " and " + Quoted(ref->channel->name) +
                                 "; a staterror must belong to one channel");
          }
          for (int b = 0; b < num_bins; ++b) {
            double variance = 0.0;
            double total = 0.0;
            for (const auto& [ref, modifier] : users) {
              variance +=
                  modifier->uncertainties[b] * modifier->uncertainties[b];
              total += ref->sample->data[b];
            }
            const double sigma = total > 0 ? std::sqrt(variance) / total : 0.0;
            if (sigma == 0.0) {
              builder.fixed[b] = true;  // still a constant N(1 | 1, 1) term
            } else {
              builder.set.widths[b] = sigma;
            }
          }
          break;
        }
      }
      set_index[name] = static_cast<int>(builders.size());
      builders.push_back(std::move(builder));
    }
  }

  // Measurement overrides; configurations naming no modifier are ignored,
  // as in pyhf.
  std::set<std::string> configured;
  for (const ParameterConfig& config : measurement.parameters) {
    const auto found = set_index.find(config.name);
    if (found == set_index.end()) continue;
    ApplyConfiguration(config, builders[found->second]);
    configured.insert(config.name);
  }
  for (const SetBuilder& builder : builders) {
    GOLDMINE_REQUIRE(
        !builder.needs_configuration || configured.count(builder.set.name) > 0,
        measurement.json_path +
            ".config.parameters: no configuration for the lumi "
            "parameter (needs inits, bounds, auxdata, sigmas)");
  }

  // Flatten.
  std::vector<double> inits;
  std::vector<double> lower;
  std::vector<double> upper;
  std::vector<double> auxdata;
  for (SetBuilder& builder : builders) {
    ParameterSet& set = builder.set;
    set.offset = static_cast<int>(names_.size());
    if (set.constraint != ConstraintType::kNone) {
      set.auxdata_offset = static_cast<int>(auxdata.size());
      auxdata.insert(
          auxdata.end(), builder.auxdata.begin(), builder.auxdata.end());
    }
    for (int i = 0; i < set.size; ++i) {
      const bool scalar = set.type == ModifierType::kNormFactor ||
                          set.type == ModifierType::kNormSys ||
                          set.type == ModifierType::kHistoSys ||
                          set.type == ModifierType::kLumi;
      names_.push_back(scalar ? set.name
                              : set.name + "[" + std::to_string(i) + "]");
    }
    inits.insert(inits.end(), builder.inits.begin(), builder.inits.end());
    lower.insert(lower.end(), builder.lower.begin(), builder.lower.end());
    upper.insert(upper.end(), builder.upper.begin(), builder.upper.end());
    fixed_.insert(fixed_.end(), builder.fixed.begin(), builder.fixed.end());
    sets_.push_back(set);
  }
  inits_ = Eigen::Map<Eigen::VectorXd>(inits.data(), inits.size());
  lower_bounds_ = Eigen::Map<Eigen::VectorXd>(lower.data(), lower.size());
  upper_bounds_ = Eigen::Map<Eigen::VectorXd>(upper.data(), upper.size());
  auxdata_ = Eigen::Map<Eigen::VectorXd>(auxdata.data(), auxdata.size());

  // POI.
  poi_name_ = measurement.poi;
  if (!poi_name_.empty()) {
    const auto found = set_index.find(poi_name_);
    GOLDMINE_REQUIRE(found != set_index.end(),
                     measurement.json_path +
                         ".config.poi: " + Quoted(poi_name_) +
                         " is not the name of any modifier in the workspace");
    const ParameterSet& set = sets_[found->second];
    GOLDMINE_REQUIRE(set.size == 1,
                     measurement.json_path +
                         ".config.poi: " + Quoted(poi_name_) + " has " +
                         std::to_string(set.size) +
                         " components; the POI must be a scalar parameter");
    poi_index_ = set.offset;
  }

  // Main-model terms, channels sorted.
  std::set<std::string> all_samples;
  for (const SampleRef& ref : sample_refs) all_samples.insert(ref.sample->name);
  std::vector<double> observed;
  int first_bin = 0;
  for (const Channel* channel : channels) {
    channel_bins_.emplace_back(channel->name, channel->num_bins());
    const std::vector<double>& data = workspace.Observation(channel->name);
    observed.insert(observed.end(), data.begin(), data.end());
    absent_samples_.insert(
        absent_samples_.end(),
        channel->num_bins(),
        static_cast<int>(all_samples.size() - channel->samples.size()));
    for (const SampleRef& ref : sample_refs) {
      if (ref.channel != channel) continue;
      SampleTerm term;
      term.first_bin = first_bin;
      term.nominal = ref.sample->data;
      for (const Modifier* modifier : ref.modifiers) {
        const int parameter = sets_[set_index.at(modifier->name)].offset;
        switch (modifier->type) {
          case ModifierType::kNormFactor:
          case ModifierType::kLumi:
            term.scalars.push_back({parameter, false, Interpolator()});
            break;
          case ModifierType::kNormSys:
            term.scalars.push_back(
                {parameter,
                 true,
                 Interpolator(
                     options.normsys_code, modifier->lo, 1.0, modifier->hi)});
            break;
          case ModifierType::kShapeFactor:
          case ModifierType::kShapeSys:
          case ModifierType::kStatError:
            term.bin_factors.push_back(parameter);
            break;
          case ModifierType::kHistoSys: {
            HistoSysTerm histosys{parameter, {}};
            for (std::size_t b = 0; b < term.nominal.size(); ++b) {
              histosys.bins.emplace_back(options.histosys_code,
                                         modifier->lo_data[b],
                                         term.nominal[b],
                                         modifier->hi_data[b]);
            }
            term.histosys.push_back(std::move(histosys));
            break;
          }
        }
      }
      samples_.push_back(std::move(term));
    }
    first_bin += channel->num_bins();
  }
  num_main_bins_ = first_bin;
  for (const ParameterSet& set : sets_) {
    if (set.constraint != ConstraintType::kGaussian) continue;
    for (double sigma : set.widths) {
      gaussian_normalisation_ -= std::log(sigma) + 0.5 * kLnTwoPi;
    }
  }
  observed.insert(observed.end(), auxdata.begin(), auxdata.end());
  observed_data_ =
      Eigen::Map<Eigen::VectorXd>(observed.data(), observed.size());
  FindNonMonotonicParameters();
}

void Model::FindNonMonotonicParameters() {
  // Changes of the rate at α = +1 and α = −1, per (bin, parameter), summed
  // over the bin's samples; a single term on the same side is enough too.
  std::map<std::pair<int, int>, std::pair<double, double>> bin_changes;
  std::set<int> flagged;
  auto add = [&](int bin, int parameter, double up, double down) {
    if (up * down > 0) flagged.insert(parameter);
    auto& [bin_up, bin_down] = bin_changes[{bin, parameter}];
    bin_up += up;
    bin_down += down;
  };
  for (const SampleTerm& term : samples_) {
    const int num_bins = static_cast<int>(term.nominal.size());
    for (const ScalarFactor& scalar : term.scalars) {
      if (!scalar.normsys) continue;
      const double up = scalar.interpolator.Factor(1.0).value - 1.0;
      const double down = scalar.interpolator.Factor(-1.0).value - 1.0;
      for (int b = 0; b < num_bins; ++b) {
        add(term.first_bin + b,
            scalar.parameter,
            term.nominal[b] * up,
            term.nominal[b] * down);
      }
    }
    for (const HistoSysTerm& histosys : term.histosys) {
      for (int b = 0; b < num_bins; ++b) {
        add(term.first_bin + b,
            histosys.parameter,
            histosys.bins[b].Shift(1.0).value,
            histosys.bins[b].Shift(-1.0).value);
      }
    }
  }
  for (const auto& [key, change] : bin_changes) {
    if (change.first * change.second > 0) flagged.insert(key.second);
  }
  non_monotonic_.assign(flagged.begin(), flagged.end());
}

int Model::ParameterIndex(const std::string& name) const {
  const auto found = std::find(names_.begin(), names_.end(), name);
  GOLDMINE_REQUIRE(found != names_.end(),
                   "no parameter " + Quoted(name) + " in the model (" +
                       std::to_string(names_.size()) + " parameters)");
  return static_cast<int>(found - names_.begin());
}

void Model::CheckSizes(const Eigen::VectorXd& pars,
                       const Eigen::VectorXd* data) const {
  GOLDMINE_REQUIRE(pars.size() == num_parameters(),
                   "parameter vector has " + std::to_string(pars.size()) +
                       " entries, the model has " +
                       std::to_string(num_parameters()));
  if (data != nullptr) {
    GOLDMINE_REQUIRE(data->size() == num_main_bins_ + num_auxdata(),
                     "data vector has " + std::to_string(data->size()) +
                         " entries, expected " +
                         std::to_string(num_main_bins_) + " main bins + " +
                         std::to_string(num_auxdata()) + " auxiliary data");
  }
}

Eigen::VectorXd Model::MainRates(const Eigen::VectorXd& pars,
                                 std::vector<JacobianEntry>* jacobian) const {
  Eigen::VectorXd rates = Eigen::VectorXd::Zero(num_main_bins_);
  // (value, derivative, parameter) of the sample's factors; reused buffers.
  struct Factor {
    double value;
    double derivative;
    int parameter;
  };
  thread_local std::vector<Factor> factors;
  thread_local std::vector<double> suffix;
  thread_local std::vector<double> shift_derivatives;
  const std::optional<double>& clip = options_.clip_sample_data;
  for (const SampleTerm& term : samples_) {
    factors.clear();
    double scalar_product = 1.0;
    for (const ScalarFactor& scalar : term.scalars) {
      const double alpha = pars(scalar.parameter);
      const Interpolated f = scalar.normsys ? scalar.interpolator.Factor(alpha)
                                            : Interpolated{alpha, 1.0};
      factors.push_back({f.value, f.derivative, scalar.parameter});
      scalar_product *= f.value;
    }
    const std::size_t num_scalars = factors.size();
    const int num_bins = static_cast<int>(term.nominal.size());
    for (int b = 0; b < num_bins; ++b) {
      const int bin = term.first_bin + b;
      double product = scalar_product;
      factors.resize(num_scalars);
      for (int offset : term.bin_factors) {
        const double gamma = pars(offset + b);
        factors.push_back({gamma, 1.0, offset + b});
        product *= gamma;
      }
      double additive = term.nominal[b];
      shift_derivatives.clear();
      for (const HistoSysTerm& histosys : term.histosys) {
        const Interpolated shift =
            histosys.bins[b].Shift(pars(histosys.parameter));
        additive += shift.value;
        shift_derivatives.push_back(shift.derivative);
      }
      double rate = product * additive;
      const bool clipped = clip && rate < *clip;
      if (clipped) rate = *clip;
      rates(bin) += rate;
      if (jacobian == nullptr || clipped) continue;
      // ∂/∂θ of each factor times the product of the others (prefix/suffix
      // products, so that a factor equal to 0, e.g. μ = 0, is handled).
      suffix.resize(factors.size() + 1);
      suffix[factors.size()] = 1.0;
      for (std::size_t i = factors.size(); i-- > 0;) {
        suffix[i] = suffix[i + 1] * factors[i].value;
      }
      double prefix = 1.0;
      for (std::size_t i = 0; i < factors.size(); ++i) {
        const double derivative =
            prefix * suffix[i + 1] * factors[i].derivative * additive;
        if (derivative != 0.0) {
          jacobian->push_back({bin, factors[i].parameter, derivative});
        }
        prefix *= factors[i].value;
      }
      for (std::size_t h = 0; h < term.histosys.size(); ++h) {
        const double derivative = product * shift_derivatives[h];
        if (derivative != 0.0) {
          jacobian->push_back({bin, term.histosys[h].parameter, derivative});
        }
      }
    }
  }
  if (clip && *clip > 0) {
    for (int b = 0; b < num_main_bins_; ++b) {
      rates(b) += absent_samples_[b] * *clip;
    }
  }
  return rates;
}

Eigen::VectorXd Model::ExpectedMainData(const Eigen::VectorXd& pars) const {
  CheckSizes(pars, nullptr);
  Eigen::VectorXd rates = MainRates(pars, nullptr);
  if (options_.clip_bin_data) {
    rates = rates.cwiseMax(*options_.clip_bin_data);
  }
  return rates;
}

Eigen::VectorXd Model::ExpectedAuxData(const Eigen::VectorXd& pars) const {
  CheckSizes(pars, nullptr);
  Eigen::VectorXd expected(num_auxdata());
  for (const ParameterSet& set : sets_) {
    if (set.constraint == ConstraintType::kNone) continue;
    for (int i = 0; i < set.size; ++i) {
      const double value = pars(set.offset + i);
      expected(set.auxdata_offset + i) =
          set.constraint == ConstraintType::kPoisson ? value * set.widths[i]
                                                     : value;
    }
  }
  return expected;
}

Eigen::VectorXd Model::ExpectedData(const Eigen::VectorXd& pars) const {
  Eigen::VectorXd expected(num_main_bins_ + num_auxdata());
  expected << ExpectedMainData(pars), ExpectedAuxData(pars);
  return expected;
}

double Model::TwiceNll(const Eigen::VectorXd& pars,
                       const Eigen::VectorXd& data) const {
  return TwiceNll(pars, data, nullptr);
}

double Model::TwiceNll(const Eigen::VectorXd& pars,
                       const Eigen::VectorXd& data,
                       Eigen::VectorXd* gradient) const {
  CheckSizes(pars, &data);
  double log_likelihood = gaussian_normalisation_;
  thread_local std::vector<JacobianEntry> jacobian;
  jacobian.clear();
  const Eigen::VectorXd rates =
      MainRates(pars, gradient != nullptr ? &jacobian : nullptr);
  thread_local std::vector<double> weights;
  weights.resize(num_main_bins_);
  const std::optional<double>& clip = options_.clip_bin_data;
  for (int b = 0; b < num_main_bins_; ++b) {
    const double n = data(b);
    double rate = rates(b);
    weights[b] = -2.0 * ((n == 0.0 ? 0.0 : n / rate) - 1.0);
    if (clip && rate < *clip) {
      rate = *clip;
      weights[b] = 0.0;  // the clipped rate does not depend on θ
    }
    log_likelihood += LogPoisson(n, rate);
  }
  if (gradient != nullptr) {
    gradient->setZero(num_parameters());
    for (const JacobianEntry& entry : jacobian) {
      (*gradient)(entry.parameter) += weights[entry.bin] * entry.derivative;
    }
  }
  for (const ParameterSet& set : sets_) {
    if (set.constraint == ConstraintType::kNone) continue;
    for (int i = 0; i < set.size; ++i) {
      const int p = set.offset + i;
      const double aux = data(num_main_bins_ + set.auxdata_offset + i);
      if (set.constraint == ConstraintType::kGaussian) {
        const double sigma = set.widths[i];
        const double pull = (aux - pars(p)) / sigma;
        log_likelihood += -0.5 * pull * pull;
        if (gradient != nullptr) (*gradient)(p) += -2.0 * pull / sigma;
      } else {
        const double tau = set.widths[i];
        log_likelihood += LogPoisson(aux, pars(p) * tau);
        if (gradient != nullptr) {
          (*gradient)(p) += -2.0 * ((aux == 0.0 ? 0.0 : aux / pars(p)) - tau);
        }
      }
    }
  }
  return -2.0 * log_likelihood;
}

std::vector<double> Model::TwiceNllSlice(
    const Eigen::VectorXd& pars,
    const Eigen::VectorXd& data,
    int parameter,
    const std::vector<double>& values) const {
  CheckSizes(pars, &data);
  GOLDMINE_REQUIRE(0 <= parameter && parameter < num_parameters(),
                   "slice: no parameter " + std::to_string(parameter));
  std::vector<double> result(values.size());
  if (options_.clip_sample_data || options_.clip_bin_data) {
    // Clipping makes rates non-additive: evaluate in full.
    Eigen::VectorXd point = pars;
    for (std::size_t k = 0; k < values.size(); ++k) {
      point(parameter) = values[k];
      result[k] = TwiceNll(point, data);
    }
    return result;
  }
  const double base = TwiceNll(pars, data);
  const Eigen::VectorXd rates = MainRates(pars, nullptr);
  // Per sample and bin using the parameter: the rate is
  // rest_product × Π f_p(α) × (rest_additive + Σ shift_p(α)), with the
  // parameter's normsys factors f_p and histosys shifts kept apart.
  struct Piece {
    int bin;
    double rest_product;
    double rest_additive;
    double rate;       // at pars
    int first_factor;  // [first_factor, end_factor) in `factors`
    int end_factor;
    int first_shift;  // [first_shift, end_shift) in `shifts`
    int end_shift;
  };
  // The parameter's factors: a normsys interpolator, or nullptr for a
  // normfactor (lumi) that multiplies by the parameter itself.
  std::vector<const Interpolator*> factors;
  std::vector<const Interpolator*> shifts;
  std::vector<Piece> pieces;
  const double current = pars(parameter);
  for (const SampleTerm& term : samples_) {
    const int first_factor = static_cast<int>(factors.size());
    double rest_scalar = 1.0;
    for (const ScalarFactor& scalar : term.scalars) {
      if (scalar.parameter == parameter) {
        factors.push_back(scalar.normsys ? &scalar.interpolator : nullptr);
        continue;
      }
      const double alpha = pars(scalar.parameter);
      rest_scalar *=
          scalar.normsys ? scalar.interpolator.Factor(alpha).value : alpha;
    }
    const int end_factor = static_cast<int>(factors.size());
    bool has_histosys = false;
    for (const HistoSysTerm& histosys : term.histosys) {
      has_histosys = has_histosys || histosys.parameter == parameter;
    }
    if (end_factor == first_factor && !has_histosys) continue;
    for (int b = 0; b < static_cast<int>(term.nominal.size()); ++b) {
      double product = rest_scalar;
      for (int offset : term.bin_factors) product *= pars(offset + b);
      double additive = term.nominal[b];
      const int first_shift = static_cast<int>(shifts.size());
      for (const HistoSysTerm& histosys : term.histosys) {
        if (histosys.parameter == parameter) {
          shifts.push_back(&histosys.bins[b]);
        } else {
          additive += histosys.bins[b].Shift(pars(histosys.parameter)).value;
        }
      }
      pieces.push_back({term.first_bin + b,
                        product,
                        additive,
                        0.0,
                        first_factor,
                        end_factor,
                        first_shift,
                        static_cast<int>(shifts.size())});
    }
  }
  auto piece_rate = [&](const Piece& piece, double alpha) {
    double product = piece.rest_product;
    for (int i = piece.first_factor; i < piece.end_factor; ++i) {
      product *=
          factors[i] != nullptr ? factors[i]->Factor(alpha).value : alpha;
    }
    double additive = piece.rest_additive;
    for (int i = piece.first_shift; i < piece.end_shift; ++i) {
      additive += shifts[i]->Shift(alpha).value;
    }
    return product * additive;
  };
  for (Piece& piece : pieces) piece.rate = piece_rate(piece, current);
  const ParameterSet* set = nullptr;
  for (const ParameterSet& candidate : sets_) {
    if (candidate.offset <= parameter &&
        parameter < candidate.offset + candidate.size) {
      set = &candidate;
    }
  }
  // −2 ln (constraint) of the parameter at a value.
  auto constraint = [&](double value) {
    if (set == nullptr || set->constraint == ConstraintType::kNone) return 0.0;
    const int i = parameter - set->offset;
    const double aux = data(num_main_bins_ + set->auxdata_offset + i);
    if (set->constraint == ConstraintType::kGaussian) {
      const double pull = (aux - value) / set->widths[i];
      return pull * pull;
    }
    return -2.0 * LogPoisson(aux, value * set->widths[i]);
  };
  const double base_constraint = constraint(current);
  std::vector<double> changes(num_main_bins_, 0.0);
  std::vector<int> touched;
  for (std::size_t k = 0; k < values.size(); ++k) {
    touched.clear();
    for (const Piece& piece : pieces) {
      if (changes[piece.bin] == 0.0) touched.push_back(piece.bin);
      changes[piece.bin] += piece_rate(piece, values[k]) - piece.rate;
      if (changes[piece.bin] == 0.0) changes[piece.bin] = 1e-300;
    }
    double value = base + constraint(values[k]) - base_constraint;
    for (int bin : touched) {
      value -= 2.0 * (LogPoisson(data(bin), rates(bin) + changes[bin]) -
                      LogPoisson(data(bin), rates(bin)));
      changes[bin] = 0.0;
    }
    result[k] = value;
  }
  return result;
}

std::string Model::Description() const {
  return options_.Description() + ": " + std::to_string(channel_bins_.size()) +
         " channels, " + std::to_string(num_main_bins_) + " bins, " +
         std::to_string(num_parameters()) + " parameters, POI " +
         (poi_name_.empty() ? std::string("none") : poi_name_);
}

}  // namespace goldmine::inference
