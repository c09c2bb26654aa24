#include "goldmine/core/huge_pages.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

namespace goldmine::core {
namespace {

// Runs the probe under `environment` (a shell prefix, env -i style) and
// returns its one line.
std::string RunProbe(const std::string& environment) {
  const std::string command =
      "env -i PATH=/usr/bin:/bin " + environment + " " HUGE_PAGES_PROBE;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"),
                                             pclose);
  if (!pipe) return "popen failed";
  std::array<char, 256> buffer{};
  std::string output;
  while (fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) {
    output += buffer.data();
  }
  if (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

TEST(HugePages, ReexecutesOnceWithTheTunable) {
  EXPECT_EQ(RunProbe(""), "2 glibc.malloc.hugetlb=1");
}

TEST(HugePages, KeepsTheUsersOtherTunables) {
  EXPECT_EQ(RunProbe("GLIBC_TUNABLES=glibc.malloc.check=0"),
            "2 glibc.malloc.check=0:glibc.malloc.hugetlb=1");
}

TEST(HugePages, TheUsersOwnHugetlbSettingWins) {
  EXPECT_EQ(RunProbe("GLIBC_TUNABLES=glibc.malloc.hugetlb=0"),
            "1 glibc.malloc.hugetlb=0");
}

TEST(HugePages, CanBeTurnedOff) {
  EXPECT_EQ(RunProbe(std::string(kNoHugePagesVariable) + "=1"), "1 (unset)");
}

}  // namespace
}  // namespace goldmine::core
