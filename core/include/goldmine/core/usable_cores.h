// The number of CPU cores this process may run on: its affinity mask (what
// taskset, a batch system's cpuset or `docker --cpuset-cpus` leave it), not
// the machine's count. Helper threads that overlap work with the main
// thread pay off only with a second core; on one they only add switches
// (mining/src/draws_ahead.h: 20 % slower at 10^7 samples).
#pragma once

namespace goldmine::core {

// At least 1.
int UsableCores();

}  // namespace goldmine::core
