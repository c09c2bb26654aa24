// goldmine's own streaming readers of HepMC3 ASCII (Asciiv3) and HepMC2
// IO_GenEvent files. They replace Debian's HepMC3 3.1.2 readers, which
// crash on malformed input (a P line before any V line corrupts the heap,
// attribute names over 63 characters overflow a stack buffer) and parse
// numbers with atoi/atof ("abc" → 0, "0x10" → 16). Every line is checked
// against the layout HepMC 3.1 and 2.06 write; numbers are parsed strictly;
// anything else is a FileFormatError naming the file, line and event.
//
// Events come out as HepMC 3.1.2 gave them, particle for particle (tested
// against the library on every file of ../shared/data/events):
//  - HepMC3: particles in file order (the format requires ids 1, 2, ...);
//  - HepMC2: particles in the order of HepMC3's GenEvent::add_tree (the
//    vertices in topological order, each adding its incoming and then its
//    outgoing particles), which ReaderAsciiHepMC2 uses. Like the library,
//    particles of a vertex unreachable from any starting vertex are left out.
// Momenta are converted to GeV (U MEV lines).
//
// Weights: the names of the file (HepMC3: the run header's W line, split at
// white space as ReaderAscii does; HepMC2: the first event's N line), or
// positional names "0", "1", ... when the file has weights but no names.
// A file without any weights is unweighted: no weight names, and events
// with no weights (EventFileInfo::unweighted()).
#pragma once

#include <memory>
#include <string>

#include "goldmine/mining/event_reader.h"

namespace goldmine::mining {

// Open `path` as HepMC3 ASCII or HepMC2 IO_GenEvent. Each reads the first
// event ahead so that the weight names are known at once; both throw
// FileFormatError for anything malformed.
std::unique_ptr<EventReader> OpenHepMC3Reader(const std::string& path);
std::unique_ptr<EventReader> OpenHepMC2Reader(const std::string& path);

}  // namespace goldmine::mining
