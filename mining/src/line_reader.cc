#include "line_reader.h"

#include <climits>
#include <cmath>

#include "goldmine/core/errors.h"
#include "goldmine/core/strict_number.h"
#include "goldmine/core/utf8.h"

namespace goldmine::mining {
namespace {

// At most this much of a bad token is quoted in a message.
constexpr std::size_t kQuoted = 40;

std::string Quoted(std::string_view token) {
  std::string text(token.substr(0, kQuoted));
  if (token.size() > kQuoted) text += "...";
  // Control bytes would break the one-line message.
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  }
  return "\"" + text + "\"";
}

}  // namespace

void SplitWords(std::string_view line, std::vector<std::string_view>* words) {
  words->clear();
  std::size_t i = 0;
  const std::size_t size = line.size();
  while (i < size) {
    while (i < size && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t begin = i;
    while (i < size && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > begin) words->push_back(line.substr(begin, i - begin));
  }
}

LineReader::LineReader(const std::string& path) : path_(path), stream_(path) {}

bool LineReader::Next() {
  if (unread_) {
    unread_ = false;
    return true;
  }
  if (!stream_.GetLine(&line_, &spill_)) {
    if (stream_.buffer().failed()) {
      throw FileFormatError(path_ + ", after line " + std::to_string(number_) +
                            ": the gzip stream is corrupt or truncated (" +
                            stream_.buffer().error() + ")");
    }
    return false;
  }
  ++number_;
  if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
  return true;
}

void LineReader::Unread() { unread_ = true; }

std::string LineReader::Where() const {
  return path_ + ", line " + std::to_string(number_);
}

void LineReader::Fail(const std::string& message) const {
  throw FileFormatError(Where() + ": " + message);
}

double LineReader::Double(std::string_view token, std::string_view what) const {
  const std::optional<double> value = ParseDouble(token);
  if (!value) {
    Fail("expected a number for " + std::string(what) + ", got " +
         Quoted(token));
  }
  return *value;
}

double LineReader::FiniteDouble(std::string_view token,
                                std::string_view what) const {
  const double value = Double(token, what);
  if (!std::isfinite(value)) {
    Fail("expected a finite number for " + std::string(what) + ", got " +
         Quoted(token));
  }
  return value;
}

long long LineReader::Integer(std::string_view token,
                              std::string_view what,
                              long long minimum,
                              long long maximum) const {
  const std::optional<long long> value = ParseInteger(token);
  if (!value) {
    Fail("expected an integer for " + std::string(what) + ", got " +
         Quoted(token));
  }
  if (*value < minimum || *value > maximum) {
    Fail("expected " + std::string(what) + " between " +
         std::to_string(minimum) + " and " + std::to_string(maximum) +
         ", got " + std::to_string(*value));
  }
  return *value;
}

int LineReader::Int(std::string_view token, std::string_view what) const {
  return static_cast<int>(Integer(token, what, INT_MIN, INT_MAX));
}

void LineReader::RequireUtf8(std::string_view text,
                             std::string_view what) const {
  const std::size_t bad = FindInvalidUtf8(text);
  if (bad == std::string_view::npos) return;
  static const char* const kHex = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(text[bad]);
  Fail(std::string(what) + " is not valid UTF-8: byte \\x" + kHex[byte >> 4] +
       kHex[byte & 15] + " after " + Quoted(text.substr(0, bad)) +
       "; names must be UTF-8 text");
}

}  // namespace goldmine::mining
