#include "hepmc_reader.h"

#include <HepMC3/GenEvent.h>
#include <HepMC3/GenParticle.h>
#include <HepMC3/GenRunInfo.h>
#include <HepMC3/ReaderAscii.h>
#include <HepMC3/ReaderAsciiHepMC2.h>
#include <HepMC3/Setup.h>

#include <cmath>
#include <optional>
#include <stdexcept>

#include "goldmine/core/errors.h"
#include "gzip_input.h"

namespace goldmine::mining {
namespace {

class HepMCReader final : public EventReader {
 public:
  HepMCReader(const std::string& path, EventFormat format)
      : stream_(std::make_unique<GzipInputStream>(path)) {
    // HepMC3 prints warnings and errors to stdout, where our JSON goes.
    HepMC3::Setup::set_print_warnings(false);
    HepMC3::Setup::set_print_errors(false);
    HepMC3::Setup::set_debug_level(0);
    info_.path = path;
    info_.format = format;
    if (format == EventFormat::kHepMC3) {
      reader_ = std::make_unique<HepMC3::ReaderAscii>(*stream_);
    } else {
      reader_ = std::make_unique<HepMC3::ReaderAsciiHepMC2>(*stream_);
    }
    ahead_ = ReadOne();
    if (ahead_) {
      info_.weight_names = NamesOf(*ahead_);
    } else {
      info_.weight_names = {"0"};
    }
  }

  bool Next(Event* event) override {
    if (ahead_) {
      *event = std::move(*ahead_);
      ahead_.reset();
      return true;
    }
    std::optional<Event> next = ReadOne();
    if (!next) return false;
    *event = std::move(*next);
    return true;
  }

 private:
  std::string Where(std::int64_t number) const {
    return info_.path + ", event " + std::to_string(number);
  }

  // The names of the run, or positions when the file has none.
  std::vector<std::string> NamesOf(const Event& first) const {
    std::vector<std::string> names;
    if (reader_->run_info()) names = reader_->run_info()->weight_names();
    if (names.empty()) {
      for (std::size_t i = 0; i < first.weights.size(); ++i)
        names.push_back(std::to_string(i));
    }
    if (names.size() != first.weights.size()) {
      throw FileFormatError(
          Where(first.number) + ": " + std::to_string(first.weights.size()) +
          " weights but " + std::to_string(names.size()) + " weight names");
    }
    return names;
  }

  std::optional<Event> ReadOne() {
    HepMC3::GenEvent generated;
    const std::int64_t number = events_read_ + 1;
    try {
      reader_->read_event(generated);
    } catch (const std::exception& error) {
      throw FileFormatError(Where(number) + ": " + error.what());
    }
    if (reader_->failed()) {
      if (stream_->buffer().failed()) {
        throw FileFormatError(Where(number) +
                              ": the gzip stream is corrupt or truncated (" +
                              stream_->buffer().error() + ")");
      }
      if (!stream_->eof()) {
        throw FileFormatError(
            Where(number) +
            ": the HepMC reader stopped before the end of the file");
      }
      return std::nullopt;
    }
    ++events_read_;
    Event event;
    event.number = number;
    const double to_gev =
        generated.momentum_unit() == HepMC3::Units::MEV ? 1e-3 : 1.0;
    for (const auto& particle : generated.particles()) {
      const HepMC3::FourVector& p = particle->momentum();
      event.particles.push_back({particle->pid(),
                                 particle->status(),
                                 p.px() * to_gev,
                                 p.py() * to_gev,
                                 p.pz() * to_gev,
                                 p.e() * to_gev,
                                 particle->generated_mass() * to_gev});
    }
    event.weights = generated.weights();
    if (event.weights.empty()) event.weights = {1.0};  // no weights: weight 1
    if (!info_.weight_names.empty() &&
        event.weights.size() != info_.weight_names.size()) {
      throw FileFormatError(Where(number) + ": " +
                            std::to_string(event.weights.size()) +
                            " weights, but the file declares " +
                            std::to_string(info_.weight_names.size()));
    }
    for (std::size_t w = 0; w < event.weights.size(); ++w) {
      if (!std::isfinite(event.weights[w])) {
        const std::string name = w < info_.weight_names.size()
                                     ? info_.weight_names[w]
                                     : std::to_string(w);
        throw FileFormatError(Where(number) + ": weight \"" + name + "\" is " +
                              std::to_string(event.weights[w]) +
                              "; weights must be finite numbers");
      }
    }
    return event;
  }

  std::unique_ptr<GzipInputStream> stream_;
  std::unique_ptr<HepMC3::Reader> reader_;
  std::optional<Event> ahead_;
  std::int64_t events_read_ = 0;
};

}  // namespace

std::unique_ptr<EventReader> OpenHepMCReader(const std::string& path,
                                             EventFormat format) {
  return std::make_unique<HepMCReader>(path, format);
}

}  // namespace goldmine::mining
