// Parton distribution functions (PDFs) of the proton: f_i(x, Q) is the number
// density of partons of flavour i carrying the momentum fraction x, probed at
// the factorisation scale Q. At leading order a hadronic cross section is
// σ = Σ_ij ∫ dx_a dx_b f_i(x_a, μ_F) f_j(x_b, μ_F) σ̂_ij; the generator
// evaluates f at μ_F for each incoming parton (PHYSICS.md §3.2, §4).
//
// Conventions: flavours are PDG ids, 1..6 = d u s c b t, -1..-6 their
// antiquarks, 21 = gluon (0 is accepted as an alias, as in LHAPDF). Q is in
// GeV (not Q²). Implementations store and return the momentum density x f,
// which is smooth in x; f = (x f) / x.
#pragma once

#include <array>
#include <string>

namespace goldmine::generators {

// PDG ids of the partons (quarks: kDown..kTop; antiquarks are the negatives).
inline constexpr int kDown = 1;
inline constexpr int kUp = 2;
inline constexpr int kStrange = 3;
inline constexpr int kCharm = 4;
inline constexpr int kBottom = 5;
inline constexpr int kTop = 6;
inline constexpr int kGluon = 21;

// x f for all 13 partons at one (x, Q), indexed by PartonIndex(pdg_id):
// index pdg_id + 6 for quarks and antiquarks, index 6 for the gluon.
using PartonValues = std::array<double, 13>;

// Index into PartonValues of a parton id (±1..±6, 21 or 0); -1 for any other
// id.
constexpr int PartonIndex(int pdg_id) {
  if (pdg_id == kGluon || pdg_id == 0) return 6;
  if (pdg_id >= -6 && pdg_id <= 6) return pdg_id + 6;
  return -1;
}

// A proton PDF. Implementations are immutable after construction, so one
// object may be shared by threads.
class PartonDensity {
 public:
  virtual ~PartonDensity() = default;

  // x f_i(x, Q) for parton `pdg_id` (±1..±6, 21 or 0), 0 < x, Q > 0 in GeV.
  // Returns 0 for x >= 1. Throws InvalidInput for another id, for x <= 0 or
  // Q <= 0 (or NaN). Behaviour outside the validity range of a set (small x,
  // Q outside its grid) is documented by each implementation.
  virtual double Xf(int pdg_id, double x, double q) const = 0;

  // x f for all 13 partons at once (cheaper than 13 calls: the interpolation
  // stencil is computed once). Same preconditions as Xf().
  virtual PartonValues XfAll(double x, double q) const;

  // f_i(x, Q) = Xf(pdg_id, x, q) / x, the number density.
  double F(int pdg_id, double x, double q) const {
    return Xf(pdg_id, x, q) / x;
  }

  // One line naming the set and its origin, for logs and file provenance.
  virtual std::string Description() const = 0;
};

namespace internal {
// Throws InvalidInput unless x > 0 and q > 0 (both finite).
void CheckKinematics(double x, double q);
// Throws InvalidInput unless PartonIndex(pdg_id) >= 0.
void CheckPartonId(int pdg_id);
}  // namespace internal

}  // namespace goldmine::generators
