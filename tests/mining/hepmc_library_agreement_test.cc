// goldmine's own HepMC3 and HepMC2 readers against the library they replace
// (Debian's HepMC3 3.1.2, used here only as the reference): on every HepMC
// file of ../shared/data/events, and on rewritten copies of them, both give
// the same events, weights and particles, bit for bit and in the same order.
// This test is the only place besides the generators' tests that includes
// HepMC3 headers (never with torch, TOOLCHAIN.md).
#include <HepMC3/GenEvent.h>
#include <HepMC3/GenParticle.h>
#include <HepMC3/GenRunInfo.h>
#include <HepMC3/ReaderAscii.h>
#include <HepMC3/ReaderAsciiHepMC2.h>
#include <HepMC3/Setup.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <vector>

#include "goldmine/mining/event_reader.h"
#include "support/event_file_scan.h"
#include "support/reference_data.h"
#include "support/scratch_folder.h"

namespace goldmine::mining {
namespace {

namespace fs = std::filesystem;

struct LibraryFile {
  std::vector<std::string> names;
  std::vector<Event> events;
};

// The loop of HEPMC3_NOTES.md §3: check failed() after every read_event.
LibraryFile ReadWithLibrary(const std::string& path, bool hepmc2) {
  HepMC3::Setup::set_print_warnings(false);
  HepMC3::Setup::set_print_errors(false);
  std::unique_ptr<HepMC3::Reader> reader;
  if (hepmc2) {
    reader = std::make_unique<HepMC3::ReaderAsciiHepMC2>(path);
  } else {
    reader = std::make_unique<HepMC3::ReaderAscii>(path);
  }
  LibraryFile file;
  while (true) {
    HepMC3::GenEvent generated;
    reader->read_event(generated);
    if (reader->failed()) break;
    Event event;
    event.number = static_cast<std::int64_t>(file.events.size()) + 1;
    const double to_gev =
        generated.momentum_unit() == HepMC3::Units::MEV ? 1e-3 : 1.0;
    for (const auto& particle : generated.particles()) {
      const HepMC3::FourVector& p = particle->momentum();
      event.particles.push_back({particle->pid(),
                                 particle->status(),
                                 p.px() * to_gev,
                                 p.py() * to_gev,
                                 p.pz() * to_gev,
                                 p.e() * to_gev,
                                 particle->generated_mass() * to_gev});
    }
    event.weights = generated.weights();
    file.events.push_back(std::move(event));
    if (file.names.empty() && reader->run_info())
      file.names = reader->run_info()->weight_names();
  }
  return file;
}

void ExpectSameEvents(const std::string& path, bool hepmc2) {
  const LibraryFile library = ReadWithLibrary(path, hepmc2);
  ASSERT_FALSE(library.events.empty()) << path;
  const auto reader = EventReader::Open(path);
  EXPECT_EQ(reader->info().weight_names, library.names);
  Event event;
  std::size_t count = 0;
  while (reader->Next(&event)) {
    ASSERT_LT(count, library.events.size());
    const Event& expected = library.events[count++];
    ASSERT_EQ(event.number, expected.number);
    ASSERT_EQ(event.weights, expected.weights) << "event " << event.number;
    ASSERT_EQ(event.particles.size(), expected.particles.size())
        << "event " << event.number;
    for (std::size_t i = 0; i < event.particles.size(); ++i) {
      const Particle& a = event.particles[i];
      const Particle& b = expected.particles[i];
      ASSERT_TRUE(a.pdg_id == b.pdg_id && a.status == b.status &&
                  a.px == b.px && a.py == b.py && a.pz == b.pz &&
                  a.energy == b.energy && a.mass == b.mass)
          << "event " << event.number << ", particle " << i;
    }
  }
  EXPECT_EQ(count, library.events.size());
}

std::string EventFile(const std::string& name) {
  const fs::path path = testing::SharedDir() / "data" / "events" / name;
  return fs::exists(path) ? path.string() : "";
}

TEST(HepMCLibraryAgreement, HepMC3FileGivesTheLibrarysEvents) {
  const std::string path =
      EventFile("pythia8_ee-Z-tautau_hepmc3-3.01.01.hepmc3");
  if (path.empty()) GTEST_SKIP() << "HepMC3 file is absent";
  ExpectSameEvents(path, false);
}

TEST(HepMCLibraryAgreement, HepMC2FileGivesTheLibrarysEventsInItsOrder) {
  const std::string path = EventFile("sherpa_hepmc2_weights146.hepmc");
  if (path.empty()) GTEST_SKIP() << "HepMC2 file is absent";
  ExpectSameEvents(path, true);
}

// The same events with the V blocks (a V line and its P lines) of every
// event in a random order, which is still a valid HepMC2 file: the library
// then sorts the particles differently (GenEvent::add_tree), and goldmine's
// reader must follow it.
TEST(HepMCLibraryAgreement, ShuffledHepMC2VerticesGiveTheLibrarysOrder) {
  const std::string path = EventFile("sherpa_hepmc2_weights146.hepmc");
  if (path.empty()) GTEST_SKIP() << "HepMC2 file is absent";
  const fs::path folder = testing::MakeScratchFolder("hepmc2_shuffled");
  std::mt19937 random(7);
  for (int round = 0; round < 3; ++round) {
    std::string out;
    std::vector<std::string> blocks;
    auto flush_blocks = [&] {
      std::shuffle(blocks.begin(), blocks.end(), random);
      for (const std::string& block : blocks) out += block;
      blocks.clear();
    };
    for (const std::string& line :
         testing::Lines(testing::Decompressed(path))) {
      if (line.rfind("V ", 0) == 0) {
        blocks.push_back(line + "\n");
      } else if (line.rfind("P ", 0) == 0) {
        blocks.back() += line + "\n";
      } else {
        flush_blocks();
        out += line + "\n";
      }
    }
    flush_blocks();
    const fs::path shuffled =
        folder / ("shuffled" + std::to_string(round) + ".hepmc");
    std::ofstream(shuffled) << out;
    ExpectSameEvents(shuffled.string(), true);
  }
  fs::remove_all(folder);
}

// MeV momenta are converted to GeV as the library's units say.
TEST(HepMCLibraryAgreement, MevUnitsGiveTheLibrarysGev) {
  const std::string path =
      EventFile("pythia8_ee-Z-tautau_hepmc3-3.01.01.hepmc3");
  if (path.empty()) GTEST_SKIP() << "HepMC3 file is absent";
  const fs::path folder = testing::MakeScratchFolder("hepmc3_mev");
  std::string out;
  for (const std::string& line : testing::Lines(testing::Decompressed(path)))
    out += (line == "U GEV MM" ? std::string("U MEV MM") : line) + "\n";
  const fs::path mev = folder / "mev.hepmc3";
  std::ofstream(mev) << out;
  ExpectSameEvents(mev.string(), false);
  fs::remove_all(folder);
}

}  // namespace
}  // namespace goldmine::mining
