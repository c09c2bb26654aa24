#include "goldmine/mining/fisher_information.h"

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "goldmine/core/errors.h"
#include "goldmine/core/parallel_for.h"
#include "goldmine/mining/augmenter.h"
#include "goldmine/mining/expression.h"
#include "goldmine/mining/fisher_uncertainty.h"
#include "goldmine/mining/histogram_bins.h"
#include "weighted_events.h"

namespace goldmine::mining {
namespace {

// Events per unit of work of FisherOptions::threads: the sums of each chunk
// are added in order, so the numbers do not depend on the thread count.
constexpr Eigen::Index kEventChunk = 4096;

// Accumulates I and its covariance over bins given by benchmark weights W
// and their uncertainties U (MADMINER.md §7).
class Accumulator {
 public:
  Accumulator(const std::filesystem::path& events_file,
              const WeightedEvents& events,
              const Eigen::VectorXd& theta,
              bool nuisance,
              double luminosity,
              bool madminer_sign)
      : events_file_(events_file),
        events_(events),
        theta_(theta),
        c_(events.Coefficients(theta)),
        g_(events.CoefficientGradients(theta)),
        p_(events.num_parameters()),
        k_(nuisance ? events.num_nuisance() : 0),
        luminosity_(luminosity),
        sign_(madminer_sign ? 1.0 : -1.0),
        information_(Eigen::MatrixXd::Zero(p_ + k_, p_ + k_)),
        covariance_(static_cast<std::size_t>((p_ + k_) * (p_ + k_)),
                    Eigen::MatrixXd::Zero(p_ + k_, p_ + k_)) {
    if (p_ + k_ <= kMaxMcCovarianceParameters) {
      const int m = (p_ + k_) * (p_ + k_ + 1) / 2;
      packed_squares_ = Eigen::MatrixXd::Zero(m, m);
    }
  }

  // Rows of `weights` are bins; `uncertainties` the same shape.
  void Add(const Eigen::MatrixXd& weights,
           const Eigen::MatrixXd& uncertainties) {
    const Eigen::VectorXd sigma = weights * c_;
    total_ += sigma.sum();
    const Eigen::MatrixXd dsigma = weights * g_.transpose();  // bins × P
    const Eigen::VectorXd sigma_u = uncertainties * c_;
    const Eigen::MatrixXd dsigma_u = uncertainties * g_.transpose();
    Eigen::MatrixXd a;
    Eigen::MatrixXd b;
    if (k_ > 0) events_.Nuisance(weights, &a, &b);
    const int n = p_ + k_;
    Eigen::MatrixXd v(p_, p_);
    for (Eigen::Index bin = 0; bin < weights.rows(); ++bin) {
      const double s = sigma(bin);
      if (s == 0.0 || !std::isfinite(1.0 / s)) continue;
      const Eigen::VectorXd d = dsigma.row(bin).transpose();
      const Eigen::MatrixXd f = k_ > 0
                                    ? Contribution(s, d, a.row(bin).transpose())
                                    : Contribution(s, d, Eigen::VectorXd());
      information_ += f;
      // For the truth information a bin is one event: f is its exact
      // contribution (fisher_uncertainty.h).
      squares_ += f.cwiseAbs2();
      if (packed_squares_.size() != 0) {
        const Eigen::VectorXd packed = PackUpper(f);
        packed_squares_.noalias() += packed * packed.transpose();
      }
      largest_ = largest_.cwiseMax(f.diagonal());
      // (J U)_ij = L [(G U)_i d_j/σ + (G U)_j d_i/σ ± (c·U) d_i d_j/σ²].
      const Eigen::VectorXd du = dsigma_u.row(bin).transpose();
      v.noalias() =
          (luminosity_ / s) * (du * d.transpose() + d * du.transpose());
      v.noalias() +=
          (sign_ * luminosity_ * sigma_u(bin) / (s * s)) * d * d.transpose();
      for (int i = 0; i < p_; ++i) {
        for (int j = 0; j < p_; ++j) {
          covariance_[static_cast<std::size_t>(i * n + j)]
              .topLeftCorner(p_, p_)
              .noalias() += v(i, j) * v;
        }
      }
    }
  }

  // An accumulator with the same θ and settings and nothing added (for a
  // chunk of events, merged back in order with Merge).
  Accumulator Empty() const {
    Accumulator empty = *this;
    empty.information_.setZero();
    for (Eigen::MatrixXd& block : empty.covariance_) block.setZero();
    empty.total_ = 0.0;
    empty.squares_.setZero();
    empty.packed_squares_.setZero();
    empty.largest_.setZero();
    empty.weight_sum_ = 0.0;
    empty.weight_squares_ = 0.0;
    return empty;
  }

  // Adds what `other` (an Empty() copy) accumulated.
  void Merge(const Accumulator& other) {
    information_ += other.information_;
    for (std::size_t i = 0; i < covariance_.size(); ++i)
      covariance_[i] += other.covariance_[i];
    total_ += other.total_;
    squares_ += other.squares_;
    packed_squares_ += other.packed_squares_;
    largest_ = largest_.cwiseMax(other.largest_);
    weight_sum_ += other.weight_sum_;
    weight_squares_ += other.weight_squares_;
  }

  // Weights at θ of kept events (benchmark weights, rows), for n_eff.
  void CountEvents(const Eigen::MatrixXd& weights) {
    const Eigen::VectorXd at_theta = weights * c_;
    weight_sum_ += at_theta.sum();
    weight_squares_ += at_theta.squaredNorm();
  }

  // Standard error when every bin added was one event (truth information).
  Eigen::MatrixXd EventStandardError() const {
    return ContributionStandardError(
        information_, squares_, events_.num_events());
  }

  // Its covariance (empty above kMaxMcCovarianceParameters).
  Eigen::MatrixXd EventCovariance() const {
    if (packed_squares_.size() == 0) return Eigen::MatrixXd();
    return ContributionCovariance(
        information_, packed_squares_, events_.num_events());
  }

  // Share of each diagonal element held by the largest bin (event).
  Eigen::VectorXd LargestFraction() const {
    Eigen::VectorXd fraction = Eigen::VectorXd::Zero(largest_.size());
    for (Eigen::Index i = 0; i < fraction.size(); ++i) {
      if (information_(i, i) > 0.0) {
        fraction(i) = largest_(i) / information_(i, i);
      }
    }
    return fraction;
  }

  // Standard error of binned information from the bins' benchmark weights
  // W_b (rows of `sums`) and second moments C_b = Σ_e∈b w_e w_eᵀ: y_e =
  // J_b · w_e with J_b = ∂F_b/∂W_b by central differences of the bin term F_b
  // (which also covers the nuisance block), Σ_e∈b y_e² = J_bᵀ C_b J_b.
  // Keeps the diagonal rows of J_b for AddEventShare, and the covariance of
  // all elements, Σ_b P_b C_b P_bᵀ with P_b = PackUpper of each ∂F_b/∂W_bk,
  // for BinnedCovariance.
  Eigen::MatrixXd BinnedStandardError(
      const Eigen::MatrixXd& sums,
      const std::vector<Eigen::MatrixXd>& second_moments) {
    const int n = p_ + k_;
    const auto b = sums.cols();
    Eigen::MatrixXd squares = Eigen::MatrixXd::Zero(n, n);
    std::vector<Eigen::MatrixXd> gradient(static_cast<std::size_t>(b));
    diagonal_gradients_.assign(static_cast<std::size_t>(sums.rows()),
                               Eigen::MatrixXd());
    largest_.setZero();  // per event from now on (AddEventShare)
    const bool covariance = n <= kMaxMcCovarianceParameters;
    const int m = n * (n + 1) / 2;
    Eigen::MatrixXd packed_squares =
        covariance ? Eigen::MatrixXd::Zero(m, m) : Eigen::MatrixXd();
    Eigen::MatrixXd packed_gradient(m, b);
    for (Eigen::Index bin = 0; bin < sums.rows(); ++bin) {
      const Eigen::RowVectorXd w = sums.row(bin);
      const double step = 1e-4 * w.cwiseAbs().maxCoeff();
      if (!(step > 0.0)) continue;
      for (Eigen::Index k = 0; k < b; ++k) {
        Eigen::RowVectorXd up = w;
        Eigen::RowVectorXd down = w;
        up(k) += step;
        down(k) -= step;
        gradient[static_cast<std::size_t>(k)] =
            (BinInformation(up) - BinInformation(down)) / (2.0 * step);
      }
      Eigen::MatrixXd& diagonal =
          diagonal_gradients_[static_cast<std::size_t>(bin)];
      diagonal.resize(n, b);
      for (Eigen::Index k = 0; k < b; ++k) {
        diagonal.col(k) = gradient[static_cast<std::size_t>(k)].diagonal();
      }
      const Eigen::MatrixXd& c = second_moments[static_cast<std::size_t>(bin)];
      Eigen::VectorXd j(b);
      for (int row = 0; row < n; ++row) {
        for (int col = 0; col < n; ++col) {
          for (Eigen::Index k = 0; k < b; ++k) {
            j(k) = gradient[static_cast<std::size_t>(k)](row, col);
          }
          squares(row, col) += j.dot(c * j);
        }
      }
      if (covariance) {
        for (Eigen::Index k = 0; k < b; ++k) {
          packed_gradient.col(k) =
              PackUpper(gradient[static_cast<std::size_t>(k)]);
        }
        packed_squares.noalias() +=
            packed_gradient * c * packed_gradient.transpose();
      }
    }
    binned_covariance_ =
        covariance ? ContributionCovariance(
                         information_, packed_squares, events_.num_events())
                   : Eigen::MatrixXd();
    return ContributionStandardError(
        information_, squares, events_.num_events());
  }

  // After BinnedStandardError: the covariance of the elements.
  const Eigen::MatrixXd& BinnedCovariance() const { return binned_covariance_; }

  // After BinnedStandardError, per event of bin `bin` with benchmark
  // weights w: its linearised share |(J_b)_ii · w| of each diagonal element.
  void AddEventShare(Eigen::Index bin, const Eigen::RowVectorXd& w) {
    const Eigen::MatrixXd& diagonal =
        diagonal_gradients_[static_cast<std::size_t>(bin)];
    if (diagonal.size() == 0) return;
    largest_ = largest_.cwiseMax((diagonal * w.transpose()).cwiseAbs());
  }

  // Throws InvalidInput when σ(θ) of the kept events is not positive (no
  // events, zero weights, or cuts removing everything): the information
  // per unit cross section is then undefined.
  FisherResult Result() const {
    if (!(total_ > 0.0)) {
      // Shortest form: θ = 1e200 once printed 200 digits.
      std::ostringstream message;
      message << events_file_.string() << ": cross section at theta (";
      for (Eigen::Index i = 0; i < theta_.size(); ++i)
        message << (i > 0 ? ", " : "") << theta_(i);
      message << ") is " << total_
              << " pb after cuts and efficiencies; the Fisher information "
                 "needs events with positive weight";
      throw InvalidInput(message.str());
    }
    FisherResult result;
    result.information = information_;
    result.covariance = covariance_;
    result.effective_number_of_events =
        weight_squares_ > 0.0 ? weight_sum_ * weight_sum_ / weight_squares_
                              : 0.0;
    result.expected_number_of_events = luminosity_ * total_;
    result.parameters = events_.parameter_names();
    if (k_ > 0) {
      for (const std::string& name : events_.nuisance_names()) {
        result.parameters.push_back(name);
      }
    }
    return result;
  }

 private:
  // The term of one bin with cross section s and gradient d (and nuisance
  // coefficients a when k_ > 0): n × n.
  Eigen::MatrixXd Contribution(double s,
                               const Eigen::VectorXd& d,
                               const Eigen::VectorXd& a) const {
    const int n = p_ + k_;
    Eigen::MatrixXd f = Eigen::MatrixXd::Zero(n, n);
    f.topLeftCorner(p_, p_).noalias() = (luminosity_ / s) * d * d.transpose();
    if (k_ > 0) {
      f.bottomRightCorner(k_, k_).noalias() =
          luminosity_ * s * a * a.transpose();
      f.topRightCorner(p_, k_).noalias() = luminosity_ * d * a.transpose();
      f.bottomLeftCorner(k_, p_) = f.topRightCorner(p_, k_).transpose();
    }
    return f;
  }

  // The term of a bin with benchmark weights w (zero when σ_b = 0).
  Eigen::MatrixXd BinInformation(const Eigen::RowVectorXd& w) const {
    const double s = w.dot(c_);
    if (s == 0.0 || !std::isfinite(1.0 / s)) {
      return Eigen::MatrixXd::Zero(p_ + k_, p_ + k_);
    }
    const Eigen::VectorXd d = g_ * w.transpose();
    if (k_ == 0) return Contribution(s, d, Eigen::VectorXd());
    Eigen::MatrixXd a;
    Eigen::MatrixXd b;
    events_.Nuisance(Eigen::MatrixXd(w), &a, &b);
    return Contribution(s, d, a.row(0).transpose());
  }

  const std::filesystem::path& events_file_;
  const WeightedEvents& events_;
  Eigen::VectorXd theta_;
  Eigen::VectorXd c_;
  Eigen::MatrixXd g_;
  int p_;
  int k_;
  double luminosity_;
  double sign_;
  Eigen::MatrixXd information_;
  std::vector<Eigen::MatrixXd> covariance_;
  double total_ = 0.0;  // Σ σ over the bins added
  Eigen::MatrixXd squares_ = Eigen::MatrixXd::Zero(p_ + k_, p_ + k_);
  // Σ PackUpper(f) PackUpper(f)ᵀ over the bins added (empty above
  // kMaxMcCovarianceParameters), and the binned covariance.
  Eigen::MatrixXd packed_squares_;
  Eigen::MatrixXd binned_covariance_;
  // Largest share of a diagonal element of one bin (Add), then of one
  // event (AddEventShare, binned information).
  Eigen::VectorXd largest_ = Eigen::VectorXd::Zero(p_ + k_);
  std::vector<Eigen::MatrixXd> diagonal_gradients_;  // per bin, n × B
  double weight_sum_ = 0.0;
  double weight_squares_ = 0.0;
};

}  // namespace

struct FisherInformation::Impl {
  std::filesystem::path events_file;
  FisherOptions options;
  WeightedEvents events;
  std::vector<Expression> cuts;
  std::vector<Expression> efficiencies;

  Impl(const std::filesystem::path& path, FisherOptions opts)
      : events_file(path),
        options(std::move(opts)),
        events(path, options.batch_size) {
    if (!events.has_morphing()) {
      throw InvalidInput(path.string() +
                         ": Fisher information needs a morphing setup "
                         "(morphing/ group)");
    }
    GOLDMINE_REQUIRE(options.luminosity > 0.0,
                     "luminosity must be positive, got " +
                         std::to_string(options.luminosity));
    const std::vector<std::string> names = events.observable_names();
    for (std::size_t i = 0; i < options.cuts.size(); ++i) {
      cuts.emplace_back(options.cuts[i], names, "cut " + std::to_string(i));
    }
    for (std::size_t i = 0; i < options.efficiencies.size(); ++i) {
      efficiencies.emplace_back(
          options.efficiencies[i], names, "efficiency " + std::to_string(i));
    }
  }

  // Runs add(chunk, first, size) for the chunks of kEventChunk rows of a
  // batch of `rows` events, each into an Empty() copy of `accumulator`, on
  // options.threads threads; returns them in order, to be merged in order.
  template <typename Add>
  std::vector<Accumulator> InChunks(const Accumulator& accumulator,
                                    Eigen::Index rows,
                                    Add add) const {
    const Eigen::Index count = (rows + kEventChunk - 1) / kEventChunk;
    std::vector<Accumulator> chunks(static_cast<std::size_t>(count),
                                    accumulator.Empty());
    core::ParallelFor(count, options.threads, [&](std::int64_t c) {
      const Eigen::Index first = c * kEventChunk;
      add(chunks[static_cast<std::size_t>(c)],
          first,
          std::min(kEventChunk, rows - first));
    });
    return chunks;
  }

  bool nuisance() const {
    return options.include_nuisance_parameters && events.num_nuisance() > 0;
  }

  Accumulator MakeAccumulator(const Eigen::VectorXd& theta) const {
    GOLDMINE_REQUIRE(theta.size() == events.num_parameters(),
                     "theta has " + std::to_string(theta.size()) +
                         " values; the events file has " +
                         std::to_string(events.num_parameters()) +
                         " parameters");
    return Accumulator(events_file,
                       events,
                       theta,
                       nuisance(),
                       options.luminosity,
                       options.madminer_covariance);
  }

  // Calls visit(weights (after cuts, efficiencies, sampling factors), x) for
  // every batch of kept events.
  template <typename Visit>
  void Events(Visit visit) const {
    Events(0, events.num_events(), visit);
  }

  // The same for the events [first, end).
  template <typename Visit>
  void Events(std::int64_t first, std::int64_t end, Visit visit) const {
    EventRows(first,
              end,
              [&](const Eigen::MatrixXd& w,
                  const Eigen::MatrixXd& x,
                  const std::vector<std::int64_t>&) { visit(w, x); });
  }

  // The same with the kept events' rows in the file, visit(w, x, rows).
  template <typename Visit>
  void EventRows(std::int64_t first, std::int64_t end, Visit visit) const {
    static const EventObjects kNoObjects{};
    PointModel all;  // sampling factors only
    events.ForEachBatch(
        first,
        end,
        [&](const MadminerEventBatch& batch, std::int64_t batch_first) {
          std::vector<Eigen::Index> kept;
          std::vector<double> factor;
          for (Eigen::Index e = 0; e < batch.size(); ++e) {
            const Eigen::VectorXd x = batch.observations.row(e).transpose();
            bool pass = true;
            for (const Expression& cut : cuts) {
              const auto value = cut.Evaluate(kNoObjects, x.data());
              if (!value || *value == 0.0) {
                pass = false;
                break;
              }
            }
            if (!pass) continue;
            double f = events.EventFactor(
                all, batch.sampling_benchmarks[static_cast<std::size_t>(e)]);
            for (const Expression& efficiency : efficiencies) {
              f *= efficiency.Evaluate(kNoObjects, x.data()).value_or(0.0);
            }
            kept.push_back(e);
            factor.push_back(f);
          }
          const auto n = static_cast<Eigen::Index>(kept.size());
          Eigen::MatrixXd weights(n, batch.weights.cols());
          Eigen::MatrixXd x(n, batch.observations.cols());
          std::vector<std::int64_t> rows(static_cast<std::size_t>(n));
          for (Eigen::Index i = 0; i < n; ++i) {
            const Eigen::Index e = kept[static_cast<std::size_t>(i)];
            weights.row(i) =
                batch.weights.row(e) * factor[static_cast<std::size_t>(i)];
            x.row(i) = batch.observations.row(e);
            rows[static_cast<std::size_t>(i)] = batch_first + e;
          }
          visit(weights, x, rows);
        });
  }

  std::vector<double> Boundaries(const Eigen::VectorXd& theta,
                                 const Expression& observable,
                                 const HistogramBinning& binning) const {
    if (!binning.edges.empty()) {
      GOLDMINE_REQUIRE(
          std::is_sorted(binning.edges.begin(), binning.edges.end()),
          "histogram edges must be increasing");
      return binning.edges;
    }
    GOLDMINE_REQUIRE(binning.num_bins > 0,
                     "histogram of " + observable.text() +
                         ": give bin edges or a positive number of bins");
    const int n = binning.num_bins;
    if (binning.range) {
      const auto [lower, upper] = *binning.range;
      GOLDMINE_REQUIRE(lower < upper, "histogram range must be increasing");
      std::vector<double> edges;
      for (int i = 0; i <= n; ++i) {
        edges.push_back(lower + (upper - lower) * i / n);
      }
      return edges;
    }
    // Dynamic: weighted quantiles at θ (MadMiner's weighted_quantile).
    static const EventObjects kNoObjects{};
    SortedColumn sorted;  // bounded memory for any number of events
    const Eigen::VectorXd c = events.Coefficients(theta);
    Events([&](const Eigen::MatrixXd& w, const Eigen::MatrixXd& x) {
      const Eigen::VectorXd at_theta = w * c;
      for (Eigen::Index e = 0; e < x.rows(); ++e) {
        const Eigen::VectorXd row = x.row(e).transpose();
        // Undefined values fill the overflow bin, like NaN: they take no
        // part in the quantiles (numpy would sort NaN last and interpolate
        // NaN edges).
        const auto value = observable.Evaluate(kNoObjects, row.data());
        if (!value) continue;
        sorted.Add(*value, at_theta(e));
      }
    });
    sorted.Finish();
    std::vector<double> boundaries = QuantileBoundaries(sorted, n);
    if (boundaries.size() + 1 != static_cast<std::size_t>(n)) {
      throw InvalidInput("histogram of " + observable.text() +
                         ": no event with a defined, not-NaN value for "
                         "dynamic bins");
    }
    return boundaries;
  }

  FisherResult Histogram(const Eigen::VectorXd& theta,
                         const std::vector<std::string>& observables,
                         const std::vector<HistogramBinning>& binnings) const {
    Accumulator accumulator = MakeAccumulator(theta);
    const std::vector<std::string> names = events.observable_names();
    std::vector<Expression> expressions;
    std::vector<std::vector<double>> boundaries;
    int total_bins = 1;
    for (std::size_t i = 0; i < observables.size(); ++i) {
      expressions.emplace_back(
          observables[i], names, "observable " + observables[i]);
      boundaries.push_back(Boundaries(theta, expressions.back(), binnings[i]));
      total_bins *= static_cast<int>(boundaries.back().size()) + 1;
    }
    const int b = events.num_benchmarks();
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(total_bins, b);
    Eigen::MatrixXd squares = Eigen::MatrixXd::Zero(total_bins, b);
    std::vector<Eigen::MatrixXd> second_moments(
        static_cast<std::size_t>(total_bins), Eigen::MatrixXd::Zero(b, b));
    static const EventObjects kNoObjects{};
    auto bin_of = [&](const Eigen::MatrixXd& x, Eigen::Index e) {
      const Eigen::VectorXd row = x.row(e).transpose();
      // Undefined and NaN values go to the overflow bin (histogram_bins.h).
      int bin = 0;
      for (std::size_t i = 0; i < expressions.size(); ++i) {
        const auto& edges = boundaries[i];
        bin = bin * (static_cast<int>(edges.size()) + 1) +
              OverflowBinIndex(edges,
                               expressions[i].Evaluate(kNoObjects, row.data()));
      }
      return bin;
    };
    // Per chunk of kEventChunk events its own sums, added in order.
    struct Sums {
      Eigen::MatrixXd sums;
      Eigen::MatrixXd squares;
      std::vector<Eigen::MatrixXd> second_moments;
    };
    Events([&](const Eigen::MatrixXd& w, const Eigen::MatrixXd& x) {
      accumulator.CountEvents(w);
      const Eigen::Index count = (x.rows() + kEventChunk - 1) / kEventChunk;
      std::vector<Sums> chunks(static_cast<std::size_t>(count));
      core::ParallelFor(count, options.threads, [&](std::int64_t c) {
        Sums& chunk = chunks[static_cast<std::size_t>(c)];
        chunk.sums = Eigen::MatrixXd::Zero(total_bins, b);
        chunk.squares = Eigen::MatrixXd::Zero(total_bins, b);
        chunk.second_moments.assign(static_cast<std::size_t>(total_bins),
                                    Eigen::MatrixXd::Zero(b, b));
        const Eigen::Index end = std::min(x.rows(), (c + 1) * kEventChunk);
        for (Eigen::Index e = c * kEventChunk; e < end; ++e) {
          const int bin = bin_of(x, e);
          chunk.sums.row(bin) += w.row(e);
          chunk.squares.row(bin) += w.row(e).cwiseAbs2();
          chunk.second_moments[static_cast<std::size_t>(bin)].noalias() +=
              w.row(e).transpose() * w.row(e);
        }
      });
      for (const Sums& chunk : chunks) {
        sums += chunk.sums;
        squares += chunk.squares;
        for (int bin = 0; bin < total_bins; ++bin) {
          const auto k = static_cast<std::size_t>(bin);
          second_moments[k] += chunk.second_moments[k];
        }
      }
    });
    accumulator.Add(sums, squares.cwiseSqrt());
    FisherResult result = accumulator.Result();
    result.information_uncertainty =
        accumulator.BinnedStandardError(sums, second_moments);
    result.information_mc_covariance = accumulator.BinnedCovariance();
    // Second pass: each event's share, now that the bins' J_b are known.
    Events([&](const Eigen::MatrixXd& w, const Eigen::MatrixXd& x) {
      const std::vector<Accumulator> chunks = InChunks(
          accumulator,
          x.rows(),
          [&](Accumulator& chunk, Eigen::Index first, Eigen::Index size) {
            for (Eigen::Index e = first; e < first + size; ++e)
              chunk.AddEventShare(bin_of(x, e), w.row(e));
          });
      for (const Accumulator& chunk : chunks) accumulator.Merge(chunk);
    });
    result.largest_event_fraction = accumulator.LargestFraction();
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    for (const auto& edges : boundaries) {
      result.boundaries.insert(
          result.boundaries.end(), edges.begin(), edges.end());
      std::vector<double> all = {-kInfinity};
      all.insert(all.end(), edges.begin(), edges.end());
      all.push_back(kInfinity);
      result.histogram_edges.push_back(std::move(all));
    }
    return result;
  }
};

FisherInformation::FisherInformation(const std::filesystem::path& events_file,
                                     FisherOptions options)
    : impl_(std::make_unique<Impl>(events_file, std::move(options))) {}

FisherInformation::~FisherInformation() = default;

int FisherInformation::num_parameters() const {
  return impl_->events.num_parameters();
}

int FisherInformation::num_nuisance_parameters() const {
  return impl_->nuisance() ? impl_->events.num_nuisance() : 0;
}

FisherResult FisherInformation::Truth(const Eigen::VectorXd& theta) const {
  Accumulator accumulator = impl_->MakeAccumulator(theta);
  impl_->Events([&](const Eigen::MatrixXd& w, const Eigen::MatrixXd&) {
    const std::vector<Accumulator> chunks = impl_->InChunks(
        accumulator,
        w.rows(),
        [&](Accumulator& chunk, Eigen::Index first, Eigen::Index size) {
          const Eigen::MatrixXd rows = w.middleRows(first, size);
          chunk.Add(rows, rows);
          chunk.CountEvents(rows);
        });
    for (const Accumulator& chunk : chunks) accumulator.Merge(chunk);
  });
  FisherResult result = accumulator.Result();
  result.information_uncertainty = accumulator.EventStandardError();
  result.information_mc_covariance = accumulator.EventCovariance();
  result.largest_event_fraction = accumulator.LargestFraction();
  return result;
}

FisherResult FisherInformation::Rate(const Eigen::VectorXd& theta) const {
  Accumulator accumulator = impl_->MakeAccumulator(theta);
  const int b = impl_->events.num_benchmarks();
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(1, b);
  Eigen::MatrixXd squares = Eigen::MatrixXd::Zero(1, b);
  std::vector<Eigen::MatrixXd> second_moments = {Eigen::MatrixXd::Zero(b, b)};
  impl_->Events([&](const Eigen::MatrixXd& w, const Eigen::MatrixXd&) {
    sums += w.colwise().sum();
    squares += w.cwiseAbs2().colwise().sum();
    second_moments[0].noalias() += w.transpose() * w;
    accumulator.CountEvents(w);
  });
  accumulator.Add(sums, squares.cwiseSqrt());
  FisherResult result = accumulator.Result();
  result.information_uncertainty =
      accumulator.BinnedStandardError(sums, second_moments);
  result.information_mc_covariance = accumulator.BinnedCovariance();
  impl_->Events([&](const Eigen::MatrixXd& w, const Eigen::MatrixXd&) {
    for (Eigen::Index e = 0; e < w.rows(); ++e) {
      accumulator.AddEventShare(0, w.row(e));
    }
  });
  result.largest_event_fraction = accumulator.LargestFraction();
  return result;
}

FisherResult FisherInformation::Histogram(
    const Eigen::VectorXd& theta,
    const std::string& observable,
    const HistogramBinning& binning) const {
  return impl_->Histogram(theta, {observable}, {binning});
}

FisherResult FisherInformation::Histogram2D(
    const Eigen::VectorXd& theta,
    const std::string& observable1,
    const HistogramBinning& binning1,
    const std::string& observable2,
    const HistogramBinning& binning2) const {
  return impl_->Histogram(
      theta, {observable1, observable2}, {binning1, binning2});
}

FisherResult FisherInformation::Score(const Eigen::VectorXd& theta,
                                      const core::ScoreModel& model,
                                      const std::string& partition_name,
                                      bool include_rate,
                                      const MemberScores& members,
                                      const EventScorer& reference) const {
  // Columns of the file's observations the model reads, in its order.
  const std::vector<std::string> names = impl_->events.observable_names();
  std::vector<Eigen::Index> columns;
  for (const std::string& name : model.observable_names()) {
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) {
      throw InvalidInput("score model observable \"" + name +
                         "\" is not an observable of the events file");
    }
    columns.push_back(found - names.begin());
  }
  const auto inputs = [columns](const Eigen::MatrixXd& x) {
    Eigen::MatrixXd selected(x.rows(),
                             static_cast<Eigen::Index>(columns.size()));
    for (std::size_t i = 0; i < columns.size(); ++i) {
      selected.col(static_cast<Eigen::Index>(i)) = x.col(columns[i]);
    }
    return selected;
  };
  const EventScorer scorer = [&](const Eigen::MatrixXd& x,
                                 const std::vector<std::int64_t>&) {
    return model.Score(inputs(x));
  };
  MemberScores member_scores;
  if (members) {
    member_scores = [&](const Eigen::MatrixXd& x) {
      return members(inputs(x));
    };
  }
  return EventScores(theta,
                     model.parameter_names(),
                     scorer,
                     partition_name,
                     include_rate,
                     member_scores,
                     reference);
}

FisherResult FisherInformation::EventScores(
    const Eigen::VectorXd& theta,
    const std::vector<std::string>& components,
    const EventScorer& scorer,
    const std::string& partition_name,
    bool include_rate,
    const MemberScores& members,
    const EventScorer& reference) const {
  const int p = num_parameters();
  const int k = impl_->events.num_nuisance();
  const int n = static_cast<int>(components.size());
  const std::vector<std::string> file_parameters =
      impl_->events.parameter_names();
  std::vector<std::string> wanted = file_parameters;
  if (n == p + k && k > 0) {
    const auto nuisance = impl_->events.nuisance_names();
    wanted.insert(wanted.end(), nuisance.begin(), nuisance.end());
  }
  if (components != wanted) {
    std::string have;
    for (const auto& name : components) have += " " + name;
    std::string need;
    for (const auto& name : wanted) need += " " + name;
    throw InvalidInput("score model components (" + have.substr(1) +
                       ") do not match the events file's parameters (" +
                       need.substr(1) + ")");
  }
  AugmenterOptions partition_options;
  partition_options.batch_size = impl_->options.batch_size;
  const Partition partition = MakePartition(
      partition_name, impl_->events.num_events(), partition_options);

  const Eigen::VectorXd c = impl_->events.Coefficients(theta);
  const Eigen::MatrixXd g = impl_->events.CoefficientGradients(theta);
  const double luminosity = impl_->options.luminosity;
  // The truth comparison needs the joint score of every component; the
  // morphing gives it for the physics parameters only.
  const bool compare_truth = (n == p);
  WeightedMeanInformation estimated(n);
  WeightedMeanInformation truth(n);
  WeightedMeanInformation difference(n);
  WeightedMeanInformation reference_information(n);
  WeightedMeanInformation reference_difference(n);
  // First pass, all kept events: σ(θ) and ∇σ(θ) (for t = ∇σ_e/σ_e − ∇σ/σ).
  double xsec = 0.0;
  Eigen::VectorXd dxsec = Eigen::VectorXd::Zero(p);
  impl_->Events([&](const Eigen::MatrixXd& w, const Eigen::MatrixXd&) {
    const Eigen::VectorXd at_theta = w * c;
    xsec += at_theta.sum();
    dxsec += g * w.colwise().sum().transpose();
    for (Eigen::Index e = 0; e < at_theta.size(); ++e) {
      estimated.AddAnyEvent(at_theta(e));
      truth.AddAnyEvent(at_theta(e));
      difference.AddAnyEvent(at_theta(e));
      reference_information.AddAnyEvent(at_theta(e));
      reference_difference.AddAnyEvent(at_theta(e));
    }
  });
  const Eigen::VectorXd rate_score =
      xsec != 0.0 ? Eigen::VectorXd(dxsec / xsec) : Eigen::VectorXd::Zero(p);
  double partition_squares = 0.0;
  // Σ_p w t̂_m t̂_mᵀ of every ensemble member m.
  std::vector<Eigen::MatrixXd> member_moments;
  Eigen::MatrixXd outer(n, n);
  Eigen::MatrixXd truth_outer(n, n);
  Eigen::MatrixXd reference_outer(n, n);
  impl_->EventRows(
      partition.first,
      partition.end,
      [&](const Eigen::MatrixXd& w,
          const Eigen::MatrixXd& x,
          const std::vector<std::int64_t>& rows) {
        if (x.rows() == 0) return;
        const Eigen::VectorXd at_theta = w * c;
        const Eigen::MatrixXd scores = scorer(x, rows);
        GOLDMINE_REQUIRE(scores.rows() == x.rows() && scores.cols() == n,
                         "the scorer returned a " +
                             std::to_string(scores.rows()) + " x " +
                             std::to_string(scores.cols()) + " matrix");
        const Eigen::MatrixXd gradients = w * g.transpose();
        Eigen::MatrixXd reference_scores;
        if (reference) {
          reference_scores = reference(x, rows);
          GOLDMINE_REQUIRE(reference_scores.rows() == x.rows() &&
                               reference_scores.cols() == n,
                           "the reference scorer returned a " +
                               std::to_string(reference_scores.rows()) + " x " +
                               std::to_string(reference_scores.cols()) +
                               " matrix");
        }
        if (members) {
          const std::vector<Eigen::MatrixXd> member_scores = members(x);
          member_moments.resize(member_scores.size(),
                                Eigen::MatrixXd::Zero(n, n));
          for (std::size_t m = 0; m < member_scores.size(); ++m) {
            member_moments[m].noalias() += member_scores[m].transpose() *
                                           at_theta.asDiagonal() *
                                           member_scores[m];
          }
        }
        for (Eigen::Index e = 0; e < at_theta.size(); ++e) {
          const double we = at_theta(e);
          partition_squares += we * we;
          outer.noalias() = scores.row(e).transpose() * scores.row(e);
          estimated.AddPartitionEvent(we, outer);
          if (reference) {
            reference_outer.noalias() =
                reference_scores.row(e).transpose() * reference_scores.row(e);
            reference_information.AddPartitionEvent(we, reference_outer);
            reference_difference.AddPartitionEvent(we, outer - reference_outer);
          }
          if (!compare_truth) continue;
          truth_outer.setZero();
          if (we != 0.0) {
            const Eigen::VectorXd t =
                gradients.row(e).transpose() / we - rate_score;
            truth_outer.noalias() = t * t.transpose();
          }
          truth.AddPartitionEvent(we, truth_outer);
          difference.AddPartitionEvent(we, outer - truth_outer);
        }
      });
  const double weight_sum = estimated.partition_weight();
  if (!(weight_sum > 0.0)) {
    throw InvalidInput("fisher: the events of partition " + partition.name +
                       " have total weight " + std::to_string(weight_sum) +
                       " at theta");
  }
  const std::int64_t num_events = impl_->events.num_events();
  FisherResult result;
  result.information = estimated.Information(luminosity);
  result.information_uncertainty =
      estimated.StandardError(luminosity, num_events);
  result.information_mc_covariance =
      estimated.Covariance(luminosity, num_events);
  result.largest_event_fraction = estimated.LargestEventFraction();
  result.effective_number_of_events =
      weight_sum * weight_sum / partition_squares;
  result.expected_number_of_events = luminosity * xsec;
  result.parameters = wanted;
  Eigen::MatrixXd difference_covariance;
  if (compare_truth) {
    result.truth_information = truth.Information(luminosity);
    // Same events, same rate term: the difference's error is that of the
    // kinematic terms' difference.
    result.truth_difference_uncertainty =
        difference.StandardError(luminosity, num_events);
    difference_covariance = difference.Covariance(luminosity, num_events);
  }
  if (reference) {
    result.reference_information =
        reference_information.Information(luminosity);
    result.reference_uncertainty =
        reference_information.StandardError(luminosity, num_events);
    result.reference_difference_uncertainty =
        reference_difference.StandardError(luminosity, num_events);
  }
  if (member_moments.size() >= 2) {
    // The rate term is the same for every member: it has no spread.
    const auto k_members = static_cast<double>(member_moments.size());
    Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(n, n);
    for (const auto& moments : member_moments) mean += moments / k_members;
    Eigen::MatrixXd variance = Eigen::MatrixXd::Zero(n, n);
    for (const auto& moments : member_moments) {
      variance += (moments - mean).cwiseAbs2() / (k_members - 1.0);
    }
    result.ensemble_uncertainty =
        luminosity * xsec * variance.cwiseSqrt() / weight_sum;
  }
  if (include_rate) {
    FisherOptions rate_options = impl_->options;
    rate_options.include_nuisance_parameters = (n == p + k && k > 0);
    const FisherResult rate =
        rate_options.include_nuisance_parameters == impl_->nuisance()
            ? Rate(theta)
            : FisherInformation(impl_->events_file, rate_options).Rate(theta);
    result.information += rate.information;
    // The correlation between the kinematic and the rate term (same
    // events) is neglected, in the errors and in their covariance.
    result.information_uncertainty =
        (result.information_uncertainty.cwiseAbs2() +
         rate.information_uncertainty.cwiseAbs2())
            .cwiseSqrt();
    if (result.information_mc_covariance.size() != 0 &&
        rate.information_mc_covariance.size() ==
            result.information_mc_covariance.size()) {
      result.information_mc_covariance += rate.information_mc_covariance;
    } else {
      result.information_mc_covariance.resize(0, 0);
    }
    if (compare_truth) result.truth_information += rate.information;
    if (reference) result.reference_information += rate.information;
  }
  if (compare_truth) {
    // The rate terms are the same on both sides: they cancel in the excess
    // but make the truth positive definite.
    result.truth_excess = LargestTruthExcess(
        result.information, result.truth_information, difference_covariance);
  }
  return result;
}

double FisherInformation::CrossSection(const Eigen::VectorXd& theta) const {
  const Eigen::VectorXd c = impl_->events.Coefficients(theta);
  double sum = 0.0;
  impl_->Events([&](const Eigen::MatrixXd& w, const Eigen::MatrixXd&) {
    sum += (w * c).sum();
  });
  return sum;
}

Eigen::VectorXd FisherInformation::CrossSectionGradient(
    const Eigen::VectorXd& theta) const {
  const Eigen::MatrixXd g = impl_->events.CoefficientGradients(theta);
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(g.rows());
  impl_->Events([&](const Eigen::MatrixXd& w, const Eigen::MatrixXd&) {
    sum += g * w.colwise().sum().transpose();
  });
  return sum;
}

Eigen::MatrixXd ScoreFisherInformation(const Eigen::MatrixXd& scores,
                                       const Eigen::VectorXd& weights,
                                       double xsec,
                                       double luminosity) {
  GOLDMINE_REQUIRE(scores.rows() == weights.size(),
                   "scores have " + std::to_string(scores.rows()) +
                       " rows, weights " + std::to_string(weights.size()));
  const double total = weights.sum();
  GOLDMINE_REQUIRE(total != 0.0, "the weights sum to zero");
  return luminosity * xsec *
         (scores.transpose() * weights.asDiagonal() * scores) / total;
}

namespace {

// A square information matrix and distinct component indices inside it
// (the Python module passes user input here).
void RequireComponents(const Eigen::MatrixXd& information,
                       const std::vector<int>& remaining) {
  if (information.rows() != information.cols()) {
    throw InvalidInput("Fisher information: expected a square matrix, got " +
                       std::to_string(information.rows()) + " x " +
                       std::to_string(information.cols()));
  }
  std::vector<bool> seen(static_cast<std::size_t>(information.rows()), false);
  for (int component : remaining) {
    if (component < 0 || component >= information.rows()) {
      throw InvalidInput("remaining components: " + std::to_string(component) +
                         " is not a component of a " +
                         std::to_string(information.rows()) + " x " +
                         std::to_string(information.rows()) + " information");
    }
    if (seen[static_cast<std::size_t>(component)]) {
      throw InvalidInput("remaining components: " + std::to_string(component) +
                         " is given twice");
    }
    seen[static_cast<std::size_t>(component)] = true;
  }
}

}  // namespace

Eigen::MatrixXd ProjectInformation(const Eigen::MatrixXd& information,
                                   const std::vector<int>& remaining) {
  RequireComponents(information, remaining);
  const auto n = static_cast<Eigen::Index>(remaining.size());
  Eigen::MatrixXd projected(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      projected(i, j) = information(remaining[static_cast<std::size_t>(i)],
                                    remaining[static_cast<std::size_t>(j)]);
    }
  }
  return projected;
}

Eigen::MatrixXd ProfileInformation(const Eigen::MatrixXd& information,
                                   const std::vector<int>& remaining) {
  RequireComponents(information, remaining);
  std::vector<int> others;
  for (int i = 0; i < information.rows(); ++i) {
    if (std::find(remaining.begin(), remaining.end(), i) == remaining.end()) {
      others.push_back(i);
    }
  }
  const Eigen::MatrixXd rr = ProjectInformation(information, remaining);
  if (others.empty()) return rr;
  const auto nr = static_cast<Eigen::Index>(remaining.size());
  const auto no = static_cast<Eigen::Index>(others.size());
  Eigen::MatrixXd ro(nr, no);
  for (Eigen::Index i = 0; i < nr; ++i) {
    for (Eigen::Index j = 0; j < no; ++j) {
      ro(i, j) = information(remaining[static_cast<std::size_t>(i)],
                             others[static_cast<std::size_t>(j)]);
    }
  }
  const Eigen::MatrixXd oo = ProjectInformation(information, others);
  return rr - ro * oo.fullPivLu().solve(ro.transpose());
}

Eigen::MatrixXd NuisanceConstraintInformation(int num_parameters,
                                              int num_nuisance_parameters) {
  const int n = num_parameters + num_nuisance_parameters;
  Eigen::MatrixXd constraint = Eigen::MatrixXd::Zero(n, n);
  for (int i = num_parameters; i < n; ++i) constraint(i, i) = 1.0;
  return constraint;
}

}  // namespace goldmine::mining
