// Test helper of huge_pages_test.cc: counts its starts in PROBE_STARTS (the
// re-executed process inherits the count), calls ReexecWithHugePages, then
// prints "<starts> <GLIBC_TUNABLES or (unset)>".
#include <cstdlib>
#include <iostream>
#include <string>

#include "goldmine/core/huge_pages.h"

int main(int, char** argv) {
  const char* previous = std::getenv("PROBE_STARTS");
  const int starts = (previous != nullptr ? std::atoi(previous) : 0) + 1;
  setenv("PROBE_STARTS", std::to_string(starts).c_str(), 1);
  goldmine::core::ReexecWithHugePages(argv);
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  std::cout << starts << ' ' << (tunables != nullptr ? tunables : "(unset)")
            << '\n';
  return 0;
}
