// goldmine: see `goldmine --help` and DESIGN.md §5 for the contract.
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  return goldmine::cli::RunCli(arguments, {std::cout, std::cerr});
}
