// Library messages as the CLI shows them. GOLDMINE_REQUIRE appends the source
// location (" [components.cc:82]") for developers; a user is told the file
// and the key instead (issue 15).
#pragma once

#include <string>

namespace goldmine::cli {

// `message` without a trailing " [file.cc:N]" or " [file.h:N]".
std::string WithoutSourceLocation(const std::string& message);

}  // namespace goldmine::cli
