// Private: an unnamed scratch file for data that must not stay in memory
// (issue 20: quantile sorts, drawn sample rows). It is created with
// O_TMPFILE in $TMPDIR, or /tmp without it, so it has no name and the system
// frees it when the process ends, also after SIGKILL; where the file system
// has no O_TMPFILE, a named file removed at once does the same.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace goldmine::mining {

class ScratchFile {
 public:
  // `purpose` starts the InvalidInput thrown when the file cannot be
  // created, written or read ("sorting a column for its quantiles: cannot
  // write a scratch file in /tmp (No space left on device); expected ...").
  explicit ScratchFile(std::string purpose);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  // Appends through stdio's buffer; Flush() before reading what was
  // appended.
  void Append(const void* data, std::size_t bytes);
  void Flush();
  // Reads `bytes` at offset `at` (pread: no seek, safe after Append).
  void ReadAt(void* data, std::size_t bytes, std::size_t at) const;
  // Bytes appended so far.
  std::size_t size() const { return size_; }

 private:
  [[noreturn]] void Fail(const std::string& what) const;
  [[noreturn]] void Fail(const std::string& what,
                         const std::string& reason) const;

  struct Closer {
    void operator()(std::FILE* file) const;
  };
  // stdio's own choice here (the file system's block size): appends of
  // whole buffers (drawn_rows.h) at least this large skip the copy.
  static constexpr std::size_t kBufferBytes = 4096;
  std::string purpose_;
  std::vector<char> buffer_;  // stdio's: must outlive file_ (declared first)
  std::unique_ptr<std::FILE, Closer> file_;
  std::size_t size_ = 0;
};

}  // namespace goldmine::mining
