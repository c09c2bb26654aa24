// A word for /bin/sh, single-quoted: for tests that run commands through
// std::system (run_command.h, and runtimes outside goldmine).
#pragma once

#include <string>

namespace goldmine::testing {

inline std::string ShellQuoted(const std::string& word) {
  std::string quoted = "'";
  for (char c : word)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace goldmine::testing
