// `goldmine histfactory` against pyhf's command line (issue 14 items 14-16):
// digest (md5 and sha256), sort, inspect's systematics, patchset
// inspect | extract | verify | apply with patches chosen by values, documents
// from standard input, fit --value, cls --test-stat q0, and structural
// operations on workspaces that pyhf's schema accepts but that have no
// likelihood (a channel without observation, negative counts).
//
// Every expected number was produced by pyhf (commit b3dc4bb, numpy
// backend) run here on the documents written in this file, e.g.
//   pyhf digest -a md5 -a sha256 unsorted.json
//   pyhf sort unsorted.json | pyhf digest
//   pyhf inspect unsorted.json --output-file i.json   (key "systematics")
//   pyhf combine left.json right.json --join 'left outer' | pyhf digest
//   pyhf.infer.hypotest(0.0, data, model, test_stat="q0",
//       return_expected_set=True) with scipy_optimizer(
//       solver_options={"ftol": 1e-14}, maxiter=100000)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using nlohmann::json;
using testing::CommandResult;
using ::testing::HasSubstr;
using testing::RunGoldmine;

// Unsorted on purpose: channels, samples, modifiers, measurements and
// observations are all out of name order.
const char* const kUnsorted = R"({"version": "1.0.0",
 "channels": [
  {"name": "sr", "samples": [
    {"name": "sig", "data": [6.0, 3.0], "modifiers": [
      {"name": "mu", "type": "normfactor", "data": null},
      {"name": "lumi", "type": "lumi", "data": null}]},
    {"name": "bkg", "data": [20.0, 12.0], "modifiers": [
      {"name": "jes", "type": "normsys", "data": {"lo": 0.95, "hi": 1.06}},
      {"name": "jes", "type": "histosys", "data": {"lo_data": [19.0, 12.5], "hi_data": [21.5, 11.8]}},
      {"name": "stat_sr", "type": "staterror", "data": [1.5, 1.0]}]}]},
  {"name": "cr", "samples": [
    {"name": "bkg", "data": [50.0], "modifiers": [
      {"name": "shape_cr", "type": "shapesys", "data": [4.0]},
      {"name": "jes", "type": "normsys", "data": {"lo": 0.97, "hi": 1.03}}]}]}],
 "observations": [{"name": "sr", "data": [27.0, 14.0]}, {"name": "cr", "data": [52.0]}],
 "measurements": [
   {"name": "meas_b", "config": {"poi": "mu", "parameters": [
      {"name": "lumi", "auxdata": [1.0], "sigmas": [0.02], "bounds": [[0.9, 1.1]], "inits": [1.0]},
      {"name": "jes", "inits": [0.0]}]}},
   {"name": "meas_a", "config": {"poi": "mu", "parameters": [
      {"name": "lumi", "auxdata": [1.0], "sigmas": [0.02], "bounds": [[0.9, 1.1]], "inits": [1.0]}]}}]})";

// Schema-valid, but without likelihood: channel "cr" has no observation and
// one observed count is negative. pyhf loads, combines, prunes it.
const char* const kLeft =
    R"({"channels": [{"name": "sr", "samples": [{"name": "sig", "data": [5.0, 2.0], "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]}, {"name": "bkg", "data": [10.0, 20.0], "modifiers": [{"name": "bn", "type": "normsys", "data": {"lo": 0.9, "hi": 1.1}}]}]}, {"name": "cr", "samples": [{"name": "bkg", "data": [30.0], "modifiers": []}]}], "observations": [{"name": "sr", "data": [12.0, -1.0]}], "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": [{"name": "mu", "bounds": [[0, 5]]}]}}], "version": "1.0.0"})";
const char* const kRight =
    R"({"channels": [{"name": "sr", "samples": [{"name": "other", "data": [1.0, 1.0], "modifiers": []}]}, {"name": "vr", "samples": [{"name": "bkg", "data": [3.0], "modifiers": []}]}], "observations": [{"name": "sr", "data": [11.0, 19.0]}, {"name": "vr", "data": [4.0]}, {"name": "cr", "data": [28.0]}], "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": [{"name": "mu", "bounds": [[0, 10]]}]}}, {"name": "m2", "config": {"poi": "mu", "parameters": []}}], "version": "1.0.0"})";

// A PatchSet for kUnsorted with its md5 digest (pyhf digest -a md5) and two
// patches told apart by their values.
std::string PatchSet(const std::string& digests,
                     const std::string& references,
                     const std::string& second_values) {
  return R"({"metadata": {"description": "signal grid", "digests": )" +
         digests + R"(, "labels": ["m1", "m2"], "references": )" + references +
         R"(}, "patches": [
    {"metadata": {"name": "p_2100_800", "values": [2100, 800]},
     "patch": [{"op": "replace", "path": "/channels/0/samples/0/data", "value": [8.0, 4.0]}]},
    {"metadata": {"name": "p_a", "values": )" +
         second_values + R"(},
     "patch": [{"op": "replace", "path": "/channels/0/samples/0/data", "value": [1.0, 0.5]}]}],
   "version": "1.0.0"})";
}

const char* const kMd5 = R"({"md5": "a259e7b8d3bffb1da4ddd1a567af62db"})";
const char* const kHepData = R"({"hepdata": "ins1234567"})";

class HistFactoryPyhfParity : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("histfactory_parity");
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (folder_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  json RunJson(const std::vector<std::string>& arguments) {
    const CommandResult result = RunGoldmine(arguments);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0 ? json::parse(result.out) : json();
  }

  // goldmine ARGUMENTS < stdin_path.
  CommandResult RunWithStdin(const std::vector<std::string>& arguments,
                             const std::string& stdin_path) {
    const std::string out = (folder_ / "stdin.out").string();
    const std::string err = (folder_ / "stdin.err").string();
    std::string command = testing::ShellQuoted(GOLDMINE_CLI);
    for (const std::string& argument : arguments) {
      command += " " + testing::ShellQuoted(argument);
    }
    command += " <" + testing::ShellQuoted(stdin_path) + " >" +
               testing::ShellQuoted(out) + " 2>" + testing::ShellQuoted(err);
    const int status = std::system(command.c_str());
    CommandResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = testing::ReadText(out);
    result.err = testing::ReadText(err);
    return result;
  }

  std::string Sha256Of(const std::string& path) {
    return RunJson({"histfactory", "digest", path})["sha256"];
  }

  std::filesystem::path folder_;
};

TEST_F(HistFactoryPyhfParity, DigestGivesPyhfsMd5AndSha256) {
  const std::string workspace = Write("unsorted.json", kUnsorted);
  const json digests = RunJson(
      {"histfactory", "digest", workspace, "-a", "md5", "-a", "sha256"});
  EXPECT_EQ(digests["md5"], "a259e7b8d3bffb1da4ddd1a567af62db");
  EXPECT_EQ(digests["sha256"],
            "3ed8fdea36fbfd6845c9e6585bd35b5dd1a7b548d5fca8f8fc21ce0c35466d4d");
  const CommandResult plain = RunGoldmine(
      {"histfactory", "digest", workspace, "--plaintext", "-a", "md5"});
  EXPECT_EQ(plain.out, "md5:a259e7b8d3bffb1da4ddd1a567af62db\n");
  const CommandResult bad =
      RunGoldmine({"histfactory", "digest", workspace, "-a", "sha1"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--algorithm: expected sha256 or md5"));
}

TEST_F(HistFactoryPyhfParity, SortMatchesPyhfSort) {
  const std::string workspace = Write("unsorted.json", kUnsorted);
  const CommandResult sorted = RunGoldmine({"histfactory", "sort", workspace});
  ASSERT_EQ(sorted.exit_code, 0) << sorted.err;
  const json document = json::parse(sorted.out);
  EXPECT_EQ(document["channels"][0]["name"], "cr");
  EXPECT_EQ(document["channels"][1]["samples"][0]["name"], "bkg");
  EXPECT_EQ(document["channels"][1]["samples"][0]["modifiers"][0]["type"],
            "histosys");  // (jes, histosys) < (jes, normsys)
  EXPECT_EQ(document["measurements"][0]["name"], "meas_a");
  EXPECT_EQ(document["measurements"][1]["config"]["parameters"][0]["name"],
            "jes");
  // pyhf sort unsorted.json | pyhf digest
  EXPECT_EQ(Sha256Of(Write("sorted.json", sorted.out)),
            "2b4032b8c1bf051ba892fcffde6234d0559e4eeac0c613ca8ee883dbe0e35c3c");
}

TEST_F(HistFactoryPyhfParity, InspectHasPyhfsSystematicsAndMeasurementKeys) {
  const json inspect =
      RunJson({"histfactory", "inspect", Write("unsorted.json", kUnsorted)});
  EXPECT_EQ(inspect["systematics"], json::parse(R"([
      ["jes", "constrained_by_normal", ["histosys", "normsys"]],
      ["lumi", "constrained_by_normal", ["lumi"]],
      ["mu", "unconstrained", ["normfactor"]],
      ["shape_cr", "constrained_by_poisson", ["shapesys"]],
      ["stat_sr", "constrained_by_normal", ["staterror"]]])"));
  EXPECT_EQ(inspect["measurements"][0]["parameters"],
            json::parse(R"(["lumi", "jes"])"));
  // goldmine's own keys stay.
  EXPECT_TRUE(inspect.contains("parameter_names"));
}

TEST_F(HistFactoryPyhfParity, PatchSetCommandsWithMd5DigestAndValues) {
  const std::string workspace = Write("unsorted.json", kUnsorted);
  const std::string patchset =
      Write("ps.json", PatchSet(kMd5, kHepData, R"(["a", 1.5])"));
  const json inspect =
      RunJson({"histfactory", "patchset", "inspect", patchset});
  EXPECT_EQ(inspect["n_patches"], 2);
  EXPECT_EQ(inspect["patches"][1]["values"], json::parse(R"(["a", 1.5])"));
  EXPECT_EQ(inspect["references"]["hepdata"], "ins1234567");
  const json verified =
      RunJson({"histfactory", "patchset", "verify", workspace, patchset});
  EXPECT_EQ(verified["verified"], true);
  // By values: 2100.0 matches the integer 2100, "a" the string.
  const json extracted = RunJson({"histfactory",
                                  "patchset",
                                  "extract",
                                  patchset,
                                  "--values",
                                  "2100.0,800"});
  EXPECT_EQ(extracted[0]["value"], json::parse("[8.0, 4.0]"));
  const json with_metadata = RunJson({"histfactory",
                                      "patchset",
                                      "extract",
                                      patchset,
                                      "--values",
                                      "a,1.5",
                                      "--with-metadata"});
  EXPECT_EQ(with_metadata["metadata"]["name"], "p_a");
  EXPECT_EQ(with_metadata["metadata"]["labels"],
            json::parse(R"(["m1", "m2"])"));
  const json applied = RunJson({"histfactory",
                                "patchset",
                                "apply",
                                workspace,
                                patchset,
                                "--values",
                                "a,1.5"});
  EXPECT_EQ(applied["channels"][0]["samples"][0]["data"],
            json::parse("[1.0, 0.5]"));
  // The same through the --patchset option of every workspace command.
  const json fit = RunJson({"histfactory",
                            "inspect",
                            workspace,
                            "--patchset",
                            patchset,
                            "--patch-values",
                            "2100,800"});
  EXPECT_TRUE(fit.contains("systematics"));
  const CommandResult missing = RunGoldmine(
      {"histfactory", "patchset", "extract", patchset, "--values", "1,2"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("no patch with values [1, 2]"));
}

TEST_F(HistFactoryPyhfParity, PatchSetVerifyRefusesAWrongMd5) {
  const std::string workspace = Write("unsorted.json", kUnsorted);
  const std::string patchset =
      Write("ps.json",
            PatchSet(R"({"md5": "00000000000000000000000000000000"})",
                     kHepData,
                     "[1, 2]"));
  const CommandResult result =
      RunGoldmine({"histfactory", "patchset", "verify", workspace, patchset});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(
      result.err,
      HasSubstr("ps.json: metadata.digests.md5: "
                "\"00000000000000000000000000000000\" does not match "
                "the workspace (md5 a259e7b8d3bffb1da4ddd1a567af62db)"));
}

TEST_F(HistFactoryPyhfParity, RefusesWhatPyhfsPatchSetSchemaRefuses) {
  const std::string workspace = Write("unsorted.json", kUnsorted);
  const struct {
    std::string patchset;
    std::string message;
  } cases[] = {
      {PatchSet(kMd5, R"({"hepdata": "wrongid12374"})", "[1, 2]"),
       "metadata.references.hepdata: expected a HEPData id matching "
       "^ins[0-9]{7}$, got \"wrongid12374\""},
      {PatchSet(kMd5, "{}", "[1, 2]"),
       "metadata.references: expected at least one reference"},
      {PatchSet(kMd5, kHepData, R"([2100, {"a": "b"}])"),
       "patches[1].metadata.values[1]: expected a number or a string"},
      {PatchSet(R"({"sha1": "abc"})", kHepData, "[1, 2]"),
       "metadata.digests: unknown key \"sha1\""},
  };
  for (const auto& bad : cases) {
    const std::string path = Write("bad.json", bad.patchset);
    const CommandResult result =
        RunGoldmine({"histfactory", "patchset", "verify", workspace, path});
    EXPECT_EQ(result.exit_code, 2) << bad.message;
    EXPECT_THAT(result.err, HasSubstr("bad.json: " + bad.message));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
  }
}

TEST_F(HistFactoryPyhfParity, ReadsWorkspaceAndPatchSetFromStandardInput) {
  const std::string workspace = Write("unsorted.json", kUnsorted);
  const std::string patchset =
      Write("ps.json", PatchSet(kMd5, kHepData, "[1, 2]"));
  const CommandResult digest =
      RunWithStdin({"histfactory", "digest", "-", "-a", "md5"}, workspace);
  ASSERT_EQ(digest.exit_code, 0) << digest.err;
  EXPECT_EQ(json::parse(digest.out)["md5"], "a259e7b8d3bffb1da4ddd1a567af62db");
  const CommandResult fit =
      RunWithStdin({"histfactory", "fit", "-", "--value"}, workspace);
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  EXPECT_TRUE(json::parse(fit.out).contains("twice_nll"));
  const CommandResult inspect =
      RunWithStdin({"histfactory", "patchset", "inspect", "-"}, patchset);
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  const CommandResult patched = RunWithStdin({"histfactory",
                                              "patch",
                                              workspace,
                                              "--patchset",
                                              "-",
                                              "--patch-name",
                                              "p_2100_800"},
                                             patchset);
  ASSERT_EQ(patched.exit_code, 0) << patched.err;
  const CommandResult twice =
      RunWithStdin({"histfactory", "patchset", "verify", "-", "-"}, workspace);
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_THAT(twice.err, HasSubstr("standard input can give only one"));
}

TEST_F(HistFactoryPyhfParity, ClsWithQ0IsPyhfsDiscoveryTest) {
  // pyhf.infer.hypotest(0.0, ..., test_stat="q0", return_expected_set=True)
  // with the first measurement (meas_b).
  const json result = RunJson({"histfactory",
                               "cls",
                               Write("unsorted.json", kUnsorted),
                               "--test-stat",
                               "q0"});
  const double p0 = 0.10869401597919692;
  const double expected[5] = {0.0005563549757497162,
                              0.011899467249319095,
                              0.10376981329648544,
                              0.39729315652254127,
                              0.770240854105342};
  EXPECT_NEAR(result["CLs_obs"].get<double>(), p0, 1e-6 * p0);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(
        result["CLs_exp"][i].get<double>(), expected[i], 1e-6 * expected[i])
        << i;
  }
  EXPECT_EQ(result["poi_value"], 0.0);
  const CommandResult limit = RunGoldmine({"histfactory",
                                           "upper-limit",
                                           Write("u.json", kUnsorted),
                                           "--test-stat",
                                           "q0"});
  EXPECT_EQ(limit.exit_code, 2);
}

TEST_F(HistFactoryPyhfParity,
       LeftAndRightOuterCombineOfWorkspacesWithoutLikelihood) {
  const std::string left = Write("left.json", kLeft);
  const std::string right = Write("right.json", kRight);
  // pyhf combine left.json right.json --join JOIN [--merge-channels] |
  // pyhf digest
  const struct {
    const char* join;
    bool merge;
    const char* sha256;
  } cases[] = {
      {"left outer",
       false,
       "1073ecb152bfea0bdc1b3438456d60d979fcef0279173c6c298a8f3b2615983d"},
      {"left outer",
       true,
       "c78d1baf4b31a5de379ec7de7783301dea5f9e0b188c6afbb45fd052d8b54ec7"},
      {"right outer",
       false,
       "03e57ce8106a103a840519ecd501b30d08783cf0645524faf6c1a66cae6c1f21"},
      {"right outer",
       true,
       "f671e50cfb5faacfd72670b3fbc2f40f1aa91b37dae71f1b2d8527306ea491b4"},
  };
  for (const auto& entry : cases) {
    std::vector<std::string> arguments = {
        "histfactory", "combine", left, right, "--join", entry.join};
    if (entry.merge) arguments.push_back("--merge-channels");
    const CommandResult combined = RunGoldmine(arguments);
    ASSERT_EQ(combined.exit_code, 0) << entry.join << ": " << combined.err;
    EXPECT_EQ(Sha256Of(Write("combined.json", combined.out)), entry.sha256)
        << entry.join << (entry.merge ? " --merge-channels" : "");
  }
}

TEST_F(HistFactoryPyhfParity, StructuralCommandsWorkWithoutLikelihood) {
  const std::string left = Write("left.json", kLeft);
  for (const std::vector<std::string>& arguments :
       std::vector<std::vector<std::string>>{
           {"histfactory", "inspect", left},
           {"histfactory", "prune", left, "--channel", "cr"},
           {"histfactory", "rename", left, "--channel", "sr=signal"},
           {"histfactory", "sort", left},
           {"histfactory", "digest", left},
       }) {
    const CommandResult result = RunGoldmine(arguments);
    EXPECT_EQ(result.exit_code, 0) << arguments[1] << ": " << result.err;
  }
}

TEST_F(HistFactoryPyhfParity, StatisticalCommandsRefuseWhatHasNoLikelihood) {
  const std::string left = Write("left.json", kLeft);
  for (const char* command : {"fit", "cls", "upper-limit"}) {
    const CommandResult result = RunGoldmine({"histfactory", command, left});
    EXPECT_EQ(result.exit_code, 2) << command;
    EXPECT_THAT(result.err,
                HasSubstr("left.json: observations: no observation for "
                          "channel \"cr\" (channels[1])"));
  }
  const CommandResult pruned =
      RunGoldmine({"histfactory", "prune", left, "--channel", "cr"});
  ASSERT_EQ(pruned.exit_code, 0) << pruned.err;
  const CommandResult fit =
      RunGoldmine({"histfactory", "fit", Write("pruned.json", pruned.out)});
  EXPECT_EQ(fit.exit_code, 2);
  EXPECT_THAT(fit.err,
              HasSubstr("pruned.json: observations[0].data[1]: expected a "
                        "non-negative observed count"));
  EXPECT_EQ(std::count(fit.err.begin(), fit.err.end(), '\n'), 1) << fit.err;
}

}  // namespace
}  // namespace goldmine
