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

void ExpectGradientMatchesFiniteDifferences(const ModelOptions& options) {
  const Model model(Workspace::FromJson(AllModifiersWorkspace(kLumiConfig)),
                    options);
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
        << "shift " << shift << ", " << options.Description();
  }
}

constexpr InterpolationCode kCodes[] = {InterpolationCode::kCode0,
                                        InterpolationCode::kCode1,
                                        InterpolationCode::kCode2,
                                        InterpolationCode::kCode4,
                                        InterpolationCode::kCode4p};

TEST(Model, GradientMatchesFiniteDifferences) {
  ExpectGradientMatchesFiniteDifferences({});
}

TEST(Model, GradientMatchesFiniteDifferencesForEveryInterpolationCode) {
  for (InterpolationCode normsys : kCodes) {
    for (InterpolationCode histosys : kCodes) {
      ModelOptions options;
      options.normsys_code = normsys;
      options.histosys_code = histosys;
      ExpectGradientMatchesFiniteDifferences(options);
    }
  }
}

TEST(Model, GradientMatchesFiniteDifferencesWithClipping) {
  ModelOptions options;
  options.clip_sample_data = 1.0;  // clips "other" in sr bin 1 (nominal 0)
  options.clip_bin_data = 0.5;
  ExpectGradientMatchesFiniteDifferences(options);
}

// One bin: signal μ·s with a normsys, background with a histosys.
std::string OneBinSystematics() {
  return R"({"channels": [{"name": "c", "samples": [
      {"name": "sig", "data": [4], "modifiers": [
         {"name": "mu", "type": "normfactor", "data": null},
         {"name": "ns", "type": "normsys", "data": {"lo": 0.8, "hi": 1.3}}]},
      {"name": "bkg", "data": [20], "modifiers": [
         {"name": "hs", "type": "histosys",
          "data": {"lo_data": [17], "hi_data": [24]}}]}]}],
    "observations": [{"name": "c", "data": [25]}],
    "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
    "version": "1.0.0"})";
}

TEST(Model, AppliesTheChosenInterpolationCodeToEachModifierType) {
  const Workspace workspace = Workspace::FromJson(OneBinSystematics());
  for (InterpolationCode normsys : kCodes) {
    for (InterpolationCode histosys : kCodes) {
      ModelOptions options;
      options.normsys_code = normsys;
      options.histosys_code = histosys;
      const Model model(workspace, options);
      Eigen::VectorXd pars(3);  // histosys, normfactor, normsys (pyhf order)
      for (double alpha : {-2.2, -0.4, 0.7, 1.6}) {
        pars << alpha, 1.5, -0.6 * alpha;
        const double expected =
            1.5 * 4 *
                InterpolateNormSys(normsys, 0.8, 1.3, -0.6 * alpha).value +
            20 + InterpolateHistoSys(histosys, 17, 20, 24, alpha).value;
        EXPECT_NEAR(model.ExpectedMainData(pars)(0), expected, 1e-12)
            << options.Description() << " at " << alpha;
      }
    }
  }
}

TEST(Model, DefaultsToPyhfInterpolationCodes) {
  const ModelOptions options;
  EXPECT_EQ(options.normsys_code, InterpolationCode::kCode4);
  EXPECT_EQ(options.histosys_code, InterpolationCode::kCode4p);
  EXPECT_FALSE(options.clip_sample_data.has_value());
  EXPECT_FALSE(options.clip_bin_data.has_value());
}

// Channel "a" has samples s1, s2; channel "b" only s1 (s2 absent there).
std::string ClippingWorkspace() {
  return R"({"channels": [
      {"name": "a", "samples": [
         {"name": "s1", "data": [5, -3], "modifiers": [
            {"name": "mu", "type": "normfactor", "data": null}]},
         {"name": "s2", "data": [2, 1], "modifiers": []}]},
      {"name": "b", "samples": [
         {"name": "s1", "data": [-4], "modifiers": []}]}],
    "observations": [{"name": "a", "data": [7, 1]}, {"name": "b", "data": [0]}],
    "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
    "version": "1.0.0"})";
}

TEST(Model, WithoutClippingNegativeRatesGiveNan) {
  const Model model(Workspace::FromJson(ClippingWorkspace()));
  EXPECT_THAT(model.ExpectedMainData(model.inits()),
              ElementsAre(7.0, -2.0, -4.0));
  EXPECT_TRUE(std::isnan(model.TwiceNll(model.inits(), model.observed_data())));
}

TEST(Model, ClipSampleDataRaisesEachSampleAndBinAsPyhf) {
  ModelOptions options;
  options.clip_sample_data = 0.0;
  const Model model(Workspace::FromJson(ClippingWorkspace()), options);
  // a: [5 + 2, max(-3, 0) + 1]; b: max(-4, 0) + s2 absent (0).
  EXPECT_THAT(model.ExpectedMainData(model.inits()),
              ElementsAre(7.0, 1.0, 0.0));
  // A positive clip also lifts the zero of the sample absent from "b"
  // (pyhf clips its full samples × bins tensor).
  options.clip_sample_data = 0.5;
  const Model lifted(Workspace::FromJson(ClippingWorkspace()), options);
  EXPECT_THAT(lifted.ExpectedMainData(lifted.inits()),
              ElementsAre(7.0, 1.5, 1.0));
  // The clipped sample no longer depends on μ.
  Eigen::VectorXd mu(1);
  mu << 2.0;
  EXPECT_THAT(lifted.ExpectedMainData(mu), ElementsAre(12.0, 1.5, 1.0));
  Eigen::VectorXd gradient;
  lifted.TwiceNll(mu, lifted.observed_data(), &gradient);
  EXPECT_NEAR(gradient(0), -2.0 * (7.0 / 12.0 - 1.0) * 5.0, 1e-12);
}

TEST(Model, ClipBinDataRaisesBinTotals) {
  ModelOptions options;
  options.clip_bin_data = 1e-3;
  const Model model(Workspace::FromJson(ClippingWorkspace()), options);
  EXPECT_THAT(model.ExpectedMainData(model.inits()),
              ElementsAre(7.0, 1e-3, 1e-3));
  const double twice_nll = model.TwiceNll(model.inits(), model.observed_data());
  EXPECT_TRUE(std::isfinite(twice_nll));
  // Bin totals clipped: the bins' Poisson terms use 1e-3.
  const double expected =
      -2 * ((7 * std::log(7.0) - 7 - std::lgamma(8.0)) +
            (1 * std::log(1e-3) - 1e-3 - std::lgamma(2.0)) + (-1e-3));
  EXPECT_NEAR(twice_nll, expected, 1e-10);
  EXPECT_THAT(options.Description(), HasSubstr("clip_bin_data"));
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

TEST(Model, RejectsNonPositiveGaussianWidths) {
  const std::string parameters =
      R"([{"name": "lumi", "inits": [1.0], "bounds": [[0.5, 1.5]],
           "auxdata": [1.0], "sigmas": [-0.02]}])";
  EXPECT_THAT(
      [&] { Model(Workspace::FromJson(AllModifiersWorkspace(parameters))); },
      ThrowsMessage<InvalidInput>(
          HasSubstr("measurements[0].config.parameters[0].sigmas[0]: expected "
                    "a positive Gaussian width, got -0.02")));
}

TEST(Model, RejectsNonPositivePoissonFactors) {
  const std::string parameters =
      R"([{"name": "lumi", "inits": [1.0], "bounds": [[0.5, 1.5]],
           "auxdata": [1.0], "sigmas": [0.02]},
          {"name": "unc", "factors": [4.0, 0.0]}])";
  EXPECT_THAT(
      [&] { Model(Workspace::FromJson(AllModifiersWorkspace(parameters))); },
      ThrowsMessage<InvalidInput>(
          HasSubstr("parameters[1].factors[1]: expected a positive Poisson")));
}

TEST(Model, AcceptsNegativeShapesysAndStaterrorDataAsPyhf) {
  // pyhf: shapesys bins with σ <= 0 are invalid (γ fixed at 1, τ = 1);
  // staterror uses δ², so its sign does not matter. Negative values appear
  // in xml2json output where a nominal yield is negative.
  std::string text = AllModifiersWorkspace(kLumiConfig);
  text.replace(text.find("\"data\": [2, 1]"), 14, "\"data\": [-2, 1]");
  text.replace(text.find("\"data\": [3, 2]"), 14, "\"data\": [-3, 2]");
  const Model negative(Workspace::FromJson(text));
  const Model positive = AllModifiersModel();
  const int unc0 = negative.ParameterIndex("unc[0]");
  EXPECT_TRUE(negative.fixed()[unc0]);
  EXPECT_FALSE(positive.fixed()[unc0]);
  const int stat0 = negative.ParameterIndex("stat_sr[0]");
  EXPECT_EQ(negative.parameter_sets().back().widths,
            positive.parameter_sets().back().widths);
  EXPECT_FALSE(negative.fixed()[stat0]);
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
