#include "goldmine/core/usable_cores.h"

#include <sched.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace goldmine::core {
namespace {

int CoresOfAffinity() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    return std::max(1, CPU_COUNT(&set));
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

std::string FirstLine(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

int CoresOfQuota(long long quota, long long period) {
  if (quota <= 0 || period <= 0) return 0;
  return static_cast<int>(std::max<long long>(1, quota / period));
}

// The quota of this process's cgroup (v2, or v1's cpu controller), read
// through /proc/self/cgroup; 0 without one.
int CoresOfCgroup() {
  std::ifstream cgroups("/proc/self/cgroup");
  std::string line;
  while (std::getline(cgroups, line)) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (line.compare(0, first, "0") == 0 && controllers.empty()) {
      const int cores =
          CoresOfCpuMax(FirstLine("/sys/fs/cgroup" + path + "/cpu.max"));
      if (cores > 0) return cores;
      continue;
    }
    std::stringstream names(controllers);
    std::string name;
    while (std::getline(names, name, ',')) {
      if (name != "cpu") continue;
      const std::string folder = "/sys/fs/cgroup/cpu" + path;
      const int cores =
          CoresOfCfsQuota(FirstLine(folder + "/cpu.cfs_quota_us"),
                          FirstLine(folder + "/cpu.cfs_period_us"));
      if (cores > 0) return cores;
    }
  }
  return 0;
}

}  // namespace

int CoresOfCpuMax(const std::string& cpu_max) {
  std::istringstream fields(cpu_max);
  std::string quota;
  long long period = 0;
  if (!(fields >> quota >> period) || quota == "max") return 0;
  try {
    return CoresOfQuota(std::stoll(quota), period);
  } catch (const std::exception&) {
    return 0;
  }
}

int CoresOfCfsQuota(const std::string& quota_us, const std::string& period_us) {
  try {
    return CoresOfQuota(std::stoll(quota_us), std::stoll(period_us));
  } catch (const std::exception&) {
    return 0;
  }
}

int UsableCores() {
  const int affinity = CoresOfAffinity();
  const int quota = CoresOfCgroup();
  return quota > 0 ? std::min(affinity, quota) : affinity;
}

}  // namespace goldmine::core
