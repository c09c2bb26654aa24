#include "goldmine/inference/eft_systematics_limits.h"

#include <algorithm>
#include <cmath>

#include "goldmine/core/errors.h"
#include "goldmine/core/score_model.h"
#include "goldmine/inference/eft_binned_model.h"
#include "goldmine/inference/eft_events_histogram.h"
#include "goldmine/inference/eft_profile_likelihood.h"
#include "goldmine/mining/histogram_bins.h"
#include "goldmine/mining/madminer_file.h"

namespace goldmine::inference {

namespace {

// Bins of events (rows of x over the events file's observables) in the
// histogram of the plain limits: histo bins observables, sally the score.
class EventBinning {
 public:
  EventBinning(const inference::KinematicSetup& kinematics,
               const inference::LimitResult& plain,
               const std::vector<std::string>& file_observables,
               int num_file_parameters)
      : kinematics_(kinematics) {
    if (kinematics.method != inference::LimitMethod::kHisto &&
        kinematics.method != inference::LimitMethod::kSally) {
      throw InvalidInput(
          "limits --systematics: only the histogram methods histo and sally "
          "have a HistFactory model; got --method " +
          inference::LimitMethodName(kinematics.method));
    }
    const std::vector<std::string> inputs =
        kinematics.method == inference::LimitMethod::kHisto
            ? kinematics.observables
            : kinematics.score_model->observable_names();
    for (const std::string& name : inputs) {
      const auto found =
          std::find(file_observables.begin(), file_observables.end(), name);
      if (found == file_observables.end()) {
        throw InvalidInput("limits --systematics: observable \"" + name +
                           "\" is not in the events file");
      }
      columns_.push_back(found - file_observables.begin());
    }
    // The bins of the plain limits: with overflow bins (the default) their
    // edges start at −∞ and end at +∞; with MadMiner's edges values outside
    // are clipped into the first and last bins. Either way the interior
    // edges with open ends give the same bins.
    for (const std::vector<double>& edges : plain.histogram_edges) {
      GOLDMINE_REQUIRE(edges.size() >= 2, "histogram axis without bins");
      interior_.emplace_back(edges.begin() + 1, edges.end() - 1);
      num_bins_ *= static_cast<int>(edges.size()) - 1;
    }
    if (kinematics.method == inference::LimitMethod::kSally) {
      // As the plain limits: the first components, one per parameter of the
      // file. A model trained on a file with systematics also outputs the
      // nuisance scores after them (augment local), which are not binned.
      components_ = kinematics.score_components;
      if (components_.empty()) {
        for (int c = 0; c < num_file_parameters; ++c) components_.push_back(c);
      }
    } else {
      for (int c = 0; c < static_cast<int>(columns_.size()); ++c) {
        components_.push_back(c);
      }
    }
    GOLDMINE_REQUIRE(
        components_.size() == interior_.size(),
        "limits --systematics: " + std::to_string(components_.size()) +
            " binned quantities but " + std::to_string(interior_.size()) +
            " histogram axes");
  }

  int num_bins() const { return num_bins_; }

  // One bin per row; a NaN value goes to the overflow bin
  // (mining/histogram_bins.h).
  std::vector<int> Bins(const Eigen::MatrixXd& x) const {
    Eigen::MatrixXd inputs(x.rows(),
                           static_cast<Eigen::Index>(columns_.size()));
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      inputs.col(static_cast<Eigen::Index>(i)) = x.col(columns_[i]);
    }
    const Eigen::MatrixXd values =
        kinematics_.method == inference::LimitMethod::kSally
            ? kinematics_.score_model->Score(inputs)
            : inputs;
    std::vector<int> bins(static_cast<std::size_t>(x.rows()), 0);
    for (Eigen::Index e = 0; e < x.rows(); ++e) {
      int bin = 0;
      for (std::size_t d = 0; d < interior_.size(); ++d) {
        const auto& edges = interior_[d];
        bin = bin * (static_cast<int>(edges.size()) + 1) +
              mining::OverflowBinIndex(edges, values(e, components_[d]));
      }
      bins[static_cast<std::size_t>(e)] = bin;
    }
    return bins;
  }

 private:
  const inference::KinematicSetup& kinematics_;
  std::vector<Eigen::Index> columns_;
  std::vector<int> components_;
  std::vector<std::vector<double>> interior_;
  int num_bins_ = 1;
};

}  // namespace

SystematicLimits ProfileSystematics(
    const std::string& events_file,
    const inference::KinematicSetup& kinematics,
    const inference::LimitResult& plain,
    const inference::ObservedData* observed,
    const Eigen::VectorXd& theta_true,
    const SystematicsSettings& settings,
    const std::function<void(int, int)>& progress) {
  const mining::MadminerEventsReader reader(events_file);
  std::vector<std::string> file_observables;
  for (const auto& observable : reader.setup().observables) {
    file_observables.push_back(observable.name);
  }
  const EventBinning binning(
      kinematics,
      plain,
      file_observables,
      static_cast<int>(reader.setup().parameters.size()));

  inference::EftBinAccumulator accumulator(events_file, binning.num_bins());
  constexpr std::int64_t kBatch = 100000;
  mining::MadminerEventBatch batch;
  for (std::int64_t first = 0; first < reader.num_events(); first += kBatch) {
    reader.Read(first, std::min(kBatch, reader.num_events() - first), &batch);
    accumulator.Add(batch.weights,
                    batch.sampling_benchmarks,
                    binning.Bins(batch.observations));
  }
  inference::BinnedEftOptions options;
  options.luminosity = settings.luminosity;
  options.lumi_uncertainty = settings.lumi_uncertainty;
  options.staterror = settings.staterror;
  options.staterror_theta = theta_true;
  const inference::BinnedEftModel model(accumulator.Result(), options);

  Eigen::VectorXd counts;
  if (observed == nullptr) {
    counts = model.AsimovCounts(theta_true);
  } else {
    counts = Eigen::VectorXd::Zero(binning.num_bins());
    const std::vector<int> bins = binning.Bins(observed->x);
    const double total = observed->weights.sum();
    for (std::size_t e = 0; e < bins.size(); ++e) {
      if (bins[e] < 0) continue;
      counts(bins[e]) += observed->n_events *
                         observed->weights(static_cast<Eigen::Index>(e)) /
                         total;
    }
  }

  inference::EftProfileOptions profile_options;
  profile_options.progress = progress;
  const inference::EftProfileResult profile =
      inference::ProfileOnGrid(model, plain.thetas, counts, profile_options);

  SystematicLimits result;
  result.minus_two_delta_log_l = profile.minus_two_delta_log_l;
  result.best_fit_index = profile.best_index;
  // Wilks with the scanned parameters only (fixed ones are not fitted).
  result.p_values.resize(profile.minus_two_delta_log_l.size());
  for (Eigen::Index i = 0; i < result.p_values.size(); ++i) {
    const double q = profile.minus_two_delta_log_l(i);
    result.p_values(i) =
        std::isinf(q) ? 0.0 : inference::WilksPValue(q, plain.dof);
  }
  result.nuisance_parameters = profile.nuisance_parameter_names;
  result.fits_not_converged = static_cast<int>(
      std::count(profile.converged.begin(), profile.converged.end(), false));
  result.num_bins = binning.num_bins();
  return result;
}

void ApplyProfiledSystematics(const SystematicLimits& profiled,
                              LimitResult* result) {
  if (profiled.minus_two_delta_log_l.size() != result->grid.rows() ||
      profiled.p_values.size() != result->grid.rows()) {
    throw InvalidInput(
        "systematics: " + std::to_string(profiled.p_values.size()) +
        " profiled grid points for a result with " +
        std::to_string(result->grid.rows()));
  }
  result->minus_two_delta_log_l = profiled.minus_two_delta_log_l;
  result->p_values = profiled.p_values;
  result->best_fit_index = profiled.best_fit_index;
}

}  // namespace goldmine::inference
