// Which parton density a generator run uses (`goldmine generate --pdf`): an
// LHAPDF6 grid the user names, else the built-in parametrisation of NNPDF2.3
// LO, and the α_s(M_Z) that goes with the chosen set. A matrix element that
// runs α_s (TthParameters::alpha_s_mz) should use the value the PDF was
// fitted with, so that the run is consistent (PHYSICS.md §4.2).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "goldmine/generators/parton_density.h"

namespace goldmine::generators {

// LhapdfGrid(*lhapdf_path) when a path is given, else BuiltinPdf. Throws
// what the LhapdfGrid constructor throws (FileFormatError naming the file).
std::shared_ptr<const PartonDensity> MakePartonDensity(
    const std::optional<std::string>& lhapdf_path);

// α_s(M_Z) of the set `pdf` belongs to, when its metadata says: the
// AlphaS_MZ entry of an LhapdfGrid (LhapdfGrid::alpha_s_mz()). nullopt for a
// grid whose metadata lacks it (or is not a number) and for any other
// PartonDensity; the caller then keeps its default, NNPDF2.3 LO's 0.130,
// which is also BuiltinPdf's.
std::optional<double> AlphaSFromPdfSet(const PartonDensity& pdf);

}  // namespace goldmine::generators
