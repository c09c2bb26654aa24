// goldmine histfactory digest | sort | patchset (DESIGN.md §5.7): pyhf's
// document commands; the work is done by inference (workspace_json.h,
// patchset.h), this file parses options and prints.
#include <nlohmann/json.hpp>

#include "goldmine/core/errors.h"
#include "goldmine/inference/patchset.h"
#include "goldmine/inference/pyhf_schema.h"
#include "goldmine/inference/workspace_json.h"
#include "histfactory_documents.h"
#include "histfactory_io.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace hf = goldmine::inference;
namespace {

using nlohmann::ordered_json;

void AddOutput(po::options_description* options) {
  options->add_options()(
      "output", po::value<std::string>(), "write the result here");
}

// One positional document `key` ("-": standard input) and --output.
po::options_description DocumentOptions(const char* key,
                                        const std::string& what) {
  po::options_description options("Options");
  options.add_options()(key,
                        po::value<std::string>()->required(),
                        (what + " (positional; - for standard input)").c_str());
  AddOutput(&options);
  return options;
}

void WriteJson(const ordered_json& result,
               const po::variables_map& values,
               Streams streams) {
  WriteHistFactoryText(
      result.dump(2) + "\n", HistFactoryOutputPath(values), streams);
}

// --name NAME or --values V1,V2,... (exactly one).
std::string ChosenPatch(const po::variables_map& values,
                        const std::string& patchset,
                        const std::string& patchset_path) {
  const bool by_name = values.count("name") != 0;
  const bool by_values = values.count("values") != 0;
  if (by_name == by_values) {
    throw InvalidInput("give the patch by --name NAME or --values V1,V2,...");
  }
  if (by_name) return values["name"].as<std::string>();
  return hf::PatchNameForValues(
      patchset,
      SplitPatchValues(values["values"].as<std::string>()),
      patchset_path);
}

void AddPatchChoice(po::options_description* options) {
  options->add_options()("name", po::value<std::string>(), "patch name")(
      "values",
      po::value<std::string>(),
      "V1,V2,...: the patch with these metadata.values");
}

int PatchSetInspect(const std::vector<std::string>& arguments,
                    Streams streams) {
  po::variables_map values;
  if (!ParseHistFactoryOptions(
          "patchset inspect",
          "PS.json [--output OUT.json]",
          "The PatchSet's metadata and patches (pyhf patchset inspect). "
          "Output keys:\ndescription, labels, references, digests, "
          "n_patches, patches [{name, values}].",
          DocumentOptions("patchset", "PatchSet"),
          arguments,
          streams,
          &values,
          "patchset",
          1)) {
    return kSuccess;
  }
  const std::string path = values["patchset"].as<std::string>();
  const hf::PatchSetSummary summary =
      hf::ReadPatchSet(ReadHistFactoryDocument(path, "PatchSet"), path);
  ordered_json result;
  result["description"] = summary.description;
  result["labels"] = summary.labels;
  ordered_json references = ordered_json::object();
  for (const auto& [key, value] : summary.references) references[key] = value;
  result["references"] = references;
  ordered_json digests = ordered_json::object();
  for (const auto& [key, value] : summary.digests) digests[key] = value;
  result["digests"] = digests;
  result["n_patches"] = summary.patches.size();
  ordered_json patches = ordered_json::array();
  for (const hf::PatchSetPatch& patch : summary.patches) {
    ordered_json patch_values = ordered_json::array();
    for (const std::string& value : patch.values) {
      patch_values.push_back(ordered_json::parse(value));
    }
    patches.push_back({{"name", patch.name}, {"values", patch_values}});
  }
  result["patches"] = patches;
  WriteJson(result, values, streams);
  return kSuccess;
}

int PatchSetExtract(const std::vector<std::string>& arguments,
                    Streams streams) {
  po::options_description options = DocumentOptions("patchset", "PatchSet");
  options.add_options()(
      "with-metadata",
      "write {metadata, patch}: the patch's metadata updated by the "
      "PatchSet's");
  AddPatchChoice(&options);
  po::variables_map values;
  if (!ParseHistFactoryOptions(
          "patchset extract",
          "PS.json (--name NAME | --values V1,V2,...) [--with-metadata] "
          "[--output OUT.json]",
          "Writes one patch of the PatchSet as a JSON Patch (pyhf patchset "
          "extract).",
          options,
          arguments,
          streams,
          &values,
          "patchset",
          1)) {
    return kSuccess;
  }
  const std::string path = values["patchset"].as<std::string>();
  const std::string patchset = ReadHistFactoryDocument(path, "PatchSet");
  const std::string name = ChosenPatch(values, patchset, path);
  WriteHistFactoryText(
      hf::ExtractPatch(
          patchset, name, values.count("with-metadata") != 0, path),
      HistFactoryOutputPath(values),
      streams);
  return kSuccess;
}

// The two positional documents of verify and apply, read (one may be
// standard input) and the workspace checked against pyhf's schema.
struct WorkspaceAndPatchSet {
  std::string workspace_path;
  std::string patchset_path;
  std::string workspace;
  std::string patchset;
};

// Parses `options` plus WS.json PS.json and --output; false for --help.
bool ParseWorkspaceAndPatchSet(const std::string& name,
                               const std::string& usage,
                               const std::string& description,
                               po::options_description options,
                               const std::vector<std::string>& arguments,
                               Streams streams,
                               po::variables_map* values,
                               WorkspaceAndPatchSet* documents) {
  options.add_options()("documents",
                        po::value<std::vector<std::string>>()->required(),
                        "WS.json PS.json (positional; one may be -)");
  AddOutput(&options);
  if (!ParseHistFactoryOptions(name,
                               usage,
                               description,
                               options,
                               arguments,
                               streams,
                               values,
                               "documents",
                               2)) {
    return false;
  }
  const auto paths = (*values)["documents"].as<std::vector<std::string>>();
  if (paths.size() != 2) {
    throw InvalidInput(name + ": expected a workspace and a PatchSet");
  }
  documents->workspace_path = paths[0];
  documents->patchset_path = paths[1];
  documents->workspace = ReadHistFactoryDocument(paths[0], "workspace");
  documents->patchset = ReadHistFactoryDocument(paths[1], "PatchSet");
  hf::ValidatePyhfWorkspace(documents->workspace, paths[0]);
  return true;
}

int PatchSetVerify(const std::vector<std::string>& arguments, Streams streams) {
  po::variables_map values;
  WorkspaceAndPatchSet documents;
  if (!ParseWorkspaceAndPatchSet(
          "patchset verify",
          "WS.json PS.json [--output OUT.json]",
          "Checks every digest of the PatchSet against the workspace (pyhf "
          "patchset verify).\nOutput: {\"verified\": true, \"digests\": "
          "{...}}; a mismatch exits with 2.",
          po::options_description("Options"),
          arguments,
          streams,
          &values,
          &documents)) {
    return kSuccess;
  }
  hf::VerifyPatchSet(
      documents.workspace, documents.patchset, documents.patchset_path);
  ordered_json digests = ordered_json::object();
  for (const auto& [key, value] :
       hf::ReadPatchSet(documents.patchset, documents.patchset_path).digests) {
    digests[key] = value;
  }
  WriteJson({{"verified", true}, {"digests", digests}}, values, streams);
  return kSuccess;
}

int PatchSetApply(const std::vector<std::string>& arguments, Streams streams) {
  po::options_description options("Options");
  AddPatchChoice(&options);
  po::variables_map values;
  WorkspaceAndPatchSet documents;
  if (!ParseWorkspaceAndPatchSet(
          "patchset apply",
          "WS.json PS.json (--name NAME | --values V1,V2,...) [--output "
          "OUT.json]",
          "Verifies the digests and writes the patched workspace (pyhf "
          "patchset apply).",
          options,
          arguments,
          streams,
          &values,
          &documents)) {
    return kSuccess;
  }
  const std::string name =
      ChosenPatch(values, documents.patchset, documents.patchset_path);
  WriteHistFactoryText(hf::ApplyPatchSet(documents.workspace,
                                         documents.patchset,
                                         name,
                                         documents.patchset_path),
                       HistFactoryOutputPath(values),
                       streams);
  return kSuccess;
}

}  // namespace

int HistFactoryDigest(const std::vector<std::string>& arguments,
                      Streams streams) {
  po::options_description options = DocumentOptions("workspace", "workspace");
  options.add_options()("algorithm,a",
                        po::value<std::vector<std::string>>()->composing(),
                        "sha256 (default) or md5; repeatable")(
      "json,j", "JSON output {ALGORITHM: digest} (the default)")(
      "plaintext,p", "pyhf's plain text: one ALGORITHM:digest per line");
  po::variables_map values;
  if (!ParseHistFactoryOptions(
          "digest",
          "WS.json [-a sha256] [-a md5] [--plaintext] [--output FILE]",
          "Digest of the workspace as pyhf computes it (pyhf.utils.digest: "
          "the hash of\njson.dumps(workspace, sort_keys=True)), the value a "
          "PatchSet's metadata.digests holds.",
          options,
          arguments,
          streams,
          &values,
          "workspace",
          1)) {
    return kSuccess;
  }
  if (values.count("json") != 0 && values.count("plaintext") != 0) {
    throw InvalidInput("give --json or --plaintext, not both");
  }
  std::vector<std::string> algorithms = {"sha256"};
  if (values.count("algorithm") != 0) {
    algorithms = values["algorithm"].as<std::vector<std::string>>();
  }
  for (const std::string& algorithm : algorithms) {
    if (algorithm != "sha256" && algorithm != "md5") {
      throw InvalidInput("--algorithm: expected sha256 or md5, got \"" +
                         algorithm + "\"");
    }
  }
  const std::string path = values["workspace"].as<std::string>();
  const std::string text = ReadHistFactoryDocument(path, "workspace");
  ordered_json digests = ordered_json::object();
  std::string plain;
  for (const std::string& algorithm : algorithms) {
    const std::string digest = hf::WorkspaceDigest(text, algorithm, path);
    digests[algorithm] = digest;
    plain += algorithm + ":" + digest + "\n";
  }
  if (values.count("plaintext") != 0) {
    WriteHistFactoryText(plain, HistFactoryOutputPath(values), streams);
  } else {
    WriteJson(digests, values, streams);
  }
  return kSuccess;
}

int HistFactorySort(const std::vector<std::string>& arguments,
                    Streams streams) {
  po::variables_map values;
  if (!ParseHistFactoryOptions(
          "sort",
          "WS.json [--output OUT.json]",
          "Writes the workspace with channels, samples, modifiers, "
          "measurements, parameter\nconfigurations and observations sorted "
          "by name (pyhf sort).",
          DocumentOptions("workspace", "workspace"),
          arguments,
          streams,
          &values,
          "workspace",
          1)) {
    return kSuccess;
  }
  const std::string path = values["workspace"].as<std::string>();
  WriteHistFactoryText(
      hf::SortWorkspace(ReadHistFactoryDocument(path, "workspace"), path),
      HistFactoryOutputPath(values),
      streams);
  return kSuccess;
}

int HistFactoryPatchSet(const std::vector<std::string>& arguments,
                        Streams streams) {
  using Action = int (*)(const std::vector<std::string>&, Streams);
  static const std::vector<std::pair<std::string, Action>> kActions = {
      {"inspect", PatchSetInspect},
      {"extract", PatchSetExtract},
      {"verify", PatchSetVerify},
      {"apply", PatchSetApply}};
  const std::string usage =
      "Usage: goldmine histfactory patchset inspect|extract|verify|apply "
      "[OPTIONS]\n";
  if (!arguments.empty() &&
      (arguments[0] == "--help" || arguments[0] == "-h")) {
    streams.out << usage;
    return kSuccess;
  }
  for (const auto& [name, action] : kActions) {
    if (!arguments.empty() && arguments[0] == name) {
      return action({arguments.begin() + 1, arguments.end()}, streams);
    }
  }
  throw InvalidInput(
      "patchset: expected one of inspect, extract, verify, apply" +
      (arguments.empty() ? std::string() : ", got \"" + arguments[0] + "\""));
}

}  // namespace goldmine::cli
