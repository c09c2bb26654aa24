// The --shard I/N option of `mine` and `augment` (issue 19).
#pragma once

#include <string>
#include <utility>

namespace goldmine::cli {

// "I/N" with 0 <= I < N <= 10^6 as {I, N}. Throws InvalidInput.
std::pair<int, int> ParseShard(const std::string& text);

}  // namespace goldmine::cli
