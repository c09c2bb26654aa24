// Writes events of the analytic toy (toy_model.h) as a HepMC3 ASCII file,
// atomically, laid out like the WH files (wh_event_file.h) so that
// `goldmine inspect` and `goldmine mine` read them unchanged:
//
// Weights (pb, each summing over the file to its cross section): one per
//   benchmark, named as the benchmark: w_b = (σ_SM/N) R(z; θ_b).
// Run info: tool "goldmine" and the string attributes goldmine_generator,
//   goldmine_parameters ("c1,c2"), goldmine_benchmarks,
//   goldmine_benchmark_NAME ("c1=0.5 c2=0"), goldmine_eft_polynomial,
//   goldmine_latent ("pt_true phi_true eta"), goldmine_observables (how to
//   mine x, below), goldmine_seed, goldmine_events.
// Per event: two final-state (status 1) massless gluons, i.e. two jets at
//   parton level: j[0] with (pT, η, φ) = (pt, eta, dphi) of the observation,
//   and a reference j[1] with pT = 0.5 GeV, η = 0, φ = 0 (pt > 1 GeV always,
//   so j[0] leads). MadMiner's toy definitions then give x exactly:
//     pt = j[0].pt, dphi = j[0].deltaphi(j[1]), eta = j[0].eta,
//     ptcos = j[0].px
//   (examples/toy/mine_toy.yaml; mine at parton level without smearing).
//   String attributes goldmine_latent = "pt_true phi_true eta" (z, full
//   precision) and goldmine_eft_polynomial = "w_SM a_1 ... b_nn" as for WH
//   (w_SM = σ_SM/N), so r(x,z) and t(x,z) are exact and checkable.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "goldmine/generators/benchmarks.h"
#include "goldmine/generators/toy_model.h"
#include "goldmine/generators/wh_event_file.h"

namespace goldmine::generators {

// Generates `num_events` toy events with RandomStream(seed) and writes them
// to `path`; benchmark values follow model.parameters(). The same inputs give
// a byte-identical file. `progress` as for WriteWhEventFile. Throws
// InvalidInput for bad benchmarks, num_events < 1 or an unwritable path.
EventFileResult WriteToyEventFile(
    const std::string& path,
    const ToyModel& model,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress = {});

}  // namespace goldmine::generators
