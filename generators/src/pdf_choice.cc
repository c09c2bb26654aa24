#include "goldmine/generators/pdf_choice.h"

#include "goldmine/generators/builtin_pdf.h"
#include "goldmine/generators/lhapdf_grid.h"

namespace goldmine::generators {

std::shared_ptr<const PartonDensity> MakePartonDensity(
    const std::optional<std::string>& lhapdf_path) {
  if (lhapdf_path) return std::make_shared<LhapdfGrid>(*lhapdf_path);
  return std::make_shared<BuiltinPdf>();
}

std::optional<double> AlphaSFromPdfSet(const PartonDensity& pdf) {
  const auto* grid = dynamic_cast<const LhapdfGrid*>(&pdf);
  if (grid == nullptr) return std::nullopt;
  return grid->alpha_s_mz();
}

}  // namespace goldmine::generators
