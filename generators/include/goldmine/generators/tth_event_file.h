// Writes weighted t t̄ H events (tth_generator.h) as a HepMC3 ASCII file,
// atomically, with the same writer and conventions as the WH generator
// (wh_event_file.h):
//
// Weights, in pb, each summing over the file to its cross section:
//   one per benchmark, named as the benchmark: w_b = w_SM κ_t²(θ_b);
//   then the joint μR = μF variations of the first benchmark, named
//   "MUR<k>_MUF<k>" (MUR0.5_MUF0.5, MUR2_MUF2: the names that the miner's
//   `scale: mu` systematic recognises):
//   w_first × [α_s(kμ)/α_s(μ)]² L(kμ)/L(μ), L the channel-summed
//   luminosity × |M|² of the point.
// Run info: as WH (goldmine_generator, goldmine_parameters,
//   goldmine_benchmarks, goldmine_benchmark_NAME, goldmine_eft_polynomial,
//   goldmine_seed, goldmine_events), plus
//   goldmine_factorisation_scale and goldmine_renormalisation_scale
//                          "fixed:235.26" or "ht2" (μR = μF)
//   goldmine_alpha_s       "one-loop nf=5 alpha_s(M_Z)=0.13"
//   goldmine_kappa_t       "kappa_t = 1 - 0.0611 cuH" (the exact map)
//   goldmine_systematics   "scale:MUR0.5_MUF0.5,MUR2_MUF2 nominal=NAME"
// Per event: incoming partons (status 4), t, t̄, H, W+, W− (status 2, their
// masses), b, b̄ from the tops, the W and H decay products (status 1);
// vertices g g → t t̄ H, t → W+ b, t̄ → W− b̄, H → X X, W → f f̄'.
// GenPdfInfo (ids, x, μF, x f), GenCrossSection (running), and
// goldmine_eft_polynomial = "w_SM a_1 … a_n b_11 … b_nn" (w_SM in pb; the
// κ_t² coefficients), so that w(θ) = w_SM P(θ) is exact at any θ.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "goldmine/generators/benchmarks.h"
#include "goldmine/generators/tth_generator.h"
#include "goldmine/generators/wh_event_file.h"

namespace goldmine::generators {

// "MUR0.5_MUF0.5", "MUR2_MUF2", ...
std::vector<std::string> TthScaleVariationNames(
    const TthGeneratorSettings& settings);

// Generates `num_events` events with RandomStream(seed) and writes them to
// `path`; the same inputs give a byte-identical file. `progress` (may be
// empty) is called every 1 % or so and at the end. Throws InvalidInput for
// bad benchmarks, num_events < 1 or an unwritable path.
EventFileResult WriteTthEventFile(
    const std::string& path,
    const TthGenerator& generator,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress = {});

}  // namespace goldmine::generators
