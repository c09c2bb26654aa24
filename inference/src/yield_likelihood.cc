#include "goldmine/inference/yield_likelihood.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

// The sample and parameter names the construction adds; "goldmine_" keeps
// them apart from anything a workspace holds.
constexpr const char* kSignalSample = "goldmine_yield_signal";
// The sample of SignalWorkspace(): a name no analysis uses, so that it never
// collides with a background sample of the channel.
constexpr const char* kWorkspaceSignalSample = "goldmine_signal";
std::string YieldParameterName(const std::string& channel) {
  return "goldmine_yield_" + channel;
}

bool CarriesPoi(const Sample& sample, const std::string& poi) {
  return std::any_of(
      sample.modifiers.begin(), sample.modifiers.end(), [&](const Modifier& m) {
        return m.type == ModifierType::kNormFactor && m.name == poi;
      });
}

std::string PoiOf(const Workspace& workspace, const std::string& measurement) {
  const std::string& poi = workspace.FindMeasurement(measurement).poi;
  if (poi.empty()) {
    throw InvalidInput(workspace.source +
                       ": the measurement has no parameter of interest, so "
                       "the workspace has no signal to learn a likelihood of");
  }
  return poi;
}

}  // namespace

std::vector<std::string> SignalChannels(const Workspace& workspace,
                                        const std::string& measurement) {
  const std::string poi = PoiOf(workspace, measurement);
  std::set<std::string> names;  // sorted, as Model orders channels
  for (const Channel& channel : workspace.channels) {
    for (const Sample& sample : channel.samples) {
      if (CarriesPoi(sample, poi)) names.insert(channel.name);
    }
  }
  return {names.begin(), names.end()};
}

YieldLikelihood::YieldLikelihood(const Workspace& workspace,
                                 std::vector<std::string> signal_channels,
                                 const ModelOptions& options,
                                 const FitOptions& fit_options)
    : background_(workspace),
      measurement_(options.measurement),
      fit_options_(fit_options) {
  const std::string poi = PoiOf(workspace, options.measurement);
  if (signal_channels.empty()) {
    throw InvalidInput(workspace.source + ": no signal channel to learn");
  }
  std::sort(signal_channels.begin(), signal_channels.end());
  signal_channels.erase(
      std::unique(signal_channels.begin(), signal_channels.end()),
      signal_channels.end());
  for (Channel& channel : background_.channels) {
    channel.samples.erase(
        std::remove_if(channel.samples.begin(),
                       channel.samples.end(),
                       [&](const Sample& s) { return CarriesPoi(s, poi); }),
        channel.samples.end());
    if (channel.samples.empty()) {
      throw InvalidInput(workspace.source + ": channel \"" + channel.name +
                         "\" holds nothing but signal; the surrogate needs "
                         "a background model in every channel");
    }
  }
  Workspace with_yields = background_;
  for (const std::string& name : signal_channels) {
    auto channel =
        std::find_if(with_yields.channels.begin(),
                     with_yields.channels.end(),
                     [&](const Channel& c) { return c.name == name; });
    if (channel == with_yields.channels.end()) {
      throw InvalidInput(workspace.source + ": no channel \"" + name + "\"");
    }
    const int bins = channel->num_bins();
    Sample sample;
    sample.name = kSignalSample;
    sample.data.assign(static_cast<std::size_t>(bins), 1.0);
    Modifier normfactor;
    normfactor.name = poi;
    normfactor.type = ModifierType::kNormFactor;
    Modifier yields;
    yields.name = YieldParameterName(name);
    yields.type = ModifierType::kShapeFactor;
    sample.modifiers = {normfactor, yields};
    channel->samples.push_back(sample);
    signal_channels_.emplace_back(name, bins);
    num_inputs_ += bins;
  }
  model_ = std::make_unique<Model>(with_yields, options);
  for (const auto& [name, bins] : signal_channels_) {
    for (int b = 0; b < bins; ++b) {
      yield_parameters_.push_back(model_->ParameterIndex(
          YieldParameterName(name) + "[" + std::to_string(b) + "]"));
    }
  }

  // Background only: s = 0 (the POI then has no effect either).
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(num_inputs_);
  const FitResult observed =
      ProfiledFit(zero, model_->observed_data(), model_->inits());
  if (!observed.converged) {
    throw InvalidInput(workspace.source +
                       ": the background-only fit to the observed data did "
                       "not converge (" +
                       observed.message + ")");
  }
  background_fit_observed_ = observed.parameters;
  background_observed_ = observed.twice_nll;
  asimov_data_ = model_->ExpectedData(observed.parameters);
  const FitResult asimov =
      ProfiledFit(zero, asimov_data_, background_fit_observed_);
  background_fit_asimov_ = asimov.parameters;
  background_asimov_ = asimov.twice_nll;
}

YieldLikelihood::~YieldLikelihood() = default;

std::string YieldLikelihood::InputName(int i) const {
  for (const auto& [name, bins] : signal_channels_) {
    if (i < bins) return name + "[" + std::to_string(i) + "]";
    i -= bins;
  }
  throw InternalError("YieldLikelihood::InputName: index out of range");
}

std::pair<double, double> YieldLikelihood::poi_bounds() const {
  const int poi = model_->poi_index();
  return {model_->lower_bounds()(poi), model_->upper_bounds()(poi)};
}

Eigen::VectorXd YieldLikelihood::SignalYields(
    const Workspace& workspace) const {
  const std::string poi = PoiOf(workspace, measurement_);
  Eigen::VectorXd yields = Eigen::VectorXd::Zero(num_inputs_);
  int offset = 0;
  for (const auto& signal_channel : signal_channels_) {
    // Plain names, not a structured binding: C++17 forbids capturing a
    // binding in a lambda, and clang (the fuzz preset) enforces it.
    const std::string& name = signal_channel.first;
    const int bins = signal_channel.second;
    auto channel =
        std::find_if(workspace.channels.begin(),
                     workspace.channels.end(),
                     [&](const Channel& c) { return c.name == name; });
    if (channel == workspace.channels.end() || channel->num_bins() != bins) {
      throw InvalidInput(workspace.source + ": expected a channel \"" + name +
                         "\" with " + std::to_string(bins) + " bins");
    }
    for (const Sample& sample : channel->samples) {
      if (!CarriesPoi(sample, poi)) continue;
      for (int b = 0; b < bins; ++b) yields(offset + b) += sample.data[b];
    }
    offset += bins;
  }
  return yields;
}

FitResult YieldLikelihood::ProfiledFit(const Eigen::VectorXd& signal,
                                       const Eigen::VectorXd& data,
                                       const Eigen::VectorXd& start) const {
  Eigen::VectorXd init = start;
  Eigen::VectorXd lower = model_->lower_bounds();
  Eigen::VectorXd upper = model_->upper_bounds();
  std::vector<bool> fixed = model_->fixed();
  const int poi = model_->poi_index();
  init(poi) = 1.0;
  lower(poi) = std::min(lower(poi), 1.0);
  upper(poi) = std::max(upper(poi), 1.0);
  fixed[poi] = true;
  for (int i = 0; i < num_inputs_; ++i) {
    const int p = yield_parameters_[i];
    init(p) = signal(i);
    lower(p) = 0.0;
    upper(p) = std::max(upper(p), signal(i));
    fixed[p] = true;
  }
  FitOptions options = fit_options_;
  options.compute_uncertainties = false;
  return MinimizeTwiceNll(*model_, data, init, lower, upper, fixed, options);
}

YieldLikelihood::Value YieldLikelihood::ProfiledTwiceNllDifference(
    const Eigen::VectorXd& signal) const {
  if (signal.size() != num_inputs_) {
    throw InvalidInput("signal yields: expected " +
                       std::to_string(num_inputs_) + " numbers, got " +
                       std::to_string(signal.size()));
  }
  for (int i = 0; i < num_inputs_; ++i) {
    if (!std::isfinite(signal(i)) || signal(i) < 0) {
      throw InvalidInput("signal yields: " + InputName(i) +
                         " must be a finite number >= 0, got " +
                         std::to_string(signal(i)));
    }
  }
  Value value;
  const FitResult observed =
      ProfiledFit(signal, model_->observed_data(), background_fit_observed_);
  const FitResult asimov =
      ProfiledFit(signal, asimov_data_, background_fit_asimov_);
  value.observed = observed.twice_nll - background_observed_;
  value.asimov = asimov.twice_nll - background_asimov_;
  for (const auto* fit : {&observed, &asimov}) {
    if (!fit->converged) {
      value.converged = false;
      value.message += (value.message.empty() ? "" : "; ") +
                       std::string(fit == &observed ? "observed" : "Asimov") +
                       " data: " + fit->message;
    }
  }
  return value;
}

Workspace YieldLikelihood::SignalWorkspace(
    const Eigen::VectorXd& signal) const {
  Workspace workspace = background_;
  const std::string poi = PoiOf(workspace, measurement_);
  int offset = 0;
  for (const auto& [name, bins] : signal_channels_) {
    for (Channel& channel : workspace.channels) {
      if (channel.name != name) continue;
      Sample sample;
      sample.name = kWorkspaceSignalSample;
      for (int b = 0; b < bins; ++b) sample.data.push_back(signal(offset + b));
      Modifier normfactor;
      normfactor.name = poi;
      normfactor.type = ModifierType::kNormFactor;
      sample.modifiers = {normfactor};
      channel.samples.push_back(sample);
    }
    offset += bins;
  }
  return workspace;
}

}  // namespace goldmine::inference
