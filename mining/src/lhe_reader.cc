#include "lhe_reader.h"

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "goldmine/core/errors.h"
#include "lhe_header.h"
#include "xml_scan.h"

namespace goldmine::mining {
namespace {

bool StartsWith(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

// "<init>" or "<init attr=...>", but not "<initrwgt>".
bool IsTag(const std::string& trimmed, const char* name) {
  const std::string open = std::string("<") + name;
  if (!StartsWith(trimmed, open.c_str())) return false;
  const char next = trimmed.size() > open.size() ? trimmed[open.size()] : '\0';
  return next == '>' || next == ' ' || next == '\t' || next == '/';
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream stream(line);
  std::vector<std::string> words;
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

}  // namespace

LheReader::LheReader(const std::string& path)
    : stream_(std::make_unique<GzipInputStream>(path)) {
  info_.path = path;
  info_.format = EventFormat::kLhe;
  info_.weight_names.push_back("nominal");
  ReadHeader();
}

bool LheReader::ReadLine() {
  if (!std::getline(*stream_, line_)) {
    if (stream_->buffer().failed()) {
      Fail("the gzip stream is corrupt or truncated (" +
           stream_->buffer().error() + ")");
    }
    return false;
  }
  ++line_number_;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  return true;
}

std::string LheReader::Where() const {
  return info_.path + ", line " + std::to_string(line_number_);
}

void LheReader::Fail(const std::string& message) const {
  throw FileFormatError(Where() + ": " + message);
}

double LheReader::ParseNumber(const std::string& token,
                              const char* what) const {
  std::string text = token;
  for (char& c : text) {
    if (c == 'D' || c == 'd') c = 'E';  // Fortran exponents, 1.0D+00
  }
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') {
    Fail(std::string("expected a number for ") + what + ", got \"" + token +
         "\"");
  }
  return value;
}

void LheReader::ReadHeader() {
  if (!ReadLine()) Fail("the file is empty; expected <LesHouchesEvents>");
  while (Trimmed(line_).empty() && ReadLine()) {
  }
  if (Trimmed(line_).rfind("<LesHouchesEvents", 0) != 0) {
    Fail("expected <LesHouchesEvents version=...> as the first tag, got \"" +
         Trimmed(line_).substr(0, 40) + "\"");
  }
  std::string initrwgt;
  std::int64_t initrwgt_line = 0;  // where the <initrwgt> being read starts
  while (true) {
    if (!ReadLine()) Fail("the file ends before its <init> block");
    const std::string trimmed = Trimmed(line_);
    if (initrwgt_line == 0 && trimmed.find("<initrwgt") != std::string::npos) {
      initrwgt_line = line_number_;
    }
    if (initrwgt_line > 0) {
      initrwgt += line_ + "\n";
      if (trimmed.find("</initrwgt>") != std::string::npos) {
        info_.weight_definitions = ParseInitRwgt(
            initrwgt, info_.path + ", line " + std::to_string(initrwgt_line));
        initrwgt.clear();
        initrwgt_line = 0;
      }
      continue;
    }
    // MadGraph's run card: " average = event_norm ! ..."
    const std::size_t norm = trimmed.find("event_norm");
    if (norm != std::string::npos) {
      const std::string before = Trimmed(trimmed.substr(0, norm));
      if (!before.empty() && before.back() == '=') {
        const std::vector<std::string> words =
            Words(before.substr(0, before.size() - 1));
        if (!words.empty()) info_.event_norm = words.back();
      }
    }
    if (IsTag(trimmed, "init")) break;
  }
  ReadInit();
  for (const WeightDefinition& weight : info_.weight_definitions) {
    weight_index_[weight.id] = static_cast<int>(info_.weight_names.size());
    info_.weight_names.push_back(weight.id);
    if (IsReweighting(weight)) {
      info_.reweight[weight.id] = ParseReweightSettings(
          weight.text, info_.path + ", <weight id='" + weight.id + "'>");
    }
  }
  names_from_first_event_ = info_.weight_definitions.empty();
}

void LheReader::ReadInit() {
  // Beam line, then one line per process (XSECUP XERRUP XMAXUP LPRUP), then
  // optional tags until </init>.
  int num_processes = -1;
  std::string initrwgt;
  while (true) {
    if (!ReadLine()) Fail("the file ends inside <init>; expected </init>");
    const std::string trimmed = Trimmed(line_);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    if (StartsWith(trimmed, "</init>")) break;
    if (trimmed.find("<initrwgt") != std::string::npos || !initrwgt.empty()) {
      initrwgt += line_ + "\n";  // LHEF 3 allows <initrwgt> inside <init>
      if (trimmed.find("</initrwgt>") != std::string::npos) {
        info_.weight_definitions = ParseInitRwgt(initrwgt, Where());
        initrwgt.clear();
      }
      continue;
    }
    if (trimmed[0] == '<') continue;  // <generator>, ...
    const std::vector<std::string> words = Words(trimmed);
    if (num_processes < 0) {
      if (words.size() < 10) {
        Fail(
            "expected the <init> beam line (10 numbers: IDBMUP EBMUP PDFGUP "
            "PDFSUP IDWTUP NPRUP), got " +
            std::to_string(words.size()) + " words");
      }
      num_processes = static_cast<int>(ParseNumber(words[9], "NPRUP"));
    } else if (num_processes > 0) {
      if (words.size() < 4)
        Fail("expected a process line XSECUP XERRUP XMAXUP LPRUP in <init>");
      info_.init_cross_section += ParseNumber(words[0], "XSECUP");
      --num_processes;
    }
  }
  if (num_processes != 0)
    Fail("<init> ends before all its process lines (NPRUP) were read");
}

bool LheReader::Next(Event* event) {
  // Find the next <event>.
  while (true) {
    if (!ReadLine()) return false;
    const std::string trimmed = Trimmed(line_);
    if (IsTag(trimmed, "event")) break;
    if (StartsWith(trimmed, "</LesHouchesEvents>")) return false;
  }
  ++events_read_;
  const std::int64_t event_line = line_number_;
  event->number = events_read_;
  event->particles.clear();
  event->weights.assign(info_.weight_names.size(), 0.0);
  std::vector<bool> filled(info_.weight_names.size(), false);
  const std::string event_name = "event " + std::to_string(events_read_);

  auto next_content_line = [&]() {
    do {
      if (!ReadLine()) {
        Fail("the file ends inside " + event_name + " (which starts at line " +
             std::to_string(event_line) + "); expected </event>");
      }
    } while (Trimmed(line_).empty() || Trimmed(line_)[0] == '#');
  };
  next_content_line();
  const std::vector<std::string> head = Words(line_);
  if (head.size() < 6) {
    Fail(event_name +
         ": expected NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP, got \"" +
         Trimmed(line_) + "\"");
  }
  const int num_particles = static_cast<int>(ParseNumber(head[0], "NUP"));
  event->weights[0] = ParseNumber(head[2], "XWGTUP");
  filled[0] = true;
  for (int i = 0; i < num_particles; ++i) {
    next_content_line();
    const std::vector<std::string> words = Words(line_);
    if (words.size() < 11 || words[0][0] == '<') {
      Fail(event_name + ": expected particle " + std::to_string(i + 1) +
           " of " + std::to_string(num_particles) +
           " (IDUP ISTUP MOTHUP1 MOTHUP2 ICOLUP1 ICOLUP2 PX PY PZ E M ...)");
    }
    Particle particle;
    particle.pdg_id = static_cast<int>(ParseNumber(words[0], "IDUP"));
    particle.status = static_cast<int>(ParseNumber(words[1], "ISTUP"));
    particle.px = ParseNumber(words[6], "PX");
    particle.py = ParseNumber(words[7], "PY");
    particle.pz = ParseNumber(words[8], "PZ");
    particle.energy = ParseNumber(words[9], "E");
    particle.mass = ParseNumber(words[10], "M");
    event->particles.push_back(particle);
  }
  while (true) {
    next_content_line();
    const std::string trimmed = Trimmed(line_);
    if (StartsWith(trimmed, "</event>")) break;
    if (IsTag(trimmed, "event")) {
      Fail(event_name + " (line " + std::to_string(event_line) +
           ") has no </event> before the next <event>");
    }
    if (IsTag(trimmed, "rwgt")) ReadNamedWeights(event, &filled);
    if (IsTag(trimmed, "weights")) ReadPositionalWeights(event, &filled);
  }
  if (names_from_first_event_) {
    // The first event fixed the names; later ones must give the same.
    names_from_first_event_ = false;
    filled.resize(info_.weight_names.size(), false);
  }
  for (std::size_t w = 0; w < info_.weight_names.size(); ++w) {
    if (w >= filled.size() || !filled[w]) {
      Fail(event_name + " (line " + std::to_string(event_line) +
           "): no weight \"" + info_.weight_names[w] +
           "\"; the header declares " +
           std::to_string(info_.weight_names.size() - 1) +
           " weights besides XWGTUP");
    }
    if (!std::isfinite(event->weights[w])) {
      Fail(event_name + " (line " + std::to_string(event_line) +
           "): weight \"" + info_.weight_names[w] + "\" is " +
           std::to_string(event->weights[w]) +
           "; weights must be finite numbers");
    }
  }
  return true;
}

void LheReader::ReadNamedWeights(Event* event, std::vector<bool>* filled) {
  std::string block = line_ + "\n";
  while (block.find("</rwgt>") == std::string::npos) {
    if (!ReadLine()) {
      Fail("the file ends inside <rwgt> of event " +
           std::to_string(event->number) + "; expected </rwgt>");
    }
    block += line_ + "\n";
  }
  std::size_t offset = 0;
  try {
    while (const auto tag = NextXmlTag(block, offset)) {
      offset = tag->end;
      if (tag->name != "wgt" || tag->closing) continue;
      const auto id = tag->attributes.find("id");
      if (id == tag->attributes.end()) Fail("<wgt> without an id attribute");
      const std::size_t close = block.find("</wgt>", tag->end);
      if (close == std::string::npos)
        Fail("<wgt id='" + id->second + "'> has no </wgt>");
      const double value =
          ParseNumber(Trimmed(block.substr(tag->end, close - tag->end)),
                      ("weight '" + id->second + "'").c_str());
      offset = close + 6;
      auto index = weight_index_.find(id->second);
      if (index == weight_index_.end()) {
        if (!names_from_first_event_) {
          Fail("event " + std::to_string(event->number) + ": weight id '" +
               id->second + "' is not declared in the header's <initrwgt>");
        }
        index = weight_index_
                    .emplace(id->second,
                             static_cast<int>(info_.weight_names.size()))
                    .first;
        info_.weight_names.push_back(id->second);
        event->weights.push_back(0.0);
        filled->push_back(false);
      }
      event->weights[static_cast<std::size_t>(index->second)] = value;
      (*filled)[static_cast<std::size_t>(index->second)] = true;
    }
  } catch (const std::invalid_argument& error) {
    Fail(std::string("broken <rwgt> block: ") + error.what());
  }
}

void LheReader::ReadPositionalWeights(Event* event, std::vector<bool>* filled) {
  std::string block = line_ + "\n";
  while (block.find("</weights>") == std::string::npos) {
    if (!ReadLine())
      Fail("the file ends inside <weights>; expected </weights>");
    block += line_ + "\n";
  }
  const std::size_t start = block.find('>') + 1;
  const std::vector<std::string> values =
      Words(block.substr(start, block.find("</weights>") - start));
  if (names_from_first_event_ && info_.weight_definitions.empty() &&
      weight_index_.empty()) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const std::string name = std::to_string(i + 1);
      weight_index_[name] = static_cast<int>(info_.weight_names.size());
      info_.weight_names.push_back(name);
      event->weights.push_back(0.0);
      filled->push_back(false);
    }
  }
  // Positional values map to the declared weights in order.
  if (values.size() != info_.weight_names.size() - 1) {
    Fail("event " + std::to_string(event->number) + ": <weights> has " +
         std::to_string(values.size()) + " values but the header declares " +
         std::to_string(info_.weight_names.size() - 1) + " weights");
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    event->weights[i + 1] = ParseNumber(values[i], "a <weights> value");
    (*filled)[i + 1] = true;
  }
}

}  // namespace goldmine::mining
