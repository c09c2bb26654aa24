#include "goldmine/core/huge_pages.h"

#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace goldmine::core {

void ReexecWithHugePages(char** argv) {
  constexpr const char* kVariable = kTunablesVariable;
  if (std::getenv(kNoHugePagesVariable) != nullptr) return;
  const char* current = std::getenv(kVariable);
  const std::optional<std::string> before =
      current != nullptr ? std::optional<std::string>(current) : std::nullopt;
  const std::optional<std::string> tunables = TunablesWithHugePages(current);
  if (!tunables) return;
  if (setenv(kVariable, tunables->c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Not replaced (no /proc, a seccomp filter, ...): run here, as before.
  if (before) {
    setenv(kVariable, before->c_str(), 1);
  } else {
    unsetenv(kVariable);
  }
}

}  // namespace goldmine::core
