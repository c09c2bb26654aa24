#include "goldmine/mining/event_analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "goldmine/core/errors.h"

namespace goldmine::mining {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

PhysicsObject Jet(double px, double py, double pz) {
  PhysicsObject jet;
  jet.momentum =
      FourMomentum(px, py, pz, std::sqrt(px * px + py * py + pz * pz));
  jet.pdg_id = 21;
  return jet;
}

// Two jets (pT 50 and 30), no leptons, MET 20 along x.
EventObjects TwoJetEvent() {
  EventObjects objects;
  objects.j = {Jet(50.0, 0.0, 0.0), Jet(0.0, -30.0, 10.0)};
  objects.met.momentum = FourMomentum(20.0, 0.0, 0.0, 20.0);
  return objects;
}

struct Result {
  bool kept;
  Eigen::VectorXd values;
  double efficiency;
};

Result AnalyseEvent(const EventAnalysis& analysis,
                    const EventObjects& objects) {
  Result result{false, Eigen::VectorXd::Zero(analysis.num_observables()), -1.0};
  result.kept = analysis.Analyse(objects, result.values, &result.efficiency);
  return result;
}

TEST(EventAnalysis, ObservablesAreEvaluatedInOrderAndMayUseEarlierOnes) {
  const EventAnalysis analysis(
      {{"pt_j1", "j[0].pt", true, std::nullopt},
       {"pt_j2", "j[1].pt", false, std::nullopt},
       {"ratio", "pt_j2 / pt_j1", false, std::nullopt}},
      {});
  const Result result = AnalyseEvent(analysis, TwoJetEvent());
  EXPECT_TRUE(result.kept);
  EXPECT_DOUBLE_EQ(result.values[0], 50.0);
  EXPECT_DOUBLE_EQ(result.values[1], 30.0);
  EXPECT_DOUBLE_EQ(result.values[2], 0.6);
  EXPECT_DOUBLE_EQ(result.efficiency, 1.0);
}

TEST(EventAnalysis, UndefinedRequiredObservableDropsTheEvent) {
  const EventAnalysis analysis({{"pt_j3", "j[2].pt", true, std::nullopt}}, {});
  EXPECT_FALSE(AnalyseEvent(analysis, TwoJetEvent()).kept);
}

TEST(EventAnalysis, UndefinedOptionalObservableTakesItsDefaultOrNaN) {
  const EventAnalysis analysis(
      {{"pt_j3", "j[2].pt", false, -1.0},
       {"eta_j3", "j[2].eta", false, std::nullopt},
       {"uses_default", "pt_j3 + 1", true, std::nullopt}},
      {});
  const Result result = AnalyseEvent(analysis, TwoJetEvent());
  EXPECT_TRUE(result.kept);
  EXPECT_DOUBLE_EQ(result.values[0], -1.0);
  EXPECT_TRUE(std::isnan(result.values[1]));
  EXPECT_DOUBLE_EQ(result.values[2], 0.0);
}

TEST(EventAnalysis, FailedCutDropsTheEventAndCutsMayUseObservables) {
  const std::vector<ObservableDefinition> observables = {
      {"pt_j1", "j[0].pt", true, std::nullopt}};
  EXPECT_TRUE(AnalyseEvent(EventAnalysis(observables, {{"pt_j1 > 40", false}}),
                           TwoJetEvent())
                  .kept);
  EXPECT_FALSE(AnalyseEvent(EventAnalysis(observables, {{"pt_j1 > 60", false}}),
                            TwoJetEvent())
                   .kept);
  EXPECT_FALSE(AnalyseEvent(EventAnalysis(observables,
                                          {{"met.pt > 10", false},
                                           {"n_jets >= 3", false}}),
                            TwoJetEvent())
                   .kept);
}

TEST(EventAnalysis, UndefinedCutPassesOnlyWhenAskedTo) {
  // MadMiner's pass_if_not_parsed ("required" in MADMINER.md §3).
  EXPECT_TRUE(
      AnalyseEvent(EventAnalysis({}, {{"j[2].pt > 10", true}}), TwoJetEvent())
          .kept);
  EXPECT_FALSE(
      AnalyseEvent(EventAnalysis({}, {{"j[2].pt > 10", false}}), TwoJetEvent())
          .kept);
}

TEST(EventAnalysis, CutOnNaNObservablePassesLikePythonTruthiness) {
  const EventAnalysis analysis({{"eta_j3", "j[2].eta", false, std::nullopt}},
                               {{"eta_j3", false}, {"not eta_j3 > 1", false}});
  EXPECT_TRUE(AnalyseEvent(analysis, TwoJetEvent()).kept);
}

TEST(EventAnalysis, EfficienciesMultiplyAndNonPositiveOnesDropTheEvent) {
  const std::vector<ObservableDefinition> observables = {
      {"pt_j1", "j[0].pt", true, std::nullopt}};
  const Result result = AnalyseEvent(
      EventAnalysis(observables,
                    {},
                    {{"0.5", 1.0}, {"pt_j1 / 100", 1.0}, {"j[5].pt", 0.8}}),
      TwoJetEvent());
  EXPECT_TRUE(result.kept);
  EXPECT_DOUBLE_EQ(result.efficiency, 0.5 * 0.5 * 0.8);
  EXPECT_FALSE(
      AnalyseEvent(EventAnalysis({}, {}, {{"0", 1.0}}), TwoJetEvent()).kept);
  EXPECT_FALSE(
      AnalyseEvent(EventAnalysis({}, {}, {{"j[5].pt", -1.0}}), TwoJetEvent())
          .kept);
}

TEST(EventAnalysis, ParseErrorsAreReportedAtConstruction) {
  EXPECT_THAT(
      [] {
        EventAnalysis({{"pt_W", "(l[0] met).pt", false, std::nullopt}}, {});
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("observable pt_W: column 7: expected ')', got 'met'")));
  EXPECT_THAT(
      [] {
        EventAnalysis({}, {{"met.pt >", false}, {"x", false}});
      },
      ThrowsMessage<InvalidInput>(HasSubstr("cut 1: column 9")));
  EXPECT_THAT(
      [] {
        EventAnalysis({}, {}, {{"foo", 1.0}});
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("efficiency 1: column 1: unknown name 'foo'")));
}

TEST(EventAnalysis, ObservablesCannotUseLaterOnesOrReservedOrDuplicateNames) {
  EXPECT_THAT(
      [] {
        EventAnalysis({{"a1", "b1 + 1", false, std::nullopt},
                       {"b1", "1", false, std::nullopt}},
                      {});
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("observable a1: column 1: unknown name 'b1'")));
  EXPECT_THAT(
      [] {
        EventAnalysis({{"met", "1", false, std::nullopt}}, {});
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("observable met: the name is reserved")));
  EXPECT_THAT(
      [] {
        EventAnalysis(
            {{"x", "1", false, std::nullopt}, {"x", "2", false, std::nullopt}},
            {});
      },
      ThrowsMessage<InvalidInput>(HasSubstr("observable x is defined twice")));
  EXPECT_THAT(
      [] {
        EventAnalysis({{"2x", "1", false, std::nullopt}}, {});
      },
      ThrowsMessage<InvalidInput>(HasSubstr("observable \"2x\"")));
}

TEST(EventAnalysisDefaults, MatchMadMinerNamesAndOrder) {
  const std::vector<ObservableDefinition> definitions =
      DefaultObservables({1, 0, 1, true, true, true, false});
  std::vector<std::string> names;
  for (const ObservableDefinition& definition : definitions)
    names.push_back(definition.name);
  EXPECT_THAT(names,
              ElementsAre("et_miss",
                          "phi_miss",
                          "e_visible",
                          "eta_visible",
                          "n_ls",
                          "e_l1",
                          "pt_l1",
                          "eta_l1",
                          "phi_l1",
                          "n_as",
                          "n_js",
                          "e_j1",
                          "pt_j1",
                          "eta_j1",
                          "phi_j1"));
  EXPECT_TRUE(definitions[0].required);
  EXPECT_FALSE(definitions[5].required);
  EXPECT_EQ(definitions[5].default_value, 0.0);

  const EventAnalysis analysis(definitions, {});
  const Result result = AnalyseEvent(analysis, TwoJetEvent());
  EXPECT_TRUE(result.kept);
  EXPECT_DOUBLE_EQ(result.values[0], 20.0);  // et_miss
  EXPECT_DOUBLE_EQ(result.values[4], 0.0);   // n_ls
  EXPECT_DOUBLE_EQ(result.values[6], 0.0);   // pt_l1 default
  EXPECT_DOUBLE_EQ(result.values[10], 2.0);  // n_js
  EXPECT_DOUBLE_EQ(result.values[12], 50.0);
}

TEST(EventAnalysisDefaults, LeptonChargeOnRequest) {
  DefaultObservableOptions options;
  options.include_lepton_charge = true;
  int charges = 0;
  for (const ObservableDefinition& definition : DefaultObservables(options)) {
    charges += definition.name.rfind("charge_l", 0) == 0 ? 1 : 0;
  }
  EXPECT_EQ(charges, 2);
  EXPECT_EQ(DefaultObservables().size(), 4u + 3u * (1u + 2u * 4u));
}

}  // namespace
}  // namespace goldmine::mining
