// An std::istream over a file that may or may not be gzip-compressed: zlib's
// gzread reads plain files transparently, so every reader gets gzip support
// (Debian's HepMC3 3.1.2 has none of its own, HEPMC3_NOTES.md §5).
#pragma once

#include <zlib.h>

#include <array>
#include <istream>
#include <streambuf>
#include <string>

namespace goldmine::mining {

class GzipStreamBuffer : public std::streambuf {
 public:
  // Throws InvalidInput naming the path when the file cannot be opened or is
  // a folder.
  explicit GzipStreamBuffer(const std::string& path);
  ~GzipStreamBuffer() override;
  GzipStreamBuffer(const GzipStreamBuffer&) = delete;
  GzipStreamBuffer& operator=(const GzipStreamBuffer&) = delete;

  // True when decompression failed (a corrupt or truncated gzip stream);
  // the stream then simply ends, so readers check this to tell it from EOF.
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }

  // The next line without its '\n' (a faster std::getline: no stream
  // sentry, memchr over the decompressed buffer); false at the end.
  bool GetLine(std::string* line);

 protected:
  int_type underflow() override;

 private:
  gzFile file_ = nullptr;
  std::array<char, 1 << 16> buffer_{};
  bool failed_ = false;
  std::string error_;
};

class GzipInputStream : public std::istream {
 public:
  explicit GzipInputStream(const std::string& path)
      : std::istream(nullptr), buffer_(path) {
    rdbuf(&buffer_);
  }
  const GzipStreamBuffer& buffer() const { return buffer_; }
  // Faster than std::getline for line-oriented parsers; do not mix with
  // formatted reads of this stream.
  bool GetLine(std::string* line) { return buffer_.GetLine(line); }

 private:
  GzipStreamBuffer buffer_;
};

}  // namespace goldmine::mining
