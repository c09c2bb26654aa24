// Numbered lines of a text event file (plain or gzip) and strict tokens, for
// goldmine's own streaming parsers (LHE, HepMC3 ASCII, HepMC2 IO_GenEvent).
// Every error names the file and the line: "events.hepmc, line 12: ...".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gzip_input.h"

namespace goldmine::mining {

// Splits `line` at spaces and tabs into views of it (cleared first; the
// vector is reused so that a reader allocates nothing per line).
void SplitWords(std::string_view line, std::vector<std::string_view>* words);

class LineReader {
 public:
  // Throws InvalidInput when the file cannot be opened or is a folder.
  explicit LineReader(const std::string& path);

  // The next line, without its '\n' and a trailing '\r'; false at the end of
  // the file. Throws FileFormatError for a corrupt or truncated gzip stream.
  bool Next();
  // The next Next() gives the current line again (one line of look-ahead).
  void Unread();

  // Valid until the next Next() (which, after Unread(), gives it again).
  std::string_view line() const { return line_; }
  std::int64_t number() const { return number_; }
  const std::string& path() const { return path_; }
  // "path, line N".
  std::string Where() const;
  // Throws FileFormatError("path, line N: message").
  [[noreturn]] void Fail(const std::string& message) const;

  // The whole token as a number (strict_number.h), or Fail naming `what`:
  // "expected a number for <what>, got "1.2.3"".
  double Double(std::string_view token, std::string_view what) const;
  // As Double, and the number must be finite ("expected a finite number").
  double FiniteDouble(std::string_view token, std::string_view what) const;
  // A decimal integer within [minimum, maximum].
  long long Integer(std::string_view token,
                    std::string_view what,
                    long long minimum,
                    long long maximum) const;
  int Int(std::string_view token, std::string_view what) const;
  // Fails when `text` (read from the current line) is not valid UTF-8.
  void RequireUtf8(std::string_view text, std::string_view what) const;

 private:
  std::string path_;
  GzipInputStream stream_;
  std::string_view line_;  // into stream_'s buffer or spill_
  std::string spill_;      // a line that straddles two buffer refills
  std::int64_t number_ = 0;
  bool unread_ = false;
};

}  // namespace goldmine::mining
