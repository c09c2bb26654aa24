// Runs the real `goldmine` binary, as a user or an external checker would,
// and captures its exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/scratch_folder.h"
#include "support/shell_quoted.h"

namespace goldmine::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// GOLDMINE_CLI (the binary's path) is defined for the test targets that
// run it (tests/CMakeLists.txt).
inline CommandResult RunGoldmine(const std::vector<std::string>& arguments) {
  static int counter = 0;
  const auto base = std::filesystem::temp_directory_path() /
                    ("goldmine_cli_" + std::to_string(::getpid()) + "_" +
                     std::to_string(counter++));
  std::string command = ShellQuoted(GOLDMINE_CLI);
  for (const std::string& argument : arguments)
    command += " " + ShellQuoted(argument);
  command += " >" + ShellQuoted(base.string() + ".out") + " 2>" +
             ShellQuoted(base.string() + ".err") + " </dev/null";
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadText(base.string() + ".out");
  result.err = ReadText(base.string() + ".err");
  std::filesystem::remove(base.string() + ".out");
  std::filesystem::remove(base.string() + ".err");
  return result;
}

}  // namespace goldmine::testing
