#include "hepmc_reader_base.h"

#include <cmath>

#include "goldmine/core/errors.h"

namespace goldmine::mining {

HepMCReaderBase::HepMCReaderBase(const std::string& path,
                                 EventFormat format,
                                 std::string listing,
                                 std::string records)
    : lines_(path), listing_(std::move(listing)), records_(std::move(records)) {
  info_.path = path;
  info_.format = format;
}

void HepMCReaderBase::ReadFirstEvent() {
  Event first;
  if (ReadEvent(&first)) ahead_ = std::move(first);
  if (declared_names_) {
    info_.weight_names = *declared_names_;
  } else if (ahead_) {
    // Weights without names: named by position (DESIGN.md §5.3).
    for (std::size_t i = 0; i < ahead_->weights.size(); ++i)
      info_.weight_names.push_back(std::to_string(i));
  }
  if (ahead_) CheckWeights(*ahead_);
}

bool HepMCReaderBase::Next(Event* event) {
  if (ahead_) {
    *event = std::move(*ahead_);
    ahead_.reset();
    return true;
  }
  if (!ReadEvent(event)) return false;
  CheckWeights(*event);
  return true;
}

std::int64_t HepMCReaderBase::Skip(std::int64_t count) {
  std::int64_t skipped = 0;
  if (ahead_ && count > 0) {
    ahead_.reset();
    ++skipped;
  }
  while (skipped < count) {
    // The next E line starts an event; its records run to the next E line
    // or HepMC:: line, which stays unread.
    bool found = false;
    while (lines_.Next()) {
      const std::string_view line = lines_.line();
      if (IsBlank(line)) continue;
      if (StartsWith(line, "HepMC")) {
        CheckHepMCLine(line);
        continue;
      }
      if (line[0] == 'E') {
        found = true;
        break;
      }
      lines_.Fail("expected an event line \"E ...\", got \"" +
                  std::string(line.substr(0, 40)) + "\"");
    }
    if (!found) break;
    ++events_read_;
    ++skipped;
    while (lines_.Next()) {
      const std::string_view line = lines_.line();
      if (!IsBlank(line) && (line[0] == 'E' || StartsWith(line, "HepMC"))) {
        lines_.Unread();
        break;
      }
    }
  }
  return skipped;
}

void HepMCReaderBase::CheckHepMCLine(std::string_view line) const {
  if (StartsWith(line, "HepMC::Version") ||
      StartsWith(line, listing_ + "-START_EVENT_LISTING") ||
      StartsWith(line, listing_ + "-END_EVENT_LISTING"))
    return;
  lines_.Fail("expected HepMC::Version, " + listing_ +
              "-START_EVENT_LISTING or " + listing_ +
              "-END_EVENT_LISTING, got \"" + std::string(line.substr(0, 40)) +
              "\"");
}

bool HepMCReaderBase::StartEvent(Event* event) {
  while (true) {
    if (!lines_.Next()) return false;
    const std::string_view line = lines_.line();
    if (IsBlank(line)) continue;
    if (StartsWith(line, "HepMC")) {
      CheckHepMCLine(line);
      continue;
    }
    if (line[0] == 'E') break;
    lines_.Fail("expected an event line \"E ...\", got \"" +
                std::string(line.substr(0, 40)) + "\"");
  }
  event_line_ = lines_.number();
  event->number = ++events_read_;
  event->particles.clear();
  event->weights.clear();
  SplitWords(lines_.line(), &words_);
  return true;
}

bool HepMCReaderBase::NextRecord() {
  while (lines_.Next()) {
    const std::string_view line = lines_.line();
    if (IsBlank(line)) continue;
    if (line[0] == 'E' || StartsWith(line, "HepMC")) {
      lines_.Unread();
      return false;
    }
    SplitWords(line, &words_);
    if (words_[0].size() != 1 || line[0] != words_[0][0]) {
      lines_.Fail("expected a line starting with E, " + records_ + ", got \"" +
                  std::string(line.substr(0, 40)) + "\"");
    }
    return true;
  }
  return false;
}

Particle HepMCReaderBase::ParticleFields(std::size_t first) const {
  Particle particle;
  particle.pdg_id = lines_.Int(words_[first], "the PDG id");
  particle.px = lines_.FiniteDouble(words_[first + 1], "px");
  particle.py = lines_.FiniteDouble(words_[first + 2], "py");
  particle.pz = lines_.FiniteDouble(words_[first + 3], "pz");
  particle.energy = lines_.FiniteDouble(words_[first + 4], "e");
  particle.mass = lines_.FiniteDouble(words_[first + 5], "the generated mass");
  particle.status = lines_.Int(words_[first + 6], "the status");
  return particle;
}

void HepMCReaderBase::ScaleMomenta(double scale, Event* event) {
  if (scale == 1.0) return;
  for (Particle& particle : event->particles) {
    particle.px *= scale;
    particle.py *= scale;
    particle.pz *= scale;
    particle.energy *= scale;
    particle.mass *= scale;
  }
}

std::string HepMCReaderBase::EventName(std::int64_t number) const {
  return "event " + std::to_string(number) + " (line " +
         std::to_string(event_line_) + ")";
}

double HepMCReaderBase::Weight(std::string_view token,
                               std::size_t index,
                               std::int64_t number) const {
  return lines_.Double(token,
                       "weight " + std::to_string(index + 1) + " of event " +
                           std::to_string(number));
}

double HepMCReaderBase::MomentumScale(
    const std::vector<std::string_view>& words) const {
  if (words.size() != 3) {
    lines_.Fail("expected a units line \"U GEV|MEV MM|CM\", got " +
                std::to_string(words.size()) + " words");
  }
  if (words[2] != "MM" && words[2] != "CM")
    lines_.Fail("expected the length unit MM or CM, got \"" +
                std::string(words[2].substr(0, 20)) + "\"");
  if (words[1] == "GEV") return 1.0;
  if (words[1] == "MEV") return 1e-3;
  lines_.Fail("expected the momentum unit GEV or MEV, got \"" +
              std::string(words[1].substr(0, 20)) + "\"");
}

void HepMCReaderBase::CheckWeights(const Event& event) const {
  const std::vector<std::string>& names = info_.weight_names;
  const std::string where = info_.path + ", " + EventName(event.number) + ": ";
  if (event.weights.size() != names.size()) {
    if (names.empty()) {
      throw FileFormatError(where + std::to_string(event.weights.size()) +
                            " weights, but the first event has none (the "
                            "file is unweighted)");
    }
    throw FileFormatError(where + std::to_string(event.weights.size()) +
                          " weights, but the file declares " +
                          std::to_string(names.size()));
  }
  for (std::size_t w = 0; w < names.size(); ++w) {
    if (!std::isfinite(event.weights[w])) {
      throw FileFormatError(where + "weight \"" + names[w] + "\" is " +
                            std::to_string(event.weights[w]) +
                            "; weights must be finite numbers");
    }
  }
}

}  // namespace goldmine::mining
