#include "goldmine/inference/limits/limit_result_json.h"

#include "goldmine/core/eigen_json.h"
#include "goldmine/core/histogram_edges_json.h"

namespace goldmine::inference {

namespace {

std::string LevelName(double level) { return level == 0.95 ? "95%" : "68%"; }

}  // namespace

nlohmann::ordered_json LimitResultJson(const LimitResult& result,
                                       const ThetaGrid& grid,
                                       const LimitJsonContext& context) {
  using core::Rows;
  using core::Values;
  nlohmann::ordered_json json;
  json["grid"] = Rows(result.grid);
  json["minus_two_delta_log_l"] = Values(result.minus_two_delta_log_l);
  json["p_values"] = Values(result.p_values);
  const Eigen::VectorXd best = result.grid.row(result.best_fit_index);
  json["best_fit"] = Values(best);
  json["best_fit_index"] = result.best_fit_index;
  json["parameters"] = result.parameters;
  json["method"] = LimitMethodName(context.method);
  json["luminosity"] = context.luminosity;
  json["include_xsec"] =
      context.method == LimitMethod::kRate || context.include_xsec;
  json["observed"] = context.observed;
  if (!context.observed) json["theta_true"] = Values(context.theta_true);
  json["n_observed"] = result.n_observed;
  json["dof"] = result.dof;
  json["log_likelihood_kin"] = Values(result.log_likelihood_kin);
  json["log_likelihood_rate"] = Values(result.log_likelihood_rate);
  json["all_parameters"] = result.all_parameters;
  json["thetas"] = Rows(result.thetas);
  if (!result.histogram_edges.empty()) {
    json["histogram_edges"] = core::HistogramEdgesJson(result.histogram_edges);
  }
  json["dropped_units"] = result.dropped_units;
  json["conventions"] = context.conventions;
  if (!context.observed) json["asimov_from"] = context.asimov_from;
  if (context.best_fit_at_theta_true) {
    json["best_fit_at_theta_true"] = *context.best_fit_at_theta_true;
  }
  if (!result.profile_converged.empty()) {
    json["profile_converged"] = result.profile_converged;
    json["profile_fits_not_converged"] = result.profile_fits_not_converged;
  }
  if (context.systematics) json["systematics"] = *context.systematics;
  nlohmann::ordered_json intervals = nlohmann::ordered_json::object();
  for (const auto& entry : ProfileIntervals(
           grid, result.minus_two_delta_log_l, {0.6826894921370859, 0.95})) {
    nlohmann::ordered_json ranges = nlohmann::ordered_json::array();
    for (const auto& range : entry.ranges) {
      ranges.push_back({{"lower", range.lower},
                        {"upper", range.upper},
                        {"closed_lower", range.closed_lower},
                        {"closed_upper", range.closed_upper}});
    }
    intervals[entry.parameter][LevelName(entry.confidence_level)] = ranges;
  }
  json["intervals"] = intervals;
  json["contour_levels"] = {
      {"68%", ChiSquaredQuantile(0.6826894921370859, result.dof)},
      {"95%", ChiSquaredQuantile(0.95, result.dof)}};
  return json;
}

}  // namespace goldmine::inference
