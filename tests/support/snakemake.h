// Debian's snakemake for the workflow tests (`goldmine run --emit
// snakemake`, issue 19): whether it is installed, and a run in a folder.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/shell_quoted.h"

namespace goldmine::testing {

inline bool HasSnakemake() {
  return std::system("snakemake --version >/dev/null 2>&1") == 0;
}

// The shell command that runs `snakemake --cores 2 EXTRA` in `folder`, its
// output in folder/snakemake.out.
inline std::string SnakemakeCommand(const std::filesystem::path& folder,
                                    const std::string& extra = "") {
  return "cd " + ShellQuoted(folder.string()) + " && snakemake --cores 2 " +
         extra + " >>snakemake.out 2>&1";
}

// Runs it; the exit code (−1 when killed).
inline int RunSnakemake(const std::filesystem::path& folder,
                        const std::string& extra = "") {
  const int status = std::system(SnakemakeCommand(folder, extra).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace goldmine::testing
