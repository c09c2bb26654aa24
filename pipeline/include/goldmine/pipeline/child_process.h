// Runs a goldmine subcommand as a child process, the way `goldmine run`
// orchestrates the pipeline: the same binary (/proc/self/exe), stdout captured
// into a file, stderr both passed through (progress stays visible) and kept in
// the stage's log.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace goldmine::pipeline {

struct ChildResult {
  int exit_code = -1;  // -1 when killed by a signal
  // The last non-empty line the child wrote to stderr (its error message).
  std::string last_error_line;
};

// The running executable (Linux: /proc/self/exe).
std::filesystem::path SelfExecutable();

// Runs `program arguments...`; stdout goes to `stdout_path` (or /dev/null),
// stderr is copied to `passthrough` line by line and appended to `log`.
// Throws InternalError when the process cannot be started.
ChildResult RunChild(const std::filesystem::path& program,
                     const std::vector<std::string>& arguments,
                     const std::optional<std::filesystem::path>& stdout_path,
                     std::ostream& passthrough,
                     std::ostream& log);

// "goldmine generate wh --events 20000 ..." with shell quoting where needed,
// for logs and stage.json.
std::string CommandLine(const std::string& program,
                        const std::vector<std::string>& arguments);

}  // namespace goldmine::pipeline
