// goldmine inspect FILE   (DESIGN.md §5.3): what an event file holds.
#include <iostream>

#include "cli.h"
#include "goldmine/core/output_guard.h"
#include "goldmine/mining/event_file_summary.h"

namespace goldmine::cli {
namespace po = boost::program_options;

namespace {

nlohmann::ordered_json SummaryToJson(const mining::EventFileSummary& summary) {
  const mining::EventFileInfo& info = summary.info;
  nlohmann::ordered_json output;
  output["format"] = mining::FormatName(info.format);
  output["n_events"] = summary.num_events;
  output["weight_names"] = info.weight_names;
  // Extension beyond DESIGN.md §5.3: a HepMC file without any weights has no
  // weight names, and each event counts as weight 1 (docs/event_files.md).
  output["unweighted"] = info.unweighted();
  nlohmann::ordered_json sums = nlohmann::ordered_json::object();
  nlohmann::ordered_json negatives = nlohmann::ordered_json::object();
  for (std::size_t w = 0; w < info.weight_names.size(); ++w) {
    sums[info.weight_names[w]] = summary.weight_sums[w];
    negatives[info.weight_names[w]] = summary.negative_weights[w];
  }
  output["weight_sums"] = std::move(sums);
  output["negative_weights"] = std::move(negatives);
  nlohmann::ordered_json reweight = nlohmann::ordered_json::object();
  for (const mining::WeightDefinition& weight : info.weight_definitions) {
    const auto settings = info.reweight.find(weight.id);
    if (settings == info.reweight.end()) continue;
    nlohmann::ordered_json values = nlohmann::ordered_json::object();
    for (const auto& [key, value] : settings->second) values[key] = value;
    reweight[weight.id] = std::move(values);
  }
  output["reweight"] = std::move(reweight);
  // Extensions beyond DESIGN.md §5.3.
  output["noop_reweights"] = mining::NoOpReweightings(info);
  if (info.format == mining::EventFormat::kLhe) {
    output["event_norm"] = info.event_norm;
    output["init_cross_section"] = info.init_cross_section;
  }
  return output;
}

}  // namespace

Command InspectCommand() {
  Command command;
  command.name = "inspect";
  command.summary =
      "summary of an event file (LHE, HepMC3, HepMC2; gzip or not)";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    po::options_description options("Options");
    options.add_options()(
        "file", po::value<std::string>()->required(), "event file to inspect")(
        "output",
        po::value<std::string>(),
        "write the result here instead of stdout");
    po::positional_options_description positional;
    positional.add("file", 1);
    po::variables_map values;
    const std::string description =
        "Prints a JSON summary: format, n_events, weight_names (file order; "
        "for LHE the\n"
        "nominal XWGTUP first, named \"nominal\"), weight_sums and "
        "negative_weights per\n"
        "weight, reweight (MadGraph reweighting settings per weight id: "
        "{\"BLOCK ID\": value};\n"
        "{} for a card that changed nothing), noop_reweights (such cards, "
        "SM-named ones\n"
        "excepted), and for LHE event_norm and init_cross_section.\n"
        "unweighted is true for a HepMC file without any weights (no weight "
        "names; each\n"
        "event counts as weight 1). A warning goes to stderr when the "
        "nominal weight is\n"
        "zero or negative in every event. --output must not be FILE.";
    if (!ParseCommandLine("inspect",
                          "FILE [--output OUT.json]",
                          description,
                          options,
                          arguments,
                          streams,
                          &values,
                          &positional)) {
      return kSuccess;
    }
    const std::string path = values["file"].as<std::string>();
    std::optional<std::string> output_path;
    if (values.count("output") != 0) {
      output_path = values["output"].as<std::string>();
      RequireOutputIsNotAnInput(*output_path, {path});
    }
    const mining::EventFileSummary summary =
        mining::SummarizeEventFile(path, [&](std::int64_t events) {
          streams.err << "\rgoldmine inspect: " << events << " events"
                      << std::flush;
        });
    if (summary.num_events >= 10000) streams.err << "\n";
    const std::string warning = mining::NominalWeightWarning(summary);
    if (!warning.empty())
      streams.err << "goldmine inspect: warning: " << warning << "\n";
    WriteJsonResult(SummaryToJson(summary), output_path, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli
