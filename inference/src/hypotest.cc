#include "goldmine/inference/hypotest.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"

namespace goldmine::inference {
namespace {

constexpr double kNSigma[5] = {2.0, 1.0, 0.0, -1.0, -2.0};

Eigen::VectorXd LowerBounds(const Model& model,
                            const std::pair<double, double>& poi_bounds) {
  Eigen::VectorXd lower = model.lower_bounds();
  lower(model.poi_index()) = poi_bounds.first;
  return lower;
}

Eigen::VectorXd UpperBounds(const Model& model,
                            const std::pair<double, double>& poi_bounds) {
  Eigen::VectorXd upper = model.upper_bounds();
  upper(model.poi_index()) = poi_bounds.second;
  return upper;
}

void RequirePoi(const Model& model, const std::string& what) {
  if (!model.has_poi()) {
    throw InvalidInput(what +
                       ": the model has no parameter of interest (measurement "
                       "config.poi is \"\"); only fits are defined");
  }
}

void RequireInside(double mu,
                   const std::pair<double, double>& bounds,
                   const std::string& poi_name) {
  if (!(bounds.first <= mu && mu <= bounds.second)) {
    throw InvalidInput("POI value " + std::to_string(mu) + " of \"" + poi_name +
                       "\" lies outside its bounds [" +
                       std::to_string(bounds.first) + ", " +
                       std::to_string(bounds.second) + "]");
  }
}

// Start values inside the bounds: `start` (a previous solution, or the
// model's inits) with the POI at `mu` and fixed parameters at their inits.
// Falls back to the model's inits when the likelihood is not finite there
// (a warm start from another μ can make expected rates negative).
Eigen::VectorXd StartPoint(const Model& model,
                           const Eigen::VectorXd& data,
                           const Eigen::VectorXd* start,
                           double mu,
                           const Eigen::VectorXd& lower,
                           const Eigen::VectorXd& upper) {
  Eigen::VectorXd init = model.inits();
  const int poi = model.poi_index();
  if (start != nullptr && start->size() == init.size()) {
    for (int p = 0; p < init.size(); ++p) {
      if (!model.fixed()[p]) {
        init(p) = std::clamp((*start)(p), lower(p), upper(p));
      }
    }
    init(poi) = std::clamp(mu, lower(poi), upper(poi));
    if (std::isfinite(model.TwiceNll(init, data))) return init;
    init = model.inits();
  }
  init(poi) = std::clamp(mu, lower(poi), upper(poi));
  return init;
}

FitResult GlobalFit(const Model& model,
                    const Eigen::VectorXd& data,
                    const std::pair<double, double>& poi_bounds,
                    const FitOptions& options,
                    const Eigen::VectorXd* start) {
  const Eigen::VectorXd lower = LowerBounds(model, poi_bounds);
  const Eigen::VectorXd upper = UpperBounds(model, poi_bounds);
  const double mu = start != nullptr ? (*start)(model.poi_index())
                                     : model.inits()(model.poi_index());
  return MinimizeTwiceNll(model,
                          data,
                          StartPoint(model, data, start, mu, lower, upper),
                          lower,
                          upper,
                          model.fixed(),
                          options);
}

FitResult ConditionalFit(const Model& model,
                         const Eigen::VectorXd& data,
                         double mu,
                         const std::pair<double, double>& poi_bounds,
                         const FitOptions& options,
                         const Eigen::VectorXd* start) {
  const Eigen::VectorXd lower = LowerBounds(model, poi_bounds);
  const Eigen::VectorXd upper = UpperBounds(model, poi_bounds);
  std::vector<bool> fixed = model.fixed();
  fixed[model.poi_index()] = true;
  return MinimizeTwiceNll(model,
                          data,
                          StartPoint(model, data, start, mu, lower, upper),
                          lower,
                          upper,
                          fixed,
                          options);
}

// The conditional fit at μ from two starts, the nearest μ already fitted
// (`warm`, fast) and the global fit (`global`), keeping the lower minimum:
// where the likelihood has several minima, a chain of warm starts can follow
// a basin that is no longer the lowest at this μ (seen on the erjr_3L
// reference workspace), and the global start makes the result independent of
// the order in which μ values are tested.
FitResult BestConditionalFit(const Model& model,
                             const Eigen::VectorXd& data,
                             double mu,
                             const std::pair<double, double>& poi_bounds,
                             const FitOptions& options,
                             const Eigen::VectorXd* warm,
                             const Eigen::VectorXd& global) {
  FitResult best =
      ConditionalFit(model, data, mu, poi_bounds, options, &global);
  if (warm == nullptr || warm == &global) return best;
  FitResult other = ConditionalFit(model, data, mu, poi_bounds, options, warm);
  const bool other_lower =
      std::isfinite(other.twice_nll) && !(other.twice_nll >= best.twice_nll);
  FitResult& lower = other_lower ? other : best;
  FitResult& higher = other_lower ? best : other;
  // A higher (converged) minimum that differs from the lower one is another
  // minimum.
  if (higher.converged && std::isfinite(higher.twice_nll) &&
      higher.twice_nll - lower.twice_nll >
          1e-6 * std::max(1.0, std::abs(lower.twice_nll))) {
    lower.other_minima.push_back({higher.twice_nll, higher.parameters});
    std::sort(lower.other_minima.begin(),
              lower.other_minima.end(),
              [](const LocalMinimum& a, const LocalMinimum& b) {
                return a.twice_nll < b.twice_nll;
              });
  }
  lower.num_evaluations += higher.num_evaluations;
  lower.num_basin_starts += higher.num_basin_starts;
  return std::move(lower);
}

// The test statistic from its two fits (docs/HISTFACTORY.md §8).
double StatisticFromFits(TestStatistic statistic,
                         double mu,
                         const FitResult& global,
                         const FitResult& conditional,
                         int poi_index) {
  const double t = std::max(conditional.twice_nll - global.twice_nll, 0.0);
  const double mu_hat = global.parameters(poi_index);
  switch (statistic) {
    case TestStatistic::kQMu:
    case TestStatistic::kQMuTilde:
      return mu_hat > mu ? 0.0 : t;
    case TestStatistic::kQ0:
      return mu_hat < 0.0 ? 0.0 : t;
    case TestStatistic::kTMu:
    case TestStatistic::kTMuTilde:
      return t;
  }
  return t;
}

FitOptions WithoutUncertainties(FitOptions options) {
  options.compute_uncertainties = false;
  return options;
}

// Poisson deviate, identical on every platform: inversion for small means,
// Hörmann's PTRS transformed rejection (as numpy) for large ones.
double SamplePoisson(double mean, RandomStream& random) {
  if (!(mean > 0)) return 0.0;
  if (mean < 10.0) {
    const double limit = std::exp(-mean);
    double product = random.Uniform();
    double k = 0.0;
    while (product > limit) {
      product *= random.Uniform();
      k += 1.0;
    }
    return k;
  }
  const double root = std::sqrt(mean);
  const double log_mean = std::log(mean);
  const double b = 0.931 + 2.53 * root;
  const double a = -0.059 + 0.02483 * b;
  const double inverse_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  while (true) {
    const double u = random.Uniform() - 0.5;
    const double v = random.Uniform();
    const double us = 0.5 - std::abs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inverse_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * log_mean - std::lgamma(k + 1.0)) {
      return k;
    }
  }
}

// One pseudo-experiment at `pars`: main bins ~ Poisson(ν), Gaussian
// auxiliary data ~ N(θ, σ), Poisson auxiliary data ~ Poisson(γτ).
Eigen::VectorXd SampleToy(const Model& model,
                          const Eigen::VectorXd& pars,
                          RandomStream& random) {
  const Eigen::VectorXd expected = model.ExpectedData(pars);
  Eigen::VectorXd toy(expected.size());
  for (int b = 0; b < model.num_main_bins(); ++b) {
    toy(b) = SamplePoisson(expected(b), random);
  }
  for (const ParameterSet& set : model.parameter_sets()) {
    if (set.constraint == ConstraintType::kNone) continue;
    for (int i = 0; i < set.size; ++i) {
      const int index = model.num_main_bins() + set.auxdata_offset + i;
      toy(index) = set.constraint == ConstraintType::kGaussian
                       ? expected(index) + set.widths[i] * random.Normal()
                       : SamplePoisson(expected(index), random);
    }
  }
  return toy;
}

// Fraction of `sorted` values >= x.
double TailFraction(const std::vector<double>& sorted, double x) {
  const auto first = std::lower_bound(sorted.begin(), sorted.end(), x);
  return static_cast<double>(sorted.end() - first) /
         static_cast<double>(sorted.size());
}

// numpy.percentile with linear interpolation; `values` sorted.
double Percentile(const std::vector<double>& values, double percent) {
  const double position = percent / 100.0 * (values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double fraction = position - below;
  return values[below] + fraction * (values[above] - values[below]);
}

// Brent's root finder on [a, b] with f(a), f(b) of opposite signs.
template <typename Function>
double FindRoot(Function f,
                double a,
                double b,
                double fa,
                double fb,
                double relative_tolerance) {
  if (fa == 0) return a;
  if (fb == 0) return b;
  double c = a;
  double fc = fa;
  double d = b - a;
  double e = d;
  for (int iteration = 0; iteration < 200; ++iteration) {
    if ((fb > 0) == (fc > 0)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (std::abs(fc) < std::abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const double tolerance = 2e-12 + 0.5 * relative_tolerance * std::abs(b);
    const double middle = 0.5 * (c - b);
    if (std::abs(middle) <= tolerance || fb == 0) return b;
    if (std::abs(e) >= tolerance && std::abs(fa) > std::abs(fb)) {
      double p;
      double q;
      const double s = fb / fa;
      if (a == c) {
        p = 2 * middle * s;
        q = 1 - s;
      } else {
        const double r = fb / fc;
        const double t = fa / fc;
        p = s * (2 * middle * t * (t - r) - (b - a) * (r - 1));
        q = (t - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) {
        q = -q;
      } else {
        p = -p;
      }
      if (2 * p <
          std::min(3 * middle * q - std::abs(tolerance * q), std::abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = middle;
        e = d;
      }
    } else {
      d = middle;
      e = d;
    }
    a = b;
    fa = fb;
    b += std::abs(d) > tolerance ? d : (middle > 0 ? tolerance : -tolerance);
    fb = f(b);
  }
  return b;
}

}  // namespace

std::string TestStatisticName(TestStatistic statistic) {
  switch (statistic) {
    case TestStatistic::kQ0:
      return "q0";
    case TestStatistic::kQMu:
      return "q";
    case TestStatistic::kQMuTilde:
      return "qtilde";
    case TestStatistic::kTMu:
      return "t";
    case TestStatistic::kTMuTilde:
      return "ttilde";
  }
  return "unknown";
}

TestStatistic ParseTestStatistic(const std::string& name) {
  for (TestStatistic candidate : {TestStatistic::kQ0,
                                  TestStatistic::kQMu,
                                  TestStatistic::kQMuTilde,
                                  TestStatistic::kTMu,
                                  TestStatistic::kTMuTilde}) {
    if (TestStatisticName(candidate) == name) return candidate;
  }
  throw InvalidInput("unknown test statistic \"" + name +
                     "\"; expected one of q0, q, qtilde, t, ttilde");
}

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

void SetAsymptoticCls(double q,
                      double q_asimov,
                      TestStatistic statistic,
                      HypotestResult* result) {
  const double root_q = std::sqrt(q);
  const double root_q_asimov = std::sqrt(q_asimov);
  double t = root_q - root_q_asimov;
  if (statistic == TestStatistic::kQMuTilde && !(root_q < root_q_asimov) &&
      root_q_asimov != 0.0) {
    t = (q - q_asimov) / (2.0 * root_q_asimov);
  }
  result->test_statistic_obs = q;
  result->test_statistic_asimov = q_asimov;
  result->clsb_obs = NormalCdf(-(t + root_q_asimov));
  result->clb_obs = NormalCdf(-t);
  if (statistic == TestStatistic::kQ0) {
    result->cls_obs = result->clsb_obs;
    for (int i = 0; i < 5; ++i) {
      result->cls_expected[i] = NormalCdf(-(kNSigma[i] + root_q_asimov));
    }
  } else {
    result->cls_obs = result->clsb_obs / result->clb_obs;
    for (int i = 0; i < 5; ++i) {
      result->cls_expected[i] =
          NormalCdf(-(kNSigma[i] + root_q_asimov)) / NormalCdf(-kNSigma[i]);
    }
  }
}

TestStatisticResult EvaluateTestStatistic(
    const Model& model,
    const Eigen::VectorXd& data,
    double mu,
    TestStatistic statistic,
    const std::pair<double, double>& poi_bounds,
    const FitOptions& fit_options) {
  RequirePoi(model, "test statistic " + TestStatisticName(statistic));
  RequireInside(mu, poi_bounds, model.poi_name());
  const FitOptions options = WithoutUncertainties(fit_options);
  TestStatisticResult result;
  result.global_fit = GlobalFit(model, data, poi_bounds, options, nullptr);
  result.conditional_fit =
      ConditionalFit(model, data, mu, poi_bounds, options, nullptr);
  result.value = StatisticFromFits(statistic,
                                   mu,
                                   result.global_fit,
                                   result.conditional_fit,
                                   model.poi_index());
  return result;
}

Eigen::VectorXd AsimovData(const Model& model,
                           const Eigen::VectorXd& data,
                           double asimov_mu,
                           const std::pair<double, double>& poi_bounds,
                           const FitOptions& fit_options,
                           FitResult* fit) {
  RequirePoi(model, "Asimov data");
  RequireInside(asimov_mu, poi_bounds, model.poi_name());
  FitResult conditional = ConditionalFit(model,
                                         data,
                                         asimov_mu,
                                         poi_bounds,
                                         WithoutUncertainties(fit_options),
                                         nullptr);
  Eigen::VectorXd asimov = model.ExpectedData(conditional.parameters);
  if (fit != nullptr) *fit = std::move(conditional);
  return asimov;
}

std::string HypotestOptions::Validate() const {
  std::string problems;
  auto add = [&](const std::string& problem) {
    problems += (problems.empty() ? "" : "; ") + problem;
  };
  if (test_statistic != TestStatistic::kQMuTilde &&
      test_statistic != TestStatistic::kQMu &&
      test_statistic != TestStatistic::kQ0) {
    add("test statistic must be qtilde, q or q0, not " +
        TestStatisticName(test_statistic));
  }
  if (calculator == Calculator::kToys && num_toys < 1) {
    add("ntoys must be >= 1, not " + std::to_string(num_toys));
  }
  if (poi_bounds && !(poi_bounds->first < poi_bounds->second)) {
    add("POI bounds must satisfy lower < upper");
  }
  const std::string fit_problems = fit.Validate();
  if (!fit_problems.empty()) add(fit_problems);
  return problems;
}

std::string HypotestOptions::Description() const {
  std::string text =
      "test statistic " + TestStatisticName(test_statistic) + ", " +
      (calculator == Calculator::kAsymptotics
           ? std::string("asymptotic formulae")
           : std::to_string(num_toys) + " toys, seed " + std::to_string(seed));
  if (poi_bounds) {
    text += ", POI bounds [" + std::to_string(poi_bounds->first) + ", " +
            std::to_string(poi_bounds->second) + "]";
  }
  return text + "; fit: " + fit.Description();
}

// Fits that do not depend on the tested μ, and conditional fits by μ (the
// nearest one starts the next fit).
struct Hypotester::Cache {
  std::optional<FitResult> global_data;
  std::optional<Eigen::VectorXd> asimov;
  std::optional<Eigen::VectorXd> asimov_parameters;  // where asimov was made
  std::optional<FitResult> global_asimov;
  std::map<double, Eigen::VectorXd> conditional_data;
  std::map<double, Eigen::VectorXd> conditional_asimov;

  static const Eigen::VectorXd* Nearest(
      const std::map<double, Eigen::VectorXd>& fits, double mu) {
    if (fits.empty()) return nullptr;
    auto above = fits.lower_bound(mu);
    if (above == fits.end()) return &std::prev(above)->second;
    if (above == fits.begin()) return &above->second;
    auto below = std::prev(above);
    return mu - below->first < above->first - mu ? &below->second
                                                 : &above->second;
  }
};

Hypotester::Hypotester(const Model& model,
                       Eigen::VectorXd data,
                       const HypotestOptions& options)
    : model_(model),
      data_(std::move(data)),
      options_(options),
      cache_(std::make_unique<Cache>()) {
  RequirePoi(model, "hypothesis test");
  const std::string problems = options.Validate();
  if (!problems.empty()) throw InvalidInput("hypothesis test: " + problems);
  const int expected_size = model.num_main_bins() + model.num_auxdata();
  if (data_.size() != expected_size) {
    throw InvalidInput("hypothesis test: data has " +
                       std::to_string(data_.size()) + " entries, the model " +
                       std::to_string(expected_size) +
                       " (main bins + auxdata)");
  }
  options_.fit.compute_uncertainties = false;
  poi_bounds_ = options.poi_bounds.value_or(
      std::make_pair(model.lower_bounds()(model.poi_index()),
                     model.upper_bounds()(model.poi_index())));
}

Hypotester::~Hypotester() = default;

void Hypotester::WidenUpperBound(double upper) {
  if (upper <= poi_bounds_.second) return;
  // A global fit that stopped at the old bound must be redone.
  const double old_upper = poi_bounds_.second;
  poi_bounds_.second = upper;
  const auto at_bound = [&](const std::optional<FitResult>& fit) {
    return fit && fit->parameters(model_.poi_index()) >=
                      old_upper - 1e-9 * std::max(1.0, std::abs(old_upper));
  };
  if (at_bound(cache_->global_data)) cache_->global_data.reset();
  if (at_bound(cache_->global_asimov)) cache_->global_asimov.reset();
}

HypotestResult Hypotester::Test(double poi_value) {
  const double mu =
      options_.test_statistic == TestStatistic::kQ0 ? 0.0 : poi_value;
  RequireInside(mu, poi_bounds_, model_.poi_name());
  ++num_tests_;
  return options_.calculator == Calculator::kAsymptotics ? TestAsymptotic(mu)
                                                         : TestWithToys(mu);
}

HypotestResult Hypotester::TestAsymptotic(double mu) {
  const TestStatistic statistic = options_.test_statistic;
  const int poi = model_.poi_index();
  HypotestResult result;
  result.poi_value = mu;
  auto note = [&](const FitResult& fit, const std::string& which) {
    if (!fit.other_minima.empty()) result.several_minima = true;
    if (!fit.converged) {
      result.converged = false;
      result.message +=
          (result.message.empty() ? "" : "; ") + which + ": " + fit.message;
    }
  };

  Cache& cache = *cache_;
  if (!cache.global_data) {
    cache.global_data =
        GlobalFit(model_, data_, poi_bounds_, options_.fit, nullptr);
  }
  if (!cache.asimov) {
    const double asimov_mu = statistic == TestStatistic::kQ0 ? 1.0 : 0.0;
    const FitResult fit = ConditionalFit(model_,
                                         data_,
                                         asimov_mu,
                                         poi_bounds_,
                                         options_.fit,
                                         &cache.global_data->parameters);
    note(fit, "conditional fit for the Asimov data");
    cache.asimov = model_.ExpectedData(fit.parameters);
    cache.asimov_parameters = fit.parameters;
  }
  if (!cache.global_asimov) {
    // The Asimov data are the expectation at asimov_parameters, which is
    // therefore (up to the fit tolerance) already the global maximum of
    // their likelihood: start there rather than at the model's inits.
    cache.global_asimov = GlobalFit(
        model_,
        *cache.asimov,
        poi_bounds_,
        options_.fit,
        cache.asimov_parameters ? &*cache.asimov_parameters : nullptr);
  }
  note(*cache.global_data, "global fit to data");
  note(*cache.global_asimov, "global fit to Asimov data");

  const FitResult data_fit =
      BestConditionalFit(model_,
                         data_,
                         mu,
                         poi_bounds_,
                         options_.fit,
                         Cache::Nearest(cache.conditional_data, mu),
                         cache.global_data->parameters);
  note(data_fit, "fixed-POI fit to data");
  cache.conditional_data[mu] = data_fit.parameters;
  const FitResult asimov_fit =
      BestConditionalFit(model_,
                         *cache.asimov,
                         mu,
                         poi_bounds_,
                         options_.fit,
                         Cache::Nearest(cache.conditional_asimov, mu),
                         cache.global_asimov->parameters);
  note(asimov_fit, "fixed-POI fit to Asimov data");
  cache.conditional_asimov[mu] = asimov_fit.parameters;

  const double q =
      StatisticFromFits(statistic, mu, *cache.global_data, data_fit, poi);
  const double q_asimov =
      StatisticFromFits(statistic, mu, *cache.global_asimov, asimov_fit, poi);
  SetAsymptoticCls(q, q_asimov, statistic, &result);
  result.poi_hat = cache.global_data->parameters(poi);
  return result;
}

HypotestResult Hypotester::TestWithToys(double mu) {
  const TestStatistic statistic = options_.test_statistic;
  const int poi = model_.poi_index();
  HypotestResult result;
  result.poi_value = mu;
  result.num_toys = options_.num_toys;
  int failed_toy_fits = 0;

  Cache& cache = *cache_;
  if (!cache.global_data) {
    cache.global_data =
        GlobalFit(model_, data_, poi_bounds_, options_.fit, nullptr);
  }
  const FitResult data_fit = ConditionalFit(model_,
                                            data_,
                                            mu,
                                            poi_bounds_,
                                            options_.fit,
                                            &cache.global_data->parameters);
  const double q_obs =
      StatisticFromFits(statistic, mu, *cache.global_data, data_fit, poi);
  if (!cache.global_data->converged || !data_fit.converged) {
    result.converged = false;
    result.message = "fit to the observed data did not converge";
  }
  const double background_mu = statistic == TestStatistic::kQ0 ? 1.0 : 0.0;
  const FitResult signal_pars = data_fit;
  const FitResult background_pars =
      ConditionalFit(model_,
                     data_,
                     background_mu,
                     poi_bounds_,
                     options_.fit,
                     &cache.global_data->parameters);

  RandomStream random(options_.seed);
  auto ensemble = [&](const Eigen::VectorXd& pars) {
    std::vector<double> values;
    values.reserve(options_.num_toys);
    for (int toy = 0; toy < options_.num_toys; ++toy) {
      const Eigen::VectorXd toy_data = SampleToy(model_, pars, random);
      const FitResult global =
          GlobalFit(model_, toy_data, poi_bounds_, options_.fit, &pars);
      const FitResult conditional = ConditionalFit(
          model_, toy_data, mu, poi_bounds_, options_.fit, &global.parameters);
      if (!global.converged || !conditional.converged) ++failed_toy_fits;
      values.push_back(
          StatisticFromFits(statistic, mu, global, conditional, poi));
    }
    return values;
  };
  std::vector<double> signal = ensemble(signal_pars.parameters);
  std::vector<double> background = ensemble(background_pars.parameters);
  const std::vector<double> background_in_order = background;
  std::sort(signal.begin(), signal.end());
  std::sort(background.begin(), background.end());

  auto cls_at = [&](double q, double* clsb, double* clb) {
    *clsb = TailFraction(signal, q);
    *clb = TailFraction(background, q);
    if (statistic == TestStatistic::kQ0) return *clsb;
    return *clsb / *clb;
  };
  result.test_statistic_obs = q_obs;
  result.poi_hat = cache.global_data->parameters(poi);
  result.cls_obs = cls_at(q_obs, &result.clsb_obs, &result.clb_obs);
  std::vector<double> cls_values;
  cls_values.reserve(background_in_order.size());
  for (double q : background_in_order) {
    double clsb = 0.0;
    double clb = 0.0;
    cls_values.push_back(cls_at(q, &clsb, &clb));
  }
  std::sort(cls_values.begin(), cls_values.end());
  const double percents[5] = {
      2.27501319, 15.86552539, 50.0, 84.13447461, 97.72498681};
  for (int i = 0; i < 5; ++i) {
    result.cls_expected[i] = Percentile(cls_values, percents[i]);
  }
  if (failed_toy_fits > 0) {
    result.message += (result.message.empty() ? "" : "; ") +
                      std::to_string(failed_toy_fits) +
                      " toy fits did not converge";
  }
  return result;
}

HypotestResult Hypotest(const Model& model,
                        const Eigen::VectorXd& data,
                        double poi_value,
                        const HypotestOptions& options) {
  Hypotester tester(model, data, options);
  return tester.Test(poi_value);
}

std::string UpperLimitOptions::Validate() const {
  std::string problems;
  auto add = [&](const std::string& problem) {
    problems += (problems.empty() ? "" : "; ") + problem;
  };
  if (!(level > 0 && level < 1)) add("level must lie in (0, 1)");
  if (!(relative_tolerance > 0)) add("relative tolerance must be > 0");
  if (!scan.empty() && scan.size() < 2) add("a scan needs >= 2 POI values");
  for (std::size_t i = 1; i < scan.size(); ++i) {
    if (!(scan[i] > scan[i - 1])) {
      add("scan POI values must increase");
      break;
    }
  }
  if (hypotest.test_statistic == TestStatistic::kQ0) {
    add("upper limits need the q or qtilde test statistic, not q0");
  }
  const std::string hypotest_problems = hypotest.Validate();
  if (!hypotest_problems.empty()) add(hypotest_problems);
  return problems;
}

std::string UpperLimitOptions::Description() const {
  return "CLs level " + std::to_string(level) +
         (scan.empty() ? ", bracketing and Brent root finding"
                       : ", linear interpolation on " +
                             std::to_string(scan.size()) + " scan points") +
         "; " + hypotest.Description();
}

UpperLimitResult UpperLimit(const Model& model,
                            const Eigen::VectorXd& data,
                            const UpperLimitOptions& options) {
  RequirePoi(model, "upper limit");
  const std::string problems = options.Validate();
  if (!problems.empty()) throw InvalidInput("upper limit: " + problems);
  Hypotester tester(model, data, options.hypotest);
  const double level = options.level;
  UpperLimitResult result;
  std::map<double, HypotestResult> cache;
  auto test = [&](double mu) -> const HypotestResult& {
    auto found = cache.find(mu);
    if (found == cache.end()) {
      if (mu > tester.poi_bounds().second) {
        tester.WidenUpperBound(mu);
        result.poi_bounds_widened = true;
      }
      found = cache.emplace(mu, tester.Test(mu)).first;
      if (found->second.several_minima) result.several_minima = true;
      if (!found->second.converged) {
        result.converged = false;
        if (result.message.empty()) {
          result.message =
              "at mu = " + std::to_string(mu) + ": " + found->second.message;
        }
      }
    }
    return found->second;
  };
  // curve 0: observed; 1..5: expected band entries.
  auto value = [&](const HypotestResult& r, int curve) {
    return (curve == 0 ? r.cls_obs : r.cls_expected[curve - 1]) - level;
  };

  if (!options.scan.empty()) {
    // pyhf's linear_grid_scan: numpy.interp(level, CLs[::-1], scan[::-1]).
    for (double mu : options.scan) {
      if (mu > tester.poi_bounds().second) {
        tester.WidenUpperBound(mu);
        result.poi_bounds_widened = true;
      }
      test(mu);
    }
    for (int curve = 0; curve < 6; ++curve) {
      std::vector<double> xs;
      std::vector<double> ys;
      for (auto it = options.scan.rbegin(); it != options.scan.rend(); ++it) {
        xs.push_back(value(cache.at(*it), curve) + level);
        ys.push_back(*it);
      }
      double limit;
      if (level <= xs.front()) {
        limit = ys.front();
      } else if (level >= xs.back()) {
        limit = ys.back();
      } else {
        std::size_t i = 0;
        while (i + 2 < xs.size() && xs[i + 1] < level) ++i;
        limit =
            ys[i] + (ys[i + 1] - ys[i]) * (level - xs[i]) / (xs[i + 1] - xs[i]);
      }
      (curve == 0 ? result.observed : result.expected[curve - 1]) = limit;
    }
  } else {
    // pyhf's toms748_scan: widen [lo, hi] until every curve is bracketed,
    // then find each root from the tightest cached bracket.
    double lower = tester.poi_bounds().first;
    double upper = tester.poi_bounds().second;
    auto any = [&](double mu, bool below) {
      const HypotestResult& r = test(mu);
      for (int curve = 0; curve < 6; ++curve) {
        const double v = value(r, curve);
        if (below ? v < 0 : v > 0) return true;
      }
      return false;
    };
    for (int i = 0; i < 60 && any(lower, true); ++i) lower /= 2;
    for (int i = 0; i < 60 && any(upper, false); ++i) upper *= 2;
    if (any(upper, false)) {
      // CLs never reaches the level (e.g. a POI without effect): there is
      // no limit, whatever the root finder returns below.
      result.converged = false;
      result.message = "CLs stays above the level " + std::to_string(level) +
                       " up to " + model.poi_name() + " = " +
                       std::to_string(upper) + "; no limit" +
                       (result.message.empty() ? "" : "; " + result.message);
    }
    for (int curve = 0; curve < 6; ++curve) {
      double a = lower;
      double b = upper;
      if (curve > 0) {
        double best_positive = std::numeric_limits<double>::infinity();
        double best_negative = -std::numeric_limits<double>::infinity();
        for (const auto& [mu, r] : cache) {
          const double v = value(r, curve);
          if (v >= 0 && v < best_positive) {
            best_positive = v;
            a = mu;
          } else if (v < 0 && v > best_negative) {
            best_negative = v;
            b = mu;
          }
        }
      }
      const double limit =
          FindRoot([&](double mu) { return value(test(mu), curve); },
                   a,
                   b,
                   value(test(a), curve),
                   value(test(b), curve),
                   options.relative_tolerance);
      (curve == 0 ? result.observed : result.expected[curve - 1]) = limit;
    }
  }
  result.poi_bounds_used = tester.poi_bounds();
  result.num_hypotests = static_cast<int>(cache.size());
  for (auto& [mu, r] : cache) result.tests.push_back(std::move(r));
  return result;
}

}  // namespace goldmine::inference
