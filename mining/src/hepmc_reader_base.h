// What the HepMC3 and HepMC2 readers share (hepmc_reader.h): lines and strict
// tokens, the first event read ahead to fix the weight names, and the checks
// every event's weights pass.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "goldmine/mining/event_reader.h"
#include "line_reader.h"

namespace goldmine::mining {

inline bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

inline bool IsBlank(std::string_view line) {
  for (const char c : line) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

class HepMCReaderBase : public EventReader {
 public:
  bool Next(Event* event) final;
  std::int64_t Skip(std::int64_t count) final;

 protected:
  // `listing`: "HepMC::Asciiv3" or "HepMC::IO_GenEvent"; `records`: the
  // record letters of an event, for messages ("U, W, A, T, P or V").
  HepMCReaderBase(const std::string& path,
                  EventFormat format,
                  std::string listing,
                  std::string records);

  // Reads the next event (particles, and weights as the file gives them)
  // into *event; false at the end of the file. Sets event_line_.
  virtual bool ReadEvent(Event* event) = 0;
  // Called at the end of the derived constructor, after the run header.
  void ReadFirstEvent();

  // Fails unless `line` is HepMC::Version or the start or end of a listing.
  void CheckHepMCLine(std::string_view line) const;
  // Skips to the next E line and starts `event` (number, event_line_);
  // false at the end of the file.
  bool StartEvent(Event* event);
  // The next record of the event being read, split into words_; false at
  // its end (the next E line or HepMC:: line stays unread).
  bool NextRecord();
  // "pdg px py pz e m status" from words_[first] on (both formats): finite
  // momenta and mass, integer ids.
  Particle ParticleFields(std::size_t first) const;
  // Multiplies momenta and masses by `scale` (MomentumScale).
  static void ScaleMomenta(double scale, Event* event);

  // "event N (line L)" of the event being read.
  std::string EventName(std::int64_t number) const;
  // A weight value of event `number`, which must be a finite number.
  double Weight(std::string_view token,
                std::size_t index,
                std::int64_t number) const;
  // Momentum units of a U line: GEV → 1, MEV → 1e-3; length MM or CM.
  double MomentumScale(const std::vector<std::string_view>& words) const;

  LineReader lines_;
  // Names the file declares (HepMC3 header W line, HepMC2 first N line).
  std::optional<std::vector<std::string>> declared_names_;
  std::int64_t event_line_ = 0;
  std::int64_t events_read_ = 0;
  std::vector<std::string_view> words_;  // of the current line

 private:
  const std::string listing_;
  const std::string records_;
  void CheckWeights(const Event& event) const;

  std::optional<Event> ahead_;
};

}  // namespace goldmine::mining
