// goldmine-torch: the LibTorch commands (train, evaluate), executed by
// `goldmine train|evaluate` so that the other commands do not pay LibTorch's
// start-up. Users run `goldmine`, not this binary.
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  const std::vector<goldmine::cli::Command> commands = {
      goldmine::cli::TrainCommand(), goldmine::cli::EvaluateCommand()};
  return goldmine::cli::RunCli(commands, arguments, {std::cout, std::cerr});
}
