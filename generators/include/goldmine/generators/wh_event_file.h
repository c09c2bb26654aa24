// Writes weighted WH events as a HepMC3 ASCII file (HepMC 3.1.2 Asciiv3),
// atomically (temporary name, then rename). The text is written by
// src/ascii_event_writer.h, line for line what HepMC3's WriterAscii writes
// but with shortest round-trip numbers (6× faster; read by ReaderAscii, and
// checked against WriterAscii in tests). Layout:
//
// Weights, in pb, each summing over the file to its cross section:
//   one per benchmark, named as the benchmark: w_b = w_SM P(θ_b);
//   then the factorisation-scale variations of the first benchmark, named
//   "MUF<k>" (e.g. MUF0.5, MUF2): w_first × L_c(k μF)/L_c(μF), where L_c is
//   the parton luminosity of the event's channel. The same factor applies to
//   every benchmark; the group is described by the run attribute
//   goldmine_systematics, so a miner can turn it into one nuisance parameter.
// Run info (GenRunInfo): tool "goldmine", string attributes
//   goldmine_generator        the generator's Description() (settings, PDF)
//   goldmine_parameters       "cHbox,cHDD,cHW,cHq3" (operator order)
//   goldmine_benchmarks       benchmark names in weight order, comma separated
//   goldmine_benchmark_NAME   "cHbox=0 cHDD=0 cHW=0.5 cHq3=0" (full precision)
//   goldmine_factorisation_scale  "ht2", "fixed:205.387" or "shat"
//   goldmine_systematics      "factorisation_scale:MUF0.5,MUF2 nominal=NAME"
//   goldmine_eft_polynomial   names of the per-event polynomial entries
//   goldmine_seed, goldmine_events
// Per event: particles (incoming partons status 4, W and H status 2 with
// their generated masses, ℓ, ν, b, b̄ status 1; vertices q q̄' → W H,
// W → ℓ ν, H → b b̄), GenPdfInfo (ids, x, μF, x f), the running cross section
// per weight (GenCrossSection; exact Σ w at the last event), and the string
// attribute goldmine_eft_polynomial = "w_SM a_1 … a_n b_11 b_12 … b_nn"
// (w_SM in pb, then EftPolynomial's ratios), so that w(θ) = w_SM P(θ) is
// exact at any θ.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "goldmine/generators/benchmarks.h"
#include "goldmine/generators/wh_generator.h"

namespace goldmine::generators {

struct EventFileResult {
  std::int64_t num_events = 0;
  // Every weight name in file order: benchmarks, then scale variations.
  std::vector<std::string> weight_names;
  // Σ w per weight (pb) and its Monte Carlo uncertainty.
  std::vector<double> cross_sections;
  std::vector<double> cross_section_errors;
  double seconds = 0.0;
};

// Weight names of the scale variations ("MUF0.5", "MUF2", ...).
std::vector<std::string> ScaleVariationNames(
    const WhGeneratorSettings& settings);

// Generates `num_events` events with RandomStream(seed) and writes them to
// `path`. Benchmarks' values follow generator.settings().operators. The same
// inputs give a byte-identical file. `progress` (may be empty) is called
// with the number of events written so far, every 1 % or so and at the end.
// Throws InvalidInput for bad benchmarks, num_events < 1 or an unwritable
// path, FileFormatError never.
EventFileResult WriteWhEventFile(
    const std::string& path,
    const WhGenerator& generator,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress = {});

}  // namespace goldmine::generators
