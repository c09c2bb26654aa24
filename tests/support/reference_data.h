// Where tests find the shared reference data (../shared beside the checkout,
// or $GOLDMINE_SHARED_DIR). Tests that need it skip with a message when it is
// absent; they never write there.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace goldmine::testing {

inline std::filesystem::path SharedDir() {
  if (const char* dir = std::getenv("GOLDMINE_SHARED_DIR")) return dir;
  return GOLDMINE_SHARED_DIR;
}

inline std::filesystem::path SourceDir() { return GOLDMINE_SOURCE_DIR; }

// Empty path when the file is absent.
inline std::filesystem::path FindReference(const std::string& relative) {
  const std::filesystem::path path = SharedDir() / "reference" / relative;
  return std::filesystem::exists(path) ? path : std::filesystem::path();
}

inline nlohmann::json ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

}  // namespace goldmine::testing
