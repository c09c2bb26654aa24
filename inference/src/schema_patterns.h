// The few string patterns of pyhf's schemas, checked by hand.
//
// std::regex (libstdc++) recurses once per character of the subject, so
// matching "^[a-zA-Z0-9_]+$" against a 30 000-character patch name
// overflowed the stack (SIGSEGV; mutation campaign, issue 15). These
// patterns are character classes with a length: loops do the same test in
// constant stack.
#pragma once

#include <cstddef>
#include <string>

namespace goldmine::inference::internal {

// ^[a-zA-Z0-9_]+$ (defs.json's names and labels).
bool IsPyhfName(const std::string& text);

// ^ins[0-9]{7}$ (a HEPData record id).
bool IsHepDataId(const std::string& text);

// Exactly `length` hexadecimal digits; lowercase only unless
// `allow_uppercase` (^[a-f0-9]{32}$ for md5, ^[a-fA-F0-9]{64}$ for sha256).
bool IsHexDigits(const std::string& text,
                 std::size_t length,
                 bool allow_uppercase);

}  // namespace goldmine::inference::internal
