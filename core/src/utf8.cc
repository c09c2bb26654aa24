#include "goldmine/core/utf8.h"

#include <algorithm>
#include <cstdio>

#include "goldmine/core/errors.h"

namespace goldmine {

std::size_t FindInvalidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // Length and the allowed range of the second byte (RFC 3629 table).
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // overlong
      if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;   // overlong
      if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < low || second > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next < 0x80 || next > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

void RequireUtf8Text(std::string_view text,
                     const std::string& path,
                     const std::string& what) {
  const std::size_t bad = FindInvalidUtf8(text);
  if (bad == std::string_view::npos) return;
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<long>(bad), '\n');
  char byte[8];
  std::snprintf(byte,
                sizeof byte,
                "0x%02x",
                static_cast<unsigned>(static_cast<unsigned char>(text[bad])));
  throw FileFormatError(path + ", line " + std::to_string(line) +
                        ": invalid UTF-8 (byte " + byte + "); " + what +
                        " must be UTF-8");
}

}  // namespace goldmine
