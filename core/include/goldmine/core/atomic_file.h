// Outputs appear complete or not at all: they are written to a temporary name
// in the destination folder and renamed when complete (rename is atomic
// within one file system). An interrupted run leaves no half-written file
// under the final name.
#pragma once

#include <filesystem>
#include <string>

namespace goldmine {

class AtomicOutputFile {
 public:
  // Throws InvalidInput when the destination folder does not exist or the
  // destination is a folder.
  explicit AtomicOutputFile(std::filesystem::path final_path);
  // Removes the temporary file unless Commit() succeeded.
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  // Where to write: "<final>.tmp-<pid>-<n>" beside the final file.
  const std::filesystem::path& temporary_path() const {
    return temporary_path_;
  }
  const std::filesystem::path& final_path() const { return final_path_; }
  // Renames the temporary file to the final name. Throws InvalidInput when
  // the temporary file is missing or the rename fails.
  void Commit();

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temporary_path_;
  bool committed_ = false;
};

// Writes `text` to `path` through an AtomicOutputFile.
void WriteTextFileAtomically(const std::filesystem::path& path,
                             const std::string& text);

}  // namespace goldmine
