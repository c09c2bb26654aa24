// Scratch folders and text files for tests that write files.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace goldmine::testing {

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh, empty folder for one test's files, removed by the caller.
inline std::filesystem::path MakeScratchFolder(const std::string& name) {
  const auto folder =
      std::filesystem::temp_directory_path() /
      ("goldmine_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

}  // namespace goldmine::testing
