// Private: the draws of every model of a sample, their uniforms computed
// ahead on a thread of their own (issue 20). A model's k-th draw is its
// k-th smallest uniform (ascending_uniforms.h) and the slot of its draw
// index π(k) (slot_permutation.h, model_slots.h); both are fixed by the
// seeds alone. The uniforms are a chain (each from the last) and come from
// the thread, made while the drawing thread matches earlier ones to the
// events; the slot is computed on the drawing thread when asked for, which
// balances the two (at 10^7 local samples the uniforms and the permutation
// were half of the drawing loop, and the thread also shares its core with
// the scratch file's writer).
//
// Each model has a ring of a few blocks of draws: the thread fills the free
// blocks of every model in turn; the drawing thread takes a model's draws a
// block at a time and frees each block it has passed. What a model draws is
// the same however the two threads interleave.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "ascending_uniforms.h"
#include "model_slots.h"
#include "slot_permutation.h"

namespace goldmine::mining {

class DrawsAhead {
 public:
  // One model's draws: slots.count of them, uniforms from uniform_seed,
  // the permutation keyed by permutation_seed.
  struct Model {
    ModelSlots slots;
    std::uint64_t uniform_seed = 0;
    std::uint64_t permutation_seed = 0;
  };

  // on_thread = false: no thread; each block is made when it is needed
  // (for a process with one core, core/usable_cores.h, and for more than
  // kMaxModelsOnThread models).
  explicit DrawsAhead(const std::vector<Model>& models, bool on_thread = true);
  // Stops the thread (also when the drawing thread gave up early).
  ~DrawsAhead();
  DrawsAhead(const DrawsAhead&) = delete;
  DrawsAhead& operator=(const DrawsAhead&) = delete;

  // Whether model m has handed out all its draws.
  bool done(std::size_t m) const {
    return streams_[m].taken >= streams_[m].slots.count;
  }
  // Model m's current draw (!done(m)): its uniform and its slot.
  double value(std::size_t m) const { return *streams_[m].cursor; }
  std::int64_t slot(std::size_t m) const {
    const Stream& stream = streams_[m];
    return stream.slots.Slot(static_cast<std::int64_t>(
        stream.permutation(static_cast<std::uint64_t>(stream.taken))));
  }
  void Next(std::size_t m) {
    Stream& stream = streams_[m];
    ++stream.taken;
    if (++stream.cursor == stream.block_end) TakeBlock(stream);
  }

 private:
  using Draw = double;  // a uniform
  struct Stream {
    Stream(const Model& model, std::int64_t draws_per_block);
    ModelSlots slots;
    std::int64_t block_draws;     // per block (the last one may have fewer)
    std::int64_t blocks;          // in all
    std::int64_t ring_blocks;     // in the ring: kRing, or fewer if all fit
    SlotPermutation permutation;  // the drawing thread's (const)
    // The thread's: what makes the uniforms, and how many it made.
    AscendingUniforms uniforms;
    std::int64_t made = 0;
    // Under mutex_: blocks filled and blocks freed so far.
    std::int64_t filled = 0;
    std::int64_t freed = 0;
    // ring_blocks blocks, each written by the thread while free and read by
    // the drawing thread while filled.
    std::vector<Draw> ring;
    // The drawing thread's, on a cache line of their own (the thread keeps
    // writing `made` and the uniforms' state).
    alignas(64) std::int64_t taken = 0;
    const Draw* cursor = nullptr;
    const Draw* block_end = nullptr;
  };

  // Frees the block the stream has passed (none before its first) and
  // waits for its next one (without the thread: makes it).
  void TakeBlock(Stream& stream);
  void Run();
  // Writes the stream's next block of draws at its ring position `block`.
  void Fill(Stream& stream, std::int64_t block);
  // Whether the thread may fill a block of the stream (under mutex_).
  static bool Fillable(const Stream& stream) {
    return stream.filled < stream.blocks &&
           stream.filled - stream.freed < stream.ring_blocks;
  }
  Draw* Block(Stream& stream, std::int64_t block) {
    return stream.ring.data() +
           (block % stream.ring_blocks) * stream.block_draws;
  }
  void StopThread();

  static constexpr std::int64_t kRing = 3;
  // Beyond this many models the thread's scan for a block to fill, and the
  // wake-ups, cost more than the draws it takes over (a reviewer measured
  // 50,000 models of 10 draws: 0.85 s on the thread, 0.61 s without).
  static constexpr std::size_t kMaxModelsOnThread = 256;
  bool on_thread_;
  std::vector<Stream> streams_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace goldmine::mining
