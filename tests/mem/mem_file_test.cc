#include "goldmine/mining/mem_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "goldmine/core/errors.h"
#include "support/scratch_folder.h"

namespace goldmine::mining {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// A scratch folder removed at the end of the test.
class Folder {
 public:
  explicit Folder(const std::string& name)
      : path_(testing::MakeScratchFolder("mem_file_" + name)) {}
  ~Folder() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

MemHeader Header(std::int64_t events) {
  MemHeader header;
  header.components.resize(3, 1);
  header.components << 0, 1, 2;
  header.parameter_names = {"c2"};
  header.observables = {"j[0].pt", "j[0].eta"};
  header.process = "toy";
  header.description = "test";
  header.events_file = "events.h5";
  header.settings = "seed=1";
  header.num_events = events;
  return header;
}

MemRows Rows(std::int64_t first, std::int64_t count) {
  MemRows rows;
  rows.coefficients.resize(count, 3);
  rows.errors.resize(count, 3);
  for (std::int64_t i = 0; i < count; ++i) {
    for (int c = 0; c < 3; ++c) {
      rows.coefficients(i, c) = 100.0 * static_cast<double>(first + i) + c;
      rows.errors(i, c) = 0.5 * c;
    }
    rows.calls.push_back(1000 + first + i);
    rows.converged.push_back((first + i) % 2);
  }
  return rows;
}

TEST(MemFile, RowsWrittenInAnyOrderReadBackExactly) {
  Folder folder("round_trip");
  const auto path = folder.path() / "mem.h5";
  {
    MemFileWriter writer(path, Header(10));
    writer.Write(6, Rows(6, 4));
    writer.Write(0, Rows(0, 6));
    writer.Finish();
  }
  const MemFileReader reader(path);
  EXPECT_EQ(reader.header().num_events, 10);
  EXPECT_EQ(reader.header().components, Header(10).components);
  EXPECT_EQ(reader.header().parameter_names, Header(10).parameter_names);
  EXPECT_EQ(reader.header().observables, Header(10).observables);
  EXPECT_EQ(reader.header().process, "toy");
  EXPECT_EQ(reader.header().settings, "seed=1");
  const MemRows rows = reader.Read(3, 5);
  const MemRows expected = Rows(3, 5);
  EXPECT_EQ(rows.coefficients, expected.coefficients);
  EXPECT_EQ(rows.errors, expected.errors);
  EXPECT_EQ(rows.calls, expected.calls);
  EXPECT_EQ(rows.converged, expected.converged);
}

TEST(MemFile, AnIncompleteFileIsNeverWritten) {
  Folder folder("incomplete");
  const auto path = folder.path() / "mem.h5";
  {
    MemFileWriter writer(path, Header(10));
    writer.Write(0, Rows(0, 6));
    EXPECT_THAT(
        [&] { writer.Finish(); },
        ThrowsMessage<InvalidInput>(HasSubstr("event 6 was not written")));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(folder.path()));
}

TEST(MemFile, NonFiniteCoefficientsAreRefusedWithTheirEvent) {
  Folder folder("non_finite");
  const auto path = folder.path() / "mem.h5";
  MemRows rows = Rows(0, 5);
  rows.coefficients(3, 1) = std::numeric_limits<double>::quiet_NaN();
  {
    MemFileWriter writer(path, Header(5));
    writer.Write(0, rows);
    writer.Finish();
  }
  const MemFileReader reader(path);
  EXPECT_NO_THROW(reader.Read(0, 3));
  EXPECT_THAT([&] { reader.Read(0, 5); },
              ThrowsMessage<FileFormatError>(HasSubstr(
                  "mem.h5: mem/coefficients: event 3, component 1: expected "
                  "a finite value")));
}

TEST(MemFile, AnotherHdf5FileIsRefusedNamingTheDataset) {
  Folder folder("other");
  const auto path = folder.path() / "not_mem.h5";
  {
    MemFileWriter writer(path, Header(2));
    writer.Write(0, Rows(0, 2));
    writer.Finish();
  }
  // A text file is not HDF5 at all.
  const auto text = folder.path() / "text.h5";
  std::ofstream(text) << "not hdf5\n";
  EXPECT_THROW(MemFileReader reader(text), FileFormatError);
  EXPECT_NO_THROW(MemFileReader reader(path));
}

}  // namespace
}  // namespace goldmine::mining
