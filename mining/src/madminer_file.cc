#include "goldmine/mining/madminer_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <set>
#include <utility>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "hdf5_crash_probe.h"
#include "hdf5_io.h"

namespace goldmine::mining {
namespace {

using hdf5::Kind;
using RowMajorMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Rows staged per copy step in MadminerEventsWriter::Finish (about 4 MB).
constexpr std::size_t kStagingBytes = std::size_t{4} << 20;

std::string KindText(Kind kind) {
  switch (kind) {
    case Kind::kInteger:
      return "int64";
    case Kind::kReal:
      return "float64";
    case Kind::kString:
      return "string";
  }
  return "?";
}

// "int64 (2,) (one per parameter)"
std::string Expected(Kind kind,
                     const std::string& shape,
                     const std::string& meaning) {
  return KindText(kind) + " " + shape + " (" + meaning + ")";
}

std::string Shape1(std::int64_t n) { return "(" + std::to_string(n) + ",)"; }
std::string Shape2(const std::string& rows, const std::string& columns) {
  return "(" + rows + ", " + columns + ")";
}

// A 1-D dataset of `length` entries (any length when negative).
hdf5::Dataset OpenVector(const hdf5::InputFile& file,
                         const std::string& name,
                         Kind kind,
                         std::int64_t length,
                         const std::string& meaning) {
  const std::string expected = Expected(
      kind, length < 0 ? std::string("(n,)") : Shape1(length), meaning);
  hdf5::Dataset dataset = file.Open(name, kind, 1, expected);
  if (length >= 0 && dataset.rows() != length) {
    file.ThrowShape(dataset, expected);
  }
  return dataset;
}

// A 2-D dataset; negative sizes match anything.
hdf5::Dataset OpenMatrix(const hdf5::InputFile& file,
                         const std::string& name,
                         Kind kind,
                         std::int64_t rows,
                         std::int64_t columns,
                         const std::string& meaning) {
  const std::string expected =
      Expected(kind,
               Shape2(rows < 0 ? "n" : std::to_string(rows),
                      columns < 0 ? "m" : std::to_string(columns)),
               meaning);
  hdf5::Dataset dataset = file.Open(name, kind, 2, expected);
  if ((rows >= 0 && dataset.rows() != rows) ||
      (columns >= 0 && dataset.columns() != columns)) {
    file.ThrowShape(dataset, expected);
  }
  return dataset;
}

Eigen::MatrixXd ToMatrix(const std::vector<double>& values,
                         std::int64_t rows,
                         std::int64_t columns) {
  if (rows == 0 || columns == 0) return Eigen::MatrixXd(rows, columns);
  return Eigen::Map<const RowMajorMatrix>(values.data(), rows, columns);
}

int ToInt(const hdf5::InputFile& file,
          const std::string& name,
          std::int64_t value) {
  if (value < std::numeric_limits<int>::min() ||
      value > std::numeric_limits<int>::max()) {
    file.Fail(name,
              "value " + std::to_string(value) +
                  " out of range, expected a 32-bit integer");
  }
  return static_cast<int>(value);
}

std::vector<bool> ToFlags(const std::vector<std::int64_t>& values) {
  std::vector<bool> flags;
  flags.reserve(values.size());
  for (std::int64_t value : values) flags.push_back(value != 0);
  return flags;
}

std::optional<std::string> NoneToNullopt(std::string value) {
  if (value == kMadminerNone) return std::nullopt;
  return value;
}

// Optional groups: MadMiner writes all datasets of a group together, so a
// group that is present must be complete (missing datasets are errors).
bool GroupPresent(const hdf5::InputFile& file, const std::string& group) {
  return file.Has(group);
}

MadminerSetup ReadSetupFrom(const hdf5::InputFile& file) {
  MadminerSetup setup;

  // parameters/ (required)
  const hdf5::Dataset names = OpenVector(
      file, "parameters/names", Kind::kString, -1, "one name per parameter");
  const std::int64_t num_parameters = names.rows();
  const std::string per_parameter = "one per parameter, as parameters/names";
  const auto parameter_names = file.ReadStrings(names);
  const auto blocks = file.ReadStrings(OpenVector(file,
                                                  "parameters/lha_blocks",
                                                  Kind::kString,
                                                  num_parameters,
                                                  per_parameter));
  const auto ids = file.ReadIntegers(OpenVector(file,
                                                "parameters/lha_ids",
                                                Kind::kInteger,
                                                num_parameters,
                                                per_parameter));
  const auto max_powers = file.ReadIntegers(OpenVector(file,
                                                       "parameters/max_power",
                                                       Kind::kInteger,
                                                       num_parameters,
                                                       per_parameter));
  const auto ranges = file.ReadReals(OpenMatrix(file,
                                                "parameters/val_ranges",
                                                Kind::kReal,
                                                num_parameters,
                                                2,
                                                "(min, max) per parameter"));
  const auto transforms = file.ReadStrings(OpenVector(file,
                                                      "parameters/transforms",
                                                      Kind::kString,
                                                      num_parameters,
                                                      per_parameter));
  for (std::int64_t p = 0; p < num_parameters; ++p) {
    const auto i = static_cast<std::size_t>(p);
    MadminerParameter parameter;
    parameter.name = parameter_names[i];
    parameter.lha_block = blocks[i];
    parameter.lha_id = ToInt(file, "parameters/lha_ids", ids[i]);
    parameter.max_power = ToInt(file, "parameters/max_power", max_powers[i]);
    parameter.range = {ranges[2 * i], ranges[2 * i + 1]};
    parameter.transform = transforms[i];
    setup.parameters.push_back(std::move(parameter));
  }

  // benchmarks/ (names and values required)
  const hdf5::Dataset benchmark_names = OpenVector(
      file, "benchmarks/names", Kind::kString, -1, "one name per benchmark");
  const std::int64_t num_benchmarks = benchmark_names.rows();
  setup.benchmarks.names = file.ReadStrings(benchmark_names);
  setup.benchmarks.values =
      ToMatrix(file.ReadReals(OpenMatrix(file,
                                         "benchmarks/values",
                                         Kind::kReal,
                                         num_benchmarks,
                                         num_parameters,
                                         "benchmarks x parameters")),
               num_benchmarks,
               num_parameters);
  const std::string per_benchmark = "0/1 per benchmark";
  for (const auto& [name, flags] :
       {std::pair{"benchmarks/is_nuisance", &setup.benchmarks.is_nuisance},
        std::pair{"benchmarks/is_reference", &setup.benchmarks.is_reference}}) {
    if (file.Has(name)) {
      *flags = ToFlags(file.ReadIntegers(OpenVector(
          file, name, Kind::kInteger, num_benchmarks, per_benchmark)));
    } else {
      flags->assign(static_cast<std::size_t>(num_benchmarks), false);
    }
  }

  // morphing/
  if (GroupPresent(file, "morphing")) {
    const hdf5::Dataset components =
        OpenMatrix(file,
                   "morphing/components",
                   Kind::kInteger,
                   -1,
                   num_parameters,
                   "components x parameters powers");
    const std::int64_t num_components = components.rows();
    const hdf5::Dataset matrix = OpenMatrix(file,
                                            "morphing/morphing_matrix",
                                            Kind::kReal,
                                            num_components,
                                            -1,
                                            "components x basis benchmarks");
    if (matrix.columns() > num_benchmarks) {
      file.ThrowShape(matrix,
                      "at most " + std::to_string(num_benchmarks) +
                          " columns (one per basis benchmark)");
    }
    MadminerMorphing morphing;
    const auto powers = file.ReadIntegers(components);
    morphing.components.resize(num_components, num_parameters);
    for (std::int64_t c = 0; c < num_components; ++c) {
      for (std::int64_t p = 0; p < num_parameters; ++p) {
        morphing.components(c, p) =
            ToInt(file,
                  "morphing/components",
                  powers[static_cast<std::size_t>(c * num_parameters + p)]);
      }
    }
    morphing.morphing_matrix =
        ToMatrix(file.ReadReals(matrix), num_components, matrix.columns());
    setup.morphing = std::move(morphing);
  }

  // systematics/
  if (GroupPresent(file, "systematics")) {
    const hdf5::Dataset systematic_names =
        OpenVector(file,
                   "systematics/names",
                   Kind::kString,
                   -1,
                   "one name per systematic");
    const std::int64_t count = systematic_names.rows();
    const std::string per_systematic = "one per systematic";
    const auto name_values = file.ReadStrings(systematic_names);
    const auto types = file.ReadStrings(OpenVector(
        file, "systematics/types", Kind::kString, count, per_systematic));
    const auto values = file.ReadStrings(OpenVector(
        file, "systematics/values", Kind::kString, count, per_systematic));
    const auto scales = file.ReadStrings(OpenVector(
        file, "systematics/scales", Kind::kString, count, per_systematic));
    for (std::size_t i = 0; i < name_values.size(); ++i) {
      setup.systematics.push_back(
          {name_values[i], types[i], values[i], scales[i]});
    }
  }

  // finite_differences/
  if (GroupPresent(file, "finite_differences")) {
    const hdf5::Dataset base = OpenVector(file,
                                          "finite_differences/base_benchmarks",
                                          Kind::kString,
                                          -1,
                                          "one base benchmark name each");
    const std::int64_t count = base.rows();
    MadminerFiniteDifferences differences;
    differences.base_benchmarks = file.ReadStrings(base);
    const auto shifted =
        file.ReadStrings(OpenMatrix(file,
                                    "finite_differences/shifted_benchmarks",
                                    Kind::kString,
                                    count,
                                    num_parameters,
                                    "base benchmarks x parameters"));
    for (std::int64_t f = 0; f < count; ++f) {
      const auto begin = shifted.begin() + f * num_parameters;
      differences.shifted_benchmarks.emplace_back(begin,
                                                  begin + num_parameters);
    }
    const hdf5::Dataset epsilon =
        file.Open("finite_differences/epsilon",
                  Kind::kReal,
                  0,
                  Expected(Kind::kReal, "()", "step size"));
    differences.epsilon = file.ReadReals(epsilon).at(0);
    setup.finite_differences = std::move(differences);
  }

  // nuisance_parameters/
  if (GroupPresent(file, "nuisance_parameters")) {
    const hdf5::Dataset nuisance_names =
        OpenVector(file,
                   "nuisance_parameters/names",
                   Kind::kString,
                   -1,
                   "one name per nuisance parameter");
    const std::int64_t count = nuisance_names.rows();
    const std::string per_nuisance = "one per nuisance parameter";
    const auto name_values = file.ReadStrings(nuisance_names);
    const auto systematics =
        file.ReadStrings(OpenVector(file,
                                    "nuisance_parameters/systematics",
                                    Kind::kString,
                                    count,
                                    per_nuisance));
    const auto positive =
        file.ReadStrings(OpenVector(file,
                                    "nuisance_parameters/benchmark_positive",
                                    Kind::kString,
                                    count,
                                    per_nuisance));
    const auto negative =
        file.ReadStrings(OpenVector(file,
                                    "nuisance_parameters/benchmark_negative",
                                    Kind::kString,
                                    count,
                                    per_nuisance));
    for (std::size_t i = 0; i < name_values.size(); ++i) {
      setup.nuisance_parameters.push_back({name_values[i],
                                           systematics[i],
                                           NoneToNullopt(positive[i]),
                                           NoneToNullopt(negative[i])});
    }
  }

  // observables/
  if (GroupPresent(file, "observables")) {
    const hdf5::Dataset observable_names =
        OpenVector(file,
                   "observables/names",
                   Kind::kString,
                   -1,
                   "one name per observable");
    const auto name_values = file.ReadStrings(observable_names);
    const auto definitions =
        file.ReadStrings(OpenVector(file,
                                    "observables/definitions",
                                    Kind::kString,
                                    observable_names.rows(),
                                    "one per observable"));
    for (std::size_t i = 0; i < name_values.size(); ++i) {
      setup.observables.push_back({name_values[i], definitions[i]});
    }
  }
  return setup;
}

std::optional<MadminerSampleSummary> ReadSampleSummary(
    const hdf5::InputFile& file) {
  if (!GroupPresent(file, "sample_summary")) return std::nullopt;
  MadminerSampleSummary summary;
  summary.signal_events =
      file.ReadIntegers(OpenVector(file,
                                   "sample_summary/signal_events",
                                   Kind::kInteger,
                                   -1,
                                   "events per physics benchmark"));
  summary.background_events = file.ReadIntegers(file.Open(
      "sample_summary/background_events",
      Kind::kInteger,
      0,
      Expected(Kind::kInteger, "()", "number of background events")))[0];
  return summary;
}

// ---------------------------------------------------------------- writing

class Problems {
 public:
  void Add(std::string problem) { problems_.push_back(std::move(problem)); }
  void CheckString(const std::string& where,
                   const std::string& value,
                   bool allow_empty = false) {
    if (value.empty() && !allow_empty) Add(where + " is empty");
    if (value.size() > kMadminerStringSize) {
      Add(where + " \"" + value.substr(0, 40) + "...\" has " +
          std::to_string(value.size()) + " characters, at most " +
          std::to_string(kMadminerStringSize) + " fit MadMiner's strings");
    }
    for (char c : value) {
      if (c <= 0) {
        Add(where + " \"" + value + "\" is not plain ASCII");
        break;
      }
    }
  }
  void CheckUnique(const std::string& what,
                   const std::vector<std::string>& names) {
    std::set<std::string> seen;
    for (const std::string& name : names) {
      if (!seen.insert(name).second) {
        Add(what + " \"" + name + "\" appears twice");
      }
    }
  }
  void ThrowIfAny(const std::string& context) const {
    if (problems_.empty()) return;
    std::string message = context + ": ";
    for (std::size_t i = 0; i < problems_.size(); ++i) {
      if (i > 0) message += "; ";
      message += problems_[i];
    }
    throw InvalidInput(message);
  }

 private:
  std::vector<std::string> problems_;
};

std::string Indexed(const std::string& what, std::size_t index) {
  return what + "[" + std::to_string(index) + "]";
}

void WriteFlags(hdf5::OutputFile& out,
                const std::string& name,
                const std::vector<bool>& flags,
                std::size_t count) {
  std::vector<std::int64_t> values(count, 0);
  for (std::size_t i = 0; i < flags.size() && i < count; ++i) {
    values[i] = flags[i] ? 1 : 0;
  }
  out.WriteIntegers(name, values.data(), {count});
}

// Fixed-length strings as numpy makes them from a list of bytes: as long as
// the longest (at least 1).
std::size_t LongestString(const std::vector<std::string>& values) {
  std::size_t longest = 1;
  for (const std::string& value : values) {
    longest = std::max(longest, value.size());
  }
  return longest;
}

void WriteSetupGroups(hdf5::OutputFile& out,
                      const MadminerSetup& setup,
                      bool events_file) {
  const std::size_t num_parameters = setup.parameters.size();
  std::vector<std::string> names, blocks, transforms;
  std::vector<std::int64_t> ids, powers;
  std::vector<double> ranges;
  for (const MadminerParameter& parameter : setup.parameters) {
    names.push_back(parameter.name);
    blocks.push_back(parameter.lha_block);
    transforms.push_back(parameter.transform);
    ids.push_back(parameter.lha_id);
    powers.push_back(parameter.max_power);
    ranges.push_back(parameter.range.lower);
    ranges.push_back(parameter.range.upper);
  }
  out.WriteStrings(
      "parameters/names", names, {num_parameters}, kMadminerStringSize);
  out.WriteStrings(
      "parameters/lha_blocks", blocks, {num_parameters}, kMadminerStringSize);
  out.WriteIntegers("parameters/lha_ids", ids.data(), {num_parameters});
  out.WriteIntegers("parameters/max_power", powers.data(), {num_parameters});
  out.WriteReals("parameters/val_ranges", ranges.data(), {num_parameters, 2});
  out.WriteStrings("parameters/transforms",
                   transforms,
                   {num_parameters},
                   kMadminerStringSize);

  const MadminerBenchmarks& benchmarks = setup.benchmarks;
  const auto num_benchmarks = static_cast<std::size_t>(benchmarks.size());
  out.WriteStrings("benchmarks/names",
                   benchmarks.names,
                   {num_benchmarks},
                   kMadminerStringSize);
  const RowMajorMatrix values = benchmarks.values;
  out.WriteReals(
      "benchmarks/values", values.data(), {num_benchmarks, num_parameters});
  WriteFlags(
      out, "benchmarks/is_nuisance", benchmarks.is_nuisance, num_benchmarks);
  WriteFlags(
      out, "benchmarks/is_reference", benchmarks.is_reference, num_benchmarks);

  if (setup.morphing) {
    const auto& components = setup.morphing->components;
    std::vector<std::int64_t> powers_flat;
    for (Eigen::Index c = 0; c < components.rows(); ++c) {
      for (Eigen::Index p = 0; p < components.cols(); ++p) {
        powers_flat.push_back(components(c, p));
      }
    }
    const auto num_components = static_cast<std::size_t>(components.rows());
    out.WriteIntegers("morphing/components",
                      powers_flat.data(),
                      {num_components, num_parameters});
    const RowMajorMatrix matrix = setup.morphing->morphing_matrix;
    out.WriteReals("morphing/morphing_matrix",
                   matrix.data(),
                   {num_components, static_cast<std::size_t>(matrix.cols())});
  }

  if (setup.finite_differences &&
      !setup.finite_differences->base_benchmarks.empty()) {
    const MadminerFiniteDifferences& differences = *setup.finite_differences;
    const std::size_t count = differences.base_benchmarks.size();
    out.WriteStrings("finite_differences/base_benchmarks",
                     differences.base_benchmarks,
                     {count},
                     LongestString(differences.base_benchmarks));
    std::vector<std::string> shifted;
    for (const auto& row : differences.shifted_benchmarks) {
      shifted.insert(shifted.end(), row.begin(), row.end());
    }
    out.WriteStrings("finite_differences/shifted_benchmarks",
                     shifted,
                     {count, num_parameters},
                     LongestString(shifted));
    out.WriteReals("finite_differences/epsilon", &differences.epsilon, {});
  }

  if (!setup.systematics.empty()) {
    std::vector<std::string> systematic_names, types, values_text, scales;
    for (const MadminerSystematic& systematic : setup.systematics) {
      systematic_names.push_back(systematic.name);
      types.push_back(systematic.type);
      values_text.push_back(systematic.value);
      scales.push_back(systematic.scale.empty() ? kMadminerNone
                                                : systematic.scale);
    }
    const std::size_t count = setup.systematics.size();
    out.WriteStrings(
        "systematics/names", systematic_names, {count}, kMadminerStringSize);
    out.WriteStrings("systematics/types", types, {count}, kMadminerStringSize);
    out.WriteStrings(
        "systematics/values", values_text, {count}, kMadminerStringSize);
    out.WriteStrings(
        "systematics/scales", scales, {count}, kMadminerStringSize);
  }

  if (!setup.nuisance_parameters.empty()) {
    std::vector<std::string> nuisance_names, systematics, positive, negative;
    for (const MadminerNuisanceParameter& nuisance :
         setup.nuisance_parameters) {
      nuisance_names.push_back(nuisance.name);
      systematics.push_back(nuisance.systematic);
      positive.push_back(nuisance.benchmark_positive.value_or(kMadminerNone));
      negative.push_back(nuisance.benchmark_negative.value_or(kMadminerNone));
    }
    const std::size_t count = setup.nuisance_parameters.size();
    out.WriteStrings("nuisance_parameters/names",
                     nuisance_names,
                     {count},
                     kMadminerStringSize);
    out.WriteStrings("nuisance_parameters/systematics",
                     systematics,
                     {count},
                     kMadminerStringSize);
    out.WriteStrings("nuisance_parameters/benchmark_positive",
                     positive,
                     {count},
                     kMadminerStringSize);
    out.WriteStrings("nuisance_parameters/benchmark_negative",
                     negative,
                     {count},
                     kMadminerStringSize);
  }

  // MadMiner's save_events always writes observables/; its setup file has none.
  if (events_file || !setup.observables.empty()) {
    std::vector<std::string> observable_names, definitions;
    for (const MadminerObservable& observable : setup.observables) {
      observable_names.push_back(observable.name);
      definitions.push_back(observable.definition);
    }
    const std::size_t count = setup.observables.size();
    out.WriteStrings(
        "observables/names", observable_names, {count}, kMadminerStringSize);
    out.WriteStrings(
        "observables/definitions", definitions, {count}, kMadminerStringSize);
  }
}

void ValidateSummary(const MadminerSampleSummary& summary,
                     int num_physics,
                     const std::string& context) {
  Problems problems;
  if (static_cast<int>(summary.signal_events.size()) != num_physics) {
    problems.Add("sample summary has " +
                 std::to_string(summary.signal_events.size()) +
                 " signal event counts, expected " +
                 std::to_string(num_physics) + " (one per physics benchmark)");
  }
  for (std::size_t i = 0; i < summary.signal_events.size(); ++i) {
    if (summary.signal_events[i] < 0) {
      problems.Add(Indexed("signal_events", i) + " is negative");
    }
  }
  if (summary.background_events < 0) {
    problems.Add("background_events is negative");
  }
  problems.ThrowIfAny(context);
}

}  // namespace

// ---------------------------------------------------------------- structs

int MadminerBenchmarks::num_physics() const {
  int count = 0;
  for (int b = 0; b < size(); ++b) {
    if (static_cast<std::size_t>(b) >= is_nuisance.size() ||
        !is_nuisance[static_cast<std::size_t>(b)]) {
      ++count;
    }
  }
  return count;
}

std::vector<Parameter> MadminerSetup::CoreParameters() const {
  std::vector<Parameter> result;
  for (const MadminerParameter& parameter : parameters) {
    result.push_back({parameter.name, parameter.max_power, parameter.range});
  }
  return result;
}

void MadminerSetup::Validate() const {
  Problems problems;
  const std::size_t num_params = parameters.size();
  if (num_params == 0) problems.Add("no parameters");
  std::vector<std::string> parameter_names;
  for (std::size_t p = 0; p < num_params; ++p) {
    const MadminerParameter& parameter = parameters[p];
    const std::string where = Indexed("parameters", p);
    problems.CheckString(where + ".name", parameter.name);
    problems.CheckString(where + ".lha_block", parameter.lha_block, true);
    problems.CheckString(where + ".transform", parameter.transform, true);
    if (parameter.max_power < 0) problems.Add(where + ".max_power is negative");
    parameter_names.push_back(parameter.name);
  }
  problems.CheckUnique("parameter", parameter_names);

  const std::size_t num_bench = benchmarks.names.size();
  if (num_bench == 0) problems.Add("no benchmarks");
  for (std::size_t b = 0; b < num_bench; ++b) {
    problems.CheckString(Indexed("benchmarks.names", b), benchmarks.names[b]);
  }
  problems.CheckUnique("benchmark", benchmarks.names);
  if (static_cast<std::size_t>(benchmarks.values.rows()) != num_bench ||
      static_cast<std::size_t>(benchmarks.values.cols()) != num_params) {
    problems.Add("benchmarks.values is " +
                 std::to_string(benchmarks.values.rows()) + "x" +
                 std::to_string(benchmarks.values.cols()) + ", expected " +
                 std::to_string(num_bench) + "x" + std::to_string(num_params) +
                 " (benchmarks x parameters)");
  }
  for (const auto& [what, flags] :
       {std::pair{"benchmarks.is_nuisance", &benchmarks.is_nuisance},
        std::pair{"benchmarks.is_reference", &benchmarks.is_reference}}) {
    if (!flags->empty() && flags->size() != num_bench) {
      problems.Add(std::string(what) + " has " + std::to_string(flags->size()) +
                   " flags, expected " + std::to_string(num_bench) +
                   " (one per benchmark) or none");
    }
  }
  for (std::size_t b = 1; b < benchmarks.is_nuisance.size(); ++b) {
    if (benchmarks.is_nuisance[b - 1] && !benchmarks.is_nuisance[b]) {
      problems.Add("physics benchmark \"" +
                   (b < num_bench ? benchmarks.names[b] : std::string()) +
                   "\" follows a nuisance benchmark; physics benchmarks come "
                   "first");
      break;
    }
  }
  if (std::count(benchmarks.is_reference.begin(),
                 benchmarks.is_reference.end(),
                 true) > 1) {
    problems.Add("more than one reference benchmark");
  }

  if (morphing) {
    const auto& components = morphing->components;
    const auto& matrix = morphing->morphing_matrix;
    if (static_cast<std::size_t>(components.cols()) != num_params) {
      problems.Add("morphing.components has " +
                   std::to_string(components.cols()) + " columns, expected " +
                   std::to_string(num_params) + " (one per parameter)");
    }
    if (components.size() > 0 && components.minCoeff() < 0) {
      problems.Add("morphing.components has a negative power");
    }
    if (matrix.rows() != components.rows() ||
        matrix.cols() > benchmarks.num_physics()) {
      problems.Add("morphing.morphing_matrix is " +
                   std::to_string(matrix.rows()) + "x" +
                   std::to_string(matrix.cols()) + ", expected " +
                   std::to_string(components.rows()) +
                   " rows (one per component) and at most " +
                   std::to_string(benchmarks.num_physics()) +
                   " columns (physics benchmarks)");
    }
  }

  const std::set<std::string> benchmark_set(benchmarks.names.begin(),
                                            benchmarks.names.end());
  std::vector<std::string> systematic_names;
  for (std::size_t s = 0; s < systematics.size(); ++s) {
    const MadminerSystematic& systematic = systematics[s];
    const std::string where = Indexed("systematics", s);
    problems.CheckString(where + ".name", systematic.name);
    problems.CheckString(where + ".value", systematic.value, true);
    problems.CheckString(where + ".scale", systematic.scale, true);
    if (systematic.type != "norm" && systematic.type != "scale" &&
        systematic.type != "pdf") {
      problems.Add(where + ".type \"" + systematic.type +
                   "\" not among [norm, scale, pdf]");
    }
    if (!systematic.scale.empty() && systematic.scale != kMadminerNone &&
        systematic.scale != "mu" && systematic.scale != "mur" &&
        systematic.scale != "muf") {
      problems.Add(where + ".scale \"" + systematic.scale +
                   "\" not among [mu, mur, muf, None]");
    }
    systematic_names.push_back(systematic.name);
  }
  problems.CheckUnique("systematic", systematic_names);

  std::vector<std::string> nuisance_names;
  for (std::size_t k = 0; k < nuisance_parameters.size(); ++k) {
    const MadminerNuisanceParameter& nuisance = nuisance_parameters[k];
    const std::string where = Indexed("nuisance_parameters", k);
    problems.CheckString(where + ".name", nuisance.name);
    problems.CheckString(where + ".systematic", nuisance.systematic, true);
    for (const auto& [what, benchmark] :
         {std::pair{".benchmark_positive", &nuisance.benchmark_positive},
          std::pair{".benchmark_negative", &nuisance.benchmark_negative}}) {
      if (*benchmark && benchmark_set.count(**benchmark) == 0) {
        problems.Add(where + what + " \"" + **benchmark +
                     "\" is not a benchmark");
      }
    }
    nuisance_names.push_back(nuisance.name);
  }
  problems.CheckUnique("nuisance parameter", nuisance_names);

  if (finite_differences) {
    const MadminerFiniteDifferences& differences = *finite_differences;
    if (differences.shifted_benchmarks.size() !=
        differences.base_benchmarks.size()) {
      problems.Add("finite_differences: " +
                   std::to_string(differences.base_benchmarks.size()) +
                   " base benchmarks but " +
                   std::to_string(differences.shifted_benchmarks.size()) +
                   " rows of shifted benchmarks");
    }
    for (std::size_t f = 0; f < differences.base_benchmarks.size(); ++f) {
      problems.CheckString(Indexed("finite_differences.base_benchmarks", f),
                           differences.base_benchmarks[f]);
    }
    for (std::size_t f = 0; f < differences.shifted_benchmarks.size(); ++f) {
      const auto& row = differences.shifted_benchmarks[f];
      if (row.size() != num_params) {
        problems.Add(Indexed("finite_differences.shifted_benchmarks", f) +
                     " has " + std::to_string(row.size()) +
                     " names, expected one per parameter (" +
                     std::to_string(num_params) + ")");
      }
      for (const std::string& name : row) {
        problems.CheckString(
            Indexed("finite_differences.shifted_benchmarks", f), name);
      }
    }
  }

  std::vector<std::string> observable_names;
  for (std::size_t o = 0; o < observables.size(); ++o) {
    problems.CheckString(Indexed("observables", o) + ".name",
                         observables[o].name);
    problems.CheckString(Indexed("observables", o) + ".definition",
                         observables[o].definition,
                         true);
    observable_names.push_back(observables[o].name);
  }
  problems.CheckUnique("observable", observable_names);
  problems.ThrowIfAny("MadMiner setup");
}

MadminerSampleSummary MadminerSampleSummary::Count(
    const std::vector<std::int64_t>& sampling_benchmarks, int num_physics) {
  MadminerSampleSummary summary;
  summary.signal_events.assign(static_cast<std::size_t>(num_physics), 0);
  for (std::int64_t benchmark : sampling_benchmarks) {
    if (benchmark < 0) {
      ++summary.background_events;
    } else {
      GOLDMINE_REQUIRE(benchmark < num_physics,
                       "sampling benchmark " + std::to_string(benchmark) +
                           " is not a physics benchmark (there are " +
                           std::to_string(num_physics) + ")");
      ++summary.signal_events[static_cast<std::size_t>(benchmark)];
    }
  }
  return summary;
}

// ---------------------------------------------------------------- setup I/O

MadminerSetup ReadSetup(const std::filesystem::path& path) {
  hdf5::RefuseFilesThatCrashHdf5(path.string(), [&] {
    const hdf5::InputFile file(path);
    ReadSetupFrom(file);
  });
  const hdf5::InputFile file(path);
  return ReadSetupFrom(file);
}

void WriteSetup(const std::filesystem::path& path, const MadminerSetup& setup) {
  setup.Validate();
  AtomicOutputFile output(path);
  {
    hdf5::OutputFile out(output.temporary_path(), path.string());
    WriteSetupGroups(out, setup, /*events_file=*/false);
    out.Close();
  }
  output.Commit();
}

// ---------------------------------------------------------------- reader

struct MadminerEventsReader::Impl {
  std::filesystem::path path;
  hdf5::InputFile file;
  MadminerSetup setup;
  std::optional<MadminerSampleSummary> sample_summary;
  hdf5::Dataset observations;
  hdf5::Dataset weights;
  hdf5::Dataset sampling_benchmarks;
  std::int64_t num_events = 0;

  explicit Impl(const std::filesystem::path& file_path)
      : path(file_path), file(file_path) {
    setup = ReadSetupFrom(file);
    if (!file.Has("samples")) {
      file.Fail("samples",
                "missing; expected the samples group of an events "
                "file (is this a setup file?)");
    }
    const std::int64_t num_observables =
        file.Has("observables") ? setup.num_observables() : -1;
    observations = OpenMatrix(file,
                              "samples/observations",
                              Kind::kReal,
                              -1,
                              num_observables,
                              "events x observables");
    num_events = observations.rows();
    weights = OpenMatrix(file,
                         "samples/weights",
                         Kind::kReal,
                         num_events,
                         setup.num_benchmarks(),
                         "events x benchmarks, in benchmarks/names order");
    sampling_benchmarks = OpenVector(file,
                                     "samples/sampling_benchmarks",
                                     Kind::kInteger,
                                     num_events,
                                     "sampling benchmark per event");
    sample_summary = ReadSampleSummary(file);
  }
};

MadminerEventsReader::MadminerEventsReader(const std::filesystem::path& path) {
  hdf5::RefuseFilesThatCrashHdf5(path.string(), [&] { Impl probe(path); });
  impl_ = std::make_unique<Impl>(path);
}
MadminerEventsReader::~MadminerEventsReader() = default;
MadminerEventsReader::MadminerEventsReader(MadminerEventsReader&&) noexcept =
    default;
MadminerEventsReader& MadminerEventsReader::operator=(
    MadminerEventsReader&&) noexcept = default;

const std::filesystem::path& MadminerEventsReader::path() const {
  return impl_->path;
}
const MadminerSetup& MadminerEventsReader::setup() const {
  return impl_->setup;
}
const std::optional<MadminerSampleSummary>&
MadminerEventsReader::sample_summary() const {
  return impl_->sample_summary;
}
std::int64_t MadminerEventsReader::num_events() const {
  return impl_->num_events;
}

MadminerEventBatch MadminerEventsReader::Read(std::int64_t first,
                                              std::int64_t count) const {
  MadminerEventBatch batch;
  Read(first, count, &batch);
  return batch;
}

void MadminerEventsReader::Read(std::int64_t first,
                                std::int64_t count,
                                MadminerEventBatch* batch) const {
  if (first < 0 || count < 0 || first > impl_->num_events ||
      count > impl_->num_events - first) {
    throw InvalidInput(impl_->path.string() + ": cannot read events " +
                       std::to_string(first) + " to " +
                       std::to_string(first + count) + ", the file has " +
                       std::to_string(impl_->num_events));
  }
  const hdf5::InputFile& file = impl_->file;
  // HDF5 delivers rows (row-major); the batch is column-major. One scratch
  // buffer per thread, reused across calls.
  thread_local std::vector<double> rows;
  const auto read = [&](const hdf5::Dataset& dataset, Eigen::MatrixXd* matrix) {
    const std::int64_t columns = dataset.columns();
    rows.resize(static_cast<std::size_t>(count * columns));
    matrix->resize(count, columns);
    if (count == 0 || columns == 0) return;
    file.ReadRealRows(dataset, first, count, rows.data());
    *matrix = Eigen::Map<const RowMajorMatrix>(rows.data(), count, columns);
  };
  read(impl_->observations, &batch->observations);
  read(impl_->weights, &batch->weights);
  // A NaN or infinite weight turns every cross section, Fisher matrix and
  // augmented sample into NaN (printed as null, issue 15). Observations may
  // be NaN (an undefined observable: the overflow bin), weights may not.
  for (Eigen::Index c = 0; c < batch->weights.cols(); ++c) {
    for (Eigen::Index r = 0; r < batch->weights.rows(); ++r) {
      const double weight = batch->weights(r, c);
      if (std::isfinite(weight)) continue;
      throw FileFormatError(
          impl_->path.string() + ": samples/weights: event " +
          std::to_string(first + r) + ", benchmark " +
          impl_->setup.benchmarks.names[static_cast<std::size_t>(c)] +
          ": weight " +
          (std::isnan(weight) ? "nan"
           : weight > 0       ? "inf"
                              : "-inf") +
          "; expected a finite number");
    }
  }
  batch->sampling_benchmarks.resize(static_cast<std::size_t>(count));
  if (count > 0) {
    file.ReadIntegerRows(impl_->sampling_benchmarks,
                         first,
                         count,
                         batch->sampling_benchmarks.data());
  }
}

MadminerEvents ReadEvents(const std::filesystem::path& path) {
  const MadminerEventsReader reader(path);
  return {reader.setup(), reader.ReadAll(), reader.sample_summary()};
}

// ---------------------------------------------------------------- writer

struct MadminerEventsWriter::Impl {
  MadminerSetup setup;
  AtomicOutputFile output;
  std::filesystem::path staging_path;
  std::FILE* staging = nullptr;
  int num_physics = 0;
  std::size_t num_observables = 0;
  std::size_t num_benchmarks = 0;
  bool finished = false;
  bool broken = false;
  std::vector<std::pair<std::string, std::string>> texts;

  Impl(std::filesystem::path path, MadminerSetup validated_setup)
      : setup(std::move(validated_setup)), output(std::move(path)) {
    num_physics = setup.benchmarks.num_physics();
    num_observables = setup.observables.size();
    num_benchmarks = setup.benchmarks.names.size();
    staging_path = output.temporary_path();
    staging_path += ".rows";
    staging = std::fopen(staging_path.string().c_str(), "w+b");
    if (staging == nullptr) {
      throw InvalidInput(output.final_path().string() +
                         ": cannot create scratch file " +
                         staging_path.string());
    }
  }
  ~Impl() { CloseStaging(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void CloseStaging() {
    if (staging != nullptr) std::fclose(staging);
    staging = nullptr;
    std::error_code ignored;
    std::filesystem::remove(staging_path, ignored);
  }
  // Doubles per staged row: observations, weights, sampling benchmark.
  std::size_t row_width() const { return num_observables + num_benchmarks + 1; }
  std::string name() const { return output.final_path().string(); }
};

MadminerEventsWriter::MadminerEventsWriter(std::filesystem::path path,
                                           MadminerSetup setup) {
  setup.Validate();
  impl_ = std::make_unique<Impl>(std::move(path), std::move(setup));
}

MadminerEventsWriter::~MadminerEventsWriter() = default;

void MadminerEventsWriter::Append(const MadminerEventBatch& batch) {
  Impl& impl = *impl_;
  const std::string context = impl.name() + ": cannot append events";
  if (impl.finished || impl.broken) {
    throw InvalidInput(context + ", the writer is " +
                       (impl.finished ? "finished" : "broken by an error"));
  }
  const Eigen::Index rows = batch.observations.rows();
  Problems problems;
  if (static_cast<std::size_t>(batch.observations.cols()) !=
      impl.num_observables) {
    problems.Add("observations have " +
                 std::to_string(batch.observations.cols()) +
                 " columns, expected " + std::to_string(impl.num_observables) +
                 " (one per observable)");
  }
  if (batch.weights.rows() != rows ||
      static_cast<std::size_t>(batch.weights.cols()) != impl.num_benchmarks) {
    problems.Add("weights are " + std::to_string(batch.weights.rows()) + "x" +
                 std::to_string(batch.weights.cols()) + ", expected " +
                 std::to_string(rows) + "x" +
                 std::to_string(impl.num_benchmarks) +
                 " (events x benchmarks)");
  }
  if (static_cast<Eigen::Index>(batch.sampling_benchmarks.size()) != rows) {
    problems.Add(std::to_string(batch.sampling_benchmarks.size()) +
                 " sampling benchmarks for " + std::to_string(rows) +
                 " events");
  }
  for (std::size_t i = 0; i < batch.sampling_benchmarks.size(); ++i) {
    const std::int64_t benchmark = batch.sampling_benchmarks[i];
    if (benchmark < -1 || benchmark >= impl.num_physics) {
      problems.Add(Indexed("sampling_benchmarks", i) + " = " +
                   std::to_string(benchmark) + ", expected -1 (background) " +
                   "or a physics benchmark index below " +
                   std::to_string(impl.num_physics));
      break;
    }
  }
  problems.ThrowIfAny(context);
  // An empty batch has nothing to stage (and fwrite must not see the null
  // data pointer of an empty buffer).
  if (rows == 0) return;

  const std::size_t width = impl.row_width();
  std::vector<double> buffer(static_cast<std::size_t>(rows) * width);
  for (Eigen::Index r = 0; r < rows; ++r) {
    double* row = buffer.data() + static_cast<std::size_t>(r) * width;
    for (std::size_t o = 0; o < impl.num_observables; ++o) {
      row[o] = batch.observations(r, static_cast<Eigen::Index>(o));
    }
    for (std::size_t b = 0; b < impl.num_benchmarks; ++b) {
      row[impl.num_observables + b] =
          batch.weights(r, static_cast<Eigen::Index>(b));
    }
    std::memcpy(row + width - 1,
                &batch.sampling_benchmarks[static_cast<std::size_t>(r)],
                sizeof(double));
  }
  if (std::fwrite(buffer.data(), sizeof(double), buffer.size(), impl.staging) !=
      buffer.size()) {
    impl.broken = true;
    throw InvalidInput(impl.name() + ": cannot write scratch file " +
                       impl.staging_path.string() + " (disk full?)");
  }
  num_events_ += rows;
}

void MadminerEventsWriter::Finish(
    std::optional<MadminerSampleSummary> sample_summary) {
  Impl& impl = *impl_;
  if (impl.finished || impl.broken) {
    throw InvalidInput(impl.name() + ": cannot finish, the writer is " +
                       (impl.finished ? "already finished" : "broken"));
  }
  if (sample_summary) {
    ValidateSummary(*sample_summary, impl.num_physics, impl.name());
  }
  impl.broken = true;  // until the file is in place
  const std::size_t width = impl.row_width();
  const auto num_events = static_cast<std::size_t>(num_events_);
  const std::size_t chunk_rows =
      std::max<std::size_t>(1, kStagingBytes / (width * sizeof(double)));

  if (std::fflush(impl.staging) != 0 || std::fseek(impl.staging, 0, SEEK_SET)) {
    throw InvalidInput(impl.name() + ": cannot read back scratch file " +
                       impl.staging_path.string());
  }
  {
    hdf5::OutputFile out(impl.output.temporary_path(), impl.name());
    WriteSetupGroups(out, impl.setup, /*events_file=*/true);
    hdf5::Id observations =
        out.CreateDataset("samples/observations",
                          Kind::kReal,
                          {num_events, impl.num_observables});
    hdf5::Id weights = out.CreateDataset(
        "samples/weights", Kind::kReal, {num_events, impl.num_benchmarks});
    hdf5::Id sampling = out.CreateDataset(
        "samples/sampling_benchmarks", Kind::kInteger, {num_events});

    MadminerSampleSummary counted;
    counted.signal_events.assign(static_cast<std::size_t>(impl.num_physics), 0);
    std::vector<double> buffer(chunk_rows * width);
    std::vector<double> observation_rows, weight_rows;
    std::vector<std::int64_t> sampling_rows;
    for (std::size_t first = 0; first < num_events; first += chunk_rows) {
      const std::size_t rows = std::min(chunk_rows, num_events - first);
      if (std::fread(
              buffer.data(), sizeof(double) * width, rows, impl.staging) !=
          rows) {
        throw InvalidInput(impl.name() + ": cannot read back scratch file " +
                           impl.staging_path.string());
      }
      observation_rows.resize(rows * impl.num_observables);
      weight_rows.resize(rows * impl.num_benchmarks);
      sampling_rows.resize(rows);
      for (std::size_t r = 0; r < rows; ++r) {
        const double* row = buffer.data() + r * width;
        std::copy(row,
                  row + impl.num_observables,
                  observation_rows.begin() +
                      static_cast<std::ptrdiff_t>(r * impl.num_observables));
        std::copy(row + impl.num_observables,
                  row + width - 1,
                  weight_rows.begin() +
                      static_cast<std::ptrdiff_t>(r * impl.num_benchmarks));
        std::memcpy(&sampling_rows[r], row + width - 1, sizeof(double));
        if (sampling_rows[r] < 0) {
          ++counted.background_events;
        } else {
          ++counted.signal_events[static_cast<std::size_t>(sampling_rows[r])];
        }
      }
      const auto first_row = static_cast<std::int64_t>(first);
      const auto row_count = static_cast<std::int64_t>(rows);
      out.WriteRows(observations,
                    "samples/observations",
                    Kind::kReal,
                    first_row,
                    row_count,
                    observation_rows.data());
      out.WriteRows(weights,
                    "samples/weights",
                    Kind::kReal,
                    first_row,
                    row_count,
                    weight_rows.data());
      out.WriteRows(sampling,
                    "samples/sampling_benchmarks",
                    Kind::kInteger,
                    first_row,
                    row_count,
                    sampling_rows.data());
    }
    observations.Reset();
    weights.Reset();
    sampling.Reset();

    const MadminerSampleSummary& summary =
        sample_summary ? *sample_summary : counted;
    out.WriteIntegers("sample_summary/signal_events",
                      summary.signal_events.data(),
                      {summary.signal_events.size()});
    out.WriteIntegers(
        "sample_summary/background_events", &summary.background_events, {});
    for (const auto& [object_path, text] : impl.texts) {
      out.WriteStrings(
          object_path, {text}, {1}, std::max<std::size_t>(1, text.size()));
    }
    out.Close();
  }
  impl.CloseStaging();
  impl.output.Commit();
  impl.broken = false;
  impl.finished = true;
}

void MadminerEventsWriter::AddText(const std::string& object_path,
                                   const std::string& text) {
  impl_->texts.emplace_back(object_path, text);
}

std::optional<std::string> ReadEventsText(const std::filesystem::path& path,
                                          const std::string& object_path) {
  hdf5::SilenceErrorPrinting();
  const hdf5::InputFile file(path);
  if (!file.Has(object_path)) return std::nullopt;
  const hdf5::Dataset dataset =
      file.Open(object_path, Kind::kString, 1, "one string");
  std::vector<std::string> values = file.ReadStrings(dataset);
  if (values.size() != 1) {
    file.Fail(object_path,
              "expected one string, found " + std::to_string(values.size()));
  }
  return std::move(values[0]);
}

void WriteEvents(const std::filesystem::path& path,
                 const MadminerEvents& events) {
  MadminerEventsWriter writer(path, events.setup);
  writer.Append(events.events);
  writer.Finish(events.sample_summary);
}

}  // namespace goldmine::mining
