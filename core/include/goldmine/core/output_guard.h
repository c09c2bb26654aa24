// An output must never overwrite an input of the same command (issue 15:
// `inspect f.lhe --output f.lhe` destroyed the event file). Every command
// that writes calls this before it writes anything.
#pragma once

#include <string>
#include <vector>

namespace goldmine {

// Throws InvalidInput, naming `option`, the output and the input, when
// `output` is the same file as one of `inputs`: the same path once
// normalised ("./a/../f.lhe" is "f.lhe"), or the same file reached through a
// symbolic or hard link. Inputs that do not exist are compared by path only.
void RequireOutputIsNotAnInput(const std::string& output,
                               const std::vector<std::string>& inputs,
                               const std::string& option = "--output");

}  // namespace goldmine
