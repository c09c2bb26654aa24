// Frequentist hypothesis tests and upper limits on the parameter of interest
// μ of a HistFactory Model, exactly as pyhf computes them
// (docs/HISTFACTORY.md §8–§12; Cowan, Cranmer, Gross, Vitells,
// arXiv:1007.1727, "CCGV").
//
// Test statistics, with 2NLL the twice_nll of the model, θ̂ the global fit and
// θ̂̂(μ) the fit with the POI fixed at μ:
//   t_μ  = max(2NLL(θ̂̂(μ)) − 2NLL(θ̂), 0)                 (CCGV eq. 8)
//   q_μ  = 0 if μ̂ > μ, else t_μ                            (CCGV eq. 14)
//   q_0  = 0 if μ̂ < 0, else t_0                            (CCGV eq. 12)
// The "tilde" variants t̃_μ, q̃_μ are the same formulas with the POI bounded
// below by 0 (pyhf never implements CCGV eq. 10/16 otherwise); which bounds
// apply is the caller's choice through HypotestOptions::poi_bounds.
//
// Asymptotic CLs (CCGV §3.8): with q_A the test statistic on the Asimov data
// of μ_A (0 for q, q̃; 1 for q0) built from the conditional fit to the
// observed data with its fitted global observables,
//   t = √q − √q_A, or (q − q_A)/(2√q_A) for q̃ when √q > √q_A > 0,
//   CLs+b = Φ(−(t + √q_A)), CLb = Φ(−t), CLs = CLs+b / CLb,
//   CLs_exp[N] = Φ(−(N + √q_A)) / Φ(−N)   for N = 2, 1, 0, −1, −2.
// Toy-based CLs draw main and auxiliary data from the conditional fits at μ
// (s+b) and at 0 (b), with a seeded goldmine::RandomStream.
#pragma once

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/inference/fit.h"
#include "goldmine/inference/model.h"

namespace goldmine::inference {

enum class TestStatistic { kQ0, kQMu, kQMuTilde, kTMu, kTMuTilde };

// "q0", "q", "qtilde", "t", "ttilde" (pyhf's names).
std::string TestStatisticName(TestStatistic statistic);
// Inverse of TestStatisticName; throws InvalidInput for other names.
TestStatistic ParseTestStatistic(const std::string& name);

enum class Calculator { kAsymptotics, kToys };

// Standard normal cumulative distribution Φ(x), accurate in both tails.
double NormalCdf(double x);

// A test statistic together with the two fits it is made of.
struct TestStatisticResult {
  double value = 0.0;
  FitResult global_fit;       // free POI
  FitResult conditional_fit;  // POI fixed at μ
  bool converged() const {
    return global_fit.converged && conditional_fit.converged;
  }
};

// Evaluates `statistic` at POI value `mu` on `data` with the given POI
// bounds (the model's other bounds, inits and fixed flags are used as
// suggested). Throws InvalidInput for a model without POI or μ outside the
// bounds.
TestStatisticResult EvaluateTestStatistic(
    const Model& model,
    const Eigen::VectorXd& data,
    double mu,
    TestStatistic statistic,
    const std::pair<double, double>& poi_bounds,
    const FitOptions& fit_options = {});

// The Asimov data of μ_A: the model's expectation (main bins and auxiliary
// data) at the conditional fit θ̂̂(μ_A) to `data` (pyhf's
// generate_asimov_data). Fills *fit with that fit when not null.
Eigen::VectorXd AsimovData(const Model& model,
                           const Eigen::VectorXd& data,
                           double asimov_mu,
                           const std::pair<double, double>& poi_bounds,
                           const FitOptions& fit_options = {},
                           FitResult* fit = nullptr);

struct HypotestOptions {
  // kQMuTilde (default), kQMu or kQ0 as in pyhf.infer.hypotest.
  TestStatistic test_statistic = TestStatistic::kQMuTilde;
  Calculator calculator = Calculator::kAsymptotics;
  int num_toys = 2000;
  std::uint64_t seed = 0;
  // POI bounds; unset: the model's suggested bounds.
  std::optional<std::pair<double, double>> poi_bounds;
  FitOptions fit;

  // Lists every problem at once; empty when the options are usable.
  std::string Validate() const;
  std::string Description() const;
};

// Result of one hypothesis test. For q0 (discovery) `cls_obs` and
// `cls_expected` hold p0 and its expected band, as pyhf's hypotest returns
// them; clsb_obs = p0 and clb_obs = CLb.
struct HypotestResult {
  double poi_value = 0.0;
  double cls_obs = 0.0;
  double clsb_obs = 0.0;
  double clb_obs = 0.0;
  // Order N = 2, 1, 0, −1, −2: element 0 is the "−2σ" edge of the band
  // (smallest CLs), element 2 the median, element 4 the "+2σ" edge.
  std::array<double, 5> cls_expected{};
  double test_statistic_obs = 0.0;
  double test_statistic_asimov = 0.0;  // asymptotics only
  double poi_hat = 0.0;                // global fit to the observed data
  int num_toys = 0;                    // toys only
  bool converged = true;               // every fit converged
  std::string message;                 // which fit failed, if any
  // Some fit found several distinct minima (the lowest is used; fit.h).
  bool several_minima = false;
};

// The asymptotic CLs of the formulas above from the two test statistics q
// and q_A: fills test_statistic_obs, test_statistic_asimov, clsb_obs,
// clb_obs, cls_obs and cls_expected of *result (the rest is left alone).
// Shared by Hypotester and the likelihood surrogates, which obtain q and q_A
// without fits (likelihood_surrogate.h).
void SetAsymptoticCls(double q,
                      double q_asimov,
                      TestStatistic statistic,
                      HypotestResult* result);

// Hypothesis tests of one model and data set at several POI values. Caches
// the fits that do not depend on μ (the global fits, the Asimov data), so
// that a scan costs two fits per point. Not thread-safe.
class Hypotester {
 public:
  // Throws InvalidInput for a model without POI, invalid options or data of
  // the wrong size.
  Hypotester(const Model& model,
             Eigen::VectorXd data,
             const HypotestOptions& options = {});
  ~Hypotester();
  Hypotester(const Hypotester&) = delete;
  Hypotester& operator=(const Hypotester&) = delete;

  // Throws InvalidInput when μ lies outside the POI bounds.
  HypotestResult Test(double poi_value);
  // Raises the POI's upper bound (never lowers it); later tests may then
  // use POI values up to `upper`.
  void WidenUpperBound(double upper);

  const std::pair<double, double>& poi_bounds() const { return poi_bounds_; }
  int num_tests() const { return num_tests_; }

 private:
  struct Cache;
  HypotestResult TestAsymptotic(double poi_value);
  HypotestResult TestWithToys(double poi_value);

  const Model& model_;
  Eigen::VectorXd data_;
  HypotestOptions options_;
  std::pair<double, double> poi_bounds_;
  std::unique_ptr<Cache> cache_;
  int num_tests_ = 0;
};

// pyhf.infer.hypotest: a single test at `poi_value`.
HypotestResult Hypotest(const Model& model,
                        const Eigen::VectorXd& data,
                        double poi_value,
                        const HypotestOptions& options = {});

struct UpperLimitOptions {
  double level = 0.05;  // CLs level: 0.05 for 95% CL
  // Relative tolerance of each limit (pyhf: TOMS748 rtol 1e-4).
  double relative_tolerance = 1e-6;
  // Empty: bracket and root finding (pyhf's toms748_scan). Otherwise the
  // grid of POI values of pyhf's linear_grid_scan: the limits are linear
  // interpolations of CLs on the grid (no extrapolation).
  std::vector<double> scan;
  HypotestOptions hypotest;

  std::string Validate() const;
  std::string Description() const;
};

struct UpperLimitResult {
  double observed = 0.0;
  // −2σ, −1σ, median, +1σ, +2σ (the order of cls_expected).
  std::array<double, 5> expected{};
  std::pair<double, double> poi_bounds_used;
  // The POI's upper bound had to be raised to bracket a limit.
  bool poi_bounds_widened = false;
  int num_hypotests = 0;
  // Every hypothesis test made, in order of POI value.
  std::vector<HypotestResult> tests;
  // Every fit converged and every limit was bracketed (CLs reaches the
  // level below the widened POI bound).
  bool converged = true;
  std::string message;
  bool several_minima = false;  // some fit found several minima
};

// CLs upper limits on the POI, observed and expected band. When a limit lies
// above the POI's upper bound the bound is doubled until it is bracketed
// (pyhf raises instead). Throws InvalidInput for a model without POI or
// invalid options.
UpperLimitResult UpperLimit(const Model& model,
                            const Eigen::VectorXd& data,
                            const UpperLimitOptions& options = {});

}  // namespace goldmine::inference
