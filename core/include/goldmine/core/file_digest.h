// Content digests of files, for provenance: an exported model names the
// samples file it was trained on by its SHA-256, which survives renames and
// copies (issue 18).
#pragma once

#include <filesystem>
#include <string>

namespace goldmine {

// Lower-case hex SHA-256 of the file's bytes (OpenSSL's EVP). Throws
// InvalidInput naming the file when it cannot be read.
std::string Sha256OfFile(const std::filesystem::path& path);

}  // namespace goldmine
