// `goldmine eft-workspace` in the library: its --grid syntax, the match of
// the grid axes with the events file's parameters, and the study (Asimov
// counts at θ_true, profile on the grid, documents).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/inference/eft_workspace_export.h"
#include "goldmine/inference/limits/theta_grid.h"
#include "inference/eft_test_models.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::ThrowsMessage;

TEST(ParseGridAxes, ReadsOneAxisPerPartInOrder) {
  const std::vector<GridAxis> axes = ParseGridAxes("c2:-1:1:5,c1:0.5:0.5:1");
  ASSERT_EQ(axes.size(), 2u);
  EXPECT_EQ(axes[0].name, "c2");
  EXPECT_EQ(axes[0].lower, -1.0);
  EXPECT_EQ(axes[0].upper, 1.0);
  EXPECT_EQ(axes[0].size, 5);
  EXPECT_EQ(axes[1].name, "c1");
  EXPECT_EQ(axes[1].lower, 0.5);
  EXPECT_EQ(axes[1].size, 1);
  EXPECT_TRUE(ParseGridAxes("").empty());
}

TEST(ParseGridAxes, MessagesQuoteTheTextAndThePart) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"c1:0.5:-0.5:3,c2:-0.5:0.5:3",
       "--grid c1:0.5:-0.5:3,c2:-0.5:0.5:3: \"c1:0.5:-0.5:3\": LO must be "
       "below HI"},
      {"c1:-1:1:0",
       "--grid c1:-1:1:0: \"c1:-1:1:0\": N must be a positive "
       "integer"},
      {"c1:-1:1:2.5",
       "--grid c1:-1:1:2.5: \"c1:-1:1:2.5\": N must be a "
       "positive integer"},
      {"c1:0:0:2", "--grid c1:0:0:2: \"c1:0:0:2\": LO must be below HI"},
      {":0:1:3", "--grid :0:1:3: \":0:1:3\": expected NAME:LO:HI:N"},
      {"c1:0:1", "--grid c1:0:1: \"c1:0:1\": expected NAME:LO:HI:N"},
      {"c1:x:1:3",
       "--grid c1:x:1:3: \"c1:x:1:3\": \"x\" is not a finite number"},
      {"c1:0:inf:3",
       "--grid c1:0:inf:3: \"c1:0:inf:3\": \"inf\" is not a finite number"},
  };
  for (const auto& entry : cases) {
    const std::string& text = entry.first;
    EXPECT_THAT([&] { ParseGridAxes(text); },
                ThrowsMessage<InvalidInput>(entry.second))
        << text;
  }
}

TEST(RequireGridAxesMatchParameters, NeedsOneAxisPerParameterInOrder) {
  const std::vector<std::string> names = {"c1", "c2"};
  RequireGridAxesMatchParameters(
      ParseGridAxes("c1:0:1:2,c2:0:1:2"), names, "G", "f.h5");
  EXPECT_THAT(
      [&] {
        RequireGridAxesMatchParameters(
            ParseGridAxes("c1:0:1:2"), names, "c1:0:1:2", "f.h5");
      },
      ThrowsMessage<InvalidInput>(
          "--grid c1:0:1:2: expected 2 axes, one per parameter of f.h5"));
  EXPECT_THAT(
      [&] {
        RequireGridAxesMatchParameters(
            ParseGridAxes("c2:0:1:2,c1:0:1:2"), names, "G", "f.h5");
      },
      ThrowsMessage<InvalidInput>("--grid: axis 1 is \"c2\"; f.h5 has "
                                  "parameters [c1, c2] (in this order)"));
}

// One bin, ν(θ) = L (1 + 0.5 θ + 0.3 θ²), no nuisance parameter: the
// profile is the Poisson likelihood of the Asimov count n = ν(θ_true).
TEST(EftWorkspaceStudy, ProfilesTheAsimovCountsAtTheTruth) {
  BinnedEftOptions options;
  options.luminosity = 10.0;
  const Eigen::VectorXd theta_true = Eigen::VectorXd::Constant(1, 0.5);
  const EftWorkspaceStudy study(
      testing::OneBinInput(), theta_true, options, ParseGridAxes("c_w:-1:1:3"));
  const double n = 10.0 * (1.0 + 0.25 + 0.075);
  ASSERT_EQ(study.asimov_counts().size(), 1);
  EXPECT_DOUBLE_EQ(study.asimov_counts()(0), n);
  EXPECT_EQ(study.model().options().staterror_theta, theta_true);
  ASSERT_EQ(study.grid().rows(), 3);
  EXPECT_EQ(study.grid()(0, 0), -1.0);
  EXPECT_EQ(study.grid()(2, 0), 1.0);

  const EftWorkspaceDocuments documents = study.Run({}, kNoHepDataRecord);
  // −2 ln L = 2 (ν − n ln ν) + const at ν = 8, 10, 18: the minimum is at
  // θ = 0 (ν = 10).
  const auto twice_nll = [n](double nu) {
    return 2.0 * (nu - n * std::log(nu));
  };
  EXPECT_EQ(documents.profile.best_index, 1);
  EXPECT_NEAR(documents.profile.minus_two_delta_log_l(0),
              twice_nll(8.0) - twice_nll(10.0),
              1e-9);
  EXPECT_NEAR(documents.profile.minus_two_delta_log_l(2),
              twice_nll(18.0) - twice_nll(10.0),
              1e-9);
  EXPECT_THAT(documents.patchset, HasSubstr("\"point_2\""));
  EXPECT_THAT(documents.patchset, HasSubstr(kNoHepDataRecord));
  EXPECT_THAT(documents.workspace, Not(HasSubstr("\"morphing\"")));
  EXPECT_THAT(documents.extended_workspace, HasSubstr("\"morphing\""));
}

TEST(EftWorkspaceStudy, RejectsNegativeExpectedCountsAtTheTruth) {
  // ν(θ) = L (1 − θ²) < 0 at θ = 2.
  Eigen::MatrixXd yields(1, 3);
  yields << 1.0, 0.0, -1.0;
  EXPECT_THAT(
      [&] {
        EftWorkspaceStudy(testing::QuadraticInput(yields),
                          Eigen::VectorXd::Constant(1, 2.0),
                          BinnedEftOptions(),
                          ParseGridAxes("c_w:-1:1:3"));
      },
      ThrowsMessage<InvalidInput>(
          "--theta-true: the expected counts are negative in some bin; "
          "choose a physical point"));
}

}  // namespace
}  // namespace goldmine::inference
