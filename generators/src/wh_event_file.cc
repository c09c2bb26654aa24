// The only translation unit of generators/ that includes HepMC3.
#include "goldmine/generators/wh_event_file.h"

#include <HepMC3/Attribute.h>
#include <HepMC3/GenCrossSection.h>
#include <HepMC3/GenEvent.h>
#include <HepMC3/GenParticle.h>
#include <HepMC3/GenPdfInfo.h>
#include <HepMC3/GenRunInfo.h>
#include <HepMC3/GenVertex.h>
#include <HepMC3/Setup.h>
#include <HepMC3/WriterAscii.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"

namespace goldmine::generators {
namespace {

// Full double precision, shortest round-tripping form is not needed: %.17g
// is exact and deterministic.
std::string Exact(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return buffer;
}

std::string Short(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

// A massless particle unless the caller sets another generated mass.
HepMC3::GenParticlePtr Particle(const FourMomentum& p, int id, int status) {
  auto particle = std::make_shared<HepMC3::GenParticle>(
      HepMC3::FourVector(p[1], p[2], p[3], p[0]), id, status);
  particle->set_generated_mass(0.0);
  return particle;
}

void AddStringAttribute(HepMC3::GenRunInfo* run,
                        const std::string& name,
                        const std::string& value) {
  run->add_attribute(name, std::make_shared<HepMC3::StringAttribute>(value));
}

}  // namespace

std::vector<std::string> ScaleVariationNames(
    const WhGeneratorSettings& settings) {
  std::vector<std::string> names;
  for (double k : settings.scale_variations) names.push_back("MUF" + Short(k));
  return names;
}

EventFileResult WriteWhEventFile(
    const std::string& path,
    const WhGenerator& generator,
    const std::vector<NamedBenchmark>& benchmarks,
    std::int64_t num_events,
    std::uint64_t seed,
    const std::function<void(std::int64_t)>& progress) {
  const WhGeneratorSettings& settings = generator.settings();
  const std::size_t num_parameters = settings.operators.size();
  ValidateBenchmarks(benchmarks, num_parameters);
  GOLDMINE_REQUIRE(
      num_events >= 1,
      "the number of events must be >= 1, got " + std::to_string(num_events));
  const auto start = std::chrono::steady_clock::now();

  // Weight names: benchmarks, then scale variations of the first benchmark.
  std::vector<std::string> names;
  for (const NamedBenchmark& benchmark : benchmarks)
    names.push_back(benchmark.name);
  const std::vector<std::string> variation_names =
      ScaleVariationNames(settings);
  for (const std::string& name : variation_names) {
    for (const std::string& existing : names)
      GOLDMINE_REQUIRE(existing != name,
                       "benchmark name \"" + name +
                           "\" is reserved for a scale variation weight");
    names.push_back(name);
  }

  std::vector<std::string> parameter_names;
  for (WhOperator op : settings.operators)
    parameter_names.push_back(OperatorName(op));
  std::vector<Eigen::VectorXd> thetas;
  for (const NamedBenchmark& benchmark : benchmarks)
    thetas.push_back(Eigen::Map<const Eigen::VectorXd>(
        benchmark.values.data(),
        static_cast<Eigen::Index>(benchmark.values.size())));

  HepMC3::Setup::set_print_warnings(false);
  auto run = std::make_shared<HepMC3::GenRunInfo>();
  run->set_weight_names(names);
  run->tools().push_back(
      {"goldmine", VersionLine(), "built-in LO SMEFT W H generator"});
  AddStringAttribute(run.get(), "goldmine_generator", generator.Description());
  std::string joined;
  for (const std::string& name : parameter_names)
    joined += (joined.empty() ? "" : ",") + name;
  AddStringAttribute(run.get(), "goldmine_parameters", joined);
  joined.clear();
  for (const NamedBenchmark& benchmark : benchmarks)
    joined += (joined.empty() ? "" : ",") + benchmark.name;
  AddStringAttribute(run.get(), "goldmine_benchmarks", joined);
  for (const NamedBenchmark& benchmark : benchmarks) {
    std::string values;
    for (std::size_t p = 0; p < num_parameters; ++p)
      values += (p == 0 ? "" : " ") + parameter_names[p] + "=" +
                Exact(benchmark.values[p]);
    AddStringAttribute(
        run.get(), "goldmine_benchmark_" + benchmark.name, values);
  }
  std::string scale = ScaleChoiceName(settings.scale);
  if (settings.scale == ScaleChoice::kFixed)
    scale += ":" + Exact(settings.FixedScale());
  AddStringAttribute(run.get(), "goldmine_factorisation_scale", scale);
  joined.clear();
  for (const std::string& name : variation_names)
    joined += (joined.empty() ? "" : ",") + name;
  AddStringAttribute(
      run.get(),
      "goldmine_systematics",
      "factorisation_scale:" + joined + " nominal=" + benchmarks.front().name);
  std::string terms = "w_sm";
  for (const std::string& name : parameter_names) terms += " a_" + name;
  for (std::size_t i = 0; i < num_parameters; ++i)
    for (std::size_t j = i; j < num_parameters; ++j)
      terms += " b_" + parameter_names[i] + "_" + parameter_names[j];
  AddStringAttribute(run.get(), "goldmine_eft_polynomial", terms);
  AddStringAttribute(run.get(), "goldmine_seed", std::to_string(seed));
  AddStringAttribute(run.get(), "goldmine_events", std::to_string(num_events));

  AtomicOutputFile output(path);
  HepMC3::WriterAscii writer(output.temporary_path().string(), run);
  if (writer.failed())
    throw InvalidInput(path + ": cannot write the event file");

  const std::size_t num_weights = names.size();
  const std::size_t num_benchmarks = benchmarks.size();
  std::vector<double> sums(num_weights, 0.0);
  std::vector<double> sums2(num_weights, 0.0);
  std::vector<double> weights(num_weights, 0.0);
  const double n = static_cast<double>(num_events);
  const std::int64_t report_every = std::max<std::int64_t>(1, num_events / 100);
  RandomStream random(seed);
  const ElectroweakParameters& ew = settings.parameters;

  for (std::int64_t i = 0; i < num_events; ++i) {
    const WhEvent event = generator.Sample(random);
    const double w_sm = event.polynomial.sm / n;
    for (std::size_t b = 0; b < num_benchmarks; ++b)
      weights[b] = w_sm * event.polynomial.Ratio(thetas[b]);
    for (std::size_t k = 0; k < variation_names.size(); ++k)
      weights[num_benchmarks + k] =
          weights[0] * event.scale_variation_factors[k];
    for (std::size_t w = 0; w < num_weights; ++w) {
      sums[w] += weights[w];
      sums2[w] += weights[w] * weights[w];
    }

    HepMC3::GenEvent record(run, HepMC3::Units::GEV, HepMC3::Units::MM);
    record.set_event_number(static_cast<int>(i + 1));
    record.weights() = weights;

    auto parton1 = Particle(event.partons[0], event.parton_ids[0], 4);
    auto parton2 = Particle(event.partons[1], event.parton_ids[1], 4);
    auto w = Particle(event.w, 24 * event.w_charge, 2);
    w->set_generated_mass(std::sqrt(std::max(0.0, Dot(event.w, event.w))));
    auto higgs = Particle(event.higgs, 25, 2);
    higgs->set_generated_mass(ew.higgs_mass);
    auto production = std::make_shared<HepMC3::GenVertex>();
    production->add_particle_in(parton1);
    production->add_particle_in(parton2);
    production->add_particle_out(w);
    production->add_particle_out(higgs);
    record.add_vertex(production);
    auto w_decay = std::make_shared<HepMC3::GenVertex>();
    w_decay->add_particle_in(w);
    w_decay->add_particle_out(Particle(event.lepton, event.lepton_id, 1));
    w_decay->add_particle_out(Particle(event.neutrino, event.neutrino_id, 1));
    record.add_vertex(w_decay);
    auto h_decay = std::make_shared<HepMC3::GenVertex>();
    h_decay->add_particle_in(higgs);
    h_decay->add_particle_out(Particle(event.bottom, 5, 1));
    h_decay->add_particle_out(Particle(event.antibottom, -5, 1));
    record.add_vertex(h_decay);

    auto pdf_info = std::make_shared<HepMC3::GenPdfInfo>();
    pdf_info->set(event.parton_ids[0],
                  event.parton_ids[1],
                  event.x1,
                  event.x2,
                  event.factorisation_scale,
                  event.parton_xf[0],
                  event.parton_xf[1]);
    record.set_pdf_info(pdf_info);

    // Running estimate: (N/i) Σ_{k≤i} w_k, exact Σ w at the last event.
    auto cross_section = std::make_shared<HepMC3::GenCrossSection>();
    record.set_cross_section(cross_section);
    const double done = static_cast<double>(i + 1);
    cross_section->set_cross_section(sums[0] * n / done, 0.0, i + 1, i + 1);
    for (std::size_t k = 0; k < num_weights; ++k) {
      const double mean = sums[k] * n / done;
      const double variance =
          done > 1.0 ? std::max(0.0, n * n * sums2[k] / done - mean * mean) /
                           (done - 1.0)
                     : 0.0;
      cross_section->set_xsec(static_cast<int>(k), mean);
      cross_section->set_xsec_err(static_cast<int>(k), std::sqrt(variance));
    }

    std::string polynomial = Exact(w_sm);
    for (double a : event.polynomial.linear) polynomial += " " + Exact(a);
    for (double b : event.polynomial.quadratic) polynomial += " " + Exact(b);
    record.add_attribute("goldmine_eft_polynomial",
                         std::make_shared<HepMC3::StringAttribute>(polynomial));

    writer.write_event(record);
    if (writer.failed())
      throw InvalidInput(path + ": writing event " + std::to_string(i + 1) +
                         " failed (disk full?)");
    if (progress && ((i + 1) % report_every == 0 || i + 1 == num_events))
      progress(i + 1);
  }
  writer.close();
  output.Commit();

  EventFileResult result;
  result.num_events = num_events;
  result.weight_names = names;
  result.cross_sections = sums;
  for (std::size_t k = 0; k < num_weights; ++k) {
    const double mean = sums[k] / n;
    result.cross_section_errors.push_back(
        num_events > 1 ? std::sqrt(std::max(0.0, sums2[k] - n * mean * mean) *
                                   n / (n - 1.0))
                       : 0.0);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return result;
}

}  // namespace goldmine::generators
