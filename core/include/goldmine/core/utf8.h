// UTF-8 validation for names read from files: every name ends up in JSON
// output, and nlohmann::json refuses invalid UTF-8 when it serialises (a
// type_error, exit 1, after all the work is done). Readers check names as
// they read them, to refuse the file with its line instead.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace goldmine {

// Offset of the first byte that does not belong to a well-formed UTF-8
// sequence (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF), or std::string_view::npos when `text` is valid.
std::size_t FindInvalidUtf8(std::string_view text);

// Throws FileFormatError "<path>, line L: invalid UTF-8 (byte 0xNN); <what>
// must be UTF-8" when `text` (a whole file) is not valid UTF-8. YAML files
// are checked whole when they are read: any of their names may reach JSON
// output.
void RequireUtf8Text(std::string_view text,
                     const std::string& path,
                     const std::string& what);

}  // namespace goldmine
