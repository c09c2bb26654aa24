#include "goldmine/mining/events_provenance.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "goldmine/core/errors.h"
#include "goldmine/core/file_digest.h"
#include "goldmine/mining/madminer_file.h"

namespace goldmine::mining {
namespace {

using Json = nlohmann::ordered_json;

// A matrix as JSON rows.
template <typename Matrix>
Json Rows(const Matrix& m) {
  Json rows = Json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    Json row = Json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> EventsProvenance(
    const std::filesystem::path& events,
    const std::vector<std::string>& observables) {
  const MadminerSetup setup = ReadSetup(events);
  Json definitions = Json::object();
  for (const std::string& name : observables) {
    const auto found = std::find_if(
        setup.observables.begin(),
        setup.observables.end(),
        [&](const MadminerObservable& o) { return o.name == name; });
    if (found == setup.observables.end()) {
      throw InvalidInput(events.string() + ": no observable \"" + name +
                         "\", which the model takes; give the events file "
                         "its training samples came from");
    }
    definitions[name] = found->definition;
  }
  Json parameters = Json::array();
  for (const MadminerParameter& p : setup.parameters) {
    parameters.push_back({{"name", p.name},
                          {"range", {p.range.lower, p.range.upper}},
                          {"lha_block", p.lha_block},
                          {"lha_id", p.lha_id},
                          {"max_power", p.max_power}});
  }
  std::vector<std::pair<std::string, std::string>> entries = {
      {"goldmine.observable_definitions", definitions.dump()},
      {"goldmine.parameter_definitions", parameters.dump()}};
  if (setup.morphing) {
    const MadminerMorphing& m = *setup.morphing;
    const Json thetas = Rows(setup.benchmarks.values);
    Json benchmarks = Json::object();
    for (int b = 0; b < setup.benchmarks.num_physics(); ++b)
      benchmarks[setup.benchmarks.names[static_cast<std::size_t>(b)]] =
          thetas[static_cast<std::size_t>(b)];
    entries.emplace_back("goldmine.morphing",
                         Json{{"components", Rows(m.components)},
                              {"morphing_matrix", Rows(m.morphing_matrix)},
                              {"benchmarks", benchmarks}}
                             .dump());
  }
  entries.emplace_back("goldmine.events_file",
                       Json{{"name", events.filename().string()},
                            {"sha256", Sha256OfFile(events)}}
                           .dump());
  return entries;
}

std::pair<std::string, std::string> SamplesFileProvenance(
    const std::filesystem::path& samples) {
  return {"goldmine.samples_file",
          nlohmann::json{{"name", samples.filename().string()},
                         {"sha256", Sha256OfFile(samples)}}
              .dump()};
}

}  // namespace goldmine::mining
