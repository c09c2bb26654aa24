#include "goldmine/inference/likelihood_surrogate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "goldmine/core/errors.h"
#include "goldmine/core/file_digest.h"
#include "goldmine/core/strict_json.h"

namespace goldmine::inference {
namespace {

using Json = nlohmann::json;

constexpr const char* kFormatName = "goldmine-likelihood-surrogate";
constexpr const char* kFormatVersion = "1";
constexpr const char* kChannelsKey = "goldmine.surrogate.channels";
constexpr const char* kPoiKey = "goldmine.surrogate.poi";
constexpr const char* kPoiBoundsKey = "goldmine.surrogate.poi_bounds";
constexpr const char* kValidityKey = "goldmine.surrogate.validity";
constexpr const char* kInputsKey = "goldmine.surrogate.inputs";
constexpr const char* kOutputsKey = "goldmine.surrogate.outputs";

// Points of each scan for μ̂ (MinimaOfBothColumns).
constexpr int kScanPoints = 33;

[[noreturn]] void Malformed(const std::string& what,
                            const std::string& key,
                            const std::string& expected) {
  throw FileFormatError(what + ": metadata \"" + key + "\": expected " +
                        expected);
}

const std::string& Required(const std::map<std::string, std::string>& metadata,
                            const std::string& what,
                            const std::string& key) {
  const auto found = metadata.find(key);
  if (found == metadata.end()) {
    throw FileFormatError(what + ": metadata key \"" + key +
                          "\" is missing (a goldmine likelihood surrogate "
                          "has it; was the file edited?)");
  }
  return found->second;
}

Json ParseValue(const std::map<std::string, std::string>& metadata,
                const std::string& what,
                const std::string& key,
                const std::string& expected) {
  try {
    return ParseStrictJson(Required(metadata, what, key), what + " " + key);
  } catch (const FileFormatError&) {
    Malformed(what, key, expected);
  }
}

std::vector<double> Numbers(const Json& value,
                            std::size_t size,
                            const std::string& what,
                            const std::string& key) {
  const std::string expected = std::to_string(size) + " finite numbers";
  if (!value.is_array() || value.size() != size) Malformed(what, key, expected);
  std::vector<double> numbers;
  for (const Json& entry : value) {
    if (!entry.is_number() || !std::isfinite(entry.get<double>())) {
      Malformed(what, key, expected);
    }
    numbers.push_back(entry.get<double>());
  }
  return numbers;
}

// Δ_obs and Δ_A of μ s for each μ, in one batch.
Eigen::MatrixXd Deltas(const core::RegressionFunction& surrogate,
                       const Eigen::VectorXd& signal,
                       const std::vector<double>& mus) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(mus.size()), signal.size());
  for (std::size_t i = 0; i < mus.size(); ++i) {
    x.row(static_cast<Eigen::Index>(i)) = mus[i] * signal.transpose();
  }
  Eigen::MatrixXd y = surrogate.Evaluate(x);
  if (y.cols() != 2 || y.rows() != x.rows()) {
    throw InvalidInput(
        "the surrogate must give 2 outputs per row (Δ observed, Δ Asimov)");
  }
  return y;
}

// The minimum of Δ_column(μ s) over [0, top] for both columns at once, in
// three batches (network calls dominate the cost): a coarse scan, a fine
// scan of the best coarse interval, and the vertex of the parabola through
// the best fine point and its neighbours, kept when it is lower.
struct ColumnMinimum {
  double mu = 0.0;
  double value = 0.0;
};

std::array<ColumnMinimum, 2> MinimaOfBothColumns(
    const core::RegressionFunction& surrogate,
    const Eigen::VectorXd& signal,
    double top) {
  std::array<ColumnMinimum, 2> minima;
  if (!(top > 0)) {
    const Eigen::MatrixXd at_zero = Deltas(surrogate, signal, {0.0});
    for (int c = 0; c < 2; ++c) minima[c] = {0.0, at_zero(0, c)};
    return minima;
  }
  std::vector<double> coarse;
  for (int i = 0; i < kScanPoints; ++i) {
    coarse.push_back(top * i / (kScanPoints - 1));
  }
  const Eigen::MatrixXd coarse_values = Deltas(surrogate, signal, coarse);
  std::vector<double> fine;  // kScanPoints per column
  for (int c = 0; c < 2; ++c) {
    Eigen::Index best = 0;
    coarse_values.col(c).minCoeff(&best);
    const double a =
        coarse[static_cast<std::size_t>(std::max<Eigen::Index>(best - 1, 0))];
    const double b = coarse[static_cast<std::size_t>(
        std::min<Eigen::Index>(best + 1, kScanPoints - 1))];
    for (int i = 0; i < kScanPoints; ++i) {
      fine.push_back(a + (b - a) * i / (kScanPoints - 1));
    }
  }
  const Eigen::MatrixXd fine_values = Deltas(surrogate, signal, fine);
  std::vector<double> vertices;
  for (int c = 0; c < 2; ++c) {
    const Eigen::Index first = c * kScanPoints;
    Eigen::Index best = 0;
    fine_values.col(c).segment(first, kScanPoints).minCoeff(&best);
    const auto at = [&](Eigen::Index i) {
      return fine[static_cast<std::size_t>(first + i)];
    };
    minima[c] = {at(best), fine_values(first + best, c)};
    double vertex = minima[c].mu;
    if (best > 0 && best + 1 < kScanPoints) {
      const double h = at(best + 1) - at(best);
      const double left = fine_values(first + best - 1, c);
      const double right = fine_values(first + best + 1, c);
      const double curvature = left - 2 * minima[c].value + right;
      if (curvature > 0) {
        vertex = at(best) + 0.5 * h * (left - right) / curvature;
      }
    }
    vertices.push_back(std::clamp(vertex, 0.0, top));
  }
  const Eigen::MatrixXd vertex_values = Deltas(surrogate, signal, vertices);
  for (int c = 0; c < 2; ++c) {
    if (vertex_values(c, c) < minima[c].value) {
      minima[c] = {vertices[static_cast<std::size_t>(c)], vertex_values(c, c)};
    }
  }
  return minima;
}

void RequireSize(const SurrogateDescription& description,
                 const Eigen::VectorXd& signal) {
  if (signal.size() != description.num_inputs()) {
    throw InvalidInput("signal yields: expected " +
                       std::to_string(description.num_inputs()) +
                       " numbers, got " + std::to_string(signal.size()));
  }
}

}  // namespace

const char* SurrogateFormatName() { return kFormatName; }

int SurrogateDescription::num_inputs() const {
  int n = 0;
  for (const auto& channel : channels) n += channel.second;
  return n;
}

double SurrogateDescription::TrainedMaxTestStatistic() const {
  for (const auto& [key, value] : provenance) {
    if (key != "goldmine.surrogate.training") continue;
    const Json training = Json::parse(value, nullptr, false);
    if (training.is_object() && training.contains("max_test_stat") &&
        training["max_test_stat"].is_number() &&
        training["max_test_stat"].get<double>() > 0) {
      return training["max_test_stat"].get<double>();
    }
  }
  return 30.0;
}

std::vector<std::string> SurrogateDescription::InputNames() const {
  std::vector<std::string> names;
  for (const auto& [name, bins] : channels) {
    for (int b = 0; b < bins; ++b) {
      names.push_back(name + "[" + std::to_string(b) + "]");
    }
  }
  return names;
}

std::vector<std::pair<std::string, std::string>>
SurrogateDescription::ToMetadata() const {
  Json channel_list = Json::array();
  for (const auto& [name, bins] : channels) {
    channel_list.push_back({{"name", name}, {"bins", bins}});
  }
  const std::vector<double> low(lower.data(), lower.data() + lower.size());
  const std::vector<double> high(upper.data(), upper.data() + upper.size());
  std::vector<std::pair<std::string, std::string>> metadata = {
      {"goldmine.format", kFormatName},
      {"goldmine.format_version", kFormatVersion},
      {kChannelsKey, channel_list.dump()},
      {kInputsKey, Json(InputNames()).dump()},
      {kOutputsKey,
       Json::array(
           {{{"name", "delta_twice_nll_obs"},
             {"meaning",
              "-2 ln L(s) + 2 ln L(0), profiled over the nuisance "
              "parameters, observed data; s = the input signal yields at "
              "POI value 1"}},
            {{"name", "delta_twice_nll_asimov"},
             {"meaning",
              "the same for the background-only Asimov data (pyhf's "
              "hypotest Asimov data)"}}})
           .dump()},
      {kPoiKey, poi},
      {kPoiBoundsKey, Json({poi_bounds.first, poi_bounds.second}).dump()},
      {kValidityKey, Json({{"lower", low}, {"upper", high}}).dump()},
  };
  metadata.insert(metadata.end(), provenance.begin(), provenance.end());
  return metadata;
}

SurrogateDescription SurrogateDescription::FromMetadata(
    const std::map<std::string, std::string>& metadata,
    const std::string& what) {
  const auto format = metadata.find("goldmine.format");
  if (format == metadata.end()) {
    throw FileFormatError(what +
                          ": not a goldmine likelihood surrogate (no "
                          "goldmine.format metadata)");
  }
  if (format->second != kFormatName) {
    throw FileFormatError(what + ": a \"" + format->second +
                          "\" file, not a goldmine likelihood surrogate (" +
                          kFormatName + ")");
  }
  const std::string& version =
      Required(metadata, what, "goldmine.format_version");
  if (version != kFormatVersion) {
    throw FileFormatError(what + ": likelihood surrogate format version \"" +
                          version + "\"; this goldmine reads version " +
                          kFormatVersion);
  }
  SurrogateDescription description;
  const Json channels = ParseValue(
      metadata, what, kChannelsKey, "a list of {\"name\", \"bins\"}");
  if (!channels.is_array() || channels.empty()) {
    Malformed(what, kChannelsKey, "a non-empty list of {\"name\", \"bins\"}");
  }
  std::set<std::string> seen;
  for (const Json& channel : channels) {
    if (!channel.is_object() || !channel.contains("name") ||
        !channel["name"].is_string() || !channel.contains("bins") ||
        !channel["bins"].is_number_integer() ||
        channel["bins"].get<int>() < 1 || channel["bins"].get<int>() > 100000 ||
        !seen.insert(channel["name"].get<std::string>()).second) {
      Malformed(what,
                kChannelsKey,
                "a list of {\"name\": unique string, \"bins\": integer >= 1}");
    }
    description.channels.emplace_back(channel["name"].get<std::string>(),
                                      channel["bins"].get<int>());
  }
  description.poi = Required(metadata, what, kPoiKey);
  if (description.poi.empty()) Malformed(what, kPoiKey, "a parameter name");
  const std::vector<double> bounds =
      Numbers(ParseValue(metadata, what, kPoiBoundsKey, "[lower, upper]"),
              2,
              what,
              kPoiBoundsKey);
  if (!(bounds[0] < bounds[1])) Malformed(what, kPoiBoundsKey, "lower < upper");
  description.poi_bounds = {bounds[0], bounds[1]};
  const Json validity = ParseValue(
      metadata, what, kValidityKey, "{\"lower\": [...], \"upper\": [...]}");
  if (!validity.is_object() || !validity.contains("lower") ||
      !validity.contains("upper")) {
    Malformed(what, kValidityKey, "{\"lower\": [...], \"upper\": [...]}");
  }
  const auto n = static_cast<std::size_t>(description.num_inputs());
  const std::vector<double> low =
      Numbers(validity["lower"], n, what, kValidityKey + std::string(".lower"));
  const std::vector<double> high =
      Numbers(validity["upper"], n, what, kValidityKey + std::string(".upper"));
  description.lower = Eigen::Map<const Eigen::VectorXd>(low.data(), low.size());
  description.upper =
      Eigen::Map<const Eigen::VectorXd>(high.data(), high.size());
  for (const auto& [key, value] : metadata) {
    if (key.rfind("goldmine.surrogate.", 0) == 0 && key != kChannelsKey &&
        key != kPoiKey && key != kPoiBoundsKey && key != kValidityKey &&
        key != kInputsKey && key != kOutputsKey) {
      description.provenance.emplace_back(key, value);
    }
  }
  return description;
}

void RequireNetworkMatchesDescription(const core::RegressionFunction& network,
                                      const SurrogateDescription& description,
                                      const std::string& what) {
  if (network.num_inputs() != description.num_inputs() ||
      network.num_outputs() != 2) {
    throw FileFormatError(what +
                          ": the network's inputs and outputs do not match "
                          "its description (was the file edited?)");
  }
}

SurrogateDescription BuildSurrogateDescription(
    const SurrogateSignals& signals,
    const SurrogateTrainingSet& set,
    const SurrogateSamplingOptions& sampling,
    const SurrogateNetworkTraining& network,
    const std::string& workspace_path,
    const std::string& measurement) {
  using OrderedJson = nlohmann::ordered_json;
  const auto as_vector = [](const Eigen::VectorXd& v) {
    return std::vector<double>(v.data(), v.data() + v.size());
  };
  SurrogateDescription description;
  description.channels = signals.likelihood->signal_channels();
  description.poi = signals.likelihood->poi_name();
  description.poi_bounds = signals.likelihood->poi_bounds();
  description.lower = set.lower;
  description.upper = set.upper;
  OrderedJson training;
  training["points"] = set.signal.rows();
  training["dropped_points"] = set.num_dropped;
  training["mcmc_fraction"] = sampling.mcmc_fraction;
  training["shape_spread"] = sampling.shape_spread;
  training["max_test_stat"] = sampling.max_test_statistic;
  training["seed"] = sampling.seed;
  training["hidden"] = network.hidden;
  training["activation"] = network.activation;
  training["epochs"] = network.epochs;
  training["epochs_run"] = network.epochs_run;
  training["best_epoch"] = network.best_epoch;
  training["batch_size"] = network.batch_size;
  training["learning_rate"] = network.learning_rate;
  training["warmup_fraction"] = network.warmup_fraction;
  training["schedule"] = "linear warm-up, cosine decay";
  training["validation_fraction"] = network.validation_fraction;
  training["loss"] = "squared error weighted by 1 / (0.5 + delta_asimov)";
  training["validation_rmse"] = as_vector(network.validation_rmse);
  OrderedJson signal_points = OrderedJson::array();
  for (std::size_t k = 0; k < signals.points.size(); ++k) {
    signal_points.push_back({{"source", signals.sources[k]},
                             {"yields", as_vector(signals.points[k])},
                             {"scale", set.scales[k]}});
  }
  description.provenance = {
      {"goldmine.surrogate.workspace",
       OrderedJson{
           {"name", std::filesystem::path(workspace_path).filename().string()},
           {"sha256", Sha256OfFile(workspace_path)},
           {"measurement", measurement}}
           .dump()},
      {"goldmine.surrogate.signal_points", signal_points.dump()},
      {"goldmine.surrogate.training", training.dump()},
  };
  return description;
}

Eigen::VectorXd ParseSignalYields(const std::string& text,
                                  const SurrogateDescription& description,
                                  const std::string& what) {
  const Json document = ParseStrictJson(text, what);
  if (!document.is_object()) {
    throw InvalidInput(what +
                       ": expected an object {\"channel\": [yields, ...]}");
  }
  for (const auto& item : document.items()) {
    const bool known = std::any_of(
        description.channels.begin(),
        description.channels.end(),
        [&](const auto& channel) { return channel.first == item.key(); });
    if (!known) {
      std::string names;
      for (const auto& channel : description.channels) {
        names += (names.empty() ? "" : ", ") + channel.first;
      }
      throw InvalidInput(what + ": unknown channel \"" + item.key() +
                         "\"; the surrogate's channels are " + names);
    }
  }
  Eigen::VectorXd yields(description.num_inputs());
  int offset = 0;
  for (const auto& [name, bins] : description.channels) {
    if (!document.contains(name)) {
      throw InvalidInput(what + ": channel \"" + name + "\" is missing (" +
                         std::to_string(bins) + " yields expected)");
    }
    const Json& values = document[name];
    if (!values.is_array() || values.size() != static_cast<std::size_t>(bins)) {
      throw InvalidInput(what + ": " + name + ": expected " +
                         std::to_string(bins) + " yields, got " +
                         (values.is_array() ? std::to_string(values.size())
                                            : std::string("no list")));
    }
    for (int b = 0; b < bins; ++b) {
      const Json& value = values[static_cast<std::size_t>(b)];
      if (!value.is_number() || !std::isfinite(value.get<double>()) ||
          value.get<double>() < 0) {
        throw InvalidInput(what + ": " + name + "[" + std::to_string(b) +
                           "]: expected a finite number >= 0, got " +
                           value.dump());
      }
      yields(offset + b) = value.get<double>();
    }
    offset += bins;
  }
  return yields;
}

double ValidityLimit(const SurrogateDescription& description,
                     const Eigen::VectorXd& signal) {
  RequireSize(description, signal);
  double limit = std::numeric_limits<double>::infinity();
  for (int i = 0; i < signal.size(); ++i) {
    if (signal(i) > 0)
      limit = std::min(limit, description.upper(i) / signal(i));
  }
  return limit;
}

namespace {

// μ̂ and μ̂_A with their Δ values: they do not depend on the μ tested, so a
// scan or a limit computes them once.
struct Minima {
  double mu_hat = 0.0, delta_hat = 0.0;
  double mu_hat_asimov = 0.0, delta_hat_asimov = 0.0;
};

Minima FindMinima(const core::RegressionFunction& surrogate,
                  const SurrogateDescription& description,
                  const Eigen::VectorXd& signal) {
  const double top = std::min(description.poi_bounds.second,
                              ValidityLimit(description, signal));
  const std::array<ColumnMinimum, 2> found =
      MinimaOfBothColumns(surrogate, signal, top);
  Minima minima;
  minima.mu_hat = found[0].mu;
  minima.delta_hat = found[0].value;
  minima.mu_hat_asimov = found[1].mu;
  minima.delta_hat_asimov = found[1].value;
  return minima;
}

HypotestResult TestWithMinima(const core::RegressionFunction& surrogate,
                              const SurrogateDescription& description,
                              const Eigen::VectorXd& signal,
                              double mu,
                              const Minima& minima) {
  const double valid = ValidityLimit(description, signal);
  if (!(mu >= 0) || mu > valid * (1 + 1e-12)) {
    const std::vector<std::string> names = description.InputNames();
    std::string where;
    for (int i = 0; i < signal.size(); ++i) {
      if (mu * signal(i) > description.upper(i) * (1 + 1e-12)) {
        where = names[static_cast<std::size_t>(i)] + " = " +
                std::to_string(mu * signal(i)) + " > " +
                std::to_string(description.upper(i));
        break;
      }
    }
    throw InvalidInput(
        "the signal at " + description.poi + " = " + std::to_string(mu) +
        " lies outside the surrogate's validity range" +
        (where.empty() ? std::string() : " (" + where + ")") +
        "; train the surrogate around this signal, or use the full "
        "likelihood");
  }
  const Eigen::MatrixXd values = Deltas(surrogate, signal, {mu});
  const double q =
      minima.mu_hat > mu ? 0.0 : std::max(values(0, 0) - minima.delta_hat, 0.0);
  const double q_asimov =
      minima.mu_hat_asimov > mu
          ? 0.0
          : std::max(values(0, 1) - minima.delta_hat_asimov, 0.0);
  HypotestResult result;
  result.poi_value = mu;
  result.poi_hat = minima.mu_hat;
  SetAsymptoticCls(q, q_asimov, TestStatistic::kQMuTilde, &result);
  return result;
}

}  // namespace

HypotestResult SurrogateHypotest(const core::RegressionFunction& surrogate,
                                 const SurrogateDescription& description,
                                 const Eigen::VectorXd& signal,
                                 double mu) {
  RequireSize(description, signal);
  if (!(mu >= 0) || mu > ValidityLimit(description, signal) * (1 + 1e-12)) {
    return TestWithMinima(surrogate, description, signal, mu, {});  // throws
  }
  return TestWithMinima(surrogate,
                        description,
                        signal,
                        mu,
                        FindMinima(surrogate, description, signal));
}

UpperLimitResult SurrogateUpperLimit(const core::RegressionFunction& surrogate,
                                     const SurrogateDescription& description,
                                     const Eigen::VectorXd& signal,
                                     double level) {
  RequireSize(description, signal);
  if (!(level > 0 && level < 1)) {
    throw InvalidInput("upper limit: the level must lie in (0, 1)");
  }
  const double valid = ValidityLimit(description, signal);
  if (!std::isfinite(valid)) {
    throw InvalidInput("upper limit: the signal has no positive yield");
  }
  UpperLimitResult result;
  result.poi_bounds_used = {0.0, valid};
  // curve 0: observed; 1..5: expected band entries.
  const auto value = [&](const HypotestResult& r, int curve) {
    return (curve == 0 ? r.cls_obs : r.cls_expected[curve - 1]) - level;
  };
  const Minima minima = FindMinima(surrogate, description, signal);
  const HypotestResult at_top =
      TestWithMinima(surrogate, description, signal, valid, minima);
  ++result.num_hypotests;
  for (int curve = 0; curve < 6; ++curve) {
    double& limit = curve == 0 ? result.observed : result.expected[curve - 1];
    if (value(at_top, curve) > 0) {
      limit = valid;
      result.converged = false;
      if (result.message.empty()) {
        result.message =
            "CLs stays above the level within the surrogate's validity "
            "range (" +
            description.poi + " <= " + std::to_string(valid) +
            "); the limit lies beyond it";
      }
      continue;
    }
    // CLs(0) = 1 > level: bisect on [0, valid] (CLs falls with μ).
    double low = 0.0;
    double high = valid;
    while (high - low > 1e-7 * high) {
      const double middle = 0.5 * (low + high);
      const HypotestResult test =
          TestWithMinima(surrogate, description, signal, middle, minima);
      ++result.num_hypotests;
      (value(test, curve) > 0 ? low : high) = middle;
    }
    limit = 0.5 * (low + high);
  }
  return result;
}

}  // namespace goldmine::inference
