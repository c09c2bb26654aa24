#include "goldmine/inference/model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "goldmine/core/errors.h"
#include "support/finite_differences.h"

namespace goldmine::inference {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// Two channels (given in unsorted order) using every modifier type.
std::string AllModifiersWorkspace(const std::string& parameters) {
  return R"({"channels": [
    {"name": "sr", "samples": [
      {"name": "signal", "data": [5, 8],
       "modifiers": [{"name": "mu", "type": "normfactor", "data": null},
                     {"name": "lumi", "type": "lumi", "data": null},
                     {"name": "xs", "type": "normsys",
                      "data": {"lo": 0.9, "hi": 1.15}}]},
      {"name": "bkg", "data": [50, 40],
       "modifiers": [{"name": "jes", "type": "histosys",
                      "data": {"lo_data": [46, 41], "hi_data": [55, 43]}},
                     {"name": "jes", "type": "normsys",
                      "data": {"lo": 0.95, "hi": 1.03}},
                     {"name": "stat_sr", "type": "staterror", "data": [3, 2]},
                     {"name": "lumi", "type": "lumi", "data": null}]},
      {"name": "other", "data": [10, 0],
       "modifiers": [{"name": "stat_sr", "type": "staterror", "data": [1, 0]},
                     {"name": "unc", "type": "shapesys", "data": [2, 1]}]}]},
    {"name": "cr", "samples": [
      {"name": "bkg", "data": [100, 80, 60],
       "modifiers": [{"name": "shape", "type": "shapefactor", "data": null},
                     {"name": "jes", "type": "normsys",
                      "data": {"lo": 0.97, "hi": 1.02}}]}]}],
    "observations": [{"name": "sr", "data": [60, 47]},
                     {"name": "cr", "data": [104, 77, 61]}],
    "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": )" +
         parameters + R"(}}],
    "version": "1.0.0"})";
}

const char kLumiConfig[] =
    R"([{"name": "lumi", "inits": [1.0], "bounds": [[0.5, 1.5]],
         "auxdata": [1.0], "sigmas": [0.02]}])";

Model AllModifiersModel() {
  return Model(Workspace::FromJson(AllModifiersWorkspace(kLumiConfig)));
}

TEST(Model, OrdersParametersAsPyhf) {
  const Model model = AllModifiersModel();
  EXPECT_THAT(model.parameter_names(),
              ElementsAre("jes",
                          "lumi",
                          "mu",
                          "xs",
                          "shape[0]",
                          "shape[1]",
                          "shape[2]",
                          "unc[0]",
                          "unc[1]",
                          "stat_sr[0]",
                          "stat_sr[1]"));
  EXPECT_EQ(model.poi_index(), 2);
  EXPECT_EQ(model.num_main_bins(), 5);
  EXPECT_EQ(model.channels()[0].first, "cr");
  // Constrained sets in parameter order: jes, lumi, xs, unc[2], stat_sr[2].
  EXPECT_EQ(model.num_auxdata(), 7);
}

TEST(Model, AppliesStaterrorAndShapesysConventions) {
  const Model model = AllModifiersModel();
  const ParameterSet& stat = model.parameter_sets().back();
  EXPECT_EQ(stat.name, "stat_sr");
  EXPECT_NEAR(stat.widths[0], std::sqrt(9.0 + 1.0) / 60.0, 1e-15);
  EXPECT_NEAR(stat.widths[1], 2.0 / 40.0, 1e-15);
  const int unc = model.ParameterIndex("unc[0]");
  const ParameterSet& shapesys = model.parameter_sets()[5];
  EXPECT_EQ(shapesys.name, "unc");
  EXPECT_NEAR(shapesys.widths[0], 25.0, 1e-12);  // τ = (10/2)²
  EXPECT_FALSE(model.fixed()[unc]);
  EXPECT_TRUE(model.fixed()[unc + 1]);  // nominal 0: pinned
  EXPECT_EQ(model.lower_bounds()[model.ParameterIndex("lumi")], 0.5);
}

TEST(Model, TwiceNllOfOneBinIncludesAllConstants) {
  const Model model(Workspace::FromJson(R"({"channels": [{"name": "c",
      "samples": [{"name": "s", "data": [4],
        "modifiers": [{"name": "mu", "type": "normfactor", "data": null},
                      {"name": "a", "type": "normsys",
                       "data": {"lo": 0.8, "hi": 1.2}}]}]}],
      "observations": [{"name": "c", "data": [6]}],
      "measurements": [{"name": "m", "config": {"poi": "mu",
                        "parameters": []}}], "version": "1.0.0"})"));
  Eigen::VectorXd pars(2);
  pars << 1.5, 0.0;  // mu = 1.5, a = 0: ν = 6
  const double expected = -2 * (6 * std::log(6.0) - 6 - std::lgamma(7.0)) +
                          std::log(2 * std::acos(-1.0));
  EXPECT_NEAR(model.TwiceNll(pars, model.observed_data()), expected, 1e-12);
}

TEST(Model, GradientMatchesFiniteDifferences) {
  const Model model = AllModifiersModel();
  const Eigen::VectorXd data = model.observed_data();
  for (double shift : {0.3, 1.4, -1.7}) {
    Eigen::VectorXd pars = model.inits();
    for (int p = 0; p < model.num_parameters(); ++p) {
      const ParameterSet* set = nullptr;
      for (const ParameterSet& candidate : model.parameter_sets()) {
        if (p >= candidate.offset && p < candidate.offset + candidate.size) {
          set = &candidate;
        }
      }
      pars(p) += set->constraint == ConstraintType::kGaussian
                     ? shift * set->widths[p - set->offset]
                     : 0.05 * shift;
    }
    Eigen::VectorXd gradient;
    model.TwiceNll(pars, data, &gradient);
    const Eigen::MatrixXd numeric = goldmine::testing::FiniteDifferenceGradient(
        [&](const Eigen::VectorXd& x) {
          return Eigen::VectorXd::Constant(1, model.TwiceNll(x, data));
        },
        pars);
    EXPECT_TRUE(goldmine::testing::AllClose(gradient, numeric.col(0), 1e-5))
        << "shift " << shift;
  }
}

TEST(Model, RequiresLumiConfiguration) {
  EXPECT_THAT([] { Model(Workspace::FromJson(AllModifiersWorkspace("[]"))); },
              ThrowsMessage<InvalidInput>(HasSubstr(
                  "measurements[0].config.parameters: no configuration for "
                  "the lumi parameter")));
}

TEST(Model, RejectsOverrideWithWrongLength) {
  const std::string parameters =
      R"([{"name": "lumi", "inits": [1.0], "bounds": [[0.5, 1.5]],
           "auxdata": [1.0], "sigmas": [0.02]},
          {"name": "shape", "inits": [1.0, 1.0]}])";
  EXPECT_THAT(
      [&] { Model(Workspace::FromJson(AllModifiersWorkspace(parameters))); },
      ThrowsMessage<InvalidInput>(
          HasSubstr("measurements[0].config.parameters[1].inits: expected 3 "
                    "values (one per parameter of shapefactor \"shape\"), got "
                    "2")));
}

TEST(Model, RejectsSigmasForUnconstrainedParameter) {
  const std::string parameters =
      R"([{"name": "lumi", "inits": [1.0], "bounds": [[0.5, 1.5]],
           "auxdata": [1.0], "sigmas": [0.02]},
          {"name": "mu", "sigmas": [1.0]}])";
  EXPECT_THAT(
      [&] { Model(Workspace::FromJson(AllModifiersWorkspace(parameters))); },
      ThrowsMessage<InvalidInput>(
          HasSubstr("parameters[1].sigmas: not allowed for normfactor "
                    "\"mu\"")));
}

TEST(Model, RejectsUnknownPoi) {
  std::string text = AllModifiersWorkspace(kLumiConfig);
  text.replace(text.find("\"poi\": \"mu\""), 11, "\"poi\": \"nu\"");
  EXPECT_THAT([&] { Model(Workspace::FromJson(text)); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("measurements[0].config.poi: \"nu\" is not the "
                            "name of any modifier")));
}

}  // namespace
}  // namespace goldmine::inference
