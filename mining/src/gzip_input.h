// An std::istream over a file that may or may not be gzip-compressed: zlib's
// gzread reads plain files transparently, so every reader gets gzip support
// (Debian's HepMC3 3.1.2 has none of its own, HEPMC3_NOTES.md §5).
#pragma once

#include <zlib.h>

#include <array>
#include <istream>
#include <streambuf>
#include <string>
#include <string_view>

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
  // sentry, memchr over the decompressed buffer); false at the end. The
  // view points into the decompressed buffer, without a copy, unless the
  // line straddles two refills: then it is assembled in *spill. Either way
  // it stays valid until the next read of this buffer.
  bool GetLine(std::string_view* line, std::string* spill);

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
  bool GetLine(std::string_view* line, std::string* spill) {
    return buffer_.GetLine(line, spill);
  }

 private:
  GzipStreamBuffer buffer_;
};

}  // namespace goldmine::mining
