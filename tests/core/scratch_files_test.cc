// Scratch files of killed runs are removed by the next run in the folder;
// those of live processes and files that only look similar are not.
#include "goldmine/core/scratch_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "goldmine/core/atomic_file.h"
#include "support/dead_process.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;

TEST(ScratchFiles, PidIsReadFromTheThreeNameForms) {
  EXPECT_EQ(ScratchFilePid("s.h5.tmp-1234-0"), 1234);
  EXPECT_EQ(ScratchFilePid("ev.h5.tmp-77-12.rows"), 77);
  EXPECT_EQ(ScratchFilePid("ev.h5.stage-5-3.h5"), 5);
  for (const char* other : {"s.h5",
                            "s.h5.tmp-",
                            "s.h5.tmp-12",
                            "s.h5.tmp-12-",
                            "s.h5.tmp-x-1",
                            "s.h5.tmp-12-1.txt",
                            "ev.h5.stage-5-3",
                            ".tmp-12-1",
                            "s.tmp-1234567890123-0",
                            "s.tmp-0-1"}) {
    EXPECT_EQ(ScratchFilePid(other), 0) << other;
  }
}

TEST(ScratchFiles, NextAtomicWriteRemovesOnlyFilesOfDeadProcesses) {
  const fs::path folder = testing::MakeScratchFolder("scratch_files");
  const std::string dead = std::to_string(testing::DeadPid());
  const std::string live = std::to_string(static_cast<long>(::getppid()));
  const std::string own = std::to_string(static_cast<long>(::getpid()));
  const std::vector<std::string> stale = {"s.h5.tmp-" + dead + "-0",
                                          "ev.h5.tmp-" + dead + "-3.rows",
                                          "ev.h5.stage-" + dead + "-1.h5"};
  const std::vector<std::string> kept = {"s.h5.tmp-" + live + "-0",
                                         "s.h5.tmp-" + own + "-9",
                                         "notes.tmp-" + dead + "-0.txt",
                                         "data.h5"};
  for (const auto& name : stale) std::ofstream(folder / name) << "x";
  for (const auto& name : kept) std::ofstream(folder / name) << "x";
  WriteTextFileAtomically(folder / "result.json", "{}");
  for (const auto& name : stale)
    EXPECT_FALSE(fs::exists(folder / name)) << name;
  for (const auto& name : kept) EXPECT_TRUE(fs::exists(folder / name)) << name;
  EXPECT_TRUE(fs::exists(folder / "result.json"));
  fs::remove_all(folder);
}

}  // namespace
}  // namespace goldmine
