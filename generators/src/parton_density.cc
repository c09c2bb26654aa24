#include "goldmine/generators/parton_density.h"

#include <cmath>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::generators {

PartonValues PartonDensity::XfAll(double x, double q) const {
  PartonValues values{};
  for (int id = -6; id <= 6; ++id) {
    values[static_cast<std::size_t>(PartonIndex(id))] =
        Xf(id == 0 ? kGluon : id, x, q);
  }
  return values;
}

namespace internal {

void CheckKinematics(double x, double q) {
  // Written as negations so that NaN fails too.
  if (!(x > 0.0) || !(q > 0.0) || !std::isfinite(x) || !std::isfinite(q)) {
    std::ostringstream message;
    message << "parton density: expected x > 0 and Q > 0 GeV (finite), got x = "
            << x << ", Q = " << q;
    throw InvalidInput(message.str());
  }
}

void CheckPartonId(int pdg_id) {
  if (PartonIndex(pdg_id) < 0) {
    throw InvalidInput("parton density: unknown parton id " +
                       std::to_string(pdg_id) +
                       "; expected 1..6, -1..-6 (quarks, antiquarks), 21 or "
                       "0 (gluon)");
  }
}

}  // namespace internal
}  // namespace goldmine::generators
