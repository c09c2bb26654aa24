// Private: appends full buffers to a scratch file on a thread of its own, so
// that drawing goes on while the kernel copies the last buffer (issue 20).
// At 10^7 local samples the synchronous appends of the drawn rows were a
// tenth of `goldmine augment local`, time in which the draw loop waited.
//
// The file receives the buffers in the order they were handed over, so it
// holds exactly what synchronous appends would have written; Append()
// returns the offset each buffer gets. At most `max_queued` buffers wait at
// once (then Append() waits), and the emptied buffers are handed back for
// reuse: memory stays max_queued + 1 buffers besides the caller's, however
// much is appended.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace goldmine::mining {

class ScratchFile;

class BackgroundAppender {
 public:
  // `file` must outlive the appender; nothing else may write to it until
  // Finish() returns. on_thread = false: Append() writes at once (for a
  // process with one core, core/usable_cores.h).
  BackgroundAppender(ScratchFile* file,
                     std::size_t max_queued,
                     bool on_thread = true);
  // Stops the thread; buffers not yet written are dropped (the scratch file
  // is abandoned when an exception unwinds past its owner).
  ~BackgroundAppender();
  BackgroundAppender(const BackgroundAppender&) = delete;
  BackgroundAppender& operator=(const BackgroundAppender&) = delete;

  // Queues *buffer for appending and leaves an empty buffer in its place
  // (one written earlier, its capacity kept, when there is one). Returns
  // the offset in the file at which the buffer's bytes will be. Rethrows
  // the error of an earlier append that failed.
  std::size_t Append(std::vector<double>* buffer);
  // Waits until every queued buffer is in the file and stops the thread;
  // rethrows the error of an append that failed. Appending after it is an
  // error.
  void Finish();

 private:
  void Run();
  void Stop();
  // Queued buffers that wake the thread (half the queue).
  std::size_t WakeBatch() const {
    return std::max<std::size_t>(1, max_queued_ / 2);
  }

  ScratchFile* file_;
  std::size_t max_queued_;
  bool on_thread_;
  bool finished_ = false;
  std::size_t appended_bytes_ = 0;  // handed over so far (the next offset)
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<double>> queued_;
  std::vector<std::vector<double>> emptied_;
  bool stopping_ = false;
  bool draining_ = false;  // Finish() waits: write whatever is queued
  bool writing_ = false;   // the thread holds a buffer that is not in queued_
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace goldmine::mining
