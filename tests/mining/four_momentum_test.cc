#include "goldmine/mining/four_momentum.h"

#include <gtest/gtest.h>

#include <cmath>

namespace goldmine::mining {
namespace {

constexpr double kPi = 3.14159265358979323846;

TEST(FourMomentum, KinematicsOfAKnownVector) {
  const FourMomentum p(3.0, 4.0, 12.0, 20.0);
  EXPECT_DOUBLE_EQ(p.pt(), 5.0);
  EXPECT_DOUBLE_EQ(p.p(), 13.0);
  EXPECT_DOUBLE_EQ(p.m(), std::sqrt(400.0 - 169.0));
  EXPECT_DOUBLE_EQ(p.phi(), std::atan2(4.0, 3.0));
  EXPECT_DOUBLE_EQ(p.eta(), std::asinh(12.0 / 5.0));
  EXPECT_DOUBLE_EQ(p.theta(), std::atan2(5.0, 12.0));
  EXPECT_DOUBLE_EQ(p.rapidity(), 0.5 * std::log(32.0 / 8.0));
}

TEST(FourMomentum, TransverseMassIsRootStyleSqrtOfESquaredMinusPzSquared) {
  const FourMomentum p(3.0, 4.0, 12.0, 20.0);
  EXPECT_DOUBLE_EQ(p.mt(), std::sqrt(400.0 - 144.0));
  // Signed like ROOT for E < |pz|.
  EXPECT_DOUBLE_EQ(FourMomentum(0.0, 0.0, 5.0, 3.0).mt(), -4.0);
}

TEST(FourMomentum, NegativeMassSquaredGivesNegativeMass) {
  EXPECT_DOUBLE_EQ(FourMomentum(3.0, 4.0, 0.0, 3.0).m(), -4.0);
}

TEST(FourMomentum, PtEtaPhiMRoundTrips) {
  const FourMomentum p = FourMomentum::FromPtEtaPhiM(45.0, -1.3, 2.2, 4.7);
  EXPECT_NEAR(p.pt(), 45.0, 1e-12);
  EXPECT_NEAR(p.eta(), -1.3, 1e-12);
  EXPECT_NEAR(p.phi(), 2.2, 1e-12);
  EXPECT_NEAR(p.m(), 4.7, 1e-9);
  const FourMomentum q = FourMomentum::FromPtEtaPhiE(45.0, 0.4, -0.5, 100.0);
  EXPECT_NEAR(q.e(), 100.0, 1e-12);
  EXPECT_NEAR(q.eta(), 0.4, 1e-12);
}

TEST(FourMomentum, SumIsComponentwiseAndInvariantMassOfBackToBackPair) {
  const FourMomentum a(10.0, 0.0, 0.0, 10.0);
  const FourMomentum b(-10.0, 0.0, 0.0, 10.0);
  const FourMomentum sum = a + b;
  EXPECT_DOUBLE_EQ(sum.m(), 20.0);
  EXPECT_DOUBLE_EQ(sum.pt(), 0.0);
  EXPECT_DOUBLE_EQ((sum - b).px(), 10.0);
  EXPECT_DOUBLE_EQ((2.0 * a).e(), 20.0);
  EXPECT_DOUBLE_EQ((a * 3.0).px(), 30.0);
  EXPECT_DOUBLE_EQ((a / 2.0).e(), 5.0);
  EXPECT_DOUBLE_EQ((-a).px(), -10.0);
}

TEST(FourMomentum, MassIsLorentzInvariantUnderABoostAlongZ) {
  const FourMomentum p(12.0, -7.0, 30.0, 50.0);
  const double beta = 0.6;
  const double gamma = 1.0 / std::sqrt(1.0 - beta * beta);
  const FourMomentum boosted(p.px(),
                             p.py(),
                             gamma * (p.pz() - beta * p.e()),
                             gamma * (p.e() - beta * p.pz()));
  EXPECT_NEAR(boosted.m(), p.m(), 1e-10);
  EXPECT_NEAR(boosted.rapidity(), p.rapidity() - std::atanh(beta), 1e-12);
}

TEST(FourMomentum, DeltaPhiWrapsIntoMinusPiToPi) {
  const FourMomentum a = FourMomentum::FromPtEtaPhiM(10.0, 0.0, 3.0, 0.0);
  const FourMomentum b = FourMomentum::FromPtEtaPhiM(10.0, 0.0, -3.0, 0.0);
  EXPECT_NEAR(DeltaPhi(a, b), 6.0 - 2.0 * kPi, 1e-12);
  EXPECT_NEAR(DeltaPhi(b, a), 2.0 * kPi - 6.0, 1e-12);
  EXPECT_NEAR(DeltaPhi(a, a), 0.0, 1e-15);
}

TEST(FourMomentum, DeltaRCombinesEtaAndPhi) {
  const FourMomentum a = FourMomentum::FromPtEtaPhiM(10.0, 0.5, 0.1, 0.0);
  const FourMomentum b = FourMomentum::FromPtEtaPhiM(20.0, -0.3, 0.7, 0.0);
  EXPECT_NEAR(DeltaR(a, b), std::hypot(0.8, 0.6), 1e-12);
}

TEST(FourMomentum, EtaAlongTheBeamIsInfiniteAndZeroForTheZeroVector) {
  EXPECT_TRUE(std::isinf(FourMomentum(0.0, 0.0, 5.0, 5.0).eta()));
  EXPECT_GT(FourMomentum(0.0, 0.0, 5.0, 5.0).eta(), 0.0);
  EXPECT_EQ(FourMomentum().eta(), 0.0);
  EXPECT_EQ(FourMomentum().phi(), 0.0);
}

}  // namespace
}  // namespace goldmine::mining
