#include "goldmine/core/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <system_error>

#include "goldmine/core/errors.h"
#include "goldmine/core/scratch_files.h"

namespace goldmine {
namespace {
std::atomic<int> temporary_counter{0};
}  // namespace

AtomicOutputFile::AtomicOutputFile(std::filesystem::path final_path)
    : final_path_(std::move(final_path)) {
  const std::filesystem::path folder = final_path_.has_parent_path()
                                           ? final_path_.parent_path()
                                           : std::filesystem::path(".");
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    throw InvalidInput(final_path_.string() + ": cannot write, folder " +
                       folder.string() + " does not exist");
  }
  if (std::filesystem::is_directory(final_path_, error)) {
    throw InvalidInput(final_path_.string() +
                       ": cannot write, it is a folder; give a file name");
  }
  // The debris of killed runs in this folder goes now (scratch_files.h).
  RemoveStaleScratchFiles(folder);
  temporary_path_ = final_path_;
  temporary_path_ += ".tmp-" + std::to_string(::getpid()) + "-" +
                     std::to_string(temporary_counter++);
}

AtomicOutputFile::~AtomicOutputFile() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temporary_path_, ignored);
  }
}

void AtomicOutputFile::Commit() {
  std::error_code error;
  std::filesystem::rename(temporary_path_, final_path_, error);
  if (error) {
    throw InvalidInput(final_path_.string() + ": cannot write (" +
                       error.message() + ")");
  }
  committed_ = true;
}

void WriteTextFileAtomically(const std::filesystem::path& path,
                             const std::string& text) {
  AtomicOutputFile file(path);
  {
    std::ofstream out(file.temporary_path(), std::ios::binary);
    out << text;
    out.flush();
    if (!out) {
      throw InvalidInput(path.string() +
                         ": cannot write (disk full or no permission?)");
    }
  }
  file.Commit();
}

}  // namespace goldmine
