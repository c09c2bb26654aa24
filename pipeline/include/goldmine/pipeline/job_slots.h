// A counting semaphore of cores: `goldmine run --jobs J` keeps at most J
// cores busy with goldmine commands over every stage that is running (issue
// 19). A command with --threads T holds T slots (at most J), so that a
// two-thread MEM and a training do not share two cores three ways.
#pragma once

#include <condition_variable>
#include <mutex>

namespace goldmine::pipeline {

class JobSlots {
 public:
  explicit JobSlots(int slots) : total_(slots < 1 ? 1 : slots), free_(total_) {}

  int total() const { return total_; }

  // Waits until `count` slots (clamped to 1..total) are free and takes them.
  int Acquire(int count) {
    count = count < 1 ? 1 : (count > total_ ? total_ : count);
    std::unique_lock<std::mutex> lock(mutex_);
    available_.wait(lock, [&] { return free_ >= count; });
    free_ -= count;
    return count;
  }
  void Release(int count) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      free_ += count;
    }
    available_.notify_all();
  }

  // Holds `count` slots for its lifetime.
  class Held {
   public:
    Held(JobSlots* slots, int count)
        : slots_(slots), count_(slots != nullptr ? slots->Acquire(count) : 0) {}
    ~Held() {
      if (slots_ != nullptr) slots_->Release(count_);
    }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    JobSlots* slots_;
    int count_;
  };

 private:
  const int total_;
  std::mutex mutex_;
  std::condition_variable available_;
  int free_;
};

}  // namespace goldmine::pipeline
