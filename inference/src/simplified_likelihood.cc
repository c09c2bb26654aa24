#include "goldmine/inference/simplified_likelihood.h"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <nlohmann/json.hpp>

#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormatName = "goldmine-simplified-likelihood";
constexpr int kFormatVersion = 1;

// Prior standard deviation of every parameter (0 when unconstrained or
// fixed): σ for Gaussian constraints, 1/√τ for Poisson ones.
Eigen::VectorXd PriorWidths(const Model& model) {
  Eigen::VectorXd widths = Eigen::VectorXd::Zero(model.num_parameters());
  for (const ParameterSet& set : model.parameter_sets()) {
    for (int k = 0; k < set.size; ++k) {
      const int index = set.offset + k;
      if (model.fixed()[static_cast<std::size_t>(index)]) continue;
      const double width =
          set.widths.empty() ? 0.0 : set.widths[static_cast<std::size_t>(k)];
      if (set.constraint == ConstraintType::kGaussian) {
        widths(index) = width;
      } else if (set.constraint == ConstraintType::kPoisson) {
        widths(index) = 1.0 / std::sqrt(width);
      }
    }
  }
  return widths;
}

Json VectorJson(const Eigen::VectorXd& v) {
  Json array = Json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) array.push_back(v(i));
  return array;
}

// `value` (called `name` in messages) as `size` finite numbers.
Eigen::VectorXd VectorFrom(const Json& value,
                           const std::string& name,
                           Eigen::Index size,
                           const std::string& what) {
  if (!value.is_array() || static_cast<Eigen::Index>(value.size()) != size) {
    throw FileFormatError(what + ": \"" + name + "\" must be a list of " +
                          std::to_string(size) + " numbers");
  }
  Eigen::VectorXd v(size);
  for (Eigen::Index i = 0; i < size; ++i) {
    const Json& number = value.at(static_cast<std::size_t>(i));
    if (!number.is_number() || !std::isfinite(number.get<double>())) {
      throw FileFormatError(what + ": " + name + "[" + std::to_string(i) +
                            "] is not a finite number");
    }
    v(i) = number.get<double>();
  }
  return v;
}

// The list j[key].
Eigen::VectorXd VectorAt(const Json& j,
                         const char* key,
                         Eigen::Index size,
                         const std::string& what) {
  return VectorFrom(
      j.contains(key) ? j.at(key) : Json(), std::string(key), size, what);
}

}  // namespace

SimplifiedLikelihood Simplify(const Model& model,
                              bool prefit,
                              const FitOptions& options) {
  if (!model.has_poi()) {
    throw InvalidInput("simplify: the measurement has no POI");
  }
  const int poi = model.poi_index();
  SimplifiedLikelihood result;
  result.channels = model.channels();
  result.poi_name = model.poi_name();
  result.poi_lower = model.lower_bounds()(poi);
  result.poi_upper = model.upper_bounds()(poi);
  result.observed = model.observed_data().head(model.num_main_bins());
  result.source = prefit ? "prefit" : "postfit";

  Eigen::VectorXd pars = model.inits();
  Eigen::MatrixXd covariance;
  if (prefit) {
    const Eigen::VectorXd widths = PriorWidths(model);
    covariance = widths.array().square().matrix().asDiagonal();
  } else {
    const FitResult fit =
        FixedPoiFit(model, model.observed_data(), 0.0, options);
    result.fit_converged = fit.converged;
    pars = fit.parameters;
    covariance = fit.covariance;
    if (covariance.size() == 0 || !covariance.allFinite()) {
      throw InvalidInput(
          "simplify: the background-only fit has no positive-definite "
          "covariance (" +
          fit.message + "); try --prefit");
    }
  }
  pars(poi) = 0.0;
  covariance.row(poi).setZero();
  covariance.col(poi).setZero();
  result.background = model.ExpectedMainData(pars);
  Eigen::VectorXd with_signal = pars;
  with_signal(poi) = 1.0;
  result.signal = model.ExpectedMainData(with_signal) - result.background;

  // J = ∂b/∂θ by central differences, steps of 1e-4 prior or fitted widths
  // (the yields are smooth at that scale; their interpolations are
  // polynomial within ±1σ).
  const int n = model.num_main_bins();
  Eigen::MatrixXd jacobian = Eigen::MatrixXd::Zero(n, model.num_parameters());
  for (int j = 0; j < model.num_parameters(); ++j) {
    const double width = std::sqrt(std::max(covariance(j, j), 0.0));
    if (j == poi || width == 0.0) continue;
    const double step = 1e-4 * width;
    Eigen::VectorXd up = pars, down = pars;
    up(j) += step;
    down(j) -= step;
    jacobian.col(j) =
        (model.ExpectedMainData(up) - model.ExpectedMainData(down)) /
        (2.0 * step);
  }
  result.covariance = jacobian * covariance * jacobian.transpose();
  return result;
}

std::string SimplifiedLikelihoodJson(const SimplifiedLikelihood& likelihood) {
  Json channels = Json::array();
  for (const auto& [name, bins] : likelihood.channels)
    channels.push_back({{"name", name}, {"bins", bins}});
  Json covariance = Json::array();
  for (Eigen::Index i = 0; i < likelihood.covariance.rows(); ++i)
    covariance.push_back(VectorJson(likelihood.covariance.row(i).transpose()));
  Json j = {{"format", kFormatName},
            {"format_version", kFormatVersion},
            {"source", likelihood.source},
            {"poi",
             {{"name", likelihood.poi_name},
              {"bounds", {likelihood.poi_lower, likelihood.poi_upper}}}},
            {"channels", channels},
            {"observed", VectorJson(likelihood.observed)},
            {"background", VectorJson(likelihood.background)},
            {"covariance", covariance},
            {"signal", VectorJson(likelihood.signal)}};
  if (likelihood.source == "postfit")
    j["fit_converged"] = likelihood.fit_converged;
  return j.dump(2);
}

bool IsSimplifiedLikelihoodJson(const std::string& text) {
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_object() && j.contains("format") && j.at("format") == kFormatName;
}

SimplifiedLikelihood ParseSimplifiedLikelihood(const std::string& text,
                                               const std::string& what) {
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("format") ||
      j.at("format") != kFormatName) {
    throw FileFormatError(what + ": not a goldmine simplified likelihood");
  }
  if (j.value("format_version", -1) != kFormatVersion) {
    throw FileFormatError(what + ": simplified-likelihood format version " +
                          j.value("format_version", Json(-1)).dump() +
                          ", this goldmine reads version " +
                          std::to_string(kFormatVersion));
  }
  SimplifiedLikelihood likelihood;
  try {
    for (const Json& channel : j.at("channels")) {
      likelihood.channels.emplace_back(channel.at("name").get<std::string>(),
                                       channel.at("bins").get<int>());
    }
    likelihood.poi_name = j.at("poi").at("name").get<std::string>();
    likelihood.poi_lower = j.at("poi").at("bounds").at(0).get<double>();
    likelihood.poi_upper = j.at("poi").at("bounds").at(1).get<double>();
    likelihood.source = j.value("source", std::string("postfit"));
  } catch (const nlohmann::json::exception& error) {
    throw FileFormatError(what + ": " + error.what());
  }
  Eigen::Index n = 0;
  for (const auto& channel : likelihood.channels) {
    if (channel.second < 1) {
      throw FileFormatError(what + ": channel " + channel.first +
                            " has no bins");
    }
    n += channel.second;
  }
  likelihood.observed = VectorAt(j, "observed", n, what);
  likelihood.background = VectorAt(j, "background", n, what);
  likelihood.signal = VectorAt(j, "signal", n, what);
  if (!j.contains("covariance") || !j.at("covariance").is_array() ||
      static_cast<Eigen::Index>(j.at("covariance").size()) != n) {
    throw FileFormatError(what + ": \"covariance\" must be " +
                          std::to_string(n) + " rows");
  }
  likelihood.covariance.resize(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    likelihood.covariance.row(i) =
        VectorFrom(j.at("covariance").at(static_cast<std::size_t>(i)),
                   "covariance[" + std::to_string(i) + "]",
                   n,
                   what)
            .transpose();
  }
  if (!likelihood.covariance.isApprox(likelihood.covariance.transpose(),
                                      1e-9)) {
    throw FileFormatError(what + ": \"covariance\" is not symmetric");
  }
  return likelihood;
}

std::string SimplifiedLikelihoodWorkspace(
    const SimplifiedLikelihood& likelihood) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(
      likelihood.covariance);
  const Eigen::VectorXd& lambda = solver.eigenvalues();
  const double largest = lambda.size() > 0 ? lambda.maxCoeff() : 0.0;
  Json modifiers = Json::array();
  int index = 0;
  for (Eigen::Index k = 0; k < lambda.size(); ++k) {
    if (!(lambda(k) > 1e-12 * largest)) continue;
    const Eigen::VectorXd delta =
        std::sqrt(lambda(k)) * solver.eigenvectors().col(k);
    modifiers.push_back(
        {{"name", "sl_eigen_" + std::to_string(index++)},
         {"type", "histosys"},
         {"data",
          {{"hi_data", VectorJson(likelihood.background + delta)},
           {"lo_data", VectorJson(likelihood.background - delta)}}}});
  }
  const Json signal = {{"name", "signal"},
                       {"data", VectorJson(likelihood.signal)},
                       {"modifiers",
                        Json::array({{{"name", likelihood.poi_name},
                                      {"type", "normfactor"},
                                      {"data", nullptr}}})}};
  const Json background = {{"name", "background"},
                           {"data", VectorJson(likelihood.background)},
                           {"modifiers", modifiers}};
  const Json workspace = {
      {"channels",
       Json::array({{{"name", "simplified"},
                     {"samples", Json::array({signal, background})}}})},
      {"observations",
       Json::array({{{"name", "simplified"},
                     {"data", VectorJson(likelihood.observed)}}})},
      {"measurements",
       Json::array({{{"name", "simplified"},
                     {"config",
                      {{"poi", likelihood.poi_name},
                       {"parameters",
                        Json::array({{{"name", likelihood.poi_name},
                                      {"bounds",
                                       Json::array({Json::array(
                                           {likelihood.poi_lower,
                                            likelihood.poi_upper})})}}})}}}}})},
      {"version", "1.0.0"}};
  return workspace.dump();
}

}  // namespace goldmine::inference
