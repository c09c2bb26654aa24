#include "goldmine/mining/augmenter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "goldmine/core/errors.h"
#include "goldmine/core/parallel_for.h"
#include "goldmine/core/random.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/morphing/components.h"
#include "weighted_events.h"

namespace goldmine::mining {
namespace {

std::string PointText(const Eigen::VectorXd& theta) {
  std::ostringstream text;
  text.precision(6);
  text << "(";
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    text << (i > 0 ? ", " : "") << theta(i);
  }
  text << ")";
  return text.str();
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream stream(text);
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

double ParseNumber(const std::string& text, const std::string& spec) {
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value)) {
    throw InvalidInput("theta specification \"" + spec + "\": \"" + text +
                       "\" is not a number");
  }
  return value;
}

std::vector<double> ParseNumbers(const std::string& text,
                                 const std::string& spec) {
  std::vector<double> values;
  for (const std::string& part : Split(text, ',')) {
    values.push_back(ParseNumber(part, spec));
  }
  return values;
}

// The most θ points a specification (random:N, grid:N1,N2,...) may give.
constexpr std::int64_t kMaxThetaPoints = 10000000;

std::int64_t ParseCount(const std::string& text, const std::string& spec) {
  const double value = ParseNumber(text, spec);
  if (value < 1 || value != std::floor(value) || value > 1e9) {
    throw InvalidInput("theta specification \"" + spec + "\": \"" + text +
                       "\" is not a positive integer");
  }
  return static_cast<std::int64_t>(value);
}

}  // namespace

Partition MakePartition(const std::string& name,
                        std::int64_t num_events,
                        const AugmenterOptions& options) {
  const double test = options.test_split;
  const double validation = options.validation_split;
  if (!(test >= 0.0 && validation >= 0.0 && test + validation < 1.0)) {
    throw InvalidInput("partition fractions: test " + std::to_string(test) +
                       " and validation " + std::to_string(validation) +
                       " must be ≥ 0 and sum to less than 1");
  }
  Partition partition;
  partition.name = name;
  const auto train_end = static_cast<std::int64_t>(std::llround(
      (1.0 - test - validation) * static_cast<double>(num_events)));
  const auto validation_end = static_cast<std::int64_t>(
      std::llround((1.0 - test) * static_cast<double>(num_events)));
  const std::int64_t skip = options.madminer_partitions ? 1 : 0;
  if (name == "all") {
    partition.first = 0;
    partition.end = num_events;
    partition.correction = 1.0;
  } else if (name == "train") {
    partition.first = 0;
    partition.end = train_end;
    partition.correction = 1.0 / (1.0 - test - validation);
  } else if (name == "validation") {
    partition.first = train_end + skip;
    partition.end = validation_end;
    partition.correction = validation > 0.0 ? 1.0 / validation : 0.0;
  } else if (name == "test") {
    partition.first = validation_end + skip;
    partition.end = num_events;
    partition.correction = test > 0.0 ? 1.0 / test : 0.0;
  } else {
    throw InvalidInput("partition \"" + name +
                       "\" unknown; expected all, train, validation or test");
  }
  partition.end = std::max(partition.end, partition.first);
  if (partition.size() <= 0) {
    throw InvalidInput(
        "partition " + name + " has no events (" + std::to_string(num_events) +
        " events in the file, test fraction " + std::to_string(test) +
        ", validation fraction " + std::to_string(validation) + ")");
  }
  return partition;
}

// ------------------------------------------------------------ Augmenter

// Rows per unit of work of the threads (AugmenterOptions::threads).
constexpr Eigen::Index kRowChunk = 8192;

// Draws per piece of a streamed sample (AugmenterOptions::draws_per_piece):
// up to kSinglePieceDraws in one piece, drawn straight into memory; beyond,
// pieces of kDefaultDrawsPerPiece, two of which are in memory at a time
// (drawn_rows.h), as much as the single piece.
constexpr std::int64_t kSinglePieceDraws = 100000;
constexpr std::int64_t kDefaultDrawsPerPiece = 50000;

struct Augmenter::Impl {
  AugmenterOptions options;
  WeightedEvents events;
  Impl(const std::filesystem::path& path, AugmenterOptions opts)
      : options(opts), events(path, opts.batch_size) {}

  Partition Part(const std::string& name) const {
    return MakePartition(name, events.num_events(), options);
  }

  // The draws [first, end) of this shard, blocks from first_block on, of a
  // sample of `total` draws.
  struct ShardDraws {
    std::int64_t first_block = 0;
    std::int64_t first = 0;
    std::int64_t end = 0;
  };
  ShardDraws Shard(std::int64_t total) const {
    const std::int64_t blocks =
        (total + kSampleBlockSize - 1) / kSampleBlockSize;
    const std::int64_t shards = options.num_shards;
    if (shards > blocks) {
      throw InvalidInput(
          "--shard " + std::to_string(options.shard) + "/" +
          std::to_string(shards) + ": the sample has " + std::to_string(total) +
          " draws, " + std::to_string(blocks) + " block(s) of " +
          std::to_string(kSampleBlockSize) + "; expected at most " +
          std::to_string(blocks) + " shard(s)");
    }
    ShardDraws draws;
    draws.first_block = blocks * options.shard / shards;
    const std::int64_t end_block = blocks * (options.shard + 1) / shards;
    draws.first = draws.first_block * kSampleBlockSize;
    draws.end = std::min(total, end_block * kSampleBlockSize);
    return draws;
  }

  std::vector<PointModel> Models(const ThetaPoints& points,
                                 bool closest) const {
    std::vector<PointModel> models;
    for (Eigen::Index i = 0; i < points.size(); ++i) {
      models.push_back(
          events.Model(points.thetas.row(i).transpose(),
                       points.nus.row(i).transpose(),
                       points.benchmarks[static_cast<std::size_t>(i)],
                       closest));
    }
    return models;
  }

  void RequireSampleable(const std::vector<PointModel>& models,
                         const Partition& partition) const {
    for (const PointModel& model : models) {
      if (!(model.sigma > 0.0) || !(model.positive > 0.0)) {
        std::ostringstream sigma;  // shortest form: not 150 digits
        sigma << model.sigma;
        throw InvalidInput("cross section at theta " + PointText(model.theta) +
                           " is " + sigma.str() + " pb in partition " +
                           partition.name +
                           " (no events with positive weight); cannot "
                           "sample there");
      }
    }
  }

  void RequireScore(const std::string& method) const {
    if (!events.has_morphing()) {
      throw InvalidInput("method " + method +
                         " needs the joint score, which needs a morphing "
                         "setup; the events file has no morphing/ group");
    }
  }

  SampleData Header(const std::string& method,
                    const Partition& partition,
                    std::uint64_t seed) const {
    SampleData data;
    data.method = method;
    data.parameters = events.parameter_names();
    data.nuisance_parameters = events.nuisance_names();
    data.observables = events.observable_names();
    data.partition = partition.name;
    data.seed = seed;
    data.shard = options.shard;
    data.num_shards = options.num_shards;
    return data;
  }

  static double MinNeff(const std::vector<PointModel>& models,
                        const std::vector<std::int64_t>& counts) {
    double n_eff = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < models.size(); ++k) {
      if (counts[k] > 0) n_eff = std::min(n_eff, models[k].n_eff());
    }
    return std::isfinite(n_eff) ? n_eff : 0.0;
  }

  // Draws point after point: draw d comes from point d / per_point. With a
  // sink, the shard's draws go to it in pieces of whole blocks; without,
  // they are returned whole.
  SampleData SingleTheta(const std::string& method,
                         const ThetaPoints& theta,
                         std::int64_t n_samples,
                         std::uint64_t seed,
                         const std::string& partition_name,
                         bool score,
                         const SampleSink* sink = nullptr) const {
    GOLDMINE_REQUIRE(n_samples > 0, "--n-samples must be positive");
    GOLDMINE_REQUIRE(theta.size() > 0, "no theta points given");
    if (score) RequireScore(method);
    const Partition partition = Part(partition_name);
    std::vector<PointModel> models =
        Models(theta, options.sample_only_from_closest_benchmark);
    events.Sums(models, partition);
    RequireSampleable(models, partition);
    const std::int64_t per_point =
        std::max<std::int64_t>(1,
                               std::llround(static_cast<double>(n_samples) /
                                            static_cast<double>(theta.size())));
    const std::vector<std::int64_t> counts(models.size(), per_point);
    const double n_eff = MinNeff(models, counts);
    // Point m fills the slots [m per_point, (m + 1) per_point).
    std::vector<ModelSlots> slots(models.size());
    for (std::size_t m = 0; m < models.size(); ++m) {
      slots[m].count = per_point;
      slots[m].first = static_cast<std::int64_t>(m) * per_point;
      slots[m].run = per_point;
    }
    return DrawPieces(
        models,
        std::move(slots),
        score ? DrawCarry::kScores : DrawCarry::kNothing,
        Shard(per_point * static_cast<std::int64_t>(models.size())),
        [&](const ShardDraws& group,
            Eigen::MatrixXd& x,
            Eigen::MatrixXd& scores) {
          return SingleThetaRows(method,
                                 models,
                                 group,
                                 x,
                                 scores,
                                 per_point,
                                 seed,
                                 partition,
                                 score);
        },
        sink,
        method,
        partition,
        seed,
        n_eff);
  }

  // The rows of the slots [group.first, group.end) of a single-θ sample,
  // from their drawn observables and (local, density) their scores at the
  // drawing point.
  SampleData SingleThetaRows(const std::string& method,
                             const std::vector<PointModel>& models,
                             const ShardDraws& group,
                             Eigen::MatrixXd& x,
                             Eigen::MatrixXd& scores,
                             std::int64_t per_point,
                             std::uint64_t seed,
                             const Partition& partition,
                             bool score) const {
    SampleData data = Header(method, partition, seed);
    const Eigen::Index n = x.rows();
    data.x = std::move(x);
    // The scores at the drawing point came with the rows (DrawCarry).
    if (score) data.t_xz = std::move(scores);
    data.theta0.resize(n, events.num_parameters());
    for (Eigen::Index first = 0; first < n;) {
      const auto point =
          static_cast<std::size_t>((group.first + first) / per_point);
      const Eigen::Index end = std::min<Eigen::Index>(
          n, static_cast<Eigen::Index>(point + 1) * per_point - group.first);
      data.theta0.middleRows(first, end - first).rowwise() =
          models[point].theta.transpose();
      first = end;
    }
    return data;
  }

  // Pairs of θ0 and θ1 models: a specification with one point is repeated.
  static Eigen::Index NumSets(const ThetaPoints& theta0,
                              const ThetaPoints& theta1) {
    const Eigen::Index sets = std::max(theta0.size(), theta1.size());
    for (const ThetaPoints* points : {&theta0, &theta1}) {
      if (points->size() != 1 && points->size() != sets) {
        throw InvalidInput("--theta0 gives " + std::to_string(theta0.size()) +
                           " points and --theta1 " +
                           std::to_string(theta1.size()) +
                           "; they must have the same number of points or "
                           "one of them a single point");
      }
    }
    return sets;
  }

  // Which model each draw of a ratio sample uses. Draws go set after set:
  // per set, per_set0 from its θ0 point (y = 0), then per_set1 from its θ1
  // point (y = 1); a single θ0 or θ1 point serves every set.
  struct RatioPlan {
    std::vector<PointModel> models;  // θ0 points, θ1 points, additional
    int offset1 = 0;                 // the first θ1 model
    int offset_a = 0;                // the first additional model
    Eigen::Index num_additional = 0;
    bool single0 = false;
    bool single1 = false;
    std::int64_t per_set0 = 0;
    std::int64_t per_set1 = 0;

    std::int64_t PerSet() const { return per_set0 + per_set1; }
    int Index0(Eigen::Index set) const {
      return single0 ? 0 : static_cast<int>(set);
    }
    int Index1(Eigen::Index set) const {
      return offset1 + (single1 ? 0 : static_cast<int>(set));
    }
    int Y(std::int64_t d) const { return d % PerSet() >= per_set0 ? 1 : 0; }
    // The slots of each model: set s holds per_set0 θ0 draws, then per_set1
    // θ1 draws; a single θ0 (θ1) point fills its part of every set.
    std::vector<ModelSlots> Slots(Eigen::Index sets) const {
      std::vector<ModelSlots> slots(models.size());
      for (Eigen::Index set = 0; set < sets; ++set) {
        for (const int y : {0, 1}) {
          const int m = y == 0 ? Index0(set) : Index1(set);
          const std::int64_t per_set = y == 0 ? per_set0 : per_set1;
          ModelSlots& model = slots[static_cast<std::size_t>(m)];
          if (model.count == 0) {
            model.first = set * PerSet() + y * per_set0;
            model.run = per_set;
            model.stride = PerSet();
          }
          model.count += per_set;
        }
      }
      return slots;
    }
  };

  SampleData Ratio(const ThetaPoints& theta0,
                   const ThetaPoints& theta1,
                   const ThetaPoints* additional,
                   std::int64_t n_samples,
                   std::uint64_t seed,
                   const std::string& partition_name,
                   const SampleSink* sink = nullptr) const {
    const bool more = additional != nullptr;
    const std::string method = more ? "more-ratios" : "ratio";
    GOLDMINE_REQUIRE(n_samples > 1, "--n-samples must be at least 2");
    GOLDMINE_REQUIRE(theta0.size() > 0 && theta1.size() > 0,
                     "method " + method + " needs --theta0 and --theta1");
    if (more) RequireScore(method);
    const bool score = events.has_morphing();
    const Partition partition = Part(partition_name);
    const Eigen::Index sets = NumSets(theta0, theta1);
    const bool closest = options.sample_only_from_closest_benchmark;
    // Models: θ0 points, θ1 points, additional points.
    RatioPlan plan;
    plan.models = Models(theta0, closest);
    plan.offset1 = static_cast<int>(plan.models.size());
    for (PointModel& model : Models(theta1, closest)) {
      plan.models.push_back(std::move(model));
    }
    plan.offset_a = static_cast<int>(plan.models.size());
    if (more) {
      plan.num_additional = additional->size();
      for (PointModel& model : Models(*additional, closest)) {
        plan.models.push_back(std::move(model));
      }
    }
    events.Sums(plan.models, partition);
    RequireSampleable(plan.models, partition);
    plan.single0 = theta0.size() == 1;
    plan.single1 = theta1.size() == 1;
    const std::int64_t half0 = n_samples / 2;
    const std::int64_t half1 = n_samples - half0;
    plan.per_set0 = std::max<std::int64_t>(
        1,
        std::llround(static_cast<double>(half0) / static_cast<double>(sets)));
    plan.per_set1 = std::max<std::int64_t>(
        1,
        std::llround(static_cast<double>(half1) / static_cast<double>(sets)));
    // Draw counts per model (a model shared by several sets draws for all).
    std::vector<std::int64_t> counts(plan.models.size(), 0);
    for (Eigen::Index set = 0; set < sets; ++set) {
      counts[static_cast<std::size_t>(plan.Index0(set))] += plan.per_set0;
      counts[static_cast<std::size_t>(plan.Index1(set))] += plan.per_set1;
    }
    const double n_eff = MinNeff(plan.models, counts);
    return DrawPieces(
        plan.models,
        plan.Slots(sets),
        DrawCarry::kWeights,
        Shard(plan.PerSet() * sets),
        [&](const ShardDraws& draws,
            Eigen::MatrixXd& x,
            Eigen::MatrixXd& weights) {
          return RatioRows(
              plan, draws, x, weights, method, partition, seed, score);
        },
        sink,
        method,
        partition,
        seed,
        n_eff);
  }

  // The rows of the draws [draws.first, draws.end) (whole blocks) of a ratio
  // sample, from their drawn observables (x) and benchmark weights.
  SampleData RatioRows(const RatioPlan& plan,
                       const ShardDraws& draws,
                       const Eigen::MatrixXd& x,
                       const Eigen::MatrixXd& weights,
                       const std::string& method,
                       const Partition& partition,
                       std::uint64_t seed,
                       bool score) const {
    const bool more = method == "more-ratios";
    struct Row {
      Eigen::Index drawn_row;
      int model0;
      int model1;
      double y;
    };
    // Every draw gives a row (θ0, θ1) and one per additional point θ_a:
    // (θ0, θ_a) for θ0-drawn rows, (θ_a, θ1) for θ1-drawn rows.
    const Eigen::Index num_additional = plan.num_additional;
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>((draws.end - draws.first) *
                                          (1 + num_additional)));
    for (std::int64_t d = draws.first; d < draws.end; ++d) {
      const Eigen::Index set = d / plan.PerSet();
      const int y = plan.Y(d);
      const int m0 = plan.Index0(set);
      const int m1 = plan.Index1(set);
      const Eigen::Index drawn_row = d - draws.first;
      rows.push_back({drawn_row, m0, m1, static_cast<double>(y)});
      for (Eigen::Index a = 0; a < num_additional; ++a) {
        const int ma = plan.offset_a + static_cast<int>(a);
        rows.push_back({drawn_row,
                        y == 0 ? m0 : ma,
                        y == 0 ? ma : m1,
                        static_cast<double>(y)});
      }
    }
    // MadMiner shuffles the joint sample; here the rows of each block are
    // shuffled with the block's own stream, so that shards concatenate into
    // the unsharded sample.
    const auto rows_per_block =
        static_cast<std::size_t>(kSampleBlockSize * (1 + num_additional));
    for (std::size_t first = 0, block = 0; first < rows.size();
         first += rows_per_block, ++block) {
      const std::size_t size = std::min(rows_per_block, rows.size() - first);
      RandomStream random(SampleBlockSeed(
          seed, draws.first_block + static_cast<std::int64_t>(block), 1));
      for (std::size_t i = size; i > 1; --i) {
        const auto j = static_cast<std::size_t>(random.Index(i));
        std::swap(rows[first + i - 1], rows[first + j]);
      }
    }
    SampleData data = Header(method, partition, seed);
    const auto n = static_cast<Eigen::Index>(rows.size());
    const int p = events.num_parameters();
    data.x.resize(n, x.cols());
    data.theta0.resize(n, p);
    data.theta1.resize(n, p);
    data.y.resize(n, 1);
    data.r_xz.resize(n, 1);
    if (score) data.t_xz.resize(n, events.num_score());
    if (more) data.t_xz1.resize(n, events.num_score());
    // Weights (and scores) per model over the rows that use it, as matrix
    // products instead of one small evaluation per row.
    // Chunks of at most kRowChunk rows of one model, computed on
    // options.threads threads (a row's numbers do not depend on its chunk).
    auto evaluate = [&](bool numerator,
                        Eigen::VectorXd* w,
                        Eigen::MatrixXd* t) {
      std::vector<std::vector<Eigen::Index>> rows_of_model(plan.models.size());
      for (Eigen::Index i = 0; i < n; ++i) {
        const Row& row = rows[static_cast<std::size_t>(i)];
        rows_of_model[static_cast<std::size_t>(numerator ? row.model0
                                                         : row.model1)]
            .push_back(i);
      }
      struct Chunk {
        std::size_t model;
        std::size_t first;
        std::size_t end;
      };
      std::vector<Chunk> chunks;
      for (std::size_t m = 0; m < plan.models.size(); ++m) {
        const std::size_t size = rows_of_model[m].size();
        for (std::size_t first = 0; first < size;
             first += static_cast<std::size_t>(kRowChunk)) {
          chunks.push_back(
              {m,
               first,
               std::min(size, first + static_cast<std::size_t>(kRowChunk))});
        }
      }
      w->resize(n);
      core::ParallelFor(
          static_cast<std::int64_t>(chunks.size()),
          options.threads,
          [&](std::int64_t c) {
            const Chunk& chunk = chunks[static_cast<std::size_t>(c)];
            const std::vector<Eigen::Index>& list = rows_of_model[chunk.model];
            const PointModel& model = plan.models[chunk.model];
            Eigen::MatrixXd gathered(
                static_cast<Eigen::Index>(chunk.end - chunk.first),
                weights.cols());
            for (std::size_t j = chunk.first; j < chunk.end; ++j) {
              gathered.row(static_cast<Eigen::Index>(j - chunk.first)) =
                  weights.row(
                      rows[static_cast<std::size_t>(list[j])].drawn_row);
            }
            const Eigen::VectorXd values =
                events.Weights(model, gathered) / model.sigma;
            const Eigen::MatrixXd scores = t != nullptr
                                               ? events.Scores(model, gathered)
                                               : Eigen::MatrixXd();
            for (std::size_t j = chunk.first; j < chunk.end; ++j) {
              const auto jj = static_cast<Eigen::Index>(j - chunk.first);
              (*w)(list[j]) = values(jj);
              if (t != nullptr) t->row(list[j]) = scores.row(jj);
            }
          });
    };
    Eigen::VectorXd p0;
    Eigen::VectorXd p1;
    evaluate(true, &p0, score ? &data.t_xz : nullptr);
    evaluate(false, &p1, more ? &data.t_xz1 : nullptr);
    core::ParallelFor(
        (n + kRowChunk - 1) / kRowChunk, options.threads, [&](std::int64_t c) {
          const Eigen::Index end =
              std::min<Eigen::Index>(n, (c + 1) * kRowChunk);
          for (Eigen::Index i = c * kRowChunk; i < end; ++i) {
            const Row& row = rows[static_cast<std::size_t>(i)];
            const PointModel& model0 =
                plan.models[static_cast<std::size_t>(row.model0)];
            const PointModel& model1 =
                plan.models[static_cast<std::size_t>(row.model1)];
            data.x.row(i) = x.row(row.drawn_row);
            data.theta0.row(i) = model0.theta.transpose();
            data.theta1.row(i) = model1.theta.transpose();
            data.y(i, 0) = row.y;
            data.r_xz(i, 0) = p0(i) / p1(i);
          }
        });
    return data;
  }

  // Draws the slots `draws` of a sample (model m fills slots[m], the rows
  // carry `carry`) in one pass over the events. Without a sink, returns the
  // rows of all of them, make_rows(draws, x, carried); with one, hands
  // make_rows(group, ...) to the sink for groups of whole blocks
  // (options.draws_per_piece) and returns the metadata without rows. Every
  // result gets the whole sample's n_eff.
  template <typename MakeRows>
  SampleData DrawPieces(const std::vector<PointModel>& models,
                        std::vector<ModelSlots> slots,
                        DrawCarry carry,
                        const ShardDraws& draws,
                        const MakeRows& make_rows,
                        const SampleSink* sink,
                        const std::string& method,
                        const Partition& partition,
                        std::uint64_t seed,
                        double n_eff) const {
    DrawPlan plan;
    plan.slots = std::move(slots);
    plan.first = draws.first;
    plan.end = draws.end;
    plan.seed = seed;
    plan.carry = carry;
    plan.piece_slots = draws.end - draws.first;
    if (sink != nullptr) {
      const std::int64_t per_piece =
          options.draws_per_piece > 0 ? options.draws_per_piece
          : draws.end - draws.first <= kSinglePieceDraws
              ? kSinglePieceDraws
              : kDefaultDrawsPerPiece;
      plan.piece_slots =
          std::max<std::int64_t>(1, per_piece / kSampleBlockSize) *
          kSampleBlockSize;
    }
    SampleData whole;
    events.Draw(
        models,
        plan,
        partition,
        [&](std::int64_t first, Eigen::MatrixXd& x, Eigen::MatrixXd& weights) {
          ShardDraws group;
          group.first_block = first / kSampleBlockSize;
          group.first = first;
          group.end = first + x.rows();
          SampleData piece = make_rows(group, x, weights);
          piece.n_eff = n_eff;
          if (sink == nullptr) {
            whole = std::move(piece);
          } else {
            (*sink)(piece);
          }
        });
    if (sink == nullptr) return whole;
    SampleData header = Header(method, partition, seed);
    header.n_eff = n_eff;
    return header;
  }
};

Augmenter::Augmenter(const std::filesystem::path& events_file,
                     AugmenterOptions options)
    : impl_(std::make_unique<Impl>(events_file, options)) {
  GOLDMINE_REQUIRE(options.batch_size > 0, "batch size must be positive");
  if (options.num_shards < 1 || options.shard < 0 ||
      options.shard >= options.num_shards) {
    throw InvalidInput("--shard " + std::to_string(options.shard) + "/" +
                       std::to_string(options.num_shards) +
                       ": expected I/N with 0 <= I < N");
  }
}

Augmenter::~Augmenter() = default;

const MadminerSetup& Augmenter::setup() const { return impl_->events.setup(); }
std::int64_t Augmenter::num_events() const {
  return impl_->events.num_events();
}
int Augmenter::num_parameters() const { return impl_->events.num_parameters(); }
int Augmenter::num_nuisance_parameters() const {
  return impl_->events.num_nuisance();
}
bool Augmenter::has_morphing() const { return impl_->events.has_morphing(); }
std::vector<std::string> Augmenter::parameter_names() const {
  return impl_->events.parameter_names();
}
std::vector<std::string> Augmenter::nuisance_parameter_names() const {
  return impl_->events.nuisance_names();
}
std::vector<std::string> Augmenter::observable_names() const {
  return impl_->events.observable_names();
}
const AugmenterOptions& Augmenter::options() const { return impl_->options; }

void ThetaPoints::Append(const ThetaPoints& more) {
  if (size() == 0) {
    thetas.resize(0, more.thetas.cols());
    nus.resize(0, more.nus.cols());
  }
  GOLDMINE_REQUIRE(
      more.thetas.cols() == thetas.cols() && more.nus.cols() == nus.cols(),
      "ThetaPoints::Append: points with " + std::to_string(more.thetas.cols()) +
          " parameters and " + std::to_string(more.nus.cols()) +
          " nuisance parameters appended to points with " +
          std::to_string(thetas.cols()) + " and " + std::to_string(nus.cols()));
  const Eigen::Index n = size();
  thetas.conservativeResize(n + more.size(), Eigen::NoChange);
  thetas.bottomRows(more.size()) = more.thetas;
  nus.conservativeResize(n + more.size(), Eigen::NoChange);
  nus.bottomRows(more.size()) = more.nus;
  benchmarks.insert(
      benchmarks.end(), more.benchmarks.begin(), more.benchmarks.end());
}

ThetaPoints Augmenter::ParseTheta(const std::string& spec,
                                  RandomStream& random,
                                  const std::string& nuisance) const {
  const WeightedEvents& events = impl_->events;
  const MadminerSetup& setup = events.setup();
  const int p = events.num_parameters();
  const int k = events.num_nuisance();
  if (nuisance != "nominal" && nuisance != "gaussian") {
    throw InvalidInput("nuisance specification \"" + nuisance +
                       "\" unknown; expected nominal or gaussian");
  }
  auto fail = [&](const std::string& problem) -> void {
    throw InvalidInput("theta specification \"" + spec + "\": " + problem);
  };
  std::vector<Eigen::VectorXd> thetas;
  std::vector<int> benchmarks;
  auto add_point = [&](const std::vector<double>& values) {
    if (static_cast<int>(values.size()) != p) {
      fail("expected " + std::to_string(p) +
           " values (one per parameter), got " + std::to_string(values.size()));
    }
    Eigen::VectorXd theta = Eigen::Map<const Eigen::VectorXd>(values.data(), p);
    int benchmark = -1;
    if (!events.has_morphing()) {
      for (int b = 0; b < events.num_physics(); ++b) {
        if (setup.benchmarks.values.row(b).transpose() == theta) benchmark = b;
      }
      if (benchmark < 0) {
        fail(
            "the events file has no morphing setup, so only benchmark "
            "points can be used");
      }
    }
    thetas.push_back(theta);
    benchmarks.push_back(benchmark);
  };
  const std::vector<std::string> parts = Split(spec, ':');
  const std::string kind = parts.empty() ? "" : parts[0];
  auto range = [&](int i) {
    return setup.parameters[static_cast<std::size_t>(i)].range;
  };
  if (kind == "benchmark") {
    if (parts.size() != 2) fail("expected benchmark:NAME");
    const auto& names = setup.benchmarks.names;
    int found = -1;
    for (int b = 0; b < events.num_physics(); ++b) {
      if (names[static_cast<std::size_t>(b)] == parts[1]) found = b;
    }
    if (found < 0) {
      std::string known;
      for (int b = 0; b < events.num_physics(); ++b) {
        known += (b > 0 ? ", " : "") + names[static_cast<std::size_t>(b)];
      }
      fail("unknown benchmark \"" + parts[1] + "\"; the events file has " +
           known);
    }
    thetas.push_back(setup.benchmarks.values.row(found).transpose());
    benchmarks.push_back(found);
  } else if (kind == "point") {
    if (parts.size() != 2) fail("expected point:V1,V2,...");
    add_point(ParseNumbers(parts[1], spec));
  } else if (kind == "random") {
    if (parts.size() < 3) {
      fail("expected random:N:uniform or random:N:gaussian:MEANS:STDS");
    }
    const std::int64_t n = ParseCount(parts[1], spec);
    // As for grids: more points than that is no prior a sample needs, and
    // no memory holds 10^9 (std::bad_alloc, exit 1; issue 15).
    if (n > kMaxThetaPoints) fail("more than 10^7 points");
    if (parts[2] == "uniform") {
      if (parts.size() != 3) fail("expected random:N:uniform");
      for (int i = 0; i < p; ++i) {
        if (!(range(i).lower < range(i).upper) ||
            !std::isfinite(range(i).lower) || !std::isfinite(range(i).upper)) {
          fail("parameter " +
               setup.parameters[static_cast<std::size_t>(i)].name +
               " has an empty range [" + std::to_string(range(i).lower) + ", " +
               std::to_string(range(i).upper) + "]");
        }
      }
      for (std::int64_t j = 0; j < n; ++j) {
        std::vector<double> values(static_cast<std::size_t>(p));
        for (int i = 0; i < p; ++i) {
          values[static_cast<std::size_t>(i)] =
              random.Uniform(range(i).lower, range(i).upper);
        }
        add_point(values);
      }
    } else if (parts[2] == "gaussian") {
      if (parts.size() != 5) fail("expected random:N:gaussian:MEANS:STDS");
      const std::vector<double> means = ParseNumbers(parts[3], spec);
      const std::vector<double> stds = ParseNumbers(parts[4], spec);
      if (static_cast<int>(means.size()) != p ||
          static_cast<int>(stds.size()) != p) {
        fail("expected " + std::to_string(p) + " means and " +
             std::to_string(p) + " standard deviations");
      }
      for (double std : stds) {
        if (!(std >= 0.0)) fail("standard deviations must be ≥ 0");
      }
      for (std::int64_t j = 0; j < n; ++j) {
        std::vector<double> values(static_cast<std::size_t>(p));
        for (std::size_t i = 0; i < values.size(); ++i) {
          values[i] = means[i] + stds[i] * random.Normal();
        }
        add_point(values);
      }
    } else {
      fail("unknown prior \"" + parts[2] + "\"; expected uniform or gaussian");
    }
  } else if (kind == "grid") {
    if (parts.size() != 2) fail("expected grid:N1,N2,...");
    std::vector<std::int64_t> sizes;
    for (const std::string& part : Split(parts[1], ',')) {
      sizes.push_back(ParseCount(part, spec));
    }
    if (static_cast<int>(sizes.size()) != p) {
      fail("expected " + std::to_string(p) + " grid sizes (one per parameter)");
    }
    for (int i = 0; i < p; ++i) {
      const bool usable = std::isfinite(range(i).lower) &&
                          std::isfinite(range(i).upper) &&
                          (sizes[static_cast<std::size_t>(i)] == 1 ||
                           range(i).lower < range(i).upper);
      if (!usable) {
        fail("parameter " + setup.parameters[static_cast<std::size_t>(i)].name +
             " has an empty range [" + std::to_string(range(i).lower) + ", " +
             std::to_string(range(i).upper) + "]");
      }
    }
    std::int64_t total = 1;
    for (std::int64_t size : sizes) {
      // Checked per factor: the product of a few large sizes overflows.
      if (size > kMaxThetaPoints || total > kMaxThetaPoints / size)
        fail("grid has more than 10^7 points");
      total *= size;
    }
    for (std::int64_t j = 0; j < total; ++j) {
      std::vector<double> values(static_cast<std::size_t>(p));
      std::int64_t rest = j;
      for (int i = p - 1; i >= 0; --i) {
        const std::int64_t size = sizes[static_cast<std::size_t>(i)];
        const std::int64_t index = rest % size;
        rest /= size;
        values[static_cast<std::size_t>(i)] =
            size == 1 ? range(i).lower
                      : range(i).lower + (range(i).upper - range(i).lower) *
                                             static_cast<double>(index) /
                                             static_cast<double>(size - 1);
      }
      add_point(values);
    }
  } else {
    // Plain V1,V2,...
    bool numeric = !spec.empty();
    for (const std::string& part : Split(spec, ',')) {
      try {
        ParseNumber(part, spec);
      } catch (const InvalidInput&) {
        numeric = false;
      }
    }
    if (!numeric) {
      fail(
          "expected benchmark:NAME, point:V1,V2, V1,V2, random:N:uniform, "
          "random:N:gaussian:MEANS:STDS or grid:N1,N2");
    }
    add_point(ParseNumbers(spec, spec));
  }
  ThetaPoints points;
  const auto n = static_cast<Eigen::Index>(thetas.size());
  points.thetas.resize(n, p);
  points.nus = Eigen::MatrixXd::Zero(n, k);
  for (Eigen::Index i = 0; i < n; ++i) {
    points.thetas.row(i) = thetas[static_cast<std::size_t>(i)].transpose();
    if (nuisance == "gaussian") {
      for (int j = 0; j < k; ++j) points.nus(i, j) = random.Normal();
    }
  }
  points.benchmarks = benchmarks;
  return points;
}

CrossSections Augmenter::ComputeCrossSections(
    const ThetaPoints& points, const std::string& partition_name) const {
  const Partition partition = impl_->Part(partition_name);
  std::vector<PointModel> models = impl_->Models(points, false);
  impl_->events.Sums(models, partition, /*extremes=*/false);
  CrossSections result;
  result.thetas = points.thetas;
  const auto n = static_cast<Eigen::Index>(models.size());
  result.xsec.resize(n);
  result.uncertainty.resize(n);
  result.gradient.resize(n, impl_->events.num_score());
  for (Eigen::Index i = 0; i < n; ++i) {
    const PointModel& model = models[static_cast<std::size_t>(i)];
    result.xsec(i) = model.sigma;
    result.uncertainty(i) = std::sqrt(std::max(model.w.dot(model.sum_w2), 0.0));
    result.gradient.row(i) = model.gradient.transpose();
  }
  return result;
}

SampleData Augmenter::SampleTrainPlain(const ThetaPoints& theta,
                                       std::int64_t n_samples,
                                       std::uint64_t seed,
                                       const std::string& partition) const {
  return impl_->SingleTheta("plain", theta, n_samples, seed, partition, false);
}

SampleData Augmenter::SampleTrainLocal(const ThetaPoints& theta,
                                       std::int64_t n_samples,
                                       std::uint64_t seed,
                                       const std::string& partition) const {
  return impl_->SingleTheta("local", theta, n_samples, seed, partition, true);
}

SampleData Augmenter::SampleTrainDensity(const ThetaPoints& theta,
                                         std::int64_t n_samples,
                                         std::uint64_t seed,
                                         const std::string& partition) const {
  return impl_->SingleTheta("density", theta, n_samples, seed, partition, true);
}

SampleData Augmenter::SampleTest(const ThetaPoints& theta,
                                 std::int64_t n_samples,
                                 std::uint64_t seed,
                                 const std::string& partition) const {
  return impl_->SingleTheta("test", theta, n_samples, seed, partition, false);
}

SampleData Augmenter::StreamSingleTheta(const std::string& method,
                                        const ThetaPoints& theta,
                                        std::int64_t n_samples,
                                        std::uint64_t seed,
                                        const std::string& partition,
                                        const SampleSink& sink) const {
  const bool score = method == "local" || method == "density";
  if (!score && method != "plain" && method != "test") {
    throw InvalidInput("method " + method +
                       " is not a single-theta sampling method; expected "
                       "plain, local, density or test");
  }
  return impl_->SingleTheta(
      method, theta, n_samples, seed, partition, score, &sink);
}

SampleData Augmenter::StreamTrainRatio(const ThetaPoints& theta0,
                                       const ThetaPoints& theta1,
                                       const ThetaPoints* additional,
                                       std::int64_t n_samples,
                                       std::uint64_t seed,
                                       const std::string& partition,
                                       const SampleSink& sink) const {
  return impl_->Ratio(
      theta0, theta1, additional, n_samples, seed, partition, &sink);
}

SampleData Augmenter::SampleTrainRatio(const ThetaPoints& theta0,
                                       const ThetaPoints& theta1,
                                       std::int64_t n_samples,
                                       std::uint64_t seed,
                                       const std::string& partition) const {
  return impl_->Ratio(theta0, theta1, nullptr, n_samples, seed, partition);
}

SampleData Augmenter::SampleTrainMoreRatios(
    const ThetaPoints& theta0,
    const ThetaPoints& theta1,
    const ThetaPoints& additional,
    std::int64_t n_samples,
    std::uint64_t seed,
    const std::string& partition) const {
  return impl_->Ratio(theta0, theta1, &additional, n_samples, seed, partition);
}

EventJointQuantities Augmenter::EvaluateEvents(
    const std::vector<std::int64_t>& event_indices,
    const ThetaPoints& points,
    const std::string& partition_name) const {
  const Partition partition = impl_->Part(partition_name);
  std::vector<PointModel> models =
      impl_->Models(points, impl_->options.sample_only_from_closest_benchmark);
  const WeightedEvents& events = impl_->events;
  events.Sums(models, partition);
  const Eigen::MatrixXd weights = events.ReadWeights(event_indices);
  EventJointQuantities result;
  const auto n = static_cast<Eigen::Index>(event_indices.size());
  result.weights.resize(n, static_cast<Eigen::Index>(models.size()));
  result.xsecs.resize(static_cast<Eigen::Index>(models.size()));
  for (std::size_t k = 0; k < models.size(); ++k) {
    const auto column = static_cast<Eigen::Index>(k);
    result.xsecs(column) = models[k].sigma;
    Eigen::MatrixXd scores(n, events.num_score());
    for (Eigen::Index i = 0; i < n; ++i) {
      result.weights(i, column) = events.Weight(models[k], weights.row(i));
      if (events.has_morphing()) {
        scores.row(i) = events.Score(models[k], weights.row(i)).transpose();
      }
    }
    result.scores.push_back(scores);
  }
  return result;
}

void Augmenter::NuisanceCoefficients(Eigen::MatrixXd* a,
                                     Eigen::MatrixXd* b) const {
  impl_->events.AllNuisanceCoefficients(a, b);
}

}  // namespace goldmine::mining
