// What every `goldmine histfactory` subcommand shares (histfactory_command.cc,
// histfactory_documents_command.cc): reading a document named on the command
// line ("-" is standard input, as in pyhf's CLI), writing a result, and
// parsing the subcommand's options with its --help.
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli.h"

namespace goldmine::cli {

// The text of `path`, or of standard input when `path` is "-" (once per
// process: a second "-" is an error). `what` names the document in messages
// ("workspace", "PatchSet", ...).
std::string ReadHistFactoryDocument(const std::string& path,
                                    const std::string& what);

// Parses the options of `goldmine histfactory NAME`; prints the help and
// returns false for --help. `positional` takes up to `max_positional`
// positional arguments (-1: any number).
bool ParseHistFactoryOptions(
    const std::string& name,
    const std::string& usage,
    const std::string& description,
    boost::program_options::options_description options,
    const std::vector<std::string>& arguments,
    Streams streams,
    boost::program_options::variables_map* values,
    const char* positional,
    int max_positional);

// --output FILE when given. Throws InvalidInput when it names one of the
// subcommand's documents (workspace, patchset, patch, documents options).
std::optional<std::string> HistFactoryOutputPath(
    const boost::program_options::variables_map& values);

// `text` to the --output file (atomically) or to stdout.
void WriteHistFactoryText(const std::string& text,
                          const std::optional<std::string>& output_path,
                          Streams streams);

// "2100,800" or "a,1.5" → {"2100", "800"}: the words of --patch-values /
// --values, matched against a PatchSet's metadata.values
// (inference::PatchNameForValues). Throws InvalidInput for an empty word.
std::vector<std::string> SplitPatchValues(const std::string& text);

}  // namespace goldmine::cli
