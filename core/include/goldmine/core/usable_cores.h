// The number of CPU cores this process may use: its affinity mask (what
// taskset, a batch system's cpuset or `docker --cpuset-cpus` leave it),
// lowered by a cgroup CPU quota (`docker --cpus`, Kubernetes limits), not
// the machine's count. Helper threads that overlap work with the main
// thread pay off only with a second core; on one they only add switches
// (mining/src/draws_ahead.h: 20 % slower at 10^7 samples).
#pragma once

#include <string>

namespace goldmine::core {

// At least 1.
int UsableCores();

// The whole cores a cgroup quota allows (at least 1), or 0 without a quota:
// from cgroup v2's cpu.max ("max 100000", "150000 100000") or cgroup v1's
// cpu.cfs_quota_us and cpu.cfs_period_us (quota −1: none). Unreadable text
// counts as no quota.
int CoresOfCpuMax(const std::string& cpu_max);
int CoresOfCfsQuota(const std::string& quota_us, const std::string& period_us);

}  // namespace goldmine::core
