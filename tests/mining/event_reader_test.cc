// The event readers on the real generator files of ../shared/data/events.
// Expected counts, names and sums come from an independent scan of the text
// in this file (regular expressions over the decompressed lines), never from
// the reader under test.
#include "goldmine/mining/event_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "goldmine/core/errors.h"
#include "goldmine/mining/event_file_summary.h"
#include "support/event_file_scan.h"
#include "support/reference_data.h"
#include "support/scratch_folder.h"

namespace goldmine::mining {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
namespace fs = std::filesystem;

std::string EventFile(const std::string& name) {
  const fs::path path = testing::SharedDir() / "data" / "events" / name;
  return fs::exists(path) ? path.string() : "";
}

struct FileCase {
  std::string name;
  EventFormat format;
  std::int64_t num_events;
  std::size_t num_weights;
};

class RealEventFile : public ::testing::TestWithParam<FileCase> {};

TEST_P(RealEventFile, HasTheEventsNamesAndSumsOfAnIndependentScan) {
  const FileCase& file = GetParam();
  const std::string path = EventFile(file.name);
  if (path.empty())
    GTEST_SKIP() << "../shared/data/events/" << file.name << " is absent";
  const testing::Expected expected =
      file.format == EventFormat::kLhe      ? testing::ScanLhe(path)
      : file.format == EventFormat::kHepMC2 ? testing::ScanHepMC2(path)
                                            : testing::ScanHepMC3(path);
  const EventFileSummary summary = SummarizeEventFile(path);
  EXPECT_EQ(summary.info.format, file.format);
  EXPECT_EQ(summary.num_events, file.num_events);
  EXPECT_EQ(expected.num_events, file.num_events);
  EXPECT_EQ(summary.info.weight_names.size(), file.num_weights);
  EXPECT_EQ(summary.info.weight_names, expected.names);
  for (std::size_t w = 0; w < summary.info.weight_names.size(); ++w) {
    const std::string& name = summary.info.weight_names[w];
    const double sum = expected.sums.at(name);
    EXPECT_NEAR(summary.weight_sums[w], sum, 1e-12 * std::abs(sum)) << name;
    const auto negatives = expected.negatives.find(name);
    EXPECT_EQ(summary.negative_weights[w],
              negatives == expected.negatives.end() ? 0 : negatives->second)
        << name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    SharedData,
    RealEventFile,
    ::testing::Values(
        FileCase{"mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz",
                 EventFormat::kLhe,
                 10000,
                 38},
        FileCase{"mg5-3.5.8_pp_jj_scale-pdf145.lhe.gz",
                 EventFormat::kLhe,
                 1000,
                 146},
        FileCase{"powheg-box-v2_hvq_weights45.lhe", EventFormat::kLhe, 6, 46},
        FileCase{
            "sherpa_hepmc2_weights146.hepmc", EventFormat::kHepMC2, 6, 146},
        FileCase{"pythia8_ee-Z-tautau_hepmc3-3.01.01.hepmc3",
                 EventFormat::kHepMC3,
                 100,
                 1}),
    [](const ::testing::TestParamInfo<FileCase>& param_info) {
      std::string name = param_info.param.name;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(LheReader, ReadsMadGraphReweightSettingsAndFindsTheNoOps) {
  const std::string path =
      EventFile("mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz");
  if (path.empty()) GTEST_SKIP() << "SMEFTsim reweighting file is absent";
  const auto reader = EventReader::Open(path);
  const EventFileInfo& info = reader->info();
  EXPECT_EQ(info.reweight.size(), 37u);
  EXPECT_EQ(info.reweight.at("cHDD_0p1"),
            (std::map<std::string, double>{{"smeft 5", 0.1}}));
  EXPECT_EQ(info.reweight.at("cGtil_0p1"),
            (std::map<std::string, double>{{"smeftcpv 1", 0.1}}));
  EXPECT_TRUE(info.reweight.at("SM").empty());
  const std::vector<std::string> no_ops = NoOpReweightings(info);
  EXPECT_EQ(no_ops.size(), 14u);
  EXPECT_THAT(no_ops, ::testing::Contains("cuW_0p1"));
  EXPECT_THAT(no_ops, ::testing::Not(::testing::Contains("SM")));
  EXPECT_EQ(info.event_norm, "average");
}

TEST(LheReader, ScaleAndPdfVariationsAreNotReweightings) {
  const std::string path = EventFile("mg5-3.5.8_pp_jj_scale-pdf145.lhe.gz");
  if (path.empty()) GTEST_SKIP() << "MadGraph systematics file is absent";
  const auto reader = EventReader::Open(path);
  EXPECT_TRUE(reader->info().reweight.empty());
  EXPECT_EQ(reader->info().weight_definitions.front().group,
            "Central scale variation");
  EXPECT_EQ(reader->info().weight_definitions.front().attributes.count("MUR"),
            1u);
}

TEST(LheReader, ReadsParticles) {
  const std::string path = EventFile("powheg-box-v2_hvq_weights45.lhe");
  if (path.empty()) GTEST_SKIP() << "POWHEG file is absent";
  const auto reader = EventReader::Open(path);
  Event event;
  ASSERT_TRUE(reader->Next(&event));
  EXPECT_EQ(event.number, 1);
  ASSERT_EQ(event.particles.size(), 7u);
  EXPECT_EQ(event.particles[2].pdg_id, 23);
  EXPECT_EQ(event.particles[2].status, 2);
  EXPECT_DOUBLE_EQ(event.particles[2].energy, 3.504354871);
  EXPECT_DOUBLE_EQ(event.weights[0], 1.11453e7);
}

class MalformedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("malformed_events");
  }
  void TearDown() override { fs::remove_all(folder_); }

  std::string Write(const std::string& name, const std::string& text) {
    const fs::path path = folder_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  // Reads every event; the exception of the reader propagates.
  static void ReadAll(const std::string& path) {
    const auto reader = EventReader::Open(path);
    Event event;
    while (reader->Next(&event)) {
    }
  }

  static std::string Lhe(const std::string& events) {
    return "<LesHouchesEvents version=\"3.0\">\n<header>\n<initrwgt>\n"
           "<weightgroup name='mg_reweighting'>\n<weight id='a'>set param_card "
           "x 1 2.0 # orig: 0\n"
           "</weight>\n</weightgroup>\n</initrwgt>\n</header>\n<init>\n"
           "2212 2212 6500 6500 0 0 0 0 3 1\n1.5 0.1 1.5 1\n</init>\n" +
           events;
  }
  static std::string LheEvent(const std::string& weight_a,
                              const std::string& xwgtup = "1.5") {
    return "<event>\n 1 1 " + xwgtup +
           " 100 0.0078 0.118\n 11 1 0 0 0 0 1 2 3 4 0.000511 0 "
           "9\n<rwgt>\n<wgt id='a'> " +
           weight_a + " </wgt>\n</rwgt>\n</event>\n";
  }

  fs::path folder_;
};

TEST_F(MalformedFileTest, WellFormedSyntheticFileReads) {
  const std::string path =
      Write("ok.lhe",
            Lhe(LheEvent("2.5") + LheEvent("-1") + "</LesHouchesEvents>\n"));
  const EventFileSummary summary = SummarizeEventFile(path);
  EXPECT_EQ(summary.num_events, 2);
  EXPECT_EQ(summary.weight_sums, (std::vector<double>{3.0, 1.5}));
  EXPECT_EQ(summary.negative_weights, (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(summary.info.reweight.at("a").at("x 1"), 2.0);
}

TEST_F(MalformedFileTest, GzipInputGivesTheSameEvents) {
  const std::string text =
      Lhe(LheEvent("2.5") + LheEvent("-1") + "</LesHouchesEvents>\n");
  const std::string gz_path = (folder_ / "ok.lhe.gz").string();
  gzFile file = gzopen(gz_path.c_str(), "wb");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
  EXPECT_EQ(SummarizeEventFile(gz_path).weight_sums,
            SummarizeEventFile(Write("ok.lhe", text)).weight_sums);
}

// Lines are read as views of the decompressed buffer (64 kB), and a line
// that runs past its end is assembled from several refills: every value
// must survive, plain and gzip-compressed (both refill at multiples of
// 64 kB of text). The first events put a buffer boundary on purpose inside
// a particle line, between the '\r' and '\n' of a CRLF line end, and inside
// a weight's value; every fifth event splits its <wgt> tag over two lines;
// one comment line is longer than three buffers; the rest move the line
// ends across the boundaries with paddings of varying length.
TEST_F(MalformedFileTest, LinesAcrossReadBuffersKeepEveryValue) {
  constexpr std::size_t kBuffer = std::size_t{1} << 16;  // gzip_input.h
  constexpr int kEvents = 3000;
  constexpr int kPlaced = 12;
  std::string text = Lhe("");
  // A comment line that ends exactly at `end`.
  auto pad_to = [&text](std::size_t end) {
    text += "# " + std::string(end - text.size() - 4, 'x') + "\r\n";
  };
  for (int i = 0; i < kEvents; ++i) {
    const std::string number = std::to_string(i);
    const std::string particle =
        " 11 1 0 0 0 0 " + number + " 2 3 4 0.000511 0 9\r\n";
    const std::string weight =
        i % 5 == 4 ? "<wgt id='a'>\r\n -" + number + ".5 </wgt>\r\n"
                   : "<wgt id='a'> -" + number + ".5 </wgt>\r\n";
    const std::string rwgt = "<rwgt>\r\n";
    text += "<event>\r\n 1 1 " + number + ".25 100 0.0078 0.118\r\n";
    // The next boundary with room for a padding line before it.
    const std::size_t boundary = (text.size() / kBuffer + 2) * kBuffer;
    if (i < kPlaced && i % 3 == 0) {
      pad_to(boundary - 10);  // the boundary 10 bytes into the particle
    } else if (i < kPlaced && i % 3 == 1) {
      pad_to(boundary + 1 - particle.size());  // '\r' | '\n'
    } else if (i >= kPlaced) {
      const std::size_t padding = static_cast<std::size_t>(i * 37 % 4099) +
                                  (i == kEvents / 2 ? 200000 : 0);
      text += "# " + std::string(padding, 'x') + "\r\n";
    }
    text += particle;
    if (i < kPlaced && i % 3 == 2) {
      pad_to(boundary - 15 - rwgt.size());  // inside the weight's value
    }
    text += rwgt + weight + "</rwgt>\r\n</event>\r\n";
  }
  text += "</LesHouchesEvents>\n";
  const std::string gz_path = (folder_ / "long.lhe.gz").string();
  gzFile file = gzopen(gz_path.c_str(), "wb");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
  ASSERT_GT(text.size(), std::size_t{4} << 20);  // many refills
  for (const std::string& path : {Write("long.lhe", text), gz_path}) {
    const auto reader = EventReader::Open(path);
    Event event;
    int read = 0;
    while (reader->Next(&event)) {
      ASSERT_EQ(event.weights.size(), 2u) << path;
      EXPECT_EQ(event.weights[0], read + 0.25) << path << " event " << read;
      EXPECT_EQ(event.weights[1], -(read + 0.5)) << path << " event " << read;
      ASSERT_EQ(event.particles.size(), 1u) << path;
      EXPECT_EQ(event.particles[0].px, read) << path << " event " << read;
      EXPECT_EQ(event.particles[0].status, 1) << path << " event " << read;
      ++read;
    }
    EXPECT_EQ(read, kEvents) << path;
  }
}

TEST_F(MalformedFileTest, TruncatedLheNamesTheEventAndLine) {
  const std::string text = Lhe(LheEvent("2.5") + LheEvent("1"));
  // Cut inside the second event, before its particle line.
  const std::size_t second_event = text.find("<event>", text.find("</event>"));
  const std::string path =
      Write("cut.lhe", text.substr(0, text.find(" 11 1", second_event)));
  EXPECT_THAT([&] { ReadAll(path); },
              ThrowsMessage<FileFormatError>(HasSubstr(
                  "the file ends inside event 2 (which starts at line 21)")));
}

TEST_F(MalformedFileTest, TruncatedGzipIsReported) {
  std::string text = Lhe("");
  for (int i = 0; i < 2000; ++i) text += LheEvent(std::to_string(i));
  const std::string gz_path = (folder_ / "cut.lhe.gz").string();
  gzFile file = gzopen(gz_path.c_str(), "wb");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
  fs::resize_file(gz_path, fs::file_size(gz_path) / 2);
  EXPECT_THAT([&] { ReadAll(gz_path); },
              ThrowsMessage<FileFormatError>(HasSubstr("cut.lhe.gz")));
}

TEST_F(MalformedFileTest, NanWeightIsRejected) {
  const std::string path =
      Write("nan.lhe", Lhe(LheEvent("2.5") + LheEvent("nan")));
  EXPECT_THAT([&] { ReadAll(path); },
              ThrowsMessage<FileFormatError>(
                  HasSubstr("event 2 (line 21): weight \"a\" is nan")));
}

TEST_F(MalformedFileTest, MissingWeightIsNamed) {
  std::string event = LheEvent("1");
  event.replace(event.find("<rwgt>"),
                event.find("</rwgt>") + 7 - event.find("<rwgt>"),
                "");
  const std::string path = Write("missing.lhe", Lhe(event));
  EXPECT_THAT([&] { ReadAll(path); },
              ThrowsMessage<FileFormatError>(
                  HasSubstr("event 1 (line 14): no weight \"a\"")));
}

TEST_F(MalformedFileTest, BrokenXmlInTheHeaderIsNamed) {
  std::string text = Lhe(LheEvent("1"));
  text.replace(text.find("<weight id='a'>"), 15, "<weight id='a>");
  const std::string path = Write("broken.lhe", text);
  EXPECT_THAT([&] { ReadAll(path); },
              ThrowsMessage<FileFormatError>(
                  HasSubstr("broken.lhe, line 3: broken <initrwgt>")));
}

TEST_F(MalformedFileTest, NonNumericParticleLineIsNamed) {
  std::string event = LheEvent("1");
  event.replace(event.find(" 11 1 0 0"), 9, " 11 x 0 0");
  const std::string path = Write("letters.lhe", Lhe(event));
  EXPECT_THAT([&] { ReadAll(path); },
              ThrowsMessage<FileFormatError>(HasSubstr(
                  "line 16: expected an integer for ISTUP, got \"x\"")));
}

TEST_F(MalformedFileTest, UnknownFormatIsNamed) {
  const std::string path = Write("notes.txt", "hello\n");
  EXPECT_THAT([&] { EventReader::Open(path); },
              ThrowsMessage<FileFormatError>(HasSubstr(
                  "notes.txt, line 1: not an LHE, HepMC3 or HepMC2 file")));
}

TEST_F(MalformedFileTest, MissingFileIsInvalidInput) {
  EXPECT_THAT([&] { EventReader::Open((folder_ / "absent.lhe").string()); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("absent.lhe: cannot open the file")));
}

}  // namespace
}  // namespace goldmine::mining
