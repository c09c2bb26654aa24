// The id of a process that has exited: for tests of what goldmine does with
// the files of killed runs (scratch_files.h).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

namespace goldmine::testing {

// Forks a child that exits at once and reaps it. Its id stays unused until
// the kernel wraps around the pid range.
inline long DeadPid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return static_cast<long>(child);
}

}  // namespace goldmine::testing
