#include "goldmine/generators/builtin_pdf.h"

#include "builtin_pdf_model.h"

namespace goldmine::generators {

PartonValues BuiltinPdf::XfAll(double x, double q) const {
  internal::CheckKinematics(x, q);
  PartonValues values{};
  if (x >= 1.0) return values;
  double c[internal::kBuiltinNumComponents];
  internal::EvaluateBuiltin(internal::kBuiltinCoefficients, x, q, c);
  auto set = [&values](int id, double value) {
    values[static_cast<std::size_t>(PartonIndex(id))] = value;
  };
  set(kUp, c[internal::kUpValence] + c[internal::kUpBar]);
  set(kDown, c[internal::kDownValence] + c[internal::kDownBar]);
  set(-kUp, c[internal::kUpBar]);
  set(-kDown, c[internal::kDownBar]);
  set(kStrange, c[internal::kStrangeQuark]);
  set(-kStrange, c[internal::kStrangeBar]);
  set(kCharm, c[internal::kCharmQuark]);
  set(-kCharm, c[internal::kCharmQuark]);
  set(kBottom, c[internal::kBottomQuark]);
  set(-kBottom, c[internal::kBottomQuark]);
  set(kGluon, c[internal::kGluonComponent]);
  return values;
}

double BuiltinPdf::Xf(int pdg_id, double x, double q) const {
  internal::CheckPartonId(pdg_id);
  return XfAll(x, q)[static_cast<std::size_t>(PartonIndex(pdg_id))];
}

std::string BuiltinPdf::Description() const {
  return "built-in parametrisation of NNPDF2.3 QCD+QED LO (alpha_s(M_Z) = "
         "0.130, member 0), fitted by goldmine's fit_builtin_pdf; "
         "10 GeV <= Q <= 10 TeV";
}

}  // namespace goldmine::generators
