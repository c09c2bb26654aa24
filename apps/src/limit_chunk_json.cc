#include "limit_chunk_json.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "goldmine/core/eigen_json.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/histogram_edges_json.h"
#include "goldmine/core/json_node.h"

namespace goldmine::cli {
namespace po = boost::program_options;

namespace {

std::string ValueText(const po::variable_value& value) {
  const boost::any& any = value.value();
  if (const auto* text = boost::any_cast<std::string>(&any)) return *text;
  if (const auto* flag = boost::any_cast<bool>(&any))
    return *flag ? "true" : "false";
  if (const auto* number = boost::any_cast<int>(&any))
    return std::to_string(*number);
  if (const auto* number = boost::any_cast<double>(&any)) {
    std::ostringstream text;
    text.precision(17);
    text << *number;
    return text.str();
  }
  if (const auto* list = boost::any_cast<std::vector<std::string>>(&any)) {
    std::string joined;
    for (const std::string& item : *list) joined += item + ";";
    return joined;
  }
  throw InternalError("limits: an option of unexpected type");
}

Eigen::VectorXd Vector(const core::JsonNode& node, int size) {
  const std::vector<double> values = node.AsDoubles(size);
  return Eigen::Map<const Eigen::VectorXd>(
      values.data(), static_cast<Eigen::Index>(values.size()));
}

// "-inf" and "inf" stand for the outer bins' edges
// (goldmine/core/histogram_edges_json.h).
std::vector<std::vector<double>> Edges(const core::JsonNode& node) {
  std::vector<std::vector<double>> axes;
  for (const core::JsonNode& axis : node.Elements()) {
    std::vector<double> edges;
    for (const core::JsonNode& edge : axis.Elements()) {
      if (edge.value().is_string()) {
        const std::string text = edge.AsString();
        if (text != "-inf" && text != "inf") edge.Fail("a number, -inf or inf");
        edges.push_back((text == "inf" ? 1.0 : -1.0) *
                        std::numeric_limits<double>::infinity());
      } else {
        edges.push_back(edge.AsDouble());
      }
    }
    axes.push_back(edges);
  }
  return axes;
}

}  // namespace

std::string LimitsRunKey(const po::variables_map& values) {
  std::string key;
  for (const auto& [name, value] : values) {
    if (name == "chunk" || name == "join" || name == "drop-units" ||
        name == "output" || name == "csv" || name == "threads")
      continue;
    key += "--" + name + "=" + ValueText(value) + " ";
  }
  return key;
}

nlohmann::ordered_json LimitChunkJson(const inference::LimitResult& result,
                                      const inference::GridChunk& chunk,
                                      Eigen::Index grid_points,
                                      const std::string& run_key) {
  const auto [first, end] = inference::ChunkPoints(grid_points, chunk);
  nlohmann::ordered_json json;
  json["chunk"] = {{"index", chunk.index},
                   {"count", chunk.count},
                   {"first_point", first},
                   {"end_point", end},
                   {"grid_points", grid_points},
                   {"run", run_key}};
  json["parameters"] = result.parameters;
  json["all_parameters"] = result.all_parameters;
  json["grid"] = core::Rows(result.grid);
  json["thetas"] = core::Rows(result.thetas);
  json["log_likelihood_kin"] = core::Values(result.log_likelihood_kin);
  json["log_likelihood_rate"] = core::Values(result.log_likelihood_rate);
  json["n_observed"] = result.n_observed;
  json["dof"] = result.dof;
  if (!result.histogram_edges.empty())
    json["histogram_edges"] = core::HistogramEdgesJson(result.histogram_edges);
  json["dropped_units"] = result.dropped_units;
  json["dropped_unit_ids"] = result.dropped_unit_ids;
  return json;
}

inference::LimitChunk ReadLimitChunk(const std::string& path,
                                     const std::string& run_key) {
  const nlohmann::json document = core::ReadJsonFile(path);
  const core::JsonNode root(document, path);
  if (!root.value().is_object() || !root.Has("chunk")) {
    throw InvalidInput(path +
                       ": not a chunk of `goldmine limits --chunk I/N` (no "
                       "\"chunk\" key)");
  }
  const core::JsonNode info = root.At("chunk");
  if (info.At("run").AsString() != run_key) {
    throw InvalidInput(path +
                       ": a chunk of another limits run (its options "
                       "differ from this command's: " +
                       info.At("run").AsString() + ")");
  }
  inference::LimitChunk chunk;
  chunk.source = path;
  chunk.chunk.index = info.At("index").AsInt();
  chunk.chunk.count = info.At("count").AsInt();
  chunk.first_point = info.At("first_point").AsInt();
  chunk.grid_points = info.At("grid_points").AsInt();
  inference::LimitResult& result = chunk.result;
  result.parameters = root.At("parameters").AsStrings();
  result.all_parameters = root.At("all_parameters").AsStrings();
  result.grid = root.At("grid").AsMatrix(
      static_cast<int>(result.parameters.size()), "grid points");
  const int rows = static_cast<int>(result.grid.rows());
  result.thetas = root.At("thetas").AsMatrix(
      static_cast<int>(result.all_parameters.size()), "parameter points");
  if (result.thetas.rows() != rows) root.At("thetas").Fail("a row per point");
  result.log_likelihood_kin = Vector(root.At("log_likelihood_kin"), rows);
  result.log_likelihood_rate = Vector(root.At("log_likelihood_rate"), rows);
  result.n_observed = root.At("n_observed").AsDouble();
  result.dof = root.At("dof").AsInt();
  if (root.Has("histogram_edges"))
    result.histogram_edges = Edges(root.At("histogram_edges"));
  for (const core::JsonNode& id : root.At("dropped_unit_ids").Elements())
    chunk.dropped_unit_ids.push_back(
        static_cast<std::int64_t>(id.AsUnsigned()));
  result.dropped_units =
      static_cast<std::int64_t>(chunk.dropped_unit_ids.size());
  return chunk;
}

}  // namespace goldmine::cli
