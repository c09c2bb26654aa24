// A Lorentz vector (px, py, pz, E) in GeV with the kinematic quantities that
// observables use. Conventions follow scikit-hep `vector` (MadMiner's
// MadMinerParticle), which in turn follows ROOT's TLorentzVector:
//  - m() and mt() are signed square roots: a negative m² or mt² gives
//    -sqrt(-m²) (negative-mass vectors are rounding noise or unphysical sums);
//  - mt() is ROOT's Mt() = sqrt(E² - pz²), NOT the usual W transverse mass
//    sqrt(2 pT,l MET (1 - cos Δφ)). 1908.06980 used this quirk for mT_lnu and
//    mT,tot (docs/PHYSICS.md §5.3), so we reproduce it;
//  - phi() is in (-π, π]; DeltaPhi(a, b) = a.phi - b.phi wrapped into [-π, π);
//  - eta() of a vector with pT = 0 is ±infinity along the beam and 0 for the
//    zero vector.
#pragma once

#include <cmath>

namespace goldmine::mining {

class FourMomentum {
 public:
  FourMomentum() = default;
  FourMomentum(double px, double py, double pz, double e)
      : px_(px), py_(py), pz_(pz), e_(e) {}

  // From transverse momentum, pseudorapidity, azimuth and mass (m ≥ 0).
  static FourMomentum FromPtEtaPhiM(double pt,
                                    double eta,
                                    double phi,
                                    double m) {
    const double px = pt * std::cos(phi);
    const double py = pt * std::sin(phi);
    const double pz = pt * std::sinh(eta);
    return {px, py, pz, std::sqrt(px * px + py * py + pz * pz + m * m)};
  }
  // From transverse momentum, pseudorapidity, azimuth and energy.
  static FourMomentum FromPtEtaPhiE(double pt,
                                    double eta,
                                    double phi,
                                    double e) {
    return {pt * std::cos(phi), pt * std::sin(phi), pt * std::sinh(eta), e};
  }

  double px() const { return px_; }
  double py() const { return py_; }
  double pz() const { return pz_; }
  double e() const { return e_; }

  double pt2() const { return px_ * px_ + py_ * py_; }
  double pt() const { return std::sqrt(pt2()); }
  double p() const { return std::sqrt(pt2() + pz_ * pz_); }
  double m2() const { return e_ * e_ - pt2() - pz_ * pz_; }
  double m() const { return SignedSqrt(m2()); }
  // ROOT-style transverse mass sqrt(E² - pz²) (signed), see the file comment.
  double mt() const { return SignedSqrt(e_ * e_ - pz_ * pz_); }
  double phi() const {
    return (px_ == 0.0 && py_ == 0.0) ? 0.0 : std::atan2(py_, px_);
  }
  double eta() const {
    const double transverse = pt();
    if (transverse == 0.0) {
      if (pz_ == 0.0) return 0.0;
      return pz_ > 0.0 ? HUGE_VAL : -HUGE_VAL;
    }
    return std::asinh(pz_ / transverse);
  }
  // Polar angle in [0, π].
  double theta() const { return std::atan2(pt(), pz_); }
  // y = ½ ln((E + pz) / (E - pz)).
  double rapidity() const { return 0.5 * std::log((e_ + pz_) / (e_ - pz_)); }

  FourMomentum& operator+=(const FourMomentum& other) {
    px_ += other.px_;
    py_ += other.py_;
    pz_ += other.pz_;
    e_ += other.e_;
    return *this;
  }
  FourMomentum& operator-=(const FourMomentum& other) {
    px_ -= other.px_;
    py_ -= other.py_;
    pz_ -= other.pz_;
    e_ -= other.e_;
    return *this;
  }
  FourMomentum& operator*=(double factor) {
    px_ *= factor;
    py_ *= factor;
    pz_ *= factor;
    e_ *= factor;
    return *this;
  }
  FourMomentum operator-() const { return {-px_, -py_, -pz_, -e_}; }

 private:
  static double SignedSqrt(double x) {
    return x >= 0.0 ? std::sqrt(x) : -std::sqrt(-x);
  }

  double px_ = 0.0;
  double py_ = 0.0;
  double pz_ = 0.0;
  double e_ = 0.0;
};

inline FourMomentum operator+(FourMomentum a, const FourMomentum& b) {
  return a += b;
}
inline FourMomentum operator-(FourMomentum a, const FourMomentum& b) {
  return a -= b;
}
inline FourMomentum operator*(FourMomentum a, double factor) {
  return a *= factor;
}
inline FourMomentum operator*(double factor, FourMomentum a) {
  return a *= factor;
}
inline FourMomentum operator/(FourMomentum a, double divisor) {
  return a *= 1.0 / divisor;
}

// a.phi - b.phi wrapped into [-π, π) (scikit-hep vector's a.deltaphi(b)).
inline double DeltaPhi(const FourMomentum& a, const FourMomentum& b) {
  constexpr double kPi = 3.14159265358979323846;
  const double difference = a.phi() - b.phi() + kPi;
  double wrapped = std::fmod(difference, 2.0 * kPi);
  if (wrapped < 0.0) wrapped += 2.0 * kPi;
  return wrapped - kPi;
}

// sqrt(Δη² + Δφ²) with pseudorapidity η.
inline double DeltaR(const FourMomentum& a, const FourMomentum& b) {
  const double delta_eta = a.eta() - b.eta();
  const double delta_phi = DeltaPhi(a, b);
  return std::sqrt(delta_eta * delta_eta + delta_phi * delta_phi);
}

}  // namespace goldmine::mining
