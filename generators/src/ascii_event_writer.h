// A minimal writer of HepMC3 Asciiv3 text (the format of HepMC 3.1.2's
// WriterAscii, read by its ReaderAscii), for the built-in generators.
//
// Why not HepMC3::WriterAscii: it formats every double with printf("%.22e")
// (weights) or "%.16e" (momenta), whose long expansions dominate generation
// time (≈ 95 % for a WH event with 17 weights: 10k events/s written vs 190k
// sampled). Here numbers are written with std::to_chars in their shortest
// form that reads back to the same double, so the file is exact and several
// times faster to write. Layout (what WriterAscii writes, checked against it
// line by line in tests/generators/ascii_event_writer_test.cc):
//
//   HepMC::Version 3.01.02
//   HepMC::Asciiv3-START_EVENT_LISTING
//   W name1\|name2...                 weight names
//   T tool\|version\|description
//   A name value                      run attributes, sorted by name
//   E number vertices particles
//   U GEV MM
//   W w1 w2 ...
//   A 0 name value                    event attributes, sorted by name
//   P id parent pdg px py pz e m status
//   V id status [in1,in2,...]         only for vertices with ≠ 1 incoming
//   HepMC::Asciiv3-END_EVENT_LISTING
//
// A particle's `parent` is its production vertex id (< 0), the id of its
// single parent particle (> 0) or 0 (none).
#pragma once

#include <array>
#include <charconv>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace goldmine::generators {

class AsciiEventWriter {
 public:
  struct Tool {
    std::string name;
    std::string version;
    std::string description;
  };
  // Opens `path` (truncating) and writes the run header. Throws InvalidInput
  // when the file cannot be opened.
  AsciiEventWriter(const std::string& path,
                   const std::vector<std::string>& weight_names,
                   const Tool& tool,
                   const std::map<std::string, std::string>& run_attributes);
  ~AsciiEventWriter();
  AsciiEventWriter(const AsciiEventWriter&) = delete;
  AsciiEventWriter& operator=(const AsciiEventWriter&) = delete;

  // "E", "U" and "W" lines of a new event.
  void BeginEvent(long long number,
                  int num_vertices,
                  int num_particles,
                  const std::vector<double>& weights);
  // Event attributes, in the order written (WriterAscii sorts them by name).
  // GenCrossSection: (σ_0, δσ_0), accepted, attempted, then (σ_k, δσ_k) for
  // k ≥ 1, one pair per weight.
  void CrossSection(const std::vector<double>& cross_sections,
                    const std::vector<double>& errors,
                    long long accepted,
                    long long attempted);
  // GenPdfInfo: ids, x, μF, x f (and LHAPDF ids 0 0).
  void PdfInfo(int id1,
               int id2,
               double x1,
               double x2,
               double scale,
               double xf1,
               double xf2);
  void StringAttribute(const std::string& name, const std::string& value);
  // Momentum (E, px, py, pz) in GeV.
  void Particle(int id,
                int parent,
                int pdg_id,
                const std::array<double, 4>& momentum,
                double mass,
                int status);
  void Vertex(int id, const std::vector<int>& incoming);

  // Writes the footer and closes the file. Throws InvalidInput when any
  // write failed (disk full).
  void Close();

  // Appends the shortest text that reads back as `value` (std::to_chars).
  static void AppendNumber(std::string& text, double value);
  static std::string Number(double value);

 private:
  void Append(long long value);
  void Append(double value) { AppendNumber(buffer_, value); }
  void FlushIfFull();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool failed_ = false;
};

}  // namespace goldmine::generators
