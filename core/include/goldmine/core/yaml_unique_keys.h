// Duplicate keys in YAML are errors (issue 15). yaml-cpp keeps every entry
// of a map whose key is repeated, but node[key] finds only the first: a
// second `benchmarks:` was ignored without a word. Every YAML reader
// (apps/yaml_node for setup, mine and run configs; generators' benchmark
// files) calls this on the text before loading it. yaml-cpp stays private
// to core: nothing of it is in this header.
#pragma once

#include <string>

namespace goldmine {

// Throws InvalidInput "<source>, line N: duplicate key "K" (first on line
// M); ..." when a map of `text` repeats a scalar key. Text that is not YAML
// passes: the caller's parser reports it.
void RequireUniqueYamlKeys(const std::string& text, const std::string& source);

}  // namespace goldmine
