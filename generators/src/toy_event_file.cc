#include "goldmine/generators/toy_event_file.h"

#include <cmath>
#include <map>

#include "event_file_loop.h"
#include "event_process.h"

namespace goldmine::generators {
namespace {

// A massless final-state gluon with (pT, η, φ); (E, px, py, pz).
FourMomentum Jet(double pt, double eta, double phi) {
  return {pt * std::cosh(eta),
          pt * std::cos(phi),
          pt * std::sin(phi),
          pt * std::sinh(eta)};
}

class ToyProcess : public EventProcess {
 public:
  explicit ToyProcess(const ToyModel& model) : model_(model) {}

  std::string Description() const override { return model_.Description(); }
  std::vector<std::string> ParameterNames() const override {
    return model_.parameters();
  }
  std::string Comment() const override {
    return "analytic toy (MadMiner's toy process)";
  }
  void AddRunAttributes(
      const std::vector<NamedBenchmark>&,
      const std::vector<std::string>&,
      std::map<std::string, std::string>* run) const override {
    (*run)["goldmine_latent"] = "pt_true phi_true eta";
    (*run)["goldmine_observables"] =
        "pt=j[0].pt dphi=j[0].deltaphi(j[1]) eta=j[0].eta ptcos=j[0].px";
  }

  void Sample(RandomStream& random) override { event_ = model_.Sample(random); }
  const EftPolynomial& polynomial() const override { return event_.polynomial; }
  const std::vector<double>& variation_factors() const override {
    return no_variations_;
  }
  int num_vertices() const override { return 0; }
  int num_particles() const override { return 2; }

  // The latent variables z, then the two jets.
  void WriteAfterPolynomial(AsciiEventWriter& writer,
                            std::string* text) const override {
    const ToyLatent& z = event_.latent;
    text->clear();
    AsciiEventWriter::AppendNumber(*text, z.pt);
    *text += ' ';
    AsciiEventWriter::AppendNumber(*text, z.phi);
    *text += ' ';
    AsciiEventWriter::AppendNumber(*text, z.eta);
    writer.StringAttribute("goldmine_latent", *text);
    const ToyObservation& x = event_.observation;
    writer.Particle(1, 0, 21, Jet(x.pt, x.eta, x.dphi), 0.0, 1);
    writer.Particle(2, 0, 21, Jet(0.5, 0.0, 0.0), 0.0, 1);
  }

 private:
  const ToyModel& model_;
  ToyEvent event_;
  std::vector<double> no_variations_;
};

}  // namespace

EventFileResult WriteToyEventFile(
    const std::string& path,
    const ToyModel& model,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress) {
  ToyProcess process(model);
  return WriteEventFile(path, process, benchmarks, num_events, seed, progress);
}

}  // namespace goldmine::generators
