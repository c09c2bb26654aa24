#include "goldmine/generators/wh_matrix_element.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"

namespace goldmine::generators {
namespace {

using ::testing::HasSubstr;

// PHYSICS.md §2.7: u along +z, d̄ along −z, f = ν_e, f̄ = e+.
WhKinematics TestPoint() {
  WhKinematics k;
  k.quark = {300.0, 0.0, 0.0, 300.0};
  k.antiquark = {200.0, 0.0, 0.0, -200.0};
  k.fermion = {175.7258561481, 64.8251198111, 59.3693845101, 152.1596416378};
  k.antifermion = {99.9592115372, 70.9198475216, -17.3785454121, 68.2656967884};
  k.higgs = {224.3149323148, -135.7449673327, -41.9908390981, -120.4253384262};
  return k;
}

// The quark comes from −z: swap the incoming roles.
WhKinematics SwappedOrientation() {
  WhKinematics k = TestPoint();
  std::swap(k.quark, k.antiquark);
  return k;
}

void ExpectRelative(double actual, double expected, double tolerance) {
  EXPECT_NEAR(actual, expected, tolerance * std::abs(expected))
      << "relative difference " << (actual - expected) / expected;
}

// Agreement to the 8 printed decimals of a coefficient, or 1e-8 relative.
void ExpectPrinted(double actual, double expected) {
  EXPECT_NEAR(actual, expected, std::max(1e-8 * std::abs(expected), 0.51e-8));
}

// The reference numbers are given to 8-11 significant digits, and the
// momenta to 10 decimals: 1e-8 relative is what they support (the momenta
// themselves conserve four-momentum only to ~1e-10 GeV).
constexpr double kTolerance = 1e-8;

FourMomentum Massless(RandomStream& random, double energy) {
  const double cos_theta = random.Uniform(-1.0, 1.0);
  const double phi = random.Uniform(0.0, 2.0 * M_PI);
  const double sin_theta = std::sqrt(1.0 - cos_theta * cos_theta);
  return {energy,
          energy * sin_theta * std::cos(phi),
          energy * sin_theta * std::sin(phi),
          energy * cos_theta};
}

FourMomentum Boost(const FourMomentum& p, const FourMomentum& frame) {
  const double mass = std::sqrt(Dot(frame, frame));
  const double b[3] = {
      frame[1] / frame[0], frame[2] / frame[0], frame[3] / frame[0]};
  const double gamma = frame[0] / mass;
  const double bp = b[0] * p[1] + b[1] * p[2] + b[2] * p[3];
  const double factor =
      (gamma - 1.0) * bp / (b[0] * b[0] + b[1] * b[1] + b[2] * b[2]) +
      gamma * p[0];
  return {gamma * (p[0] + bp),
          p[1] + factor * b[0],
          p[2] + factor * b[1],
          p[3] + factor * b[2]};
}

// A random physical point: partons along ±z with random energies, W* → f f̄
// and H with random angles.
WhKinematics RandomPoint(RandomStream& random) {
  const double e1 = random.Uniform(150.0, 900.0);
  const double e2 = random.Uniform(150.0, 900.0);
  WhKinematics k;
  k.quark = {e1, 0.0, 0.0, e1};
  k.antiquark = {e2, 0.0, 0.0, -e2};
  if (random.Uniform() < 0.5) std::swap(k.quark, k.antiquark);
  const FourMomentum total = {e1 + e2, 0.0, 0.0, e1 - e2};
  const double roots = 2.0 * std::sqrt(e1 * e2);
  const double mh = 125.0;
  const double m = random.Uniform(10.0, roots - mh - 1.0);
  const double pstar = std::sqrt((roots * roots - (m + mh) * (m + mh)) *
                                 (roots * roots - (m - mh) * (m - mh))) /
                       (2.0 * roots);
  const FourMomentum direction = Massless(random, pstar);
  FourMomentum w = {std::sqrt(pstar * pstar + m * m),
                    direction[1],
                    direction[2],
                    direction[3]};
  FourMomentum h = {std::sqrt(pstar * pstar + mh * mh),
                    -direction[1],
                    -direction[2],
                    -direction[3]};
  w = Boost(w, total);
  h = Boost(h, total);
  const FourMomentum f_rest = Massless(random, m / 2.0);
  const FourMomentum fb_rest = {m / 2.0, -f_rest[1], -f_rest[2], -f_rest[3]};
  k.fermion = Boost(f_rest, w);
  k.antifermion = Boost(fb_rest, w);
  k.higgs = h;
  return k;
}

TEST(Spinors, ProductsAreAntisymmetricAndSquareToTwiceTheDotProduct) {
  RandomStream random(7);
  for (int trial = 0; trial < 50; ++trial) {
    FourMomentum p = Massless(random, random.Uniform(1.0, 500.0));
    FourMomentum q = Massless(random, random.Uniform(1.0, 500.0));
    // Also the branches for momenta along ±z.
    if (trial == 0) p = {100.0, 0.0, 0.0, -100.0};
    if (trial == 1) q = {50.0, 0.0, 0.0, 50.0};
    const MasslessSpinor sp = SpinorOf(p);
    const MasslessSpinor sq = SpinorOf(q);
    const double dot2 = 2.0 * Dot(p, q);
    EXPECT_NEAR(std::abs(Angle(sp, sq) + Angle(sq, sp)), 0.0, 1e-10 * dot2);
    EXPECT_NEAR(std::norm(Angle(sp, sq)), dot2, 1e-10 * dot2);
    const std::complex<double> product = Angle(sp, sq) * Square(sq, sp);
    EXPECT_NEAR(product.real(), dot2, 1e-10 * dot2);
    EXPECT_NEAR(product.imag(), 0.0, 1e-10 * dot2);
  }
}

TEST(WhMatrixElement, SmStructureIsTheDotProductFormula) {
  RandomStream random(11);
  for (int trial = 0; trial < 20; ++trial) {
    const WhKinematics k = RandomPoint(random);
    const double expected =
        16.0 * Dot(k.quark, k.antifermion) * Dot(k.antiquark, k.fermion);
    ExpectRelative(std::norm(ComputeSpinorStructures(k).t1), expected, 1e-12);
  }
}

TEST(WhMatrixElement, ReproducesTheReferencePoint) {
  const WhKinematics k = TestPoint();
  const SpinorStructures s = ComputeSpinorStructures(k);
  ExpectRelative(std::norm(s.t1), 9.9761701056e+09, kTolerance);
  ExpectRelative(std::norm(s.t2), 5.2360143551e+19, kTolerance);
  ExpectRelative(
      std::real(std::conj(s.t1) * s.t2), -6.6319536540e+14, kTolerance);

  const WhMatrixElement me({}, DefaultOperators());  // cHbox, cHDD, cHW, cHq3
  const EftPolynomial p = me.Evaluate(k);
  ExpectRelative(p.sm, 3.1282261139e-06, kTolerance);
  ExpectPrinted(p.linear[0], 0.12124823);
  ExpectPrinted(p.linear[1], -0.03031206);
  ExpectPrinted(p.linear[2], 1.85086552);
  ExpectPrinted(p.linear[3], 4.50313552);
  auto b = [&](int i, int j) {
    return p.quadratic[static_cast<std::size_t>(QuadraticIndex(i, j, 4))];
  };
  // Coefficients are printed with 8 decimals: agreement to the last digit
  // (or 1e-8 relative, whichever is looser).
  ExpectPrinted(b(0, 0), 0.00367528);
  ExpectPrinted(b(0, 1), -0.00183764);
  ExpectPrinted(b(0, 2), 0.11220709);
  ExpectPrinted(b(0, 3), 0.27299861);
  ExpectPrinted(b(1, 1), 0.00022971);
  ExpectPrinted(b(1, 2), -0.02805177);
  ExpectPrinted(b(1, 3), -0.06824965);
  ExpectPrinted(b(2, 2), 1.14834897);
  ExpectPrinted(b(2, 3), 4.16734913);
  ExpectPrinted(b(3, 3), 5.06955737);
}

TEST(WhMatrixElement, ReproducesTheReferencePointWithTheQuarkFromMinusZ) {
  const WhMatrixElement me({}, DefaultOperators());
  const EftPolynomial p = me.Evaluate(SwappedOrientation());
  const EftPolynomial reference = me.Evaluate(TestPoint());
  ExpectRelative(p.sm, 1.1933989495e-06, kTolerance);
  ExpectPrinted(p.linear[2], 0.15369188);
  ExpectPrinted(p.quadratic[static_cast<std::size_t>(QuadraticIndex(2, 2, 4))],
                0.45651197);
  ExpectPrinted(p.quadratic[static_cast<std::size_t>(QuadraticIndex(2, 3, 4))],
                0.34604768);
  // Helicity-blind terms are unchanged.
  for (int i : {0, 1, 3})
    ExpectRelative(p.linear[static_cast<std::size_t>(i)],
                   reference.linear[static_cast<std::size_t>(i)],
                   1e-12);
  ExpectRelative(
      p.quadratic[static_cast<std::size_t>(QuadraticIndex(3, 3, 4))],
      reference.quadratic[static_cast<std::size_t>(QuadraticIndex(3, 3, 4))],
      1e-12);
}

TEST(WhMatrixElement, WMinusWithTheSameRolesGivesTheSameNumbers) {
  // W−: q = d along +z, q̄ = ū, f = e− with the "ν_e" momentum, f̄ = ν̄ with
  // the "e+" momentum. In roles this is the W+ point itself, so the mapping
  // test is that the generator's W− assignment uses exactly these roles
  // (wh_generator_test checks the lab assignment); here: the numbers.
  const WhMatrixElement me({}, DefaultOperators());
  WhKinematics w_minus;
  const WhKinematics w_plus = TestPoint();
  w_minus.quark = w_plus.quark;              // d
  w_minus.antiquark = w_plus.antiquark;      // ū
  w_minus.fermion = w_plus.fermion;          // e−
  w_minus.antifermion = w_plus.antifermion;  // ν̄
  w_minus.higgs = w_plus.higgs;
  ExpectRelative(me.Evaluate(w_minus).sm, 3.1282261139e-06, kTolerance);
  // Exchanging the lepton roles is a different amplitude (a real check
  // that roles matter).
  std::swap(w_minus.fermion, w_minus.antifermion);
  EXPECT_GT(std::abs(me.Evaluate(w_minus).sm / 3.1282261139e-06 - 1.0), 0.1);
}

TEST(WhMatrixElement, DotProductFormEqualsSpinorForm) {
  RandomStream random(3);
  for (int trial = 0; trial < 50; ++trial) {
    const WhKinematics k = RandomPoint(random);
    const SpinorStructures s = ComputeSpinorStructures(k);
    const double alpha = random.Uniform(-2.0, 2.0);
    const double beta = random.Uniform(-2.0, 2.0) * 1e-5;
    const double spinor = std::norm(alpha * s.t1 + beta * s.t2);
    ExpectRelative(DotProductSquaredAmplitude(k, alpha, beta), spinor, 1e-9);
  }
}

TEST(WhMatrixElement, ExplicitCurrentsEqualSpinorFormUpToAPhase) {
  RandomStream random(5);
  for (int trial = 0; trial < 50; ++trial) {
    const WhKinematics k = RandomPoint(random);
    const SpinorStructures s = ComputeSpinorStructures(k);
    const DiracCurrents c = ComputeDiracCurrents(k);
    auto dot = [](const std::array<std::complex<double>, 4>& a,
                  const FourMomentum& b) {
      return a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
    };
    const std::complex<double> jl =
        c.quark[0] * c.lepton[0] - c.quark[1] * c.lepton[1] -
        c.quark[2] * c.lepton[2] - c.quark[3] * c.lepton[3];
    ExpectRelative(std::norm(jl), std::norm(s.t1), 1e-10);
    const double alpha = random.Uniform(-2.0, 2.0);
    const double beta = random.Uniform(-2.0, 2.0) * 1e-5;
    const double currents = std::norm(
        alpha * jl + beta * dot(c.quark, k.higgs) * dot(c.lepton, k.higgs));
    ExpectRelative(currents, std::norm(alpha * s.t1 + beta * s.t2), 1e-9);
  }
}

TEST(WhMatrixElement, PolynomialReproducesDirectEvaluationAtRandomTheta) {
  RandomStream random(9);
  for (int hbb : {0, 1}) {
    ElectroweakParameters parameters;
    parameters.hbb_eft = hbb;
    const WhMatrixElement me(parameters,
                             {WhOperator::kHBox,
                              WhOperator::kHD,
                              WhOperator::kHW,
                              WhOperator::kHq3,
                              WhOperator::kHWtilde});
    for (int point = 0; point < 10; ++point) {
      const WhKinematics k = RandomPoint(random);
      const EftPolynomial p = me.Evaluate(k);
      for (int t = 0; t < 15; ++t) {
        Eigen::VectorXd theta(5);
        for (int i = 0; i < 5; ++i) theta[i] = random.Uniform(-3.0, 3.0);
        ExpectRelative(
            p.Evaluate(theta), me.SquaredMatrixElement(k, theta), 1e-12);
      }
    }
  }
}

TEST(WhMatrixElement, CpOddOptionLeavesTheCpEvenPolynomialUnchanged) {
  RandomStream random(13);
  const WhMatrixElement even({}, DefaultOperators());
  const WhMatrixElement odd({},
                            {WhOperator::kHBox,
                             WhOperator::kHD,
                             WhOperator::kHW,
                             WhOperator::kHq3,
                             WhOperator::kHWtilde});
  for (int point = 0; point < 20; ++point) {
    const WhKinematics k = RandomPoint(random);
    const EftPolynomial a = even.Evaluate(k);
    const EftPolynomial b = odd.Evaluate(k);
    ExpectRelative(b.sm, a.sm, 1e-10);
    for (int i = 0; i < 4; ++i)
      EXPECT_NEAR(
          b.linear[static_cast<std::size_t>(i)],
          a.linear[static_cast<std::size_t>(i)],
          1e-9 * (1.0 + std::abs(a.linear[static_cast<std::size_t>(i)])));
    for (int i = 0; i < 4; ++i)
      for (int j = i; j < 4; ++j) {
        const double x =
            a.quadratic[static_cast<std::size_t>(QuadraticIndex(i, j, 4))];
        EXPECT_NEAR(
            b.quadratic[static_cast<std::size_t>(QuadraticIndex(i, j, 5))],
            x,
            1e-9 * (1.0 + std::abs(x)));
      }
  }
}

TEST(WhMatrixElement, RejectsRepeatedOperatorsAndBadParameters) {
  EXPECT_THAT(
      [] {
        WhMatrixElement({}, {WhOperator::kHW, WhOperator::kHW});
      },
      ::testing::ThrowsMessage<InvalidInput>(HasSubstr("cHW is listed twice")));
  ElectroweakParameters bad;
  bad.w_width = -1.0;
  bad.hbb_eft = 3;
  EXPECT_THAT([&] { WhMatrixElement(bad, DefaultOperators()); },
              ::testing::ThrowsMessage<InvalidInput>(::testing::AllOf(
                  HasSubstr("w_width"), HasSubstr("hbb_eft"))));
  EXPECT_THAT(
      [] { ParseOperator("cHG"); },
      ::testing::ThrowsMessage<InvalidInput>(HasSubstr("allowed: cHbox")));
}

}  // namespace
}  // namespace goldmine::generators
