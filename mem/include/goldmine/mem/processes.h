// The processes the Matrix Element Method knows, by name: a new process is
// one Process implementation plus one line in processes.cc.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "goldmine/mem/process.h"
#include "goldmine/mining/madminer_file.h"

namespace goldmine::mem {

// "toy", "wh".
std::vector<std::string> ProcessNames();

struct ProcessOptions {
  // The detector preset the events were mined with (mining/smearing.h):
  // its transfer functions. Empty or "none": parton level, no smearing.
  std::string detector;
};

// The process `name` for these parameters (θ order). Throws InvalidInput
// for an unknown name or parameters the process does not have.
std::unique_ptr<Process> MakeProcess(const std::string& name,
                                     const std::vector<std::string>& parameters,
                                     const ProcessOptions& options = {});

// The process whose parameters are the file's and whose observables the
// file holds (the first in ProcessNames() order). Throws InvalidInput
// naming the file when none fits, with each process's reason.
std::unique_ptr<Process> DetectProcess(const mining::MadminerSetup& setup,
                                       const std::string& events_file,
                                       const ProcessOptions& options = {});

}  // namespace goldmine::mem
