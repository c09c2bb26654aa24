#include "draws_ahead.h"

#include <algorithm>

namespace goldmine::mining {
namespace {

// Draws per block: 8192 for one model (3 blocks: 384 kB), fewer for many
// (about 3 MB in all), never fewer than 256 (a lock per 256 draws costs
// little).
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
      uniforms(model.slots.count, model.uniform_seed),
      permutation(static_cast<std::uint64_t>(
                      std::max<std::int64_t>(1, model.slots.count)),
                  model.permutation_seed),
      ring(static_cast<std::size_t>(kRing * block_draws)) {}

DrawsAhead::DrawsAhead(const std::vector<Model>& models, bool on_thread)
    : on_thread_(on_thread) {
  const std::int64_t block_draws = BlockDraws(models.size());
  streams_.reserve(models.size());
  for (const Model& model : models) streams_.emplace_back(model, block_draws);
  if (on_thread_) thread_ = std::thread([this] { Run(); });
  for (Stream& stream : streams_) {
    if (stream.slots.count > 0) TakeBlock(stream);
  }
}

DrawsAhead::~DrawsAhead() {
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
  if (stream.cursor != nullptr) ++stream.freed;
  changed_.notify_all();
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
    draw->value = stream.uniforms.value();
    draw->slot = stream.slots.Slot(static_cast<std::int64_t>(stream.permutation(
        static_cast<std::uint64_t>(stream.uniforms.rank()))));
    stream.uniforms.Next();
  }
}

}  // namespace goldmine::mining
