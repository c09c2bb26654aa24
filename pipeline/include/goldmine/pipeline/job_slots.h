// A counting semaphore of goldmine commands: `goldmine run --jobs J` runs at
// most J commands at once over every stage that is running (issue 19).
#pragma once

#include <condition_variable>
#include <mutex>

namespace goldmine::pipeline {

class JobSlots {
 public:
  explicit JobSlots(int slots) : free_(slots < 1 ? 1 : slots) {}

  void Acquire() {
    std::unique_lock<std::mutex> lock(mutex_);
    available_.wait(lock, [this] { return free_ > 0; });
    --free_;
  }
  void Release() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      ++free_;
    }
    available_.notify_one();
  }

  // Holds one slot for its lifetime.
  class Held {
   public:
    explicit Held(JobSlots* slots) : slots_(slots) {
      if (slots_ != nullptr) slots_->Acquire();
    }
    ~Held() {
      if (slots_ != nullptr) slots_->Release();
    }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    JobSlots* slots_;
  };

 private:
  std::mutex mutex_;
  std::condition_variable available_;
  int free_;
};

}  // namespace goldmine::pipeline
