#include "goldmine/estimators/training_samples.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goldmine/core/errors.h"

namespace goldmine::estimators {
namespace {

using ::testing::ElementsAre;
using ::testing::ThrowsMessage;

// Three samples of a `goldmine augment ratio` file with one parameter "a",
// one nuisance parameter "nu" (a second score column) and one observable.
mining::SampleData RatioSamples() {
  mining::SampleData samples;
  samples.method = "ratio";
  samples.parameters = {"a"};
  samples.nuisance_parameters = {"nu"};
  samples.observables = {"pt"};
  samples.x = Eigen::MatrixXd{{1.0}, {2.0}, {3.0}};
  samples.theta0 = Eigen::MatrixXd{{0.1}, {0.2}, {0.3}};
  samples.theta1 = Eigen::MatrixXd{{0.5}, {0.5}, {0.5}};
  samples.y = Eigen::MatrixXd{{0.0}, {1.0}, {0.0}};
  samples.r_xz = Eigen::MatrixXd{{1.5}, {0.5}, {2.5}};
  samples.t_xz = Eigen::MatrixXd{{10.0, 11.0}, {20.0, 21.0}, {30.0, 31.0}};
  return samples;
}

TEST(ToTrainingData, ScoreMethodsLearnEveryScoreColumnNuisanceLast) {
  mining::SampleData samples = RatioSamples();
  samples.method = "local";
  const TrainingData data =
      ToTrainingData(samples, Method::kSally, false, "s.h5");
  EXPECT_EQ(data.x, samples.x);
  EXPECT_EQ(data.t_xz, samples.t_xz);
  EXPECT_THAT(data.parameter_names, ElementsAre("a", "nu"));
  EXPECT_THAT(data.observable_names, ElementsAre("pt"));
  EXPECT_EQ(data.theta0.size(), 0);
  EXPECT_EQ(data.r_xz.size(), 0);
}

TEST(ToTrainingData, AlicesTakesTheJointRatioAndThePhysicsScoreColumns) {
  const mining::SampleData samples = RatioSamples();
  const TrainingData data =
      ToTrainingData(samples, Method::kAlices, false, "s.h5");
  EXPECT_EQ(data.theta0, samples.theta0);
  EXPECT_EQ(data.y, samples.y);
  EXPECT_EQ(data.r_xz, samples.r_xz);
  // Only the column of "a"; the nuisance column is not a θ0 derivative.
  EXPECT_EQ(data.t_xz, (Eigen::MatrixXd{{10.0}, {20.0}, {30.0}}));
  EXPECT_THAT(data.parameter_names, ElementsAre("a"));
  // Single-parameterized: θ1 is not an input.
  EXPECT_EQ(data.theta1.size(), 0);
}

TEST(ToTrainingData, CarlNeedsNeitherJointRatioNorJointScore) {
  mining::SampleData samples = RatioSamples();
  samples.r_xz.resize(0, 0);
  samples.t_xz.resize(0, 0);
  const TrainingData data =
      ToTrainingData(samples, Method::kCarl, true, "s.h5");
  EXPECT_EQ(data.theta1, samples.theta1);
  EXPECT_EQ(data.r_xz.size(), 0);
  EXPECT_EQ(data.t_xz.size(), 0);
}

TEST(ToTrainingData, AMissingColumnIsNamedWithTheModeThatDrawsIt) {
  mining::SampleData samples = RatioSamples();
  samples.t_xz.resize(0, 0);
  EXPECT_THAT([&] { ToTrainingData(samples, Method::kSally, false, "s.h5"); },
              ThrowsMessage<InvalidInput>(
                  "s.h5: no t_xz (a 'ratio' sample); sally needs it: draw the "
                  "samples with `goldmine augment local`"));
  samples = RatioSamples();
  samples.r_xz.resize(0, 0);
  EXPECT_THAT([&] { ToTrainingData(samples, Method::kRascal, false, "s.h5"); },
              ThrowsMessage<InvalidInput>(
                  "s.h5: no r_xz (a 'ratio' sample); rascal needs it: draw "
                  "the samples with `goldmine augment ratio`"));
  samples = RatioSamples();
  samples.method = "local";
  samples.theta0.resize(0, 0);
  EXPECT_THAT([&] { ToTrainingData(samples, Method::kCarl, false, "s.h5"); },
              ThrowsMessage<InvalidInput>(
                  "s.h5: no theta0 (a 'local' sample); carl needs it: draw "
                  "the samples with `goldmine augment ratio`"));
}

TEST(ToTrainingData, DoubleParameterizedScoreTermsNeedTheScoreAtTheta1) {
  const mining::SampleData samples = RatioSamples();
  EXPECT_THAT([&] { ToTrainingData(samples, Method::kAlices, true, "s.h5"); },
              ThrowsMessage<InvalidInput>(
                  "s.h5: no t_xz1 (a 'ratio' sample); alices needs it: "
                  "double-parameterized score-augmented training needs the "
                  "score at theta1; draw the samples with `goldmine augment "
                  "more-ratios`"));
  mining::SampleData more = samples;
  more.t_xz1 = Eigen::MatrixXd{{40.0, 41.0}, {50.0, 51.0}, {60.0, 61.0}};
  const TrainingData data = ToTrainingData(more, Method::kAlices, true, "s.h5");
  EXPECT_EQ(data.t_xz1, (Eigen::MatrixXd{{40.0}, {50.0}, {60.0}}));
}

TEST(ToTrainingData, FewerScoreColumnsThanParametersAreRejected) {
  mining::SampleData samples = RatioSamples();
  samples.theta0 =
      Eigen::MatrixXd{{0.1, 0.1, 0.1}, {0.2, 0.2, 0.2}, {0.3, 0.3, 0.3}};
  EXPECT_THAT(
      [&] { ToTrainingData(samples, Method::kCascal, false, "s.h5"); },
      ThrowsMessage<InvalidInput>("s.h5: t_xz has 2 columns, theta0 has 3"));
}

// A one-parameter quadratic morphing: components a^0, a^1, a^2 and a 3 × 3
// matrix whose entries are only told apart by their position.
mining::MadminerSetup QuadraticSetup() {
  mining::MadminerSetup setup;
  setup.parameters.resize(1);
  setup.parameters[0].name = "a";
  mining::MadminerMorphing morphing;
  morphing.components = Eigen::MatrixXi{{0}, {1}, {2}};
  morphing.morphing_matrix =
      Eigen::MatrixXd{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}, {7.0, 8.0, 9.0}};
  setup.morphing = morphing;
  return setup;
}

TEST(MorphingStructureOf, CopiesComponentsAndMatrixAndTakesTheta1AsReference) {
  const MorphingStructure structure = MorphingStructureOf(
      QuadraticSetup(), "e.h5", RatioSamples(), false, "s.h5");
  EXPECT_EQ(structure.components,
            (std::vector<std::vector<int>>{{0}, {1}, {2}}));
  EXPECT_EQ(structure.matrix,
            (std::vector<std::vector<double>>{
                {1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}, {7.0, 8.0, 9.0}}));
  EXPECT_THAT(structure.reference, ElementsAre(0.5));
  EXPECT_TRUE(structure.quadratic());

  const MorphingStructure double_parameterized = MorphingStructureOf(
      QuadraticSetup(), "e.h5", RatioSamples(), true, "s.h5");
  EXPECT_TRUE(double_parameterized.reference.empty());
}

TEST(MorphingStructureOf, RejectsSetupsThatDoNotFitTheSamples) {
  mining::MadminerSetup no_morphing = QuadraticSetup();
  no_morphing.morphing.reset();
  EXPECT_THAT(
      [&] {
        MorphingStructureOf(no_morphing, "e.h5", RatioSamples(), false, "s.h5");
      },
      ThrowsMessage<InvalidInput>(
          "e.h5: no morphing/ group; --morphing-aware needs the events or "
          "setup file of a morphing setup"));

  mining::MadminerSetup two = QuadraticSetup();
  two.parameters.resize(2);
  two.parameters[1].name = "b";
  EXPECT_THAT(
      [&] { MorphingStructureOf(two, "e.h5", RatioSamples(), false, "s.h5"); },
      ThrowsMessage<InvalidInput>(
          "e.h5: parameters (a, b) differ from those of s.h5 (a)"));

  mining::SampleData no_theta1 = RatioSamples();
  no_theta1.theta1.resize(0, 0);
  EXPECT_THAT(
      [&] {
        MorphingStructureOf(QuadraticSetup(), "e.h5", no_theta1, false, "s.h5");
      },
      ThrowsMessage<InvalidInput>(
          "s.h5: no theta1; a morphing-aware network needs the denominator "
          "of `goldmine augment ratio`"));

  mining::SampleData varying = RatioSamples();
  varying.theta1(2, 0) = 0.25;
  EXPECT_THAT(
      [&] {
        MorphingStructureOf(QuadraticSetup(), "e.h5", varying, false, "s.h5");
      },
      ThrowsMessage<InvalidInput>(
          "s.h5: theta1 row 2 differs from row 0; a single-parameterized "
          "network has one theta1 (add --double-parameterized)"));
}

}  // namespace
}  // namespace goldmine::estimators
