#include "goldmine/mining/event_reader.h"

#include <algorithm>
#include <cctype>

#include "goldmine/core/errors.h"
#include "gzip_input.h"
#include "hepmc_reader.h"
#include "lhe_reader.h"
#include "xml_scan.h"

namespace goldmine::mining {
namespace {

// The format from the first non-empty lines (after gzip decompression).
EventFormat DetectFormat(const std::string& path) {
  GzipInputStream stream(path);
  std::string line;
  for (int lines = 0; lines < 10 && std::getline(stream, line); ++lines) {
    const std::string trimmed = Trimmed(line);
    if (trimmed.empty()) continue;
    if (trimmed.rfind("<LesHouchesEvents", 0) == 0) return EventFormat::kLhe;
    if (trimmed.rfind("HepMC::Asciiv3", 0) == 0) return EventFormat::kHepMC3;
    if (trimmed.rfind("HepMC::IO_GenEvent", 0) == 0)
      return EventFormat::kHepMC2;
    if (trimmed.rfind("HepMC::Version", 0) == 0)
      continue;  // says which writer, not which format
    throw FileFormatError(
        path + ", line " + std::to_string(lines + 1) +
        ": not an LHE, HepMC3 or HepMC2 file (expected <LesHouchesEvents, "
        "HepMC::Asciiv3 or HepMC::IO_GenEvent, got \"" +
        trimmed.substr(0, 40) + "\")");
  }
  if (stream.buffer().failed()) {
    throw FileFormatError(path + ": the gzip stream is corrupt (" +
                          stream.buffer().error() + ")");
  }
  throw FileFormatError(path +
                        ": empty, or no LHE/HepMC header in its first lines");
}

bool IsStandardModelName(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return name == "sm" || name.rfind("sm_", 0) == 0 ||
         (name.size() > 3 && name.compare(name.size() - 3, 3, "_sm") == 0) ||
         name == "nominal" || name == "central" || name == "default" ||
         name == "original";
}

}  // namespace

const char* FormatName(EventFormat format) {
  switch (format) {
    case EventFormat::kLhe:
      return "lhe";
    case EventFormat::kHepMC3:
      return "hepmc3";
    case EventFormat::kHepMC2:
      return "hepmc2";
  }
  return "unknown";
}

std::int64_t EventReader::Skip(std::int64_t count) {
  Event event;
  std::int64_t skipped = 0;
  while (skipped < count && Next(&event)) ++skipped;
  return skipped;
}

std::unique_ptr<EventReader> EventReader::Open(const std::string& path) {
  const EventFormat format = DetectFormat(path);
  if (format == EventFormat::kLhe) return std::make_unique<LheReader>(path);
  if (format == EventFormat::kHepMC3) return OpenHepMC3Reader(path);
  return OpenHepMC2Reader(path);
}

std::vector<std::string> NoOpReweightings(const EventFileInfo& info) {
  std::vector<std::string> no_ops;
  for (const WeightDefinition& weight : info.weight_definitions) {
    const auto settings = info.reweight.find(weight.id);
    if (settings != info.reweight.end() && settings->second.empty() &&
        weight.text.empty() && !IsStandardModelName(weight.id)) {
      no_ops.push_back(weight.id);
    }
  }
  return no_ops;
}

}  // namespace goldmine::mining
