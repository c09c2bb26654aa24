#include "goldmine/generators/wh_event_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

#include "event_file_common.h"
#include "event_file_loop.h"
#include "event_process.h"

namespace goldmine::generators {
namespace {

std::string Short(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

}  // namespace

std::vector<std::string> ScaleVariationNames(
    const WhGeneratorSettings& settings) {
  std::vector<std::string> names;
  for (double k : settings.scale_variations) names.push_back("MUF" + Short(k));
  return names;
}

namespace {

class WhProcess : public EventProcess {
 public:
  explicit WhProcess(const WhGenerator& generator) : generator_(generator) {}

  std::string Description() const override { return generator_.Description(); }
  std::vector<std::string> ParameterNames() const override {
    std::vector<std::string> names;
    for (WhOperator op : generator_.settings().operators)
      names.push_back(OperatorName(op));
    return names;
  }
  std::string Comment() const override {
    return "built-in LO SMEFT W H generator";
  }
  std::vector<std::string> VariationNames() const override {
    return ScaleVariationNames(generator_.settings());
  }
  void AddRunAttributes(
      const std::vector<NamedBenchmark>& benchmarks,
      const std::vector<std::string>& variation_names,
      std::map<std::string, std::string>* run) const override {
    const WhGeneratorSettings& settings = generator_.settings();
    std::string scale = ScaleChoiceName(settings.scale);
    if (settings.scale == ScaleChoice::kFixed)
      scale += ":" + Exact(settings.FixedScale());
    (*run)["goldmine_factorisation_scale"] = scale;
    (*run)["goldmine_systematics"] =
        "factorisation_scale:" + JoinNames(variation_names) +
        " nominal=" + benchmarks.front().name;
  }

  void Sample(RandomStream& random) override {
    event_ = generator_.Sample(random);
  }
  const EftPolynomial& polynomial() const override { return event_.polynomial; }
  const std::vector<double>& variation_factors() const override {
    return event_.scale_variation_factors;
  }
  int num_vertices() const override { return 3; }
  int num_particles() const override { return 8; }

  void WriteBeforePolynomial(AsciiEventWriter& writer) const override {
    writer.PdfInfo(event_.parton_ids[0],
                   event_.parton_ids[1],
                   event_.x1,
                   event_.x2,
                   event_.factorisation_scale,
                   event_.parton_xf[0],
                   event_.parton_xf[1]);
  }
  // q q̄' → W H (vertex −1), W → ℓ ν and H → b b̄ (single parents 3, 4).
  void WriteAfterPolynomial(AsciiEventWriter& writer,
                            std::string*) const override {
    const WhEvent& e = event_;
    writer.Particle(1, 0, e.parton_ids[0], e.partons[0], 0.0, 4);
    writer.Particle(2, 0, e.parton_ids[1], e.partons[1], 0.0, 4);
    writer.Vertex(-1, {1, 2});
    writer.Particle(3,
                    -1,
                    24 * e.w_charge,
                    e.w,
                    std::sqrt(std::max(0.0, Dot(e.w, e.w))),
                    2);
    writer.Particle(
        4, -1, 25, e.higgs, generator_.settings().parameters.higgs_mass, 2);
    writer.Particle(5, 3, e.lepton_id, e.lepton, 0.0, 1);
    writer.Particle(6, 3, e.neutrino_id, e.neutrino, 0.0, 1);
    writer.Particle(7, 4, 5, e.bottom, 0.0, 1);
    writer.Particle(8, 4, -5, e.antibottom, 0.0, 1);
  }

 private:
  const WhGenerator& generator_;
  WhEvent event_;
};

}  // namespace

EventFileResult WriteWhEventFile(
    const std::string& path,
    const WhGenerator& generator,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress) {
  WhProcess process(generator);
  return WriteEventFile(path, process, benchmarks, num_events, seed, progress);
}

}  // namespace goldmine::generators
