#include "background_appender.h"

#include <algorithm>
#include <utility>

#include "goldmine/core/errors.h"
#include "scratch_file.h"

namespace goldmine::mining {

BackgroundAppender::BackgroundAppender(ScratchFile* file,
                                       std::size_t max_queued,
                                       bool on_thread)
    : file_(file),
      max_queued_(std::max<std::size_t>(1, max_queued)),
      on_thread_(on_thread) {
  // Room for every buffer that can come back, allocated here: what the
  // thread allocates would come from a malloc arena of its own.
  emptied_.reserve(max_queued_ + 1);
  if (on_thread_) thread_ = std::thread([this] { Run(); });
}

BackgroundAppender::~BackgroundAppender() { Stop(); }

void BackgroundAppender::Stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t BackgroundAppender::Append(std::vector<double>* buffer) {
  GOLDMINE_REQUIRE(!finished_, "BackgroundAppender::Append after Finish");
  if (!on_thread_) {
    const std::size_t offset = appended_bytes_;
    file_->Append(buffer->data(), buffer->size() * sizeof(double));
    appended_bytes_ += buffer->size() * sizeof(double);
    buffer->clear();
    return offset;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return failure_ || queued_.size() < max_queued_; });
  if (failure_) std::rethrow_exception(failure_);
  const std::size_t offset = appended_bytes_;
  appended_bytes_ += buffer->size() * sizeof(double);
  queued_.push_back(std::move(*buffer));
  buffer->clear();
  if (!emptied_.empty()) {
    *buffer = std::move(emptied_.back());
    emptied_.pop_back();
  }
  const bool wake = queued_.size() >= WakeBatch();
  lock.unlock();
  if (wake) changed_.notify_all();
  return offset;
}

void BackgroundAppender::Finish() {
  finished_ = true;
  if (!on_thread_) return;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    draining_ = true;
    changed_.notify_all();
    changed_.wait(lock,
                  [&] { return failure_ || (queued_.empty() && !writing_); });
  }
  Stop();
  if (failure_) std::rethrow_exception(failure_);
}

void BackgroundAppender::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    // Woken for a batch of buffers, not for each: a wake-up per 16 kB
    // buffer was a futex call on the drawing thread 35,000 times at 10^7
    // samples.
    changed_.wait(lock, [&] {
      return stopping_ ||
             (!queued_.empty() && (draining_ || queued_.size() >= WakeBatch()));
    });
    while (!stopping_ && !failure_ && !queued_.empty()) {
      std::vector<double> buffer = std::move(queued_.front());
      queued_.pop_front();
      writing_ = true;
      lock.unlock();
      std::exception_ptr failure;
      try {
        file_->Append(buffer.data(), buffer.size() * sizeof(double));
      } catch (...) {
        failure = std::current_exception();
      }
      buffer.clear();
      lock.lock();
      writing_ = false;
      if (failure) {
        failure_ = failure;
      } else {
        emptied_.push_back(std::move(buffer));
      }
      changed_.notify_all();
    }
    if (stopping_ || failure_) return;
  }
}

}  // namespace goldmine::mining
