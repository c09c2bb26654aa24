#include "scratch_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "goldmine/core/errors.h"

namespace goldmine::mining {
namespace {

// TMPDIR when set (batch systems point it at local scratch disks), else
// the system's temporary folder.
std::string ScratchFolder() {
  const char* folder = std::getenv("TMPDIR");
  return folder != nullptr && *folder != '\0' ? folder : P_tmpdir;
}

}  // namespace

void ScratchFile::Closer::operator()(std::FILE* file) const {
  std::fclose(file);
}

ScratchFile::ScratchFile(std::string purpose) : purpose_(std::move(purpose)) {
  const std::string folder = ScratchFolder();
  int descriptor =
      open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (descriptor < 0) {
    std::string name = folder + "/goldmine-scratch-XXXXXX";
    descriptor = mkostemp(name.data(), O_CLOEXEC);
    if (descriptor < 0) Fail("create");
    unlink(name.c_str());
  }
  file_.reset(fdopen(descriptor, "w+b"));
  if (file_ == nullptr) {
    close(descriptor);
    Fail("create");
  }
  // stdio's buffer, allocated by the creating thread rather than by the
  // first writer (which may be another thread, background_appender.h, and
  // would take it from a malloc arena of its own).
  buffer_.resize(kBufferBytes);
  std::setvbuf(file_.get(), buffer_.data(), _IOFBF, buffer_.size());
}

ScratchFile::~ScratchFile() = default;

void ScratchFile::Fail(const std::string& what,
                       const std::string& reason) const {
  throw InvalidInput(purpose_ + ": cannot " + what + " a scratch file in " +
                     ScratchFolder() + " (" + reason +
                     "); expected TMPDIR (or /tmp) to be a writable folder "
                     "with free space");
}

void ScratchFile::Fail(const std::string& what) const {
  Fail(what, std::strerror(errno));
}

void ScratchFile::Append(const void* data, std::size_t bytes) {
  if (bytes > 0 && std::fwrite(data, 1, bytes, file_.get()) != bytes) {
    Fail("write");
  }
  size_ += bytes;
}

void ScratchFile::Flush() {
  if (std::fflush(file_.get()) != 0) Fail("write");
}

void ScratchFile::ReadAt(void* data, std::size_t bytes, std::size_t at) const {
  auto* bytes_out = static_cast<char*>(data);
  while (bytes > 0) {
    const ssize_t read =
        pread(fileno(file_.get()), bytes_out, bytes, static_cast<off_t>(at));
    if (read < 0 && errno == EINTR) continue;
    if (read < 0) Fail("read");
    if (read == 0) Fail("read", "it ends early");
    bytes_out += read;
    bytes -= static_cast<std::size_t>(read);
    at += static_cast<std::size_t>(read);
  }
}

}  // namespace goldmine::mining
