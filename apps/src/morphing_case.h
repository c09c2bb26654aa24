// `goldmine morphing`: one morphing case in, its components, basis, morphing
// matrix and weights out (DESIGN.md §5.1; the conventions of MadMiner's
// morphing_cases.json). Kept apart from the command so tests call it directly.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "json_node.h"

namespace goldmine::cli {

// Input keys (DESIGN.md §5.1): parameter_max_power, max_overall_power,
// parameter_range, thetas, and optionally name, parameter_names, basis, seed,
// n_trials. Extensions: components (explicit powers, as MadMiner's
// set_components), fixed_benchmarks (kept when the basis is optimised),
// benchmark_names (echoed with the basis).
//
// Throws InvalidInput naming the key for anything that cannot be used.
// `default_seed` applies when the case has no seed of its own.
// When `log` is not null, basis optimisation reports what it does there
// (it can take seconds for many parameters).
nlohmann::ordered_json SolveMorphingCase(const JsonNode& input,
                                         std::uint64_t default_seed,
                                         std::ostream* log = nullptr);

// A single case, or {"cases": [...]} answered with {"cases": [...]} in order.
// Every case is checked (and those with a basis answered) before the first
// basis optimisation, so that a bad case fails fast.
// Optional top-level keys beside "cases": "seed" (default for every case),
// and MadMiner's descriptive "variant" and "conventions" (ignored).
nlohmann::ordered_json SolveMorphingDocument(const JsonNode& document,
                                             std::ostream* log = nullptr);

}  // namespace goldmine::cli
