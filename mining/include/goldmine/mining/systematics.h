// Systematic uncertainties as MadMiner stores them (MADMINER.md §2, §3, §9):
// each systematic becomes nuisance parameters, each nuisance parameter one or
// two nuisance benchmarks whose event weights are the reference benchmark's
// weight times the variation's relative effect,
//
//   w(z | nuisance benchmark) = w(z | reference) × w_variation(z) /
//   w_nominal(z)
//
// (norm: × the constant factor). Kinds:
//  - norm: one one-sided parameter, factor `norm_factor` (e.g. 1.1);
//  - scale: one two-sided parameter; + = the last scale factor, − = the first
//    (MUR and/or MUF per `scale`: "mu" both, "mur", "muf"); weights with a
//    DYN_SCALE attribute are not used;
//  - pdf: one one-sided parameter per PDF member (central members, PDF id
//    divisible by 1000, are skipped) of the weight group named like `pdf_set`.
// Variation weights are recognised by their MUR/MUF/PDF attributes (LHE) or
// names like "MUR2.0_MUF0.5_PDF261000" (HepMC, POWHEG). Unlike MadMiner 0.x,
// whose parser fails on systematics (MADMINER.md §3), this works.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "goldmine/mining/event_reader.h"
#include "goldmine/mining/madminer_file.h"

namespace goldmine::mining {

struct SystematicSpec {
  enum class Type { kNorm, kScale, kPdf };
  std::string name;
  Type type = Type::kNorm;
  double norm_factor = 1.1;
  std::string scale = "mu";
  std::vector<double> scale_factors = {0.5, 1.0, 2.0};
  // Weight-group name (case-insensitive substring) of the PDF members; empty:
  // every PDF member with MUR = MUF = 1.
  std::string pdf_set;
};

// Where the weight of one nuisance benchmark comes from.
struct NuisanceSource {
  std::string benchmark;
  SystematicSpec::Type type = SystematicSpec::Type::kNorm;
  double norm_factor = 1.0;
  double mur = 1.0;
  double muf = 1.0;
  long pdf_id = -1;  // for pdf members
};

struct NuisanceLayout {
  std::vector<MadminerSystematic> systematics;
  std::vector<MadminerNuisanceParameter> parameters;
  // Sorted by benchmark name, as MadMiner adds them.
  std::vector<NuisanceSource> sources;
};

// The nuisance parameters and benchmarks of `systematics`, with PDF members
// enumerated from `file` (a sample's weight definitions). Throws InvalidInput
// when a scale or PDF systematic finds no matching weights in the file.
NuisanceLayout BuildNuisanceLayout(
    const std::vector<SystematicSpec>& systematics, const EventFileInfo& file);

// Adds the layout's systematics, nuisance parameters and benchmarks (θ = 0,
// is_nuisance) to a setup.
void AddNuisanceLayout(const NuisanceLayout& layout, MadminerSetup* setup);

// Index into file.weight_names of the variation weight for `source`, or
// nullopt when the file does not have it.
std::optional<int> FindVariationWeight(const EventFileInfo& file,
                                       const NuisanceSource& source);

}  // namespace goldmine::mining
