// `goldmine histfactory digest | sort | patchset ...`: pyhf's commands on
// workspace and PatchSet documents (pyhf digest, sort, patchset inspect |
// extract | verify | apply), in histfactory_documents_command.cc.
#pragma once

#include <string>
#include <vector>

#include "cli.h"

namespace goldmine::cli {

int HistFactoryDigest(const std::vector<std::string>& arguments,
                      Streams streams);
int HistFactorySort(const std::vector<std::string>& arguments, Streams streams);
int HistFactoryPatchSet(const std::vector<std::string>& arguments,
                        Streams streams);

}  // namespace goldmine::cli
