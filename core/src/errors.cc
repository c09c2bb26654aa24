#include "goldmine/core/errors.h"

#include <cstring>

namespace goldmine::internal {

void ThrowInvalidInput(const std::string& message, const char* file, int line) {
  const char* slash = std::strrchr(file, '/');
  const char* base_name = slash != nullptr ? slash + 1 : file;
  throw InvalidInput(message + " [" + base_name + ":" + std::to_string(line) +
                     "]");
}

}  // namespace goldmine::internal

namespace goldmine {

std::string WithoutSourceLocation(const std::string& message) {
  const std::size_t open = message.rfind(" [");
  if (open == std::string::npos || message.back() != ']') return message;
  const std::string inside = message.substr(open + 2);
  const std::size_t colon = inside.rfind(':');
  const bool source = colon != std::string::npos &&
                      (inside.rfind(".cc:", colon) != std::string::npos ||
                       inside.rfind(".h:", colon) != std::string::npos);
  return source ? message.substr(0, open) : message;
}

}  // namespace goldmine
