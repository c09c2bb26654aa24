#include "goldmine/mining/expression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "goldmine/core/errors.h"

namespace goldmine::mining {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

PhysicsObject Object(double px, double py, double pz, double e, int pdg_id) {
  PhysicsObject object;
  object.momentum = FourMomentum(px, py, pz, e);
  object.pdg_id = pdg_id;
  object.charge = PdgCharge(pdg_id);
  object.b_tag = std::abs(pdg_id) == 5;
  return object;
}

// Two b jets, one electron, MET; collections already sorted by pT.
EventObjects HandMadeEvent() {
  EventObjects objects;
  const PhysicsObject b1 =
      Object(60.0, 0.0, 20.0, std::sqrt(3600.0 + 400.0), 5);
  const PhysicsObject b2 = Object(0.0, -40.0, -30.0, 50.0, -5);
  const PhysicsObject electron = Object(-30.0, 0.0, 40.0, 50.0, 11);
  objects.j = {b1, b2};
  objects.b = {b1, b2};
  objects.e = {electron};
  objects.l = {electron};
  objects.p = {b1, b2, electron};
  objects.met.momentum = FourMomentum(-30.0, 40.0, 0.0, 50.0);
  objects.visible = b1.momentum + b2.momentum + electron.momentum;
  objects.n_particles = 7;
  return objects;
}

double Eval(const std::string& text) {
  const std::optional<double> value =
      Expression(text).Evaluate(HandMadeEvent());
  EXPECT_TRUE(value.has_value()) << text;
  return value.value_or(std::nan(""));
}

bool Undefined(const std::string& text) {
  return !Expression(text).Evaluate(HandMadeEvent()).has_value();
}

TEST(Expression, ArithmeticFollowsPythonPrecedence) {
  EXPECT_EQ(Expression("1 + 2 * 3").Canonical(), "(1 + (2 * 3))");
  EXPECT_EQ(Expression("1 - 2 - 3").Canonical(), "((1 - 2) - 3)");
  EXPECT_EQ(Expression("8 / 4 / 2").Canonical(), "((8 / 4) / 2)");
  EXPECT_EQ(Expression("2 ** 3 ** 2").Canonical(), "(2 ** (3 ** 2))");
  EXPECT_EQ(Expression("-2 ** 2").Canonical(), "(-(2 ** 2))");
  EXPECT_EQ(Expression("2 ^ -1").Canonical(), "(2 ** (-1))");
  EXPECT_EQ(Expression("(1 + 2) * 3").Canonical(), "((1 + 2) * 3)");
  EXPECT_DOUBLE_EQ(Eval("1 + 2 * 3"), 7.0);
  EXPECT_DOUBLE_EQ(Eval("1 - 2 - 3"), -4.0);
  EXPECT_DOUBLE_EQ(Eval("2 ** 3 ** 2"), 512.0);
  EXPECT_DOUBLE_EQ(Eval("-2 ** 2"), -4.0);
  EXPECT_DOUBLE_EQ(Eval("2 ^ -1"), 0.5);
  EXPECT_DOUBLE_EQ(Eval("1.5e1 + .5"), 15.5);
}

TEST(Expression, LogicBindsLooserThanComparisons) {
  EXPECT_EQ(Expression("not 1 < 2 and 3 > 4 or 5 == 5").Canonical(),
            "(((not (1 < 2)) and (3 > 4)) or (5 == 5))");
  EXPECT_EQ(Expression("1 < 2 && !(3 >= 4) || 0").Canonical(),
            "(((1 < 2) and (not (3 >= 4))) or 0)");
  EXPECT_DOUBLE_EQ(Eval("not 1 < 2 and 3 > 4 or 5 == 5"), 1.0);
  EXPECT_DOUBLE_EQ(Eval("1 != 1 or 0"), 0.0);
}

TEST(Expression, ComparisonsChainLikePython) {
  EXPECT_EQ(Expression("1 < 2 < 3").Canonical(), "(1 < 2 < 3)");
  EXPECT_DOUBLE_EQ(Eval("1 < 2 < 3"), 1.0);
  EXPECT_DOUBLE_EQ(Eval("1 < 3 < 2"), 0.0);
  EXPECT_DOUBLE_EQ(Eval("3 > 2 >= 2"), 1.0);
}

TEST(Expression, MathFunctionsAndConstants) {
  EXPECT_DOUBLE_EQ(Eval("sqrt(16)"), 4.0);
  EXPECT_DOUBLE_EQ(Eval("abs(-3)"), 3.0);
  EXPECT_DOUBLE_EQ(Eval("atan2(1, 1)"), std::atan2(1.0, 1.0));
  EXPECT_DOUBLE_EQ(Eval("min(3, 1, 2) + max(3, 1, 2)"), 4.0);
  EXPECT_DOUBLE_EQ(Eval("pow(2, 10)"), 1024.0);
  EXPECT_DOUBLE_EQ(Eval("cos(pi)"), -1.0);
  EXPECT_DOUBLE_EQ(Eval("log(exp(2))"), 2.0);
  EXPECT_DOUBLE_EQ(Eval("cosh(0) + sinh(0) + tanh(0) + tan(0) + sin(0)"), 1.0);
}

TEST(Expression, ObjectAttributesMatchHandComputedValues) {
  EXPECT_DOUBLE_EQ(Eval("l[0].pt"), 30.0);
  EXPECT_DOUBLE_EQ(Eval("e[0].charge"), -1.0);
  EXPECT_DOUBLE_EQ(Eval("j[1].pdgid"), -5.0);
  EXPECT_DOUBLE_EQ(Eval("b[0].b_tag"), 1.0);
  EXPECT_DOUBLE_EQ(Eval("met.pt"), 50.0);
  EXPECT_DOUBLE_EQ(Eval("met.phi()"), std::atan2(40.0, -30.0));
  EXPECT_DOUBLE_EQ(Eval("p[2].eta"), std::asinh(40.0 / 30.0));
  EXPECT_DOUBLE_EQ(Eval("j[1].theta"), std::atan2(40.0, -30.0));
  EXPECT_DOUBLE_EQ(Eval("j[-1].py"), -40.0);
  EXPECT_DOUBLE_EQ(Eval("j[0].px + j[0].py + j[0].pz"), 80.0);
  EXPECT_DOUBLE_EQ(Eval("l[0].e"), 50.0);
  EXPECT_DOUBLE_EQ(Eval("l[0].m"), 0.0);
  EXPECT_DOUBLE_EQ(Eval("n_particles"), 7.0);
}

TEST(Expression, SumsOfObjectsGiveInvariantAndRootStyleTransverseMasses) {
  const FourMomentum b1(60.0, 0.0, 20.0, std::sqrt(4000.0));
  const FourMomentum b2(0.0, -40.0, -30.0, 50.0);
  EXPECT_DOUBLE_EQ(Eval("(j[0] + j[1]).m"), (b1 + b2).m());
  // (l + met).mt = sqrt((E_l + |MET|)^2 - pz_l^2), the 1908.06980 quirk.
  EXPECT_DOUBLE_EQ(Eval("(l[0] + met).mt"),
                   std::sqrt(100.0 * 100.0 - 40.0 * 40.0));
  EXPECT_DOUBLE_EQ(
      Eval("(j[0] + j[1] + l[0] + met).mt"),
      std::sqrt(std::pow(std::sqrt(4000.0) + 50.0 + 50.0 + 50.0, 2) -
                std::pow(20.0 - 30.0 + 40.0, 2)));
  EXPECT_DOUBLE_EQ(Eval("(j[0] - j[0]).e"), 0.0);
  EXPECT_DOUBLE_EQ(Eval("(2 * l[0]).pt"), 60.0);
  EXPECT_DOUBLE_EQ(Eval("sum(j).px"), 60.0);
  EXPECT_DOUBLE_EQ(Eval("visible.py"), -40.0);
  EXPECT_DOUBLE_EQ(Eval("all.px"), 0.0);
}

TEST(Expression, DeltaFunctionsAndMethods) {
  const FourMomentum b1(60.0, 0.0, 20.0, std::sqrt(4000.0));
  const FourMomentum b2(0.0, -40.0, -30.0, 50.0);
  EXPECT_DOUBLE_EQ(Eval("deltaR(b[0], b[1])"), DeltaR(b1, b2));
  EXPECT_DOUBLE_EQ(Eval("b[0].deltaR(b[1])"), DeltaR(b1, b2));
  EXPECT_DOUBLE_EQ(
      Eval("deltaphi(l[0], met)"),
      DeltaPhi(FourMomentum(-30, 0, 40, 50), FourMomentum(-30, 40, 0, 50)));
  EXPECT_NEAR(Eval("abs(l[0].deltaphi(met))"),
              std::acos(-1.0) - std::atan2(40.0, -30.0),
              1e-12);
  EXPECT_DOUBLE_EQ(Eval("deltaeta(j[0], j[1])"), b1.eta() - b2.eta());
}

TEST(Expression, CountsOfCollections) {
  EXPECT_DOUBLE_EQ(Eval("len(j)"), 2.0);
  EXPECT_DOUBLE_EQ(Eval("n_jets + n_bjets + n_leptons + n_electrons"), 6.0);
  EXPECT_DOUBLE_EQ(Eval("n_muons + n_photons + n_taus + n_neutrinos + len(mu)"),
                   0.0);
}

TEST(Expression, OutOfRangeIndexAndDomainErrorsAreUndefined) {
  EXPECT_TRUE(Undefined("j[2].pt"));
  EXPECT_TRUE(Undefined("j[-3].pt"));
  EXPECT_TRUE(Undefined("mu[0].pt"));
  EXPECT_TRUE(Undefined("j[0.5].pt"));
  EXPECT_TRUE(Undefined("(j[0] + j[2]).m"));
  EXPECT_TRUE(Undefined("1 / 0"));
  EXPECT_TRUE(Undefined("sqrt(-1)"));
  EXPECT_TRUE(Undefined("log(0)"));
  EXPECT_TRUE(Undefined("1 + mu[0].pt > 3"));
}

TEST(Expression, AndOrShortCircuitOverUndefinedOperands) {
  EXPECT_DOUBLE_EQ(Eval("len(j) >= 3 and j[2].pt > 30"), 0.0);
  EXPECT_DOUBLE_EQ(Eval("len(j) >= 2 or j[2].pt > 30"), 1.0);
  EXPECT_TRUE(Undefined("len(j) >= 2 and j[2].pt > 30"));
}

TEST(Expression, ObservableNamesEvaluateToTheirValues) {
  const Expression expression("pt_W / 2 + m_bb", {"pt_W", "m_bb"}, "cut 1");
  const double values[] = {40.0, 125.0};
  EXPECT_DOUBLE_EQ(*expression.Evaluate(HandMadeEvent(), values), 145.0);
}

TEST(Expression, SyntaxErrorNamesLabelColumnAndExpectation) {
  EXPECT_THAT([] { Expression("(l[0] met).pt", {}, "observable pt_W"); },
              ThrowsMessage<InvalidInput>(HasSubstr(
                  "observable pt_W: column 7: expected ')', got 'met'")));
  EXPECT_THAT(
      [] { Expression("1 +", {}, "cut 2"); },
      ThrowsMessage<InvalidInput>(HasSubstr(
          "cut 2: column 4: expected a number, a name or '(', got end of "
          "expression")));
  EXPECT_THAT([] { Expression("j[0].pt $ 3"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("column 9: unexpected character '$'")));
  EXPECT_THAT([] { Expression("sqrt(4"); },
              ThrowsMessage<InvalidInput>(HasSubstr(
                  "column 7: expected ',' or ')', got end of expression")));
  EXPECT_THAT(
      [] { Expression("1 2"); },
      ThrowsMessage<InvalidInput>(HasSubstr(
          "column 3: expected an operator or end of expression, got '2'")));
}

// 844 '(' overflowed the stack of the recursive parser (fuzz finding,
// tests/regression_inputs/expression/); every recursive rule counts its
// nesting, and an expression has at most 4096 tokens.
TEST(Expression, DeepNestingIsRefusedNotACrash) {
  const std::string parentheses =
      std::string(100000, '(') + "1" + std::string(100000, ')');
  EXPECT_THAT([&] { Expression(parentheses, {}, "observable deep"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("observable deep: 200002 tokens; an expression "
                            "may have at most 4096")));
  for (const std::string prefix : {"(", "-", "not ", "sqrt("}) {
    std::string nested;
    for (int i = 0; i < 1000; ++i) nested += prefix;
    EXPECT_THAT([&] { Expression(nested + "1", {}, "cut 0"); },
                ThrowsMessage<InvalidInput>(
                    HasSubstr("nesting deeper than 600 levels")))
        << prefix;
  }
  std::string power = "2";
  for (int i = 0; i < 1000; ++i) power += "**1";
  EXPECT_THAT(
      [&] { Expression(power, {}, "cut 1"); },
      ThrowsMessage<InvalidInput>(HasSubstr("nesting deeper than 600 levels")));
  std::string fine;
  for (int i = 0; i < 100; ++i) fine += "(";
  fine += "1";
  for (int i = 0; i < 100; ++i) fine += ")";
  EXPECT_EQ(Expression(fine).Evaluate(EventObjects{}, nullptr).value_or(0.0),
            1.0);
}

TEST(Expression, ErrorMessagesQuoteTheExpression) {
  EXPECT_THAT(
      [] { Expression("(l[0] met).pt", {}, "observable pt_W"); },
      ThrowsMessage<InvalidInput>(HasSubstr("got 'met' in \"(l[0] met).pt\"")));
}

TEST(Expression, UnknownNamesAndAttributesAreReportedWithTheirColumn) {
  EXPECT_THAT([] { Expression("jets[0].pt", {}, "observable x"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("observable x: column 1: unknown name 'jets'")));
  EXPECT_THAT([] { Expression("j[0].ptt"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("column 6: unknown attribute 'ptt'")));
  EXPECT_THAT([] { Expression("squirt(2)"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("column 1: unknown function 'squirt'")));
}

TEST(Expression, TypeErrorsAreCaughtWhileParsing) {
  EXPECT_THAT(
      [] { Expression("j[0] + 1"); },
      ThrowsMessage<InvalidInput>(HasSubstr(
          "column 6: '+' needs two numbers or two objects, got an object "
          "and a number")));
  EXPECT_THAT([] { Expression("j[0]"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("expected a number, got an object")));
  EXPECT_THAT([] { Expression("met[0].pt"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("column 4: '[' needs a collection")));
  EXPECT_THAT(
      [] { Expression("len(met)"); },
      ThrowsMessage<InvalidInput>(HasSubstr(
          "column 5: len() argument 1 needs a collection, got an object")));
  EXPECT_THAT([] { Expression("atan2(1)"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("atan2() takes 2 arguments, got 1")));
  EXPECT_THAT(
      [] { Expression("j.pt"); },
      ThrowsMessage<InvalidInput>(HasSubstr("attribute 'pt' needs an object")));
}

}  // namespace
}  // namespace goldmine::mining
