// "Mining gold" (arXiv 1805.00020, 1805.12244): cross sections of an events
// file at any θ, and training / test samples drawn at chosen parameter points
// with their joint likelihood ratio and joint score attached. The C++
// counterpart of MadMiner's SampleAugmenter (MADMINER.md §4, §5).
//
// Conventions (DESIGN.md §2), with w(z|θ) = Σ_b w_b(θ) w_event,b the event
// weight at θ and σ(θ) the cross section of the partition sampled from:
//   r(x,z|θ0,θ1) = [w(z|θ0)/σ(θ0)] / [w(z|θ1)/σ(θ1)],
//   t(x,z|θ)     = ∇_θ w(z|θ)/w(z|θ) − ∇_θ σ(θ)/σ(θ).
// Nuisance parameters ν (MADMINER.md §2, NuisanceMorpher) multiply the weight
// by exp(Σ_i a_i(z) ν_i + b_i(z) ν_i²); their score columns a + 2bν − ∂_νσ/σ
// follow the physics columns of t.
//
// Partitions by event order (fractions test_split, validation_split): train
// [0, round(f_train N)), validation [round(f_train N), round((1−f_test) N)),
// test [round((1−f_test) N), N); weights in a partition are multiplied by
// 1/fraction as MadMiner does. MadMiner starts validation and test one event
// later (it skips the boundary events); `madminer_partitions` reproduces that.
//
// Unweighting: an event is drawn with probability max(w(z|θ), 0)/Σ max(w, 0)
// (MadMiner sets negative probabilities to zero and redraws). Files are
// streamed in batches: two passes over the events per call whatever the
// number of θ points and samples (sums, then sampling with the draws of each
// point generated in ascending order as the events stream past).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "goldmine/mining/sample_file.h"

namespace goldmine {
class RandomStream;
}

namespace goldmine::mining {

struct MadminerSetup;

// The slots (rows) of a sample are grouped in blocks of this many draws (a
// more-ratios draw fills one more row per additional point). A shard keeps
// a contiguous range of blocks, and the ratio methods shuffle the rows of
// each block with the block's own stream (issue 19). A slot's event depends
// only on the seed and the whole sample, so the concatenated shards of a
// sample are the sample drawn in one call.
constexpr std::int64_t kSampleBlockSize = 10000;

struct AugmenterOptions {
  // Events read at once. A batch of B benchmarks and O observables takes
  // 16 (B + O) bytes per event while it is read (the HDF5 rows and their
  // columns); 50,000 keeps that a small part of augment's memory (8 MB for
  // the toy), so the peak stays within 20 % from 10^5 to 10^7 events.
  std::int64_t batch_size = 50000;
  double test_split = 0.2;
  double validation_split = 0.2;
  // MadMiner's partition boundaries (validation and test start one event
  // later); for exact comparisons with MadMiner.
  bool madminer_partitions = false;
  // Sample (and compute σ) only from events generated at the physics
  // benchmark closest to θ, plus background (MadMiner's default: true).
  bool sample_only_from_closest_benchmark = true;
  // Draw only shard `shard` (0-based) of `num_shards`: the shard-th of the
  // num_shards contiguous, nearly equal ranges of the sample's blocks. There
  // must be at least as many blocks as shards (InvalidInput otherwise).
  int shard = 0;
  int num_shards = 1;
  // Threads for the joint ratios and scores of the ratio methods' drawn rows
  // (rows in chunks of kRowChunk; the file is still read by one thread; the
  // single-θ methods compute their scores once per event as the events
  // stream past). The samples do not depend on it.
  int threads = 1;
  // Draws per piece handed to the sink of the Stream* methods, rounded down
  // to whole blocks (at least one). 0: a sample of up to 100000 draws in one
  // piece, a larger one in pieces of 50000. The events file is read once
  // whatever the piece size; rows of later pieces wait in a scratch file
  // (8 (1 + O + C) bytes per draw, in $TMPDIR or /tmp; C is B for the ratio
  // methods, P + K for local and density, 0 for plain and test), so memory
  // is two pieces (one is read back while the sink takes the other;
  // bench/stage_memory.sh).
  std::int64_t draws_per_piece = 0;
};

// A contiguous range of events and the weight correction 1/fraction.
struct Partition {
  std::string name;  // "all", "train", "validation", "test"
  std::int64_t first = 0;
  std::int64_t end = 0;  // one past the last event
  double correction = 1.0;
  std::int64_t size() const { return end - first; }
};

// Throws InvalidInput for an unknown name, bad fractions or an empty
// partition (naming it and the event count).
Partition MakePartition(const std::string& name,
                        std::int64_t num_events,
                        const AugmenterOptions& options);

// Parameter points θ (and nuisance values ν) of one specification.
struct ThetaPoints {
  Eigen::MatrixXd thetas;       // n × P
  Eigen::MatrixXd nus;          // n × K (zeros: nominal)
  std::vector<int> benchmarks;  // n: physics benchmark index, −1 = morphed
  Eigen::Index size() const { return thetas.rows(); }

  // Adds the points of `more` after these, in order (several --theta
  // specifications make one list). An object without points takes the
  // widths of `more`; otherwise both must have as many parameters and
  // nuisance parameters (InvalidInput if not).
  void Append(const ThetaPoints& more);
};

struct CrossSections {
  Eigen::MatrixXd thetas;       // n × P
  Eigen::VectorXd xsec;         // n, pb
  Eigen::VectorXd uncertainty;  // n, pb: sqrt(max(Σ_b w_b(θ) Σ_e w_eb², 0))
  Eigen::MatrixXd gradient;     // n × (P + K): ∂σ/∂θ, ∂σ/∂ν (pb)
};

// Per-event joint quantities at given events (tests, diagnostics).
struct EventJointQuantities {
  Eigen::MatrixXd weights;              // rows × points: w(z|θ) (pb, raw)
  std::vector<Eigen::MatrixXd> scores;  // per point: rows × (P + K)
  Eigen::VectorXd xsecs;                // per point, of the partition
};

class Augmenter {
 public:
  // Opens the events file (MadMiner layout) and reads its setup. Throws
  // FileFormatError.
  explicit Augmenter(const std::filesystem::path& events_file,
                     AugmenterOptions options = {});
  ~Augmenter();
  Augmenter(const Augmenter&) = delete;
  Augmenter& operator=(const Augmenter&) = delete;

  const MadminerSetup& setup() const;
  std::int64_t num_events() const;
  int num_parameters() const;
  int num_nuisance_parameters() const;
  bool has_morphing() const;
  std::vector<std::string> parameter_names() const;
  std::vector<std::string> nuisance_parameter_names() const;
  std::vector<std::string> observable_names() const;
  const AugmenterOptions& options() const;

  // Parses one θ specification (DESIGN.md §5.4):
  //   benchmark:NAME, point:V1,V2,..., V1,V2,..., random:N:uniform (in the
  //   parameter ranges), random:N:gaussian:MEAN1,..:STD1,.., grid:N1,N2,...
  //   (linspace in the ranges, first parameter slowest).
  // `nuisance`: "nominal" (ν = 0) or "gaussian" (iid standard normal ν per
  // point). Random draws come from `random`. Throws InvalidInput naming the
  // specification; a morphed point without a morphing setup is an error.
  // Parameter ranges: explicit points and Gaussian priors may lie outside
  // the ranges (the morphing is exact everywhere, as in MadMiner; only its
  // MC uncertainty grows); the specifications defined by the ranges,
  // random:N:uniform and grid (with more than one point along a parameter),
  // are errors when a range is empty (lower ≥ upper) or not finite.
  ThetaPoints ParseTheta(const std::string& spec,
                         RandomStream& random,
                         const std::string& nuisance = "nominal") const;

  // σ, its MC uncertainty and gradient over a partition (all events, each
  // weighted by its sampling factor, as MadMiner's xsecs()).
  CrossSections ComputeCrossSections(
      const ThetaPoints& points, const std::string& partition = "all") const;

  // The sampling methods. n_samples per specification is split evenly
  // between its points (max(round(n/points), 1) each, as MadMiner). The
  // returned SampleData has its metadata filled (method, names, partition,
  // seed, shard, n_eff = smallest over the sampled points of the whole
  // sample). Rows come point after point; the ratio methods shuffle the
  // rows within each block (kSampleBlockSize draws), not across blocks.
  SampleData SampleTrainPlain(const ThetaPoints& theta,
                              std::int64_t n_samples,
                              std::uint64_t seed,
                              const std::string& partition = "train") const;
  SampleData SampleTrainLocal(const ThetaPoints& theta,
                              std::int64_t n_samples,
                              std::uint64_t seed,
                              const std::string& partition = "train") const;
  SampleData SampleTrainDensity(const ThetaPoints& theta,
                                std::int64_t n_samples,
                                std::uint64_t seed,
                                const std::string& partition = "train") const;
  // n_samples/2 from the θ0 points (y = 0), the rest from θ1 (y = 1); θ0 and
  // θ1 are paired point by point (a single point is repeated); rows are
  // shuffled within blocks. t_xz is the score at θ0 (absent without
  // morphing).
  SampleData SampleTrainRatio(const ThetaPoints& theta0,
                              const ThetaPoints& theta1,
                              std::int64_t n_samples,
                              std::uint64_t seed,
                              const std::string& partition = "train") const;
  // As ratio, and each drawn event is repeated for every additional θ_a:
  // θ0-drawn rows get (θ0, θ_a), θ1-drawn rows (θ_a, θ1). t_xz = t(θ0 of
  // the row), t_xz1 = t(θ1 of the row).
  SampleData SampleTrainMoreRatios(
      const ThetaPoints& theta0,
      const ThetaPoints& theta1,
      const ThetaPoints& additional,
      std::int64_t n_samples,
      std::uint64_t seed,
      const std::string& partition = "train") const;
  SampleData SampleTest(const ThetaPoints& theta,
                        std::int64_t n_samples,
                        std::uint64_t seed,
                        const std::string& partition = "test") const;

  // The sample of SampleTrainPlain/Local/Density or SampleTest (`method`
  // plain, local, density or test), handed to `sink` in pieces of whole
  // blocks, at most options().draws_per_piece draws each, in row order. The
  // events file is read twice (sums, then the draws), as by the one-call
  // method; memory is O(draws_per_piece) instead of O(n_samples). The pieces
  // concatenate into the sample the one-call method returns. Every piece
  // carries the metadata, and the sink may change or move from it; the
  // returned SampleData is that metadata, without rows.
  using SampleSink = std::function<void(SampleData& piece)>;
  SampleData StreamSingleTheta(const std::string& method,
                               const ThetaPoints& theta,
                               std::int64_t n_samples,
                               std::uint64_t seed,
                               const std::string& partition,
                               const SampleSink& sink) const;
  // The same for SampleTrainRatio (additional == nullptr) and
  // SampleTrainMoreRatios: the rows of each piece are shuffled within its
  // blocks, as in the one-call sample.
  SampleData StreamTrainRatio(const ThetaPoints& theta0,
                              const ThetaPoints& theta1,
                              const ThetaPoints* additional,
                              std::int64_t n_samples,
                              std::uint64_t seed,
                              const std::string& partition,
                              const SampleSink& sink) const;

  // w(z|θ), t(x,z|θ) and σ(θ) of `partition` for the events with the given
  // file indices (which need not lie in the partition).
  EventJointQuantities EvaluateEvents(const std::vector<std::int64_t>& events,
                                      const ThetaPoints& points,
                                      const std::string& partition) const;

  // NuisanceMorpher factors of every event: a and b, N × K each.
  void NuisanceCoefficients(Eigen::MatrixXd* a, Eigen::MatrixXd* b) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace goldmine::mining
