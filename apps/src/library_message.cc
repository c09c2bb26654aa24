#include "library_message.h"

namespace goldmine::cli {

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

}  // namespace goldmine::cli
