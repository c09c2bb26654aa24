#include "goldmine/mining/events_provenance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "goldmine/core/errors.h"

namespace goldmine::mining {
namespace {

using ::testing::HasSubstr;

std::filesystem::path TempFolder(const std::string& name) {
  const std::filesystem::path folder =
      std::filesystem::path(::testing::TempDir()) /
      ("goldmine_provenance_" + name);
  std::filesystem::create_directories(folder);
  return folder;
}

TEST(SamplesFileProvenance, NamesTheFileByItsNameAndSha256) {
  const std::filesystem::path folder = TempFolder("sha");
  const std::filesystem::path path = folder / "samples.h5";
  std::ofstream(path, std::ios::binary) << "abc";
  const auto [key, value] = SamplesFileProvenance(path);
  EXPECT_EQ(key, "goldmine.samples_file");
  // SHA-256("abc"): FIPS 180-2, appendix B.1. Only the file name is kept,
  // not the folder.
  const std::string sha256_of_abc =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  EXPECT_EQ(value,
            "{\"name\":\"samples.h5\",\"sha256\":\"" + sha256_of_abc + "\"}");
  std::filesystem::remove_all(folder);
}

TEST(SamplesFileProvenance, AnUnreadableFileIsInvalidInputNamingIt) {
  const std::filesystem::path path = TempFolder("missing") / "absent.h5";
  EXPECT_THAT([&] { SamplesFileProvenance(path); },
              ::testing::ThrowsMessage<InvalidInput>(
                  HasSubstr(path.string() + ": cannot open to hash")));
}

}  // namespace
}  // namespace goldmine::mining
