// The generators write HepMC3 Asciiv3 themselves (ascii_event_writer.h, for
// speed). HepMC3 3.1.2 must read the files, and rewriting what it read with
// its own WriterAscii must give the same file: the same lines and tokens,
// numbers equal as doubles (exactly, except the GenCrossSection and
// GenPdfInfo attributes that WriterAscii prints with 9 digits).
#include <HepMC3/GenEvent.h>
#include <HepMC3/GenRunInfo.h>
#include <HepMC3/ReaderAscii.h>
#include <HepMC3/Setup.h>
#include <HepMC3/WriterAscii.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "goldmine/generators/benchmarks.h"
#include "goldmine/generators/builtin_pdf.h"
#include "goldmine/generators/toy_event_file.h"
#include "goldmine/generators/wh_event_file.h"
#include "support/scratch_folder.h"

namespace goldmine::generators {
namespace {

std::vector<std::string> Lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

bool ParseNumber(const std::string& token, double* value) {
  char* end = nullptr;
  *value = std::strtod(token.c_str(), &end);
  return !token.empty() && end == token.c_str() + token.size();
}

// Reads `path` with ReaderAscii, writes every event with WriterAscii to
// `rewritten`; returns the number of events.
int Rewrite(const std::filesystem::path& path,
            const std::filesystem::path& rewritten) {
  HepMC3::Setup::set_print_warnings(false);
  HepMC3::ReaderAscii reader(path.string());
  std::unique_ptr<HepMC3::WriterAscii> writer;
  int events = 0;
  while (true) {
    HepMC3::GenEvent event;
    reader.read_event(event);
    if (reader.failed()) break;
    if (!writer)
      writer = std::make_unique<HepMC3::WriterAscii>(rewritten.string(),
                                                     reader.run_info());
    writer->write_event(event);
    ++events;
  }
  if (writer) writer->close();
  return events;
}

void ExpectSameLayout(const std::filesystem::path& ours,
                      const std::filesystem::path& theirs) {
  const std::vector<std::string> a = Lines(ours);
  const std::vector<std::string> b = Lines(theirs);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::istringstream sa(a[i]);
    std::istringstream sb(b[i]);
    std::vector<std::string> ta;
    std::vector<std::string> tb;
    for (std::string t; sa >> t;) ta.push_back(t);
    for (std::string t; sb >> t;) tb.push_back(t);
    ASSERT_EQ(ta.size(), tb.size()) << "line " << i + 1 << ":\n"
                                    << a[i] << "\n"
                                    << b[i];
    const bool rounded = a[i].rfind("A 0 GenCrossSection", 0) == 0 ||
                         a[i].rfind("A 0 GenPdfInfo", 0) == 0;
    for (std::size_t k = 0; k < ta.size(); ++k) {
      double x = 0.0;
      double y = 0.0;
      if (ta[k] != tb[k] && ParseNumber(ta[k], &x) && ParseNumber(tb[k], &y)) {
        EXPECT_NEAR(x, y, rounded ? 1e-8 * std::abs(x) : 0.0)
            << "line " << i + 1 << ", token " << k + 1;
      } else {
        EXPECT_EQ(ta[k], tb[k]) << "line " << i + 1;
      }
    }
  }
}

class AsciiEventWriter : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = goldmine::testing::MakeScratchFolder("ascii_event_writer");
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

TEST_F(AsciiEventWriter, WhFileIsWhatHepMC3WouldWrite) {
  const WhGenerator generator(WhGeneratorSettings{},
                              std::make_shared<BuiltinPdf>());
  const std::vector<std::string> names = {"cHbox", "cHDD", "cHW", "cHq3"};
  const auto benchmarks = OptimisedMorphingBenchmarks(
      names, ParameterRanges(4, ParameterRange{-1.0, 1.0}), 2);
  const auto path = folder_ / "wh.hepmc3";
  WriteWhEventFile(path.string(), generator, benchmarks, 300, 3);
  EXPECT_EQ(Rewrite(path, folder_ / "rewritten.hepmc3"), 300);
  ExpectSameLayout(path, folder_ / "rewritten.hepmc3");
}

TEST_F(AsciiEventWriter, ToyFileIsWhatHepMC3WouldWrite) {
  const ToyModel model(ToyModel::AllParameters());
  const auto benchmarks = OptimisedMorphingBenchmarks(
      model.parameters(), ParameterRanges(2, ParameterRange{-1.0, 1.0}), 2);
  const auto path = folder_ / "toy.hepmc3";
  WriteToyEventFile(path.string(), model, benchmarks, 300, 3);
  EXPECT_EQ(Rewrite(path, folder_ / "rewritten.hepmc3"), 300);
  ExpectSameLayout(path, folder_ / "rewritten.hepmc3");
}

}  // namespace
}  // namespace goldmine::generators
