// Named histogram binnings for `goldmine limits --binning` (PHYSICS.md §6):
// the STXS pT^V bins of q q̄ → W H, W → l ν on the reconstructed
// pT,W = |pT(l) + MET|, and the 2D "improved STXS" of arXiv 1908.06980.
// Edges in GeV; +∞ closes the last bin (its volume is capped at twice the
// previous bin, see histogram.h). At LO there are no jets, so the 0J/≥1J
// splits are merged.
//
//   STXS-WH-1.0      pT,W [0, 150, 250, ∞)                  3 bins
//   STXS-WH-1.1      pT,W [0, 75, 150, 250, ∞)              4 bins
//   STXS-WH-1.2      pT,W [0, 75, 150, 250, 400, ∞)         5 bins
//   STXS-WH          = STXS-WH-1.2 (1908.06980's "5-bin")
//   STXS-WH-6        pT,W [0, 75, 150, 250, 400, 600, ∞)    6 bins
//   improved-STXS    pT,W as STXS-WH-6 × mT,tot [0, 400, 800, ∞)  18 bins
//                    (two observables: pT,W then mT,tot)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "goldmine/inference/limits/asymptotic_limits.h"

namespace goldmine::inference {

// The preset's binning (one AxisBinning per observable), or nothing when
// `name` is not a preset.
std::optional<std::vector<AxisBinning>> StxsBinning(const std::string& name);
std::vector<std::string> StxsBinningNames();

// --binning text: a preset name, or one SPEC per dimension separated by ';',
// each "N" (N adaptive bins) or "E0,E1,..." (edges; "inf"/"-inf" allowed).
// Throws InvalidInput naming the bad part.
std::vector<AxisBinning> ParseBinning(const std::string& text);

}  // namespace goldmine::inference
