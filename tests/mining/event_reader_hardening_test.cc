// Malformed and hostile event files (issue 15: a mutation campaign crashed
// the HepMC readers and found numbers parsed laxly): each is refused with a
// FileFormatError naming the file, the line and what was expected, never a
// crash and never a silently wrong number. Fixtures are small valid files
// written here, each broken in one place.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "goldmine/core/errors.h"
#include "goldmine/core/strict_number.h"
#include "goldmine/core/utf8.h"
#include "goldmine/mining/event_file_summary.h"
#include "goldmine/mining/event_reader.h"
#include "goldmine/mining/systematics.h"
#include "support/scratch_folder.h"

namespace goldmine::mining {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
namespace fs = std::filesystem;

// Two vertices: the beams enter V -1 as orphans; a Z from it decays at V -2.
const char* const kHepMC2 =
    "\n"
    "HepMC::Version 2.06.09\n"
    "HepMC::IO_GenEvent-START_EVENT_LISTING\n"
    "E 1 -1 -1 0.1 0.007 0 -1 2 1 2 0 2 1.5 2.5\n"
    "N 2 \"nominal\" \"alt\"\n"
    "U GEV MM\n"
    "V -1 0 0 0 0 0 2 2 0\n"
    "P 1 2212 0 0 6500 6500 0.938 4 0 0 -1 0\n"
    "P 2 2212 0 0 -6500 6500 0.938 4 0 0 -1 0\n"
    "P 3 11 10 0 5 11.18 0 1 0 0 0 0\n"
    "P 4 23 -10 0 5 91.5 91.1 2 0 0 -2 0\n"
    "V -2 0 0 0 0 0 0 2 0\n"
    "P 5 13 -5 1 2 5.5 0.105 1 0 0 0 0\n"
    "P 6 -13 -5 -1 3 5.9 0.105 1 0 0 0 0\n"
    "HepMC::IO_GenEvent-END_EVENT_LISTING\n";

const char* const kHepMC3 =
    "HepMC::Version 3.01.02\n"
    "HepMC::Asciiv3-START_EVENT_LISTING\n"
    "W nominal\\|alt\n"
    "T gen\\|1.0\\|test\n"
    "E 0 1 4\n"
    "U GEV MM\n"
    "W 1.5 2.5\n"
    "A 0 alphaQCD 0.118\n"
    "P 1 0 2212 0 0 6500 6500 0.938 4\n"
    "P 2 0 2212 0 0 -6500 6500 0.938 4\n"
    "V -1 0 [1,2]\n"
    "P 3 -1 11 10 0 5 11.18 0 1\n"
    "P 4 -1 -11 -10 0 -5 11.18 0 1\n"
    "HepMC::Asciiv3-END_EVENT_LISTING\n";

const char* const kLhe =
    "<LesHouchesEvents version=\"3.0\">\n<header>\n<initrwgt>\n"
    "<weightgroup name='mg_reweighting'>\n<weight id='a'>set param_card x 1 "
    "2.0</weight>\n</weightgroup>\n</initrwgt>\n</header>\n<init>\n"
    "2212 2212 6500 6500 0 0 0 0 3 1\n1.5 0.1 1.5 1\n</init>\n"
    "<event>\n 1 1 +1.5 100 0.0078 0.118\n 11 1 0 0 0 0 1 2 3 4.0D+00 "
    "0.000511 0 9\n<rwgt>\n<wgt id='a'> 2.5 </wgt>\n</rwgt>\n</event>\n"
    "</LesHouchesEvents>\n";

// `text` with the first `from` replaced by `to` (which must be there).
std::string Replaced(std::string text,
                     const std::string& from,
                     const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class EventReaderHardening : public ::testing::Test {
 protected:
  void SetUp() override { folder_ = testing::MakeScratchFolder("hardening"); }
  void TearDown() override { fs::remove_all(folder_); }

  std::string Write(const std::string& name, const std::string& text) {
    const fs::path path = folder_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  static EventFileSummary Read(const std::string& path) {
    return SummarizeEventFile(path);
  }
  // The message of the FileFormatError reading `text` as `name` gives.
  std::string ErrorOf(const std::string& name, const std::string& text) {
    const std::string path = Write(name, text);
    try {
      Read(path);
    } catch (const FileFormatError& error) {
      return error.what();
    }
    ADD_FAILURE() << name << " was read without an error";
    return "";
  }

  fs::path folder_;
};

TEST_F(EventReaderHardening, FixturesAreValid) {
  const EventFileSummary hepmc2 = Read(Write("ok.hepmc", kHepMC2));
  EXPECT_EQ(hepmc2.num_events, 1);
  EXPECT_EQ(hepmc2.info.weight_names,
            (std::vector<std::string>{"nominal", "alt"}));
  EXPECT_EQ(hepmc2.weight_sums, (std::vector<double>{1.5, 2.5}));
  const EventFileSummary hepmc3 = Read(Write("ok.hepmc3", kHepMC3));
  EXPECT_EQ(hepmc3.num_events, 1);
  EXPECT_EQ(hepmc3.weight_sums, (std::vector<double>{1.5, 2.5}));
  // MadGraph's '+' and Fortran's D exponent stay readable.
  const auto lhe = EventReader::Open(Write("ok.lhe", kLhe));
  Event event;
  ASSERT_TRUE(lhe->Next(&event));
  EXPECT_EQ(event.weights, (std::vector<double>{1.5, 2.5}));
  EXPECT_EQ(event.particles.at(0).energy, 4.0);
}

// Gzip-compressed HepMC reads as the plain file (HepMC 3.1.2 could not).
TEST_F(EventReaderHardening, GzipHepMCGivesThePlainFilesEvents) {
  for (const auto& [name, text] :
       {std::pair<std::string, std::string>{"ok.hepmc", kHepMC2},
        std::pair<std::string, std::string>{"ok.hepmc3", kHepMC3}}) {
    const std::string gz_path = (folder_ / (name + ".gz")).string();
    gzFile file = gzopen(gz_path.c_str(), "wb");
    gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
    gzclose(file);
    const EventFileSummary plain = Read(Write(name, text));
    const EventFileSummary packed = Read(gz_path);
    EXPECT_EQ(packed.num_events, plain.num_events) << name;
    EXPECT_EQ(packed.weight_sums, plain.weight_sums) << name;
    EXPECT_EQ(packed.info.weight_names, plain.info.weight_names) << name;
  }
}

// --- HepMC2: what crashed HepMC3's ReaderAsciiHepMC2 ---

TEST_F(EventReaderHardening, HepMC2ParticleBeforeAnyVertexIsRefused) {
  const std::string text = Replaced(
      kHepMC2,
      "V -1 0 0 0 0 0 2 2 0\nP 1 2212 0 0 6500 6500 0.938 4 0 0 -1 0\n",
      "P 1 2212 0 0 6500 6500 0.938 4 0 0 -1 0\nV -1 0 0 0 0 0 2 2 0\n");
  EXPECT_THAT(ErrorOf("p_first.hepmc", text),
              HasSubstr("p_first.hepmc, line 7: a particle (P line) before "
                        "any vertex (V line)"));
}

TEST_F(EventReaderHardening, HepMC2EditedVertexBarcodeIsRefused) {
  EXPECT_THAT(
      ErrorOf("barcode.hepmc",
              Replaced(kHepMC2, "91.1 2 0 0 -2 0", "91.1 2 0 0 -7 0")),
      HasSubstr("barcode.hepmc, line 11: the particle ends at vertex -7, "
                "which is not in event 1 (line 4)"));
  EXPECT_THAT(ErrorOf("twice.hepmc", Replaced(kHepMC2, "V -2 0 0", "V -1 0 0")),
              HasSubstr("twice.hepmc, line 12: vertex barcode -1 repeats the "
                        "one of line 7"));
}

TEST_F(EventReaderHardening, HepMC2SwappedLinesAreRefused) {
  // N before E, and the second vertex's particles before it.
  EXPECT_THAT(
      ErrorOf("swap1.hepmc",
              Replaced(Replaced(kHepMC2, "N 2", "E_SWAP"), "E 1 -1", "N 2")),
      HasSubstr("swap1.hepmc, line 4: expected an event line"));
  const std::string swapped =
      Replaced(kHepMC2,
               "V -2 0 0 0 0 0 0 2 0\nP 5 13 -5 1 2 5.5 0.105 1 0 0 0 0\n",
               "P 5 13 -5 1 2 5.5 0.105 1 0 0 0 0\nV -2 0 0 0 0 0 0 2 0\n");
  EXPECT_THAT(ErrorOf("swap2.hepmc", swapped),
              HasSubstr("vertex -2 declares 2 outgoing particles, but only 1 "
                        "P lines follow it"));
}

TEST_F(EventReaderHardening, HepMC2CountsMustMatch) {
  EXPECT_THAT(ErrorOf("vertices.hepmc",
                      Replaced(kHepMC2, "0 -1 2 1 2 0 2", "0 -1 3 1 2 0 2")),
              HasSubstr("event 1 (line 4): the E line declares 3 vertices, "
                        "but the event has 2"));
  EXPECT_THAT(
      ErrorOf("weights.hepmc", Replaced(kHepMC2, "0 2 1.5 2.5", "0 3 1.5 2.5")),
      HasSubstr("line 4: the E line declares 3 weights, but 2 values "
                "follow"));
}

// HepMC2 weights were parsed with atof: "abc" → 0, "1.2.3" → 1.2, "1e" → 1,
// "0x10" → 16.
TEST_F(EventReaderHardening, HepMC2WeightsAreParsedStrictly) {
  for (const char* bad : {"abc", "1.2.3", "1e", "0x10", "1.5,", "1e999"}) {
    EXPECT_THAT(ErrorOf("weight.hepmc",
                        Replaced(kHepMC2,
                                 "0 2 1.5 2.5",
                                 std::string("0 2 ") + bad + " 2.5")),
                HasSubstr("weight.hepmc, line 4: expected a number for weight "
                          "1 of event 1, got \"" +
                          std::string(bad) + "\""))
        << bad;
  }
  EXPECT_THAT(
      ErrorOf("nan.hepmc", Replaced(kHepMC2, "0 2 1.5 2.5", "0 2 1.5 nan")),
      HasSubstr("event 1 (line 4): weight \"alt\" is nan; weights "
                "must be finite numbers"));
}

TEST_F(EventReaderHardening, HepMC2NonFiniteMomentaAreRefused) {
  EXPECT_THAT(
      ErrorOf("px.hepmc", Replaced(kHepMC2, "P 3 11 10 0", "P 3 11 nan 0")),
      HasSubstr("px.hepmc, line 10: expected a finite number for px, "
                "got \"nan\""));
  EXPECT_THAT(ErrorOf("e.hepmc", Replaced(kHepMC2, "5 11.18 0 1", "5 inf 0 1")),
              HasSubstr("line 10: expected a finite number for e"));
  EXPECT_THAT(
      ErrorOf("pdg.hepmc", Replaced(kHepMC2, "P 3 11 10", "P 3 1.1 10")),
      HasSubstr("line 10: expected an integer for the PDG id, got "
                "\"1.1\""));
}

TEST_F(EventReaderHardening, HepMC2InvalidUtf8WeightNameIsRefused) {
  EXPECT_THAT(
      ErrorOf("utf8.hepmc", Replaced(kHepMC2, "\"alt\"", "\"al\xff\xfet\"")),
      HasSubstr("utf8.hepmc, line 5: the weight names is not valid "
                "UTF-8: byte \\xff"));
}

TEST_F(EventReaderHardening, HepMC2LaterEventsMustKeepTheNames) {
  std::string text = kHepMC2;
  const std::size_t event = text.find("E 1");
  const std::size_t footer = text.find("HepMC::IO_GenEvent-END");
  std::string second = text.substr(event, footer - event);
  second = Replaced(second, "\"alt\"", "\"other\"");
  text.insert(footer, second);
  EXPECT_THAT(ErrorOf("names.hepmc", text),
              HasSubstr("names.hepmc, line 16: the weight names differ from "
                        "the first event's"));
}

// --- HepMC3: what crashed or fooled ReaderAscii ---

TEST_F(EventReaderHardening, HepMC3LongAttributeNamesAreRead) {
  // ReaderAscii copies attribute names into char[64]: "buffer overflow
  // detected" and abort for longer ones. Attributes are skipped here.
  const std::string name(300, 'x');
  std::string text = Replaced(kHepMC3, "A 0 alphaQCD", "A 0 " + name);
  text = Replaced(text, "E 0 1 4", "A " + name + " run value\nE 0 1 4");
  const EventFileSummary summary = Read(Write("long.hepmc3", text));
  EXPECT_EQ(summary.num_events, 1);
  EXPECT_EQ(summary.weight_sums, (std::vector<double>{1.5, 2.5}));
}

TEST_F(EventReaderHardening, HepMC3WeightsAreParsedStrictly) {
  for (const char* bad : {"abc", "1.2.3", "1e", "0x10", "--1"}) {
    EXPECT_THAT(
        ErrorOf("weight.hepmc3",
                Replaced(kHepMC3, "W 1.5 2.5", std::string("W 1.5 ") + bad)),
        HasSubstr("weight.hepmc3, line 7: expected a number for weight 2 of "
                  "event 1, got \"" +
                  std::string(bad) + "\""))
        << bad;
  }
  EXPECT_THAT(
      ErrorOf("inf.hepmc3", Replaced(kHepMC3, "W 1.5 2.5", "W inf 2.5")),
      HasSubstr("weight \"nominal\" is inf"));
  EXPECT_THAT(ErrorOf("count.hepmc3", Replaced(kHepMC3, "W 1.5 2.5", "W 1.5")),
              HasSubstr("event 1 (line 5): 1 weights, but the file declares "
                        "2"));
  EXPECT_THAT(ErrorOf("none.hepmc3", Replaced(kHepMC3, "W 1.5 2.5\n", "")),
              HasSubstr("0 weights, but the file declares 2"));
}

TEST_F(EventReaderHardening, HepMC3MalformedRecordsAreRefused) {
  EXPECT_THAT(
      ErrorOf("px.hepmc3", Replaced(kHepMC3, "P 3 -1 11 10", "P 3 -1 11 nan")),
      HasSubstr("px.hepmc3, line 12: expected a finite number for px"));
  // Swapped particle lines break the ids, which must count up.
  const std::string swapped =
      Replaced(kHepMC3,
               "P 3 -1 11 10 0 5 11.18 0 1\nP 4 -1 -11 -10 0 -5 11.18 0 1\n",
               "P 4 -1 -11 -10 0 -5 11.18 0 1\nP 3 -1 11 10 0 5 11.18 0 1\n");
  EXPECT_THAT(ErrorOf("swap.hepmc3", swapped),
              HasSubstr("line 12: expected particle id 3 (ids count up from 1 "
                        "in file order), got 4"));
  EXPECT_THAT(
      ErrorOf("parent.hepmc3", Replaced(kHepMC3, "P 2 0 2212", "P 2 9 2212")),
      HasSubstr("line 10: the parent of particle 2 is particle 9, "
                "which is not listed before it"));
  EXPECT_THAT(ErrorOf("count.hepmc3", Replaced(kHepMC3, "E 0 1 4", "E 0 1 5")),
              HasSubstr("the E line declares 1 vertices and 5 particles, but "
                        "the event has 1 and 4"));
  EXPECT_THAT(ErrorOf("list.hepmc3", Replaced(kHepMC3, "[1,2]", "[1,x]")),
              HasSubstr("line 11: expected an integer for an incoming particle "
                        "id, got \"x\""));
  EXPECT_THAT(
      ErrorOf("units.hepmc3", Replaced(kHepMC3, "U GEV MM", "U KEV MM")),
      HasSubstr("line 6: expected the momentum unit GEV or MEV"));
  EXPECT_THAT(ErrorOf("junk.hepmc3", Replaced(kHepMC3, "U GEV MM", "Q 1 2")),
              HasSubstr("line 6: expected a line starting with E, U, W, A, "
                        "T, P or V"));
}

TEST_F(EventReaderHardening, HepMC3InvalidUtf8WeightNameIsRefused) {
  EXPECT_THAT(
      ErrorOf("utf8.hepmc3", Replaced(kHepMC3, "W nominal", "W nom\xc3(")),
      HasSubstr("utf8.hepmc3, line 3: the weight names is not valid UTF-8"));
}

// --- issue 14, item 12: files without weights ---

TEST_F(EventReaderHardening, HepMC3WithoutWeightsIsUnweighted) {
  std::string text = Replaced(kHepMC3, "W nominal\\|alt\n", "");
  text = Replaced(text, "W 1.5 2.5\n", "");
  const auto reader = EventReader::Open(Write("plain.hepmc3", text));
  EXPECT_TRUE(reader->info().weight_names.empty());  // not a made-up "0"
  EXPECT_TRUE(reader->info().unweighted());
  Event event;
  ASSERT_TRUE(reader->Next(&event));
  EXPECT_TRUE(event.weights.empty());
  EXPECT_EQ(event.particles.size(), 4u);
}

TEST_F(EventReaderHardening, HepMC2WithoutWeightsIsUnweighted) {
  std::string text = Replaced(kHepMC2, "0 2 1.5 2.5", "0 0");
  text = Replaced(text, "N 2 \"nominal\" \"alt\"\n", "");
  const EventFileSummary summary = Read(Write("plain.hepmc", text));
  EXPECT_TRUE(summary.info.unweighted());
  EXPECT_EQ(summary.num_events, 1);
  EXPECT_TRUE(summary.weight_sums.empty());
}

// DESIGN.md §5.3: weights without names keep positional names.
TEST_F(EventReaderHardening, WeightsWithoutNamesAreNamedByPosition) {
  const auto reader = EventReader::Open(
      Write("positional.hepmc3", Replaced(kHepMC3, "W nominal\\|alt\n", "")));
  EXPECT_EQ(reader->info().weight_names, (std::vector<std::string>{"0", "1"}));
  // An empty W line in the run header names nothing either.
  const auto empty = EventReader::Open(
      Write("empty_w.hepmc3", Replaced(kHepMC3, "W nominal\\|alt\n", "W\n")));
  EXPECT_EQ(empty->info().weight_names, (std::vector<std::string>{"0", "1"}));
}

// --- LHE ---

TEST_F(EventReaderHardening, LheNumbersAreParsedStrictly) {
  EXPECT_THAT(ErrorOf("hex.lhe", Replaced(kLhe, "+1.5 100", "0x10 100")),
              HasSubstr("hex.lhe, line 14: expected a number for XWGTUP, got "
                        "\"0x10\""));
  for (const char* bad : {"abc", "1.2.3", "1e", "0x10"}) {
    EXPECT_THAT(
        ErrorOf("wgt.lhe",
                Replaced(kLhe, "> 2.5 <", std::string("> ") + bad + " <")),
        HasSubstr("wgt.lhe, line 17: expected a number for weight "
                  "'a', got \"" +
                  std::string(bad) + "\""))
        << bad;
  }
  EXPECT_THAT(ErrorOf("empty.lhe", Replaced(kLhe, "> 2.5 <", "><")),
              HasSubstr("line 17: expected a number for weight 'a', got "
                        "\"\""));
  EXPECT_THAT(ErrorOf("id.lhe", Replaced(kLhe, " 11 1 0 0", " 11.5 1 0 0")),
              HasSubstr("line 15: expected an integer for IDUP, got \"11.5\""));
  EXPECT_THAT(ErrorOf("nup.lhe", Replaced(kLhe, " 1 1 +1.5", " 1e0 1 +1.5")),
              HasSubstr("line 14: expected an integer for NUP"));
}

TEST_F(EventReaderHardening, LheNonFiniteMomentaAreRefused) {
  EXPECT_THAT(
      ErrorOf("nan.lhe", Replaced(kLhe, " 1 2 3 4.0D+00", " nan 2 3 4")),
      HasSubstr("nan.lhe, line 15: expected a finite number for PX, "
                "got \"nan\""));
  EXPECT_THAT(
      ErrorOf("big.lhe", Replaced(kLhe, " 1 2 3 4.0D+00", " 1 2 3 1e999")),
      HasSubstr("line 15: expected a number for E, got \"1e999\""));
}

TEST_F(EventReaderHardening, LheInvalidUtf8IsRefusedWithItsLine) {
  EXPECT_THAT(
      ErrorOf("id.lhe",
              Replaced(kLhe, "<weight id='a'>", "<weight id='a\xe2\x28'>")),
      HasSubstr("id.lhe, line 5: <initrwgt> is not valid UTF-8"));
  // Without <initrwgt>, the names come from the first event's <wgt id>.
  std::string no_header = Replaced(
      kLhe,
      "<initrwgt>\n<weightgroup name='mg_reweighting'>\n<weight id='a'>set "
      "param_card x 1 2.0</weight>\n</weightgroup>\n</initrwgt>\n",
      "");
  EXPECT_THAT(
      ErrorOf("wgt.lhe",
              Replaced(no_header, "<wgt id='a'>", "<wgt id='\xc0\xaf'>")),
      HasSubstr("wgt.lhe, line 12: the weight id is not valid UTF-8"));
}

TEST_F(EventReaderHardening, LheReweightValuesAreParsedStrictly) {
  for (const char* bad : {"0x10", "nan", "1e999", "2.0abc"}) {
    EXPECT_THAT(
        ErrorOf("card.lhe",
                Replaced(kLhe, "x 1 2.0<", std::string("x 1 ") + bad + "<")),
        HasSubstr("\"set param_card x 1 " + std::string(bad) + "\": value \"" +
                  bad + "\" is not a finite number"))
        << bad;
  }
}

// Scale variations found from weight names: a name with more digits than a
// double or a long holds is no variation (std::stod threw out_of_range: an
// internal error, exit 1); "MUR2.0abc"-like attributes are no scale either.
TEST(StrictVariationNames, OverlongOrMalformedScalesAreNoVariation) {
  EventFileInfo info;
  info.format = EventFormat::kHepMC2;
  info.weight_names = {"nominal",
                       "MUR" + std::string(400, '9') + "_MUF1",
                       "MUR1_MUF1_PDF" + std::string(30, '9')};
  WeightDefinition attribute;
  attribute.id = "nominal";
  attribute.attributes = {{"MUR", "2.0abc"}, {"MUF", "0x10"}};
  info.weight_definitions = {attribute};
  SystematicSpec scale;
  scale.name = "scale";
  scale.type = SystematicSpec::Type::kScale;
  EXPECT_THAT([&] { BuildNuisanceLayout({scale}, info); },
              ThrowsMessage<InvalidInput>(HasSubstr("no weight with MUR=")));
  SystematicSpec pdf;
  pdf.name = "pdf";
  pdf.type = SystematicSpec::Type::kPdf;
  EXPECT_THROW(BuildNuisanceLayout({pdf}, info), InvalidInput);
}

// --- every format ---

TEST_F(EventReaderHardening, FolderIsRefusedAsInvalidInput) {
  EXPECT_THAT([&] { EventReader::Open(folder_.string()); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("is a folder; expected an event file")));
}

TEST_F(EventReaderHardening, NominalWeightWarningForZeroOrNegativeWeights) {
  EXPECT_EQ(NominalWeightWarning(Read(Write("ok.lhe", kLhe))), "");
  EXPECT_THAT(
      NominalWeightWarning(
          Read(Write("zero.lhe", Replaced(kLhe, "+1.5 100", "0 100")))),
      HasSubstr("zero.lhe: the nominal weight \"nominal\" is zero in all 1 "
                "events"));
  EXPECT_THAT(NominalWeightWarning(Read(
                  Write("neg.lhe", Replaced(kLhe, "+1.5 100", "-0.18 100")))),
              HasSubstr("is negative or zero in all 1 events (sum -0.18"));
}

// --- the strict-number and UTF-8 helpers themselves ---

TEST(StrictNumber, AcceptsWholeDecimalTokensOnly) {
  EXPECT_EQ(ParseDouble("1.5"), 1.5);
  EXPECT_EQ(ParseDouble("+6.9967067e+08"), 6.9967067e+08);
  EXPECT_EQ(ParseDouble("-0.0"), 0.0);
  EXPECT_EQ(ParseDouble("1e-400"), 0.0);  // underflow rounds, as strtod
  for (const char* bad : {"",
                          " 1",
                          "1 ",
                          "abc",
                          "1.2.3",
                          "1e",
                          "0x10",
                          "1e999",
                          "+-1",
                          "++1",
                          "1,5",
                          "1.5f"})
    EXPECT_FALSE(ParseDouble(bad).has_value()) << bad;
  EXPECT_EQ(ParseInteger("-42"), -42);
  EXPECT_EQ(ParseInteger("+7"), 7);
  for (const char* bad : {"", "1.0", "0x10", "12a", "99999999999999999999"})
    EXPECT_FALSE(ParseInteger(bad).has_value()) << bad;
}

TEST(Utf8, FindsTheFirstInvalidByte) {
  EXPECT_EQ(FindInvalidUtf8("plain"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("μ_R × 2 \xf0\x9f\x98\x80"),
            std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FindInvalidUtf8("a\xc0\xaf"), 1u);         // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xed\xa0\x80"), 0u);      // a surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("x\xe2\x82"), 1u);         // truncated
}

// Scale and PDF labels in weight names are found by a scan, not std::regex,
// which recursed once per character: "MUR" + 50 000 digits overflowed the
// stack in `goldmine mine` (mutation campaign, issue 15).
TEST(SystematicsWeightNames, LongNamesAreScannedAndLabelsFoundAsBefore) {
  EventFileInfo file;
  file.weight_names = {"MUR" + std::string(50000, '1'),
                       "xMUR2",
                       "MUR2.0_MUF0.5_PDF261000",
                       "MUF2",
                       "MUR0.5_MUF0.5_PDF261001"};
  NuisanceSource scale;
  scale.type = SystematicSpec::Type::kScale;
  scale.mur = 2.0;
  scale.muf = 0.5;
  EXPECT_EQ(FindVariationWeight(file, scale), 2);
  scale.mur = 1.0;
  scale.muf = 2.0;  // "MUF2": the unnamed MUR is 1
  EXPECT_EQ(FindVariationWeight(file, scale), 3);
  scale.mur = 2.0;
  scale.muf = 1.0;  // "xMUR2": a letter before MUR is no label
  EXPECT_EQ(FindVariationWeight(file, scale), std::nullopt);
  NuisanceSource pdf;
  pdf.type = SystematicSpec::Type::kPdf;
  pdf.mur = 0.5;
  pdf.muf = 0.5;
  pdf.pdf_id = 261001;
  EXPECT_EQ(FindVariationWeight(file, pdf), 4);
}

}  // namespace
}  // namespace goldmine::mining
