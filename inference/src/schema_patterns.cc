#include "schema_patterns.h"

namespace goldmine::inference::internal {
namespace {

// ASCII only, independent of the locale (std::isalnum is not).
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

bool IsPyhfName(const std::string& text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!IsDigit(c) && !IsLetter(c) && c != '_') return false;
  }
  return true;
}

bool IsHepDataId(const std::string& text) {
  if (text.size() != 10 || text.compare(0, 3, "ins") != 0) return false;
  for (std::size_t i = 3; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return false;
  }
  return true;
}

bool IsHexDigits(const std::string& text,
                 std::size_t length,
                 bool allow_uppercase) {
  if (text.size() != length) return false;
  for (const char c : text) {
    const bool hex = IsDigit(c) || (c >= 'a' && c <= 'f') ||
                     (allow_uppercase && c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace goldmine::inference::internal
