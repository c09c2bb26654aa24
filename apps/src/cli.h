// The `goldmine` command line: one binary, one subcommand per pipeline stage
// (DESIGN.md §5). Conventions every command follows:
//   exit 0 on success, 2 on bad usage or bad input (one line on stderr naming
//   the file, key or line), 1 on an internal failure;
//   machine-readable results on stdout as JSON (or into --output FILE, written
//   atomically); progress and logs on stderr.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace goldmine::cli {

enum ExitCode : int { kSuccess = 0, kInternalFailure = 1, kBadInput = 2 };

// Where a command writes: results to `out`, logs and progress to `err`.
struct Streams {
  std::ostream& out;
  std::ostream& err;
};

struct Command {
  std::string name;
  // One line for `goldmine --help`.
  std::string summary;
  // Runs with the arguments after the command name; returns the exit code.
  // Throws goldmine::InvalidInput / FileFormatError or
  // boost::program_options::error for bad input; RunCli maps them.
  std::function<int(const std::vector<std::string>& arguments, Streams streams)>
      run;
};

// Every command the binary offers, in the order `goldmine --help` lists them.
const std::vector<Command>& Commands();

// The whole CLI on already-split arguments (without the program name).
int RunCli(const std::vector<std::string>& arguments, Streams streams);
// The same with another list of commands (goldmine-torch).
int RunCli(const std::vector<Command>& commands,
           const std::vector<std::string>& arguments,
           Streams streams);

// A command of goldmine-torch (train, evaluate), run by executing
// goldmine-torch from the folder of the running binary.
Command TorchProxyCommand(const std::string& name, const std::string& summary);

// Parses a command's options (and positional arguments, when given). Prints the
// command's help to streams.out and returns false when --help is given; the
// caller then exits with kSuccess.
bool ParseCommandLine(
    const std::string& command,
    const std::string& usage,
    const std::string& description,
    const boost::program_options::options_description& options,
    const std::vector<std::string>& arguments,
    Streams streams,
    boost::program_options::variables_map* values,
    const boost::program_options::positional_options_description* positional =
        nullptr);

// Writes a JSON result (indented, full double precision) to `output_path`
// atomically, or to streams.out when no path is given.
void WriteJsonResult(const nlohmann::ordered_json& result,
                     const std::optional<std::string>& output_path,
                     Streams streams);

// Commands, each defined in its own <name>_command.cc.
Command MorphingCommand();
Command InspectCommand();
Command SetupCommand();
Command MineCommand();
Command MergeCommand();
Command HistFactoryCommand();
Command GenerateCommand();
// In goldmine-torch only (goldmine_torch_cli).
Command TrainCommand();
Command EvaluateCommand();
Command ExportCommand();
Command SurrogateCommand();
Command AssembleCommand();
Command XsecCommand();
Command AugmentCommand();
Command FisherCommand();
Command MemCommand();
Command EftWorkspaceCommand();
Command LimitsCommand();
Command RunCommand();

}  // namespace goldmine::cli
