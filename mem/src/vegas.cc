#include "goldmine/mem/vegas.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"

namespace goldmine::mem {
namespace {

// One axis of the separable grid: bins + 1 increasing edges from 0 to 1.
class Axis {
 public:
  explicit Axis(int bins) : edges_(static_cast<std::size_t>(bins) + 1) {
    for (int i = 0; i <= bins; ++i)
      edges_[static_cast<std::size_t>(i)] = static_cast<double>(i) / bins;
  }

  int bins() const { return static_cast<int>(edges_.size()) - 1; }

  // Maps y ∈ [0, 1) to the grid: returns the bin and multiplies `jacobian`
  // by the grid density's inverse, bins · width.
  int Map(double y, double* u, double* jacobian) const {
    const double position = y * bins();
    const int bin = std::min(static_cast<int>(position), bins() - 1);
    const double lower = edges_[static_cast<std::size_t>(bin)];
    const double width = edges_[static_cast<std::size_t>(bin) + 1] - lower;
    *u = lower + width * (position - bin);
    *jacobian *= bins() * width;
    return bin;
  }

  // Lepage's refinement from the per-bin sums d_i of (guide · Jacobian)².
  void Refine(const std::vector<double>& d, double damping) {
    const int n = bins();
    std::vector<double> smooth(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      const auto at = [&](int k) { return d[static_cast<std::size_t>(k)]; };
      if (n == 1) {
        smooth[0] = at(0);
      } else if (i == 0) {
        smooth[0] = (at(0) + at(1)) / 2.0;
      } else if (i == n - 1) {
        smooth[static_cast<std::size_t>(i)] = (at(i - 1) + at(i)) / 2.0;
      } else {
        smooth[static_cast<std::size_t>(i)] =
            (at(i - 1) + at(i) + at(i + 1)) / 3.0;
      }
    }
    double total = 0.0;
    for (double value : smooth) total += value;
    if (!(total > 0.0) || !std::isfinite(total)) return;
    std::vector<double> importance(static_cast<std::size_t>(n), 0.0);
    double sum = 0.0;
    for (int i = 0; i < n; ++i) {
      const double share = smooth[static_cast<std::size_t>(i)] / total;
      double r = 0.0;
      if (share >= 1.0) {
        r = 1.0;
      } else if (share > 0.0) {
        r = std::pow((share - 1.0) / std::log(share), damping);
      }
      importance[static_cast<std::size_t>(i)] = r;
      sum += r;
    }
    if (!(sum > 0.0)) return;
    const double per_bin = sum / n;
    std::vector<double> edges(edges_.size());
    edges.front() = 0.0;
    edges.back() = 1.0;
    int old = 0;
    double accumulated = 0.0;
    for (int i = 1; i < n; ++i) {
      const double target = per_bin * i;
      while (old < n - 1 &&
             accumulated + importance[static_cast<std::size_t>(old)] < target) {
        accumulated += importance[static_cast<std::size_t>(old)];
        ++old;
      }
      const double r = importance[static_cast<std::size_t>(old)];
      const double fraction =
          r > 0.0 ? std::clamp((target - accumulated) / r, 0.0, 1.0) : 0.0;
      const double lower = edges_[static_cast<std::size_t>(old)];
      const double upper = edges_[static_cast<std::size_t>(old) + 1];
      edges[static_cast<std::size_t>(i)] = lower + fraction * (upper - lower);
    }
    // Rounding may leave equal neighbours; the map needs increasing edges.
    for (int i = 1; i <= n; ++i) {
      if (!(edges[static_cast<std::size_t>(i)] >
            edges[static_cast<std::size_t>(i) - 1])) {
        return;
      }
    }
    edges_ = std::move(edges);
  }

 private:
  std::vector<double> edges_;
};

struct Iteration {
  Eigen::VectorXd mean;
  Eigen::VectorXd variance;  // of the mean
};

}  // namespace

void VegasSettings::Validate() const {
  auto fail = [](const std::string& what) {
    throw InvalidInput("VEGAS settings: " + what);
  };
  if (bins < 1 || bins > 100000) fail("bins must be in [1, 100000]");
  if (calls_per_iteration < 2) fail("calls_per_iteration must be >= 2");
  if (warmup_iterations < 0) fail("warmup_iterations must be >= 0");
  if (min_iterations < 1) fail("min_iterations must be >= 1");
  if (max_iterations < min_iterations)
    fail("max_iterations must be >= min_iterations");
  if (!(relative_precision > 0.0) || !std::isfinite(relative_precision))
    fail("relative_precision must be > 0");
  if (!(damping > 0.0) || !std::isfinite(damping)) fail("damping must be > 0");
}

VegasResult IntegrateVegas(const VectorIntegrand& f,
                           int dimension,
                           int num_outputs,
                           const VegasSettings& settings,
                           RandomStream& random) {
  settings.Validate();
  if (dimension < 1) throw InvalidInput("VEGAS: dimension must be >= 1");
  if (num_outputs < 1) throw InvalidInput("VEGAS: num_outputs must be >= 1");
  const auto d = static_cast<std::size_t>(dimension);
  const auto k = static_cast<Eigen::Index>(num_outputs);
  std::vector<Axis> axes(d, Axis(settings.bins));
  std::vector<std::vector<double>> squares(
      d, std::vector<double>(static_cast<std::size_t>(settings.bins)));
  std::vector<double> u(d);
  std::vector<int> bin(d);
  Eigen::VectorXd out(k);
  Eigen::VectorXd scale = Eigen::VectorXd::Ones(k);

  VegasResult result;
  std::vector<Iteration> combined;
  const int total_iterations =
      settings.warmup_iterations + settings.max_iterations;
  const double n = static_cast<double>(settings.calls_per_iteration);
  for (int iteration = 0; iteration < total_iterations; ++iteration) {
    for (auto& axis_squares : squares)
      std::fill(axis_squares.begin(), axis_squares.end(), 0.0);
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(k);
    Eigen::VectorXd sum_squares = Eigen::VectorXd::Zero(k);
    Eigen::VectorXd sum_abs = Eigen::VectorXd::Zero(k);
    for (std::int64_t call = 0; call < settings.calls_per_iteration; ++call) {
      double jacobian = 1.0;
      for (std::size_t j = 0; j < d; ++j)
        bin[j] = axes[j].Map(random.Uniform(), &u[j], &jacobian);
      out.setZero();
      f(u.data(), out.data());
      out *= jacobian;
      double guide = 0.0;
      for (Eigen::Index c = 0; c < k; ++c) {
        const double value = std::isfinite(out(c)) ? out(c) : 0.0;
        out(c) = value;
        if (scale(c) > 0.0) guide += std::abs(value) / scale(c);
      }
      sum += out;
      sum_squares += out.cwiseAbs2();
      sum_abs += out.cwiseAbs();
      for (std::size_t j = 0; j < d; ++j)
        squares[j][static_cast<std::size_t>(bin[j])] += guide * guide;
    }
    result.calls += settings.calls_per_iteration;
    Iteration measured;
    measured.mean = sum / n;
    measured.variance =
        ((sum_squares / n - measured.mean.cwiseAbs2()) / (n - 1.0))
            .cwiseMax(0.0);
    for (Eigen::Index c = 0; c < k; ++c) {
      const double mean_abs = sum_abs(c) / n;
      scale(c) = mean_abs > 0.0 ? mean_abs : 0.0;
    }
    if (scale.maxCoeff() <= 0.0) scale.setOnes();
    for (std::size_t j = 0; j < d; ++j)
      axes[j].Refine(squares[j], settings.damping);
    if (iteration < settings.warmup_iterations) continue;
    combined.push_back(std::move(measured));

    // Inverse-variance weights of the first output, shared by all.
    bool all_exact = true;
    for (const Iteration& it : combined)
      all_exact = all_exact && it.variance(0) <= 0.0;
    double weight_sum = 0.0;
    Eigen::VectorXd value = Eigen::VectorXd::Zero(k);
    Eigen::VectorXd variance = Eigen::VectorXd::Zero(k);
    std::vector<double> weights;
    for (const Iteration& it : combined) {
      const double w = all_exact              ? 1.0
                       : it.variance(0) > 0.0 ? 1.0 / it.variance(0)
                                              : 0.0;
      weights.push_back(w);
      weight_sum += w;
    }
    for (std::size_t i = 0; i < combined.size(); ++i) {
      value += weights[i] * combined[i].mean;
      variance += weights[i] * weights[i] * combined[i].variance;
    }
    value /= weight_sum;
    variance /= weight_sum * weight_sum;
    result.value = value;
    result.error = variance.cwiseSqrt();
    result.iterations = static_cast<int>(combined.size());
    double chi2 = 0.0;
    for (const Iteration& it : combined) {
      if (it.variance(0) > 0.0)
        chi2 += std::pow(it.mean(0) - value(0), 2) / it.variance(0);
    }
    result.chi2_per_dof = combined.size() > 1
                              ? chi2 / static_cast<double>(combined.size() - 1)
                              : 0.0;
    const double first = std::abs(value(0));
    result.converged = result.error(0) <= settings.relative_precision * first;
    if (result.converged && result.iterations >= settings.min_iterations) break;
  }
  return result;
}

}  // namespace goldmine::mem
