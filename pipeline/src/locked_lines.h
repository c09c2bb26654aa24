// An output stream for one of several threads that share a terminal: it
// collects what it is given and writes each complete line to the shared
// stream under a shared mutex, so that the progress of children running at
// once (`goldmine run --jobs`) interleaves by whole lines.
#pragma once

#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

namespace goldmine::pipeline {

class LockedLines : private std::streambuf, public std::ostream {
 public:
  LockedLines(std::ostream& target, std::mutex& mutex)
      : std::ostream(this), target_(target), mutex_(mutex) {}
  ~LockedLines() override { Emit(); }

 private:
  // std::ostream and std::streambuf both name these types.
  using Buffer = std::streambuf;
  using Traits = Buffer::traits_type;

  Buffer::int_type overflow(Buffer::int_type c) override {
    if (Traits::eq_int_type(c, Traits::eof())) return c;
    line_.push_back(Traits::to_char_type(c));
    // A carriage return is a progress counter: shown as it comes.
    if (line_.back() == '\n' || line_.back() == '\r') Emit();
    return c;
  }
  int sync() override {
    Emit();
    return 0;
  }
  void Emit() {
    if (line_.empty()) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    target_ << line_ << std::flush;
    line_.clear();
  }

  std::ostream& target_;
  std::mutex& mutex_;
  std::string line_;
};

}  // namespace goldmine::pipeline
