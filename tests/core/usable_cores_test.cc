// core::UsableCores counts the cores of the affinity mask, which batch
// systems and taskset narrow, not the machine's, and a cgroup quota lowers
// it.
#include "goldmine/core/usable_cores.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace goldmine::core {
namespace {

// In a child process: pinned to the first core of its mask, exits with
// the count UsableCores() then gives.
[[noreturn]] void CountOnOneCore() {
  cpu_set_t set;
  CPU_ZERO(&set);
  sched_getaffinity(0, sizeof(set), &set);
  int first = 0;
  while (!CPU_ISSET(first, &set)) ++first;
  CPU_ZERO(&set);
  CPU_SET(first, &set);
  sched_setaffinity(0, sizeof(set), &set);
  std::exit(UsableCores());
}

TEST(UsableCores, IsTheAffinityMasksCount) {
  EXPECT_GE(UsableCores(), 1);
  EXPECT_LE(UsableCores(),
            std::max(1, static_cast<int>(std::thread::hardware_concurrency())));
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(CountOnOneCore(), ::testing::ExitedWithCode(1), "");
}

TEST(UsableCores, ACgroupQuotaGivesItsWholeCoresAndNoneWithoutOne) {
  EXPECT_EQ(CoresOfCpuMax("max 100000"), 0);
  EXPECT_EQ(CoresOfCpuMax("100000 100000"), 1);
  EXPECT_EQ(CoresOfCpuMax("150000 100000"), 1);
  EXPECT_EQ(CoresOfCpuMax("50000 100000"), 1);
  EXPECT_EQ(CoresOfCpuMax("400000 100000"), 4);
  EXPECT_EQ(CoresOfCpuMax(""), 0);
  EXPECT_EQ(CoresOfCpuMax("garbage"), 0);
  EXPECT_EQ(CoresOfCfsQuota("-1", "100000"), 0);
  EXPECT_EQ(CoresOfCfsQuota("200000", "100000"), 2);
  EXPECT_EQ(CoresOfCfsQuota("", ""), 0);
}

}  // namespace
}  // namespace goldmine::core
