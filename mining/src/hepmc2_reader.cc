// HepMC2 IO_GenEvent, as HepMC 2.06 writes it:
//   HepMC::Version 2.06.10
//   HepMC::IO_GenEvent-START_EVENT_LISTING
//   E number mpi scale alpha_qcd alpha_qed process_id signal_vertex
//     vertices beam1 beam2 n_random [random...] n_weights [weights...]
//   N n_names "name1" "name2" ...
//   U GEV|MEV MM|CM
//   C cross_section error
//   F id1 id2 x1 x2 scale xf1 xf2 [pdf_id1 pdf_id2]
//   H (13 heavy-ion numbers)
//   V barcode id x y z t n_orphan_in n_out n_weights [weights...]
//   P barcode pdg px py pz e m status theta phi end_vertex n_flow [flows...]
//   HepMC::IO_GenEvent-END_EVENT_LISTING
// A P line belongs to the V line before it: it is one of that vertex's
// incoming orphans when its end_vertex is that vertex's barcode, else one of
// its outgoing particles.
#include <algorithm>
#include <climits>
#include <deque>

#include "goldmine/core/errors.h"
#include "hepmc_reader.h"
#include "hepmc_reader_base.h"

namespace goldmine::mining {
namespace {

class HepMC2Reader final : public HepMCReaderBase {
 public:
  explicit HepMC2Reader(const std::string& path)
      : HepMCReaderBase(path,
                        EventFormat::kHepMC2,
                        "HepMC::IO_GenEvent",
                        "N, U, C, F, H, V or P") {
    ReadFirstEvent();
  }

 private:
  struct Vertex {
    int barcode = 0;
    long long num_out = 0;  // as declared on its V line
    long long listed = 0;   // P lines after its V line
    std::int64_t line = 0;
    std::vector<int> in;
    std::vector<int> out;
    bool added = false;  // emulation of GenEvent::add_tree
    int queued = 0;      // how often it is in the add_tree queue
  };
  struct Link {
    int production = -1;  // vertex index, or -1
    int end = -1;         // vertex index, or -1
    int end_barcode = 0;  // to resolve at the end of the event; 0: none
    std::int64_t line = 0;
    bool added = false;
  };

  void RequireWords(std::size_t count, const char* layout) const {
    if (words_.size() != count) {
      lines_.Fail(std::string("expected \"") + layout + "\" (" +
                  std::to_string(count) + " words), got " +
                  std::to_string(words_.size()) + " words");
    }
  }

  long long Count(std::size_t index, const char* what) const {
    return lines_.Integer(words_.at(index), what, 0, INT_MAX);
  }

  bool ReadEvent(Event* event) override {
    if (!StartEvent(event)) return false;
    const std::int64_t number = event->number;
    const long long num_vertices = ReadEventLine(event);
    num_vertices_ = 0;
    particles_.clear();
    links_.clear();
    double scale = 1.0;
    bool named = false;
    while (NextRecord()) {
      const std::string_view line = lines_.line();
      switch (line[0]) {
        case 'N':
          if (named) lines_.Fail("a second N line in " + EventName(number));
          named = true;
          ReadNames(event);
          break;
        case 'U':
          scale = MomentumScale(words_);
          break;
        case 'C':
          RequireWords(3, "C cross_section error");
          lines_.Double(words_[1], "the cross section");
          lines_.Double(words_[2], "the cross-section error");
          break;
        case 'F':
          ReadPdfLine();
          break;
        case 'H':
          RequireWords(14, "H (9 integers, 4 numbers: heavy-ion information)");
          for (std::size_t i = 1; i < 10; ++i)
            lines_.Int(words_[i], "a heavy-ion count");
          for (std::size_t i = 10; i < 14; ++i)
            lines_.Double(words_[i], "a heavy-ion value");
          break;
        case 'V':
          ReadVertex();
          break;
        case 'P':
          ReadParticle();
          break;
        default:
          lines_.Fail("expected a line starting with E, N, U, C, F, H, V or P");
      }
    }
    // An event without an N line keeps the names of the first event (as
    // ReaderAsciiHepMC2 keeps its run's names); HepMCReaderBase checks the
    // number of weights.
    FinishEvent(num_vertices, number);
    BuildParticles(event, scale);
    return true;
  }

  // The E line; returns the number of vertices it declares.
  long long ReadEventLine(Event* event) {
    if (words_.size() < 13) {
      lines_.Fail(
          "expected \"E number mpi scale alpha_qcd alpha_qed "
          "process_id signal_vertex vertices beam1 beam2 n_random "
          "[...] n_weights [...]\", got " +
          std::to_string(words_.size()) + " words");
    }
    lines_.Integer(words_[1], "the event number", LLONG_MIN, LLONG_MAX);
    lines_.Int(words_[2], "mpi");
    lines_.Double(words_[3], "the event scale");
    lines_.Double(words_[4], "alpha_qcd");
    lines_.Double(words_[5], "alpha_qed");
    lines_.Int(words_[6], "the signal process id");
    lines_.Int(words_[7], "the signal vertex barcode");
    const long long num_vertices = Count(8, "the number of vertices");
    lines_.Int(words_[9], "the barcode of beam 1");
    lines_.Int(words_[10], "the barcode of beam 2");
    const long long num_random = Count(11, "the number of random states");
    const auto weights_at = static_cast<std::size_t>(12 + num_random);
    if (words_.size() <= weights_at) {
      lines_.Fail("the E line ends before its number of weights (after " +
                  std::to_string(num_random) + " random states)");
    }
    for (std::size_t i = 12; i < weights_at; ++i)
      lines_.Integer(words_[i], "a random state", LLONG_MIN, LLONG_MAX);
    const long long num_weights = Count(weights_at, "the number of weights");
    const std::size_t expected =
        weights_at + 1 + static_cast<std::size_t>(num_weights);
    if (words_.size() != expected) {
      lines_.Fail("the E line declares " + std::to_string(num_weights) +
                  " weights, but " +
                  std::to_string(static_cast<long long>(words_.size()) -
                                 static_cast<long long>(weights_at) - 1) +
                  " values follow");
    }
    for (std::size_t w = weights_at + 1; w < expected; ++w) {
      event->weights.push_back(
          Weight(words_[w], w - weights_at - 1, event->number));
    }
    return num_vertices;
  }

  // N n "name1" "name2" ...: quoted names, which may hold spaces.
  void ReadNames(const Event* event) {
    const std::string_view line = lines_.line();
    if (words_.size() < 2) lines_.Fail("expected \"N n \\\"name1\\\" ...\"");
    const long long count =
        lines_.Integer(words_[1], "the number of weight names", 1, INT_MAX);
    lines_.RequireUtf8(line, "the weight names");
    std::vector<std::string> names;
    std::size_t position =
        static_cast<std::size_t>(words_[1].data() - line.data()) +
        words_[1].size();
    while (true) {
      const std::size_t open = line.find_first_not_of(" \t", position);
      if (open == std::string::npos) break;
      if (line[open] != '"') {
        lines_.Fail("expected a quoted weight name at column " +
                    std::to_string(open + 1));
      }
      const std::size_t close = line.find('"', open + 1);
      if (close == std::string::npos)
        lines_.Fail("a weight name without its closing quote");
      names.emplace_back(line.substr(open + 1, close - open - 1));
      position = close + 1;
    }
    if (static_cast<long long>(names.size()) != count) {
      lines_.Fail("the N line declares " + std::to_string(count) +
                  " names but lists " + std::to_string(names.size()));
    }
    if (event->number == 1) {
      declared_names_ = std::move(names);
    } else if (!declared_names_ || names != *declared_names_) {
      lines_.Fail(
          "the weight names differ from the first event's; every "
          "event must name the same weights in the same order");
    }
  }

  void ReadPdfLine() {
    if (words_.size() != 8 && words_.size() != 10) {
      lines_.Fail(
          "expected \"F id1 id2 x1 x2 scale xf1 xf2 [pdf1 pdf2]\", "
          "got " +
          std::to_string(words_.size()) + " words");
    }
    lines_.Int(words_[1], "the parton id");
    lines_.Int(words_[2], "the parton id");
    for (std::size_t i = 3; i < 8; ++i) lines_.Double(words_[i], "a PDF value");
    for (std::size_t i = 8; i < words_.size(); ++i)
      lines_.Int(words_[i], "the PDF id");
  }

  void CheckListed(const Vertex& vertex) const {
    // HepMC 2 writers (Pythia 8) may list more particles than n_out, not fewer
    // (ReaderAsciiHepMC2 accepts the same).
    if (vertex.listed < vertex.num_out) {
      throw FileFormatError(
          info_.path + ", line " + std::to_string(vertex.line) + ": vertex " +
          std::to_string(vertex.barcode) + " declares " +
          std::to_string(vertex.num_out) + " outgoing particles, but only " +
          std::to_string(vertex.listed) + " P lines follow it");
    }
  }

  void ReadVertex() {
    if (words_.size() < 10) {
      lines_.Fail(
          "expected \"V barcode id x y z t n_orphan_in n_out "
          "n_weights [weights...]\", got " +
          std::to_string(words_.size()) + " words");
    }
    if (num_vertices_ > 0) CheckListed(vertices_[num_vertices_ - 1]);
    const int barcode = lines_.Int(words_[1], "the vertex barcode");
    if (barcode == 0) lines_.Fail("a vertex barcode must not be 0");
    lines_.Int(words_[2], "the vertex id");
    for (std::size_t i = 3; i < 7; ++i)
      lines_.Double(words_[i], "a vertex position coordinate");
    Count(7, "the number of incoming orphans");
    const long long num_out = Count(8, "the number of outgoing particles");
    const long long num_weights = Count(9, "the number of vertex weights");
    if (static_cast<long long>(words_.size()) != 10 + num_weights) {
      lines_.Fail("the V line declares " + std::to_string(num_weights) +
                  " weights, but " + std::to_string(words_.size() - 10) +
                  " values follow");
    }
    for (std::size_t i = 10; i < words_.size(); ++i)
      lines_.Double(words_[i], "a vertex weight");
    if (num_vertices_ == vertices_.size()) vertices_.emplace_back();
    Vertex& vertex = vertices_[num_vertices_++];
    vertex.barcode = barcode;
    vertex.num_out = num_out;
    vertex.listed = 0;
    vertex.line = lines_.number();
    vertex.in.clear();
    vertex.out.clear();
    vertex.added = false;
    vertex.queued = 0;
  }

  void ReadParticle() {
    if (num_vertices_ == 0) {
      lines_.Fail(
          "a particle (P line) before any vertex (V line); each P "
          "line belongs to the V line before it");
    }
    if (words_.size() < 13) {
      lines_.Fail(
          "expected \"P barcode pdg px py pz e m status theta phi "
          "end_vertex n_flow [flows...]\", got " +
          std::to_string(words_.size()) + " words");
    }
    lines_.Int(words_[1], "the particle barcode");
    const Particle particle = ParticleFields(2);
    lines_.Double(words_[9], "the polarisation theta");
    lines_.Double(words_[10], "the polarisation phi");
    const int end_barcode = lines_.Int(words_[11], "the end vertex barcode");
    const long long num_flows = Count(12, "the number of flow entries");
    if (static_cast<long long>(words_.size()) != 13 + 2 * num_flows) {
      lines_.Fail("the P line declares " + std::to_string(num_flows) +
                  " flow entries (2 numbers each), but " +
                  std::to_string(words_.size() - 13) + " numbers follow");
    }
    for (std::size_t i = 13; i < words_.size(); ++i)
      lines_.Int(words_[i], "a flow entry");
    const int index = static_cast<int>(particles_.size());
    const int vertex_index = static_cast<int>(num_vertices_ - 1);
    Vertex& vertex = vertices_[num_vertices_ - 1];
    ++vertex.listed;
    Link link;
    link.line = lines_.number();
    if (end_barcode == vertex.barcode) {
      // An incoming orphan of this vertex.
      link.end = vertex_index;
      vertex.in.push_back(index);
    } else {
      link.production = vertex_index;
      link.end_barcode = end_barcode;
      vertex.out.push_back(index);
    }
    particles_.push_back(particle);
    links_.push_back(link);
  }

  // Checks the counts and connects each particle to its end vertex.
  void FinishEvent(long long num_vertices, std::int64_t number) {
    if (num_vertices_ > 0) CheckListed(vertices_[num_vertices_ - 1]);
    if (static_cast<long long>(num_vertices_) != num_vertices) {
      throw FileFormatError(
          info_.path + ", " + EventName(number) + ": the E line declares " +
          std::to_string(num_vertices) + " vertices, but the event has " +
          std::to_string(num_vertices_) + " (truncated or edited?)");
    }
    by_barcode_.clear();
    for (std::size_t v = 0; v < num_vertices_; ++v)
      by_barcode_.emplace_back(vertices_[v].barcode, static_cast<int>(v));
    std::sort(by_barcode_.begin(), by_barcode_.end());
    for (std::size_t i = 1; i < by_barcode_.size(); ++i) {
      if (by_barcode_[i].first != by_barcode_[i - 1].first) continue;
      const Vertex& first =
          vertices_[static_cast<std::size_t>(by_barcode_[i - 1].second)];
      const Vertex& again =
          vertices_[static_cast<std::size_t>(by_barcode_[i].second)];
      throw FileFormatError(
          info_.path + ", line " + std::to_string(again.line) +
          ": vertex barcode " + std::to_string(again.barcode) +
          " repeats the one of line " + std::to_string(first.line) + " in " +
          EventName(number));
    }
    for (std::size_t p = 0; p < links_.size(); ++p) {
      Link& link = links_[p];
      if (link.end_barcode == 0) continue;
      const auto found =
          std::lower_bound(by_barcode_.begin(),
                           by_barcode_.end(),
                           std::pair<int, int>(link.end_barcode, INT_MIN));
      if (found == by_barcode_.end() || found->first != link.end_barcode) {
        throw FileFormatError(info_.path + ", line " +
                              std::to_string(link.line) +
                              ": the particle ends at vertex " +
                              std::to_string(link.end_barcode) +
                              ", which is not in " + EventName(number));
      }
      link.end = found->second;
      vertices_[static_cast<std::size_t>(found->second)].in.push_back(
          static_cast<int>(p));
    }
  }

  // The particles in the order of HepMC3's GenEvent::add_tree (3.1.2), so
  // that events are exactly what ReaderAsciiHepMC2 gave: starting from the
  // end vertices of particles without a production vertex (or with one
  // without incoming particles), vertices are added once all their mothers'
  // production vertices are; each adds its incoming, then its outgoing
  // particles not yet added.
  void BuildParticles(Event* event, double scale) {
    auto queue_back = [&](int v) {
      queue_.push_back(v);
      ++vertices_[static_cast<std::size_t>(v)].queued;
    };
    auto add_particle = [&](int p) {
      Link& link = links_[static_cast<std::size_t>(p)];
      if (link.added) return;
      link.added = true;
      event->particles.push_back(particles_[static_cast<std::size_t>(p)]);
    };
    queue_.clear();
    for (const Link& link : links_) {
      const bool root =
          link.production < 0 ||
          vertices_[static_cast<std::size_t>(link.production)].in.empty();
      if (root && link.end >= 0) queue_back(link.end);
    }
    while (!queue_.empty()) {
      const int front = queue_.front();
      Vertex& vertex = vertices_[static_cast<std::size_t>(front)];
      bool mothers_first = false;
      for (int p : vertex.in) {
        const int mother = links_[static_cast<std::size_t>(p)].production;
        if (mother < 0) continue;
        Vertex& production = vertices_[static_cast<std::size_t>(mother)];
        if (!production.added && production.queued == 0) {
          queue_.push_front(mother);
          ++production.queued;
          mothers_first = true;
        }
      }
      if (mothers_first) continue;
      if (!vertex.added) {
        vertex.added = true;
        for (int p : vertex.in) add_particle(p);
        for (int p : vertex.out) add_particle(p);
        for (int p : vertex.out) {
          const int end = links_[static_cast<std::size_t>(p)].end;
          if (end >= 0 && !vertices_[static_cast<std::size_t>(end)].added &&
              vertices_[static_cast<std::size_t>(end)].queued == 0)
            queue_back(end);
        }
      }
      --vertex.queued;
      queue_.pop_front();
    }
    ScaleMomenta(scale, event);
  }

  std::vector<Vertex> vertices_;  // the first num_vertices_ are this event's
  std::size_t num_vertices_ = 0;
  std::vector<Particle> particles_;  // file order
  std::vector<Link> links_;          // per particle
  std::vector<std::pair<int, int>> by_barcode_;
  std::deque<int> queue_;
};

}  // namespace

std::unique_ptr<EventReader> OpenHepMC2Reader(const std::string& path) {
  return std::make_unique<HepMC2Reader>(path);
}

}  // namespace goldmine::mining
