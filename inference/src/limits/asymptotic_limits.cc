#include "goldmine/inference/limits/asymptotic_limits.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <iomanip>
#include <limits>
#include <mutex>
#include <nlopt.hpp>
#include <numeric>
#include <sstream>
#include <thread>

#include "goldmine/core/errors.h"
#include "goldmine/core/likelihood_ratio_model.h"
#include "goldmine/core/score_model.h"
#include "goldmine/inference/limits/histogram.h"
#include "goldmine/inference/limits/limit_chunks.h"
#include "goldmine/mining/augmenter.h"
#include "goldmine/mining/histogram_bins.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/row_store.h"
#include "goldmine/morphing/components.h"
#include "kinematic_term.h"
#include "per_theta_histogram_term.h"

namespace goldmine::inference {

namespace {

std::string Join(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

int IndexOf(const std::vector<std::string>& names, const std::string& name) {
  const auto found = std::find(names.begin(), names.end(), name);
  return found == names.end() ? -1 : static_cast<int>(found - names.begin());
}

// histo and sally: one binning for the whole grid; per-benchmark histograms,
// filled one event at a time (simulated events first, in order, then the
// observed ones), so that the events need not be held.
class FixedHistogramTerm : public KinematicTerm {
 public:
  FixedHistogramTerm(HistogramBinning binning,
                     Eigen::Index num_benchmarks,
                     WeightsAt benchmark_weights,
                     double epsilon)
      : binning_(std::move(binning)),
        benchmark_weights_(std::move(benchmark_weights)),
        epsilon_(epsilon) {
    const Eigen::Index bins = binning_.num_bins();
    histograms_ = Eigen::MatrixXd::Zero(bins, num_benchmarks);
    filled_ = Eigen::VectorXi::Zero(bins);
    weights_ = Eigen::VectorXd::Zero(bins);
    present_.assign(static_cast<std::size_t>(bins), false);
  }

  // A simulated event: its summary statistic (one value per dimension,
  // `stride` apart) and its weights per benchmark (`weights_stride` apart),
  // each multiplied by `factor`.
  void AddSimulated(const double* point,
                    Eigen::Index stride,
                    const double* weights,
                    Eigen::Index weights_stride,
                    double factor) {
    const Eigen::Index bin = binning_.FillBin(point, stride);
    if (bin < 0) return;
    for (Eigen::Index b = 0; b < histograms_.cols(); ++b)
      histograms_(bin, b) += weights[b * weights_stride] * factor;
    ++filled_(bin);
  }

  // An observed event with its normalised weight.
  void AddObserved(const double* point, Eigen::Index stride, double weight) {
    const Eigen::Index bin = binning_.LookupBin(point, stride);
    weights_(bin) += weight;
    present_[static_cast<std::size_t>(bin)] = true;
  }

  // After every event: throws InvalidInput for observed events in a bin
  // that no simulated event fills.
  void CheckFilled() const {
    for (Eigen::Index bin = 0; bin < binning_.num_bins(); ++bin) {
      if (present_[static_cast<std::size_t>(bin)] && filled_(bin) == 0) {
        throw InvalidInput(
            "histogram bin " + BinText(bin) +
            " holds observed events but no simulated event: merge it with a "
            "neighbour or widen the binning");
      }
    }
  }

  Eigen::Index num_units() const override { return weights_.size(); }
  bool Present(Eigen::Index u) const override {
    return present_[static_cast<std::size_t>(u)];
  }

  // Every bin in one chunk.
  void ForEachUnit(const Eigen::VectorXd& theta,
                   const UnitVisitor& visit) const override {
    const Eigen::VectorXd contents = histograms_ * benchmark_weights_(theta);
    if (!(contents.sum() > 0.0)) {
      throw InvalidInput("the histogram at θ = " + ThetaText(theta) +
                         " is empty (total weight ≤ 0)");
    }
    const Eigen::VectorXd logs =
        binning_.Densities(contents, epsilon_).array().log();
    visit({0, logs, weights_, &present_});
  }

  std::vector<std::vector<double>> Edges(
      const Eigen::VectorXd&) const override {
    return binning_.edges();
  }

 private:
  std::string BinText(Eigen::Index bin) const {
    std::ostringstream text;
    Eigen::Index rest = bin;
    std::vector<std::string> parts;
    for (std::size_t d = binning_.edges().size(); d-- > 0;) {
      const auto& axis = binning_.edges()[d];
      const Eigen::Index n = static_cast<Eigen::Index>(axis.size()) - 1;
      const Eigen::Index i = rest % n;
      rest /= n;
      std::ostringstream part;
      part << "[" << axis[static_cast<std::size_t>(i)] << ", "
           << axis[static_cast<std::size_t>(i + 1)] << ")";
      parts.insert(parts.begin(), part.str());
    }
    std::string joined;
    for (const auto& part : parts)
      joined += (joined.empty() ? "" : " x ") + part;
    return joined;
  }

  HistogramBinning binning_;
  Eigen::MatrixXd histograms_;  // bins × benchmarks
  Eigen::VectorXi filled_;      // simulated events per bin
  Eigen::VectorXd weights_;     // observed weight per bin
  std::vector<bool> present_;   // bins with observed events
  WeightsAt benchmark_weights_;
  double epsilon_;
};

// ml and mem: log r̂(x_k|θ, θ_ref) per observed event. The events wait in a
// scratch file (rows: the model's observables, then the normalised weight)
// and go to the model a chunk at a time (issue 20).
class RatioTerm : public KinematicTerm {
 public:
  RatioTerm(const core::LikelihoodRatioModel& model,
            std::unique_ptr<mining::RowStore> observed,
            std::vector<int> parameter_map)
      : model_(model),
        observed_(std::move(observed)),
        parameter_map_(std::move(parameter_map)) {}

  Eigen::Index num_units() const override { return observed_->rows(); }
  bool Present(Eigen::Index) const override { return true; }

  void ForEachUnit(const Eigen::VectorXd& theta,
                   const UnitVisitor& visit) const override {
    Eigen::VectorXd model_theta(
        static_cast<Eigen::Index>(parameter_map_.size()));
    for (std::size_t i = 0; i < parameter_map_.size(); ++i)
      model_theta(static_cast<Eigen::Index>(i)) = theta(parameter_map_[i]);
    const Eigen::Index num_x = observed_->width() - 1;
    observed_->ForEachChunk(
        kRatioChunkRows,
        [&](Eigen::Index first, const mining::RowStore::Chunk& rows) {
          const Eigen::MatrixXd x = rows.leftCols(num_x);
          const Eigen::VectorXd weights = rows.col(num_x);
          const Eigen::VectorXd logs =
              model_.LogLikelihoodRatio(x, model_theta);
          visit({first, logs, weights, nullptr});
        });
  }
  bool concurrent() const override { return false; }

  std::vector<std::vector<double>> Edges(
      const Eigen::VectorXd&) const override {
    return {};
  }

 private:
  // Events per call of the model: large enough that a network evaluates
  // whole batches, small enough to stay a few MB.
  static constexpr Eigen::Index kRatioChunkRows = 65536;

  const core::LikelihoodRatioModel& model_;
  std::unique_ptr<mining::RowStore> observed_;
  std::vector<int> parameter_map_;
};

// Σ w_u log p_u(θ) over the units that stand for observed events and are
// not in `dropped` (sorted), in unit order, so that the sum does not depend
// on how a term chunks its units. With skip_nonfinite, units whose log is
// not finite are left out and appended to `nonfinite` (when given); without,
// they make the sum non-finite.
double WeightedLogSum(const KinematicTerm& term,
                      const Eigen::VectorXd& theta,
                      const std::vector<Eigen::Index>& dropped,
                      bool skip_nonfinite,
                      std::vector<Eigen::Index>* nonfinite) {
  double sum = 0.0;
  auto next_dropped = dropped.begin();
  term.ForEachUnit(theta, [&](const KinematicTerm::Units& units) {
    for (Eigen::Index i = 0; i < units.logs.size(); ++i) {
      if (units.present != nullptr &&
          !(*units.present)[static_cast<std::size_t>(i)]) {
        continue;
      }
      const Eigen::Index u = units.first + i;
      while (next_dropped != dropped.end() && *next_dropped < u) ++next_dropped;
      if (next_dropped != dropped.end() && *next_dropped == u) continue;
      const double log = units.logs(i);
      if (skip_nonfinite && !std::isfinite(log)) {
        if (nonfinite != nullptr) nonfinite->push_back(u);
        continue;
      }
      sum += units.weights(i) * log;
    }
  });
  return sum;
}

// MadMiner's default numbers of bins (AsymptoticLimits._find_bins).
std::vector<AxisBinning> DefaultBinning(LimitMethod method,
                                        int dimensions,
                                        std::vector<AxisBinning> given) {
  if (!given.empty()) {
    if (static_cast<int>(given.size()) != dimensions) {
      throw InvalidInput("binning: " + std::to_string(given.size()) +
                         " dimensions given, the summary statistic has " +
                         std::to_string(dimensions));
    }
  } else {
    given.assign(static_cast<std::size_t>(dimensions), AxisBinning{});
  }
  std::vector<int> defaults;
  if (method == LimitMethod::kAdaptiveSally && dimensions == 2) {
    defaults = {15, 5};
  } else if (method == LimitMethod::kAdaptiveSally && dimensions > 2) {
    defaults.assign(static_cast<std::size_t>(dimensions), 5);
    defaults[0] = 12;
  } else if (dimensions == 1) {
    defaults = {25};
  } else if (dimensions == 2) {
    defaults = {8, 8};
  } else {
    defaults.assign(static_cast<std::size_t>(dimensions), 5);
  }
  for (std::size_t d = 0; d < given.size(); ++d) {
    if (given[d].edges.empty() && given[d].num_bins <= 0) {
      given[d].num_bins = defaults[d];
    }
  }
  return given;
}

double LogPoisson(double k, double mu) {
  if (k == 0.0) return -mu;
  return k * std::log(mu) - mu - std::lgamma(k + 1.0);
}

// Σ x_k in the order of Eigen 3.4's VectorXd::sum() with SSE2 (x86-64
// without -march): four lanes x_0 + x_4 + …, …, x_3 + x_7 + …, combined as
// (l_0 + l_2) + (l_1 + l_3), then the last two values as a pair and a last
// single one. Fed one value at a time, a sum over events read in batches
// equals the in-memory one bit for bit.
class EigenOrderSum {
 public:
  void Add(double value) {
    pending_[static_cast<std::size_t>(count_ % 4)] = value;
    ++count_;
    if (count_ % 4 != 0) return;
    for (std::size_t i = 0; i < 4; ++i)
      lanes_[i] = count_ == 4 ? pending_[i] : lanes_[i] + pending_[i];
  }

  double Sum() const {
    if (count_ == 0) return 0.0;
    if (count_ == 1) return pending_[0];
    if (count_ < 4) {
      double sum = pending_[0] + pending_[1];
      if (count_ == 3) sum += pending_[2];
      return sum;
    }
    const std::int64_t rest = count_ % 4;
    double first = lanes_[0] + lanes_[2];
    double second = lanes_[1] + lanes_[3];
    if (rest >= 2) {
      first += pending_[0];
      second += pending_[1];
    }
    double sum = first + second;
    if (rest == 1) sum += pending_[0];
    if (rest == 3) sum += pending_[2];
    return sum;
  }

 private:
  std::int64_t count_ = 0;
  std::array<double, 4> pending_{};
  std::array<double, 4> lanes_{};
};

// Calls visit(batch, e) for the events [first, end) of `reader` in order,
// read in batches of `batch_size` into reused storage.
template <typename Visit>
void ForEachEvent(const mining::MadminerEventsReader& reader,
                  std::int64_t first,
                  std::int64_t end,
                  std::int64_t batch_size,
                  Visit&& visit) {
  mining::MadminerEventBatch batch;
  for (std::int64_t start = first; start < end; start += batch_size) {
    const std::int64_t count = std::min(batch_size, end - start);
    reader.Read(start, count, &batch);
    for (Eigen::Index e = 0; e < count; ++e) visit(batch, e);
  }
}

// Σ_b (w_b · factor) v_b over the first v.size() benchmarks of event e: the
// event's entry of (weights × factor) * v as Eigen's column-major
// matrix-vector product computes it (sequentially over b, no fused
// multiply-add), so that streamed weights equal the in-memory ones. (An
// Eigen product on a one-row block would take its vectorised dot product
// instead.)
double WeightAt(const mining::MadminerEventBatch& batch,
                Eigen::Index e,
                double factor,
                const Eigen::VectorXd& v) {
  double sum = 0.0;
  for (Eigen::Index b = 0; b < v.size(); ++b)
    sum += batch.weights(e, b) * factor * v(b);
  return sum;
}

// Indices of `want` among `have`; InvalidInput naming `who` and the missing
// observable.
std::vector<int> ColumnsOf(const std::vector<std::string>& have,
                           const std::vector<std::string>& want,
                           const std::string& who) {
  std::vector<int> columns;
  for (const std::string& name : want) {
    const int column = IndexOf(have, name);
    if (column < 0) {
      throw InvalidInput(who + ": observable \"" + name +
                         "\" is not in the events file (it has " + Join(have) +
                         ")");
    }
    columns.push_back(column);
  }
  return columns;
}

// Rows per score evaluation of events read in passes: a multiple of the
// rows a trained network evaluates in one forward pass (estimators'
// kEvaluationBatchRows, 16384, also the ONNX backend's). The float32
// rounding of a row can depend on the rows of its pass, so chunks of a
// multiple of it, counted from the first event, give the scores of one call
// on all the events bit for bit.
constexpr Eigen::Index kScoreChunkRows = 6 * 16384;

// Scores of events added one at a time, evaluated in chunks of
// kScoreChunkRows: flush(scores, payload) gets the selected components of
// each chunk's scores (rows in order) and the `width` numbers per row that
// the caller wrote through the pointer Add returned.
class ScoreChunks {
 public:
  using Flush =
      std::function<void(const Eigen::MatrixXd&, const std::vector<double>&)>;

  ScoreChunks(const core::ScoreModel& model,
              std::vector<int> columns,
              std::vector<int> components,
              Eigen::Index width,
              Flush flush)
      : model_(model),
        columns_(std::move(columns)),
        components_(std::move(components)),
        width_(width),
        flush_(std::move(flush)),
        x_(kScoreChunkRows, static_cast<Eigen::Index>(columns_.size())),
        payload_(static_cast<std::size_t>(kScoreChunkRows * width)) {}

  // Event e of `observations` (all the events file's observables); returns
  // where its `width` numbers go.
  double* Add(const Eigen::MatrixXd& observations, Eigen::Index e) {
    if (rows_ == kScoreChunkRows) Run();
    for (std::size_t i = 0; i < columns_.size(); ++i)
      x_(rows_, static_cast<Eigen::Index>(i)) = observations(e, columns_[i]);
    return &payload_[static_cast<std::size_t>(rows_++ * width_)];
  }

  void Finish() {
    if (rows_ > 0) Run();
  }

 private:
  void Run() {
    const Eigen::MatrixXd all = model_.Score(
        rows_ == kScoreChunkRows ? x_ : Eigen::MatrixXd(x_.topRows(rows_)));
    Eigen::MatrixXd selected(all.rows(),
                             static_cast<Eigen::Index>(components_.size()));
    for (std::size_t i = 0; i < components_.size(); ++i)
      selected.col(static_cast<Eigen::Index>(i)) = all.col(components_[i]);
    flush_(selected, payload_);
    rows_ = 0;
  }

  const core::ScoreModel& model_;
  std::vector<int> columns_;
  std::vector<int> components_;
  Eigen::Index width_;
  Flush flush_;
  Eigen::MatrixXd x_;
  std::vector<double> payload_;
  Eigen::Index rows_ = 0;
};

}  // namespace

// Observed or Asimov events read in passes: rows [first, end) of `file`,
// each with its weight (see Weight) divided by `normalisation`.
struct EventsDescription {
  enum class Kind {
    kTemplates,  // train partition, w(θ_true) × sampling factor
    kTest,       // test partition, w(θ_true), only events from `closest`
    kFile,       // observed events: 1 each, or the weights of a benchmark
  };
  Kind kind = Kind::kFile;
  std::filesystem::path file;
  std::int64_t first = 0;
  std::int64_t end = 0;
  std::vector<double> sampling_factor;  // kTemplates, per physics benchmark
  Eigen::VectorXd benchmark_weights;    // kTemplates, kTest: w(θ_true)
  int closest = -1;  // kTest: the sampling benchmark kept (−1: every one)
  int weights_column = -1;  // kFile: the benchmark's column (−1: weight 1)
  double normalisation = 1.0;

  // Whether event e belongs to the data, and its weight before the
  // normalisation (Asimov: the entry of the old in-memory
  // `weights * w(θ_true)`, see WeightAt).
  bool Weight(const mining::MadminerEventBatch& batch,
              Eigen::Index e,
              double* weight) const {
    const std::int64_t sb =
        batch.sampling_benchmarks[static_cast<std::size_t>(e)];
    switch (kind) {
      case Kind::kTemplates: {
        const auto physics = static_cast<std::int64_t>(sampling_factor.size());
        const double factor =
            sb < 0 || sb >= physics
                ? 1.0
                : sampling_factor[static_cast<std::size_t>(sb)];
        *weight = WeightAt(batch, e, factor, benchmark_weights);
        return true;
      }
      case Kind::kTest:
        if (!(closest < 0 || sb < 0 || sb == closest)) return false;
        *weight = WeightAt(batch, e, 1.0, benchmark_weights);
        return true;
      case Kind::kFile:
        *weight = weights_column < 0 ? 1.0 : batch.weights(e, weights_column);
        return true;
    }
    return false;
  }

  // Calls visit(batch, e, weight / normalisation) for every event, in order.
  template <typename Visit>
  void ForEach(std::int64_t batch_size, Visit&& visit) const {
    const mining::MadminerEventsReader reader(file);
    ForEachEvent(reader,
                 first,
                 end,
                 batch_size,
                 [&](const mining::MadminerEventBatch& batch, Eigen::Index e) {
                   double weight = 0.0;
                   if (Weight(batch, e, &weight))
                     visit(batch, e, weight / normalisation);
                 });
  }
};

LimitMethod ParseLimitMethod(const std::string& name) {
  if (name == "rate") return LimitMethod::kRate;
  if (name == "histo") return LimitMethod::kHisto;
  if (name == "sally") return LimitMethod::kSally;
  if (name == "adaptive-sally") return LimitMethod::kAdaptiveSally;
  if (name == "sallino") return LimitMethod::kSallino;
  if (name == "ml") return LimitMethod::kMl;
  if (name == "mem") return LimitMethod::kMem;
  throw InvalidInput("limits method \"" + name +
                     "\" unknown; expected rate, ml, mem, sally, "
                     "adaptive-sally, sallino or histo");
}

std::string LimitMethodName(LimitMethod method) {
  switch (method) {
    case LimitMethod::kRate:
      return "rate";
    case LimitMethod::kHisto:
      return "histo";
    case LimitMethod::kSally:
      return "sally";
    case LimitMethod::kAdaptiveSally:
      return "adaptive-sally";
    case LimitMethod::kSallino:
      return "sallino";
    case LimitMethod::kMl:
      return "ml";
    case LimitMethod::kMem:
      return "mem";
  }
  return "?";
}

bool NeedsScoreModel(LimitMethod method) {
  return method == LimitMethod::kSally ||
         method == LimitMethod::kAdaptiveSally ||
         method == LimitMethod::kSallino;
}

double WilksPValue(double q, int dof) {
  if (dof < 1) throw InvalidInput("p-value: dof must be ≥ 1");
  if (std::isnan(q)) return q;
  if (q <= 0.0) return 1.0;
  if (std::isinf(q)) return 0.0;
  return boost::math::gamma_q(0.5 * dof, 0.5 * q);
}

double ChiSquaredQuantile(double confidence_level, int dof) {
  if (!(confidence_level > 0.0 && confidence_level < 1.0) || dof < 1) {
    throw InvalidInput("χ² quantile: needs 0 < CL < 1 and dof ≥ 1");
  }
  return 2.0 * boost::math::gamma_p_inv(0.5 * dof, confidence_level);
}

struct AsymptoticLimits::Impl {
  LimitOptions options;
  std::filesystem::path path;
  mining::MadminerSetup setup;
  std::unique_ptr<morphing::Components> components;
  Eigen::MatrixXd morphing_matrix;  // C × B_phys (zero-padded)
  int num_physics = 0;
  // Events [first, end) of the file; no event is held (issue 20).
  mining::Partition train;
  mining::Partition test;
  Eigen::VectorXd test_xsec_benchmarks;  // Σ w × factor × correction
  std::vector<double> sampling_factor;
  std::vector<bool> generated;

  std::vector<std::string> ParameterNames() const {
    std::vector<std::string> names;
    for (const auto& parameter : setup.parameters)
      names.push_back(parameter.name);
    return names;
  }
  std::vector<std::string> ObservableNames() const {
    std::vector<std::string> names;
    for (const auto& observable : setup.observables)
      names.push_back(observable.name);
    return names;
  }

  double Factor(std::int64_t sb) const {
    return sb < 0 || sb >= num_physics
               ? 1.0
               : sampling_factor[static_cast<std::size_t>(sb)];
  }

  // Calls visit(batch, e) for every event of `partition`, in order.
  template <typename Visit>
  void ForEach(const mining::Partition& partition, Visit&& visit) const {
    const mining::MadminerEventsReader reader(path);
    ForEachEvent(reader,
                 partition.first,
                 partition.end,
                 options.batch_size,
                 std::forward<Visit>(visit));
  }

  // One observation of every train event and its weight at the benchmark
  // weights v (the in-memory train_weights * v), sorted: the adaptive edges
  // of one axis, in bounded memory (mining::SortedColumn).
  void TrainColumn(int column,
                   const Eigen::VectorXd& v,
                   mining::SortedColumn* sorted) const {
    ForEach(
        train, [&](const mining::MadminerEventBatch& batch, Eigen::Index e) {
          sorted->Add(
              batch.observations(e, column),
              WeightAt(
                  batch,
                  e,
                  Factor(
                      batch.sampling_benchmarks[static_cast<std::size_t>(e)]),
                  v));
        });
    sorted->Finish();
  }

  // histo with overflow bins and a bin count: the interior edges of
  // `goldmine fisher histogram --bins N` (mining::QuantileBoundaries) over
  // every event read (train and test partitions, with sampling factors) at
  // options.binning_theta, in bounded memory (mining::SortedColumn). Throws
  // InvalidInput for fewer than 2 bins.
  std::vector<double> QuantileEdges(int column, int num_bins) const {
    if (num_bins < 2) {
      throw InvalidInput(
          "histo: a dynamic binning needs at least 2 bins, got " +
          std::to_string(num_bins));
    }
    Eigen::VectorXd theta = options.binning_theta;
    if (theta.size() == 0) theta = Eigen::VectorXd::Zero(num_parameters());
    CheckTheta(theta, "binning θ");
    const Eigen::VectorXd at_theta = BenchmarkWeights(theta);
    mining::SortedColumn sorted;
    ForEach(train,
            [&](const mining::MadminerEventBatch& batch, Eigen::Index e) {
              const std::int64_t sb =
                  batch.sampling_benchmarks[static_cast<std::size_t>(e)];
              sorted.Add(batch.observations(e, column),
                         WeightAt(batch, e, Factor(sb), at_theta));
            });
    ForEach(test, [&](const mining::MadminerEventBatch& batch, Eigen::Index e) {
      const std::int64_t sb =
          batch.sampling_benchmarks[static_cast<std::size_t>(e)];
      sorted.Add(batch.observations(e, column),
                 WeightAt(batch, e, 1.0, at_theta) * Factor(sb));
    });
    sorted.Finish();
    std::vector<double> edges = mining::QuantileBoundaries(sorted, num_bins);
    if (edges.size() + 1 != static_cast<std::size_t>(num_bins)) {
      throw InvalidInput("histo: no event with a value that is not NaN");
    }
    return edges;
  }

  int num_parameters() const {
    return static_cast<int>(setup.parameters.size());
  }

  // The out-of-range convention of histo and sally.
  OutOfRange FixedOutOfRange() const {
    if (options.overflow_bins) return OutOfRange::kOverflowBins;
    return options.fill_overflow ? OutOfRange::kClip : OutOfRange::kLeaveOut;
  }

  Eigen::VectorXd BenchmarkWeights(const Eigen::VectorXd& theta) const {
    return morphing_matrix.transpose() * components->Evaluate(theta);
  }

  void CheckTheta(const Eigen::VectorXd& theta, const std::string& what) const {
    if (theta.size() != static_cast<Eigen::Index>(setup.parameters.size())) {
      throw InvalidInput(what + ": expected " +
                         std::to_string(setup.parameters.size()) +
                         " parameter values (" + Join(ParameterNames()) +
                         "), got " + std::to_string(theta.size()));
    }
  }
};

AsymptoticLimits::AsymptoticLimits(const std::filesystem::path& events_file,
                                   LimitOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.options = options;
  d.path = events_file;
  if (!(options.luminosity > 0.0) || !std::isfinite(options.luminosity)) {
    throw InvalidInput("limits: the luminosity must be positive and finite");
  }
  const mining::MadminerEventsReader reader(events_file);
  d.setup = reader.setup();
  if (!d.setup.morphing) {
    throw InvalidInput(events_file.string() +
                       ": limits need a morphing setup (morphing/ group)");
  }
  d.num_physics = d.setup.benchmarks.num_physics();
  d.components =
      std::make_unique<morphing::Components>(d.setup.morphing->components);
  const Eigen::MatrixXd& matrix = d.setup.morphing->morphing_matrix;
  if (matrix.cols() > d.num_physics) {
    throw FileFormatError(events_file.string() +
                          ": morphing/morphing_matrix has more columns than "
                          "physics benchmarks");
  }
  d.morphing_matrix = Eigen::MatrixXd::Zero(matrix.rows(), d.num_physics);
  d.morphing_matrix.leftCols(matrix.cols()) = matrix;

  // Sampling factors n_b / Σ n (MadMiner's event_loader).
  std::vector<std::int64_t> counts(static_cast<std::size_t>(d.num_physics), 0);
  if (reader.sample_summary()) {
    counts = reader.sample_summary()->signal_events;
    counts.resize(static_cast<std::size_t>(d.num_physics), 0);
  } else {
    ForEachEvent(reader,
                 0,
                 reader.num_events(),
                 options.batch_size,
                 [&](const mining::MadminerEventBatch& batch, Eigen::Index e) {
                   const std::int64_t sb =
                       batch.sampling_benchmarks[static_cast<std::size_t>(e)];
                   if (sb >= 0 && sb < d.num_physics)
                     ++counts[static_cast<std::size_t>(sb)];
                 });
  }
  const double total = static_cast<double>(
      std::accumulate(counts.begin(), counts.end(), std::int64_t{0}));
  for (std::int64_t count : counts) {
    d.sampling_factor.push_back(total > 0 ? static_cast<double>(count) / total
                                          : 1.0);
    d.generated.push_back(count > 0);
  }

  mining::AugmenterOptions partitions;
  partitions.test_split = options.test_split;
  partitions.validation_split = 0.0;
  partitions.madminer_partitions = options.madminer_partitions;
  d.train = mining::MakePartition("train", reader.num_events(), partitions);
  d.test = mining::MakePartition("test", reader.num_events(), partitions);

  d.test_xsec_benchmarks = Eigen::VectorXd::Zero(d.num_physics);
  ForEachEvent(reader,
               d.test.first,
               d.test.end,
               options.batch_size,
               [&](const mining::MadminerEventBatch& batch, Eigen::Index e) {
                 const double factor = d.Factor(
                     batch.sampling_benchmarks[static_cast<std::size_t>(e)]);
                 for (int b = 0; b < d.num_physics; ++b)
                   d.test_xsec_benchmarks(b) += batch.weights(e, b) * factor;
               });
  d.test_xsec_benchmarks *= d.test.correction;
}

AsymptoticLimits::~AsymptoticLimits() = default;

const LimitOptions& AsymptoticLimits::options() const { return impl_->options; }

std::vector<std::string> AsymptoticLimits::parameter_names() const {
  return impl_->ParameterNames();
}

std::vector<std::string> AsymptoticLimits::observable_names() const {
  return impl_->ObservableNames();
}

double AsymptoticLimits::CrossSection(const Eigen::VectorXd& theta) const {
  impl_->CheckTheta(theta, "cross section");
  return impl_->BenchmarkWeights(theta).dot(impl_->test_xsec_benchmarks);
}

ObservedData AsymptoticLimits::Asimov(const Eigen::VectorXd& theta_true) const {
  const Impl& d = *impl_;
  d.CheckTheta(theta_true, "θ true");
  // Closest physics benchmark with generated events (MadMiner's
  // generated_close_to).
  int closest = -1;
  if (d.options.sample_only_from_closest_benchmark) {
    double best = std::numeric_limits<double>::infinity();
    for (int b = 0; b < d.num_physics; ++b) {
      if (!d.generated[static_cast<std::size_t>(b)]) continue;
      const double distance =
          (d.setup.benchmarks.values.row(b).transpose() - theta_true)
              .squaredNorm();
      if (distance < best) {
        best = distance;
        closest = b;
      }
    }
  }
  auto events = std::make_shared<EventsDescription>();
  events->file = d.path;
  events->benchmark_weights = d.BenchmarkWeights(theta_true);
  if (d.options.asimov_from_templates) {
    // The histogram events carry their sampling factors.
    events->kind = EventsDescription::Kind::kTemplates;
    events->first = d.train.first;
    events->end = d.train.end;
    events->sampling_factor = d.sampling_factor;
  } else {
    events->kind = EventsDescription::Kind::kTest;
    events->first = d.test.first;
    events->end = d.test.end;
    events->closest = closest;
  }
  EigenOrderSum weights;
  events->ForEach(
      d.options.batch_size,
      [&](const mining::MadminerEventBatch&, Eigen::Index, double weight) {
        weights.Add(weight);
      });
  const double sum = weights.Sum();
  const double xsec = CrossSection(theta_true);
  if (!(sum > 0.0) || !(xsec > 0.0)) {
    std::ostringstream text;  // shortest form: not 150 digits
    text << "Asimov data at θ true = " << ThetaText(theta_true)
         << ": the cross section is " << xsec << " pb (must be > 0)";
    throw InvalidInput(text.str());
  }
  events->normalisation = sum;
  ObservedData data;
  data.events = std::move(events);
  data.n_events = d.options.luminosity * xsec;
  return data;
}

LimitResult AsymptoticLimits::Compute(const KinematicSetup& kinematics,
                                      const ThetaGrid& grid,
                                      const ObservedData& observed,
                                      const OtherParameters& others) const {
  const Impl& d = *impl_;
  const std::vector<std::string> names = d.ParameterNames();
  const int num_parameters = static_cast<int>(names.size());
  const LimitMethod method = kinematics.method;

  // Which parameter is scanned, fixed or profiled.
  std::vector<int> grid_index(static_cast<std::size_t>(num_parameters), -1);
  for (int g = 0; g < grid.num_parameters(); ++g) {
    const std::string& name = grid.axes()[static_cast<std::size_t>(g)].name;
    const int p = IndexOf(names, name);
    if (p < 0) {
      throw InvalidInput("--grid: parameter \"" + name +
                         "\" is not in the events file (it has " + Join(names) +
                         ")");
    }
    grid_index[static_cast<std::size_t>(p)] = g;
  }
  Eigen::VectorXd base = Eigen::VectorXd::Zero(num_parameters);
  std::vector<int> profiled;
  std::vector<double> lower;
  std::vector<double> upper;
  for (const auto& [name, value] : others.fixed) {
    const int p = IndexOf(names, name);
    if (p < 0 || grid_index[static_cast<std::size_t>(p)] >= 0) {
      throw InvalidInput(
          "fixed parameter \"" + name +
          "\" is unknown or on the grid (parameters: " + Join(names) + ")");
    }
    base(p) = value;
  }
  for (const auto& [name, bounds] : others.profiled) {
    const int p = IndexOf(names, name);
    if (p < 0 || grid_index[static_cast<std::size_t>(p)] >= 0 ||
        others.fixed.count(name) != 0) {
      throw InvalidInput("profiled parameter \"" + name +
                         "\" is unknown, fixed or on the grid (parameters: " +
                         Join(names) + ")");
    }
    if (!(bounds.first < bounds.second) || !std::isfinite(bounds.first) ||
        !std::isfinite(bounds.second)) {
      throw InvalidInput("profiled parameter \"" + name +
                         "\": needs finite bounds LO < HI");
    }
    profiled.push_back(p);
    lower.push_back(bounds.first);
    upper.push_back(bounds.second);
    base(p) = std::clamp(0.0, bounds.first, bounds.second);
  }
  const bool described = observed.events != nullptr;
  if (!(observed.n_events > 0.0) ||
      (!described && (observed.x.rows() == 0 ||
                      observed.weights.size() != observed.x.rows() ||
                      observed.x.cols() != d.setup.num_observables()))) {
    throw InvalidInput("observed data: needs events with one weight each, " +
                       std::to_string(d.setup.num_observables()) +
                       " observables and a positive number of events");
  }

  if (d.options.chunk.count > 1 && !profiled.empty()) {
    throw InvalidInput(
        "--chunk: limits with profiled parameters are not split into "
        "chunks (each profile fit starts from its neighbour's); leave out "
        "--chunk or --profile");
  }
  Eigen::MatrixXd grid_points = grid.Points();
  Eigen::Index num_points = grid_points.rows();
  Eigen::MatrixXd thetas(num_points, num_parameters);
  for (Eigen::Index i = 0; i < num_points; ++i) {
    thetas.row(i) = base.transpose();
    for (int p = 0; p < num_parameters; ++p) {
      const int g = grid_index[static_cast<std::size_t>(p)];
      if (g >= 0) thetas(i, p) = grid_points(i, g);
    }
  }

  const WeightsAt benchmark_weights = [&d](const Eigen::VectorXd& theta) {
    return d.BenchmarkWeights(theta);
  };
  const std::vector<std::string> observables = d.ObservableNames();
  // Described events (a file's test partition, the Asimov data) are read in
  // passes by every method, never held; data given in memory are used as
  // they are.
  // Negative weights (NLO samples) are fine, as in MadMiner (its
  // _asimov_data and _calculate_log_likelihood only divide by the sum).
  const std::string bad_weights =
      "observed data: weights must be finite with a positive sum";
  Eigen::VectorXd obs_weights;
  if (!described) {
    if (!observed.weights.allFinite() || !(observed.weights.sum() > 0.0)) {
      throw InvalidInput(bad_weights);
    }
    obs_weights = observed.weights / observed.weights.sum();
  }
  // Calls visit(x, row, weight) for every observed event in order: its row
  // of all the file's observables and its normalised weight (described
  // events: the sum of the weights first, as Eigen's in-memory sum).
  auto for_each_observed = [&](const auto& visit) {
    if (!described) {
      for (Eigen::Index k = 0; k < observed.x.rows(); ++k)
        visit(observed.x, k, obs_weights(k));
      return;
    }
    EigenOrderSum sum;
    bool finite = true;
    observed.events->ForEach(
        d.options.batch_size,
        [&](const mining::MadminerEventBatch&, Eigen::Index, double weight) {
          finite = finite && std::isfinite(weight);
          sum.Add(weight);
        });
    const double total = sum.Sum();
    if (!finite || !(total > 0.0)) throw InvalidInput(bad_weights);
    observed.events->ForEach(
        d.options.batch_size,
        [&](const mining::MadminerEventBatch& batch,
            Eigen::Index e,
            double weight) { visit(batch.observations, e, weight / total); });
  };

  // Kinematic term.
  std::unique_ptr<KinematicTerm> term;
  if (method == LimitMethod::kHisto) {
    if (kinematics.observables.empty()) {
      throw InvalidInput("histo limits need observables (--observables)");
    }
    const std::vector<int> columns =
        ColumnsOf(observables, kinematics.observables, "histo");
    const auto dims = static_cast<Eigen::Index>(columns.size());
    const auto binning =
        DefaultBinning(method, static_cast<int>(dims), kinematics.binning);
    // One adaptive binning from the grid-averaged weights ("auto-grid"), or
    // with overflow bins the dynamic bins of `goldmine fisher histogram`.
    std::vector<std::vector<double>> edges;
    for (Eigen::Index dim = 0; dim < dims; ++dim) {
      const AxisBinning& axis = binning[static_cast<std::size_t>(dim)];
      const int column = columns[static_cast<std::size_t>(dim)];
      if (!axis.edges.empty()) {
        edges.push_back(axis.edges);
      } else if (d.options.overflow_bins) {
        edges.push_back(d.QuantileEdges(column, axis.num_bins));
      } else {
        const Eigen::VectorXd mean_benchmark_weights =
            d.morphing_matrix.transpose() *
            d.components->EvaluateBatch(thetas).colwise().mean().transpose();
        mining::SortedColumn sorted;
        d.TrainColumn(column, mean_benchmark_weights, &sorted);
        edges.push_back(AdaptiveEdges(sorted, axis.num_bins));
      }
    }
    auto histogram = std::make_unique<FixedHistogramTerm>(
        HistogramBinning(std::move(edges), d.FixedOutOfRange()),
        d.num_physics,
        benchmark_weights,
        d.options.epsilon);
    std::vector<double> point(static_cast<std::size_t>(dims));
    auto set_point = [&](const Eigen::MatrixXd& x, Eigen::Index row) {
      for (std::size_t i = 0; i < columns.size(); ++i)
        point[i] = x(row, columns[i]);
    };
    d.ForEach(
        d.train, [&](const mining::MadminerEventBatch& batch, Eigen::Index e) {
          set_point(batch.observations, e);
          histogram->AddSimulated(
              point.data(),
              1,
              &batch.weights(e, 0),
              batch.weights.rows(),
              d.Factor(batch.sampling_benchmarks[static_cast<std::size_t>(e)]));
        });
    for_each_observed(
        [&](const Eigen::MatrixXd& x, Eigen::Index e, double weight) {
          set_point(x, e);
          histogram->AddObserved(point.data(), 1, weight);
        });
    histogram->CheckFilled();
    term = std::move(histogram);
  } else if (NeedsScoreModel(method)) {
    const core::ScoreModel* model = kinematics.score_model;
    if (model == nullptr) {
      throw InvalidInput(LimitMethodName(method) +
                         " limits need a score model (--model)");
    }
    if (model->num_parameters() < num_parameters) {
      throw InvalidInput("the score model has " +
                         std::to_string(model->num_parameters()) +
                         " components, the events file " +
                         std::to_string(num_parameters) + " parameters");
    }
    // The score's components are the file's parameters, in order, followed
    // by the nuisance scores of a model trained on a file with systematics
    // (augment local), which the kinematic term does not use.
    const std::vector<std::string> model_names = model->parameter_names();
    if (!std::equal(names.begin(), names.end(), model_names.begin())) {
      throw InvalidInput("the score model's components (" + Join(model_names) +
                         ") do not start with the events file's parameters (" +
                         Join(names) + ")");
    }
    std::vector<int> components = kinematics.score_components;
    if (components.empty()) {
      components.resize(static_cast<std::size_t>(num_parameters));
      std::iota(components.begin(), components.end(), 0);
    }
    for (int c : components) {
      if (c < 0 || c >= num_parameters) {
        throw InvalidInput("score component " + std::to_string(c) +
                           " out of range (0 … " +
                           std::to_string(num_parameters - 1) + ")");
      }
    }
    if (method == LimitMethod::kSally) {
      const std::vector<int> model_columns =
          ColumnsOf(observables, model->observable_names(), "score model");
      const auto dims = static_cast<Eigen::Index>(components.size());
      const auto binning =
          DefaultBinning(method, static_cast<int>(dims), kinematics.binning);
      const Eigen::VectorXd mean_benchmark_weights =
          d.morphing_matrix.transpose() *
          d.components->EvaluateBatch(thetas).colwise().mean().transpose();
      // Passes over the train partition with its scores, evaluated in
      // chunks; each event carries `width` numbers set by `fill` for
      // `use(scores, r, payload of row r)`.
      auto train_pass = [&](Eigen::Index width, auto fill, auto use) {
        ScoreChunks chunks(
            *model,
            model_columns,
            components,
            width,
            [&](const Eigen::MatrixXd& scores,
                const std::vector<double>& payload) {
              for (Eigen::Index r = 0; r < scores.rows(); ++r)
                use(scores, r, &payload[static_cast<std::size_t>(r * width)]);
            });
        d.ForEach(d.train,
                  [&](const mining::MadminerEventBatch& batch, Eigen::Index e) {
                    fill(batch, e, chunks.Add(batch.observations, e));
                  });
        chunks.Finish();
      };
      std::vector<std::vector<double>> edges;
      for (Eigen::Index dim = 0; dim < dims; ++dim) {
        const AxisBinning& axis = binning[static_cast<std::size_t>(dim)];
        if (!axis.edges.empty()) {
          edges.push_back(axis.edges);
          continue;
        }
        // The one score component and its weights, sorted in bounded
        // memory (as Impl::TrainColumn).
        mining::SortedColumn sorted;
        train_pass(
            1,
            [&](const mining::MadminerEventBatch& batch,
                Eigen::Index e,
                double* payload) {
              *payload = WeightAt(
                  batch,
                  e,
                  d.Factor(
                      batch.sampling_benchmarks[static_cast<std::size_t>(e)]),
                  mean_benchmark_weights);
            },
            [&](const Eigen::MatrixXd& scores,
                Eigen::Index r,
                const double* payload) {
              const double t = scores(r, dim);
              // Quantiles of the Fisher information Σ w t² of this score
              // component with information_binning: every bin carries about
              // the same information, so the high-score tail (where the EFT
              // information lives) gets bins of its own instead of sharing
              // the last quantile bin.
              sorted.Add(t,
                         d.options.information_binning ? *payload * (t * t)
                                                       : *payload);
            });
        sorted.Finish();
        edges.push_back(AdaptiveEdges(sorted, axis.num_bins));
      }
      auto histogram = std::make_unique<FixedHistogramTerm>(
          HistogramBinning(std::move(edges), d.FixedOutOfRange()),
          d.num_physics,
          benchmark_weights,
          d.options.epsilon);
      const Eigen::Index physics = d.num_physics;
      train_pass(
          physics + 1,
          [&](const mining::MadminerEventBatch& batch,
              Eigen::Index e,
              double* payload) {
            for (Eigen::Index b = 0; b < physics; ++b)
              payload[b] = batch.weights(e, b);
            payload[physics] = d.Factor(
                batch.sampling_benchmarks[static_cast<std::size_t>(e)]);
          },
          [&](const Eigen::MatrixXd& scores,
              Eigen::Index r,
              const double* payload) {
            histogram->AddSimulated(
                &scores(r, 0), scores.rows(), payload, 1, payload[physics]);
          });
      ScoreChunks chunks(*model,
                         model_columns,
                         components,
                         1,
                         [&](const Eigen::MatrixXd& scores,
                             const std::vector<double>& payload) {
                           for (Eigen::Index r = 0; r < scores.rows(); ++r) {
                             histogram->AddObserved(
                                 &scores(r, 0),
                                 scores.rows(),
                                 payload[static_cast<std::size_t>(r)]);
                           }
                         });
      for_each_observed([&](const Eigen::MatrixXd& x,
                            Eigen::Index e,
                            double weight) { *chunks.Add(x, e) = weight; });
      chunks.Finish();
      histogram->CheckFilled();
      term = std::move(histogram);
    } else {
      // The simulated events as rows (scores, weight of every benchmark
      // times the sampling factor) and the observed ones as rows (scores,
      // normalised weight), in scratch files: every grid point reads them
      // again (per_theta_histogram_term.h).
      const std::vector<int> model_columns =
          ColumnsOf(observables, model->observable_names(), "score model");
      const auto dim = static_cast<Eigen::Index>(components.size());
      const Eigen::Index physics = d.num_physics;
      // Rows (score components, then `width` numbers per event that
      // `fill(chunks)` sets while it hands the events to the chunks).
      auto scored_rows = [&](Eigen::Index width,
                             const std::string& purpose,
                             const auto& fill) {
        auto store = std::make_unique<mining::RowStore>(dim + width, purpose);
        std::vector<double> row(static_cast<std::size_t>(dim + width));
        ScoreChunks chunks(
            *model,
            model_columns,
            components,
            width,
            [&](const Eigen::MatrixXd& scores,
                const std::vector<double>& payload) {
              for (Eigen::Index r = 0; r < scores.rows(); ++r) {
                for (Eigen::Index i = 0; i < dim; ++i)
                  row[static_cast<std::size_t>(i)] = scores(r, i);
                std::copy_n(&payload[static_cast<std::size_t>(r * width)],
                            width,
                            &row[static_cast<std::size_t>(dim)]);
                store->Append(row.data());
              }
            });
        fill(chunks);
        chunks.Finish();
        store->Finish();
        return store;
      };
      auto simulated = scored_rows(
          physics,
          "limits: keeping the simulated events' scores",
          [&](ScoreChunks& chunks) {
            d.ForEach(
                d.train,
                [&](const mining::MadminerEventBatch& batch, Eigen::Index e) {
                  double* payload = chunks.Add(batch.observations, e);
                  const double factor = d.Factor(
                      batch.sampling_benchmarks[static_cast<std::size_t>(e)]);
                  for (Eigen::Index b = 0; b < physics; ++b)
                    payload[b] = batch.weights(e, b) * factor;
                });
          });
      auto observed_rows = scored_rows(
          1,
          "limits: keeping the observed events' scores",
          [&](ScoreChunks& chunks) {
            for_each_observed(
                [&](const Eigen::MatrixXd& x, Eigen::Index e, double weight) {
                  *chunks.Add(x, e) = weight;
                });
          });
      int stats = static_cast<int>(dim);
      if (method == LimitMethod::kSallino) stats = 1;
      if (method == LimitMethod::kAdaptiveSally && dim > 2)
        stats = static_cast<int>(dim) + 1;
      Eigen::VectorXd theta_ref = kinematics.theta_ref;
      if (theta_ref.size() == 0)
        theta_ref = Eigen::VectorXd::Zero(num_parameters);
      d.CheckTheta(theta_ref, "θ ref");
      term = std::make_unique<PerThetaHistogramTerm>(
          method,
          std::move(simulated),
          std::move(observed_rows),
          DefaultBinning(method, stats, kinematics.binning),
          theta_ref,
          components,
          benchmark_weights,
          d.options.epsilon,
          d.options.overflow_bins ? OutOfRange::kOverflowBins
                                  : OutOfRange::kLeaveOut);
    }
  } else if (method == LimitMethod::kMl || method == LimitMethod::kMem) {
    const core::LikelihoodRatioModel* model = kinematics.ratio_model;
    if (model == nullptr) {
      throw InvalidInput(method == LimitMethod::kMem
                             ? "mem limits need a MEM file (--mem)"
                             : "ml limits need a likelihood-ratio model "
                               "(--model)");
    }
    std::vector<int> parameter_map;
    for (const std::string& name : model->parameter_names()) {
      const int p = IndexOf(names, name);
      if (p < 0) {
        throw InvalidInput("the ratio model's parameter \"" + name +
                           "\" is not in the events file (it has " +
                           Join(names) + ")");
      }
      parameter_map.push_back(p);
    }
    const std::vector<int> columns =
        ColumnsOf(observables, model->observable_names(), "ratio model");
    const auto num_x = static_cast<Eigen::Index>(columns.size());
    auto rows = std::make_unique<mining::RowStore>(
        num_x + 1, "limits: keeping the observed events");
    std::vector<double> row(static_cast<std::size_t>(num_x + 1));
    for_each_observed(
        [&](const Eigen::MatrixXd& x, Eigen::Index e, double weight) {
          for (Eigen::Index i = 0; i < num_x; ++i)
            row[static_cast<std::size_t>(i)] =
                x(e, columns[static_cast<std::size_t>(i)]);
          row[static_cast<std::size_t>(num_x)] = weight;
          rows->Append(row.data());
        });
    rows->Finish();
    term = std::make_unique<RatioTerm>(*model, std::move(rows), parameter_map);
  }

  // A chunk evaluates only its points; the binnings above come from the
  // whole grid ("auto-grid" averages the weights over it), as in one run.
  if (d.options.chunk.count > 1) {
    const auto [first, end] = ChunkPoints(num_points, d.options.chunk);
    grid_points = grid_points.middleRows(first, end - first).eval();
    thetas = thetas.middleRows(first, end - first).eval();
    num_points = end - first;
  }

  const bool with_rate = method == LimitMethod::kRate || d.options.include_xsec;
  const double n_rounded = std::round(observed.n_events);
  auto rate_at = [&](const Eigen::VectorXd& theta) {
    const double mu = d.options.luminosity *
                      d.BenchmarkWeights(theta).dot(d.test_xsec_benchmarks);
    if (!(mu > 0.0) || !std::isfinite(mu)) {
      return -std::numeric_limits<double>::infinity();
    }
    return LogPoisson(n_rounded, mu);
  };

  // Profiled parameters: maximise log L at every grid point (BOBYQA within
  // the bounds, started from the previous point's optimum and the centre).
  // An exception inside the objective (e.g. an empty histogram at some θ)
  // would make NLopt stop early and leave the best point so far: the
  // objective catches it, returns a penalty so that the search goes on
  // elsewhere, and the grid point is reported as not converged.
  std::vector<bool> profile_converged;
  std::vector<std::string> profile_problems;
  if (!profiled.empty()) {
    auto total_at = [&](const Eigen::VectorXd& theta) {
      double value = with_rate ? rate_at(theta) : 0.0;
      if (term) {
        value += observed.n_events *
                 WeightedLogSum(*term, theta, {}, false, nullptr);
      }
      return std::isfinite(value) ? value : -1e300;
    };
    std::vector<double> previous;
    for (std::size_t i = 0; i < profiled.size(); ++i)
      previous.push_back(base(profiled[i]));
    profile_converged.assign(static_cast<std::size_t>(num_points), true);
    profile_problems.resize(static_cast<std::size_t>(num_points));
    for (Eigen::Index i = 0; i < num_points; ++i) {
      Eigen::VectorXd theta = thetas.row(i).transpose();
      std::string problem;  // the first failure at this grid point
      auto objective = [&](const std::vector<double>& x) {
        for (std::size_t j = 0; j < profiled.size(); ++j)
          theta(profiled[j]) = x[j];
        try {
          return -total_at(theta);
        } catch (const std::exception& error) {
          if (problem.empty()) problem = error.what();
          return 1e300;
        }
      };
      double best_value = std::numeric_limits<double>::infinity();
      std::vector<double> best = previous;
      bool best_converged = false;
      std::vector<double> centre;
      for (std::size_t j = 0; j < profiled.size(); ++j)
        centre.push_back(0.5 * (lower[j] + upper[j]));
      for (const std::vector<double>& start : {previous, centre}) {
        nlopt::opt optimizer(
            profiled.size() > 1 ? nlopt::LN_BOBYQA : nlopt::LN_COBYLA,
            static_cast<unsigned>(profiled.size()));
        optimizer.set_lower_bounds(lower);
        optimizer.set_upper_bounds(upper);
        optimizer.set_xtol_abs(1e-7);
        optimizer.set_ftol_abs(1e-9);
        optimizer.set_maxeval(4000);
        using Objective = decltype(objective);
        optimizer.set_min_objective(
            [](const std::vector<double>& x, std::vector<double>&, void* data) {
              return (*static_cast<Objective*>(data))(x);
            },
            &objective);
        std::vector<double> x = start;
        double value = 0.0;
        bool converged = true;
        try {
          const nlopt::result status = optimizer.optimize(x, value);
          if (status == nlopt::MAXEVAL_REACHED ||
              status == nlopt::MAXTIME_REACHED) {
            converged = false;
            if (problem.empty()) problem = "NLopt reached its evaluation limit";
          }
        } catch (const nlopt::roundoff_limited&) {
          // Converged to the precision of the objective.
        } catch (const std::exception& error) {
          converged = false;
          if (problem.empty()) problem = error.what();
        }
        value = objective(x);
        if (value < best_value) {
          best_value = value;
          best = x;
          best_converged = converged;
        }
      }
      previous = best;
      for (std::size_t j = 0; j < profiled.size(); ++j)
        thetas(i, profiled[j]) = best[j];
      if (!best_converged || !problem.empty() || !(best_value < 1e300)) {
        profile_converged[static_cast<std::size_t>(i)] = false;
        profile_problems[static_cast<std::size_t>(i)] =
            problem.empty() ? "the fit did not converge" : problem;
      }
    }
  }

  LimitResult result;
  result.parameters = grid.names();
  result.grid = grid_points;
  result.thetas = thetas;
  result.all_parameters = names;
  result.n_observed = observed.n_events;
  // Wilks: the parameters the grid varies (a one-point axis is fixed).
  result.dof = d.options.dof > 0 ? d.options.dof
                                 : std::max(1, grid.num_varied_parameters());
  result.log_likelihood_kin = Eigen::VectorXd::Zero(num_points);
  result.log_likelihood_rate = Eigen::VectorXd::Zero(num_points);
  result.profile_converged = profile_converged;
  result.profile_problems = profile_problems;
  result.profile_fits_not_converged = static_cast<int>(
      std::count(profile_converged.begin(), profile_converged.end(), false));

  if (with_rate) {
    for (Eigen::Index i = 0; i < num_points; ++i) {
      const Eigen::VectorXd theta = thetas.row(i).transpose();
      result.log_likelihood_rate(i) = rate_at(theta);
      if (!std::isfinite(result.log_likelihood_rate(i))) {
        throw InvalidInput("the cross section at θ = " + ThetaText(theta) +
                           " is " + std::to_string(CrossSection(theta)) +
                           " pb: the rate term needs σ > 0 everywhere on the "
                           "grid");
      }
    }
  }
  if (term) {
    // Units whose log likelihood is not finite somewhere on the grid are
    // left out everywhere (MadMiner's _clean_nans): a first pass over the
    // grid finds them, and a second pass, needed only when there are some,
    // sums without them. Grid points are independent, so with
    // options.threads > 1 they are evaluated in parallel; every point's sum
    // runs over the units in the same order, so the numbers do not depend on
    // the thread count.
    const Eigen::Index units = term->num_units();
    const int threads =
        term->concurrent()
            ? static_cast<int>(std::max<Eigen::Index>(
                  1, std::min<Eigen::Index>(d.options.threads, num_points)))
            : 1;
    // Units not finite somewhere, and those named by --drop-units.
    std::vector<Eigen::Index> not_finite;
    std::mutex mutex;
    auto run_pass = [&](const std::vector<Eigen::Index>& dropped,
                        bool find_drops) {
      std::atomic<Eigen::Index> next{0};
      std::atomic<Eigen::Index> done{0};
      std::exception_ptr failure;
      auto work = [&]() {
        std::vector<Eigen::Index> nonfinite;
        try {
          for (Eigen::Index i = next++; i < num_points; i = next++) {
            const double kin =
                WeightedLogSum(*term,
                               thetas.row(i).transpose(),
                               dropped,
                               true,
                               find_drops ? &nonfinite : nullptr);
            result.log_likelihood_kin(i) = observed.n_events * kin;
            // Each unit once, however many points it fails at.
            std::sort(nonfinite.begin(), nonfinite.end());
            nonfinite.erase(std::unique(nonfinite.begin(), nonfinite.end()),
                            nonfinite.end());
            const Eigen::Index count = ++done;
            if (d.options.progress) {
              std::lock_guard<std::mutex> lock(mutex);
              d.options.progress(count, num_points);
            }
          }
        } catch (...) {
          std::lock_guard<std::mutex> lock(mutex);
          if (!failure) failure = std::current_exception();
          next = num_points;
        }
        std::lock_guard<std::mutex> lock(mutex);
        not_finite.insert(not_finite.end(), nonfinite.begin(), nonfinite.end());
      };
      std::vector<std::thread> workers;
      for (int t = 1; t < threads; ++t) workers.emplace_back(work);
      work();
      for (std::thread& worker : workers) worker.join();
      if (failure) std::rethrow_exception(failure);
    };
    for (const std::int64_t u : d.options.drop_units) {
      if (u < 0 || u >= units) {
        throw InvalidInput("--drop-units " + std::to_string(u) +
                           ": expected unit numbers from 0 to " +
                           std::to_string(units - 1) + " (" +
                           std::to_string(units) + " bins or events)");
      }
      not_finite.push_back(static_cast<Eigen::Index>(u));
    }
    run_pass({}, true);
    std::sort(not_finite.begin(), not_finite.end());
    not_finite.erase(std::unique(not_finite.begin(), not_finite.end()),
                     not_finite.end());
    std::vector<Eigen::Index> dropped;
    for (const Eigen::Index u : not_finite) {
      if (!term->Present(u)) continue;
      dropped.push_back(u);
      ++result.dropped_units;
      result.dropped_unit_ids.push_back(u);
    }
    if (result.dropped_units > 0) run_pass(dropped, false);
    if (method != LimitMethod::kMl && method != LimitMethod::kMem) {
      result.histogram_edges = term->Edges(thetas.row(0).transpose());
    }
  }

  FinishLimitResult(&result);
  return result;
}

bool BestFitMatchesTruth(const ThetaGrid& grid,
                         const Eigen::VectorXd& best,
                         const Eigen::VectorXd& truth) {
  if (best.size() != grid.num_parameters() ||
      truth.size() != grid.num_parameters()) {
    throw InvalidInput("best fit and truth: one value per grid parameter");
  }
  for (int p = 0; p < grid.num_parameters(); ++p) {
    const GridAxis& axis = grid.axes()[static_cast<std::size_t>(p)];
    if (axis.size < 2) continue;
    const double step = (axis.upper - axis.lower) / (axis.size - 1);
    const double tolerance = 1e-9 * step;
    const double offset = std::abs(best(p) - truth(p));
    const double from_lower = (truth(p) - axis.lower) / step;
    const bool on_grid =
        std::abs(from_lower - std::round(from_lower)) * step <= tolerance;
    if (offset > (on_grid ? tolerance : step + tolerance)) return false;
  }
  return true;
}

std::optional<bool> AsimovBestFitAtTruth(const ThetaGrid& grid,
                                         const LimitResult& result,
                                         const Eigen::VectorXd& theta_true,
                                         const OtherParameters& others) {
  const std::vector<std::string>& all = result.all_parameters;
  if (theta_true.size() != static_cast<Eigen::Index>(all.size())) {
    throw InvalidInput("θ true: expected " + std::to_string(all.size()) +
                       " values, one per parameter (" + Join(all) + ")");
  }
  // Asimov data should put the best fit at θ_true, unless a parameter off
  // the grid is fixed elsewhere.
  for (const auto& [name, value] : others.fixed) {
    const int p = IndexOf(all, name);
    if (p >= 0 && value != theta_true(p)) return std::nullopt;
  }
  Eigen::VectorXd truth(grid.num_parameters());
  for (int g = 0; g < grid.num_parameters(); ++g) {
    const std::string& name = grid.axes()[static_cast<std::size_t>(g)].name;
    const int p = IndexOf(all, name);
    if (p < 0) {
      throw InvalidInput("grid parameter \"" + name +
                         "\" is not among the result's parameters (" +
                         Join(all) + ")");
    }
    truth(g) = theta_true(p);
  }
  return BestFitMatchesTruth(
      grid, result.grid.row(result.best_fit_index).transpose(), truth);
}

namespace {

// --observed files: the observables of the events file, in its order.
void RequireObservables(const mining::MadminerEventsReader& reader,
                        const std::vector<std::string>& observables,
                        const std::string& events_file) {
  std::vector<std::string> names;
  for (const auto& observable : reader.setup().observables)
    names.push_back(observable.name);
  if (names != observables) {
    throw InvalidInput("--observed " + events_file +
                       ": its observables differ from the events file's");
  }
}

// The weight column of --observed-weights BENCHMARK.
int BenchmarkColumn(const mining::MadminerEventsReader& reader,
                    const std::string& benchmark,
                    const std::string& events_file) {
  const auto& benchmarks = reader.setup().benchmarks.names;
  const auto found = std::find(benchmarks.begin(), benchmarks.end(), benchmark);
  if (found == benchmarks.end()) {
    throw InvalidInput("--observed-weights " + benchmark +
                       ": no such benchmark in " + events_file);
  }
  return static_cast<int>(found - benchmarks.begin());
}

// L Σ w of observed events weighted by a benchmark, which must sum to a
// positive value (ReadObservedData, ObservedEventsFile).
double ObservedEventCount(double sum,
                          const std::string& events_file,
                          const std::string& weights_benchmark,
                          double luminosity) {
  if (!(sum > 0.0)) {
    throw InvalidInput("--observed " + events_file + ": the weights of " +
                       weights_benchmark + " sum to " + std::to_string(sum));
  }
  return luminosity * sum;
}

}  // namespace

ObservedData ReadObservedData(const std::string& events_file,
                              const std::vector<std::string>& observables,
                              const std::string& weights_benchmark,
                              double luminosity) {
  const mining::MadminerEventsReader reader(events_file);
  RequireObservables(reader, observables, events_file);
  const mining::MadminerEventBatch batch = reader.ReadAll();
  ObservedData data;
  data.x = batch.observations;
  if (data.x.rows() == 0) {
    throw InvalidInput("--observed " + events_file + ": no events");
  }
  if (weights_benchmark.empty()) {
    data.weights = Eigen::VectorXd::Ones(data.x.rows());
    data.n_events = static_cast<double>(data.x.rows());
  } else {
    data.weights = batch.weights.col(
        BenchmarkColumn(reader, weights_benchmark, events_file));
    const double sum = data.weights.sum();
    data.n_events =
        ObservedEventCount(sum, events_file, weights_benchmark, luminosity);
  }
  return data;
}

ObservedData ObservedEventsFile(const std::string& events_file,
                                const std::vector<std::string>& observables,
                                const std::string& weights_benchmark,
                                double luminosity) {
  const mining::MadminerEventsReader reader(events_file);
  RequireObservables(reader, observables, events_file);
  if (reader.num_events() == 0) {
    throw InvalidInput("--observed " + events_file + ": no events");
  }
  auto events = std::make_shared<EventsDescription>();
  events->kind = EventsDescription::Kind::kFile;
  events->file = events_file;
  events->end = reader.num_events();
  ObservedData data;
  if (weights_benchmark.empty()) {
    data.n_events = static_cast<double>(reader.num_events());
  } else {
    events->weights_column =
        BenchmarkColumn(reader, weights_benchmark, events_file);
    EigenOrderSum weights;
    ForEachEvent(reader,
                 0,
                 reader.num_events(),
                 100000,
                 [&](const mining::MadminerEventBatch& batch, Eigen::Index e) {
                   weights.Add(batch.weights(e, events->weights_column));
                 });
    const double sum = weights.Sum();
    data.n_events =
        ObservedEventCount(sum, events_file, weights_benchmark, luminosity);
  }
  data.events = std::move(events);
  return data;
}

std::string LimitResultCsv(const LimitResult& result) {
  std::ostringstream text;
  text << std::setprecision(17);
  for (const std::string& name : result.parameters) text << name << ",";
  text << "minus_two_delta_log_l,p_value,log_likelihood_kin,"
          "log_likelihood_rate\n";
  for (Eigen::Index i = 0; i < result.grid.rows(); ++i) {
    for (Eigen::Index p = 0; p < result.grid.cols(); ++p)
      text << result.grid(i, p) << ",";
    text << result.minus_two_delta_log_l(i) << "," << result.p_values(i) << ","
         << result.log_likelihood_kin(i) << "," << result.log_likelihood_rate(i)
         << "\n";
  }
  return text.str();
}

std::vector<ParameterIntervals> ProfileIntervals(
    const ThetaGrid& grid,
    const Eigen::VectorXd& minus_two_delta_log_l,
    const std::vector<double>& confidence_levels) {
  if (minus_two_delta_log_l.size() != grid.num_points()) {
    throw InvalidInput("intervals: one value per grid point expected");
  }
  std::vector<ParameterIntervals> all;
  for (int p = 0; p < grid.num_parameters(); ++p) {
    const GridAxis& axis = grid.axes()[static_cast<std::size_t>(p)];
    const std::vector<double> values = axis.Values();
    // Profile: minimum over the other axes.
    std::vector<double> profile(values.size(),
                                std::numeric_limits<double>::infinity());
    for (Eigen::Index i = 0; i < grid.num_points(); ++i) {
      const int k = grid.AxisIndices(i)[static_cast<std::size_t>(p)];
      profile[static_cast<std::size_t>(k)] = std::min(
          profile[static_cast<std::size_t>(k)], minus_two_delta_log_l(i));
    }
    for (double level : confidence_levels) {
      ParameterIntervals intervals;
      intervals.parameter = axis.name;
      intervals.confidence_level = level;
      intervals.threshold = ChiSquaredQuantile(level, 1);
      const double t = intervals.threshold;
      auto crossing = [&](std::size_t a, std::size_t b) {
        const double fa = profile[a] - t;
        const double fb = profile[b] - t;
        if (!std::isfinite(fa) || !std::isfinite(fb) || fa == fb) {
          return 0.5 * (values[a] + values[b]);
        }
        return values[a] + (values[b] - values[a]) * fa / (fa - fb);
      };
      const std::size_t n = values.size();
      for (std::size_t k = 0; k < n; ++k) {
        if (!(profile[k] <= t)) continue;
        ParameterInterval range;
        range.closed_lower = k > 0;
        range.lower = k > 0 ? crossing(k - 1, k) : values[k];
        std::size_t end = k;
        while (end + 1 < n && profile[end + 1] <= t) ++end;
        range.closed_upper = end + 1 < n;
        range.upper = end + 1 < n ? crossing(end, end + 1) : values[end];
        intervals.ranges.push_back(range);
        k = end;
      }
      all.push_back(intervals);
    }
  }
  return all;
}

}  // namespace goldmine::inference
