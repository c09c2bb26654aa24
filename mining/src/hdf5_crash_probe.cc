#include "hdf5_crash_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "goldmine/core/errors.h"

namespace goldmine::mining::hdf5 {
namespace {

// The signals of a crash inside the library (abort for its assertions).
constexpr int kCrashSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

// Sanitizer runtimes (the fuzz and asan presets) catch a crash themselves and
// exit with an error code; the default actions make the child die of the
// signal, the same in every build.
void RestoreDefaultCrashActions() {
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int signal : kCrashSignals) sigaction(signal, &action, nullptr);
}

bool IsCrash(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status) != 0;
  if (!WIFSIGNALED(status)) return false;
  for (int signal : kCrashSignals) {
    if (WTERMSIG(status) == signal) return true;
  }
  // SIGKILL (the OOM killer) or SIGINT (Ctrl-C) says nothing about the file.
  return false;
}

// Reading the metadata of a valid goldmine or MadMiner file takes
// milliseconds; a corrupt global heap can make the library loop forever.
// GOLDMINE_HDF5_PROBE_SECONDS (a whole number, 1 to 3600) changes the
// limit: fuzz/run_all.sh sets 1, so such inputs do not slow the fuzzer.
int MetadataSeconds() {
  const char* text = std::getenv("GOLDMINE_HDF5_PROBE_SECONDS");
  if (text == nullptr) return 10;
  int seconds = 0;
  const char* end = text + std::strlen(text);
  const auto [last, error] = std::from_chars(text, end, seconds);
  if (error != std::errc() || last != end || seconds < 1 || seconds > 3600) {
    throw InvalidInput(std::string("GOLDMINE_HDF5_PROBE_SECONDS is \"") + text +
                       "\"; expected whole seconds from 1 to 3600");
  }
  return seconds;
}

// The child's own reports stay quiet: the parent turns a crash into one
// error line. Sanitizer builds would otherwise print the library's bad read
// and, under libFuzzer, save the input as a crash of the parent.
extern "C" void __sanitizer_set_death_callback(void (*)(void))
    __attribute__((weak));

void QuietChild() {
  const int null = open("/dev/null", O_WRONLY);
  if (null >= 0) {
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    close(null);
  }
  if (__sanitizer_set_death_callback != nullptr) {
    __sanitizer_set_death_callback(nullptr);
  }
}

// Reaps `child` after killing it.
void Kill(pid_t child, int* status) {
  kill(child, SIGKILL);
  while (waitpid(child, status, 0) < 0 && errno == EINTR) {
  }
}

// Waits until `child` exits or the deadline passes, sleeping in poll(2) on a
// process file descriptor: the parent wakes the moment the child exits. A
// pause-and-poll loop (PollFor) woke up to a pause late, about 10 ms per file
// for a child that takes 15 ms. False when pidfds are unavailable (kernels
// before 5.3, some sandboxes) or poll fails: the caller then polls.
bool SleepUntilExit(pid_t child,
                    std::chrono::steady_clock::time_point deadline) {
  // The raw system call: Debian 12's <sys/pidfd.h> (glibc 2.36) declares
  // pidfd_open without C linkage, so C++ cannot link against it.
  const int descriptor = static_cast<int>(syscall(SYS_pidfd_open, child, 0));
  if (descriptor < 0) return false;
  bool slept = true;
  while (true) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd exited{descriptor, POLLIN, 0};
    const int ready = poll(
        &exited, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    if (ready < 0 && errno == EINTR) continue;
    slept = ready >= 0;
    if (ready != 0 || left.count() <= 0) break;
  }
  close(descriptor);
  return slept;
}

// Polls for `child` with a growing pause: a child that finishes in a
// millisecond costs no more than that.
void PollFor(pid_t child,
             std::chrono::steady_clock::time_point deadline,
             int* status,
             bool* exited) {
  auto step = std::chrono::microseconds(100);
  while (true) {
    const pid_t done = waitpid(child, status, WNOHANG);
    if (done == child || (done < 0 && errno != EINTR)) {
      *exited = true;  // an error here is not ours to judge
      return;
    }
    if (std::chrono::steady_clock::now() > deadline) return;
    std::this_thread::sleep_for(step);
    step = std::min(2 * step, std::chrono::microseconds(20000));
  }
}

// Waits for `child`; false (after killing it) if it is still running after
// `seconds`.
bool WaitFor(pid_t child, int seconds, int* status) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  bool exited = false;
  if (SleepUntilExit(child, deadline)) {
    // The child exited, or the deadline passed: reap it if it exited.
    pid_t done = 0;
    do {
      done = waitpid(child, status, WNOHANG);
    } while (done < 0 && errno == EINTR);
    exited = done == child || done < 0;  // an error is not ours to judge
  } else {
    PollFor(child, deadline, status, &exited);
  }
  if (exited) return true;
  Kill(child, status);
  return false;
}

}  // namespace

void RefuseFilesThatCrashHdf5(const std::string& file,
                              const std::function<void()>& read) {
  const int seconds = MetadataSeconds();
  const pid_t child = fork();
  if (child < 0) return;
  if (child == 0) {
    // _exit, not exit: the child must neither flush the parent's buffered
    // output nor run its atexit handlers (LeakSanitizer's among them).
    RestoreDefaultCrashActions();
    QuietChild();
    try {
      read();
    } catch (...) {
    }
    _exit(0);
  }
  int status = 0;
  if (!WaitFor(child, seconds, &status)) {
    throw FileFormatError(
        file + ": corrupt HDF5 file: the HDF5 library did not finish reading " +
        "its metadata in " + std::to_string(seconds) +
        " s (in a separate process); expected a well-formed HDF5 file");
  }
  if (!IsCrash(status)) return;
  const std::string how = WIFSIGNALED(status)
                              ? std::string(strsignal(WTERMSIG(status)))
                              : "exit " + std::to_string(WEXITSTATUS(status));
  throw FileFormatError(file +
                        ": corrupt HDF5 file: the HDF5 library crashed "
                        "reading it (" +
                        how +
                        ", in a separate process); expected a well-formed "
                        "HDF5 file");
}

}  // namespace goldmine::mining::hdf5
