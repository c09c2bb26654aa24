#include "goldmine/core/output_guard.h"

#include <filesystem>
#include <system_error>

#include "goldmine/core/errors.h"

namespace goldmine {
namespace {

namespace fs = std::filesystem;

bool SameFile(const fs::path& a, const fs::path& b) {
  std::error_code error;
  if (fs::exists(a, error) && fs::exists(b, error)) {
    const bool same = fs::equivalent(a, b, error);
    if (!error) return same;
  }
  std::error_code error_a;
  std::error_code error_b;
  const fs::path canonical_a = fs::weakly_canonical(a, error_a);
  const fs::path canonical_b = fs::weakly_canonical(b, error_b);
  if (error_a || error_b) return a.lexically_normal() == b.lexically_normal();
  return canonical_a == canonical_b;
}

}  // namespace

void RequireOutputIsNotAnInput(const std::string& output,
                               const std::vector<std::string>& inputs,
                               const std::string& option) {
  for (const std::string& input : inputs) {
    if (input.empty() || !SameFile(output, input)) continue;
    throw InvalidInput(option + " " + output + ": is also an input (" + input +
                       ") of this command and would be overwritten; choose "
                       "another output path");
  }
}

}  // namespace goldmine
