#include "shard_option.h"

#include <stdexcept>

#include "goldmine/core/errors.h"

namespace goldmine::cli {

std::pair<int, int> ParseShard(const std::string& text) {
  const std::string usage =
      "--shard \"" + text + "\": expected I/N with 0 <= I < N, e.g. 0/4";
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw InvalidInput(usage);
  int index = 0;
  int count = 0;
  try {
    std::size_t used = 0;
    index = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw InvalidInput(usage);
    const std::string rest = text.substr(slash + 1);
    count = std::stoi(rest, &used);
    if (used != rest.size()) throw InvalidInput(usage);
  } catch (const std::logic_error&) {
    throw InvalidInput(usage);
  }
  if (count < 1 || index < 0 || index >= count || count > 1000000) {
    throw InvalidInput(usage);
  }
  return {index, count};
}

}  // namespace goldmine::cli
