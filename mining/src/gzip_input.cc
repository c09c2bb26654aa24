#include "gzip_input.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "goldmine/core/errors.h"

namespace goldmine::mining {

GzipStreamBuffer::GzipStreamBuffer(const std::string& path) {
  // gzopen opens a folder, and the first read then fails with EISDIR.
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw InvalidInput(path + ": is a folder; expected an event file");
  }
  file_ = gzopen(path.c_str(), "rb");
  if (file_ == nullptr) {
    throw InvalidInput(path + ": cannot open the file for reading (" +
                       std::strerror(errno) + ")");
  }
  gzbuffer(file_, 1 << 17);
  setg(buffer_.data(), buffer_.data(), buffer_.data());
}

GzipStreamBuffer::~GzipStreamBuffer() {
  if (file_ != nullptr) gzclose(file_);
}

GzipStreamBuffer::int_type GzipStreamBuffer::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  if (failed_) return traits_type::eof();
  const int read =
      gzread(file_, buffer_.data(), static_cast<unsigned>(buffer_.size()));
  if (read < 0) {
    int code = 0;
    error_ = gzerror(file_, &code);
    failed_ = true;
    return traits_type::eof();
  }
  if (read == 0) {
    // gzread reports a gzip stream cut short only through gzerror.
    int code = 0;
    const char* message = gzerror(file_, &code);
    if (code != Z_OK && code != Z_STREAM_END) {
      error_ = message;
      failed_ = true;
    }
    return traits_type::eof();
  }
  setg(buffer_.data(), buffer_.data(), buffer_.data() + read);
  return traits_type::to_int_type(*gptr());
}

bool GzipStreamBuffer::GetLine(std::string* line) {
  line->clear();
  bool any = false;
  while (true) {
    if (gptr() == egptr() &&
        traits_type::eq_int_type(underflow(), traits_type::eof()))
      return any;
    any = true;
    const std::size_t available = static_cast<std::size_t>(egptr() - gptr());
    const char* newline =
        static_cast<const char*>(std::memchr(gptr(), '\n', available));
    if (newline != nullptr) {
      line->append(gptr(), static_cast<std::size_t>(newline - gptr()));
      gbump(static_cast<int>(newline - gptr() + 1));
      return true;
    }
    line->append(gptr(), available);
    gbump(static_cast<int>(available));
  }
}

}  // namespace goldmine::mining
