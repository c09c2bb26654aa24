#include "histfactory_io.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "output_options.h"

namespace goldmine::cli {
namespace po = boost::program_options;

std::string ReadHistFactoryDocument(const std::string& path,
                                    const std::string& what) {
  std::ostringstream text;
  if (path == "-") {
    static bool stdin_used = false;
    if (stdin_used) {
      throw InvalidInput("-: standard input can give only one document; the " +
                         what + " must be a file");
    }
    stdin_used = true;
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path);
  if (!in) throw InvalidInput(path + ": cannot open the " + what + " file");
  text << in.rdbuf();
  return text.str();
}

bool ParseHistFactoryOptions(const std::string& name,
                             const std::string& usage,
                             const std::string& description,
                             po::options_description options,
                             const std::vector<std::string>& arguments,
                             Streams streams,
                             po::variables_map* values,
                             const char* positional,
                             int max_positional) {
  po::positional_options_description positionals;
  positionals.add(positional, max_positional);
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::store(po::command_line_parser(arguments)
                .options(all)
                .positional(positionals)
                .run(),
            *values);
  if (values->count("help") != 0) {
    streams.out << "Usage: goldmine histfactory " << name << " " << usage
                << "\n\n"
                << description << "\n\n"
                << all << "\n";
    return false;
  }
  po::notify(*values);
  return true;
}

std::optional<std::string> HistFactoryOutputPath(
    const po::variables_map& values) {
  if (values.count("output") == 0) return std::nullopt;
  // Every subcommand asks for its output path here before writing, so this
  // is where `histfactory fit ws.json --output ws.json` is refused. The
  // documents are the positional and --patchset/--patch options.
  RequireOutputOptionIsNotAnInput(
      values,
      "output",
      PathsOfOptions(values, {"workspace", "patchset", "patch", "documents"}));
  return values["output"].as<std::string>();
}

void WriteHistFactoryText(const std::string& text,
                          const std::optional<std::string>& output_path,
                          Streams streams) {
  if (output_path) {
    WriteTextFileAtomically(*output_path, text);
  } else {
    streams.out << text << std::flush;
  }
}

std::vector<std::string> SplitPatchValues(const std::string& text) {
  std::vector<std::string> words;
  std::stringstream stream(text);
  for (std::string word; std::getline(stream, word, ',');) {
    if (word.empty()) break;
    words.push_back(word);
  }
  if (words.empty() || text.empty() || text.back() == ',' ||
      text.find(",,") != std::string::npos) {
    throw InvalidInput(
        "--patch-values: expected V1,V2,... (one per label "
        "of the PatchSet), got \"" +
        text + "\"");
  }
  return words;
}

}  // namespace goldmine::cli
