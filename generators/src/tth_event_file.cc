#include "goldmine/generators/tth_event_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

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

std::vector<std::string> TthScaleVariationNames(
    const TthGeneratorSettings& settings) {
  std::vector<std::string> names;
  for (double k : settings.scale_variations)
    names.push_back("MUR" + Short(k) + "_MUF" + Short(k));
  return names;
}

namespace {

class TthProcess : public EventProcess {
 public:
  explicit TthProcess(const TthGenerator& generator) : generator_(generator) {}

  std::string Description() const override { return generator_.Description(); }
  std::vector<std::string> ParameterNames() const override {
    std::vector<std::string> names;
    for (TthOperator op : generator_.settings().operators)
      names.push_back(TthOperatorName(op));
    return names;
  }
  std::string Comment() const override {
    return "built-in LO p p -> t tbar H (kappa_t)";
  }
  std::vector<std::string> VariationNames() const override {
    return TthScaleVariationNames(generator_.settings());
  }
  void AddRunAttributes(
      const std::vector<NamedBenchmark>& benchmarks,
      const std::vector<std::string>& variation_names,
      std::map<std::string, std::string>* run) const override {
    const TthGeneratorSettings& settings = generator_.settings();
    std::string scale = TthScaleName(settings.scale);
    if (settings.scale == TthScale::kFixed)
      scale += ":" + Exact(settings.FixedScale());
    (*run)["goldmine_factorisation_scale"] = scale;
    (*run)["goldmine_renormalisation_scale"] = scale;
    (*run)["goldmine_alpha_s"] =
        "one-loop nf=5 alpha_s(M_Z)=" + Exact(settings.parameters.alpha_s_mz);
    const std::vector<std::string> parameter_names = ParameterNames();
    std::string kappa = "kappa_t = 1";
    const std::vector<double>& k =
        generator_.matrix_element().kappa_coefficients();
    for (std::size_t i = 0; i < k.size(); ++i)
      kappa += (k[i] < 0.0 ? " - " : " + ") + Exact(std::abs(k[i])) + " " +
               parameter_names[i];
    (*run)["goldmine_kappa_t"] = kappa;
    (*run)["goldmine_systematics"] = "scale:" + JoinNames(variation_names) +
                                     " nominal=" + benchmarks.front().name;
  }

  void Sample(RandomStream& random) override {
    event_ = generator_.Sample(random);
  }
  const EftPolynomial& polynomial() const override { return event_.polynomial; }
  const std::vector<double>& variation_factors() const override {
    return event_.scale_variation_factors;
  }
  int num_vertices() const override { return 6; }
  int num_particles() const override { return 15; }

  void WriteBeforePolynomial(AsciiEventWriter& writer) const override {
    writer.PdfInfo(event_.parton_ids[0],
                   event_.parton_ids[1],
                   event_.x1,
                   event_.x2,
                   event_.scale,
                   event_.parton_xf[0],
                   event_.parton_xf[1]);
  }
  // Production (vertex −1), then decays with single parents.
  void WriteAfterPolynomial(AsciiEventWriter& writer,
                            std::string*) const override {
    const TthEvent& e = event_;
    const TthParameters& p = generator_.settings().parameters;
    writer.Particle(1, 0, e.parton_ids[0], e.partons[0], 0.0, 4);
    writer.Particle(2, 0, e.parton_ids[1], e.partons[1], 0.0, 4);
    writer.Vertex(-1, {1, 2});
    writer.Particle(3, -1, 6, e.top, p.top_mass, 2);
    writer.Particle(4, -1, -6, e.antitop, p.top_mass, 2);
    writer.Particle(5, -1, 25, e.higgs, p.higgs_mass, 2);
    writer.Particle(6, 3, 24, e.w_plus, p.w_mass, 2);
    writer.Particle(7, 3, 5, e.bottom, 0.0, 1);
    writer.Particle(8, 4, -24, e.w_minus, p.w_mass, 2);
    writer.Particle(9, 4, -5, e.antibottom, 0.0, 1);
    writer.Particle(10, 5, e.higgs_ids[0], e.higgs_daughters[0], 0.0, 1);
    writer.Particle(11, 5, e.higgs_ids[1], e.higgs_daughters[1], 0.0, 1);
    writer.Particle(12, 6, e.w_plus_ids[0], e.w_plus_daughters[0], 0.0, 1);
    writer.Particle(13, 6, e.w_plus_ids[1], e.w_plus_daughters[1], 0.0, 1);
    writer.Particle(14, 8, e.w_minus_ids[0], e.w_minus_daughters[0], 0.0, 1);
    writer.Particle(15, 8, e.w_minus_ids[1], e.w_minus_daughters[1], 0.0, 1);
  }

 private:
  const TthGenerator& generator_;
  TthEvent event_;
};

}  // namespace

EventFileResult WriteTthEventFile(
    const std::string& path,
    const TthGenerator& generator,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress) {
  TthProcess process(generator);
  return WriteEventFile(path, process, benchmarks, num_events, seed, progress);
}

}  // namespace goldmine::generators
