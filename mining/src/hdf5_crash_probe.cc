#include "hdf5_crash_probe.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
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
constexpr int kMetadataSeconds = 10;

// Waits for `child`; false (after killing it) if it is still running after
// kMetadataSeconds. Polls with a growing pause: a child that finishes in a
// millisecond costs no more than that.
bool WaitFor(pid_t child, int* status) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(kMetadataSeconds);
  auto pause = std::chrono::microseconds(100);
  while (true) {
    const pid_t done = waitpid(child, status, WNOHANG);
    if (done == child) return true;
    if (done < 0 && errno != EINTR) return true;  // not ours to judge
    if (std::chrono::steady_clock::now() > deadline) {
      kill(child, SIGKILL);
      while (waitpid(child, status, 0) < 0 && errno == EINTR) {
      }
      return false;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(2 * pause, std::chrono::microseconds(20000));
  }
}

}  // namespace

void RefuseFilesThatCrashHdf5(const std::string& file,
                              const std::function<void()>& read) {
  const pid_t child = fork();
  if (child < 0) return;
  if (child == 0) {
    // _exit, not exit: the child must neither flush the parent's buffered
    // output nor run its atexit handlers (LeakSanitizer's among them).
    RestoreDefaultCrashActions();
    try {
      read();
    } catch (...) {
    }
    _exit(0);
  }
  int status = 0;
  if (!WaitFor(child, &status)) {
    throw FileFormatError(
        file + ": corrupt HDF5 file: the HDF5 library did not finish reading " +
        "its metadata in " + std::to_string(kMetadataSeconds) +
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
