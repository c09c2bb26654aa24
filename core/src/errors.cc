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
