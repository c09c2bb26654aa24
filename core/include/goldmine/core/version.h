// Version of this build, written into every output file's provenance.
#pragma once

#include <string>

namespace goldmine {

// "0.1.0"
const char* Version();
// Short git commit of the source tree at configure time, or "unknown".
const char* GitRevision();
// "goldmine 0.1.0 (git 1a2b3c4)"
std::string VersionLine();

}  // namespace goldmine
