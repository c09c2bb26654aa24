// A result is never printed as `null` with exit 0 (issue 15). nlohmann::json
// writes NaN and ±inf as null; a command whose numbers must be finite (xsec,
// fisher, augment, limits) checks its result before writing it, so that a
// meaningless input (θ = 1e200, whose morphing weights overflow) ends in
// exit 2 instead of a file of nulls.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace goldmine::core {

// Throws InvalidInput "<inputs>: the result is not finite at <path> (nan);
// ..." for the first NaN or infinite number of `result`. `inputs` names what
// the result was computed from ("--events ev.h5 at --theta 1e200,0").
void RequireFiniteResult(const nlohmann::ordered_json& result,
                         const std::string& inputs);

}  // namespace goldmine::core
