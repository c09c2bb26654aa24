// The JSON text helpers of workspace_json.cc that patchset.cc shares:
// pyhf's canonical writing and digest, and RFC 6902 patching with messages
// naming the failing operation. Private to inference.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace goldmine::inference::internal {

// Throws FileFormatError "<source>: not valid JSON (...)".
nlohmann::json Parse(const std::string& text, const std::string& source);

// json.dumps(value, indent=4, sort_keys=True) + "\n", as pyhf writes files.
std::string Canonical(const nlohmann::json& value);

// pyhf.utils.digest(value, algorithm): the hex digest of
// json.dumps(value, sort_keys=True, ensure_ascii=False); "md5" or "sha256".
std::string DigestOf(const nlohmann::json& value, const std::string& algorithm);

// Checks `document` against pyhf's workspace schema and writes it
// canonically.
std::string Finish(const nlohmann::json& document, const std::string& source);

// Applies an RFC 6902 patch one operation at a time; failures name
// "<source>: patch[i] (op path)".
nlohmann::json PatchDocument(const nlohmann::json& document,
                             const nlohmann::json& patch,
                             const std::string& source);

}  // namespace goldmine::inference::internal
