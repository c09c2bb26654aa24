// The `goldmine` launcher (apps/src/launcher.cc) on its own, beside a
// stand-in goldmine-main that prints what it was given: the arguments and
// exit code pass through, the commands that fill large arrays get the
// huge-pages tunable (added to the user's tunables, never overriding the
// user's own setting, never with GOLDMINE_NO_HUGE_PAGES), the others do not,
// and without goldmine-main it says so.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/scratch_folder.h"
#include "support/shell_quoted.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;

class LauncherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("launcher");
    fs::copy_file(GOLDMINE_CLI, folder_ / "goldmine");
    std::ofstream main(folder_ / "goldmine-main");
    main << "#!/bin/sh\n"
            "echo \"tunables=${GLIBC_TUNABLES-(unset)} args=$*\"\n"
            "exit 7\n";
    main.close();
    fs::permissions(folder_ / "goldmine-main", fs::perms::owner_all);
  }
  void TearDown() override { fs::remove_all(folder_); }

  // Runs the copied launcher with `arguments` under `environment` (env -i
  // style); returns "exit <code>: <stdout and stderr>".
  std::string Run(const std::string& environment,
                  const std::string& arguments) {
    const std::string output = (folder_ / "output").string();
    const std::string command =
        "env -i PATH=/usr/bin:/bin " + environment + " " +
        testing::ShellQuoted((folder_ / "goldmine").string()) + " " +
        arguments + " >" + testing::ShellQuoted(output) + " 2>&1";
    const int status = std::system(command.c_str());
    std::string text = testing::ReadText(output);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return "exit " +
           std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ": " +
           text;
  }

  fs::path folder_;
};

TEST_F(LauncherTest, LargeArrayCommandsGetTheHugePagesTunable) {
  EXPECT_EQ(Run("", "augment local --n-samples 5"),
            "exit 7: tunables=glibc.malloc.hugetlb=1 args=augment local "
            "--n-samples 5");
  EXPECT_EQ(Run("", "limits"),
            "exit 7: tunables=glibc.malloc.hugetlb=1 args=limits");
}

TEST_F(LauncherTest, OtherCommandsRunAsTheyAre) {
  EXPECT_EQ(Run("", "inspect x.h5"),
            "exit 7: tunables=(unset) args=inspect x.h5");
  EXPECT_EQ(Run("", ""), "exit 7: tunables=(unset) args=");
}

TEST_F(LauncherTest, TheUsersTunablesAreKeptAndTheirOwnSettingWins) {
  EXPECT_EQ(Run("GLIBC_TUNABLES=glibc.malloc.check=0", "mine c.yaml"),
            "exit 7: tunables=glibc.malloc.check=0:glibc.malloc.hugetlb=1 "
            "args=mine c.yaml");
  EXPECT_EQ(Run("GLIBC_TUNABLES=glibc.malloc.hugetlb=0", "mine c.yaml"),
            "exit 7: tunables=glibc.malloc.hugetlb=0 args=mine c.yaml");
  EXPECT_EQ(Run("GOLDMINE_NO_HUGE_PAGES=1", "mine c.yaml"),
            "exit 7: tunables=(unset) args=mine c.yaml");
}

TEST_F(LauncherTest, AMissingGoldmineMainIsNamed) {
  fs::remove(folder_ / "goldmine-main");
  const std::string result = Run("", "mine c.yaml");
  EXPECT_EQ(result.rfind("exit 1: goldmine: internal error: cannot run ", 0),
            0u)
      << result;
  EXPECT_NE(result.find("goldmine-main"), std::string::npos) << result;
}

}  // namespace
}  // namespace goldmine
