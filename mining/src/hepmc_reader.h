// HepMC3 ASCII and HepMC2 IO_GenEvent files through Debian's HepMC3 3.1.2,
// fed from a gzip-capable stream (HEPMC3_NOTES.md: check failed() after every
// read, select weights by name, silence the library's printing). This is the
// only translation unit of mining/ that includes HepMC3 headers.
#pragma once

#include <memory>
#include <string>

#include "goldmine/mining/event_reader.h"

namespace goldmine::mining {

// Opens `path` as HepMC3 (format kHepMC3) or HepMC2 (kHepMC2). Reads the
// first event ahead so that the weight names are known at once.
std::unique_ptr<EventReader> OpenHepMCReader(const std::string& path,
                                             EventFormat format);

}  // namespace goldmine::mining
