// Message digests of byte strings, as lowercase hex: the two algorithms
// pyhf PatchSets use to name the workspace they belong to
// (metadata.digests.sha256 / .md5, see workspace_json.h WorkspaceDigest).
// Self-contained implementations, so that goldmine needs no crypto library;
// md5 is used only to identify documents, never for security.
#pragma once

#include <string>

namespace goldmine::inference {

// SHA-256 (FIPS 180-4).
std::string Sha256Hex(const std::string& bytes);

// MD5 (RFC 1321).
std::string Md5Hex(const std::string& bytes);

}  // namespace goldmine::inference
