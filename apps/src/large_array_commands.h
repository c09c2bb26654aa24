// The commands that fill arrays of events, samples or grid points: they run
// with transparent huge pages (core/huge_pages.h) and keep freed arrays for
// reuse (core/malloc_reuse.h); the others finish in milliseconds. Shared by
// the launcher (launcher.cc) and goldmine-main (main.cc).
#pragma once

#include <array>
#include <string_view>

namespace goldmine::cli {

inline bool FillsLargeArrays(int argc, char** argv) {
  constexpr std::array<std::string_view, 10> kCommands = {"mine",
                                                          "merge",
                                                          "augment",
                                                          "xsec",
                                                          "fisher",
                                                          "mem",
                                                          "limits",
                                                          "train",
                                                          "evaluate",
                                                          "run"};
  if (argc < 2) return false;
  for (std::string_view command : kCommands) {
    if (command == argv[1]) return true;
  }
  return false;
}

}  // namespace goldmine::cli
