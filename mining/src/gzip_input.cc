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

bool GzipStreamBuffer::GetLine(std::string_view* line, std::string* spill) {
  auto at_end = [this] {
    return gptr() == egptr() &&
           traits_type::eq_int_type(underflow(), traits_type::eof());
  };
  if (at_end()) return false;
  // Almost every line lies within the buffer: a view, no copy (copying
  // every line cost 8 % of reading an LHE file, issue 20).
  auto available = static_cast<std::size_t>(egptr() - gptr());
  const char* newline =
      static_cast<const char*>(std::memchr(gptr(), '\n', available));
  if (newline != nullptr) {
    const auto length = static_cast<std::size_t>(newline - gptr());
    *line = std::string_view(gptr(), length);
    gbump(static_cast<int>(length + 1));
    return true;
  }
  spill->assign(gptr(), available);
  gbump(static_cast<int>(available));
  while (!at_end()) {
    available = static_cast<std::size_t>(egptr() - gptr());
    newline = static_cast<const char*>(std::memchr(gptr(), '\n', available));
    const std::size_t length = newline != nullptr
                                   ? static_cast<std::size_t>(newline - gptr())
                                   : available;
    spill->append(gptr(), length);
    gbump(static_cast<int>(newline != nullptr ? length + 1 : length));
    if (newline != nullptr) break;
  }
  *line = *spill;
  return true;
}

}  // namespace goldmine::mining
