// goldmine's checks of pyhf's JSON schemas (pyhf_schema.h) against a real
// JSON-Schema validator: valijson (Debian libvalijson-dev) with pyhf's own
// schema files from ../shared/reference/histfactory/schemas (skipped when
// absent). On every good and bad fixture below, on every workspace and
// PatchSet in the reference data and on every document goldmine writes
// (combine, prune, rename, sort, patch, the eft-workspace exports),
// goldmine must accept exactly what the schema accepts - except the
// duplicates pyhf's Workspace and PatchSet classes refuse on top of the
// schema (marked kPyhfClass). Also: md5/sha256 against RFC 1321 / FIPS
// 180-4 vectors and digests computed by pyhf (commit b3dc4bb) here.
#include "goldmine/inference/pyhf_schema.h"

// valijson reports schema errors by exception, not abort().
#define VALIJSON_USE_EXCEPTIONS 1

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "goldmine/core/errors.h"
#include "goldmine/inference/digests.h"
#include "goldmine/inference/eft_profile_likelihood.h"
#include "goldmine/inference/eft_workspace_export.h"
#include "goldmine/inference/patchset.h"
#include "goldmine/inference/workspace.h"
#include "goldmine/inference/workspace_json.h"
#include "inference/eft_test_models.h"
#include "support/reference_data.h"

namespace goldmine::inference {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// pyhf's schema files, validated with valijson; $refs to defs.json are
// resolved from the same folder.
class PyhfSchemas {
 public:
  static PyhfSchemas* Get() {
    static std::unique_ptr<PyhfSchemas> schemas = Load();
    return schemas.get();
  }

  bool Valid(const json& document, const std::string& schema_name) {
    valijson::Validator validator;
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    return validator.validate(*schemas_.at(schema_name), adapter, nullptr);
  }

 private:
  // Each of pyhf's schema files is {"$ref": "defs.json#/definitions/X"}.
  // valijson 1.0 does not follow that reference across files, so the
  // schema is defs.json itself with its root pointing at the same
  // fragment - the same rules, from pyhf's files unchanged.
  static std::unique_ptr<PyhfSchemas> Load() {
    const std::filesystem::path defs =
        goldmine::testing::FindReference("histfactory/schemas/1.0.0/defs.json");
    if (defs.empty()) return nullptr;
    auto schemas = std::make_unique<PyhfSchemas>();
    for (const char* name :
         {"workspace.json", "patchset.json", "jsonpatch.json"}) {
      const json top = json::parse(ReadFile(defs.parent_path() / name));
      const std::string reference = top.at("$ref");
      if (reference.rfind("defs.json#", 0) != 0) {
        ADD_FAILURE() << name << ": unexpected $ref " << reference;
        return nullptr;
      }
      json& document = schemas->documents_[name];
      document = json::parse(ReadFile(defs));
      document["$ref"] = reference.substr(reference.find('#'));
      auto schema = std::make_unique<valijson::Schema>();
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
      valijson::adapters::NlohmannJsonAdapter adapter(document);
      parser.populateSchema(adapter, *schema);
      schemas->schemas_[name] = std::move(schema);
    }
    return schemas;
  }

  std::map<std::string, json> documents_;
  std::map<std::string, std::unique_ptr<valijson::Schema>> schemas_;
};

bool GoldmineAccepts(const std::string& text, const std::string& schema) {
  try {
    if (schema == "workspace.json") ValidatePyhfWorkspace(text);
    if (schema == "patchset.json") ValidatePyhfPatchSet(text);
    if (schema == "jsonpatch.json") ValidatePyhfJsonPatch(text);
    return true;
  } catch (const InvalidInput&) {
    return false;
  }
}

// Checks that goldmine and the schema agree on `text`; kPyhfClass: the
// schema accepts, pyhf's class (and goldmine) refuse.
enum Expect { kValid, kInvalid, kPyhfClass };

void ExpectAgreement(const std::string& label,
                     const std::string& text,
                     const std::string& schema,
                     Expect expect) {
  const bool goldmine = GoldmineAccepts(text, schema);
  EXPECT_EQ(goldmine, expect == kValid) << label << ": " << text;
  PyhfSchemas* schemas = PyhfSchemas::Get();
  if (schemas == nullptr) return;
  const bool valid = schemas->Valid(json::parse(text), schema);
  EXPECT_EQ(valid, expect != kInvalid)
      << label << ": valijson disagrees with the fixture's expectation";
  if (expect != kPyhfClass) {
    EXPECT_EQ(goldmine, valid)
        << label << ": goldmine " << goldmine << ", pyhf's schema " << valid;
  }
}

// A valid workspace with `{CHANNELS}`-style pieces replaced.
std::string WorkspaceText(const std::string& channels = "",
                          const std::string& observations = "",
                          const std::string& measurements = "",
                          const std::string& extra = "") {
  return R"({"channels": )" +
         (channels.empty() ? std::string(R"([{"name": "sr", "samples": [
      {"name": "sig", "data": [5.0, 2.0], "modifiers": [
         {"name": "mu", "type": "normfactor", "data": null}]},
      {"name": "bkg", "data": [10, 20.5], "modifiers": [
         {"name": "n", "type": "normsys", "data": {"lo": 0.9, "hi": 1.1}},
         {"name": "h", "type": "histosys", "data": {"lo_data": [9, 19], "hi_data": [11, 22]}},
         {"name": "s", "type": "shapesys", "data": [1, 2]},
         {"name": "st", "type": "staterror", "data": [1, 2]},
         {"name": "lumi", "type": "lumi", "data": null},
         {"name": "f", "type": "shapefactor", "data": null}]}]}])")
                           : channels) +
         R"(, "observations": )" +
         (observations.empty()
              ? std::string(R"([{"name": "sr", "data": [12, 21]}])")
              : observations) +
         R"(, "measurements": )" +
         (measurements.empty()
              ? std::string(R"([{"name": "m", "config": {"poi": "mu",
      "parameters": [{"name": "mu", "bounds": [[0, 10]], "inits": [1],
                      "fixed": false}]}}])")
              : measurements) +
         extra + R"(, "version": "1.0.0"})";
}

std::string Channel(const std::string& sample) {
  return R"([{"name": "sr", "samples": [)" + sample + "]}]";
}

std::string Sample(const std::string& modifier) {
  return R"({"name": "b", "data": [1, 2], "modifiers": [)" + modifier + "]}";
}

std::string Measurement(const std::string& parameter) {
  return R"([{"name": "m", "config": {"poi": "mu", "parameters": [)" +
         parameter + "]}}]";
}

TEST(PyhfSchema, WorkspaceFixturesAgreeWithValijson) {
  const std::vector<std::tuple<std::string, std::string, Expect>> fixtures = {
      {"valid", WorkspaceText(), kValid},
      {"channel without observation",
       WorkspaceText("", R"([{"name": "other", "data": [1]}])"),
       kValid},
      {"negative observed count",
       WorkspaceText("", R"([{"name": "sr", "data": [-3, 2]}])"),
       kValid},
      {"observation of another length",
       WorkspaceText("", R"([{"name": "sr", "data": [1, 2, 3]}])"),
       kValid},
      {"samples with different bin counts",
       WorkspaceText(Channel(R"({"name": "a", "data": [1], "modifiers": []},
                            {"name": "b", "data": [1, 2], "modifiers": []})")),
       kValid},
      {"bounds not a pair (the schema's minItems is on the number)",
       WorkspaceText("", "", Measurement(R"({"name": "mu", "bounds": [[0]]})")),
       kValid},
      {"empty modifiers and parameters",
       WorkspaceText(Channel(Sample("")), "", Measurement("")),
       kValid},
      {"no version",
       R"({"channels": [], "observations": [], "measurements": []})",
       kInvalid},
      {"version 1.0.1",
       std::string(WorkspaceText())
           .replace(WorkspaceText().find("1.0.0"), 5, "1.0.1"),
       kInvalid},
      {"unknown top-level key",
       WorkspaceText("", "", "", R"(, "extra": 1)"),
       kInvalid},
      {"no channels", WorkspaceText("[]"), kInvalid},
      {"no observations", WorkspaceText("", "[]"), kInvalid},
      {"no measurements", WorkspaceText("", "", "[]"), kInvalid},
      {"empty observation",
       WorkspaceText("", R"([{"name": "sr", "data": []}])"),
       kInvalid},
      {"observation with extra key",
       WorkspaceText("", R"([{"name": "sr", "data": [1, 2], "x": 1}])"),
       kInvalid},
      {"string in observation",
       WorkspaceText("", R"([{"name": "sr", "data": [1, "2"]}])"),
       kInvalid},
      {"channel without samples",
       WorkspaceText(R"([{"name": "sr", "samples": []}])"),
       kInvalid},
      {"channel name not a string",
       WorkspaceText(R"([{"name": 3, "samples": [)" + Sample("") + "]}]"),
       kInvalid},
      {"empty sample data",
       WorkspaceText(Channel(R"({"name": "b", "data": [], "modifiers": []})")),
       kInvalid},
      {"sample without modifiers",
       WorkspaceText(Channel(R"({"name": "b", "data": [1]})")),
       kInvalid},
      {"boolean in sample data",
       WorkspaceText(
           Channel(R"({"name": "b", "data": [true], "modifiers": []})")),
       kInvalid},
      {"unknown modifier type",
       WorkspaceText(Channel(
           Sample(R"({"name": "x", "type": "morphing", "data": null})"))),
       kInvalid},
      {"lumi with another name",
       WorkspaceText(
           Channel(Sample(R"({"name": "lum", "type": "lumi", "data": null})"))),
       kInvalid},
      {"normfactor with data",
       WorkspaceText(Channel(
           Sample(R"({"name": "x", "type": "normfactor", "data": {}})"))),
       kInvalid},
      {"normsys without hi",
       WorkspaceText(Channel(
           Sample(R"({"name": "x", "type": "normsys", "data": {"lo": 0.9}})"))),
       kInvalid},
      {"normsys with extra key",
       WorkspaceText(Channel(Sample(
           R"({"name": "x", "type": "normsys", "data": {"lo": 0.9, "hi": 1.1, "c": 1}})"))),
       kInvalid},
      {"histosys with empty lo_data",
       WorkspaceText(Channel(Sample(
           R"({"name": "x", "type": "histosys", "data": {"lo_data": [], "hi_data": [1, 2]}})"))),
       kInvalid},
      {"shapesys without data",
       WorkspaceText(Channel(
           Sample(R"({"name": "x", "type": "shapesys", "data": null})"))),
       kInvalid},
      {"modifier with extra key",
       WorkspaceText(Channel(Sample(
           R"({"name": "x", "type": "shapefactor", "data": null, "c": 1})"))),
       kInvalid},
      {"parameter with unknown key",
       WorkspaceText("", "", Measurement(R"({"name": "mu", "init": [1]})")),
       kInvalid},
      {"empty inits",
       WorkspaceText("", "", Measurement(R"({"name": "mu", "inits": []})")),
       kInvalid},
      {"fixed not boolean",
       WorkspaceText("", "", Measurement(R"({"name": "mu", "fixed": "yes"})")),
       kInvalid},
      {"bounds not nested",
       WorkspaceText(
           "", "", Measurement(R"({"name": "mu", "bounds": [0, 1]})")),
       kInvalid},
      {"parameter without name",
       WorkspaceText("", "", Measurement(R"({"inits": [1]})")),
       kInvalid},
      {"config without parameters",
       WorkspaceText("", "", R"([{"name": "m", "config": {"poi": "mu"}}])"),
       kInvalid},
      {"measurement with extra key",
       WorkspaceText(
           "",
           "",
           R"([{"name": "m", "x": 1, "config": {"poi": "mu", "parameters": []}}])"),
       kInvalid},
      {"duplicate channel",
       WorkspaceText(R"([{"name": "sr", "samples": [)" + Sample("") +
                     R"(]}, {"name": "sr", "samples": [)" + Sample("") + "]}]"),
       kPyhfClass},
      {"duplicate sample",
       WorkspaceText(Channel(Sample("") + "," + Sample(""))),
       kPyhfClass},
      {"duplicate modifier",
       WorkspaceText(
           Channel(Sample(R"({"name": "x", "type": "normfactor", "data": null},
                                   {"name": "x", "type": "normfactor", "data": null})"))),
       kPyhfClass},
  };
  for (const auto& [label, text, expect] : fixtures) {
    ExpectAgreement(label, text, "workspace.json", expect);
    // goldmine's likelihood reader is stricter, never looser.
    if (expect != kValid) {
      EXPECT_THROW(Workspace::FromJson(text), InvalidInput) << label;
    }
  }
}

std::string PatchSetText(const std::string& metadata_change,
                         const std::string& patches = "") {
  json patchset = json::parse(R"({"metadata": {"description": "d",
      "digests": {"md5": "0123456789abcdef0123456789abcdef"},
      "labels": ["m1", "m2"], "references": {"hepdata": "ins1234567"}},
    "patches": [{"metadata": {"name": "p1", "values": [2100, "a"]},
                 "patch": [{"op": "add", "path": "/a", "value": 1},
                           {"op": "remove", "path": "/b"},
                           {"op": "move", "path": "/c", "from": "/d"}]}],
    "version": "1.0.0"})");
  if (!metadata_change.empty()) {
    patchset["metadata"].merge_patch(json::parse(metadata_change));
  }
  if (!patches.empty()) patchset["patches"] = json::parse(patches);
  return patchset.dump();
}

std::string OnePatch(const std::string& metadata, const std::string& patch) {
  return R"([{"metadata": )" + metadata + R"(, "patch": )" + patch + "}]";
}

TEST(PyhfSchema, PatchSetFixturesAgreeWithValijson) {
  const std::string values = R"({"name": "p", "values": [1, 2]})";
  const std::vector<std::tuple<std::string, std::string, Expect>> fixtures = {
      {"valid", PatchSetText(""), kValid},
      {"both digests, upper-case sha256",
       PatchSetText(R"({"digests": {"sha256":
           "7C32CA3B8DB75CBAFCF5CD7ED4672FA2B1FA69E391C9B89068DD947A521866EC"}})"),
       kValid},
      {"extra metadata key", PatchSetText(R"({"analysis": "x"})"), kValid},
      {"extra patch metadata key",
       PatchSetText(
           "", OnePatch(R"({"name": "p", "values": [1, 2], "x": 3})", "[]")),
       kValid},
      {"no references", PatchSetText(R"({"references": null})"), kInvalid},
      {"malformed HEPData id",
       PatchSetText(R"({"references": {"hepdata": "wrongid12374"}})"),
       kInvalid},
      {"HEPData id with 8 digits",
       PatchSetText(R"({"references": {"hepdata": "ins12345678"}})"),
       kInvalid},
      {"unknown reference",
       PatchSetText(R"({"references": {"arxiv": "1"}})"),
       kInvalid},
      {"unknown digest",
       PatchSetText(R"({"digests": {"sha1": "ab"}})"),
       kInvalid},
      {"upper-case md5",
       PatchSetText(
           R"({"digests": {"md5": "0123456789ABCDEF0123456789ABCDEF"}})"),
       kInvalid},
      {"short sha256",
       PatchSetText(R"({"digests": {"md5": null, "sha256": "abc"}})"),
       kInvalid},
      {"label with a dash",
       PatchSetText(R"({"labels": ["m-1", "m2"]})"),
       kInvalid},
      {"no description", PatchSetText(R"({"description": null})"), kInvalid},
      {"no patches", PatchSetText("", "[]"), kInvalid},
      {"patch name with a space",
       PatchSetText("", OnePatch(R"({"name": "p 1", "values": [1, 2]})", "[]")),
       kInvalid},
      {"non-scalar patch value",
       PatchSetText(
           "",
           OnePatch(R"({"name": "p", "values": [2100, {"a": "b"}]})", "[]")),
       kInvalid},
      {"boolean patch value",
       PatchSetText("",
                    OnePatch(R"({"name": "p", "values": [true, 1]})", "[]")),
       kInvalid},
      {"unknown op",
       PatchSetText("", OnePatch(values, R"([{"op": "merge", "path": "/a"}])")),
       kInvalid},
      {"add without value",
       PatchSetText("", OnePatch(values, R"([{"op": "add", "path": "/a"}])")),
       kInvalid},
      {"copy without from",
       PatchSetText("", OnePatch(values, R"([{"op": "copy", "path": "/a"}])")),
       kInvalid},
      {"from not a string",
       PatchSetText(
           "",
           OnePatch(values, R"([{"op": "move", "path": "/a", "from": 1}])")),
       kInvalid},
      {"operation without path",
       PatchSetText("", OnePatch(values, R"([{"op": "remove"}])")),
       kInvalid},
      {"patch with extra key",
       PatchSetText(
           "",
           R"([{"metadata": {"name": "p", "values": [1, 2]}, "patch": [], "x": 1}])"),
       kInvalid},
      {"values per label",
       PatchSetText("", OnePatch(R"({"name": "p", "values": [1]})", "[]")),
       kPyhfClass},
      {"duplicate patch values (2100 == 2100.0)",
       PatchSetText(
           "",
           R"([{"metadata": {"name": "p", "values": [2100, 1]}, "patch": []},
                            {"metadata": {"name": "q", "values": [2100.0, 1]}, "patch": []}])"),
       kPyhfClass},
      {"duplicate patch names",
       PatchSetText(
           "", R"([{"metadata": {"name": "p", "values": [1, 1]}, "patch": []},
                            {"metadata": {"name": "p", "values": [2, 1]}, "patch": []}])"),
       kPyhfClass},
  };
  for (const auto& [label, text, expect] : fixtures) {
    ExpectAgreement(label, text, "patchset.json", expect);
  }
  // merge_patch with null removes the key: references becomes {}.
  ExpectAgreement("references {}",
                  PatchSetText(R"({"references": {"hepdata": null}})"),
                  "patchset.json",
                  kInvalid);
}

// Names are checked by a loop, not std::regex, which recursed once per
// character: a 30 000-character patch name overflowed the stack (SIGSEGV
// in histfactory cls, patchset inspect; mutation campaign, issue 15).
TEST(PyhfSchema, VeryLongNamesAreCheckedWithoutRecursion) {
  const std::string name(200000, 'a');
  EXPECT_NO_THROW(ValidatePyhfPatchSet(
      PatchSetText(
          R"({"labels": [")" + name + R"(", "m2"]})",
          OnePatch(R"({"name": ")" + name + R"(", "values": [1, 2]})", "[]")),
      "ps.json"));
  EXPECT_THAT(
      [&] {
        ValidatePyhfPatchSet(
            PatchSetText(R"({"labels": [")" + name + R"(-", "m2"]})"),
            "ps.json");
      },
      ThrowsMessage<InvalidInput>(HasSubstr("metadata.labels[0]")));
  EXPECT_THAT(
      [&] {
        ValidatePyhfPatchSet(PatchSetText(R"({"references": {"hepdata": "ins)" +
                                          name + R"("}})"),
                             "ps.json");
      },
      ThrowsMessage<InvalidInput>(HasSubstr("metadata.references.hepdata")));
}

TEST(PyhfSchema, MessagesNameTheJsonPath) {
  EXPECT_THAT(
      [] {
        ValidatePyhfPatchSet(
            PatchSetText(R"({"references": {"hepdata": "wrongid12374"}})"),
            "ps.json");
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("ps.json: metadata.references.hepdata: expected a HEPData "
                    "id matching ^ins[0-9]{7}$, got \"wrongid12374\"")));
  EXPECT_THAT(
      [] {
        ValidatePyhfPatchSet(
            PatchSetText(
                "",
                OnePatch(R"({"name": "p", "values": [2100, {"a": "b"}]})",
                         "[]")),
            "ps.json");
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("ps.json: patches[0].metadata.values[1]: expected a number "
                    "or a string (patch values are scalars), got "
                    "{\"a\":\"b\"}")));
}

TEST(PyhfSchema, ReferenceDocumentsAgreeWithValijson) {
  const auto manifest =
      goldmine::testing::FindReference("histfactory/manifest.json");
  if (manifest.empty()) GTEST_SKIP() << "reference data not found";
  const auto folder = manifest.parent_path();
  int count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(folder / "workspaces")) {
    ExpectAgreement(entry.path().filename().string(),
                    ReadFile(entry.path()),
                    "workspace.json",
                    kValid);
    ++count;
  }
  for (const auto& entry :
       std::filesystem::directory_iterator(folder / "patches")) {
    const std::string text = ReadFile(entry.path());
    const bool is_patchset = json::parse(text).is_object();
    ExpectAgreement(entry.path().filename().string(),
                    text,
                    is_patchset ? "patchset.json" : "jsonpatch.json",
                    kValid);
    ++count;
  }
  EXPECT_GT(count, 20);
}

// What goldmine writes must be valid for pyhf.
void ExpectPyhfValid(const std::string& label,
                     const std::string& text,
                     const std::string& schema) {
  EXPECT_TRUE(GoldmineAccepts(text, schema)) << label;
  PyhfSchemas* schemas = PyhfSchemas::Get();
  if (schemas == nullptr) return;
  EXPECT_TRUE(schemas->Valid(json::parse(text), schema))
      << label << ": " << text;
}

TEST(PyhfSchema, EveryWrittenDocumentIsValid) {
  if (PyhfSchemas::Get() == nullptr) {
    GTEST_SKIP() << "pyhf's schema files not found";
  }
  const std::string left = WorkspaceText();
  const std::string right = WorkspaceText(
      R"([{"name": "cr", "samples": [{"name": "bkg", "data": [3], "modifiers": []}]}])",
      R"([{"name": "cr", "data": [-1]}])",
      R"([{"name": "m2", "config": {"poi": "mu", "parameters": []}}])");
  for (const char* join : {"none", "outer", "left outer", "right outer"}) {
    ExpectPyhfValid(
        join, CombineWorkspaces(left, right, join), "workspace.json");
  }
  PruneSpec prune;
  prune.modifiers = {"n"};
  ExpectPyhfValid("prune", PruneWorkspace(left, prune), "workspace.json");
  RenameSpec rename;
  rename.channels = {{"sr", "signal"}};
  ExpectPyhfValid("rename", RenameWorkspace(left, rename), "workspace.json");
  ExpectPyhfValid("sort", SortWorkspace(left), "workspace.json");

  // goldmine eft-workspace: workspace.json and patchset.json.
  BinnedEftInput input = testing::ThreeBinInput(true);
  input.normsys.push_back({"xsec", 0.92, 1.07});
  BinnedEftOptions options;
  options.lumi_uncertainty = 0.03;
  const BinnedEftModel model(input, options);
  const Eigen::VectorXd theta = Eigen::VectorXd::Constant(1, 0.2);
  const std::string workspace =
      ExportEftWorkspace(model, theta, model.AsimovCounts(theta));
  ExpectPyhfValid("eft workspace.json", workspace, "workspace.json");
  const Eigen::MatrixXd grid = MakeEftGrid({-1.0}, {1.0}, {3});
  const std::string patchset = ExportEftPatchSet(model, grid, workspace);
  ExpectPyhfValid("eft patchset.json", patchset, "patchset.json");
  const json document = json::parse(patchset);
  EXPECT_EQ(document["metadata"]["references"]["hepdata"], kNoHepDataRecord);
  EXPECT_EQ(document["metadata"]["digests"]["md5"],
            WorkspaceDigest(workspace, "md5"));
  const std::string published =
      ExportEftPatchSet(model, grid, workspace, "ins1234567");
  ExpectPyhfValid("eft patchset.json --hepdata", published, "patchset.json");
  EXPECT_EQ(json::parse(published)["metadata"]["references"]["hepdata"],
            "ins1234567");
  EXPECT_THAT([&] { ExportEftPatchSet(model, grid, workspace, "1234567"); },
              ThrowsMessage<InvalidInput>(HasSubstr("expected a HEPData id")));
  // The patched workspaces pyhf would build (PatchSet.apply).
  ExpectPyhfValid("patched",
                  ApplyPatchSet(workspace, patchset, EftPatchName(1)),
                  "workspace.json");
  // eft_workspace.json carries goldmine's "morphing" modifier: by design
  // not a pyhf workspace (eft_workspace_export.h).
  EXPECT_FALSE(
      PyhfSchemas::Get()->Valid(json::parse(ExportExtendedEftWorkspace(
                                    model, theta, model.AsimovCounts(theta))),
                                "workspace.json"));
}

TEST(Digests, Md5MatchesRfc1321TestSuite) {
  // RFC 1321, appendix A.5.
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5Hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(Md5Hex("abcdefghijklmnopqrstuvwxyz"),
            "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(
      Md5Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
      "d174ab98d277d9f5a5611c2c9f419d9f");
  EXPECT_EQ(
      Md5Hex("1234567890123456789012345678901234567890123456789012345678901234"
             "5678901234567890"),
      "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Digests, Sha256MatchesFips180Examples) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Digests, WorkspaceDigestIsPyhfs) {
  // pyhf digest -a md5 -a sha256 on WorkspaceText() as written by this test.
  const std::string text = WorkspaceText();
  // (pyhf.utils.digest(pyhf.Workspace(json.loads(text)), algorithm)).
  EXPECT_EQ(WorkspaceDigest(text, "md5"), "350d2c51d676ce626ab885fd968c28a1");
  EXPECT_EQ(WorkspaceDigest(text, "sha256"),
            "ec1ce5d1e06b7987a20eeb4171925ba4b7387369be41b5ff1602249c0cc4adf9");
  EXPECT_THROW(WorkspaceDigest(text, "sha1"), InvalidInput);
}

TEST(WorkspaceReader, LoadsWhatPyhfLoadsAndRefusesItAsALikelihood) {
  const Workspace no_observation = Workspace::FromJson(
      WorkspaceText("", R"([{"name": "other", "data": [1]}])"), "ws.json");
  EXPECT_THAT([&] { no_observation.Observation("sr"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("ws.json: observations: no observation for "
                            "channel \"sr\" (channels[0])")));
  const Workspace negative = Workspace::FromJson(
      WorkspaceText("", R"([{"name": "sr", "data": [3, -2]}])"), "ws.json");
  EXPECT_THAT([&] { negative.Observation("sr"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("ws.json: observations[0].data[1]: expected a "
                            "non-negative observed count")));
  const Workspace longer = Workspace::FromJson(
      WorkspaceText("", R"([{"name": "sr", "data": [3, 2, 1]}])"), "ws.json");
  EXPECT_THAT([&] { longer.Observation("sr"); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("ws.json: observations[0].data: expected 2 numbers "
                            "(one per bin of channel \"sr\"), got 3")));
}

}  // namespace
}  // namespace goldmine::inference
