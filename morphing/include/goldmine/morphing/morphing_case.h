// A morphing case: a JSON document that describes a morphing (components,
// parameter ranges, a basis or the request to optimise one, points θ), read,
// checked and solved into its components, basis, morphing matrix and weights
// (DESIGN.md §5.1; the conventions of MadMiner's morphing_cases.json).
//
// The answer is a JSON document because it is the documented output of
// `goldmine morphing` (the command only reads the file and prints what these
// functions return), and the same document is what tests and the fuzz
// harness check. Keys of the answer, in this order: name, parameter_names,
// couplings (coupling form), components, basis, benchmark_names,
// morphing_matrix (components × benchmarks), basis_matrix_condition_number,
// thetas, weights (θ × benchmarks), weight_gradients (per θ: parameters ×
// benchmarks), sum_squared_weights (per θ), expected_sum_squared_weights
// (over the ranges, when given) and optimization (when the basis was
// optimised). Optional input keys are echoed only when given.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>

#include "goldmine/core/json_node.h"

namespace goldmine::morphing {

// Input keys (DESIGN.md §5.1): parameter_max_power, max_overall_power,
// parameter_range, thetas, and optionally name, parameter_names, basis, seed,
// n_trials. Extensions: components (explicit powers, as MadMiner's
// set_components), fixed_benchmarks (kept when the basis is optimised),
// benchmark_names (echoed with the basis). The coupling form
// (coupling_basis.h) replaces the powers and the basis.
//
// Throws InvalidInput naming the key for anything that cannot be used.
// `default_seed` applies when the case has no seed of its own.
// When `log` is not null, basis optimisation reports what it does there,
// one line per step starting with "goldmine morphing: " (it can take seconds
// for many parameters); nothing else is written.
nlohmann::ordered_json SolveMorphingCase(const core::JsonNode& input,
                                         std::uint64_t default_seed,
                                         std::ostream* log = nullptr);

// A single case, or {"cases": [...]} answered with {"cases": [...]} in order.
// Every case is checked (and those with a basis answered) before the first
// basis optimisation, so that a bad case fails fast.
// Optional top-level keys beside "cases": "seed" (default for every case),
// and MadMiner's descriptive "variant" and "conventions" (ignored).
nlohmann::ordered_json SolveMorphingDocument(const core::JsonNode& document,
                                             std::ostream* log = nullptr);

}  // namespace goldmine::morphing
