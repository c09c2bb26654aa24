// Benchmarks of a generator run: the named parameter points θ_b at which
// every event carries a weight (one named weight per benchmark in the output
// file), either read from a YAML file or chosen as an optimised morphing
// basis (DESIGN.md §5.2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "goldmine/core/parameter.h"

namespace goldmine::generators {

struct NamedBenchmark {
  std::string name;
  // One value per parameter, in the order of the run's parameter names.
  std::vector<double> values;
};

// Reads `benchmarks: {NAME: {PARAMETER: value, ...}, ...}` (file order kept).
// A parameter not mentioned is 0, so `sm: {}` (or `sm:`) is the Standard
// Model. Throws InvalidInput when the file cannot be opened, FileFormatError
// (naming file, line and key) for invalid YAML, a missing or non-map
// `benchmarks`, another top-level key, a parameter not in
// `parameter_names` (listing them), a value that is not a finite number,
// a name that is empty or contains whitespace (HepMC3 weight names cannot),
// or no benchmark at all.
std::vector<NamedBenchmark> ReadBenchmarkFile(
    const std::string& path, const std::vector<std::string>& parameter_names);

// An optimised morphing basis for quadratic dependence on every parameter
// (max power 2 each, overall 2: 1 + n + n(n+1)/2 benchmarks): the SM named
// "sm" plus points named "morphing_basis_vector_1", ... (MadMiner's names),
// chosen by goldmine::morphing::OptimizeBasis in `ranges` with `seed`.
std::vector<NamedBenchmark> OptimisedMorphingBenchmarks(
    const std::vector<std::string>& parameter_names,
    const ParameterRanges& ranges,
    std::uint64_t seed);

// Throws InvalidInput unless names are unique, non-empty and free of
// whitespace and every benchmark has parameter_count values.
void ValidateBenchmarks(const std::vector<NamedBenchmark>& benchmarks,
                        std::size_t parameter_count);

}  // namespace goldmine::generators
