// goldmine: see `goldmine --help` and DESIGN.md §5 for the contract.
#include <array>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.h"
#include "goldmine/core/huge_pages.h"
#include "goldmine/core/malloc_reuse.h"

namespace {

// The commands that fill arrays of events, samples or grid points run with
// transparent huge pages (core/huge_pages.h) and keep freed arrays for reuse
// (core/malloc_reuse.h); the others finish in milliseconds and would only pay
// for the second start (about 20 ms).
bool FillsLargeArrays(int argc, char** argv) {
  constexpr std::array<std::string_view, 10> kCommands = {"mine",
                                                          "merge",
                                                          "augment",
                                                          "xsec",
                                                          "fisher",
                                                          "mem",
                                                          "limits",
                                                          "train",
                                                          "evaluate",
                                                          "run"};
  if (argc < 2) return false;
  for (std::string_view command : kCommands) {
    if (command == argv[1]) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (FillsLargeArrays(argc, argv)) {
    goldmine::core::ReexecWithHugePages(argv);
    goldmine::core::KeepFreedMemoryForReuse();
  }
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  return goldmine::cli::RunCli(arguments, {std::cout, std::cerr});
}
