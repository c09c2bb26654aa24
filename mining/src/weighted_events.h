// Private: an events file seen as weights at any (θ, ν), streamed in
// batches. Shared by the augmenter and the Fisher information.
//
// Weight of event e at θ: w_e(θ) = Σ_b c_b(θ) w_eb with c(θ) = Mᵀ comp(θ) on
// the morphing basis (the first columns of the physics benchmarks) or the
// unit vector of a benchmark; nuisance factor exp(Σ a_i ν_i + b_i ν_i²) with
// a, b from the NuisanceMorpher (MADMINER.md §2).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/mining/augmenter.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/morphing/components.h"
#include "model_slots.h"

namespace goldmine::mining {

// One parameter point with the sums of one partition.
struct PointModel {
  Eigen::VectorXd theta;  // P
  Eigen::VectorXd nu;     // K
  Eigen::VectorXd w;      // B: coefficients of the benchmark weights
  Eigen::MatrixXd g;      // P × B: their θ-gradients (zero w/o morphing)
  bool nominal = true;    // ν = 0
  // ≥ 0: only events generated at this physics benchmark (and background)
  // count; −1: every event, weighted by its sampling factor.
  int closest = -1;

  // Filled by WeightedEvents::Sums() (partition-corrected).
  double sigma = 0.0;
  double positive = 0.0;     // Σ max(w, 0)
  double max_weight = 0.0;   // max w
  Eigen::VectorXd gradient;  // P + K: ∂σ/∂θ, ∂σ/∂ν
  Eigen::VectorXd sum_w2;    // B: Σ (factor · w_eb)²

  double n_eff() const { return max_weight > 0.0 ? sigma / max_weight : 0.0; }
};

// What one WeightedEvents::Draw() call draws: per model, the slots of the
// whole sample that its draws fill; of these, the slots [first, end) are
// kept (a shard's, issue 19) and handed out in pieces of piece_slots.
// What each drawn row carries besides x: what the method needs, computed
// once per event as the batch streams past, so that rows move (and wait in
// scratch files) with no more numbers than needed.
enum class DrawCarry {
  kWeights,  // the benchmark weights (B): ratio methods
  kScores,   // t(x,z|θ) at the drawing point (P + K): local, density
  kNothing,  // plain, test
};

struct DrawPlan {
  std::vector<ModelSlots> slots;  // per model
  std::int64_t first = 0;
  std::int64_t end = 0;
  std::int64_t piece_slots = 1;
  std::uint64_t seed = 0;
  DrawCarry carry = DrawCarry::kWeights;
};

// The seed of stream `purpose` of sample block `block` of a sample drawn
// with `seed` (purpose 1: the shuffle of a ratio sample's rows), and of
// model `model`'s draws (purpose 0: their uniforms, 1: their slot
// permutation).
std::uint64_t SampleBlockSeed(std::uint64_t seed,
                              std::int64_t block,
                              std::uint64_t purpose);
std::uint64_t SampleModelSeed(std::uint64_t seed,
                              std::size_t model,
                              std::uint64_t purpose);

// Receives the drawn rows of slots [first_slot, first_slot + n) in slot
// order: observables (n × O) and what they carry (n × B, n × (P + K) or
// n × 0: DrawPlan::carry); may move from them.
using DrawnPiece = std::function<void(
    std::int64_t first_slot, Eigen::MatrixXd& x, Eigen::MatrixXd& carried)>;

class WeightedEvents {
 public:
  WeightedEvents(const std::filesystem::path& path, std::int64_t batch_size);

  const MadminerSetup& setup() const { return reader_.setup(); }
  const MadminerEventsReader& reader() const { return reader_; }
  std::int64_t num_events() const { return reader_.num_events(); }
  std::int64_t batch_size() const { return batch_size_; }
  int num_parameters() const { return setup().num_parameters(); }
  int num_nuisance() const { return static_cast<int>(positive_.size()); }
  int num_score() const { return num_parameters() + num_nuisance(); }
  int num_benchmarks() const { return setup().num_benchmarks(); }
  int num_physics() const { return num_physics_; }
  bool has_morphing() const { return components_.has_value(); }
  std::vector<std::string> parameter_names() const;
  std::vector<std::string> nuisance_names() const;
  std::vector<std::string> observable_names() const;

  // c(θ) (B) and ∂c/∂θ (P × B). Requires morphing.
  Eigen::VectorXd Coefficients(const Eigen::VectorXd& theta) const;
  Eigen::MatrixXd CoefficientGradients(const Eigen::VectorXd& theta) const;

  // benchmark ≥ 0: the benchmark's own column (gradient from morphing when
  // available). closest: restrict to the closest benchmark's events.
  PointModel Model(const Eigen::VectorXd& theta,
                   const Eigen::VectorXd& nu,
                   int benchmark,
                   bool closest) const;

  // One pass over `partition` filling the sums of every model.
  // extremes = false skips Σ max(w, 0) and max w of nominal models (only
  // needed to sample): σ, ∇σ and Σw² are then linear in the benchmark sums,
  // one pass whatever the number of points.
  void Sums(std::vector<PointModel>& models,
            const Partition& partition,
            bool extremes = true) const;
  // One pass drawing the event of every kept slot of `plan` from its model,
  // with probability ∝ max(w, 0). Model m draws its plan.slots[m].count
  // events in ascending order of their uniforms (ascending_uniforms.h,
  // stream SampleModelSeed(seed, m, 0)) and sends its k-th draw to the slot
  // of draw index π_m(k) (slot_permutation.h, keyed by
  // SampleModelSeed(seed, m, 1)). A slot's event thus depends on the seed
  // and the whole plan only, not on [first, end) or the piece size: shards
  // and pieces concatenate into the one-call sample. The rows (x and what
  // plan.carry asks for) are copied as the events stream past, and handed to
  // `piece` in slot order (drawn_rows.h: memory of two pieces whatever the
  // sample size).
  void Draw(const std::vector<PointModel>& models,
            const DrawPlan& plan,
            const Partition& partition,
            const DrawnPiece& piece) const;

  // Raw weight at the model's point (no partition correction).
  double Weight(const PointModel& model,
                const Eigen::Ref<const Eigen::RowVectorXd>& weights) const;
  // Raw weights at the model's point of many events (rows of benchmark
  // weights, n × B) → n.
  Eigen::VectorXd Weights(
      const PointModel& model,
      const Eigen::Ref<const Eigen::MatrixXd>& weights) const;
  // t(x,z|θ, ν) of many events at once: rows of benchmark weights (n × B)
  // → n × (P + K).
  Eigen::MatrixXd Scores(
      const PointModel& model,
      const Eigen::Ref<const Eigen::MatrixXd>& weights) const;
  // t(x,z|θ, ν), P + K.
  Eigen::VectorXd Score(
      const PointModel& model,
      const Eigen::Ref<const Eigen::RowVectorXd>& weights) const;

  // a and b (n × K) of the NuisanceMorpher for benchmark weights (n × B).
  void Nuisance(const Eigen::MatrixXd& weights,
                Eigen::MatrixXd* a,
                Eigen::MatrixXd* b) const;
  void AllNuisanceCoefficients(Eigen::MatrixXd* a, Eigen::MatrixXd* b) const;

  // Rows of the given events (any order, repeats allowed).
  Eigen::MatrixXd ReadWeights(const std::vector<std::int64_t>& events) const;
  void ReadRows(const std::vector<std::int64_t>& events,
                Eigen::MatrixXd* x,
                Eigen::MatrixXd* weights) const;

  // As ReadRows, with `order` = (event, output row) pairs sorted by event.
  void ReadSortedRows(
      const std::vector<std::pair<std::int64_t, Eigen::Index>>& order,
      Eigen::MatrixXd* x,
      Eigen::MatrixXd* weights) const;

  // Calls visit(batch, first_event) for [first, end) in batches.
  void ForEachBatch(std::int64_t first,
                    std::int64_t end,
                    const std::function<void(const MadminerEventBatch&,
                                             std::int64_t)>& visit) const;

  // Weight multiplier of an event generated at `sampling_benchmark` (−1 =
  // background) for a model (closest-benchmark selection or sampling factor).
  double EventFactor(const PointModel& model,
                     std::int64_t sampling_benchmark) const;

 private:
  // Per-event factor · correction and weight at θ for a batch; `factor`
  // (n), `weight` (n) and, if ν ≠ 0, the nuisance factor folded in.
  void BatchWeights(const PointModel& model,
                    const MadminerEventBatch& batch,
                    const Eigen::MatrixXd& a,
                    const Eigen::MatrixXd& b,
                    double correction,
                    Eigen::VectorXd* coefficient,
                    Eigen::VectorXd* weight) const;

  MadminerEventsReader reader_;
  std::int64_t batch_size_;
  int num_physics_ = 0;
  std::optional<morphing::Components> components_;
  Eigen::MatrixXd morphing_matrix_;       // C × basis
  std::vector<int> positive_, negative_;  // per nuisance parameter, −1 none
  int reference_ = 0;
  std::vector<double> sampling_factor_;  // per physics benchmark
  std::vector<bool> generated_;          // physics benchmark has events
};

}  // namespace goldmine::mining
