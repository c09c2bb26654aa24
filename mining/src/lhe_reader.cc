#include "lhe_reader.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/core/strict_number.h"
#include "goldmine/core/utf8.h"
#include "lhe_header.h"
#include "xml_scan.h"

namespace goldmine::mining {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "<init>" or "<init attr=...>", but not "<initrwgt>". Called for every
// line, so it allocates nothing.
bool IsTag(std::string_view trimmed, std::string_view name) {
  if (trimmed.size() < name.size() + 1 || trimmed[0] != '<' ||
      trimmed.substr(1, name.size()) != name)
    return false;
  const std::size_t after = name.size() + 1;
  const char next = trimmed.size() > after ? trimmed[after] : '\0';
  return next == '>' || next == ' ' || next == '\t' || next == '/';
}

// Whitespace-separated words as views into `line`, which must outlive them.
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' ||
                               line[i] == '\r' || line[i] == '\n'))
      ++i;
    const std::size_t begin = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' &&
           line[i] != '\r' && line[i] != '\n')
      ++i;
    if (i > begin) words.push_back(line.substr(begin, i - begin));
  }
  return words;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Called several times per line: a loop, not find_first_not_of, which
// searches the set of spaces once per character.
std::string_view TrimmedView(std::string_view text) {
  std::size_t first = 0;
  while (first < text.size() && IsSpace(text[first])) ++first;
  std::size_t end = text.size();
  while (end > first && IsSpace(text[end - 1])) --end;
  return text.substr(first, end - first);
}

}  // namespace

LheReader::LheReader(const std::string& path) : lines_(path) {
  info_.path = path;
  info_.format = EventFormat::kLhe;
  info_.weight_names.push_back("nominal");
  ReadHeader();
}

double LheReader::ParseNumber(std::string_view token,
                              std::string_view what) const {
  if (const std::optional<double> value = ParseDouble(token)) return *value;
  // Fortran writes exponents as D (1.0D+00).
  const std::size_t d = token.find_first_of("Dd");
  if (d != std::string_view::npos && d > 0) {
    std::string text(token);
    text[d] = 'E';
    if (const std::optional<double> value = ParseDouble(text)) return *value;
  }
  return lines_.Double(token, what);  // fails with the file and line
}

void LheReader::RequireUtf8Block(const std::string& text,
                                 std::int64_t first_line) const {
  const std::size_t bad = FindInvalidUtf8(text);
  if (bad == std::string::npos) return;
  const auto line =
      first_line + std::count(text.begin(),
                              text.begin() + static_cast<std::ptrdiff_t>(bad),
                              '\n');
  throw FileFormatError(info_.path + ", line " + std::to_string(line) +
                        ": <initrwgt> is not valid UTF-8 (at byte " +
                        std::to_string(bad + 1) +
                        " of the block); weight ids and texts must be UTF-8");
}

double LheReader::ParseFinite(std::string_view token,
                              std::string_view what) const {
  const double value = ParseNumber(token, what);
  if (!std::isfinite(value)) {
    Fail("expected a finite number for " + std::string(what) + ", got \"" +
         std::string(token.substr(0, 40)) + "\"");
  }
  return value;
}

void LheReader::ReadHeader() {
  if (!ReadLine()) Fail("the file is empty; expected <LesHouchesEvents>");
  while (TrimmedView(lines_.line()).empty() && ReadLine()) {
  }
  if (!StartsWith(TrimmedView(lines_.line()), "<LesHouchesEvents")) {
    Fail("expected <LesHouchesEvents version=...> as the first tag, got \"" +
         std::string(TrimmedView(lines_.line()).substr(0, 40)) + "\"");
  }
  std::string initrwgt;
  std::int64_t initrwgt_line = 0;  // where the <initrwgt> being read starts
  while (true) {
    if (!ReadLine()) Fail("the file ends before its <init> block");
    const std::string trimmed(TrimmedView(lines_.line()));
    if (initrwgt_line == 0 && trimmed.find("<initrwgt") != std::string::npos) {
      initrwgt_line = lines_.number();
    }
    if (initrwgt_line > 0) {
      initrwgt.append(lines_.line()) += '\n';
      if (trimmed.find("</initrwgt>") != std::string::npos) {
        RequireUtf8Block(initrwgt, initrwgt_line);
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
        const std::string setting = before.substr(0, before.size() - 1);
        const std::vector<std::string_view> words = Words(setting);
        if (!words.empty()) {
          RequireUtf8(words.back(), "the event_norm setting");
          info_.event_norm = std::string(words.back());
        }
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
  std::int64_t initrwgt_line = 0;
  while (true) {
    if (!ReadLine()) Fail("the file ends inside <init>; expected </init>");
    const std::string trimmed(TrimmedView(lines_.line()));
    if (trimmed.empty() || trimmed[0] == '#') continue;
    if (StartsWith(trimmed, "</init>")) break;
    if (trimmed.find("<initrwgt") != std::string::npos || !initrwgt.empty()) {
      if (initrwgt.empty()) initrwgt_line = lines_.number();
      // LHEF 3 allows <initrwgt> inside <init>.
      initrwgt.append(lines_.line()) += '\n';
      if (trimmed.find("</initrwgt>") != std::string::npos) {
        RequireUtf8Block(initrwgt, initrwgt_line);
        info_.weight_definitions = ParseInitRwgt(
            initrwgt, info_.path + ", line " + std::to_string(initrwgt_line));
        initrwgt.clear();
      }
      continue;
    }
    if (trimmed[0] == '<') continue;  // <generator>, ...
    const std::vector<std::string_view> words = Words(trimmed);
    if (num_processes < 0) {
      if (words.size() < 10) {
        Fail(
            "expected the <init> beam line (10 numbers: IDBMUP EBMUP PDFGUP "
            "PDFSUP IDWTUP NPRUP), got " +
            std::to_string(words.size()) + " words");
      }
      // IDBMUP EBMUP PDFGUP PDFSUP IDWTUP NPRUP (two each for the beams).
      const char* const names[] = {"IDBMUP",
                                   "IDBMUP",
                                   "EBMUP",
                                   "EBMUP",
                                   "PDFGUP",
                                   "PDFGUP",
                                   "PDFSUP",
                                   "PDFSUP",
                                   "IDWTUP",
                                   "NPRUP"};
      for (std::size_t i = 0; i < 10; ++i) {
        if (i == 2 || i == 3) {
          ParseFinite(words[i], names[i]);
        } else if (i != 9) {
          lines_.Int(words[i], names[i]);
        }
      }
      num_processes =
          static_cast<int>(lines_.Integer(words[9], "NPRUP", 0, INT_MAX));
    } else if (num_processes > 0) {
      if (words.size() < 4)
        Fail("expected a process line XSECUP XERRUP XMAXUP LPRUP in <init>");
      info_.init_cross_section += ParseFinite(words[0], "XSECUP");
      ParseFinite(words[1], "XERRUP");
      ParseFinite(words[2], "XMAXUP");
      lines_.Int(words[3], "LPRUP");
      --num_processes;
    }
  }
  if (num_processes != 0)
    Fail("<init> ends before all its process lines (NPRUP) were read");
}

std::int64_t LheReader::Skip(std::int64_t count) {
  std::int64_t skipped = 0;
  while (skipped < count) {
    bool found = false;
    while (ReadLine()) {
      const std::string_view trimmed = TrimmedView(lines_.line());
      if (IsTag(trimmed, "event")) {
        found = true;
        break;
      }
      if (StartsWith(trimmed, "</LesHouchesEvents>")) return skipped;
    }
    if (!found) break;
    ++events_read_;
    ++skipped;
    const std::int64_t event_line = lines_.number();
    while (true) {
      if (!ReadLine()) {
        Fail("the file ends inside event " + std::to_string(events_read_) +
             " (which starts at line " + std::to_string(event_line) +
             "); expected </event>");
      }
      if (StartsWith(TrimmedView(lines_.line()), "</event>")) break;
    }
  }
  return skipped;
}

bool LheReader::Next(Event* event) {
  // Find the next <event>.
  while (true) {
    if (!ReadLine()) return false;
    const std::string_view trimmed = TrimmedView(lines_.line());
    if (IsTag(trimmed, "event")) break;
    if (StartsWith(trimmed, "</LesHouchesEvents>")) return false;
  }
  ++events_read_;
  const std::int64_t event_line = lines_.number();
  event->number = events_read_;
  event->particles.clear();
  event->weights.assign(info_.weight_names.size(), 0.0);
  std::vector<bool>& filled = filled_;
  filled.assign(info_.weight_names.size(), false);
  const std::string event_name = "event " + std::to_string(events_read_);

  auto next_content_line = [&]() {
    do {
      if (!ReadLine()) {
        Fail("the file ends inside " + event_name + " (which starts at line " +
             std::to_string(event_line) + "); expected </event>");
      }
    } while (TrimmedView(lines_.line()).empty() ||
             TrimmedView(lines_.line())[0] == '#');
  };
  next_content_line();
  std::vector<std::string_view>& head = words_;
  SplitWords(lines_.line(), &head);
  if (head.size() < 6) {
    Fail(event_name +
         ": expected NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP, got \"" +
         std::string(TrimmedView(lines_.line())) + "\"");
  }
  const int num_particles =
      static_cast<int>(lines_.Integer(head[0], "NUP", 0, INT_MAX));
  lines_.Int(head[1], "IDPRUP");
  event->weights[0] = ParseNumber(head[2], "XWGTUP");  // finite: below
  ParseNumber(head[3], "SCALUP");
  ParseNumber(head[4], "AQEDUP");
  ParseNumber(head[5], "AQCDUP");
  filled[0] = true;
  for (int i = 0; i < num_particles; ++i) {
    next_content_line();
    std::vector<std::string_view>& words = words_;
    SplitWords(lines_.line(), &words);
    if (words.size() < 11 || words[0][0] == '<') {
      Fail(event_name + ": expected particle " + std::to_string(i + 1) +
           " of " + std::to_string(num_particles) +
           " (IDUP ISTUP MOTHUP1 MOTHUP2 ICOLUP1 ICOLUP2 PX PY PZ E M ...)");
    }
    Particle particle;
    particle.pdg_id = lines_.Int(words[0], "IDUP");
    particle.status = lines_.Int(words[1], "ISTUP");
    for (std::size_t k = 2; k < 6; ++k)
      lines_.Int(words[k], k < 4 ? "MOTHUP" : "ICOLUP");
    particle.px = ParseFinite(words[6], "PX");
    particle.py = ParseFinite(words[7], "PY");
    particle.pz = ParseFinite(words[8], "PZ");
    particle.energy = ParseFinite(words[9], "E");
    particle.mass = ParseFinite(words[10], "M");
    for (std::size_t k = 11; k < words.size() && k < 13; ++k)
      ParseNumber(words[k], k == 11 ? "VTIMUP" : "SPINUP");
    event->particles.push_back(particle);
  }
  while (true) {
    next_content_line();
    const std::string_view trimmed = TrimmedView(lines_.line());
    if (StartsWith(trimmed, "</event>")) break;
    if (IsTag(trimmed, "event")) {
      Fail(event_name + " (line " + std::to_string(event_line) +
           ") has no </event> before the next <event>");
    }
    // `trimmed` views the current line: reading a weight block moves on to
    // later lines, so nothing may look at it afterwards (a use after free
    // found by fuzzing, issue 15).
    if (IsTag(trimmed, "rwgt")) {
      ReadNamedWeights(event, &filled);
    } else if (IsTag(trimmed, "weights")) {
      ReadPositionalWeights(event, &filled);
    }
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
  // Line by line: <wgt id='ID'> VALUE </wgt>, one or several per line; a tag
  // split over lines is carried to the next one.
  std::string& carried = carried_;
  carried.clear();
  next_named_weight_ = 1;
  bool first_line = true;
  while (true) {
    if (!first_line && !ReadLine()) {
      Fail("the file ends inside <rwgt> of event " +
           std::to_string(event->number) + "; expected </rwgt>");
    }
    first_line = false;
    // A line is parsed where it lies; only a tag split over lines is
    // copied, to be joined with the next line.
    std::string_view text = lines_.line();
    if (!carried.empty()) {
      carried += '\n';
      carried.append(text);
      text = carried;
    }
    std::size_t position = 0;
    while (true) {
      const std::size_t open = text.find("<wgt", position);
      if (open == std::string_view::npos) {
        position = text.size();
        break;
      }
      const std::size_t close = text.find("</wgt>", open);
      if (close == std::string_view::npos) {
        position = open;  // the tag continues on the next line
        break;
      }
      const std::size_t tag_end = text.find('>', open);
      const std::size_t id_attribute = text.find("id=", open);
      if (id_attribute == std::string_view::npos || id_attribute > tag_end ||
          id_attribute + 3 >= text.size()) {
        Fail("event " + std::to_string(event->number) +
             ": <wgt> without an id attribute");
      }
      const char quote = text[id_attribute + 3];
      const std::size_t id_end = text.find(quote, id_attribute + 4);
      if ((quote != '\'' && quote != '"') || id_end == std::string_view::npos ||
          id_end > tag_end) {
        Fail("event " + std::to_string(event->number) +
             ": broken <wgt> tag \"" +
             std::string(text.substr(open, tag_end - open + 1)) + "\"");
      }
      const std::string_view id =
          text.substr(id_attribute + 4, id_end - id_attribute - 4);
      const std::string_view token =
          TrimmedView(text.substr(tag_end + 1, close - tag_end - 1));
      // The message is built only for a bad value.
      const std::optional<double> fast = ParseDouble(token);
      const double value =
          fast ? *fast : ParseNumber(token, "weight '" + std::string(id) + "'");
      SetNamedWeight(id, value, event, filled);
      position = close + 6;
    }
    const bool done = text.find("</rwgt>") != std::string_view::npos;
    if (text.data() == carried.data()) {
      carried.erase(0, position);
    } else {
      carried.assign(text.substr(position));
    }
    if (done) break;
  }
}

void LheReader::SetNamedWeight(std::string_view id,
                               double value,
                               Event* event,
                               std::vector<bool>* filled) {
  std::size_t index = next_named_weight_;
  if (index >= info_.weight_names.size() || info_.weight_names[index] != id) {
    const auto found = weight_index_.find(std::string(id));
    if (found != weight_index_.end()) {
      index = static_cast<std::size_t>(found->second);
    } else if (names_from_first_event_) {
      RequireUtf8(id, "the weight id");
      index = info_.weight_names.size();
      weight_index_.emplace(std::string(id), static_cast<int>(index));
      info_.weight_names.emplace_back(id);
      event->weights.push_back(0.0);
      filled->push_back(false);
    } else {
      Fail("event " + std::to_string(event->number) + ": weight id '" +
           std::string(id) + "' is not declared in the header's <initrwgt>");
    }
  }
  event->weights[index] = value;
  (*filled)[index] = true;
  next_named_weight_ = index + 1;
}

void LheReader::ReadPositionalWeights(Event* event, std::vector<bool>* filled) {
  std::string block(lines_.line());
  block += '\n';
  while (lines_.line().find("</weights>") == std::string_view::npos) {
    if (!ReadLine()) {
      Fail("the file ends inside <weights> of event " +
           std::to_string(event->number) + "; expected </weights>");
    }
    block.append(lines_.line()) += '\n';
  }
  const std::size_t start = block.find('>') + 1;
  const std::string inner =
      block.substr(start, block.find("</weights>") - start);
  const std::vector<std::string_view> values = Words(inner);
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
