#include "draws_ahead.h"

#include <algorithm>

namespace goldmine::mining {
namespace {

// Draws per block: 8192 for one model (3 blocks: 192 kB), fewer for many,
// never fewer than 256 (a lock per 256 draws costs little). A model's ring
// holds at most 3 blocks and never more than its draws: at most 3 × 65536
// uniforms of 8 bytes (1.5 MB) for up to 256 models, 8 bytes per draw
// beyond.
std::int64_t BlockDraws(std::size_t models) {
  constexpr std::int64_t kTotalDraws = 65536;
  return std::clamp<std::int64_t>(
      kTotalDraws / static_cast<std::int64_t>(std::max<std::size_t>(1, models)),
      256,
      8192);
}

}  // namespace

DrawsAhead::Stream::Stream(const Model& model, std::int64_t draws_per_block)
    : slots(model.slots),
      block_draws(std::max<std::int64_t>(
          1, std::min(draws_per_block, model.slots.count))),
      blocks((std::max<std::int64_t>(0, model.slots.count) + block_draws - 1) /
             block_draws),
      ring_blocks(std::max<std::int64_t>(1, std::min(kRing, blocks))),
      permutation(static_cast<std::uint64_t>(
                      std::max<std::int64_t>(1, model.slots.count)),
                  model.permutation_seed),
      uniforms(model.slots.count, model.uniform_seed),
      ring(static_cast<std::size_t>(ring_blocks * block_draws)) {}

DrawsAhead::DrawsAhead(const std::vector<Model>& models, bool on_thread)
    : on_thread_(on_thread && models.size() <= kMaxModelsOnThread) {
  const std::int64_t block_draws = BlockDraws(models.size());
  streams_.reserve(models.size());
  for (const Model& model : models) streams_.emplace_back(model, block_draws);
  if (on_thread_) thread_ = std::thread([this] { Run(); });
  try {
    for (Stream& stream : streams_) {
      if (stream.slots.count > 0) TakeBlock(stream);
    }
  } catch (...) {
    StopThread();  // no destructor runs for a constructor that throws
    throw;
  }
}

DrawsAhead::~DrawsAhead() { StopThread(); }

void DrawsAhead::StopThread() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DrawsAhead::TakeBlock(Stream& stream) {
  if (!on_thread_) {
    if (stream.cursor != nullptr) ++stream.freed;
    if (stream.taken >= stream.slots.count) return;
    Fill(stream, stream.filled);
    ++stream.filled;
    stream.cursor = Block(stream, stream.freed);
    stream.block_end = stream.cursor + (stream.made - stream.taken);
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  if (stream.cursor != nullptr) {
    ++stream.freed;
    // Wake the thread only when this stream has just become fillable:
    // otherwise it is filling, or waits for another stream's block.
    if (stream.filled < stream.blocks &&
        stream.filled - stream.freed == stream.ring_blocks - 1) {
      changed_.notify_all();
    }
  }
  if (stream.taken >= stream.slots.count) return;
  changed_.wait(lock, [&] { return stream.filled > stream.freed; });
  const std::int64_t block = stream.freed;
  lock.unlock();
  stream.cursor = Block(stream, block);
  stream.block_end =
      stream.cursor + std::min(stream.block_draws,
                               stream.slots.count - block * stream.block_draws);
}

void DrawsAhead::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  std::size_t next = 0;  // round robin over the streams
  for (;;) {
    Stream* chosen = nullptr;
    changed_.wait(lock, [&] {
      if (stopping_) return true;
      for (std::size_t i = 0; i < streams_.size(); ++i) {
        Stream& stream = streams_[(next + i) % streams_.size()];
        if (Fillable(stream)) {
          chosen = &stream;
          next = (next + i + 1) % streams_.size();
          return true;
        }
      }
      return false;
    });
    if (stopping_) return;
    const std::int64_t block = chosen->filled;
    lock.unlock();
    Fill(*chosen, block);
    lock.lock();
    ++chosen->filled;
    changed_.notify_all();
  }
}

void DrawsAhead::Fill(Stream& stream, std::int64_t block) {
  Draw* draw = Block(stream, block);
  const std::int64_t end =
      std::min(stream.made + stream.block_draws, stream.slots.count);
  for (; stream.made < end; ++stream.made, ++draw) {
    *draw = stream.uniforms.value();
    stream.uniforms.Next();
  }
}

}  // namespace goldmine::mining
