// Runs body(0), ..., body(count - 1) on up to `threads` threads (the calling
// thread included), each index exactly once, in no particular order. The
// numbers of a computation do not depend on the thread count as long as each
// body writes only what its index owns. The first exception a body throws is
// rethrown once every thread has stopped; no new index starts after it.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace goldmine::core {

template <typename Body>
void ParallelFor(std::int64_t count, int threads, Body&& body) {
  std::atomic<std::int64_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  std::mutex mutex;
  auto work = [&] {
    for (std::int64_t i = next++; i < count && !failed; i = next++) {
      try {
        body(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!failure) failure = std::current_exception();
        failed = true;
      }
    }
  };
  const auto helpers = static_cast<int>(
      std::min<std::int64_t>(std::max(threads, 1),
                             std::max<std::int64_t>(count, 1)) -
      1);
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(helpers));
  for (int t = 0; t < helpers; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace goldmine::core
