// Private: what a built-in process gives the shared event-file loop
// (event_file_loop.h). The loop owns the file's layout: weights per
// benchmark from the per-event EFT polynomial, the scale variations of the
// first benchmark, running cross sections, the polynomial attribute, the
// common run attributes and progress. A process says only what is its own:
// its description and parameters, its extra weights and run attributes, and
// one event at a time, with its event record. A new built-in process is an
// EventProcess (issue 16: "a new process is one file").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ascii_event_writer.h"
#include "goldmine/core/random.h"
#include "goldmine/generators/benchmarks.h"
#include "goldmine/generators/wh_matrix_element.h"

namespace goldmine::generators {

class EventProcess {
 public:
  virtual ~EventProcess() = default;

  // The generator's settings in one line (run attribute goldmine_generator).
  virtual std::string Description() const = 0;
  // The parameters θ, in the order of the benchmarks' values.
  virtual std::vector<std::string> ParameterNames() const = 0;
  // The file's third header line ("built-in LO SMEFT W H generator").
  virtual std::string Comment() const = 0;
  // The weights after the benchmarks: scale variations of the first
  // benchmark, one factor per event each (none by default).
  virtual std::vector<std::string> VariationNames() const { return {}; }
  // Run attributes beyond the common ones (event_file_common.h).
  virtual void AddRunAttributes(
      const std::vector<NamedBenchmark>& /*benchmarks*/,
      const std::vector<std::string>& /*variation_names*/,
      std::map<std::string, std::string>* /*run*/) const {}

  // Samples the next event; the accessors below then describe it.
  virtual void Sample(RandomStream& random) = 0;
  virtual const EftPolynomial& polynomial() const = 0;
  // One factor per variation name.
  virtual const std::vector<double>& variation_factors() const = 0;
  virtual int num_vertices() const = 0;
  virtual int num_particles() const = 0;
  // What comes before the polynomial attribute (GenPdfInfo; nothing by
  // default), and what comes after it: further attributes, then the
  // particles and vertices. `scratch` may be reused between events.
  virtual void WriteBeforePolynomial(AsciiEventWriter& /*writer*/) const {}
  virtual void WriteAfterPolynomial(AsciiEventWriter& writer,
                                    std::string* scratch) const = 0;
};

}  // namespace goldmine::generators
