#include "goldmine/core/atomic_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ =
        fs::temp_directory_path() /
        ("goldmine_atomic_" +
         std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path folder_;
};

TEST_F(AtomicFileTest, WritesTheFileAndLeavesNoTemporary) {
  WriteTextFileAtomically(folder_ / "out.json", "{}\n");
  EXPECT_EQ(Read(folder_ / "out.json"), "{}\n");
  EXPECT_EQ(
      std::distance(fs::directory_iterator(folder_), fs::directory_iterator()),
      1);
}

TEST_F(AtomicFileTest, UncommittedOutputLeavesTheOldFileUntouched) {
  WriteTextFileAtomically(folder_ / "out.json", "old");
  {
    AtomicOutputFile file(folder_ / "out.json");
    std::ofstream(file.temporary_path()) << "half-written";
  }  // destroyed without Commit(), as when an exception interrupts a stage
  EXPECT_EQ(Read(folder_ / "out.json"), "old");
  EXPECT_EQ(
      std::distance(fs::directory_iterator(folder_), fs::directory_iterator()),
      1);
}

TEST_F(AtomicFileTest, MissingFolderIsInvalidInputNamingTheFolder) {
  EXPECT_THAT(
      [&] { WriteTextFileAtomically(folder_ / "no" / "out.json", "x"); },
      ::testing::ThrowsMessage<InvalidInput>(
          ::testing::HasSubstr("does not exist")));
}

}  // namespace
}  // namespace goldmine
