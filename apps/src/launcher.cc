// goldmine: starts goldmine-main (main.cc) from its own folder, with
// transparent huge pages for the commands that fill large arrays.
//
// glibc reads its tunables only when a process starts, so goldmine-main
// asking for huge pages itself means starting twice (core/huge_pages.h), and
// a start of goldmine-main loads its 44 shared libraries (HDF5 brings curl,
// GnuTLS, Kerberos): 20 of the 44 ms of `goldmine augment --help`, a fifth
// of `augment local` at 10^5 samples. This launcher links only the C and
// C++ runtimes and sets the tunable before the one start. goldmine-main
// still asks for it itself when run directly.
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "goldmine/core/huge_pages.h"
#include "large_array_commands.h"

int main(int argc, char** argv) {
  namespace core = goldmine::core;
  std::string folder = ".";
  char self[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (length > 0) {
    self[length] = '\0';
    const char* slash = std::strrchr(self, '/');
    if (slash != nullptr) {
      folder.assign(self, static_cast<std::size_t>(slash - self));
    }
  }
  const std::string program = folder + "/goldmine-main";
  if (goldmine::cli::FillsLargeArrays(argc, argv) &&
      std::getenv(core::kNoHugePagesVariable) == nullptr) {
    const std::optional<std::string> tunables =
        core::TunablesWithHugePages(std::getenv(core::kTunablesVariable));
    if (tunables) setenv(core::kTunablesVariable, tunables->c_str(), 1);
  }
  execv(program.c_str(), argv);
  // Only reached when the exec failed.
  std::fprintf(stderr,
               "goldmine: internal error: cannot run %s (%s); it is built "
               "and installed beside goldmine\n",
               program.c_str(),
               std::strerror(errno));
  return 1;
}
