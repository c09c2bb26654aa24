// The one strict JSON parser every goldmine document goes through (pyhf
// workspaces and patches in inference/, morphing cases and other inputs in
// apps/). nlohmann's parser alone accepts a repeated key (keeping the last
// value without a word), throws out_of_range for 1e999, and parses any
// nesting, whose later copies and dumps recurse until the stack overflows
// (issue 15: 100,000 levels crashed `histfactory` and `morphing`).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace goldmine {

// Deeper nesting than this is refused: far above any goldmine document, far
// below what recursion on the default stack survives.
inline constexpr int kMaxJsonDepth = 512;

// Parses `text`; `source` names it in messages (a file name, "-"). Throws
// FileFormatError when it is not JSON (with line and column), repeats a key
// within an object, holds a number beyond the range of a double, or nests
// deeper than kMaxJsonDepth (these three with the JSON path, e.g.
// "ws.json: channels[0].samples[1]: duplicate key \"data\" ...").
nlohmann::json ParseStrictJson(const std::string& text,
                               const std::string& source);
// The same keeping the keys in document order.
nlohmann::ordered_json ParseStrictOrderedJson(const std::string& text,
                                              const std::string& source);

}  // namespace goldmine
