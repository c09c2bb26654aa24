#include "goldmine/pipeline/child_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>

#include "goldmine/core/errors.h"

namespace goldmine::pipeline {

std::filesystem::path SelfExecutable() {
  std::error_code error;
  const std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) throw InternalError("cannot read /proc/self/exe");
  return self;
}

ChildResult RunChild(const std::filesystem::path& program,
                     const std::vector<std::string>& arguments,
                     const std::optional<std::filesystem::path>& stdout_path,
                     std::ostream& passthrough,
                     std::ostream& log) {
  int pipe_ends[2];
  // Close-on-exec: with `run --jobs`, children start from several threads,
  // and a sibling that inherited this pipe's write end would hold it open
  // (no end of file here until the sibling exits). dup2 in the child clears
  // the flag on its own stderr.
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0)
    throw InternalError(std::string("pipe: ") + std::strerror(errno));
  const std::string out_name =
      stdout_path ? stdout_path->string() : std::string("/dev/null");
  const int out_fd =
      ::open(out_name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0) {
    ::close(pipe_ends[0]);
    ::close(pipe_ends[1]);
    throw InternalError("cannot write " + out_name + ": " +
                        std::strerror(errno));
  }
  std::vector<std::string> words = {program.string()};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);

  passthrough.flush();
  log.flush();
  const pid_t pid = ::fork();
  if (pid < 0)
    throw InternalError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    const int null_in = ::open("/dev/null", O_RDONLY);
    if (null_in >= 0) ::dup2(null_in, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(pipe_ends[1], STDERR_FILENO);
    ::close(pipe_ends[0]);
    ::execv(program.c_str(), argv.data());
    const char message[] = "goldmine run: cannot execute the child process\n";
    [[maybe_unused]] const auto written =
        ::write(STDERR_FILENO, message, sizeof(message) - 1);
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(pipe_ends[1]);

  ChildResult result;
  std::string pending;
  char buffer[4096];
  auto flush_line = [&](const std::string& line) {
    passthrough << line << "\n";
    log << line << "\n";
    if (line.find_first_not_of(" \t\r") != std::string::npos)
      result.last_error_line = line;
  };
  for (;;) {
    const ssize_t n = ::read(pipe_ends[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    // Carriage returns are progress counters: pass them through as they come
    // but keep only completed lines in the log.
    std::size_t start = 0;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (pending[i] == '\n') {
        std::string line = pending.substr(start, i - start);
        const auto cr = line.rfind('\r');
        if (cr != std::string::npos) line = line.substr(cr + 1);
        flush_line(line);
        start = i + 1;
      }
    }
    pending.erase(0, start);
    passthrough.flush();
  }
  if (!pending.empty()) flush_line(pending);
  ::close(pipe_ends[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw InternalError("waitpid failed");
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  log.flush();
  return result;
}

std::string CommandLine(const std::string& program,
                        const std::vector<std::string>& arguments) {
  std::string line = program;
  for (const std::string& word : arguments) {
    const bool plain =
        !word.empty() && word.find_first_not_of(
                             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
                             "UVWXYZ0123456789_-+=.,:/@%") == std::string::npos;
    if (plain) {
      line += " " + word;
    } else {
      std::string quoted = "'";
      for (char c : word)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      line += " " + quoted + "'";
    }
  }
  return line;
}

}  // namespace goldmine::pipeline
