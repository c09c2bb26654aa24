// goldmine-main: the goldmine command line, started by `goldmine`
// (launcher.cc); see `goldmine --help` and DESIGN.md §5 for the contract.
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "goldmine/core/huge_pages.h"
#include "goldmine/core/malloc_reuse.h"
#include "large_array_commands.h"

int main(int argc, char** argv) {
  if (goldmine::cli::FillsLargeArrays(argc, argv)) {
    goldmine::core::ReexecWithHugePages(argv);
    goldmine::core::KeepFreedMemoryForReuse();
  }
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  return goldmine::cli::RunCli(arguments, {std::cout, std::cerr});
}
