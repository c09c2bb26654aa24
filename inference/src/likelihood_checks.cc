#include "goldmine/inference/likelihood_checks.h"

#include <cmath>
#include <sstream>

namespace goldmine::inference {
namespace {

bool Clipped(const Model& model) {
  const ModelOptions& options = model.options();
  return (options.clip_sample_data && *options.clip_sample_data > 0) ||
         (options.clip_bin_data && *options.clip_bin_data > 0);
}

// The sample's rate in bin b can differ from zero for some parameter value.
bool CanContribute(const Sample& sample, int b) {
  if (sample.data[b] != 0.0) return true;
  for (const Modifier& modifier : sample.modifiers) {
    if (modifier.type != ModifierType::kHistoSys) continue;
    if (modifier.lo_data[b] != 0.0 || modifier.hi_data[b] != 0.0) return true;
  }
  return false;
}

bool ScaledBy(const Sample& sample, const std::string& parameter) {
  for (const Modifier& modifier : sample.modifiers) {
    if (modifier.name == parameter &&
        modifier.type == ModifierType::kNormFactor) {
      return true;
    }
  }
  return false;
}

std::string Number(double value) {
  std::ostringstream text;
  text.precision(10);
  text << value;
  return text.str();
}

// Index of the observation of channel `name` in the file.
int ObservationIndex(const Workspace& workspace, const std::string& name) {
  for (std::size_t k = 0; k < workspace.observations.size(); ++k) {
    if (workspace.observations[k].first == name) return static_cast<int>(k);
  }
  return -1;
}

// The first bin with observed events that no sample accepted by `counts`
// can fill; "" when there is none.
template <typename Counts>
std::string EmptyBinWithEvents(const Workspace& workspace,
                               Counts counts,
                               const std::string& why) {
  for (const Channel& channel : workspace.channels) {
    const int k = ObservationIndex(workspace, channel.name);
    if (k < 0) continue;
    const std::vector<double>& observed = workspace.observations[k].second;
    for (int b = 0; b < channel.num_bins(); ++b) {
      if (!(observed[b] > 0)) continue;
      bool filled = false;
      for (const Sample& sample : channel.samples) {
        filled = filled || (counts(sample) && CanContribute(sample, b));
      }
      if (filled) continue;
      return "observations[" + std::to_string(k) + "].data[" +
             std::to_string(b) + "]: " + Number(observed[b]) +
             " events observed in bin " + std::to_string(b) + " of channel \"" +
             channel.name + "\", where " + why;
    }
  }
  return "";
}

// twice_nll at the suggested inits; names a bin whose rate is not usable.
std::string NotFiniteAtInits(const Workspace& workspace, const Model& model) {
  const Eigen::VectorXd& data = model.observed_data();
  if (std::isfinite(model.TwiceNll(model.inits(), data))) return "";
  const Eigen::VectorXd rates = model.ExpectedMainData(model.inits());
  int bin = 0;
  for (const auto& [name, bins] : model.channels()) {
    for (int b = 0; b < bins; ++b, ++bin) {
      const bool bad = !(rates(bin) >= 0) || (rates(bin) == 0 && data(bin) > 0);
      if (!bad) continue;
      return "observations[" +
             std::to_string(ObservationIndex(workspace, name)) + "].data[" +
             std::to_string(b) + "]: channel \"" + name + "\" bin " +
             std::to_string(b) + " expects " + Number(rates(bin)) +
             " events at the suggested initial parameters, with " +
             Number(data(bin)) +
             " observed: the likelihood is zero or undefined there (no fit "
             "can start)";
    }
  }
  return "twice_nll is not finite at the suggested initial parameters";
}

std::string PoiWithoutEffect(const Workspace& workspace, const Model& model) {
  if (!model.has_poi()) return "";
  const std::string& poi = model.poi_name();
  std::string first_path;
  for (std::size_t c = 0; c < workspace.channels.size(); ++c) {
    const Channel& channel = workspace.channels[c];
    for (std::size_t s = 0; s < channel.samples.size(); ++s) {
      const Sample& sample = channel.samples[s];
      if (!ScaledBy(sample, poi)) continue;
      for (int b = 0; b < channel.num_bins(); ++b) {
        if (CanContribute(sample, b)) return "";
      }
      if (first_path.empty()) {
        first_path = "channels[" + std::to_string(c) + "].samples[" +
                     std::to_string(s) + "]";
      }
    }
  }
  if (first_path.empty()) return "";  // the POI is not a normfactor
  return workspace.FindMeasurement(model.options().measurement).json_path +
         ".config.poi: the parameter of interest \"" + poi +
         "\" has no effect on any expected rate (every sample it scales, "
         "e.g. " +
         first_path +
         ", is zero in every bin): its fit, CLs and limits are undefined";
}

// The background-only rates (POI = 0, the others at their inits), which
// the CLs construction fits and turns into Asimov data: a negative total in
// a bin (pyhf allows negative samples, e.g. interference terms, but not a
// negative expectation) makes the likelihood undefined. Names the bin and
// its most negative sample.
std::string NegativeBackgroundOnlyRate(const Workspace& workspace,
                                       const Model& model) {
  Eigen::VectorXd pars = model.inits();
  pars(model.poi_index()) = 0.0;
  const Eigen::VectorXd rates = model.ExpectedMainData(pars);
  int bin = 0;
  for (const auto& [name, bins] : model.channels()) {
    for (int b = 0; b < bins; ++b, ++bin) {
      if (rates(bin) >= 0.0) continue;
      std::string where = "channel \"" + name + "\"";
      double lowest = 0.0;
      for (std::size_t c = 0; c < workspace.channels.size(); ++c) {
        const Channel& channel = workspace.channels[c];
        if (channel.name != name) continue;
        for (std::size_t s = 0; s < channel.samples.size(); ++s) {
          const double value = channel.samples[s].data[b];
          if (value < lowest) {
            lowest = value;
            where = "channels[" + std::to_string(c) + "].samples[" +
                    std::to_string(s) + "].data[" + std::to_string(b) + "]";
          }
        }
      }
      return where + ": channel \"" + name + "\" bin " + std::to_string(b) +
             " expects " + Number(rates(bin)) + " events at " +
             model.poi_name() +
             " = 0 (negative): the background-only likelihood, which the "
             "CLs construction needs, is undefined";
    }
  }
  return "";
}

}  // namespace

std::string FitLikelihoodProblem(const Workspace& workspace,
                                 const Model& model) {
  if (!Clipped(model)) {
    std::string problem = EmptyBinWithEvents(
        workspace,
        [](const Sample&) { return true; },
        "every sample expects zero events for all parameter values: the "
        "likelihood is zero");
    if (!problem.empty()) return problem;
  }
  std::string problem = NotFiniteAtInits(workspace, model);
  if (!problem.empty()) return problem;
  return PoiWithoutEffect(workspace, model);
}

std::string HypotestLikelihoodProblem(const Workspace& workspace,
                                      const Model& model) {
  std::string problem = FitLikelihoodProblem(workspace, model);
  if (!problem.empty()) return problem;
  if (!model.has_poi()) {
    return workspace.FindMeasurement(model.options().measurement).json_path +
           ".config.poi: is \"\" (no parameter of interest): only fits are "
           "defined, not CLs or upper limits";
  }
  if (Clipped(model)) return problem;
  problem = NegativeBackgroundOnlyRate(workspace, model);
  if (!problem.empty()) return problem;
  const std::string poi = model.poi_name();
  return EmptyBinWithEvents(
      workspace,
      [&](const Sample& sample) { return !ScaledBy(sample, poi); },
      "only samples scaled by the parameter of interest \"" + poi +
          "\" contribute: the background-only likelihood (" + poi +
          " = 0), which the CLs construction needs, is zero");
}

}  // namespace goldmine::inference
