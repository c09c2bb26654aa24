// Streaming readers for weighted event files: LHE (v1 and v3, MadGraph and
// POWHEG weights), HepMC3 ASCII and HepMC2 IO_GenEvent, each plain or
// gzip-compressed. Memory does not grow with the number of events.
//
// Weights are identified by name:
//  - LHE: "nominal" is XWGTUP, followed by the <weight id> entries of the
//    header's <initrwgt> in header order (per event from <rwgt><wgt id> by id,
//    or from a positional <weights> block by order);
//  - HepMC3 / HepMC2: the file's weight names in file order (HepMC 2.06 writes
//    them alphabetically, so the nominal need not be first: select by name);
//    a file with weights but without names gets positional names "0", "1",
//    ...; a file without any weights is unweighted: no weight names, events
//    without weights, each counting as weight 1 (sample.h).
// Numbers are parsed strictly (the whole token, no hexadecimal); momenta and
// weights must be finite; names must be UTF-8. See docs/event_files.md.
// References: docs/LHE_REWEIGHTING.md, docs/HEPMC3_NOTES.md (why Debian's
// HepMC3 LHEF reader is not used, and the HepMC 3.1.2 quirks handled here).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "goldmine/mining/event.h"

namespace goldmine::mining {

enum class EventFormat { kLhe, kHepMC3, kHepMC2 };

// "lhe", "hepmc3", "hepmc2" (the names of the inspect command's output).
const char* FormatName(EventFormat format);

// One <weight id> declared in an LHE header's <initrwgt>.
struct WeightDefinition {
  std::string id;
  // The enclosing <weightgroup>'s name (or type, for MadGraph 2), or "".
  std::string group;
  // The element's text, trimmed (MadGraph: the param_card changes).
  std::string text;
  // Its attributes (MUR, MUF, PDF, DYN_SCALE, ...).
  std::map<std::string, std::string> attributes;
};

struct EventFileInfo {
  std::string path;
  EventFormat format = EventFormat::kLhe;
  // What each entry of Event::weights is; empty for an unweighted file.
  std::vector<std::string> weight_names;
  // A HepMC file without any weights: every event has weight 1.
  bool unweighted() const { return weight_names.empty(); }
  // LHE only: every <weight id> of the header, in header order.
  std::vector<WeightDefinition> weight_definitions;
  // LHE only: MadGraph reweighting settings per weight id, parsed from
  // "set param_card BLOCK ID VALUE" lines: {"smeft 7": 0.1}. An entry with no
  // settings is a reweighting that changed nothing.
  std::map<std::string, std::map<std::string, double>> reweight;
  // LHE only: the run card's event_norm ("average", "sum", "bias") when
  // the header states it, else "".
  std::string event_norm;
  // LHE only: Σ XSECUP over the <init> processes (pb), or 0 when absent.
  double init_cross_section = 0.0;
};

class EventReader {
 public:
  // Opens any supported file, plain or gzip, recognising the format from its
  // first lines. Throws InvalidInput when the file cannot be opened and
  // FileFormatError (naming the file, line and what was expected) when it is
  // not a supported format or its header is broken.
  static std::unique_ptr<EventReader> Open(const std::string& path);
  virtual ~EventReader() = default;

  // Complete from the moment the reader is opened.
  const EventFileInfo& info() const { return info_; }

  // Reads the next event; false at the end of the file. Throws
  // FileFormatError naming the file, the event number and line for a
  // truncated or malformed event, a missing weight, or a weight that is not a
  // finite number.
  virtual bool Next(Event* event) = 0;

  // Moves past up to `count` events without decoding them and returns how
  // many it passed (fewer at the end of the file); they count for the event
  // numbers of later messages. Much faster than Next() (the LHE and HepMC
  // readers only find the event boundaries), for shards that start inside a
  // file and for counting events. A skipped event is not checked: its
  // problems are reported by whoever reads it.
  virtual std::int64_t Skip(std::int64_t count);

 protected:
  EventFileInfo info_;
};

// MadGraph reweighting weights whose card changed nothing (empty text),
// except the ones named like the Standard Model ("SM", "sm_...", ...), which
// are meant to repeat the sampling point. They usually mean a misspelt
// parameter in the reweight card.
std::vector<std::string> NoOpReweightings(const EventFileInfo& info);

}  // namespace goldmine::mining
