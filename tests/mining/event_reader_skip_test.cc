// EventReader::Skip (issue 19: shards that start inside a file, and the
// event count of event_norm = average): on the real generator files of every
// format, skipping k events leaves the reader exactly where k calls of
// Next() leave it, and skipping everything counts the events Next() reads.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "goldmine/mining/event_reader.h"
#include "goldmine/mining/sample.h"
#include "support/reference_data.h"

namespace goldmine::mining {
namespace {

std::vector<Event> ReadAll(const std::string& path) {
  const auto reader = EventReader::Open(path);
  std::vector<Event> events;
  Event event;
  while (reader->Next(&event)) events.push_back(event);
  return events;
}

void ExpectSame(const Event& a, const Event& b, const std::string& what) {
  EXPECT_EQ(a.number, b.number) << what;
  EXPECT_EQ(a.weights, b.weights) << what;
  ASSERT_EQ(a.particles.size(), b.particles.size()) << what;
  for (std::size_t i = 0; i < a.particles.size(); ++i) {
    EXPECT_EQ(a.particles[i].pdg_id, b.particles[i].pdg_id) << what;
    EXPECT_EQ(a.particles[i].px, b.particles[i].px) << what;
    EXPECT_EQ(a.particles[i].energy, b.particles[i].energy) << what;
  }
}

TEST(EventReaderSkip, LandsWhereNextWouldOnEveryFormat) {
  const std::filesystem::path folder = testing::SharedDir() / "data/events";
  if (!std::filesystem::exists(folder)) {
    GTEST_SKIP() << "generator files absent (" << folder << ")";
  }
  int files = 0;
  for (const char* name : {"mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz",
                           "powheg-box-v2_hvq_weights45.lhe",
                           "pythia8_ee-Z-tautau_hepmc3-3.01.01.hepmc3",
                           "sherpa_hepmc2_weights146.hepmc"}) {
    const std::string path = (folder / name).string();
    if (!std::filesystem::exists(path)) continue;
    ++files;
    const std::vector<Event> all = ReadAll(path);
    const auto n = static_cast<std::int64_t>(all.size());
    ASSERT_GT(n, 3) << name;
    EXPECT_EQ(CountEvents(path), n) << name;
    for (std::int64_t k : {std::int64_t{0}, std::int64_t{1}, n / 2, n - 1}) {
      const auto reader = EventReader::Open(path);
      EXPECT_EQ(reader->Skip(k), k) << name;
      Event event;
      ASSERT_TRUE(reader->Next(&event)) << name << " after " << k;
      ExpectSame(event,
                 all[static_cast<std::size_t>(k)],
                 std::string(name) + " after skipping " + std::to_string(k));
    }
    const auto reader = EventReader::Open(path);
    EXPECT_EQ(reader->Skip(n + 5), n) << name;
    Event event;
    EXPECT_FALSE(reader->Next(&event)) << name;
  }
  EXPECT_EQ(files, 4) << "generator files missing in " << folder;
}

}  // namespace
}  // namespace goldmine::mining
