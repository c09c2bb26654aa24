#include "goldmine/inference/eft_workspace_export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "goldmine/core/errors.h"
#include "goldmine/inference/eft_profile_likelihood.h"
#include "goldmine/inference/fit.h"
#include "goldmine/inference/workspace_json.h"
#include "inference/eft_test_models.h"

namespace goldmine::inference {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

BinnedEftModel FullModel() {
  BinnedEftInput input = testing::ThreeBinInput(true);
  input.normsys.push_back({"xsec", 0.92, 1.07});
  BinnedEftOptions options;
  options.luminosity = 300.0;
  options.lumi_uncertainty = 0.03;
  return BinnedEftModel(input, options);
}

TEST(EftWorkspaceExport, WorkspaceIsValidCanonicalPyhfJson) {
  const BinnedEftModel model = FullModel();
  const Eigen::VectorXd theta = Eigen::VectorXd::Constant(1, 0.2);
  const std::string text =
      ExportEftWorkspace(model, theta, model.AsimovCounts(theta));
  EXPECT_EQ(CanonicalJson(text), text);
  const Workspace workspace = Workspace::FromJson(text, "workspace.json");
  const Model engine(workspace);
  EXPECT_EQ(engine.poi_name(), "mu");
  EXPECT_TRUE(engine.fixed()[static_cast<std::size_t>(engine.poi_index())]);
  EXPECT_EQ(engine.parameter_names(), model.nuisance_parameter_names());
  // The engine's expected data at nominal parameters are the EFT yields.
  EXPECT_LT((engine.ExpectedMainData(engine.inits()) - model.Yields(theta))
                .cwiseAbs()
                .maxCoeff(),
            1e-10);
}

TEST(EftWorkspaceExport, PatchedWorkspaceFitsReproduceTheProfile) {
  // Acceptance: the profile at every grid point equals a pyhf-style fit of
  // the exported workspace with that point's patch applied.
  const BinnedEftModel model = FullModel();
  const Eigen::VectorXd theta_true = Eigen::VectorXd::Constant(1, 0.2);
  const Eigen::VectorXd observed = Eigen::Vector3d(640, 395, 255);
  const Eigen::MatrixXd grid = MakeEftGrid({-1.0}, {1.5}, {6});
  const EftProfileResult profile = ProfileOnGrid(model, grid, observed);
  const std::string workspace = ExportEftWorkspace(model, theta_true, observed);
  const std::string patchset = ExportEftPatchSet(model, grid, workspace);
  ASSERT_EQ(PatchSetNames(patchset).size(), 6u);
  FitOptions options;
  options.gradient_tolerance = 1e-4;
  for (int i = 0; i < 6; ++i) {
    const std::string patched =
        ApplyPatchSet(workspace, patchset, EftPatchName(i), "patchset.json");
    const Model engine(Workspace::FromJson(patched, "patched"));
    const FitResult fit = Fit(engine, engine.observed_data(), options);
    ASSERT_TRUE(fit.converged) << fit.message;
    EXPECT_NEAR(fit.twice_nll, profile.twice_nll(i), 1e-6) << "point " << i;
  }
  // The PatchSet metadata: labels, values, digest.
  const nlohmann::json document = nlohmann::json::parse(patchset);
  EXPECT_EQ(document["metadata"]["labels"], nlohmann::json({"c_w"}));
  EXPECT_EQ(document["patches"][3]["metadata"]["values"][0].get<double>(),
            grid(3, 0));
  EXPECT_EQ(document["metadata"]["digests"]["sha256"], Sha256Digest(workspace));
}

TEST(EftWorkspaceExport, PatchSetRejectsAnotherWorkspace) {
  const BinnedEftModel model = FullModel();
  const Eigen::VectorXd theta = Eigen::VectorXd::Constant(1, 0.2);
  const std::string workspace =
      ExportEftWorkspace(model, theta, model.AsimovCounts(theta));
  const std::string patchset =
      ExportEftPatchSet(model, MakeEftGrid({0}, {1}, {2}), workspace);
  const std::string other =
      ExportEftWorkspace(model, theta, model.AsimovCounts(theta).array() + 1.0);
  EXPECT_THROW(ApplyPatchSet(other, patchset, "point_0"), InvalidInput);
}

TEST(EftWorkspaceExport, ExtendedWorkspaceRoundTripKeepsTheLikelihood) {
  const BinnedEftModel model = FullModel();
  const Eigen::VectorXd theta_true = Eigen::VectorXd::Constant(1, 0.2);
  const Eigen::VectorXd observed = Eigen::Vector3d(640, 395, 255);
  const std::string text =
      ExportExtendedEftWorkspace(model, theta_true, observed);
  const ExtendedEftWorkspace read =
      ReadExtendedEftWorkspace(text, "eft_workspace.json");
  EXPECT_EQ(read.theta, theta_true);
  EXPECT_EQ(read.observed, observed);
  const BinnedEftModel again(read.input, read.options);
  EXPECT_EQ(again.nuisance_parameter_names(), model.nuisance_parameter_names());
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  for (int trial = 0; trial < 20; ++trial) {
    const Eigen::VectorXd theta =
        Eigen::VectorXd::Constant(1, 2 * uniform(random));
    Eigen::VectorXd nuisance = model.nominal_nuisance_parameters();
    for (Eigen::Index i = 0; i < nuisance.size(); ++i) {
      if (i == model.poi_index()) continue;
      nuisance(i) +=
          (model.nuisance_parameter_names()[i].find("staterror") == 0 ||
                   model.nuisance_parameter_names()[i] == "lumi"
               ? 0.05
               : 1.5) *
          uniform(random);
    }
    const double expected = model.TwiceNll(theta, nuisance, observed);
    const double got = again.TwiceNll(theta, nuisance, read.observed);
    ASSERT_TRUE(std::isfinite(expected));
    EXPECT_NEAR(got, expected, 1e-12 * std::abs(expected));
  }
  // Writing the read model again gives the same bytes.
  EXPECT_EQ(ExportExtendedEftWorkspace(again, read.theta, read.observed), text);
}

TEST(EftWorkspaceExport, ExtendedWorkspaceRejectsInconsistentEdits) {
  const BinnedEftModel model = FullModel();
  const Eigen::VectorXd theta = Eigen::VectorXd::Constant(1, 0.2);
  nlohmann::json document = nlohmann::json::parse(
      ExportExtendedEftWorkspace(model, theta, model.AsimovCounts(theta)));
  nlohmann::json edited = document;
  edited["channels"][0]["samples"][0]["data"][1] = 1.0;
  EXPECT_THAT([&] { ReadExtendedEftWorkspace(edited.dump(), "e.json"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("e.json: channels[0].samples[0].data: bin 1")));
  const std::string plain =
      ExportEftWorkspace(model, theta, model.AsimovCounts(theta));
  EXPECT_THAT([&] { ReadExtendedEftWorkspace(plain, "w.json"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("no modifier of type \"morphing\"")));
  EXPECT_THROW(ReadExtendedEftWorkspace("{", "x.json"), FileFormatError);
}

}  // namespace
}  // namespace goldmine::inference
