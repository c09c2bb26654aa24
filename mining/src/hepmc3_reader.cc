// HepMC3 ASCII (Asciiv3), as HepMC 3.1 writes it (WriterAscii):
//   HepMC::Version 3.01.02
//   HepMC::Asciiv3-START_EVENT_LISTING
//   W name1\|name2 ...            run header: weight names (escaped)
//   T tool\|version\|description  run header: tools
//   A name value                  run header: attributes
//   E number vertices particles [@ x y z t]
//   U GEV|MEV MM|CM
//   W w1 w2 ...
//   A id name value               event attributes (ignored here)
//   P id parent pdg px py pz e m status
//   V id status [in1,in2,...] [@ x y z t]
//   HepMC::Asciiv3-END_EVENT_LISTING
#include <algorithm>
#include <cctype>
#include <climits>

#include "goldmine/core/errors.h"
#include "hepmc_reader.h"
#include "hepmc_reader_base.h"

namespace goldmine::mining {
namespace {

// ReaderAscii::unescape: "\|" is a newline, "\x" is x.
std::string Unescaped(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      ++i;
      result += text[i] == '|' ? '\n' : text[i];
    } else {
      result += text[i];
    }
  }
  return result;
}

class HepMC3Reader final : public HepMCReaderBase {
 public:
  explicit HepMC3Reader(const std::string& path)
      : HepMCReaderBase(path,
                        EventFormat::kHepMC3,
                        "HepMC::Asciiv3",
                        "U, W, A, T, P or V") {
    ReadRunHeader();
    ReadFirstEvent();
  }

 private:
  // Lines before the first E line; stops with that line unread.
  void ReadRunHeader() {
    while (lines_.Next()) {
      const std::string_view line = lines_.line();
      if (IsBlank(line)) continue;
      switch (line[0]) {
        case 'H':
          CheckHepMCLine(line);
          break;
        case 'W':
          ReadWeightNames(line);
          break;
        case 'T':
        case 'A':
          RequireKeyword(line);
          break;
        case 'E':
          lines_.Unread();
          return;
        default:
          lines_.Fail(
              "expected a run header line (W, T, A) or an event (E), got \"" +
              std::string(line.substr(0, 40)) + "\"");
      }
    }
  }

  // "X " followed by something.
  void RequireKeyword(std::string_view line) const {
    if (line.size() < 3 || line[1] != ' ') {
      lines_.Fail("expected \"" + std::string(1, line[0]) +
                  " <text>\", got \"" + std::string(line.substr(0, 40)) + "\"");
    }
  }

  void ReadWeightNames(std::string_view line) {
    if (declared_names_)
      lines_.Fail("a second W line of weight names in the run header");
    if (line.size() > 1 && line[1] != ' ')
      lines_.Fail("expected \"W name1\\|name2...\" (weight names)");
    lines_.RequireUtf8(line, "the weight names");
    const std::string names =
        Unescaped(line.substr(std::min<std::size_t>(2, line.size())));
    // Split at white space, as ReaderAscii does (HEPMC3_NOTES.md §6.4).
    std::vector<std::string> split;
    std::size_t i = 0;
    while (i < names.size()) {
      while (i < names.size() &&
             std::isspace(static_cast<unsigned char>(names[i])) != 0)
        ++i;
      const std::size_t begin = i;
      while (i < names.size() &&
             std::isspace(static_cast<unsigned char>(names[i])) == 0)
        ++i;
      if (i > begin) split.push_back(names.substr(begin, i - begin));
    }
    // An empty W line names nothing: weights, if any, are named by position
    // (as ReaderAscii, which then had no names either).
    if (!split.empty()) declared_names_ = std::move(split);
  }

  bool ReadEvent(Event* event) override {
    if (!StartEvent(event)) return false;
    const std::int64_t number = event->number;
    if (words_.size() != 4 && words_.size() != 9) {
      lines_.Fail("expected \"E number vertices particles [@ x y z t]\", got " +
                  std::to_string(words_.size()) + " words");
    }
    lines_.Integer(words_[1], "the event number", LLONG_MIN, LLONG_MAX);
    const long long num_vertices =
        lines_.Integer(words_[2], "the number of vertices", 0, INT_MAX);
    const long long num_particles =
        lines_.Integer(words_[3], "the number of particles", 0, INT_MAX);
    if (words_.size() == 9) ReadPosition(4);
    double scale = 1.0;
    bool has_weights = false;
    long long vertices = 0;
    // Whether each particle already has an end vertex (for counting the
    // vertices that "P id parent" lines create, as ReaderAscii does).
    has_end_vertex_.clear();
    while (NextRecord()) {
      const std::string_view line = lines_.line();
      switch (line[0]) {
        case 'U':
          scale = MomentumScale(words_);
          break;
        case 'W':
          if (has_weights)
            lines_.Fail("a second W line in " + EventName(number));
          has_weights = true;
          for (std::size_t w = 1; w < words_.size(); ++w)
            event->weights.push_back(Weight(words_[w], w - 1, number));
          break;
        case 'A':
          if (words_.size() < 3) {
            lines_.Fail("expected an attribute \"A id name value\", got " +
                        std::to_string(words_.size()) + " words");
          }
          lines_.Int(words_[1], "the attribute's id");
          break;
        case 'T':
          RequireKeyword(line);
          break;
        case 'P':
          ReadParticle(event, &vertices);
          break;
        case 'V':
          ReadVertex();
          ++vertices;
          break;
        default:
          lines_.Fail("expected a line starting with E, U, W, A, T, P or V");
      }
    }
    const auto particles = static_cast<long long>(event->particles.size());
    if (particles != num_particles || vertices != num_vertices) {
      throw FileFormatError(
          info_.path + ", " + EventName(number) + ": the E line declares " +
          std::to_string(num_vertices) + " vertices and " +
          std::to_string(num_particles) + " particles, but the event has " +
          std::to_string(vertices) + " and " + std::to_string(particles) +
          " (truncated or edited?)");
    }
    ScaleMomenta(scale, event);
    return true;
  }

  // "@ x y z t" from words_[first].
  void ReadPosition(std::size_t first) {
    if (words_[first] != "@")
      lines_.Fail("expected \"@ x y z t\" after the counts");
    for (std::size_t i = first + 1; i < first + 5; ++i)
      lines_.FiniteDouble(words_[i], "a position coordinate");
  }

  void ReadParticle(Event* event, long long* vertices) {
    if (words_.size() != 10) {
      lines_.Fail(
          "expected a particle \"P id parent pdg px py pz e m status\", got " +
          std::to_string(words_.size()) + " words");
    }
    const auto count = static_cast<long long>(event->particles.size());
    const long long id =
        lines_.Integer(words_[1], "the particle id", 1, INT_MAX);
    if (id != count + 1) {
      lines_.Fail("expected particle id " + std::to_string(count + 1) +
                  " (ids count up from 1 in file order), got " +
                  std::to_string(id));
    }
    const long long parent =
        lines_.Integer(words_[2], "the parent", INT_MIN, INT_MAX);
    if (parent > count) {
      lines_.Fail("the parent of particle " + std::to_string(id) +
                  " is particle " + std::to_string(parent) +
                  ", which is not listed before it");
    }
    if (parent > 0 &&
        has_end_vertex_[static_cast<std::size_t>(parent - 1)] == 0) {
      // ReaderAscii creates a vertex for a parent particle without one.
      has_end_vertex_[static_cast<std::size_t>(parent - 1)] = 1;
      ++*vertices;
    }
    has_end_vertex_.push_back(0);
    event->particles.push_back(ParticleFields(3));
  }

  void ReadVertex() {
    if (words_.size() != 4 && words_.size() != 9) {
      lines_.Fail(
          "expected a vertex \"V id status [in1,...] [@ x y z t]\", "
          "got " +
          std::to_string(words_.size()) + " words");
    }
    lines_.Integer(words_[1], "the vertex id", INT_MIN, -1);
    lines_.Int(words_[2], "the vertex status");
    const std::string_view list = words_[3];
    if (list.size() < 2 || list.front() != '[' || list.back() != ']')
      lines_.Fail("expected the incoming particles as [id1,id2,...]");
    std::string_view rest = list.substr(1, list.size() - 2);
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view id = rest.substr(0, comma);
      const long long incoming =
          lines_.Integer(id, "an incoming particle id", 1, INT_MAX);
      // Particles listed before their vertex get it as their end vertex.
      if (incoming <= static_cast<long long>(has_end_vertex_.size()))
        has_end_vertex_[static_cast<std::size_t>(incoming - 1)] = 1;
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
      if (rest.empty()) lines_.Fail("a trailing ',' in the incoming list");
    }
    if (words_.size() == 9) ReadPosition(4);
  }

  std::vector<char> has_end_vertex_;
};

}  // namespace

std::unique_ptr<EventReader> OpenHepMC3Reader(const std::string& path) {
  return std::make_unique<HepMC3Reader>(path);
}

}  // namespace goldmine::mining
