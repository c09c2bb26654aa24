#include "cli.h"

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <system_error>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"
#include "model_loading.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace {

void PrintUsage(const std::vector<Command>& commands, std::ostream& stream) {
  stream << "goldmine: machine-learning-based inference on EFT parameters "
            "(the C++ successor of MadMiner)\n\n"
            "Usage: goldmine COMMAND [OPTIONS]\n"
            "       goldmine COMMAND --help\n"
            "       goldmine --version\n\n"
            "Commands:\n";
  for (const Command& command : commands) {
    stream << "  " << command.name
           << std::string(14 - std::min<std::size_t>(command.name.size(), 13),
                          ' ')
           << command.summary << "\n";
  }
  stream
      << "\nExit codes: 0 success, 2 bad usage or input, 1 internal failure.\n"
         "Results go to stdout as JSON (or --output FILE); logs to stderr.\n";
}

// Error messages are one line: what the user needs is the first line anyway.
std::string OneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

// The commands that read an events file (xsec, augment, fisher, limits,
// eft-workspace, ...) take it as --events; the libraries' messages about
// its content do not always repeat its name ("nuisance benchmark ... is not
// among benchmarks/names"). A message that names no file of the command line
// gets the events file in front, so that every bad input is named (issue 15).
std::string NamingTheEventsFile(const std::string& message,
                                const std::vector<std::string>& arguments) {
  std::string events;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == "--events" && i + 1 < arguments.size()) {
      events = arguments[i + 1];
    } else if (arguments[i].rfind("--events=", 0) == 0) {
      events = arguments[i].substr(9);
    }
  }
  if (events.empty()) return message;
  // A message that names the events file, existing or not ("F.h5: no such
  // file"), or any other file of the command line already says which.
  if (message.find(events) != std::string::npos) return message;
  for (const std::string& argument : arguments) {
    if (argument.rfind("--", 0) == 0) continue;
    const std::string name =
        std::filesystem::path(argument).filename().string();
    std::error_code error;
    if (!name.empty() && std::filesystem::exists(argument, error) &&
        message.find(name) != std::string::npos)
      return message;
  }
  return events + ": " + message;
}

}  // namespace

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      MorphingCommand(),
      GenerateCommand(),
      InspectCommand(),
      SetupCommand(),
      MineCommand(),
      MergeCommand(),
      XsecCommand(),
      AugmentCommand(),
      FisherCommand(),
      MemCommand(),
      LimitsCommand(),
#ifdef GOLDMINE_WITH_TORCH
      TorchProxyCommand("train",
                        "train a SALLY, SALLINO, RASCAL, ALICES, ALICE, "
                        "CASCAL, CARL or ROLR estimator"),
      TorchProxyCommand("evaluate",
                        "evaluate a trained estimator on a samples file"),
      TorchProxyCommand("export", "export a trained estimator (onnx)"),
      TorchProxyCommand("assemble",
                        "join estimators trained as separate members into "
                        "one ensemble"),
      TorchProxyCommand("surrogate",
                        "neural likelihood surrogates of a workspace (train, "
                        "cls, upper-limit, validate)"),
#endif
      HistFactoryCommand(),
      EftWorkspaceCommand(),
      RunCommand(),
  };
  return commands;
}

Command TorchProxyCommand(const std::string& name, const std::string& summary) {
  Command command;
  command.name = name;
  command.summary = summary;
  command.run = [name](const std::vector<std::string>& arguments,
                       Streams streams) {
    return RunInTorchHelper(name, arguments, streams);
  };
  return command;
}

int RunCli(const std::vector<std::string>& arguments, Streams streams) {
  return RunCli(Commands(), arguments, streams);
}

int RunCli(const std::vector<Command>& commands,
           const std::vector<std::string>& arguments,
           Streams streams) {
  if (arguments.empty()) {
    PrintUsage(commands, streams.err);
    return kBadInput;
  }
  const std::string& first = arguments.front();
  if (first == "--help" || first == "-h" || first == "help") {
    PrintUsage(commands, streams.out);
    return kSuccess;
  }
  if (first == "--version") {
    streams.out << VersionLine() << "\n";
    return kSuccess;
  }
  const auto command =
      std::find_if(commands.begin(), commands.end(), [&](const Command& c) {
        return c.name == first;
      });
  if (command == commands.end()) {
    std::string names;
    for (const Command& c : commands)
      names += (names.empty() ? "" : ", ") + c.name;
    streams.err << "goldmine: unknown command \"" << first
                << "\"; commands: " << names << " (see 'goldmine --help')\n";
    return kBadInput;
  }
  const std::string prefix = "goldmine " + command->name + ": ";
  const auto named = [&](const char* what) {
    return NamingTheEventsFile(OneLine(what),
                               {arguments.begin() + 1, arguments.end()});
  };
  try {
    return command->run({arguments.begin() + 1, arguments.end()}, streams);
  } catch (const po::error& error) {
    streams.err << prefix << "error: " << OneLine(error.what())
                << " (see 'goldmine " << command->name << " --help')\n";
    return kBadInput;
  } catch (const InvalidInput& error) {
    streams.err << prefix << "error: " << named(error.what()) << "\n";
    return kBadInput;
  } catch (const FileFormatError& error) {
    streams.err << prefix << "error: " << named(error.what()) << "\n";
    return kBadInput;
  } catch (const std::exception& error) {
    streams.err << prefix << "internal error: " << OneLine(error.what())
                << "\n";
    return kInternalFailure;
  }
}

bool ParseCommandLine(const std::string& command,
                      const std::string& usage,
                      const std::string& description,
                      const po::options_description& options,
                      const std::vector<std::string>& arguments,
                      Streams streams,
                      po::variables_map* values,
                      const po::positional_options_description* positional) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::command_line_parser parser(arguments);
  parser.options(all);
  if (positional != nullptr) parser.positional(*positional);
  po::store(parser.run(), *values);
  if (values->count("help") != 0) {
    streams.out << "Usage: goldmine " << command << " " << usage << "\n\n"
                << description << "\n\n"
                << all << "\n";
    return false;
  }
  po::notify(*values);
  return true;
}

void WriteJsonResult(const nlohmann::ordered_json& result,
                     const std::optional<std::string>& output_path,
                     Streams streams) {
  const std::string text = result.dump(2) + "\n";
  if (output_path) {
    WriteTextFileAtomically(*output_path, text);
  } else {
    streams.out << text << std::flush;
  }
}

}  // namespace goldmine::cli
