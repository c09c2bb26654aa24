#include "goldmine/generators/benchmarks.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "goldmine/core/errors.h"
#include "goldmine/core/utf8.h"
#include "goldmine/core/yaml_unique_keys.h"
#include "goldmine/morphing/basis_optimizer.h"
#include "goldmine/morphing/components.h"

namespace goldmine::generators {
namespace {

std::string Where(const std::string& path, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return path;
  return path + ", line " + std::to_string(mark.line + 1);
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

bool HasWhitespace(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

void ValidateBenchmarks(const std::vector<NamedBenchmark>& benchmarks,
                        std::size_t parameter_count) {
  GOLDMINE_REQUIRE(!benchmarks.empty(), "no benchmarks given");
  std::set<std::string> seen;
  for (const NamedBenchmark& benchmark : benchmarks) {
    GOLDMINE_REQUIRE(!benchmark.name.empty(), "a benchmark name is empty");
    GOLDMINE_REQUIRE(!HasWhitespace(benchmark.name),
                     "benchmark name \"" + benchmark.name +
                         "\" contains whitespace (HepMC3 weight names "
                         "cannot); use '_' instead");
    GOLDMINE_REQUIRE(seen.insert(benchmark.name).second,
                     "benchmark name \"" + benchmark.name + "\" is repeated");
    GOLDMINE_REQUIRE(benchmark.values.size() == parameter_count,
                     "benchmark \"" + benchmark.name + "\" has " +
                         std::to_string(benchmark.values.size()) +
                         " values, expected " +
                         std::to_string(parameter_count));
    for (double value : benchmark.values)
      GOLDMINE_REQUIRE(
          std::isfinite(value),
          "benchmark \"" + benchmark.name + "\" has a non-finite value");
  }
}

std::vector<NamedBenchmark> ReadBenchmarkFile(
    const std::string& path, const std::vector<std::string>& parameter_names) {
  std::error_code error_code;
  if (std::filesystem::is_directory(path, error_code))
    throw InvalidInput(path + ": is a folder; expected a YAML file");
  std::ifstream in(path);
  if (!in) throw InvalidInput(path + ": cannot open the benchmarks file");
  std::ostringstream text;
  text << in.rdbuf();
  // A repeated "benchmarks:" or benchmark name would be dropped silently.
  RequireUtf8Text(text.str(), path, "a benchmarks file");
  RequireUniqueYamlKeys(text.str(), path);
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& error) {
    throw FileFormatError(path + ", line " +
                          std::to_string(error.mark.line + 1) +
                          ": invalid YAML: " + error.msg);
  }
  if (!root.IsMap())
    throw FileFormatError(path +
                          ": expected a map with the key \"benchmarks\" "
                          "(benchmarks: {NAME: {PARAMETER: value}})");
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (key != "benchmarks")
      throw FileFormatError(Where(path, entry.first) + ": unknown key \"" +
                            key + "\"; the file has only \"benchmarks\"");
  }
  const YAML::Node list = root["benchmarks"];
  if (!list || !list.IsMap())
    throw FileFormatError(
        path + ": \"benchmarks\" must be a map {NAME: {PARAMETER: value}}");
  std::vector<NamedBenchmark> benchmarks;
  for (const auto& entry : list) {
    NamedBenchmark benchmark;
    benchmark.name = entry.first.as<std::string>();
    benchmark.values.assign(parameter_names.size(), 0.0);
    const YAML::Node& settings = entry.second;
    if (!settings.IsNull() && !settings.IsMap())
      throw FileFormatError(Where(path, settings) + ": benchmark \"" +
                            benchmark.name +
                            "\" must be a map {PARAMETER: value} ({} for SM)");
    if (settings.IsMap()) {
      for (const auto& parameter : settings) {
        const std::string name = parameter.first.as<std::string>();
        const auto found =
            std::find(parameter_names.begin(), parameter_names.end(), name);
        if (found == parameter_names.end())
          throw FileFormatError(
              Where(path, parameter.first) + ": benchmark \"" + benchmark.name +
              "\": unknown parameter \"" + name +
              "\"; the run's parameters are " + JoinNames(parameter_names) +
              " (see --operators)");
        double value = 0.0;
        try {
          value = parameter.second.as<double>();
        } catch (const YAML::Exception&) {
          throw FileFormatError(
              Where(path, parameter.second) + ": benchmark \"" +
              benchmark.name + "\", parameter " + name + ": expected a number");
        }
        if (!std::isfinite(value))
          throw FileFormatError(Where(path, parameter.second) +
                                ": benchmark \"" + benchmark.name +
                                "\", parameter " + name +
                                ": expected a finite number");
        benchmark
            .values[static_cast<std::size_t>(found - parameter_names.begin())] =
            value;
      }
    }
    benchmarks.push_back(std::move(benchmark));
  }
  if (benchmarks.empty())
    throw FileFormatError(path + ": \"benchmarks\" is empty");
  try {
    ValidateBenchmarks(benchmarks, parameter_names.size());
  } catch (const InvalidInput& error) {
    throw FileFormatError(path + ": " + error.what());
  }
  return benchmarks;
}

std::vector<NamedBenchmark> OptimisedMorphingBenchmarks(
    const std::vector<std::string>& parameter_names,
    const ParameterRanges& ranges,
    std::uint64_t seed) {
  const int n = static_cast<int>(parameter_names.size());
  GOLDMINE_REQUIRE(n > 0, "a morphing basis needs at least one parameter");
  GOLDMINE_REQUIRE(ranges.size() == parameter_names.size(),
                   "expected one range per parameter");
  const morphing::Components components = morphing::Components::FromMaxPowers(
      std::vector<int>(ranges.size(), 2), 2);
  morphing::BasisOptimizerOptions options;
  options.seed = seed;
  const morphing::BasisOptimizationResult result = morphing::OptimizeBasis(
      components, ranges, Eigen::MatrixXd::Zero(1, n), options);
  std::vector<NamedBenchmark> benchmarks;
  for (Eigen::Index b = 0; b < result.basis.rows(); ++b) {
    NamedBenchmark benchmark;
    benchmark.name =
        b == 0 ? "sm" : "morphing_basis_vector_" + std::to_string(b);
    for (int p = 0; p < n; ++p) benchmark.values.push_back(result.basis(b, p));
    benchmarks.push_back(std::move(benchmark));
  }
  return benchmarks;
}

}  // namespace goldmine::generators
