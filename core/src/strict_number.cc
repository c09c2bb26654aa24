#include "goldmine/core/strict_number.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <system_error>

namespace goldmine {
namespace {

// from_chars accepts no leading '+'; a '+' followed by a sign is still wrong.
std::string_view WithoutPlus(std::string_view token) {
  if (token.size() > 1 && token.front() == '+' && token[1] != '-' &&
      token[1] != '+')
    return token.substr(1);
  return token;
}

}  // namespace

std::optional<double> ParseDouble(std::string_view token) {
  const std::string_view digits = WithoutPlus(token);
  if (digits.empty()) return std::nullopt;
  double value = 0.0;
  const char* end = digits.data() + digits.size();
  const auto [stop, error] = std::from_chars(digits.data(), end, value);
  if (stop != end) return std::nullopt;
  if (error == std::errc()) return value;
  if (error != std::errc::result_out_of_range) return std::nullopt;
  // A complete number out of range: overflow is refused, underflow becomes
  // the nearest double (the token is known to be a plain decimal number).
  const std::string text(digits);
  const double rounded = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(rounded)) return std::nullopt;
  return rounded;
}

std::optional<long long> ParseInteger(std::string_view token) {
  const std::string_view digits = WithoutPlus(token);
  if (digits.empty()) return std::nullopt;
  long long value = 0;
  const char* end = digits.data() + digits.size();
  const auto [stop, error] = std::from_chars(digits.data(), end, value);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

}  // namespace goldmine
