#include "goldmine/core/scratch_files.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <system_error>

namespace goldmine {
namespace {

// Digits from `position`; advances it. 0 when there are none or too many.
long Digits(const std::string& text, std::size_t* position) {
  const std::size_t start = *position;
  long value = 0;
  while (*position < text.size() && text[*position] >= '0' &&
         text[*position] <= '9') {
    if (*position - start == 9) return 0;  // beyond any pid_t
    value = value * 10 + (text[*position] - '0');
    ++*position;
  }
  return *position == start ? 0 : value;
}

// "<marker><pid>-<n><suffix>" at the end of `name`, with one of `suffixes`.
long PidAfter(const std::string& name,
              const std::string& marker,
              std::initializer_list<const char*> suffixes) {
  const std::size_t found = name.rfind(marker);
  if (found == std::string::npos || found == 0) return 0;
  std::size_t position = found + marker.size();
  const long pid = Digits(name, &position);
  if (pid <= 0 || position >= name.size() || name[position] != '-') return 0;
  ++position;
  const std::size_t counter = position;
  Digits(name, &position);
  if (position == counter) return 0;
  const std::string rest = name.substr(position);
  for (const char* suffix : suffixes) {
    if (rest == suffix) return pid;
  }
  return 0;
}

}  // namespace

long ScratchFilePid(const std::string& file_name) {
  const long temporary = PidAfter(file_name, ".tmp-", {"", ".rows"});
  return temporary != 0 ? temporary : PidAfter(file_name, ".stage-", {".h5"});
}

void RemoveStaleScratchFiles(const std::filesystem::path& folder) {
  std::error_code error;
  for (std::filesystem::directory_iterator it(folder, error), end;
       !error && it != end;
       it.increment(error)) {
    const long pid = ScratchFilePid(it->path().filename().string());
    if (pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    std::filesystem::remove(it->path(), ignored);
  }
}

}  // namespace goldmine
