// Transparent huge pages for the commands that fill large arrays.
//
// `goldmine augment local` with 10^6 samples spent 30 % of its time in the
// kernel's page-fault handler (perf, on this project's 2-core VMs): every
// fresh 4 kB page of the drawn samples, event batches and output columns
// costs a fault, and faults are expensive under the hypervisor. glibc ≥ 2.35
// backs malloc with transparent huge pages (2 MB, 512 times fewer faults)
// when the tunable glibc.malloc.hugetlb=1 is set; with it the same command
// runs 2.7× faster at 10^6 samples (docs/benchmarks.md). A tunable is read
// only when a process starts, hence the re-execution.
#pragma once

#include <optional>
#include <string>

namespace goldmine::core {

// The environment variable that turns the re-execution off (e.g. under
// valgrind, which would not follow it).
inline constexpr const char* kNoHugePagesVariable = "GOLDMINE_NO_HUGE_PAGES";
inline constexpr const char* kTunablesVariable = "GLIBC_TUNABLES";
inline constexpr const char* kHugePagesTunable = "glibc.malloc.hugetlb";

// The value of GLIBC_TUNABLES that adds glibc.malloc.hugetlb=1 to `current`
// (the variable's value, or null), or nothing when `current` already names
// the tunable (the user's choice, or a process started with it). Header-only
// for apps/src/launcher.cc, which links nothing of goldmine.
inline std::optional<std::string> TunablesWithHugePages(const char* current) {
  const std::string before = current != nullptr ? current : "";
  if (before.find(kHugePagesTunable) != std::string::npos) return std::nullopt;
  return (before.empty() ? "" : before + ":") + kHugePagesTunable + "=1";
}

// Re-executes the running program (/proc/self/exe, same arguments) once with
// glibc.malloc.hugetlb=1 added to GLIBC_TUNABLES, and does not return then.
// Returns without doing anything when GLIBC_TUNABLES already names
// glibc.malloc.hugetlb (the user's choice, or the re-executed process), when
// GOLDMINE_NO_HUGE_PAGES is set, or when the exec fails (the program then
// runs as before, with the environment restored). Where the kernel has no
// transparent huge pages, or glibc does not know the tunable, the re-executed
// program behaves exactly as the first would have. Call it first thing in
// main, before any thread starts.
void ReexecWithHugePages(char** argv);

}  // namespace goldmine::core
