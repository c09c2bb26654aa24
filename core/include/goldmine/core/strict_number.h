// Strict number parsing for text inputs (event files, tables): the whole
// token must be one decimal number. Lax parsers (atof, strtod, istream >>)
// silently turned "abc" into 0, "1.2.3" into 1.2, "1e" into 1 and "0x10"
// into 16 (issue 15); these functions refuse all of them.
#pragma once

#include <optional>
#include <string_view>

namespace goldmine {

// A decimal floating-point number, optionally signed ('+' or '-'), with an
// optional exponent, or inf/nan (callers that need finite values check).
// nullopt for an empty token, hexadecimal, trailing characters, white space,
// or a magnitude beyond double range (1e999). Underflow (1e-400) gives the
// nearest double (0 or a subnormal), as strtod does.
std::optional<double> ParseDouble(std::string_view token);

// A decimal integer, optionally signed; nullopt for anything else or a value
// outside long long.
std::optional<long long> ParseInteger(std::string_view token);

}  // namespace goldmine
