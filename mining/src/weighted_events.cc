#include "weighted_events.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "drawn_rows.h"
#include "draws_ahead.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/core/usable_cores.h"

namespace goldmine::mining {
namespace {

// MadMiner's NuisanceMorpher sanitising: NaN/inf → 0, clipped to [−10, 10].
double Sanitize(double value) {
  if (!std::isfinite(value)) return 0.0;
  return std::clamp(value, -10.0, 10.0);
}

int BenchmarkIndex(const MadminerSetup& setup, const std::string& name) {
  for (int b = 0; b < setup.num_benchmarks(); ++b) {
    if (setup.benchmarks.names[static_cast<std::size_t>(b)] == name) return b;
  }
  throw FileFormatError("nuisance benchmark \"" + name +
                        "\" is not among benchmarks/names");
}

}  // namespace

WeightedEvents::WeightedEvents(const std::filesystem::path& path,
                               std::int64_t batch_size)
    : reader_(path), batch_size_(std::max<std::int64_t>(1, batch_size)) {
  const MadminerSetup& s = setup();
  num_physics_ = s.benchmarks.num_physics();
  if (s.morphing) {
    components_.emplace(s.morphing->components);
    morphing_matrix_ = s.morphing->morphing_matrix;
    if (morphing_matrix_.cols() > num_physics_) {
      throw FileFormatError(reader_.path().string() +
                            ": morphing/morphing_matrix has more columns "
                            "than there are physics benchmarks");
    }
  }
  for (const MadminerNuisanceParameter& nuisance : s.nuisance_parameters) {
    positive_.push_back(nuisance.benchmark_positive
                            ? BenchmarkIndex(s, *nuisance.benchmark_positive)
                            : -1);
    negative_.push_back(nuisance.benchmark_negative
                            ? BenchmarkIndex(s, *nuisance.benchmark_negative)
                            : -1);
  }
  for (std::size_t b = 0; b < s.benchmarks.is_reference.size(); ++b) {
    if (s.benchmarks.is_reference[b]) reference_ = static_cast<int>(b);
  }
  // Sampling factors n_b / Σ n (MadMiner's event_loader).
  std::vector<std::int64_t> counts;
  if (reader_.sample_summary()) {
    counts = reader_.sample_summary()->signal_events;
  } else {
    counts.assign(static_cast<std::size_t>(num_physics_), 0);
    ForEachBatch(
        0, num_events(), [&](const MadminerEventBatch& batch, std::int64_t) {
          for (std::int64_t sb : batch.sampling_benchmarks) {
            if (sb >= 0 && sb < num_physics_) {
              ++counts[static_cast<std::size_t>(sb)];
            }
          }
        });
  }
  counts.resize(static_cast<std::size_t>(num_physics_), 0);
  const double total = static_cast<double>(
      std::accumulate(counts.begin(), counts.end(), std::int64_t{0}));
  for (std::int64_t count : counts) {
    sampling_factor_.push_back(total > 0 ? static_cast<double>(count) / total
                                         : 1.0);
    generated_.push_back(count > 0);
  }
}

std::vector<std::string> WeightedEvents::parameter_names() const {
  std::vector<std::string> names;
  for (const auto& parameter : setup().parameters) {
    names.push_back(parameter.name);
  }
  return names;
}

std::vector<std::string> WeightedEvents::nuisance_names() const {
  std::vector<std::string> names;
  for (const auto& nuisance : setup().nuisance_parameters) {
    names.push_back(nuisance.name);
  }
  return names;
}

std::vector<std::string> WeightedEvents::observable_names() const {
  std::vector<std::string> names;
  for (const auto& observable : setup().observables) {
    names.push_back(observable.name);
  }
  return names;
}

Eigen::VectorXd WeightedEvents::Coefficients(
    const Eigen::VectorXd& theta) const {
  Eigen::VectorXd w = Eigen::VectorXd::Zero(num_benchmarks());
  w.head(morphing_matrix_.cols()) =
      morphing_matrix_.transpose() * components_->Evaluate(theta);
  return w;
}

Eigen::MatrixXd WeightedEvents::CoefficientGradients(
    const Eigen::VectorXd& theta) const {
  Eigen::MatrixXd g = Eigen::MatrixXd::Zero(num_parameters(), num_benchmarks());
  g.leftCols(morphing_matrix_.cols()) =
      components_->Gradient(theta) * morphing_matrix_;
  return g;
}

PointModel WeightedEvents::Model(const Eigen::VectorXd& theta,
                                 const Eigen::VectorXd& nu,
                                 int benchmark,
                                 bool closest) const {
  PointModel model;
  model.theta = theta;
  model.nu =
      nu.size() == num_nuisance() ? nu : Eigen::VectorXd::Zero(num_nuisance());
  model.nominal = model.nu.isZero(0.0);
  if (benchmark >= 0) {
    model.w = Eigen::VectorXd::Zero(num_benchmarks());
    model.w(benchmark) = 1.0;
  } else {
    GOLDMINE_REQUIRE(has_morphing(),
                     "theta " + std::to_string(theta(0)) +
                         ",...: morphed point without a morphing setup");
    model.w = Coefficients(theta);
  }
  model.g = has_morphing()
                ? CoefficientGradients(theta)
                : Eigen::MatrixXd::Zero(num_parameters(), num_benchmarks());
  if (closest) {
    double best = std::numeric_limits<double>::infinity();
    for (int b = 0; b < num_physics_; ++b) {
      if (!generated_[static_cast<std::size_t>(b)]) continue;
      const double distance =
          (setup().benchmarks.values.row(b).transpose() - theta).squaredNorm();
      if (distance < best) {
        best = distance;
        model.closest = b;
      }
    }
  }
  return model;
}

double WeightedEvents::EventFactor(const PointModel& model,
                                   std::int64_t sampling_benchmark) const {
  if (model.closest >= 0) {
    return sampling_benchmark < 0 || sampling_benchmark == model.closest ? 1.0
                                                                         : 0.0;
  }
  if (sampling_benchmark < 0 || sampling_benchmark >= num_physics_) return 1.0;
  return sampling_factor_[static_cast<std::size_t>(sampling_benchmark)];
}

void WeightedEvents::Nuisance(const Eigen::MatrixXd& weights,
                              Eigen::MatrixXd* a,
                              Eigen::MatrixXd* b) const {
  const Eigen::Index n = weights.rows();
  a->resize(n, num_nuisance());
  b->resize(n, num_nuisance());
  for (int i = 0; i < num_nuisance(); ++i) {
    const int plus = positive_[static_cast<std::size_t>(i)];
    const int minus = negative_[static_cast<std::size_t>(i)];
    for (Eigen::Index e = 0; e < n; ++e) {
      const double ref = weights(e, reference_);
      if (plus < 0) {
        (*a)(e, i) = 0.0;
        (*b)(e, i) = 0.0;
      } else if (minus < 0) {
        (*a)(e, i) = Sanitize(std::log(weights(e, plus) / ref));
        (*b)(e, i) = 0.0;
      } else {
        const double up = weights(e, plus);
        const double down = weights(e, minus);
        (*a)(e, i) = Sanitize(0.5 * std::log(up / down));
        (*b)(e, i) = Sanitize(0.5 * std::log(up * down / (ref * ref)));
      }
    }
  }
}

void WeightedEvents::AllNuisanceCoefficients(Eigen::MatrixXd* a,
                                             Eigen::MatrixXd* b) const {
  a->resize(num_events(), num_nuisance());
  b->resize(num_events(), num_nuisance());
  ForEachBatch(0,
               num_events(),
               [&](const MadminerEventBatch& batch, std::int64_t first) {
                 Eigen::MatrixXd batch_a;
                 Eigen::MatrixXd batch_b;
                 Nuisance(batch.weights, &batch_a, &batch_b);
                 a->middleRows(first, batch.size()) = batch_a;
                 b->middleRows(first, batch.size()) = batch_b;
               });
}

void WeightedEvents::ForEachBatch(
    std::int64_t first,
    std::int64_t end,
    const std::function<void(const MadminerEventBatch&, std::int64_t)>& visit)
    const {
  MadminerEventBatch batch;  // storage reused by every batch
  for (std::int64_t start = first; start < end; start += batch_size_) {
    const std::int64_t count = std::min(batch_size_, end - start);
    reader_.Read(start, count, &batch);
    visit(batch, start);
  }
}

void WeightedEvents::BatchWeights(const PointModel& model,
                                  const MadminerEventBatch& batch,
                                  const Eigen::MatrixXd& a,
                                  const Eigen::MatrixXd& b,
                                  double correction,
                                  Eigen::VectorXd* coefficient,
                                  Eigen::VectorXd* weight) const {
  const Eigen::Index n = batch.size();
  coefficient->resize(n);
  for (Eigen::Index e = 0; e < n; ++e) {
    (*coefficient)(e) =
        correction *
        EventFactor(model,
                    batch.sampling_benchmarks[static_cast<std::size_t>(e)]);
  }
  if (!model.nominal) {
    const Eigen::VectorXd exponent =
        a * model.nu + b * model.nu.cwiseProduct(model.nu);
    *coefficient = coefficient->cwiseProduct(exponent.array().exp().matrix());
  }
  *weight = (batch.weights * model.w).cwiseProduct(*coefficient);
}

void WeightedEvents::Sums(std::vector<PointModel>& models,
                          const Partition& partition,
                          bool extremes) const {
  const int p = num_parameters();
  const int k = num_nuisance();
  std::vector<Eigen::VectorXd> benchmark_sums(
      models.size(), Eigen::VectorXd::Zero(num_benchmarks()));
  for (PointModel& model : models) {
    model.sigma = 0.0;
    model.positive = 0.0;
    model.max_weight = -std::numeric_limits<double>::infinity();
    model.gradient = Eigen::VectorXd::Zero(p + k);
    model.sum_w2 = Eigen::VectorXd::Zero(num_benchmarks());
  }
  Eigen::MatrixXd a;
  Eigen::MatrixXd b;
  Eigen::VectorXd coefficient;
  Eigen::VectorXd weight;
  // Nominal models sharing an event selection are done together: one
  // benchmark sum and one matrix product per group and batch.
  std::vector<std::vector<std::size_t>> groups;
  std::vector<std::size_t> singles;
  for (std::size_t m = 0; m < models.size(); ++m) {
    if (!models[m].nominal) {
      singles.push_back(m);
      continue;
    }
    auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
      return models[g.front()].closest == models[m].closest;
    });
    if (group == groups.end()) {
      groups.push_back({m});
    } else {
      group->push_back(m);
    }
  }
  // Per group: Σ_e coefficient_e w_eb a_eq (B × K), for ∂σ/∂ν of nominal
  // models without the per-point pass.
  std::vector<Eigen::MatrixXd> group_nuisance(
      groups.size(), Eigen::MatrixXd::Zero(num_benchmarks(), k));
  std::vector<Eigen::MatrixXd> group_coefficients(groups.size());
  Eigen::MatrixXd buffer;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    group_coefficients[i].resize(num_benchmarks(),
                                 static_cast<Eigen::Index>(groups[i].size()));
    for (std::size_t j = 0; j < groups[i].size(); ++j) {
      group_coefficients[i].col(static_cast<Eigen::Index>(j)) =
          models[groups[i][j]].w;
    }
  }
  ForEachBatch(
      partition.first,
      partition.end,
      [&](const MadminerEventBatch& batch, std::int64_t) {
        if (k > 0) Nuisance(batch.weights, &a, &b);
        const Eigen::MatrixXd squared = batch.weights.cwiseAbs2();
        for (std::size_t i = 0; i < groups.size(); ++i) {
          const PointModel& first_model = models[groups[i].front()];
          BatchWeights(first_model,
                       batch,
                       a,
                       b,
                       partition.correction,
                       &coefficient,
                       &weight);
          const Eigen::VectorXd sums = batch.weights.transpose() * coefficient;
          const Eigen::VectorXd sums2 =
              squared.transpose() * coefficient.cwiseAbs2();
          // Row blocks keep the events × points product small.
          constexpr Eigen::Index kBlock = 1024;
          const Eigen::Index n = batch.size();
          for (std::size_t j = 0; j < groups[i].size(); ++j) {
            const std::size_t m = groups[i][j];
            benchmark_sums[m] += sums;
            models[m].sum_w2 += sums2;
          }
          if (!extremes) {
            if (k > 0) {
              group_nuisance[i].noalias() +=
                  batch.weights.transpose() * (coefficient.asDiagonal() * a);
            }
            continue;
          }
          for (Eigen::Index row = 0; row < n; row += kBlock) {
            const Eigen::Index rows = std::min(kBlock, n - row);
            buffer.resize(rows, group_coefficients[i].cols());
            buffer.noalias() =
                batch.weights.middleRows(row, rows) * group_coefficients[i];
            buffer = coefficient.segment(row, rows).asDiagonal() * buffer;
            const Eigen::MatrixXd& at_theta = buffer;
            for (std::size_t j = 0; j < groups[i].size(); ++j) {
              PointModel& model = models[groups[i][j]];
              const auto column = at_theta.col(static_cast<Eigen::Index>(j));
              model.sigma += column.sum();
              model.positive += column.cwiseMax(0.0).sum();
              model.max_weight = std::max(model.max_weight, column.maxCoeff());
              for (int q = 0; q < k; ++q) {
                model.gradient(p + q) +=
                    column.dot(a.col(q).segment(row, rows));
              }
            }
          }
        }
        for (std::size_t m : singles) {
          PointModel& model = models[m];
          BatchWeights(
              model, batch, a, b, partition.correction, &coefficient, &weight);
          model.sigma += weight.sum();
          model.positive += weight.cwiseMax(0.0).sum();
          if (weight.size() > 0) {
            model.max_weight = std::max(model.max_weight, weight.maxCoeff());
          }
          benchmark_sums[m].noalias() +=
              batch.weights.transpose() * coefficient;
          model.sum_w2.noalias() +=
              squared.transpose() * coefficient.cwiseAbs2();
          for (int i = 0; i < k; ++i) {
            model.gradient(p + i) +=
                weight.dot(a.col(i) + 2.0 * model.nu(i) * b.col(i));
          }
        }
      });
  if (!extremes) {
    for (std::size_t i = 0; i < groups.size(); ++i) {
      for (std::size_t m : groups[i]) {
        PointModel& model = models[m];
        model.sigma = model.w.dot(benchmark_sums[m]);
        model.gradient.tail(k) = group_nuisance[i].transpose() * model.w;
        model.positive = 0.0;
        model.max_weight = 0.0;
      }
    }
  }
  for (std::size_t m = 0; m < models.size(); ++m) {
    PointModel& model = models[m];
    model.gradient.head(p) = model.g * benchmark_sums[m];
    if (!std::isfinite(model.max_weight)) model.max_weight = 0.0;
  }
}

std::uint64_t SampleBlockSeed(std::uint64_t seed,
                              std::int64_t block,
                              std::uint64_t purpose) {
  return MixSeed(
      seed ^ ((purpose + 1) * 0x9e3779b97f4a7c15ULL) ^
      ((static_cast<std::uint64_t>(block) + 1) * 0xbf58476d1ce4e5b9ULL));
}

std::uint64_t SampleModelSeed(std::uint64_t seed,
                              std::size_t model,
                              std::uint64_t purpose) {
  // Negative "blocks": never those of SampleBlockSeed.
  return SampleBlockSeed(seed, -1 - static_cast<std::int64_t>(model), purpose);
}

void WeightedEvents::Draw(const std::vector<PointModel>& models,
                          const DrawPlan& plan,
                          const Partition& partition,
                          const DrawnPiece& piece) const {
  GOLDMINE_REQUIRE(plan.slots.size() == models.size(),
                   "a draw plan needs the slots of every model");
  const Eigen::Index carried_width =
      plan.carry == DrawCarry::kWeights  ? num_benchmarks()
      : plan.carry == DrawCarry::kScores ? num_score()
                                         : 0;
  // Helper threads (draws ahead, scratch writes, read-back) only where a
  // second core can run them.
  const bool on_threads = core::UsableCores() > 1;
  DrawnRows rows(plan.first,
                 plan.end,
                 plan.piece_slots,
                 setup().num_observables(),
                 carried_width,
                 0,
                 on_threads);
  // One stream of draws per model that draws: its ascending uniforms, scaled
  // to Σ max(w, 0), meet the running sum of its positive weights. The k-th
  // smallest uniform fills the slot of draw π(k) (draws_ahead.h: the
  // uniforms are made on a second thread).
  struct Stream {
    std::size_t model;
    double sum = 0.0;
    // The last event with positive weight so far, and its row.
    std::int64_t last_positive = -1;
    Eigen::RowVectorXd last_x;
    Eigen::RowVectorXd last_carried;
  };
  std::vector<Stream> streams;
  std::vector<DrawsAhead::Model> drawn;
  for (std::size_t m = 0; m < models.size(); ++m) {
    if (plan.slots[m].count <= 0) continue;
    streams.push_back({m, 0.0, -1, Eigen::RowVectorXd(), Eigen::RowVectorXd()});
    drawn.push_back({plan.slots[m],
                     SampleModelSeed(plan.seed, m, 0),
                     SampleModelSeed(plan.seed, m, 1)});
  }
  DrawsAhead draws(drawn, on_threads);
  auto keep = [&](std::size_t s, const auto& x, const auto& carried) {
    const std::int64_t slot = draws.slot(s);
    if (rows.Holds(slot)) rows.Add(slot, x, carried);
    draws.Next(s);
  };
  const int k = num_nuisance();
  Eigen::MatrixXd a;
  Eigen::MatrixXd b;
  Eigen::VectorXd coefficient;
  Eigen::VectorXd weight;
  Eigen::MatrixXd computed;  // scores, or no columns
  ForEachBatch(
      partition.first,
      partition.end,
      [&](const MadminerEventBatch& batch, std::int64_t first) {
        if (k > 0) Nuisance(batch.weights, &a, &b);
        for (std::size_t s = 0; s < streams.size(); ++s) {
          Stream& stream = streams[s];
          if (draws.done(s)) continue;
          const PointModel& model = models[stream.model];
          BatchWeights(
              model, batch, a, b, partition.correction, &coefficient, &weight);
          const Eigen::MatrixXd* carried = &batch.weights;
          if (plan.carry != DrawCarry::kWeights) {
            computed = plan.carry == DrawCarry::kScores
                           ? Scores(model, batch.weights)
                           : Eigen::MatrixXd(batch.size(), 0);
            carried = &computed;
          }
          double sum = stream.sum;
          Eigen::Index last = -1;
          for (Eigen::Index e = 0; e < weight.size(); ++e) {
            if (weight(e) <= 0.0) continue;
            sum += weight(e);
            last = e;
            while (!draws.done(s) && draws.value(s) * model.positive <= sum) {
              keep(s, batch.observations.row(e), carried->row(e));
            }
            if (draws.done(s)) break;
          }
          stream.sum = sum;
          if (last >= 0) {
            stream.last_positive = first + last;
            stream.last_x = batch.observations.row(last);
            stream.last_carried = carried->row(last);
          }
        }
      });
  // Rounding can leave the largest draws just above the final sum (Σ max(w,
  // 0) was summed in another order): they take the last event with positive
  // weight.
  for (std::size_t s = 0; s < streams.size(); ++s) {
    const Stream& stream = streams[s];
    GOLDMINE_REQUIRE(draws.done(s) || stream.last_positive >= 0,
                     "no event with positive weight to draw from");
    while (!draws.done(s)) keep(s, stream.last_x, stream.last_carried);
  }
  rows.ForEachPiece(piece);
}

double WeightedEvents::Weight(
    const PointModel& model,
    const Eigen::Ref<const Eigen::RowVectorXd>& weights) const {
  double w = weights.dot(model.w.transpose());
  if (!model.nominal) {
    Eigen::MatrixXd a;
    Eigen::MatrixXd b;
    Nuisance(Eigen::MatrixXd(weights), &a, &b);
    double exponent = 0.0;
    for (int i = 0; i < num_nuisance(); ++i) {
      exponent += a(0, i) * model.nu(i) + b(0, i) * model.nu(i) * model.nu(i);
    }
    w *= std::exp(exponent);
  }
  return w;
}

Eigen::VectorXd WeightedEvents::Score(
    const PointModel& model,
    const Eigen::Ref<const Eigen::RowVectorXd>& weights) const {
  const int p = num_parameters();
  const int k = num_nuisance();
  Eigen::VectorXd score(p + k);
  const double w = weights.dot(model.w.transpose());
  score.head(p) =
      model.g * weights.transpose() / w - model.gradient.head(p) / model.sigma;
  if (k > 0) {
    Eigen::MatrixXd a;
    Eigen::MatrixXd b;
    Nuisance(Eigen::MatrixXd(weights), &a, &b);
    for (int i = 0; i < k; ++i) {
      score(p + i) = a(0, i) + 2.0 * b(0, i) * model.nu(i) -
                     model.gradient(p + i) / model.sigma;
    }
  }
  return score;
}

Eigen::VectorXd WeightedEvents::Weights(
    const PointModel& model,
    const Eigen::Ref<const Eigen::MatrixXd>& weights) const {
  Eigen::VectorXd w = weights * model.w;
  if (!model.nominal) {
    Eigen::MatrixXd a;
    Eigen::MatrixXd b;
    Nuisance(weights, &a, &b);
    const Eigen::VectorXd exponent =
        a * model.nu + b * model.nu.cwiseProduct(model.nu);
    w = w.cwiseProduct(exponent.array().exp().matrix());
  }
  return w;
}

Eigen::MatrixXd WeightedEvents::Scores(
    const PointModel& model,
    const Eigen::Ref<const Eigen::MatrixXd>& weights) const {
  const int p = num_parameters();
  const int k = num_nuisance();
  const Eigen::Index n = weights.rows();
  Eigen::MatrixXd scores(n, p + k);
  const Eigen::VectorXd w = weights * model.w;
  scores.leftCols(p).noalias() = weights * model.g.transpose();
  for (int i = 0; i < p; ++i) {
    const double xsec_term = model.gradient(i) / model.sigma;
    scores.col(i) = (scores.col(i).array() / w.array() - xsec_term).matrix();
  }
  if (k > 0) {
    Eigen::MatrixXd a;
    Eigen::MatrixXd b;
    Nuisance(weights, &a, &b);
    for (int i = 0; i < k; ++i) {
      scores.col(p + i) = ((a.col(i) + 2.0 * model.nu(i) * b.col(i)).array() -
                           model.gradient(p + i) / model.sigma)
                              .matrix();
    }
  }
  return scores;
}

void WeightedEvents::ReadRows(const std::vector<std::int64_t>& events,
                              Eigen::MatrixXd* x,
                              Eigen::MatrixXd* weights) const {
  // (event, row) pairs sorted by event: direct comparisons are several times
  // faster than sorting row indices through the events vector.
  std::vector<std::pair<std::int64_t, Eigen::Index>> order(events.size());
  for (std::size_t row = 0; row < events.size(); ++row) {
    order[row] = {events[row], static_cast<Eigen::Index>(row)};
  }
  std::sort(order.begin(), order.end());
  ReadSortedRows(order, x, weights);
}

void WeightedEvents::ReadSortedRows(
    const std::vector<std::pair<std::int64_t, Eigen::Index>>& order,
    Eigen::MatrixXd* x,
    Eigen::MatrixXd* weights) const {
  using RowMajor =
      Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto n = static_cast<Eigen::Index>(order.size());
  for (const auto& [event, row] : order) {
    GOLDMINE_REQUIRE(event >= 0 && event < num_events(),
                     "event index " + std::to_string(event) +
                         " outside the file's " + std::to_string(num_events()) +
                         " events");
  }
  // Rows land in random output positions: row-major staging keeps each
  // scattered write within one or two cache lines.
  RowMajor x_rows(n, setup().num_observables());
  RowMajor weight_rows(n, num_benchmarks());
  std::size_t cursor = 0;
  while (cursor < order.size()) {
    const std::int64_t start = order[cursor].first;
    const std::int64_t count = std::min(batch_size_, num_events() - start);
    const MadminerEventBatch batch = reader_.Read(start, count);
    while (cursor < order.size()) {
      const auto [event, row] = order[cursor];
      if (event >= start + count) break;
      x_rows.row(row) = batch.observations.row(event - start);
      weight_rows.row(row) = batch.weights.row(event - start);
      ++cursor;
    }
  }
  *x = x_rows;
  *weights = weight_rows;
}

Eigen::MatrixXd WeightedEvents::ReadWeights(
    const std::vector<std::int64_t>& events) const {
  Eigen::MatrixXd x;
  Eigen::MatrixXd weights;
  ReadRows(events, &x, &weights);
  return weights;
}

}  // namespace goldmine::mining
